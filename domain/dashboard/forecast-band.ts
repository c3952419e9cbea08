// The forecast band on a unit dashboard's trend (issue 7 point 4, "trends with goal line and forecast band"): the
// year-end projection of docs/forecast.md (key_result_forecast: the median and the 80% band, p10–p90) drawn after
// the month it was made after. The trend it belongs to is the key result's year value so far — its verified values
// through each month combined by its aggregation rule (yearToDateOf), the same scale as the year-end projection and
// the annual target (the goal line). From the month the forecast was made after to December the band widens
// linearly from that month's year-to-date value to the projection's band at year end: the band itself is only
// known at year end; the cone is how it is drawn. Pure: no I/O, no clock.
import { Decimal } from '../scoring/decimal.ts';
import { type DashboardKeyResult, yearToDateOf } from './index.ts';

/** A stored year-end projection (db/queries/dashboards.ts latestProjectionsOf). */
export interface YearEndProjection {
  /** The verified month it was made after ('YYYY-MM'). */
  through: string;
  projected: string;
  low: string;
  high: string;
  target: string | null;
  pMiss: string | null;
  warning: boolean;
}

export interface ForecastBandPoint {
  period: string;
  low: string;
  median: string;
  high: string;
}

export interface ForecastBand extends YearEndProjection {
  /** The year-to-date value at `through` the cone starts from (null when there is none). */
  anchor: string | null;
  /** From `through` (zero width at the anchor) to December (the 80% band and the median). */
  band: ForecastBandPoint[];
  /** The year value so far at each month with a verified value, through the months shown. */
  yearToDate: { period: string; value: string }[];
}

const ONE_D = new Decimal(1);
const two = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed();

/** The band of a key result's projection on its year-to-date trend. */
export function forecastBandOf(
  kr: DashboardKeyResult,
  byPeriod: ReadonlyMap<string, readonly string[]> | undefined,
  projection: YearEndProjection,
  months: readonly string[],
): ForecastBand {
  const year = projection.through.slice(0, 4);
  const from = Number(projection.through.slice(5, 7));
  const anchorYtd = yearToDateOf(kr, byPeriod, projection.through);
  const anchor = anchorYtd ? new Decimal(anchorYtd.value) : undefined;
  const end = {
    low: new Decimal(projection.low),
    median: new Decimal(projection.projected),
    high: new Decimal(projection.high),
  };
  const band: ForecastBandPoint[] = [];
  const start = anchor === undefined || from >= 12 ? 12 : from;
  for (let m = start; m <= 12; m++) {
    const f = start === 12 ? ONE_D : new Decimal(m - start).div(12 - start);
    const at = (x: Decimal) => (anchor === undefined ? x : anchor.plus(x.minus(anchor).times(f)));
    band.push({
      period: `${year}-${String(m).padStart(2, '0')}`,
      low: two(at(end.low)),
      median: two(at(end.median)),
      high: two(at(end.high)),
    });
  }
  const yearToDate = months
    .filter((p) => (byPeriod?.get(p)?.length ?? 0) > 0)
    .flatMap((p) => {
      const y = yearToDateOf(kr, byPeriod, p);
      return y ? [{ period: p, value: y.value }] : [];
    });
  return { ...projection, anchor: anchor ? anchor.toFixed() : null, band, yearToDate };
}
