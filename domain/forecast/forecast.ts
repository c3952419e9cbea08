// The forecast of one key result after a verified month (issue 7 point 3; the method: docs/forecast.md): its
// year-end value under its aggregation rule, an 80% band, the probability that the target is missed, and
// whether that is a warning — P(miss) ≥ 0.8 (WARNING_PROBABILITY). Milestones and zero-tolerance key results
// are not projected: a milestone not done once its due date has passed, and a zero-tolerance key result with
// an occurrence, are misses for certain. Decimal strings in and out (decimal.js for what is stored or shown).
import { Decimal } from 'decimal.js';
import { parseMonthPeriod } from '../check-in/period.ts';
import type { Cadence, DecimalString, KeyResult } from '../plan/model.ts';
import { type Projection, projectSeries } from './project.ts';

/** The band's coverage: from its 10% to its 90% quantile. */
export const BAND_LEVEL = 0.8;
/** A key result is warned about when the probability of missing its target is at least this. */
export const WARNING_PROBABILITY = 0.8;

export interface ForecastValue {
  /** 'YYYY-MM'. */
  period: string;
  value: DecimalString | null;
  done: boolean | null;
}

export interface ForecastInput {
  keyResult: Pick<KeyResult, 'id' | 'aggregation' | 'direction' | 'target' | 'cadence'>;
  /** The key result's verified values of the year (any order; those after `through` are ignored). */
  values: readonly ForecastValue[];
  /** The last verified month the forecast is made after ('YYYY-MM'). */
  through: string;
}

export type KeyResultForecast =
  | {
      kind: 'projection';
      through: string;
      method: Projection['method'];
      /** Verified values used. */
      observations: number;
      /** The median projected year-end value and the 80% band (2 decimals, half-up). */
      projected: DecimalString;
      low: DecimalString;
      high: DecimalString;
      target: DecimalString;
      /** P(the year-end value misses the target), 2 decimals. */
      pMiss: DecimalString;
      warning: boolean;
    }
  | { kind: 'milestone'; through: string; done: boolean; dueDate: string; warning: boolean }
  | { kind: 'zeroTolerance'; through: string; occurrences: DecimalString; warning: boolean }
  | { kind: 'none'; through: string; reason: 'too-few-values' | 'no-target' | 'not-numeric' };

const shown = (x: number) => new Decimal(x).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

/** The reporting months of a cadence after month `after` (1..12). */
export function remainingReportingMonths(cadence: Cadence, after: number): number[] {
  const months = Array.from({ length: 12 - after }, (_, i) => after + 1 + i);
  if (cadence === 'quarter') return months.filter((m) => m % 3 === 0);
  if (cadence === 'year') return months.filter((m) => m === 12);
  return months;
}

/** The reporting months whose value the year still needs: the months to come and, except for `last` (read at
 *  year end), the earlier reporting months with no verified value yet (late or returned: they will have a value,
 *  which is not zero). */
export function unreportedMonths(
  aggregation: KeyResult['aggregation'],
  cadence: Cadence,
  observed: readonly number[],
): number[] {
  const seen = new Set(observed);
  const after = aggregation === 'last' ? Math.max(0, ...observed) : 0;
  return remainingReportingMonths(cadence, after).filter((m) => !seen.has(m));
}

/** The forecast of one key result after the month `through`. */
export function forecastKeyResult(input: ForecastInput): KeyResultForecast {
  const { keyResult: kr, through } = input;
  const { year } = parseMonthPeriod(through);
  const ofYear = input.values.filter(
    (v) => v.period.slice(0, 4) === String(year) && v.period <= through && /^\d{4}-\d{2}$/.test(v.period),
  );
  const direction = kr.direction;
  if (direction.kind === 'milestone') {
    const done = ofYear.some((v) => v.done === true || (v.value !== null && new Decimal(v.value).eq(1)));
    // Missed for certain: not done and the due date fell in or before the forecast month.
    const warning = !done && direction.dueDate.slice(0, 7) <= through;
    return { kind: 'milestone', through, done, dueDate: direction.dueDate, warning };
  }
  const numeric = ofYear
    .filter((v): v is ForecastValue & { value: string } => v.value !== null && v.value !== '')
    .map((v) => ({
      month: parseMonthPeriod(v.period).month,
      value: Number(v.value),
      exact: new Decimal(v.value),
    }));
  if (direction.kind === 'zeroTolerance') {
    const occurrences = numeric.reduce((s, o) => s.plus(o.exact), new Decimal(0));
    return { kind: 'zeroTolerance', through, occurrences: occurrences.toFixed(), warning: occurrences.gt(0) };
  }
  if (kr.aggregation === 'allDone') return { kind: 'none', through, reason: 'not-numeric' };
  const finite = (x: string | undefined) => x !== undefined && x.trim() !== '' && Number.isFinite(Number(x));
  if (direction.kind === 'range' ? !finite(direction.lo) || !finite(direction.hi) : !finite(kr.target))
    return { kind: 'none', through, reason: 'no-target' };
  const projection = projectSeries({
    aggregation: kr.aggregation,
    observations: numeric.map(({ month: m, value }) => ({ month: m, value })),
    futureMonths: unreportedMonths(
      kr.aggregation,
      kr.cadence,
      numeric.map((o) => o.month),
    ),
    fallbackScale: Math.abs(Number(direction.kind === 'range' ? direction.hi : kr.target)) || 1,
    seedKey: `${kr.id}|${through}`,
  });
  if (!projection) return { kind: 'none', through, reason: 'too-few-values' };
  const tail = (1 - BAND_LEVEL) / 2;
  let pMiss: number;
  let target: string;
  if (direction.kind === 'range') {
    const lo = Number(direction.lo);
    const hi = Number(direction.hi);
    pMiss = below(projection, lo) + (1 - projection.cdf(hi));
    target = `${direction.lo}–${direction.hi}`;
  } else {
    const t = Number(kr.target);
    pMiss = direction.kind === 'lower' ? 1 - projection.cdf(t) : below(projection, t);
    target = new Decimal(kr.target).toFixed();
  }
  pMiss = Math.min(1, Math.max(0, pMiss));
  return {
    kind: 'projection',
    through,
    method: projection.method,
    observations: projection.n,
    projected: shown(projection.center),
    low: shown(projection.quantile(tail)),
    high: shown(projection.quantile(1 - tail)),
    target,
    pMiss: new Decimal(pMiss).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    warning: pMiss >= WARNING_PROBABILITY,
  };
}

/** P(year value < x): strictly below (a value equal to a higher-is-better target meets it). */
function below(p: Projection, x: number): number {
  if (p.method === 'final') return p.center < x ? 1 : 0;
  return p.cdf(x - Math.abs(x) * 1e-12);
}
