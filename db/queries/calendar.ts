import { computePlanYearCalendar, type PlanYearCalendar } from '../../domain/calendar/plan-year.ts';
import type { CalendarProfile } from '../../domain/calendar/profile.ts';
import type { Executor } from '../executor.ts';
import type { JsonValue } from '../schema.ts';
import { moveMap } from './deadline-moves.ts';

export interface StoredCalendarProfile {
  profile: CalendarProfile;
  provinceId: string | null;
  /** Deadline settings (DESIGN §3), free-form JSON owned by the deadline machinery. */
  deadlineSettings: JsonValue;
}

/** Inserts or replaces a calendar profile with its holidays and make-up working days. */
export async function saveCalendarProfile(
  executor: Executor,
  profile: CalendarProfile,
  opts: { provinceId: string | null; deadlineSettings?: JsonValue },
): Promise<void> {
  const row = {
    id: profile.id,
    province_id: opts.provinceId,
    name: profile.name,
    time_zone: profile.timeZone,
    weekend_days: profile.weekendDays,
    deadline_settings: JSON.stringify(opts.deadlineSettings ?? {}),
    source: profile.source ?? null,
  };
  await executor
    .insertInto('calendar_profile')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
  await executor.deleteFrom('calendar_holiday').where('profile_id', '=', profile.id).execute();
  await executor.deleteFrom('calendar_make_up_day').where('profile_id', '=', profile.id).execute();
  if (profile.holidays.length) {
    await executor
      .insertInto('calendar_holiday')
      .values(
        profile.holidays.map((h) => ({
          profile_id: profile.id,
          day: h.date,
          name_vi: h.nameVi,
          name_en: h.nameEn,
        })),
      )
      .execute();
  }
  if (profile.makeUpWorkingDays.length) {
    await executor
      .insertInto('calendar_make_up_day')
      .values(profile.makeUpWorkingDays.map((day) => ({ profile_id: profile.id, day })))
      .execute();
  }
}

export async function loadCalendarProfile(
  executor: Executor,
  id: string,
): Promise<StoredCalendarProfile | undefined> {
  const row = await executor
    .selectFrom('calendar_profile')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const [holidays, makeUp] = await Promise.all([
    executor.selectFrom('calendar_holiday').selectAll().where('profile_id', '=', id).orderBy('day').execute(),
    executor
      .selectFrom('calendar_make_up_day')
      .select('day')
      .where('profile_id', '=', id)
      .orderBy('day')
      .execute(),
  ]);
  const profile: CalendarProfile = {
    id: row.id,
    name: row.name,
    timeZone: 'Asia/Ho_Chi_Minh',
    weekendDays: row.weekend_days.map(Number),
    holidays: holidays.map((h) => ({ date: h.day, nameVi: h.name_vi, nameEn: h.name_en })),
    makeUpWorkingDays: makeUp.map((m) => m.day),
  };
  if (row.source !== null) profile.source = row.source;
  return { profile, provinceId: row.province_id, deadlineSettings: row.deadline_settings };
}

/** The calendar profile of a province (the most recently updated, when there are several). */
export async function calendarProfileOfProvince(
  executor: Executor,
  provinceId: string,
): Promise<StoredCalendarProfile | undefined> {
  const row = await executor
    .selectFrom('calendar_profile')
    .select('id')
    .where('province_id', '=', provinceId)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? loadCalendarProfile(executor, row.id) : undefined;
}

/**
 * The plan-year calendar of a province with the administrator's moves of that year (DESIGN §3): what check-in
 * workflows are started with and what the screens show as a check-in's deadline. Undefined when the province
 * has no calendar profile, or the profile does not cover the year.
 */
export async function provinceCalendarOfYear(
  executor: Executor,
  provinceId: string,
  year: number,
): Promise<{ profile: CalendarProfile; calendar: PlanYearCalendar } | undefined> {
  const stored = await calendarProfileOfProvince(executor, provinceId);
  if (!stored) return undefined;
  try {
    const moves = await moveMap(executor, stored.profile.id, year);
    return {
      profile: stored.profile,
      calendar: computePlanYearCalendar(stored.profile, year, undefined, moves),
    };
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
