// Catalogue accessors for codes the API sends (roles, unit types, …): every visible word from the catalogues.
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { RoleCode } from '#lib/session.ts';

const ROLE: Record<RoleCode, () => string> = {
  official: m.role_official,
  supervisor: m.role_supervisor,
  unit_head: m.role_unit_head,
  secretariat: m.role_secretariat,
  standing_committee: m.role_standing_committee,
  organisation_department: m.role_organisation_department,
  administrator: m.role_administrator,
  auditor: m.role_auditor,
};
export const ROLE_CODES = Object.keys(ROLE) as RoleCode[];

/** A label from a table of catalogue accessors, or the code itself when the catalogue has none. */
const lookup = (table: Record<string, () => string>, code: string) => table[code]?.() ?? code;

export const roleLabel = (code: string) => lookup(ROLE, code);

/** A list of labels joined by the catalogue's separator. */
export const joinList = (items: string[]) => items.join(m.list_separator());

const UNIT_TYPE: Record<string, () => string> = {
  province: m.type_province,
  agency: m.type_agency,
  party_body: m.type_party_body,
  commune: m.type_commune,
  ward: m.type_ward,
  department: m.type_department,
};
export const unitTypeLabel = (code: string) => lookup(UNIT_TYPE, code);

/** A unit's name in the reader's language (Vietnamese when it has no English name). */
export const unitName = (u: { nameVi: string; nameEn?: string | null }) =>
  getLocale() === 'en' && u.nameEn ? u.nameEn : u.nameVi;

/** Today in Vietnam (yyyy-mm-dd), the default of date fields. */
export const todayVn = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

const ENTITY: Record<string, () => string> = {
  org_unit: m.entity_org_unit,
  person: m.entity_person,
  role_assignment: m.entity_role_assignment,
  approval_chain: m.entity_approval_chain,
  calendar_profile: m.entity_calendar_profile,
  metric_template: m.entity_metric_template,
  conversion_catalogue: m.entity_conversion_catalogue,
};
export const AUDITED_TYPES = Object.keys(ENTITY);
export const entityLabel = (code: string) => lookup(ENTITY, code);

/** A moment in Vietnam's time zone, in the reader's locale. */
export const formatMoment = (iso: string) =>
  new Intl.DateTimeFormat(getLocale() === 'en' ? 'en-GB' : 'vi-VN', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(iso));

const DUTY: Record<string, () => string> = {
  cadre: m.duty_cadre,
  civil_servant: m.duty_civil_servant,
  public_employee: m.duty_public_employee,
  worker: m.duty_worker,
};
export const DUTY_GROUPS = Object.keys(DUTY);
export const dutyLabel = (code: string) => lookup(DUTY, code);

/** Text folded for searching: no diacritics (đ → d), lower case. */
export const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();

const SUBJECT: Record<string, () => string> = {
  plan: m.subject_plan,
  amendment: m.subject_amendment,
  period_reopen: m.subject_period_reopen,
  delegation: m.subject_delegation,
  evaluation: m.subject_evaluation,
};
export const SUBJECTS = Object.keys(SUBJECT);
export const subjectLabel = (code: string) => lookup(SUBJECT, code);

const SCOPE: Record<string, () => string> = {
  unit: m.scope_unit,
  parent: m.scope_parent,
  province: m.scope_province,
};
export const STEP_SCOPES = Object.keys(SCOPE);
export const scopeLabel = (code: string) => lookup(SCOPE, code);

const WEEKDAY: Record<string, () => string> = {
  1: m.weekday_1,
  2: m.weekday_2,
  3: m.weekday_3,
  4: m.weekday_4,
  5: m.weekday_5,
  6: m.weekday_6,
  7: m.weekday_7,
};
export const weekdayLabel = (n: number) => lookup(WEEKDAY, String(n));

const DIRECTION: Record<string, () => string> = {
  higher: m.direction_higher,
  lower: m.direction_lower,
  range: m.direction_range,
  milestone: m.direction_milestone,
  zeroTolerance: m.direction_zeroTolerance,
};
export const DIRECTIONS = Object.keys(DIRECTION);
export const directionLabel = (code: string) => lookup(DIRECTION, code);

const AGGREGATION: Record<string, () => string> = {
  sum: m.aggregation_sum,
  average: m.aggregation_average,
  last: m.aggregation_last,
  min: m.aggregation_min,
  max: m.aggregation_max,
  allDone: m.aggregation_allDone,
};
export const AGGREGATIONS = Object.keys(AGGREGATION);
export const aggregationLabel = (code: string) => lookup(AGGREGATION, code);

const PERSPECTIVE: Record<string, () => string> = {
  citizens: m.perspective_citizens,
  budget: m.perspective_budget,
  processes: m.perspective_processes,
  learning: m.perspective_learning,
};
export const PERSPECTIVES = Object.keys(PERSPECTIVE);
export const perspectiveLabel = (code: string) => lookup(PERSPECTIVE, code);
