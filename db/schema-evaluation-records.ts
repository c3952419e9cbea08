// Kysely types of the year-end evaluation records (migration 0610_evaluation_records): discipline decisions and
// conclusions, the duty group and the Party membership of a person; added to DB by module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ConclusionKind, DisciplineForm } from '../domain/scoring/records.ts';
import type { GeneratedTimestamp } from './schema.ts';

export type EvaluationRecordKind = 'discipline' | 'conclusion';
export type EvaluationSubjectKind = 'person' | 'unit';

export interface EvaluationRecordTable {
  id: Generated<string>;
  record_kind: EvaluationRecordKind;
  subject_kind: EvaluationSubjectKind;
  /** The person the record is about (subject_kind 'person'). */
  person_id: string | null;
  /** The unit the record is about, or the person's unit on the decision date. */
  unit_id: string;
  discipline_type: 'party' | 'state' | null;
  discipline_form: DisciplineForm | null;
  conclusion_kind: ConclusionKind | null;
  decision_number: string;
  /** yyyy-mm-dd. */
  decided_on: ColumnType<string, string, string>;
  issuer: string;
  created_by: string;
  created_at: GeneratedTimestamp;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_by: ColumnType<string | null, string | null | undefined, string | null>;
  revoke_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PersonDutyGroupTable {
  person_id: string;
  effective_from: ColumnType<string, string, string>;
  /** The agency whose quota groups the duty group belongs to. */
  unit_id: string;
  duty_group: string;
  set_by: string;
  set_at: GeneratedTimestamp;
}

export interface PersonPartyMembershipTable {
  person_id: string;
  effective_from: ColumnType<string, string, string>;
  is_member: boolean;
  set_by: string;
  set_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    evaluation_record: EvaluationRecordTable;
    person_duty_group: PersonDutyGroupTable;
    person_party_membership: PersonPartyMembershipTable;
  }
}

export type EvaluationRecordRow = Selectable<EvaluationRecordTable>;
