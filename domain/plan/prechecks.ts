// Plan pre-checks (DESIGN §2): run before a plan is submitted or approved so that approvers look only
// at the exceptions. Pure: the plan, its children's plans and the value history come in as data.
import type { Decimal } from 'decimal.js';
import type { DecimalString, Plan } from './model.ts';
import { checkAnomalies, type Observation } from './prechecks-anomaly.ts';
import { checkChildrenCoverage, checkPeriodCoverage } from './prechecks-coverage.ts';
import {
  type CountRange,
  checkBreakthroughShare,
  checkDirections,
  checkKeyResultCount,
  checkMeasurable,
  checkWeights,
  type ShareRange,
} from './prechecks-structure.ts';
import type { Finding, Severity } from './prechecks-types.ts';

export { checkAnomalies, mad, median, type Observation } from './prechecks-anomaly.ts';
export { checkChildrenCoverage, checkPeriodCoverage, reaches } from './prechecks-coverage.ts';
export { PRECHECK_CATALOGUE, type PrecheckCode, renderFinding } from './prechecks-messages.ts';
export {
  checkBreakthroughShare,
  checkDirections,
  checkKeyResultCount,
  checkMeasurable,
  checkWeights,
  isMeasurable,
} from './prechecks-structure.ts';
export type { Finding, Severity } from './prechecks-types.ts';

export interface PrecheckOptions {
  /** Key results allowed per task (default 1–5). */
  keyResultsPerTask?: CountRange;
  /** Encouraged breakthrough share in percent (default 30–40). */
  breakthroughShare?: ShareRange;
  /** Plans of sub-units and persons holding key results cascaded from this plan. */
  childPlans?: readonly Plan[];
  /** Values to judge for anomalies, and each key result's earlier values. */
  observations?: readonly Observation[];
  history?: Readonly<Record<string, readonly DecimalString[]>>;
  /** Anomaly threshold in median absolute deviations (default 3) and minimum history (default 3). */
  anomalyK?: Decimal.Value;
  anomalyMinHistory?: number;
}

export interface PrecheckReport {
  findings: Finding[];
  counts: Record<Severity, number>;
  /** False when any finding is an error. */
  ok: boolean;
}

/** Runs every pre-check in a fixed order; findings keep the plan's order within each check. */
export function runPrechecks(plan: Plan, options: PrecheckOptions = {}): PrecheckReport {
  const findings = [
    ...checkKeyResultCount(plan, options.keyResultsPerTask),
    ...checkMeasurable(plan),
    ...checkDirections(plan),
    ...checkWeights(plan),
    ...checkPeriodCoverage(plan),
    ...checkChildrenCoverage(plan, options.childPlans),
    ...checkBreakthroughShare(plan, options.breakthroughShare),
    ...checkAnomalies(plan, options.observations ?? [], options.history ?? {}, {
      ...(options.anomalyK === undefined ? {} : { k: options.anomalyK }),
      ...(options.anomalyMinHistory === undefined ? {} : { minHistory: options.anomalyMinHistory }),
    }),
  ];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return { findings, counts, ok: counts.error === 0 };
}
