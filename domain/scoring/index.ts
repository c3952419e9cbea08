// The scoring engine (DESIGN §4, RULES.md): pure, deterministic, safe inside workflow code.
export * from './attainment.ts';
export * from './criteria.ts';
export * from './decimal.ts';
export * from './errors.ts';
export * from './flags.ts';
export * from './freeze.ts';
export * from './messages.ts';
export * from './nd335.ts';
export * from './plan-score.ts';
export * from './quota.ts';
export * from './ranking.ts';
export * from './records.ts';
export * from './rollup.ts';
export * from './weights.ts';
