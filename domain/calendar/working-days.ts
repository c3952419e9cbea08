// Working days from a calendar profile (DESIGN §3): weekends and public holidays do not count, a
// make-up working Saturday (ngày làm bù) does. A deadline on a non-working day moves to the next
// working day, except a legal "before" deadline, which moves back to the previous one.
import type { CalendarProfile, LocalDate } from './profile.ts';
import { addCalendarDays, isoWeekday, parseLocalDate } from './vn-time.ts';

/** How a deadline that falls on a non-working day is moved. */
export type DeadlineRoll = 'next' | 'previous';

/** A search for a working day gives up after this many calendar days (a profile with no working days). */
const MAX_SEARCH_DAYS = 3660;

export interface WorkingCalendar {
  readonly profileId: string;
  isWorkingDay(date: LocalDate): boolean;
  /** `date` itself when it is a working day, else the first working day after it. */
  nextWorkingDay(date: LocalDate): LocalDate;
  /** `date` itself when it is a working day, else the last working day before it. */
  previousWorkingDay(date: LocalDate): LocalDate;
  /** Moves `date` by `n` working days (negative = back); the start day is not counted; n = 0 returns `date`. */
  addWorkingDays(date: LocalDate, n: number): LocalDate;
  /** Puts a deadline on a working day: 'next' rolls forward, 'previous' (legal "before") rolls back. */
  adjustDeadline(date: LocalDate, roll: DeadlineRoll): LocalDate;
  /** Working days after `from` up to and including `to` (negative when `to` is earlier). */
  workingDaysBetween(from: LocalDate, to: LocalDate): number;
}

export function workingCalendar(profile: CalendarProfile): WorkingCalendar {
  for (const w of profile.weekendDays) {
    if (!Number.isInteger(w) || w < 1 || w > 7) throw new RangeError(`weekend day must be 1..7: ${w}`);
  }
  const weekend = new Set(profile.weekendDays);
  const valid = (d: LocalDate): LocalDate => {
    parseLocalDate(d); // throws on a malformed date
    return d;
  };
  const holidays = new Set(profile.holidays.map((h) => valid(h.date)));
  const makeUp = new Set(profile.makeUpWorkingDays.map(valid));

  const isWorkingDay = (date: LocalDate): boolean => {
    if (holidays.has(date)) return false; // a holiday wins over a make-up day listed by mistake
    if (makeUp.has(date)) return true;
    return !weekend.has(isoWeekday(date));
  };

  const step = (date: LocalDate, dir: 1 | -1): LocalDate => {
    let d = date;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      d = addCalendarDays(d, dir);
      if (isWorkingDay(d)) return d;
    }
    throw new RangeError(
      `profile ${profile.id} has no working day within ${MAX_SEARCH_DAYS} days of ${date}`,
    );
  };

  const nextWorkingDay = (date: LocalDate) => (isWorkingDay(date) ? date : step(date, 1));
  const previousWorkingDay = (date: LocalDate) => (isWorkingDay(date) ? date : step(date, -1));

  const addWorkingDays = (date: LocalDate, n: number): LocalDate => {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
    parseLocalDate(date);
    let d = date;
    const dir = n < 0 ? -1 : 1;
    for (let i = 0; i < Math.abs(n); i++) d = step(d, dir);
    return d;
  };

  const workingDaysBetween = (from: LocalDate, to: LocalDate): number => {
    if (from === to) return 0;
    const [lo, hi, sign] = from < to ? [from, to, 1] : [to, from, -1];
    let count = 0;
    for (let d = addCalendarDays(lo, 1); d <= hi; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) count++;
    return sign * count;
  };

  return {
    profileId: profile.id,
    isWorkingDay,
    nextWorkingDay,
    previousWorkingDay,
    addWorkingDays,
    adjustDeadline: (date, roll) => (roll === 'previous' ? previousWorkingDay(date) : nextWorkingDay(date)),
    workingDaysBetween,
  };
}
