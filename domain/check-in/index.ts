export * from './due.ts';
export * from './messages.ts';
export * from './model.ts';
export * from './period.ts';
export * from './targets.ts';
export * from './validate.ts';
export * from './ytd.ts';
