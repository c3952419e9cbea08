import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, formatDate, isLeapYear, isLocalDate, parseDate } from './date.ts';
import type { FormatErrorCode } from './messages.ts';

describe('parseDate', () => {
  it.each([
    ['30/11/2026', '2026-11-30'],
    ['5/1/2027', '2027-01-05'],
    [' 01/01/2026 ', '2026-01-01'],
    ['29/02/2024', '2024-02-29'], // leap year
    ['29/02/2000', '2000-02-29'], // divisible by 400
    ['31/12/2026', '2026-12-31'],
  ])('%s → %s', (input, expected) => {
    expect(parseDate(input)).toEqual({ ok: true, value: expected });
  });

  const rejected: [string, FormatErrorCode][] = [
    ['', 'DATE_EMPTY'],
    ['2026-11-30', 'DATE_INVALID_FORMAT'],
    ['30.11.2026', 'DATE_INVALID_FORMAT'],
    ['30/11/26', 'DATE_INVALID_FORMAT'],
    ['30/11/2026 10:00', 'DATE_INVALID_FORMAT'],
    ['001/11/2026', 'DATE_INVALID_FORMAT'],
    ['01/01/0000', 'DATE_INVALID_YEAR'],
    ['15/13/2026', 'DATE_INVALID_MONTH'],
    ['15/0/2026', 'DATE_INVALID_MONTH'],
    ['29/02/2026', 'DATE_INVALID_DAY'],
    ['29/02/1900', 'DATE_INVALID_DAY'], // divisible by 100, not 400
    ['31/04/2026', 'DATE_INVALID_DAY'],
    ['0/04/2026', 'DATE_INVALID_DAY'],
  ];
  it.each(rejected)('%j → %s', (input, code) => {
    const r = parseDate(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.vi).not.toMatch(/\{[a-zA-Z]+\}/);
      expect(r.error.message.en).not.toMatch(/\{[a-zA-Z]+\}/);
    }
  });

  it('says how many days the month has', () => {
    const r = parseDate('30/02/2028');
    expect(!r.ok && r.error.message.vi).toBe(
      '"30/02/2028": tháng 02/2028 không có ngày 30 (tháng này có 29 ngày).',
    );
    expect(!r.ok && r.error.message.en).toBe('"30/02/2028": 02/2028 has no day 30 (that month has 29 days).');
  });
});

describe('formatDate and calendar facts', () => {
  it('prints dd/mm/yyyy', () => {
    expect(formatDate('2026-12-25')).toBe('25/12/2026');
    expect(formatDate('2027-01-05')).toBe('05/01/2027');
  });
  it('throws on a date that does not exist', () => {
    expect(() => formatDate('2026-02-29')).toThrow(RangeError);
    expect(() => formatDate('25/12/2026')).toThrow(RangeError);
  });
  it('knows leap years and month lengths', () => {
    expect([1900, 2000, 2024, 2026, 2028].map(isLeapYear)).toEqual([false, true, true, false, true]);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(() => daysInMonth(2026, 13)).toThrow(RangeError);
  });

  it('property: every real date round-trips print → parse, and parse agrees with the JS calendar', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2200-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(isLocalDate(iso)).toBe(true);
          expect(parseDate(formatDate(iso))).toEqual({ ok: true, value: iso });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: day/month/year triples are accepted exactly when they are real dates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1900, max: 2200 }),
        (d, m, y) => {
          const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
          expect(parseDate(`${d}/${m}/${y}`).ok).toBe(real);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
