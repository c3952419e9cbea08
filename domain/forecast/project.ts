// The year-end projection of a key result's monthly series (docs/forecast.md, issue 7 point 3): a linear
// trend (sum, average, min, max) or a random walk with drift (last: cumulative and year-to-date figures) fitted
// to the verified values of the year, with a Student-t predictive distribution whose scale pools the residuals
// with a prior noise level (so that three points never give a band of zero width). Pure number arithmetic;
// domain/forecast/forecast.ts turns it into decimal strings and a warning.
import type { AggregationRule } from '../plan/model.ts';
import { hash32, normalDraw, seededRandom, studentTCdf, studentTQuantile } from './stats.ts';

/** The method's constants (docs/forecast.md §Parameters). */
export const FORECAST_PARAMETERS = {
  /** Fewest verified values a projection needs. */
  minObservations: 3,
  /** The prior noise level, relative to the series' typical size (monthly values; increments for `last`). */
  priorCv: 0.05,
  /** The floor of the prior noise of a `last` series relative to its latest level. */
  priorLevelCv: 0.01,
  /** The prior's weight in pseudo-degrees of freedom. */
  priorDf: 1,
  /** Draws of the simulation used for min and max. */
  draws: 4000,
} as const;

export interface Observation {
  /** 1..12. */
  month: number;
  value: number;
}

export interface SeriesInput {
  aggregation: Exclude<AggregationRule, 'allDone'>;
  /** The verified values of the year, any order (one per month). */
  observations: readonly Observation[];
  /** The reporting months still to come in the year (after the last forecast month), ascending. */
  futureMonths: readonly number[];
  /** Used when the series has no size of its own (all zeros): the scale the prior noise is relative to. */
  fallbackScale: number;
  /** Seed for the simulated aggregations (min, max). */
  seedKey?: string;
}

export interface Projection {
  method: 'trend' | 'drift' | 'trend-simulated' | 'final';
  /** Observations used. */
  n: number;
  /** The median of the predictive distribution of the year-end value. */
  center: number;
  /** Its quantile at `p`. */
  quantile(p: number): number;
  /** P(year-end value ≤ x). */
  cdf(x: number): number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sumOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** A projection with a degenerate (known) value. */
function known(value: number, n: number): Projection {
  return { method: 'final', n, center: value, quantile: () => value, cdf: (x) => (x >= value ? 1 : 0) };
}

/** A location-scale Student-t projection. */
function studentT(
  method: Projection['method'],
  n: number,
  center: number,
  sd: number,
  df: number,
): Projection {
  if (!(sd > 0)) return { ...known(center, n), method };
  return {
    method,
    n,
    center,
    quantile: (p) => center + sd * studentTQuantile(p, df),
    cdf: (x) => studentTCdf((x - center) / sd, df),
  };
}

/** Projects the year-end value, or undefined when there are fewer than `minObservations` values. */
export function projectSeries(input: SeriesInput): Projection | undefined {
  const obs = [...input.observations].sort((a, b) => a.month - b.month);
  const n = obs.length;
  if (n < FORECAST_PARAMETERS.minObservations) return undefined;
  const ys = obs.map((o) => o.value);
  const future = input.futureMonths;
  if (future.length === 0) {
    // Nothing left to report: the year value is what has been reported.
    return known(aggregateNumbers(input.aggregation, ys), n);
  }
  if (input.aggregation === 'last') return driftProjection(ys, future.length, input.fallbackScale);
  const fit = trendFit(obs, input.fallbackScale);
  if (input.aggregation === 'min' || input.aggregation === 'max')
    return simulatedExtreme(input.aggregation, ys, fit, future, input.seedKey ?? '');
  // sum and average: the year value is a linear function of the future monthly values.
  const total = future.length + n;
  const w = input.aggregation === 'sum' ? 1 : 1 / total;
  const observedPart = input.aggregation === 'sum' ? sumOf(ys) : sumOf(ys) / total;
  const sw = w * future.length;
  const swx = w * sumOf(future.map((k) => k - fit.xBar));
  const center = observedPart + sw * fit.a + swx * fit.b;
  const variance = fit.s2 * (w * w * future.length + (sw * sw) / n + (swx * swx) / fit.sxx);
  return studentT('trend', n, center, Math.sqrt(variance), fit.df);
}

interface TrendFit {
  /** The fitted value at xBar. */
  a: number;
  b: number;
  xBar: number;
  sxx: number;
  /** The pooled noise variance and its degrees of freedom. */
  s2: number;
  df: number;
}

/** Least-squares line through the monthly values, noise pooled with the prior. */
function trendFit(obs: readonly Observation[], fallbackScale: number): TrendFit {
  const n = obs.length;
  const xs = obs.map((o) => o.month);
  const ys = obs.map((o) => o.value);
  const xBar = mean(xs);
  const yBar = mean(ys);
  const sxx = sumOf(xs.map((x) => (x - xBar) ** 2));
  const b = sumOf(obs.map((o) => (o.month - xBar) * (o.value - yBar))) / sxx;
  const ssr = sumOf(obs.map((o) => (o.value - yBar - b * (o.month - xBar)) ** 2));
  const scale = mean(ys.map(Math.abs)) || Math.abs(fallbackScale);
  const prior = FORECAST_PARAMETERS.priorCv * scale;
  const df = FORECAST_PARAMETERS.priorDf + n - 2;
  return { a: yBar, b, xBar, sxx, s2: (FORECAST_PARAMETERS.priorDf * prior * prior + ssr) / df, df };
}

/** `last`: the latest value plus the remaining increments, each drawn around the mean increment so far. */
function driftProjection(ys: readonly number[], steps: number, fallbackScale: number): Projection {
  const d = ys.slice(1).map((y, i) => y - (ys[i] as number));
  const nd = d.length;
  const dBar = mean(d);
  const ssr = sumOf(d.map((x) => (x - dBar) ** 2));
  const last = ys[ys.length - 1] as number;
  const prior = Math.max(
    FORECAST_PARAMETERS.priorCv * (mean(d.map(Math.abs)) || 0),
    FORECAST_PARAMETERS.priorLevelCv * (Math.abs(last) || Math.abs(fallbackScale)),
  );
  const df = FORECAST_PARAMETERS.priorDf + nd - 1;
  const s2 = (FORECAST_PARAMETERS.priorDf * prior * prior + ssr) / df;
  const center = last + steps * dBar;
  return studentT('drift', ys.length, center, Math.sqrt(s2 * (steps + (steps * steps) / nd)), df);
}

/** min and max: simulated from the trend's posterior predictive (flat prior on the line, pooled noise). */
function simulatedExtreme(
  rule: 'min' | 'max',
  ys: readonly number[],
  fit: TrendFit,
  future: readonly number[],
  seedKey: string,
): Projection {
  const random = seededRandom(hash32(`${seedKey}|${rule}|${ys.join(',')}|${future.join(',')}`));
  const n = ys.length;
  const draws: number[] = [];
  const observed = rule === 'max' ? Math.max(...ys) : Math.min(...ys);
  for (let i = 0; i < FORECAST_PARAMETERS.draws; i++) {
    let chi = 0;
    for (let k = 0; k < fit.df; k++) chi += normalDraw(random) ** 2;
    const sigma = Math.sqrt((fit.df * fit.s2) / chi);
    const a = fit.a + (sigma / Math.sqrt(n)) * normalDraw(random);
    const b = fit.b + (sigma / Math.sqrt(fit.sxx)) * normalDraw(random);
    let v = observed;
    for (const k of future) {
      const y = a + b * (k - fit.xBar) + sigma * normalDraw(random);
      v = rule === 'max' ? Math.max(v, y) : Math.min(v, y);
    }
    draws.push(v);
  }
  draws.sort((x, y) => x - y);
  const quantile = (p: number) =>
    draws[Math.min(draws.length - 1, Math.max(0, Math.floor(p * draws.length)))] as number;
  return {
    method: 'trend-simulated',
    n,
    center: quantile(0.5),
    quantile,
    cdf: (x) => {
      let lo = 0;
      let hi = draws.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((draws[mid] as number) <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo / draws.length;
    },
  };
}

function aggregateNumbers(rule: SeriesInput['aggregation'], ys: readonly number[]): number {
  switch (rule) {
    case 'sum':
      return sumOf(ys);
    case 'average':
      return mean(ys);
    case 'last':
      return ys[ys.length - 1] as number;
    case 'min':
      return Math.min(...ys);
    case 'max':
      return Math.max(...ys);
  }
}
