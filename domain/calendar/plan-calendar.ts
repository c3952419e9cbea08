// The plan-year calendar of one plan (DESIGN §3): the province's calendar with the administrator's moves,
// and for a plan decomposed from a unit's plan its own plan deadlines sequenced before the Q1 plan date —
// persons first, departments 2 working days later, the unit (the Q1 plan date itself) 2 more. The API
// starts plan workflows with it and a calendar change re-sends it to running ones, so both agree.
import {
  computePlanYearCalendar,
  DEFAULT_PLAN_YEAR_SETTINGS,
  deadlineById,
  type PlanYearCalendar,
  type PlanYearSettings,
} from './plan-year.ts';
import type { CalendarProfile, LocalDate } from './profile.ts';
import { sequenceByLevel } from './sequencing.ts';
import { workingCalendar } from './working-days.ts';

/** 'unit': a unit's own plan (submitted to the province); 'department' and 'person': decomposed plans. */
export type PlanLevel = 'unit' | 'department' | 'person';

export function planCalendarFor(
  profile: CalendarProfile,
  year: number,
  level: PlanLevel,
  /** The administrator's moves for this plan year (deadline id → date). */
  moves: Record<string, LocalDate> = {},
  settings: PlanYearSettings = DEFAULT_PLAN_YEAR_SETTINGS,
): PlanYearCalendar {
  const province = computePlanYearCalendar(profile, year, settings, moves);
  if (level === 'unit') return province;
  const q1 = deadlineById(province, 'plan.q1').date;
  const levels = sequenceByLevel(profile, workingCalendar(profile).addWorkingDays(q1, -4));
  const submit = levels.find((l) => l.level === level)?.date ?? q1;
  return computePlanYearCalendar(profile, year, settings, {
    ...moves,
    'plan.submit': submit,
    'plan.approve': q1,
  });
}

/** True when two calendars of the same plan year have the same due dates (nothing to tell running plans). */
export function sameDueDates(a: PlanYearCalendar, b: PlanYearCalendar): boolean {
  if (a.deadlines.length !== b.deadlines.length) return false;
  const dates = new Map(a.deadlines.map((d) => [d.id, d.date]));
  return b.deadlines.every((d) => dates.get(d.id) === d.date);
}
