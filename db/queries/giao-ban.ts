// Read queries of the giao ban API (api/routes/giao-ban.ts) over the workflow's read model (migration 0550): the
// sessions of a province's year (those with no workflow yet from the calendar), a session's units with their
// quarterly report's status (live: sent, late — at or after the `quarter-report.<period>` deadline — or missing),
// dossier, conclusion and directions, and a unit's directions over all sessions.
import type { GiaoBanDates } from '../../domain/giao-ban/dates.ts';
import type {
  CompletionLevel,
  DirectionStatus,
  GiaoBanAgenda,
  GiaoBanPhase,
} from '../../domain/giao-ban/model.ts';
import { parseSessionKey } from '../../domain/giao-ban/model.ts';
import type { Executor } from '../executor.ts';
import '../schema-giao-ban.ts';
import '../schema-quarterly-reports.ts';
import { provinceCalendarOfYear } from './calendar.ts';
import { giaoBanInputFor } from './giao-ban-workflow-input.ts';

export interface SessionInfo {
  session: string;
  provinceId: string;
  provinceName: string;
  phase: GiaoBanPhase | null;
  dates: Pick<GiaoBanDates, 'dossierDate' | 'sessionDate' | 'conclusionsDue'> | null;
  dossiersSentAt: Date | null;
  publishedAt: Date | null;
  hasMinutes: boolean;
  /** The frozen agenda's units (in order), absent before the dossier day. */
  agenda: { unitId: string; unitName: string }[] | null;
}

/** The session keys of a year in the order they sit: Q1, Q2, Q3, the year-end review, Q4 (January). */
export const sessionsOfYear = (year: number) => [
  `${year}-Q1`,
  `${year}-Q2`,
  `${year}-Q3`,
  `${year}-year`,
  `${year}-Q4`,
];

/** The quarterly report a session reviews: its quarter's; the year-end session the Q3 report. */
export function reportPeriodOf(session: string): string {
  const { year, quarter } = parseSessionKey(session);
  return quarter === null ? `${year}-Q3` : session;
}

export async function sessionInfo(
  executor: Executor,
  provinceId: string,
  session: string,
): Promise<SessionInfo | undefined> {
  const province = await executor
    .selectFrom('org_unit')
    .select(['name_vi', 'parent_id'])
    .where('id', '=', provinceId)
    .executeTakeFirst();
  if (!province || province.parent_id !== null) return undefined;
  const row = await executor
    .selectFrom('giao_ban_session')
    .select([
      'phase',
      'dossier_date',
      'session_date',
      'conclusions_due',
      'dossiers_sent_at',
      'published_at',
      'agenda',
      'minutes_sha256',
    ])
    .where('province_id', '=', provinceId)
    .where('session', '=', session)
    .executeTakeFirst();
  const base = { session, provinceId, provinceName: province.name_vi };
  if (row) {
    const agenda = row.agenda as unknown as GiaoBanAgenda | null;
    return {
      ...base,
      phase: row.phase,
      dates: {
        dossierDate: row.dossier_date,
        sessionDate: row.session_date,
        conclusionsDue: row.conclusions_due,
      },
      dossiersSentAt: row.dossiers_sent_at,
      publishedAt: row.published_at,
      hasMinutes: row.minutes_sha256 !== null,
      agenda: agenda ? agenda.items.map((i) => ({ unitId: i.unitId, unitName: i.unitName })) : null,
    };
  }
  const input = await giaoBanInputFor(executor, { provinceId, session });
  return {
    ...base,
    phase: null,
    dates: input
      ? {
          dossierDate: input.dates.dossierDate,
          sessionDate: input.dates.sessionDate,
          conclusionsDue: input.dates.conclusionsDue,
        }
      : null,
    dossiersSentAt: null,
    publishedAt: null,
    hasMinutes: false,
    agenda: null,
  };
}

/** The units a session reviews: the frozen agenda, else the active units directly under the province on `day`. */
export async function sessionUnits(
  executor: Executor,
  info: SessionInfo,
  day: string,
): Promise<{ unitId: string; unitName: string }[]> {
  if (info.agenda) return info.agenda;
  const rows = await executor
    .selectFrom('org_unit')
    .select(['id', 'name_vi'])
    .where('parent_id', '=', info.provinceId)
    .where('id', '!=', info.provinceId)
    .where('active_from', '<=', day)
    .where((eb) => eb.or([eb('active_to', 'is', null), eb('active_to', '>=', day)]))
    .orderBy('code')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ unitId: r.id, unitName: r.name_vi }));
}

export interface UnitReportStatus {
  status: 'sent' | 'late' | 'missing';
  sentAt: Date | null;
  dueDate: string | null;
}

/** The units' quarterly reports of the period a session reviews, now. */
export async function reportStatusesOf(
  executor: Executor,
  provinceId: string,
  session: string,
  unitIds: readonly string[],
): Promise<Map<string, UnitReportStatus>> {
  const period = reportPeriodOf(session);
  const cal = await provinceCalendarOfYear(executor, provinceId, Number(period.slice(0, 4)));
  const deadline = cal?.calendar.deadlines.find((d) => d.id === `quarter-report.${period}`);
  const sent = unitIds.length
    ? await executor
        .selectFrom('quarterly_unit_report')
        .select(['unit_id', 'sent_at'])
        .where('period', '=', period)
        .where('unit_id', 'in', [...unitIds])
        .execute()
    : [];
  const at = new Map(sent.map((s) => [s.unit_id, new Date(s.sent_at)]));
  const out = new Map<string, UnitReportStatus>();
  for (const id of unitIds) {
    const s = at.get(id) ?? null;
    out.set(id, {
      status: !s ? 'missing' : deadline && s.getTime() >= deadline.dueAt ? 'late' : 'sent',
      sentAt: s,
      dueDate: deadline?.date ?? null,
    });
  }
  return out;
}

export interface ConclusionOut {
  completionLevel: CompletionLevel;
  summary: string;
  planDecision: 'approved' | 'adjusted' | null;
  planNote: string | null;
  directions: { text: string; dueDate: string | null }[];
  revision: number;
}

export async function conclusionsOf(
  executor: Executor,
  provinceId: string,
  session: string,
): Promise<Map<string, ConclusionOut>> {
  const rows = await executor
    .selectFrom('giao_ban_conclusion')
    .selectAll()
    .where('province_id', '=', provinceId)
    .where('session', '=', session)
    .execute();
  return new Map(
    rows.map((r) => [
      r.unit_id,
      {
        completionLevel: r.completion_level,
        summary: r.summary,
        planDecision: r.plan_decision,
        planNote: r.plan_note,
        directions: (r.directions as unknown as { text: string; dueDate: string | null }[]) ?? [],
        revision: r.revision,
      },
    ]),
  );
}

export interface DirectionOut {
  id: string;
  session: string;
  unitId: string;
  /** The unit's name (org_unit.name_vi). */
  unitName: string;
  ordinal: number;
  text: string;
  dueDate: string | null;
  status: DirectionStatus;
  note: string | null;
  taskId: string | null;
  updatedAt: Date;
}

const directionColumns = [
  'd.id',
  'd.session',
  'd.unit_id',
  'u.name_vi as unit_name',
  'd.ordinal',
  'd.text',
  'd.due_date',
  'd.status',
  'd.status_note',
  'd.task_id',
  'd.updated_at',
  'd.province_id',
] as const;
const toDirection = (r: {
  id: string;
  session: string;
  unit_id: string;
  unit_name: string;
  ordinal: number;
  text: string;
  due_date: string | null;
  status: DirectionStatus;
  status_note: string | null;
  task_id: string | null;
  updated_at: Date;
}): DirectionOut => ({
  id: r.id,
  session: r.session,
  unitId: r.unit_id,
  unitName: r.unit_name,
  ordinal: r.ordinal,
  text: r.text,
  dueDate: r.due_date,
  status: r.status,
  note: r.status_note,
  taskId: r.task_id,
  updatedAt: new Date(r.updated_at),
});

export async function directionsOfSession(
  executor: Executor,
  provinceId: string,
  session: string,
): Promise<DirectionOut[]> {
  const rows = await executor
    .selectFrom('giao_ban_direction as d')
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .select(directionColumns)
    .where('d.province_id', '=', provinceId)
    .where('d.session', '=', session)
    .orderBy('d.unit_id')
    .orderBy('d.ordinal')
    .execute();
  return rows.map(toDirection);
}

/** A unit's directions of every session, newest session first. */
export async function directionsOfUnit(executor: Executor, unitId: string): Promise<DirectionOut[]> {
  const rows = await executor
    .selectFrom('giao_ban_direction as d')
    .innerJoin('giao_ban_session as s', (j) =>
      j.onRef('s.province_id', '=', 'd.province_id').onRef('s.session', '=', 'd.session'),
    )
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .select([
      'd.id',
      'd.session',
      'd.unit_id',
      'u.name_vi as unit_name',
      'd.ordinal',
      'd.text',
      'd.due_date',
      'd.status',
      'd.status_note',
      'd.task_id',
      'd.updated_at',
    ])
    .where('d.unit_id', '=', unitId)
    .orderBy('s.session_date', 'desc')
    .orderBy('d.ordinal')
    .execute();
  return rows.map(toDirection);
}

export async function directionById(
  executor: Executor,
  id: string,
): Promise<(DirectionOut & { provinceId: string; phase: GiaoBanPhase }) | undefined> {
  const r = await executor
    .selectFrom('giao_ban_direction as d')
    .innerJoin('giao_ban_session as s', (j) =>
      j.onRef('s.province_id', '=', 'd.province_id').onRef('s.session', '=', 'd.session'),
    )
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .select([
      'd.id',
      'd.session',
      'd.unit_id',
      'u.name_vi as unit_name',
      'd.ordinal',
      'd.text',
      'd.due_date',
      'd.status',
      'd.status_note',
      'd.task_id',
      'd.updated_at',
      'd.province_id',
      's.phase',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
  return r ? { ...toDirection(r), provinceId: r.province_id, phase: r.phase } : undefined;
}

export async function dossierPdf(
  executor: Executor,
  provinceId: string,
  session: string,
  unitId: string,
): Promise<{ pdf: Buffer; sha256: string } | undefined> {
  const r = await executor
    .selectFrom('giao_ban_dossier')
    .select(['pdf', 'pdf_sha256'])
    .where('province_id', '=', provinceId)
    .where('session', '=', session)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  return r ? { pdf: r.pdf, sha256: r.pdf_sha256 } : undefined;
}

export async function dossierUnits(
  executor: Executor,
  provinceId: string,
  session: string,
): Promise<Set<string>> {
  const rows = await executor
    .selectFrom('giao_ban_dossier')
    .select('unit_id')
    .where('province_id', '=', provinceId)
    .where('session', '=', session)
    .execute();
  return new Set(rows.map((r) => r.unit_id));
}

export async function minutesPdf(
  executor: Executor,
  provinceId: string,
  session: string,
): Promise<{ pdf: Buffer; sha256: string } | undefined> {
  const r = await executor
    .selectFrom('giao_ban_session')
    .select(['minutes_pdf', 'minutes_sha256'])
    .where('province_id', '=', provinceId)
    .where('session', '=', session)
    .executeTakeFirst();
  return r?.minutes_pdf && r.minutes_sha256 ? { pdf: r.minutes_pdf, sha256: r.minutes_sha256 } : undefined;
}

/** The provinces of the given units (a person's grant scopes), ordered. */
export async function provincesOfUnits(executor: Executor, unitIds: readonly string[]): Promise<string[]> {
  if (!unitIds.length) return [];
  const rows = await executor
    .selectFrom('org_unit')
    .select('province_id')
    .distinct()
    .where('id', 'in', [...unitIds])
    .orderBy('province_id')
    .execute();
  return rows.map((r) => r.province_id);
}
