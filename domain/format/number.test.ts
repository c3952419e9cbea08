import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Locale } from './locale.ts';
import type { FormatErrorCode } from './messages.ts';
import { formatNumber, formatPercent, parseNumber, parsePercent } from './number.ts';

function ok(input: string, locale: Locale): string {
  const r = parseNumber(input, locale);
  if (!r.ok) throw new Error(`${input} (${locale}) rejected: ${r.error.code}`);
  return r.value;
}

/** Decimal strings with up to 12 integer and 6 fraction digits, either sign. */
const decimalString = fc
  .tuple(
    fc.boolean(),
    fc.bigInt({ min: 0n, max: 999_999_999_999n }),
    fc.option(fc.stringMatching(/^[0-9]{1,6}$/)),
  )
  .map(([neg, int, frac]) =>
    new Decimal(`${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`).toFixed(),
  )
  .map((s) => (s === '-0' ? '0' : s));

describe('parseNumber — accepted inputs', () => {
  it.each([
    ['1.234', 'vi', '1234'],
    ['1.234,5', 'vi', '1234.5'],
    ['1.234.567,89', 'vi', '1234567.89'],
    ['1234,5', 'vi', '1234.5'],
    ['0,5', 'vi', '0.5'],
    ['12,50', 'vi', '12.5'],
    ['-1.234,5', 'vi', '-1234.5'],
    ['+7', 'vi', '7'],
    ['  42  ', 'vi', '42'],
    ['1,2340', 'vi', '1.234'],
    ['0,123', 'vi', '0.123'],
    ['12.345,678', 'vi', '12345.678'],
    ['1,234', 'en', '1234'],
    ['1,234.5', 'en', '1234.5'],
    ['1,234,567.89', 'en', '1234567.89'],
    ['0.5', 'en', '0.5'],
    ['1.2340', 'en', '1.234'],
    ['-0', 'en', '0'],
  ] as const)('%s in %s is %s', (input, locale, expected) => {
    expect(ok(input, locale)).toBe(expected);
  });
});

describe('parseNumber — ambiguous and invalid inputs are rejected with a code', () => {
  const table: [string, Locale, FormatErrorCode][] = [
    ['', 'vi', 'NUMBER_EMPTY'],
    ['   ', 'en', 'NUMBER_EMPTY'],
    ['1,234', 'vi', 'NUMBER_AMBIGUOUS_SEPARATOR'], // English thousands typed in vi, or 1,234 decimal?
    ['-5,000', 'vi', 'NUMBER_AMBIGUOUS_SEPARATOR'],
    ['1.234', 'en', 'NUMBER_AMBIGUOUS_SEPARATOR'], // Vietnamese thousands typed in en
    ['1.23', 'vi', 'NUMBER_INVALID_GROUPING'], // a dot that is not a thousands group
    ['0.5', 'vi', 'NUMBER_INVALID_GROUPING'],
    ['12.34.567', 'vi', 'NUMBER_INVALID_GROUPING'],
    ['1..234', 'vi', 'NUMBER_INVALID_GROUPING'],
    ['.5', 'vi', 'NUMBER_INVALID_GROUPING'],
    ['1,23', 'en', 'NUMBER_INVALID_GROUPING'],
    ['1234,56,7', 'en', 'NUMBER_INVALID_GROUPING'],
    ['1,234.5', 'vi', 'NUMBER_SEPARATORS_WRONG_ORDER'], // English format in vi: group after decimal
    ['1.234,5', 'en', 'NUMBER_SEPARATORS_WRONG_ORDER'],
    ['1,2,3', 'vi', 'NUMBER_MULTIPLE_DECIMAL_SEPARATORS'],
    ['1.2.3', 'en', 'NUMBER_MULTIPLE_DECIMAL_SEPARATORS'],
    ['5,', 'vi', 'NUMBER_MISSING_DIGITS'],
    [',5', 'vi', 'NUMBER_MISSING_DIGITS'],
    ['1e5', 'en', 'NUMBER_INVALID_CHARACTERS'],
    ['12 345', 'vi', 'NUMBER_INVALID_CHARACTERS'],
    ['abc', 'vi', 'NUMBER_INVALID_CHARACTERS'],
    ['-', 'vi', 'NUMBER_INVALID_CHARACTERS'],
    ['--1', 'en', 'NUMBER_INVALID_CHARACTERS'],
  ];
  it.each(table)('%j in %s → %s', (input, locale, code) => {
    const r = parseNumber(input, locale);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.vi).not.toMatch(/\{[a-zA-Z]+\}/);
      expect(r.error.message.en).not.toMatch(/\{[a-zA-Z]+\}/);
      expect(r.error.message.vi).not.toBe(r.error.message.en);
    }
  });

  it('explains the ambiguity with both readings written for the locale', () => {
    const r = parseNumber('1,234', 'vi');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.params).toEqual({ input: '1,234', asThousands: '1.234', withZero: '1,2340' });
      expect(r.error.message.vi).toContain('1.234');
      expect(r.error.message.vi).toContain('1,2340');
      expect(r.error.message.en).toContain('ambiguous');
    }
  });
});

describe('formatNumber', () => {
  it.each([
    ['1234.5', 'vi', {}, '1.234,5'],
    ['1234.5', 'en', {}, '1,234.5'],
    ['-1234567.891', 'vi', {}, '-1.234.567,891'],
    ['1000', 'vi', {}, '1.000'],
    ['999', 'en', {}, '999'],
    ['0', 'vi', { minFractionDigits: 2 }, '0,00'],
    ['2.345', 'vi', { maxFractionDigits: 2 }, '2,35'], // half-up
    ['-2.345', 'en', { maxFractionDigits: 2 }, '-2.35'],
    ['-0.001', 'en', { maxFractionDigits: 2 }, '0'],
    ['1234.5', 'vi', { grouping: false }, '1234,5'],
    ['1.234', 'vi', {}, '1,2340'], // would read as 1234 in the other locale → trailing zero
    ['1.234', 'en', {}, '1.2340'],
    ['0.125', 'en', {}, '0.125'], // "0.125" is never a thousands number
    ['1234.567', 'vi', {}, '1.234,567'], // grouped integer part: not ambiguous
  ] as const)('%s in %s %j → %s', (value, locale, opts, expected) => {
    expect(formatNumber(value, locale, opts)).toBe(expected);
  });

  it('refuses non-finite values', () => {
    expect(() => formatNumber('Infinity', 'vi')).toThrow(RangeError);
    expect(() => formatNumber('NaN', 'en')).toThrow(RangeError);
  });
});

describe('percentages', () => {
  it.each([
    ['12,5%', 'vi', '0.125'],
    ['12,5 %', 'vi', '0.125'],
    ['100', 'vi', '1'],
    ['12.5%', 'en', '0.125'],
    ['-3%', 'en', '-0.03'],
    ['1.250%', 'vi', '12.5'],
  ] as const)('%s in %s is the ratio %s', (input, locale, ratio) => {
    const r = parsePercent(input, locale);
    expect(r).toEqual({ ok: true, value: ratio });
  });

  it('rejects an empty percentage and passes number errors through', () => {
    const empty = parsePercent(' % ', 'vi');
    expect(!empty.ok && empty.error.code).toBe('PERCENT_EMPTY');
    const bad = parsePercent('1.23%', 'vi');
    expect(!bad.ok && bad.error.code).toBe('NUMBER_INVALID_GROUPING');
  });

  it('prints ratios as percentages', () => {
    expect(formatPercent('0.855', 'vi')).toBe('85,5%');
    expect(formatPercent('0.855', 'en')).toBe('85.5%');
    expect(formatPercent('0.85555', 'vi', { maxFractionDigits: 2 })).toBe('85,56%');
    expect(formatPercent('12.5', 'en')).toBe('1,250%');
  });
});

describe('properties', () => {
  for (const locale of ['vi', 'en'] as const) {
    it(`print → parse round-trips exactly in ${locale}`, () => {
      fc.assert(
        fc.property(decimalString, fc.boolean(), (value, grouping) => {
          expect(ok(formatNumber(value, locale, { grouping }), locale)).toBe(value);
        }),
        { numRuns: 2000 },
      );
    });

    it(`percent print → parse round-trips exactly in ${locale}`, () => {
      fc.assert(
        fc.property(decimalString, (ratio) => {
          const r = parsePercent(formatPercent(ratio, locale), locale);
          expect(r).toEqual({ ok: true, value: ratio });
        }),
        { numRuns: 1000 },
      );
    });
  }

  it('a number printed in one locale never parses to a different value in the other', () => {
    fc.assert(
      fc.property(decimalString, fc.constantFrom('vi', 'en') as fc.Arbitrary<Locale>, (value, locale) => {
        const other: Locale = locale === 'vi' ? 'en' : 'vi';
        const r = parseNumber(formatNumber(value, locale), other);
        // Either rejected, or the text has no separator at all (e.g. "42"), so it means the same.
        if (r.ok) expect(r.value).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });
});
