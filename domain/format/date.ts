// Dates as people type and read them in Vietnam: dd/mm/yyyy, in both interface languages. Inside the
// system a date is a local date 'yyyy-mm-dd' (Asia/Ho_Chi_Minh); no clock or time zone is involved.
import type { LocalDate } from '../calendar/profile.ts';
import { fail, type ParseResult } from './messages.ts';

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new RangeError(`daysInMonth: month ${month}`);
  return month === 2 && isLeapYear(year) ? 29 : (DAYS[month - 1] ?? 0);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** True for a real calendar date written 'yyyy-mm-dd' (years 0001–9999). */
export function isLocalDate(value: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Parses "d/m/yyyy" or "dd/mm/yyyy" (surrounding spaces allowed) into 'yyyy-mm-dd'. */
export function parseDate(input: string): ParseResult<LocalDate> {
  const s = input.trim();
  if (s === '') return fail('DATE_EMPTY');
  const m = /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/.exec(s);
  if (!m) return fail('DATE_INVALID_FORMAT', { input: s });
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  if (year < 1) return fail('DATE_INVALID_YEAR', { input: s, year: String(m[3]) });
  if (month < 1 || month > 12) return fail('DATE_INVALID_MONTH', { input: s, month: String(month) });
  const dim = daysInMonth(year, month);
  if (day < 1 || day > dim) {
    return fail('DATE_INVALID_DAY', {
      input: s,
      day: String(day),
      month: pad(month, 2),
      year: pad(year, 4),
      daysInMonth: String(dim),
    });
  }
  return { ok: true, value: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/** Prints a local date 'yyyy-mm-dd' as dd/mm/yyyy. Throws on anything that is not a real date. */
export function formatDate(date: LocalDate): string {
  if (!isLocalDate(date)) throw new RangeError(`formatDate: "${date}" is not a yyyy-mm-dd calendar date`);
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
