// My calendar (issue 7 point 5): the dated items of one person, gathered from their sources, and the private
// feed tokens a phone calendar subscribes with. Every source answers plain CalendarItems; a new kind of item
// (the giao ban sessions of the people who take part in them) is one more source in CALENDAR_SOURCES.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { computePlanYearCalendar } from '../../domain/calendar/plan-year.ts';
import type { Executor } from '../executor.ts';
import type { FeedLanguage } from '../schema-calendar-feed.ts';
import '../schema-calendar-feed.ts';
import '../schema-check-ins.ts';
import { calendarProfileOfProvince, provinceCalendarOfYear } from './calendar.ts';
import { moveMap } from './deadline-moves.ts';
import { employmentUnitOf } from './org-tree.ts';
import { inboxOf } from './tasks.ts';

/** Where an item comes from: an open task of the read model, the province's plan-year calendar, or a
 *  meeting (the giao ban sessions and their dossier days, from the province's calendar). */
export type CalendarItemSource = 'task' | 'calendar' | 'session';

export interface CalendarItem {
  /** Stable per item across feeds and months (the feed's UID is built from it). */
  key: string;
  source: CalendarItemSource;
  /** The task kind ('check-in.submit', 'plan.submit', …) or the calendar deadline kind ('check-in'). */
  kind: string;
  /** The day it is due (yyyy-mm-dd, Asia/Ho_Chi_Minh). */
  date: string;
  /** 'YYYY-MM' or 'YYYY-Qn' where the item belongs to a period. */
  period: string | null;
  /** Task fields (null for other sources). */
  taskId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: unknown;
}

export interface CalendarRange {
  /** Inclusive yyyy-mm-dd. */
  from: string;
  to: string;
  /** Today in Asia/Ho_Chi_Minh: role grants valid on it; calendar deadlines before it are not listed. */
  today: string;
}

export type CalendarSource = (
  db: Executor,
  personId: string,
  range: CalendarRange,
) => Promise<CalendarItem[]>;

const periodOf = (details: unknown): string | null => {
  const p = (details as { period?: unknown } | null | undefined)?.period;
  return typeof p === 'string' && /^\d{4}-(\d{2}|Q[1-4])$/.test(p) ? p : null;
};

/** My open tasks (assigned to me, to a role I hold in the task's unit, or of a principal I stand in for) due
 *  in the range, from the task read model — every kind the processes create. */
export const openTaskItems: CalendarSource = async (db, personId, range) => {
  const rows = await inboxOf(db, personId, { day: range.today, status: 'open', limit: 1000 });
  const items: CalendarItem[] = [];
  for (const t of rows) {
    if (t.logical_due_date >= range.from && t.logical_due_date <= range.to)
      items.push({
        key: `task:${t.id}`,
        source: 'task',
        kind: t.kind,
        date: t.logical_due_date,
        period: periodOf(t.details),
        taskId: t.id,
        subjectType: t.subject_type,
        subjectId: t.subject_id,
        details: t.details,
      });
    // a month plan bundled with the check-in of the same day is one sitting, but still its own deadline
    if (t.bundled && t.logical_due_date >= range.from && t.logical_due_date <= range.to)
      items.push({
        key: `task:${t.bundled.id}`,
        source: 'task',
        kind: t.bundled.kind,
        date: t.logical_due_date,
        period: t.bundled.period,
        taskId: t.bundled.id,
        subjectType: t.bundled.subjectType,
        subjectId: t.bundled.subjectId,
        details: { period: t.bundled.period },
      });
  }
  return items;
};

/** My monthly check-in deadlines from today on, from my province's plan-year calendar (with the
 *  administrator's moves), for the months no check-in task or submitted check-in of mine covers yet. */
export const checkInDeadlineItems: CalendarSource = async (db, personId, range) => {
  // dates as yyyy-mm-dd strings: the later of the two
  const [, from = range.today] = [range.from, range.today].sort();
  if (from > range.to) return [];
  const unitId = await employmentUnitOf(db, personId, range.today);
  if (!unitId) return [];
  const unit = await db
    .selectFrom('org_unit')
    .select('province_id')
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit) return [];
  const stored = await calendarProfileOfProvince(db, unit.province_id);
  if (!stored) return [];
  const deadlines: { date: string; period: string }[] = [];
  // December's check-in of year Y is due in January Y+1: it belongs to the calendar of Y
  for (let year = Number(from.slice(0, 4)) - 1; year <= Number(range.to.slice(0, 4)); year++) {
    let cal: ReturnType<typeof computePlanYearCalendar>;
    try {
      cal = computePlanYearCalendar(
        stored.profile,
        year,
        undefined,
        await moveMap(db, stored.profile.id, year),
      );
    } catch {
      continue; // a profile that does not cover that year has no calendar for it
    }
    for (const d of cal.deadlines)
      if (d.kind === 'check-in' && d.period && d.date >= from && d.date <= range.to)
        deadlines.push({ date: d.date, period: d.period });
  }
  if (deadlines.length === 0) return [];
  const periods = deadlines.map((d) => d.period);
  const [tasks, checkIns] = await Promise.all([
    db
      .selectFrom('task')
      .select('details')
      .where('assignee_person_id', '=', personId)
      .where('kind', 'in', ['check-in.submit', 'check-in.revise'])
      .where((eb) =>
        eb(eb.fn('jsonb_extract_path_text', [eb.ref('details'), eb.val('period')]), 'in', periods),
      )
      .execute(),
    db
      .selectFrom('check_in')
      .select('period')
      .where('person_id', '=', personId)
      .where('period', 'in', periods)
      .where('status', '!=', 'DRAFT')
      .execute(),
  ]);
  const covered = new Set([...tasks.map((t) => periodOf(t.details)), ...checkIns.map((c) => c.period)]);
  return deadlines
    .filter((d) => !covered.has(d.period))
    .map((d) => ({
      key: `check-in.${d.period}:${personId}`,
      source: 'calendar' as const,
      kind: 'check-in',
      date: d.date,
      period: d.period,
      taskId: null,
      subjectType: null,
      subjectId: null,
      details: null,
    }));
};

/** The deadline kinds of the province calendar that are a giao ban sitting or its dossier day. */
export const SESSION_DEADLINE_KINDS = ['giao-ban', 'giao-ban-dossier', 'review-session'] as const;

/**
 * The provinces whose giao ban sessions the person takes part in on `day` (issue 7 point 5): the province's
 * secretariat and standing committee (roles held at the province), and the head of each unit directly under
 * the province.
 */
export async function giaoBanProvincesOf(db: Executor, personId: string, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_assignment as ra')
    .innerJoin('org_unit as u', 'u.id', 'ra.scope_unit_id')
    .select(['u.id', 'u.province_id', 'u.parent_id', 'ra.role_code'])
    .where('ra.person_id', '=', personId)
    .where('ra.role_code', 'in', ['secretariat', 'standing_committee', 'unit_head'])
    .where('ra.valid_from', '<=', day)
    .where((eb) => eb.or([eb('ra.valid_to', 'is', null), eb('ra.valid_to', '>=', day)]))
    .execute();
  const provinces = new Set<string>();
  for (const r of rows) {
    if (r.role_code === 'unit_head' ? r.parent_id === r.province_id : r.id === r.province_id)
      provinces.add(r.province_id);
  }
  return [...provinces].sort();
}

/** The giao ban sessions of my province in the range, for the people who take part in them: each quarter's
 *  session (`giao-ban.<YYYY-Qn>`), the day its agenda and dossiers are sent, and the year-end review session,
 *  all from the province's plan-year calendar with the administrator's moves. Past ones in the range too. */
export const giaoBanSessionItems: CalendarSource = async (db, personId, range) => {
  const provinces = await giaoBanProvincesOf(db, personId, range.today);
  const items: CalendarItem[] = [];
  for (const provinceId of provinces) {
    // the Q4 session of year Y sits in January Y+1: it belongs to the calendar of Y
    for (let year = Number(range.from.slice(0, 4)) - 1; year <= Number(range.to.slice(0, 4)); year++) {
      const y = await provinceCalendarOfYear(db, provinceId, year);
      if (!y) continue;
      for (const d of y.calendar.deadlines) {
        if (!(SESSION_DEADLINE_KINDS as readonly string[]).includes(d.kind)) continue;
        if (d.date < range.from || d.date > range.to) continue;
        items.push({
          // the plan year too: 'year-end.review-session' is the same id every year
          key: `session:${provinceId}:${year}:${d.id}`,
          source: 'session',
          kind: d.kind,
          date: d.date,
          period: d.period ?? null,
          taskId: null,
          subjectType: null,
          subjectId: null,
          details: { provinceId, planYear: year, deadlineId: d.id, moved: d.origin === 'override' },
        });
      }
    }
  }
  return items;
};

/** The sources of my calendar, in order. */
export const CALENDAR_SOURCES: readonly CalendarSource[] = [
  openTaskItems,
  checkInDeadlineItems,
  giaoBanSessionItems,
];

/** My calendar items in the range, by date then key. */
export async function calendarItemsOf(
  db: Executor,
  personId: string,
  range: CalendarRange,
  sources: readonly CalendarSource[] = CALENDAR_SOURCES,
): Promise<CalendarItem[]> {
  const lists = await Promise.all(sources.map((s) => s(db, personId, range)));
  const byKey = new Map<string, CalendarItem>();
  for (const i of lists.flat()) if (!byKey.has(i.key)) byKey.set(i.key, i);
  return [...byKey.values()].sort((a, b) =>
    a.date === b.date ? a.key.localeCompare(b.key) : a.date < b.date ? -1 : 1,
  );
}

// ---- feed tokens

export const sha256Hex = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new random token (32 bytes, base64url: 43 characters). */
export const newFeedToken = () => randomBytes(32).toString('base64url');

export function feedTokenOf(db: Executor, personId: string) {
  return db
    .selectFrom('calendar_feed_token')
    .select(['person_id', 'language', 'created_at'])
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** Stores the token's hash for the person, replacing any earlier one (rotation). */
export async function saveFeedToken(
  db: Executor,
  personId: string,
  token: string,
  language: FeedLanguage,
  at: Date,
): Promise<void> {
  const row = { person_id: personId, token_sha256: sha256Hex(token), language, created_at: at };
  await db
    .insertInto('calendar_feed_token')
    .values(row)
    .onConflict((oc) =>
      oc.column('person_id').doUpdateSet({ token_sha256: row.token_sha256, language, created_at: at }),
    )
    .execute();
}

/** Deletes the person's token; true when there was one. */
export async function revokeFeedToken(db: Executor, personId: string): Promise<boolean> {
  const r = await db.deleteFrom('calendar_feed_token').where('person_id', '=', personId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The person a token belongs to, or undefined (unknown or revoked). The stored hash is compared in constant
 *  time with the presented token's. */
export async function personOfFeedToken(
  db: Executor,
  token: string,
): Promise<{ personId: string; language: FeedLanguage } | undefined> {
  const hash = sha256Hex(token);
  const row = await db
    .selectFrom('calendar_feed_token')
    .select(['person_id', 'token_sha256', 'language'])
    .where('token_sha256', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const a = Buffer.from(row.token_sha256, 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b)
    ? { personId: row.person_id, language: row.language }
    : undefined;
}
