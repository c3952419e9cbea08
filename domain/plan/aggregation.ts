import { Decimal } from 'decimal.js';
import type { AggregationRule } from './model.ts';

/**
 * Combines values by a key result's aggregation rule (period → year, children → parent).
 * Values are in period order (for `last`). Milestone values are 1 (done) or 0 (not done).
 * Returns undefined when there is nothing to combine.
 */
export function aggregate(rule: AggregationRule, values: readonly Decimal.Value[]): Decimal | undefined {
  if (values.length === 0) return undefined;
  const ds = values.map((v) => new Decimal(v));
  switch (rule) {
    case 'sum':
      return Decimal.sum(...ds);
    case 'average':
      return Decimal.sum(...ds).div(ds.length);
    case 'last':
      return ds[ds.length - 1];
    case 'min':
      return Decimal.min(...ds);
    case 'max':
      return Decimal.max(...ds);
    case 'allDone':
      return ds.every((d) => d.eq(1)) ? new Decimal(1) : new Decimal(0);
  }
}
