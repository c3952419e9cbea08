// Kysely types of check-ins (migration 0410_check_ins), added to DB by module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CheckInStatus, KrStatus } from '../domain/check-in/model.ts';
import type { BigIdentity, GeneratedTimestamp, Json } from './schema.ts';

export interface CheckInTable {
  id: Generated<string>;
  person_id: string;
  unit_id: string;
  /** 'YYYY-MM'. */
  period: string;
  status: ColumnType<CheckInStatus, CheckInStatus | undefined, CheckInStatus>;
  /** The draft revision: +1 on every save of values (the content path's optimistic concurrency). */
  revision: ColumnType<number, number | undefined, number>;
  workflow_id: string | null;
  submitted_version_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface CheckInValueTable {
  id: Generated<string>;
  check_in_id: string;
  plan_id: string;
  /** The plan version in force the key result was read from. */
  plan_version_id: string;
  key_result_id: string;
  /** Canonical decimal string ("1234.5"). */
  value: string | null;
  /** Milestones: done / not done. */
  done: boolean | null;
  /** What was typed. */
  input: string | null;
  kr_status: KrStatus | null;
  confidence: number | null;
  explanation: string | null;
  evidence_ids: ColumnType<string[], string[] | undefined, string[]>;
  revision: ColumnType<number, number | undefined, number>;
  updated_by: string;
  updated_at: GeneratedTimestamp;
  /** Filled by the verification (the check-in workflow's activities). */
  verification: ColumnType<'verified' | 'returned' | null, 'verified' | 'returned' | null | undefined>;
  major_error: ColumnType<boolean | null, boolean | null | undefined>;
  verified_by: ColumnType<string | null, string | null | undefined>;
  verified_at: ColumnType<Date | null, Date | string | null | undefined>;
  verifier_comment: ColumnType<string | null, string | null | undefined>;
}

export interface CheckInValueHistoryTable {
  id: BigIdentity;
  check_in_value_id: string;
  check_in_id: string;
  plan_id: string;
  key_result_id: string;
  period: string;
  /** The value's revision this change made. */
  revision: number;
  old_value: Json | null;
  new_value: Json;
  changed_by: string;
  changed_at: GeneratedTimestamp;
}

export interface CheckInVersionTable {
  id: Generated<string>;
  check_in_id: string;
  number: number;
  content: Json;
  /** sha256 (hex) of the canonical JSON of `content`. */
  hash: string;
  created_by: string;
  created_at: GeneratedTimestamp;
}

export interface KeyResultTargetRevisionTable {
  id: BigIdentity;
  plan_id: string;
  key_result_id: string;
  /** null: the annual target; else '2026-03' or '2026-Q2'. */
  period: string | null;
  old_target: string | null;
  new_target: string | null;
  plan_version_id: string | null;
  changed_by: string;
  changed_at: GeneratedTimestamp;
  reason: string;
}

declare module './schema.ts' {
  interface DB {
    check_in: CheckInTable;
    check_in_value: CheckInValueTable;
    check_in_value_history: CheckInValueHistoryTable;
    check_in_version: CheckInVersionTable;
    key_result_target_revision: KeyResultTargetRevisionTable;
  }
}

export type CheckInRow = Selectable<CheckInTable>;
export type CheckInValueRow = Selectable<CheckInValueTable>;
export type CheckInValueHistoryRow = Selectable<CheckInValueHistoryTable>;
export type CheckInVersionRow = Selectable<CheckInVersionTable>;
export type KeyResultTargetRevisionRow = Selectable<KeyResultTargetRevisionTable>;
