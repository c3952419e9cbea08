// Kysely types of period assessments (migration 0430_period_assessment), added to DB by module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp, Json } from './schema.ts';

export type AssessmentStatus = 'draft' | 'confirmed';
export type AssessmentCadence = 'month' | 'quarter';
export type WaiverTargetKind = 'late' | 'major-error';

export interface AssessmentCadenceTable {
  unit_id: string;
  cadence: ColumnType<AssessmentCadence, AssessmentCadence | undefined, AssessmentCadence>;
  updated_by: string;
  updated_at: GeneratedTimestamp;
  /** Migration 0530: the cadence in force before `effective_from` (NULL: `cadence` for every month). */
  previous_cadence: ColumnType<AssessmentCadence | null, AssessmentCadence | null | undefined>;
  /** Migration 0530: the first month ('YYYY-MM', a quarter's first) of `cadence`. */
  effective_from: ColumnType<string | null, string | null | undefined>;
}

export interface PeriodAssessmentTable {
  id: Generated<string>;
  person_id: string;
  unit_id: string;
  /** 'YYYY-MM' or 'YYYY-Qn'. */
  period: string;
  status: ColumnType<AssessmentStatus, AssessmentStatus | undefined, AssessmentStatus>;
  /** +1 on every change of the draft (recompute, waiver, general criteria): optimistic concurrency. */
  revision: ColumnType<number, number | undefined, number>;
  workflow_id: string | null;
  /** The rule set id and version and the ND 335 parameters the computation used. */
  rule_set: ColumnType<Json | null, Json | string | null | undefined, Json | string | null>;
  /** The engine's result: points, explanation (input snapshot, parameters, steps, notes) or an error. */
  computed: ColumnType<Json | null, Json | string | null | undefined, Json | string | null>;
  /** numeric → string (exact). */
  task_points: ColumnType<string | null, string | null | undefined, string | null>;
  general_criteria: ColumnType<Json, Json | string | undefined, Json | string>;
  general_points: ColumnType<string | null, string | null | undefined, string | null>;
  total: ColumnType<string | null, string | null | undefined, string | null>;
  computed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  confirmed_by: ColumnType<string | null, string | null | undefined, string | null>;
  confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PeriodAssessmentWaiverTable {
  id: Generated<string>;
  assessment_id: string;
  target_kind: WaiverTargetKind;
  /** 'late': the month of the late check-in ('YYYY-MM'); 'major-error': '<productId>#<n>' (n-th return). */
  target_ref: string;
  objective_cause: string;
  evidence_ids: ColumnType<string[], string[] | undefined, string[]>;
  recorded_by: string;
  recorded_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    assessment_cadence: AssessmentCadenceTable;
    period_assessment: PeriodAssessmentTable;
    period_assessment_waiver: PeriodAssessmentWaiverTable;
  }
}

export type PeriodAssessmentRow = Selectable<PeriodAssessmentTable>;
export type PeriodAssessmentWaiverRow = Selectable<PeriodAssessmentWaiverTable>;
