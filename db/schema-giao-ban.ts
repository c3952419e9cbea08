// Kysely types of the giao ban read model (migration 0550_giao_ban), added to DB by module augmentation.
import type { ColumnType, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json, JsonValue } from './schema.ts';

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type LocalDateColumn = ColumnType<string, string, string>;

export interface GiaoBanSessionTable {
  province_id: string;
  /** 'YYYY-Qn' (the quarter reviewed) or 'YYYY-year' (the December year-end review session). */
  session: string;
  workflow_id: string;
  phase: 'REPORTING' | 'DOSSIERS_SENT' | 'IN_SESSION' | 'PUBLISHED' | 'CLOSED';
  session_date: LocalDateColumn;
  dossier_date: LocalDateColumn;
  conclusions_due: LocalDateColumn;
  /** domain/giao-ban/model.ts GiaoBanAgenda, frozen when the dossiers are sent. */
  agenda: Json | null;
  dossiers_sent_at: NullableTimestamp;
  /** domain/giao-ban/model.ts GiaoBanMinutes, frozen when published. */
  minutes: Json | null;
  minutes_pdf: Buffer | null;
  minutes_sha256: string | null;
  published_at: NullableTimestamp;
  published_by: string | null;
  updated_at: GeneratedTimestamp;
}

export interface GiaoBanDossierTable {
  province_id: string;
  session: string;
  unit_id: string;
  /** domain/giao-ban/model.ts UnitDossier. */
  model: Json;
  pdf: Buffer;
  pdf_sha256: string;
  built_at: GeneratedTimestamp;
}

export interface GiaoBanConclusionTable {
  province_id: string;
  session: string;
  unit_id: string;
  completion_level: 'excellent' | 'good' | 'fulfilled' | 'not-fulfilled';
  summary: string;
  plan_decision: 'approved' | 'adjusted' | null;
  plan_note: string | null;
  /** The directions as recorded ([{ text, dueDate }]); they become giao_ban_direction rows when published. */
  directions: ColumnType<JsonValue, JsonValue | string | undefined, JsonValue | string>;
  revision: number;
  recorded_by: string;
  recorded_at: GeneratedTimestamp;
}

export interface GiaoBanDirectionTable {
  id: string;
  province_id: string;
  session: string;
  unit_id: string;
  /** 1, 2, … within the session and unit. */
  ordinal: number;
  text: string;
  due_date: ColumnType<string | null, string | null | undefined, string | null>;
  status: 'open' | 'in-progress' | 'done';
  status_note: string | null;
  task_id: string | null;
  updated_by: string | null;
  updated_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    giao_ban_session: GiaoBanSessionTable;
    giao_ban_dossier: GiaoBanDossierTable;
    giao_ban_conclusion: GiaoBanConclusionTable;
    giao_ban_direction: GiaoBanDirectionTable;
  }
}

export type GiaoBanSessionRow = Selectable<GiaoBanSessionTable>;
export type GiaoBanDirectionRow = Selectable<GiaoBanDirectionTable>;
