// Kysely types of key-result reassignments (migration 0460_key_result_assignment), added to DB by module
// augmentation.
import type { Generated, Selectable } from 'kysely';
import type { GeneratedTimestamp } from './schema.ts';

export interface KeyResultAssignmentTable {
  id: Generated<string>;
  plan_id: string;
  key_result_id: string;
  /** Who reported it before; null: the plan content's owner. */
  from_person_id: string | null;
  to_person_id: string;
  /** 'YYYY-MM': the first period the new owner reports. */
  effective_period: string;
  reason: string;
  changed_by: string;
  changed_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    key_result_assignment: KeyResultAssignmentTable;
  }
}

export type KeyResultAssignmentRow = Selectable<KeyResultAssignmentTable>;
