// Kysely types of the reopen requests of a locked check-in (migration 0420_check_in_reopen), added to DB by
// module augmentation.
import type { ColumnType, Selectable } from 'kysely';
import type { GeneratedTimestamp } from './schema.ts';

export interface CheckInReopenRequestTable {
  /** `${workflowId}:reopen:${number}`. */
  id: string;
  check_in_id: string;
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
}

declare module './schema.ts' {
  interface DB {
    check_in_reopen_request: CheckInReopenRequestTable;
  }
}

export type CheckInReopenRequestRow = Selectable<CheckInReopenRequestTable>;
