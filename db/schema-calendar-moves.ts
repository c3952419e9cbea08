// Kysely types of administrators' deadline moves and the calendar-change outbox (migration 0340_deadline_move), added to DB by module
// augmentation so the core schema file stays as it is.
import type { ColumnType, Selectable } from 'kysely';

export interface DeadlineMoveTable {
  profile_id: string;
  plan_year: number;
  deadline_id: string;
  to_date: ColumnType<string, string, string>;
  reason: string;
  moved_by: string;
  moved_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CalendarChangeTable {
  id: string;
  province_id: string;
  /** The workflows/calendar-change.ts input, as JSON. */
  input: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

declare module './schema.ts' {
  interface DB {
    deadline_move: DeadlineMoveTable;
    calendar_change: CalendarChangeTable;
  }
}

export type DeadlineMoveRow = Selectable<DeadlineMoveTable>;
