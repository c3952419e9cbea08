// The year-end forecast band of a unit dashboard's key result (GET /api/dashboards/unit/{unitId}, keyResults[].forecast;
// domain/dashboard/forecast-band.ts): the latest projection (docs/forecast.md) on the year-to-date trend.
export interface ForecastBand {
  /** The verified month the forecast was made after ('YYYY-MM'). */
  through: string;
  projected: string;
  low: string;
  high: string;
  target: string | null;
  pMiss: string | null;
  warning: boolean;
  anchor: string | null;
  band: { period: string; low: string; median: string; high: string }[];
  yearToDate: { period: string; value: string }[];
}
