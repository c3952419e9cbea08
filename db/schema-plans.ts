// Kysely types of plans, plan versions and the task inbox (migration 0300_plans_tasks), added to DB by
// module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { BigIdentity, DateString, GeneratedTimestamp, Json, JsonValue, Timestamp } from './schema.ts';

export const PLAN_STATUSES = ['DRAFTING', 'SUBMITTED', 'APPRAISED', 'FILED', 'APPROVED', 'CLOSED'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type TaskStatus = 'open' | 'done' | 'cancelled';
export type TaskEventKind =
  | 'opened'
  | 'reminded'
  | 'overdue-reminded'
  | 'escalated'
  | 'forwarded'
  | 'missed'
  | 'deadline-moved'
  | 'closed'
  | 'filed';

type JsonDefault = ColumnType<JsonValue, JsonValue | string | undefined, JsonValue | string>;

export interface PlanTable {
  /** The business key, e.g. 'plan:2027:unit:<uuid>'. */
  id: string;
  owner_kind: 'unit' | 'person';
  unit_id: string | null;
  person_id: string | null;
  year: number;
  status: ColumnType<PlanStatus, PlanStatus | undefined, PlanStatus>;
  phase: ColumnType<string, string | undefined, string>;
  filed: Generated<boolean>;
  submitted_version_id: string | null;
  in_force_version_id: string | null;
  overdue_level: Generated<number>;
  next_deadline_at: Timestamp | null;
  state_version: Generated<number>;
  workflow_id: string | null;
  details: JsonDefault;
  /** The plan this one was decomposed from (migration 0310). */
  parent_plan_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Cascade facts of a decomposed plan: { mandatory: MandatoryShare[] } (api/routes/plans/cascade.ts). */
  cascade: JsonDefault;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface PlanVersionTable {
  id: Generated<string>;
  plan_id: string;
  number: number;
  /** The domain Plan (domain/plan/model.ts). */
  content: Json;
  /** sha256 (hex) of the canonical JSON of `content`. */
  hash: string;
  created_by: string;
  created_at: GeneratedTimestamp;
}

export interface TaskTable {
  /** Stable business key, e.g. 'plan:2027:unit:<uuid>:submit:1'; the UI's updateId. */
  id: string;
  workflow_id: string;
  update_name: string | null;
  kind: string;
  subject_type: string;
  subject_id: string;
  assignee_person_id: string | null;
  assignee_role: string | null;
  assignee_unit_id: string | null;
  due_at: Timestamp;
  logical_due_date: DateString;
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  escalation_level: Generated<number>;
  details: JsonDefault;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
  closed_at: Timestamp | null;
  closed_by: string | null;
}

export interface TaskEventTable {
  id: BigIdentity;
  idempotency_key: string;
  task_id: string;
  kind: TaskEventKind;
  actor: string;
  recipient_role: string | null;
  recipient_person_id: string | null;
  logical_date: DateString | null;
  details: JsonDefault;
  at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    plan: PlanTable;
    plan_version: PlanVersionTable;
    task: TaskTable;
    task_event: TaskEventTable;
  }
}

export type PlanRow = Selectable<PlanTable>;
export type PlanVersionRow = Selectable<PlanVersionTable>;
export type TaskRow = Selectable<TaskTable>;
export type TaskEventRow = Selectable<TaskEventTable>;
