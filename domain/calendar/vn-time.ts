// Asia/Ho_Chi_Minh time as plain arithmetic (TEMPORAL.md §4.3): UTC+07:00, no daylight saving, so no
// zone rules, no local-time Date constructors and no clock. Instants are epoch milliseconds; local
// dates are 'yyyy-mm-dd' strings.
import type { LocalDate } from './profile.ts';

export const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface LocalDateParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
}

/** `n` with leading zeros to `w` digits (string building; padStart was a top frame of the workflow thread). */
const pad = (n: number, w = 2) => {
  const s = `${n}`;
  return s.length >= w ? s : `${'0'.repeat(w - s.length)}${s}`;
};

// The date arithmetic below runs on every workflow activation (escalation ladders, working-day counts), so the
// common case — a day inside its month of a four-digit year — is plain arithmetic and string building; only an
// overflowing day or month is normalised through Date.UTC.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (year: number, month: number) =>
  month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
const isPlainDate = (year: number, month: number, day: number) =>
  year >= 1000 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);

/** The local date of year/month/day; overflow is normalised (month 13 → January of the next year). */
export function localDate(year: number, month: number, day: number): LocalDate {
  if (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    isPlainDate(year, month, day)
  )
    return `${year}-${pad(month)}-${pad(day)}`;
  const x = new Date(Date.UTC(year, month - 1, day));
  return `${pad(x.getUTCFullYear(), 4)}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}`;
}

/** Parses and validates a local date ('2026-02-30' is rejected). */
export function parseLocalDate(date: LocalDate): LocalDateParts {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`not a local date (yyyy-mm-dd): ${date}`);
  const parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  // A four-digit year, month 1–12 and a day the month has (years before 1000 are checked by the round trip,
  // as Date.UTC reads years 0–99 as 1900–1999).
  if (isPlainDate(parts.year, parts.month, parts.day)) return parts;
  if (localDate(parts.year, parts.month, parts.day) !== date) throw new RangeError(`no such date: ${date}`);
  return parts;
}

/** Instant of a local VN wall-clock time on `date`. */
export function vnInstant(date: LocalDate, hour = 0, minute = 0): number {
  const { year, month, day } = parseLocalDate(date);
  return Date.UTC(year, month - 1, day, hour, minute) - VN_OFFSET_MS;
}

/** 00:00 VN at the start of `date`. */
export const startOfVnDay = (date: LocalDate): number => vnInstant(date);

/** "Due on day D" ends at 00:00 VN of the next day, exclusive (no 23:59:59.999 off-by-one). */
export const endOfVnDay = (date: LocalDate): number => vnInstant(addCalendarDays(date, 1));

export interface VnLocalParts extends LocalDateParts {
  date: LocalDate;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday */
  isoWeekday: number;
}

/** VN calendar fields of an instant. */
export function vnLocalParts(instant: number): VnLocalParts {
  const x = new Date(instant + VN_OFFSET_MS);
  const year = x.getUTCFullYear();
  const month = x.getUTCMonth() + 1;
  const day = x.getUTCDate();
  return {
    date: localDate(year, month, day),
    year,
    month,
    day,
    hour: x.getUTCHours(),
    minute: x.getUTCMinutes(),
    isoWeekday: x.getUTCDay() === 0 ? 7 : x.getUTCDay(),
  };
}

/** The VN local date an instant falls on. */
export const vnLocalDate = (instant: number): LocalDate => vnLocalParts(instant).date;

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  const { year, month, day } = parseLocalDate(date);
  return localDate(year, month, day + days);
}

/** 1 = Monday … 7 = Sunday */
export function isoWeekday(date: LocalDate): number {
  const { year, month, day } = parseLocalDate(date);
  // 1970-01-01 was a Thursday (4).
  const w = (((Math.floor(Date.UTC(year, month - 1, day) / DAY_MS) + 4) % 7) + 7) % 7;
  return w === 0 ? 7 : w;
}

/** Number of calendar days from `a` to `b` (negative when b is earlier). */
export function calendarDaysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((startOfVnDay(b) - startOfVnDay(a)) / DAY_MS);
}
