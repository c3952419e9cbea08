// Period values → the year's value, and children → the parent's value, by the aggregation rule.

import { aggregate } from '../plan/aggregation.ts';
import type { AggregationRule, KeyResult } from '../plan/model.ts';
import type { Decimal } from './decimal.ts';

/** Period key ("2026-03", "2026-Q1") → value; combined in period-key order (so `last` is the latest). */
export function yearValue(
  rule: AggregationRule,
  periodValues: Readonly<Record<string, Decimal.Value>>,
): Decimal | undefined {
  const keys = Object.keys(periodValues).sort();
  return aggregate(
    rule,
    keys.map((k) => periodValues[k]!),
  );
}

/** A parent's value from its children's values (cascade), by the parent's aggregation rule. */
export function parentValue(
  parent: Pick<KeyResult, 'aggregation'>,
  childValues: readonly Decimal.Value[],
): Decimal | undefined {
  return aggregate(parent.aggregation, childValues);
}
