// Anomalous values (DESIGN §2): a value more than k median absolute deviations (MAD) from the median
// of the key result's own history is flagged (k = 3 by default). A constant history has MAD = 0: then
// any value different from it is flagged, and an equal value is not.
import { Decimal } from 'decimal.js';
import type { DecimalString, Plan } from './model.ts';
import { type Finding, finding, plain, toDecimal } from './prechecks-types.ts';

export interface Observation {
  keyResultId: string;
  /** Period key, e.g. "2026-05". */
  period: string;
  value: DecimalString;
}

export interface AnomalyOptions {
  /** Threshold in MADs (default 3); must be positive. */
  k?: Decimal.Value;
  /** Fewer earlier values than this and the value is not judged (default 3). */
  minHistory?: number;
}

export const DEFAULT_ANOMALY_K = 3;
export const DEFAULT_ANOMALY_MIN_HISTORY = 3;

export function median(values: readonly Decimal[]): Decimal {
  if (values.length === 0) throw new RangeError('median of nothing');
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] as Decimal;
  return sorted.length % 2 === 1 ? hi : (sorted[mid - 1] as Decimal).plus(hi).div(2);
}

/** Median absolute deviation from the median. */
export function mad(values: readonly Decimal[]): { median: Decimal; mad: Decimal } {
  const m = median(values);
  return { median: m, mad: median(values.map((v) => v.minus(m).abs())) };
}

/**
 * Flags each observation against the earlier values of its key result (`history`, by key result id).
 * Non-numeric history entries are ignored; a non-numeric observation is not judged.
 */
export function checkAnomalies(
  plan: Plan,
  observations: readonly Observation[],
  history: Readonly<Record<string, readonly DecimalString[]>>,
  options: AnomalyOptions = {},
): Finding[] {
  const k = new Decimal(options.k ?? DEFAULT_ANOMALY_K);
  if (!k.isFinite() || !k.gt(0))
    throw new RangeError(`anomaly threshold k must be positive, got ${String(options.k)}`);
  const minHistory = Math.max(1, options.minHistory ?? DEFAULT_ANOMALY_MIN_HISTORY);
  const titles = new Map(plan.tasks.flatMap((t) => t.keyResults).map((kr) => [kr.id, kr.title]));
  const out: Finding[] = [];
  for (const o of observations) {
    const value = toDecimal(o.value);
    const past = (history[o.keyResultId] ?? []).map(toDecimal).filter((d): d is Decimal => d !== undefined);
    if (value === undefined || past.length < minHistory) continue;
    const stats = mad(past);
    const deviation = value.minus(stats.median).abs();
    const title = titles.get(o.keyResultId) ?? o.keyResultId;
    if (stats.mad.isZero()) {
      if (!deviation.isZero()) {
        out.push(
          finding('VALUE_ANOMALY_CONSTANT_HISTORY', 'keyResult', o.keyResultId, {
            title,
            period: o.period,
            value: plain(value),
            median: plain(stats.median),
          }),
        );
      }
    } else if (deviation.gt(k.times(stats.mad))) {
      out.push(
        finding('VALUE_ANOMALY', 'keyResult', o.keyResultId, {
          title,
          period: o.period,
          value: plain(value),
          median: plain(stats.median),
          mad: plain(stats.mad),
          deviations: plain(deviation.div(stats.mad), 2),
          k: plain(k),
        }),
      );
    }
  }
  return out;
}
