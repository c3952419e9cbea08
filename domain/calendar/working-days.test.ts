import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalendarProfile } from './profile.ts';
import { VN_2027_SYNTHETIC } from './profiles/synthetic-2027.ts';
import { VN_2026 } from './profiles/vn-2026.ts';
import { localDateArb, profileArb } from './test-support.ts';
import { workingCalendar } from './working-days.ts';

describe('working days: worked examples', () => {
  const vn26 = workingCalendar(VN_2026);
  const vn27 = workingCalendar(VN_2027_SYNTHETIC);

  it('Tết 2026 (14/2–22/2) is not worked; a deadline inside it moves to Monday 23/2, a "before" deadline back to Friday 13/2', () => {
    for (let d = 14; d <= 22; d++) expect(vn26.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(vn26.isWorkingDay('2026-02-13')).toBe(true);
    expect(vn26.isWorkingDay('2026-02-23')).toBe(true);
    expect(vn26.adjustDeadline('2026-02-17', 'next')).toBe('2026-02-23');
    expect(vn26.adjustDeadline('2026-02-17', 'previous')).toBe('2026-02-13');
    // Thursday 12/2 + 2 working days: Fri 13/2, then Mon 23/2 after Tết
    expect(vn26.addWorkingDays('2026-02-12', 2)).toBe('2026-02-23');
    expect(vn26.addWorkingDays('2026-02-23', -1)).toBe('2026-02-13');
  });

  it('Giỗ Tổ on Sunday 26/4/2026 is compensated on Monday 27/4; 30/4 and 1/5 are off', () => {
    expect(vn26.isWorkingDay('2026-04-27')).toBe(false);
    // Fri 24/4 + 1 → Tue 28/4; + 3 → Mon 4/5 (28, 29, then 30/4 and 1/5 off, weekend, 4/5)
    expect(vn26.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
    expect(vn26.addWorkingDays('2026-04-24', 3)).toBe('2026-05-04');
    expect(vn26.workingDaysBetween('2026-04-24', '2026-05-04')).toBe(3);
  });

  it('a make-up Saturday counts (synthetic 13/2/2027)', () => {
    expect(vn27.isWorkingDay('2027-02-13')).toBe(true);
    expect(vn27.isWorkingDay('2027-02-20')).toBe(false);
    // Thu 11/2 + 2 → Fri 12/2, Sat 13/2 (make-up)
    expect(vn27.addWorkingDays('2027-02-11', 2)).toBe('2027-02-13');
    expect(vn27.adjustDeadline('2027-02-13', 'next')).toBe('2027-02-13');
  });

  it('refuses a profile with no working days instead of looping', () => {
    const none: CalendarProfile = { ...VN_2026, weekendDays: [1, 2, 3, 4, 5, 6, 7] };
    expect(() => workingCalendar(none).nextWorkingDay('2026-01-01')).toThrow(/no working day/);
  });
});

describe('working days: properties', () => {
  it('property "a deadline never lands on a non-working day"', () => {
    fc.assert(
      fc.property(
        profileArb,
        localDateArb,
        fc.constantFrom('next' as const, 'previous' as const),
        (p, d, roll) => workingCalendar(p).isWorkingDay(workingCalendar(p).adjustDeadline(d, roll)),
      ),
    );
  });

  it('property "next-working-day moves forward, before-deadlines move back, and neither skips a working day"', () => {
    fc.assert(
      fc.property(profileArb, localDateArb, (p, d) => {
        const cal = workingCalendar(p);
        const next = cal.adjustDeadline(d, 'next');
        const prev = cal.adjustDeadline(d, 'previous');
        if (cal.isWorkingDay(d)) return next === d && prev === d;
        // strictly after / before, and no working day in between
        return next > d && prev < d && cal.workingDaysBetween(prev, next) === 1;
      }),
    );
  });

  it('property "adding n working days lands on a working day exactly n working days away"', () => {
    fc.assert(
      fc.property(profileArb, localDateArb, fc.integer({ min: -15, max: 15 }), (p, d, n) => {
        const cal = workingCalendar(p);
        const start = cal.nextWorkingDay(d);
        const end = cal.addWorkingDays(start, n);
        return (
          cal.isWorkingDay(end) &&
          cal.workingDaysBetween(start, end) === n &&
          cal.addWorkingDays(end, -n) === start
        );
      }),
    );
  });
});
