// Shared test data for the scoring tests: a full unit plan over the four perspectives.
import type { Direction, KeyResult, Plan, Task } from '../plan/model.ts';

export function kr(
  id: string,
  direction: Direction,
  target: string,
  weight = '1',
  extra: Partial<KeyResult> = {},
): KeyResult {
  return {
    id,
    title: id,
    type: 'KPI',
    breakthrough: false,
    unit: 'unit',
    direction,
    target,
    weight,
    cadence: 'month',
    aggregation: 'sum',
    evidenceRequired: false,
    ...extra,
  };
}

export function task(
  id: string,
  perspective: Task['perspective'],
  weight: string,
  keyResults: KeyResult[],
): Task {
  return { id, title: id, perspective, weight, keyResults };
}

/**
 * The unit plan of the worked example (see plan-score.test.ts for the arithmetic).
 */
export function unitPlan(): Plan {
  return {
    id: 'unit-2026',
    year: 2026,
    owner: { kind: 'unit', unitId: 'so-noi-vu' },
    tasks: [
      task('T1', 'citizens', '2', [
        kr('KR1', { kind: 'higher' }, '90'),
        kr('KR2', { kind: 'lower' }, '6', '1', { baseline: '10' }),
      ]),
      task('T2', 'citizens', '1', [
        kr('KR3', { kind: 'range', lo: '80', hi: '90', tolerance: '10' }, '85'),
        kr('KR4', { kind: 'higher' }, '100', '1', { breakthrough: true, type: 'OKR' }),
      ]),
      task('T3', 'budget', '1', [
        kr('KR5', { kind: 'zeroTolerance' }, '0'),
        kr('KR6', { kind: 'higher' }, '200', '3'),
      ]),
      task('T4', 'processes', '1', [
        kr('KR7', { kind: 'milestone', dueDate: '2026-09-30' }, '1', '1', { aggregation: 'allDone' }),
        kr('KR8', { kind: 'lower' }, '5'),
      ]),
      task('T5', 'learning', '1', [kr('KR9', { kind: 'higher' }, '40')]),
    ],
  };
}

export const UNIT_ACTUALS: Record<string, string> = {
  KR1: '81',
  KR2: '7',
  KR3: '95',
  KR4: '120',
  KR5: '0',
  KR6: '260',
  KR7: '0',
  KR8: '4',
  KR9: '30',
};
