// Month periods of check-ins ('YYYY-MM'): which cadences fall due in a month, the target of a period, and
// when a period opens (its first day in Asia/Ho_Chi_Minh). Pure.
import { vnInstant } from '../calendar/vn-time.ts';
import type { Cadence, DecimalString, KeyResult } from '../plan/model.ts';

const MONTH_PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonthPeriod(p: string): boolean {
  const m = MONTH_PERIOD.exec(p);
  return m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 2200;
}

export function parseMonthPeriod(p: string): { year: number; month: number } {
  const m = MONTH_PERIOD.exec(p);
  if (!m) throw new RangeError(`not a month period (YYYY-MM): ${p}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export const monthPeriod = (year: number, month: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

/** The quarter key of a month ('2026-05' → '2026-Q2'). */
export function quarterOf(period: string): string {
  const { year, month } = parseMonthPeriod(period);
  return `${year}-Q${Math.ceil(month / 3)}`;
}

/** Whether a key result of this cadence is reported in the month: month, week and day every month (week and
 *  day roll up monthly), quarter in March, June, September and December, year in December. */
export function cadenceDueIn(cadence: Cadence, period: string): boolean {
  const { month } = parseMonthPeriod(period);
  switch (cadence) {
    case 'day':
    case 'week':
    case 'month':
      return true;
    case 'quarter':
      return month % 3 === 0;
    case 'year':
      return month === 12;
  }
}

/** The target of the period: the month's period target, else (quarterly key results) the quarter's, else
 *  (yearly key results) the annual target; undefined when the plan sets none for the period. */
export function periodTargetOf(kr: Pick<KeyResult, 'periodTargets' | 'cadence' | 'target'>, period: string) {
  const t = kr.periodTargets ?? {};
  const month = t[period];
  if (month !== undefined && month !== '') return month;
  if (kr.cadence === 'quarter') {
    const q = t[quarterOf(period)];
    if (q !== undefined && q !== '') return q;
  }
  if (kr.cadence === 'year' && kr.target !== '') return kr.target as DecimalString;
  return undefined;
}

/** The month periods of the year up to and including `period`, in order. */
export function periodsThrough(period: string): string[] {
  const { year, month } = parseMonthPeriod(period);
  return Array.from({ length: month }, (_, i) => monthPeriod(year, i + 1));
}

/** The month before (January → December of the year before). */
export function previousPeriod(period: string): string {
  const { year, month } = parseMonthPeriod(period);
  return month === 1 ? monthPeriod(year - 1, 12) : monthPeriod(year, month - 1);
}

/** The month after (December → January of the year after). */
export function nextPeriod(period: string): string {
  const { year, month } = parseMonthPeriod(period);
  return month === 12 ? monthPeriod(year + 1, 1) : monthPeriod(year, month + 1);
}

/** The instant a period opens for entering values: 00:00 of its first day in Asia/Ho_Chi_Minh. */
export function periodOpensAt(period: string): number {
  const { year, month } = parseMonthPeriod(period);
  return vnInstant(`${monthPeriod(year, month)}-01`);
}

export const isPeriodOpen = (period: string, now: number): boolean => now >= periodOpensAt(period);
