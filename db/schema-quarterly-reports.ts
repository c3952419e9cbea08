// Kysely types of the quarterly unit report (migration 0540_quarterly_report), added to DB by module augmentation.
import type { ColumnType, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json } from './schema.ts';

export interface QuarterlyReportNarrativeTable {
  unit_id: string;
  /** 'YYYY-Qn'. */
  period: string;
  results: string;
  difficulties: string;
  next_focus: string;
  revision: number;
  updated_by: string;
  updated_at: GeneratedTimestamp;
}

export interface QuarterlyUnitReportTable {
  unit_id: string;
  /** 'YYYY-Qn'. */
  period: string;
  number: string | null;
  report_date: ColumnType<string, string, string>;
  model: Json;
  model_sha256: string;
  pdf: Buffer;
  pdf_sha256: string;
  xlsx: Buffer;
  xlsx_sha256: string;
  workflow_id: string;
  sent_by: string;
  on_behalf_of: string | null;
  sent_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    quarterly_report_narrative: QuarterlyReportNarrativeTable;
    quarterly_unit_report: QuarterlyUnitReportTable;
  }
}

export type QuarterlyReportNarrativeRow = Selectable<QuarterlyReportNarrativeTable>;
