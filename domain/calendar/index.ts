// Calendar and deadline machinery (DESIGN §3): pure, deterministic, safe inside workflow code.
export * from './forwarding.ts';
export * from './ladder.ts';
export * from './period-lock.ts';
export * from './plan-year.ts';
export * from './profile.ts';
export * from './sequencing.ts';
export * from './vn-time.ts';
export * from './working-days.ts';
