// Kysely types of the unit reports' period locks and reopen requests (migration 0560_unit_report_lock), added to
// DB by module augmentation.
import type { ColumnType, Selectable } from 'kysely';
import type { GeneratedTimestamp } from './schema.ts';

export type UnitReportKind = 'monthly' | 'quarterly';

export interface UnitReportLockTable {
  /** `${workflowId}:lock:${number}`. */
  id: string;
  report_kind: UnitReportKind;
  unit_id: string;
  period: string;
  number: number;
  workflow_id: string;
  window_closed_on: ColumnType<string, string, string>;
  locked_at: GeneratedTimestamp;
}

export interface UnitReportReopenRequestTable {
  /** `${workflowId}:reopen:${number}`. */
  id: string;
  report_kind: UnitReportKind;
  unit_id: string;
  period: string;
  number: number;
  workflow_id: string;
  requested_by: string;
  requested_on_behalf_of: string | null;
  requested_at: GeneratedTimestamp;
  reason: string;
  decision: ColumnType<'approve' | 'reject' | null, 'approve' | 'reject' | null | undefined>;
  decided_by: ColumnType<string | null, string | null | undefined>;
  decided_on_behalf_of: ColumnType<string | null, string | null | undefined>;
  decided_at: ColumnType<Date | null, Date | string | null | undefined>;
  comment: ColumnType<string | null, string | null | undefined>;
  new_due_date: ColumnType<string | null, string | null | undefined>;
}

declare module './schema.ts' {
  interface DB {
    unit_report_lock: UnitReportLockTable;
    unit_report_reopen_request: UnitReportReopenRequestTable;
  }
}

export type UnitReportReopenRequestRow = Selectable<UnitReportReopenRequestTable>;
