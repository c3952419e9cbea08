// Kysely types of the year-end assessment (migration 0620_year_end_assessment), added to DB by module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json } from './schema.ts';

export type YearEndStatus = 'self-open' | 'self-submitted' | 'supervisor-done' | 'appraised' | 'ready';

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type JsonNullable = ColumnType<Json | null, Json | string | null | undefined, Json | string | null>;
type TimestampNullable = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface YearEndAssessmentTable {
  id: Generated<string>;
  person_id: string;
  unit_id: string;
  year: number;
  status: ColumnType<YearEndStatus, YearEndStatus | undefined, YearEndStatus>;
  /** +1 on every change of the self-assessment draft: optimistic concurrency. */
  revision: ColumnType<number, number | undefined, number>;
  workflow_id: Nullable<string>;
  needs_appraisal: ColumnType<boolean, boolean | undefined, boolean>;
  /** Data through November and the provisional December estimate (the engine's year score, explained). */
  estimate: JsonNullable;
  self_content: ColumnType<Json, Json | string | undefined, Json | string>;
  /** numeric → string (exact). */
  self_score: Nullable<string>;
  self_explanation: JsonNullable;
  self_submitted_by: Nullable<string>;
  self_submitted_at: TimestampNullable;
  supervisor_content: JsonNullable;
  supervisor_score: Nullable<string>;
  proposed_level: Nullable<string>;
  explanation: JsonNullable;
  supervisor_by: Nullable<string>;
  supervisor_at: TimestampNullable;
  appraisal: JsonNullable;
  appraised_by: Nullable<string>;
  appraised_at: TimestampNullable;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    year_end_assessment: YearEndAssessmentTable;
  }
}

export type YearEndAssessmentRow = Selectable<YearEndAssessmentTable>;
