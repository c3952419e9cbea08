// Kysely types of the administration catalogues (migration 0200_admin), added to DB by module augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { DateString, GeneratedTimestamp } from './schema.ts';

export const METRIC_DIRECTIONS = ['higher', 'lower', 'range', 'milestone', 'zeroTolerance'] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];
export const METRIC_AGGREGATIONS = ['sum', 'average', 'last', 'min', 'max', 'allDone'] as const;
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[number];

export interface MetricTemplateTable {
  id: Generated<string>;
  province_id: string;
  code: string;
  title_vi: string;
  title_en: string | null;
  unit: string;
  direction: MetricDirection;
  aggregation: MetricAggregation;
  perspective: 'citizens' | 'budget' | 'processes' | 'learning';
  example_source: string | null;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ConversionCatalogueTable {
  id: Generated<string>;
  unit_id: string;
  version: number;
  valid_from: DateString;
  approved_by: string;
  approved_on: DateString;
  superseded_by_id: string | null;
  created_at: GeneratedTimestamp;
}

export interface ConversionCoefficientTable {
  catalogue_id: string;
  position_code: string;
  product_code: string;
  product_name_vi: string;
  product_name_en: string | null;
  /** NUMERIC: read as an exact decimal string. */
  coefficient: ColumnType<string, string, string>;
}

declare module './schema.ts' {
  interface DB {
    metric_template: MetricTemplateTable;
    conversion_catalogue: ConversionCatalogueTable;
    conversion_coefficient: ConversionCoefficientTable;
  }
}
