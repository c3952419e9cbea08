// The year-to-date value of a key result: its period values of the year combined by its aggregation rule
// (domain/plan/aggregation.ts), milestones counted as 1 (done) or 0 (not done).
import { aggregate } from '../plan/aggregation.ts';
import type { AggregationRule, DecimalString } from '../plan/model.ts';

export interface PeriodValue {
  period: string;
  value: DecimalString | null;
  done: boolean | null;
}

/** Combines the values of the periods of `through`'s year up to and including it (periods without a value are
 *  left out); undefined when there is none. */
export function yearToDate(
  rule: AggregationRule,
  values: readonly PeriodValue[],
  through: string,
): DecimalString | undefined {
  const year = through.slice(0, 4);
  const nums = values
    .filter((v) => v.period.slice(0, 4) === year && v.period <= through)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))
    .flatMap((v) => (v.value !== null ? [v.value] : v.done !== null ? [v.done ? '1' : '0'] : []));
  return aggregate(rule, nums)?.toFixed();
}

/** The latest value before `period` in the same year (the "last period" column), if any. */
export function lastValueBefore(values: readonly PeriodValue[], period: string): PeriodValue | undefined {
  const year = period.slice(0, 4);
  return values
    .filter(
      (v) => v.period.slice(0, 4) === year && v.period < period && (v.value !== null || v.done !== null),
    )
    .sort((a, b) => (a.period < b.period ? 1 : -1))[0];
}
