// Kysely types of the forecast read model (migration 0500_forecast), added to DB by module augmentation.
import type { Selectable } from 'kysely';
import type { GeneratedTimestamp, Json } from './schema.ts';

export interface KeyResultForecastTable {
  plan_id: string;
  key_result_id: string;
  /** The verified month the forecast was made after ('YYYY-MM'). */
  period: string;
  kind: 'projection' | 'milestone' | 'zeroTolerance' | 'none';
  /** Decimal strings (2 decimals); null unless kind = 'projection'. */
  projected: string | null;
  low: string | null;
  high: string | null;
  target: string | null;
  p_miss: string | null;
  warning: boolean;
  /** The domain forecast (domain/forecast KeyResultForecast). */
  details: Json;
  computed_at: GeneratedTimestamp;
}

export interface ForecastRunTable {
  unit_id: string;
  period: string;
  plans: number;
  warnings: number;
  computed_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    key_result_forecast: KeyResultForecastTable;
    forecast_run: ForecastRunTable;
  }
}

export type KeyResultForecastRow = Selectable<KeyResultForecastTable>;
