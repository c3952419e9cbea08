// Kysely table types. Each migration's tables are described here (generated types are not used:
// the schema is small and hand-kept beside the migrations).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A DATE column: read as 'yyyy-mm-dd' (db/connection.ts), written as the same string. */
export type DateString = string;
/** timestamptz: read as Date, written as Date or an ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** JSONB: read as parsed JSON, written as a JSON string or a value kysely/pg serialises. */
export type Json = ColumnType<JsonValue, JsonValue | string, JsonValue | string>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** Identity columns: BIGINT arrives as a string (exact). */
export type BigIdentity = ColumnType<string, never, never>;

export const UNIT_TYPES = ['province', 'agency', 'party_body', 'commune', 'ward', 'department'] as const;
export type UnitTypeCode = (typeof UNIT_TYPES)[number];

export const ROLES = [
  'official',
  'supervisor',
  'unit_head',
  'secretariat',
  'standing_committee',
  'organisation_department',
  'administrator',
  'auditor',
] as const;
export type RoleCode = (typeof ROLES)[number];

export const DUTY_GROUPS = ['cadre', 'civil_servant', 'public_employee', 'worker'] as const;
export type DutyGroup = (typeof DUTY_GROUPS)[number];

export const APPROVAL_SUBJECTS = ['plan', 'amendment', 'period_reopen', 'delegation', 'evaluation'] as const;
export type ApprovalSubject = (typeof APPROVAL_SUBJECTS)[number];
/** Whose role holder approves: the item's own unit, its parent unit, or the province. */
export type ApprovalScope = 'unit' | 'parent' | 'province';

export type MailStatus = 'PENDING' | 'SENT' | 'FAILED';

export interface OrgUnitTypeTable {
  code: string;
  name_vi: string;
  name_en: string;
  is_party: Generated<boolean>;
  ranking_needs_org_appraisal: Generated<boolean>;
}

export interface OrgUnitTable {
  id: Generated<string>;
  type_code: string;
  province_id: string;
  parent_id: string | null;
  code: string;
  name_vi: string;
  short_name_vi: string | null;
  name_en: string | null;
  active_from: DateString;
  active_to: DateString | null;
  merged_into_id: string | null;
  created_at: GeneratedTimestamp;
}

export interface PersonTable {
  id: Generated<string>;
  full_name: string;
  family_name: string | null;
  middle_name: string | null;
  given_name: string | null;
  email: string;
  phone: string | null;
  duty_group: DutyGroup;
  active: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface JobPositionTable {
  code: string;
  title_vi: string;
  title_en: string;
  is_leader: Generated<boolean>;
  rank: Generated<number>;
}

export interface EmploymentTable {
  id: Generated<string>;
  person_id: string;
  org_unit_id: string;
  position_code: string;
  valid_from: DateString;
  valid_to: DateString | null;
  /** A concurrent post (kiêm nhiệm) may overlap the person's main employment. */
  is_concurrent: Generated<boolean>;
  created_at: GeneratedTimestamp;
}

export interface RoleTable {
  code: RoleCode;
  name_vi: string;
  name_en: string;
  read_only: Generated<boolean>;
}

export interface RoleAssignmentTable {
  id: Generated<string>;
  person_id: string;
  role_code: RoleCode;
  scope_unit_id: string;
  valid_from: DateString;
  valid_to: DateString | null;
  created_at: GeneratedTimestamp;
}

export interface ApprovalChainTable {
  id: Generated<string>;
  province_id: string;
  unit_type_code: string;
  subject: ApprovalSubject;
}

export interface ApprovalChainStepTable {
  chain_id: string;
  step_no: number;
  role_code: RoleCode;
  scope: ApprovalScope;
}

export interface CalendarProfileTable {
  id: string;
  province_id: string | null;
  name: string;
  time_zone: Generated<'Asia/Ho_Chi_Minh'>;
  /** ISO weekdays (6 = Saturday, 7 = Sunday). */
  weekend_days: ColumnType<number[], number[] | undefined, number[]>;
  deadline_settings: ColumnType<JsonValue, JsonValue | string | undefined, JsonValue | string>;
  source: string | null;
  updated_at: GeneratedTimestamp;
}

export interface CalendarHolidayTable {
  profile_id: string;
  day: DateString;
  name_vi: string;
  name_en: string;
}

export interface CalendarMakeUpDayTable {
  profile_id: string;
  day: DateString;
}

export interface AuditLogTable {
  id: BigIdentity;
  aggregate_type: string;
  aggregate_id: string;
  seq: number;
  actor: string;
  action: string;
  at: Timestamp;
  before: ColumnType<JsonValue | null, string | null, never>;
  after: ColumnType<JsonValue | null, string | null, never>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  aggregate_type: string;
  aggregate_id: string;
  seq: number;
  hash: string;
  updated_at: GeneratedTimestamp;
}

export interface AuditAnchorTable {
  day: DateString;
  created_at: GeneratedTimestamp;
  head_count: number;
  heads: ColumnType<JsonValue, string, never>;
  prev_anchor_hash: string;
  anchor_hash: string;
}

export interface MailOutboxTable {
  id: Generated<string>;
  idempotency_key: string;
  /** '<local@domain>' — stable per idempotency key so a resent message folds in mail clients. */
  message_id: string;
  person_id: string | null;
  to_addresses: string[];
  subject: string;
  body_text: string;
  body_html: string | null;
  status: ColumnType<MailStatus, MailStatus | undefined, MailStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: GeneratedTimestamp;
  next_attempt_at: GeneratedTimestamp;
  sent_at: Timestamp | null;
}

export interface NotificationTable {
  id: Generated<string>;
  person_id: string;
  idempotency_key: string | null;
  kind: string;
  title_vi: string;
  title_en: string;
  body_vi: string | null;
  body_en: string | null;
  link: string | null;
  created_at: GeneratedTimestamp;
  read_at: Timestamp | null;
}

export interface DB {
  org_unit_type: OrgUnitTypeTable;
  org_unit: OrgUnitTable;
  person: PersonTable;
  job_position: JobPositionTable;
  employment: EmploymentTable;
  role: RoleTable;
  role_assignment: RoleAssignmentTable;
  approval_chain: ApprovalChainTable;
  approval_chain_step: ApprovalChainStepTable;
  calendar_profile: CalendarProfileTable;
  calendar_holiday: CalendarHolidayTable;
  calendar_make_up_day: CalendarMakeUpDayTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  audit_anchor: AuditAnchorTable;
  mail_outbox: MailOutboxTable;
  notification: NotificationTable;
}

export type OrgUnit = Selectable<OrgUnitTable>;
export type NewOrgUnit = Insertable<OrgUnitTable>;
export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type Employment = Selectable<EmploymentTable>;
export type NewEmployment = Insertable<EmploymentTable>;
export type RoleAssignment = Selectable<RoleAssignmentTable>;
export type NewRoleAssignment = Insertable<RoleAssignmentTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type MailOutboxRow = Selectable<MailOutboxTable>;
export type NewMailOutbox = Insertable<MailOutboxTable>;
export type Notification = Selectable<NotificationTable>;
export type NewNotification = Insertable<NotificationTable>;
