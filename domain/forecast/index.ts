// The forecast and early warning (issue 7 point 3; docs/forecast.md).
export {
  BAND_LEVEL,
  type ForecastInput,
  type ForecastValue,
  forecastKeyResult,
  type KeyResultForecast,
  remainingReportingMonths,
  unreportedMonths,
  WARNING_PROBABILITY,
} from './forecast.ts';
export { FORECAST_PARAMETERS, type Observation, type Projection, projectSeries } from './project.ts';
