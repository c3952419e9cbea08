// The dates of a giao ban session (issue 7 point 2; contract in the lead's giao ban notes): when reporting opens,
// the dossier day (2 working days before), the session day, the conclusions deadline (2 working days after) and
// the end of the follow-up (the next session's dossier day). A quarter's session reads the plan-year calendar
// (`giao-ban.<YYYY-Qn>`, `.dossier`, `.conclusions`); the December year-end review session reads
// `year-end.review-session` and derives the other two with the profile's working calendar (same offsets). Pure.
import { deadlineById, type PlanYearCalendar } from '../calendar/plan-year.ts';
import type { CalendarProfile, LocalDate } from '../calendar/profile.ts';
import { workingCalendar } from '../calendar/working-days.ts';
import { parseSessionKey } from './model.ts';

export interface GiaoBanDates {
  /** Reporting opens: the 1st of the month after the quarter (1 December for the year-end session). */
  opensOn: LocalDate;
  /** 00:00 of this day: the agenda and the dossiers are frozen and sent. */
  dossierDate: LocalDate;
  /** 00:00 of this day: the session sits (IN_SESSION). */
  sessionDate: LocalDate;
  /** The secretariat's conclusions are due (the 'giao-ban.conclude' task). */
  conclusionsDue: LocalDate;
  /** 00:00 of this day the follow-up ends (CLOSED): the next session's dossier day. */
  followUpUntil: LocalDate;
}

/** Dossier and conclusions offsets of the year-end session (the quarters' defaults). */
export const YEAR_END_DOSSIER_WORKING_DAYS_BEFORE = 2;
export const YEAR_END_CONCLUSIONS_WORKING_DAYS_AFTER = 2;

/** The session after `session`: Q1 → Q2 → Q3 → the year-end session (December) → Q4 (January) → next Q1. */
export function nextSessionKey(session: string): string {
  const { year, quarter } = parseSessionKey(session);
  if (quarter === null) return `${year}-Q4`;
  if (quarter === 3) return `${year}-year`;
  if (quarter === 4) return `${year + 1}-Q1`;
  return `${year}-Q${quarter + 1}`;
}

/** Whether a session decides the units' next-quarter draft plans (Q1–Q3; not Q4 nor the year-end session). */
export function sessionDecidesPlans(session: string): boolean {
  const { quarter } = parseSessionKey(session);
  return quarter !== null && quarter !== 4;
}

/** The day reporting opens for a session. */
export function sessionOpensOn(session: string): LocalDate {
  const { year, quarter } = parseSessionKey(session);
  if (quarter === null) return `${year}-12-01`;
  return quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(3 * quarter + 1).padStart(2, '0')}-01`;
}

/** Session, dossier and conclusions days of one session from its plan year's calendar. */
export function sessionDays(
  calendar: PlanYearCalendar,
  profile: CalendarProfile,
  session: string,
): { dossierDate: LocalDate; sessionDate: LocalDate; conclusionsDue: LocalDate } {
  const { quarter } = parseSessionKey(session);
  if (quarter !== null)
    return {
      dossierDate: deadlineById(calendar, `giao-ban.${session}.dossier`).date,
      sessionDate: deadlineById(calendar, `giao-ban.${session}`).date,
      conclusionsDue: deadlineById(calendar, `giao-ban.${session}.conclusions`).date,
    };
  const cal = workingCalendar(profile);
  const sessionDate = deadlineById(calendar, 'year-end.review-session').date;
  return {
    dossierDate: cal.addWorkingDays(sessionDate, -YEAR_END_DOSSIER_WORKING_DAYS_BEFORE),
    sessionDate,
    conclusionsDue: cal.addWorkingDays(sessionDate, YEAR_END_CONCLUSIONS_WORKING_DAYS_AFTER),
  };
}

/**
 * Every date of a session. `calendarOf(year)` gives the plan-year calendar of a year: the session's own year and,
 * for a Q4 session, the next year's (whose Q1 dossier day ends the follow-up).
 */
export function giaoBanDates(
  session: string,
  profile: CalendarProfile,
  calendarOf: (year: number) => PlanYearCalendar,
): GiaoBanDates {
  const { year } = parseSessionKey(session);
  const next = nextSessionKey(session);
  const own = sessionDays(calendarOf(year), profile, session);
  const following = sessionDays(calendarOf(parseSessionKey(next).year), profile, next);
  return { opensOn: sessionOpensOn(session), ...own, followUpUntil: following.dossierDate };
}

/** The session a month's check-in opening starts (the month opened is the one that just ended): the quarter just
 *  ended on the openings of 01/04/07/10 (month 12/03/06/09 opened), the year-end session on 1 December (month 11). */
export function sessionStartedByOpening(openedMonth: string): string | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(openedMonth);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month === 11) return `${year}-year`;
  if (month % 3 !== 0) return undefined;
  return `${year}-Q${month / 3}`;
}
