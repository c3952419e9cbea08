// Kysely types of the monthly unit report (migration 0440_monthly_report), added to DB by module augmentation.
import type { ColumnType, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json } from './schema.ts';

export interface MonthlyUnitReportTable {
  unit_id: string;
  /** 'YYYY-MM'. */
  period: string;
  number: string | null;
  /** The date printed on the report (yyyy-mm-dd, Asia/Ho_Chi_Minh). */
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
    monthly_unit_report: MonthlyUnitReportTable;
  }
}

export type MonthlyUnitReportRow = Selectable<MonthlyUnitReportTable>;
