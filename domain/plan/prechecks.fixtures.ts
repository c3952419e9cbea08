// Small builders for pre-check tests: a key result, a task and a plan with sensible defaults.
import type { KeyResult, Plan, Task } from './model.ts';

export function kr(id: string, over: Partial<KeyResult> = {}): KeyResult {
  return {
    id,
    title: `KR ${id}`,
    type: 'KPI',
    breakthrough: false,
    unit: 'lượt',
    direction: { kind: 'higher' },
    target: '10',
    weight: '1',
    cadence: 'month',
    aggregation: 'sum',
    evidenceRequired: false,
    ...over,
  };
}

export function task(id: string, keyResults: KeyResult[], over: Partial<Task> = {}): Task {
  return { id, title: `Task ${id}`, perspective: 'citizens', weight: '1', keyResults, ...over };
}

export function plan(tasks: Task[], over: Partial<Plan> = {}): Plan {
  return { id: 'plan-1', year: 2026, owner: { kind: 'unit', unitId: 'unit-1' }, tasks, ...over };
}

/** A plan with one task holding the given key results. */
export function planOf(...keyResults: KeyResult[]): Plan {
  return plan([task('t1', keyResults)]);
}

export const quarters = (q1: string, q2: string, q3: string, q4: string) => ({
  '2026-Q1': q1,
  '2026-Q2': q2,
  '2026-Q3': q3,
  '2026-Q4': q4,
});
