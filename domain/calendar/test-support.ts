// Shared fast-check arbitraries for the calendar tests (not used by production code).
import fc from 'fast-check';
import type { CalendarProfile, LocalDate } from './profile.ts';
import { addCalendarDays, isoWeekday } from './vn-time.ts';

/** Any local date from 2024-01-01 for about six years. */
export const localDateArb: fc.Arbitrary<LocalDate> = fc
  .integer({ min: 0, max: 6 * 366 })
  .map((n) => addCalendarDays('2024-01-01', n));

/** Random but plausible profiles: Sat+Sun or Sun-only weekends, up to 60 holidays (runs like Tết), make-up Saturdays. */
export const profileArb: fc.Arbitrary<CalendarProfile> = fc
  .record({
    weekendDays: fc.constantFrom<number[]>([6, 7], [7]),
    runs: fc.array(fc.record({ start: localDateArb, length: fc.integer({ min: 1, max: 10 }) }), {
      maxLength: 12,
    }),
    makeUp: fc.array(localDateArb, { maxLength: 6 }),
  })
  .map(({ weekendDays, runs, makeUp }): CalendarProfile => {
    const holidays = new Set<LocalDate>();
    for (const r of runs) for (let i = 0; i < r.length; i++) holidays.add(addCalendarDays(r.start, i));
    return {
      id: 'random',
      name: 'random',
      timeZone: 'Asia/Ho_Chi_Minh' as const,
      weekendDays,
      holidays: [...holidays].sort().map((date) => ({ date, nameVi: 'nghỉ', nameEn: 'off' })),
      // make-up days are weekend days by definition
      makeUpWorkingDays: makeUp.filter((d) => weekendDays.includes(isoWeekday(d)) && !holidays.has(d)),
    };
  });
