import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateArb } from './test-support.ts';
import {
  addCalendarDays,
  calendarDaysBetween,
  endOfVnDay,
  isoWeekday,
  localDate,
  parseLocalDate,
  vnInstant,
  vnLocalDate,
  vnLocalParts,
} from './vn-time.ts';

describe('vn-time', () => {
  it('23:59 VN on 30/11/2025 is 16:59Z (TEMPORAL.md §4.2)', () => {
    expect(new Date(vnInstant('2025-11-30', 23, 59)).toISOString()).toBe('2025-11-30T16:59:00.000Z');
  });

  it('the end of a VN day is 00:00 VN of the next day = 17:00Z the same UTC day, exclusive', () => {
    expect(new Date(endOfVnDay('2025-11-30')).toISOString()).toBe('2025-11-30T17:00:00.000Z');
    expect(vnLocalDate(endOfVnDay('2025-11-30') - 1)).toBe('2025-11-30');
    expect(vnLocalDate(endOfVnDay('2025-11-30'))).toBe('2025-12-01');
    // year and month boundaries
    expect(new Date(endOfVnDay('2026-12-31')).toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(new Date(endOfVnDay('2028-02-28')).toISOString()).toBe('2028-02-28T17:00:00.000Z');
  });

  it('local parts of an instant: 2026-02-16T18:30Z is 01:30 on Tuesday 17/2/2026 in Hà Nội', () => {
    const p = vnLocalParts(Date.parse('2026-02-16T18:30:00Z'));
    expect(p).toEqual({
      date: '2026-02-17',
      year: 2026,
      month: 2,
      day: 17,
      hour: 1,
      minute: 30,
      isoWeekday: 2,
    });
  });

  it('normalises overflow and rejects impossible dates', () => {
    expect(localDate(2026, 13, 5)).toBe('2027-01-05');
    expect(localDate(2026, 3, 0)).toBe('2026-02-28');
    expect(() => parseLocalDate('2026-02-29')).toThrow(RangeError);
    expect(() => parseLocalDate('2026-2-1')).toThrow(RangeError);
    expect(isoWeekday('2026-02-17')).toBe(2);
    expect(isoWeekday('2026-04-26')).toBe(7);
  });

  it('leap days: 29/2 exists in 2028 and 2000, not in 2100 or 2026', () => {
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
    expect(() => parseLocalDate('2100-02-29')).toThrow(/no such date/);
    expect(() => parseLocalDate('2026-04-31')).toThrow(/no such date/);
    expect(() => parseLocalDate('2026-00-10')).toThrow(/no such date/);
    expect(localDate(2028, 2, 30)).toBe('2028-03-01');
  });

  it('property "the arithmetic agrees with Date.UTC: formatting, validation and weekday"', () => {
    const p = (n: number, w: number) => String(n).padStart(w, '0');
    const viaDate = (y: number, m: number, d: number) => {
      const x = new Date(Date.UTC(y, m - 1, d));
      return `${p(x.getUTCFullYear(), 4)}-${p(x.getUTCMonth() + 1, 2)}-${p(x.getUTCDate(), 2)}`;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: -2, max: 15 }),
        fc.integer({ min: -3, max: 34 }),
        (y, m, d) => {
          expect(localDate(y, m, d)).toBe(viaDate(y, m, d));
          if (m < 0 || d < 0) return;
          const text = `${p(y, 4)}-${p(m, 2)}-${p(d, 2)}`;
          if (viaDate(y, m, d) !== text) {
            expect(() => parseLocalDate(text)).toThrow(RangeError);
            return;
          }
          expect(parseLocalDate(text)).toEqual({ year: y, month: m, day: d });
          expect(isoWeekday(text)).toBe(new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property "a local date survives instant round trips at any hour"', () => {
    fc.assert(
      fc.property(
        localDateArb,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (d, h, m) => {
          const t = vnInstant(d, h, m);
          const p = vnLocalParts(t);
          return (
            p.date === d && p.hour === h && p.minute === m && endOfVnDay(d) - vnInstant(d) === 86_400_000
          );
        },
      ),
    );
  });

  it('property "adding n calendar days is undone by subtracting them"', () => {
    fc.assert(
      fc.property(localDateArb, fc.integer({ min: -800, max: 800 }), (d, n) => {
        const e = addCalendarDays(d, n);
        return addCalendarDays(e, -n) === d && calendarDaysBetween(d, e) === n;
      }),
    );
  });
});
