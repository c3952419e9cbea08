// Numbers as people type and read them (DESIGN §5): Vietnamese "1.234,5" (dot for thousands, decimal
// comma) and English "1,234.5". Values travel as plain decimal strings ("1234.5"), never as floats.
//
// Parsing is strict so that a number is never silently misread:
// - the decimal separator may appear once, and no thousands separator may follow it;
// - thousands separators must form groups of exactly three digits after a first group of 1–3 digits;
// - a lone decimal separator followed by exactly three digits after 1–3 leading digits ("1,234" in vi,
//   "1.234" in en) is rejected as ambiguous: it is what the other locale writes for a thousands number.
//   The printer never produces that shape (it adds a trailing zero: "1,2340"), so print → parse is exact.
import { Decimal } from 'decimal.js';
import type { DecimalString } from '../plan/model.ts';
import type { Locale } from './locale.ts';
import { fail, type ParseResult } from './messages.ts';

// Wide enough that shifting a percentage by two places never rounds.
const Exact = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP });

export interface Separators {
  decimal: ',' | '.';
  group: '.' | ',';
}

export function separators(locale: Locale): Separators {
  return locale === 'vi' ? { decimal: ',', group: '.' } : { decimal: '.', group: ',' };
}

const EXAMPLE: Record<Locale, string> = { vi: '1.234,5', en: '1,234.5' };
const FIRST_GROUP = /^[1-9][0-9]{0,2}$/;
const FULL_GROUP = /^[0-9]{3}$/;

function canonical(d: Decimal.Instance): DecimalString {
  const s = d.toFixed();
  return s === '-0' ? '0' : s;
}

function groupDigits(intDigits: string, group: string): string {
  let out = '';
  for (let i = 0; i < intDigits.length; i++) {
    if (i > 0 && (intDigits.length - i) % 3 === 0) out += group;
    out += intDigits[i];
  }
  return out;
}

/**
 * Parses a number typed in `locale`. Surrounding spaces and a leading sign (+, -) are allowed.
 * Returns the value as a canonical decimal string ("-1234.5"; trailing fraction zeros dropped).
 */
export function parseNumber(input: string, locale: Locale): ParseResult<DecimalString> {
  const { decimal, group } = separators(locale);
  const s = input.trim();
  if (s === '') return fail('NUMBER_EMPTY');
  const example = EXAMPLE[locale];
  let sign = '';
  let body = s;
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body[0] === '-' ? '-' : '';
    body = body.slice(1);
  }
  if (!/^[0-9.,]+$/.test(body)) return fail('NUMBER_INVALID_CHARACTERS', { input: s });
  const decimalCount = body.split(decimal).length - 1;
  if (decimalCount > 1) return fail('NUMBER_MULTIPLE_DECIMAL_SEPARATORS', { input: s, decimal });
  let intPart = body;
  let fraction: string | undefined;
  if (decimalCount === 1) {
    const at = body.indexOf(decimal);
    intPart = body.slice(0, at);
    fraction = body.slice(at + 1);
    if (fraction.includes(group)) {
      return fail('NUMBER_SEPARATORS_WRONG_ORDER', { input: s, group, decimal, example });
    }
    if (intPart === '' || fraction === '') return fail('NUMBER_MISSING_DIGITS', { input: s, decimal });
  }
  let digits = intPart;
  if (intPart.includes(group)) {
    const groups = intPart.split(group);
    const [first, ...rest] = groups;
    if (first === undefined || !FIRST_GROUP.test(first) || !rest.every((g) => FULL_GROUP.test(g))) {
      return fail('NUMBER_INVALID_GROUPING', { input: s, group, decimal, example });
    }
    digits = groups.join('');
  } else if (fraction !== undefined && FIRST_GROUP.test(intPart) && FULL_GROUP.test(fraction)) {
    return fail('NUMBER_AMBIGUOUS_SEPARATOR', {
      input: s,
      asThousands: `${sign}${intPart}${group}${fraction}`,
      withZero: `${sign}${intPart}${decimal}${fraction}0`,
    });
  }
  const plain = fraction === undefined ? `${sign}${digits}` : `${sign}${digits}.${fraction}`;
  return { ok: true, value: canonical(new Exact(plain)) };
}

export interface NumberFormatOptions {
  /** Pad the fraction with zeros to at least this many digits (default 0). */
  minFractionDigits?: number;
  /** Round half-up to at most this many fraction digits (default: all digits kept). */
  maxFractionDigits?: number;
  /** Separate thousands (default true). */
  grouping?: boolean;
}

/**
 * Prints a decimal the way `locale` writes it. When the result would read as the other locale's
 * thousands ("1,234" in vi) a trailing zero is added ("1,2340") so that it parses back to the same value.
 */
export function formatNumber(
  value: Decimal.Value,
  locale: Locale,
  options: NumberFormatOptions = {},
): string {
  const { decimal, group } = separators(locale);
  const minDigits = options.minFractionDigits ?? 0;
  const grouping = options.grouping ?? true;
  let d = new Exact(value);
  if (!d.isFinite()) throw new RangeError(`formatNumber: ${String(value)} is not a finite number`);
  if (options.maxFractionDigits !== undefined) {
    if (options.maxFractionDigits < minDigits) {
      throw new RangeError('formatNumber: maxFractionDigits is below minFractionDigits');
    }
    d = d.toDecimalPlaces(options.maxFractionDigits, Decimal.ROUND_HALF_UP);
  }
  const negative = d.isNegative() && !d.isZero();
  const [intDigits = '0', rawFraction = ''] = d.abs().toFixed().split('.');
  const fraction = rawFraction.padEnd(minDigits, '0');
  const intText = grouping ? groupDigits(intDigits, group) : intDigits;
  let fractionText = fraction;
  if (FIRST_GROUP.test(intText) && FULL_GROUP.test(fraction)) fractionText = `${fraction}0`;
  const sign = negative ? '-' : '';
  return fractionText === '' ? `${sign}${intText}` : `${sign}${intText}${decimal}${fractionText}`;
}

/**
 * Parses a percentage ("12,5%" in vi, "12.5 %" or "12.5" in en) and returns the ratio as a
 * decimal string ("0.125"). The percent sign is optional.
 */
export function parsePercent(input: string, locale: Locale): ParseResult<DecimalString> {
  const s = input.trim();
  const number = s.endsWith('%') ? s.slice(0, -1).trimEnd() : s;
  if (number === '') return fail('PERCENT_EMPTY');
  const parsed = parseNumber(number, locale);
  if (!parsed.ok) return parsed;
  return { ok: true, value: canonical(new Exact(parsed.value).div(100)) };
}

/** Prints a ratio (0.125) as a percentage in `locale` ("12,5%" in vi, "12.5%" in en). */
export function formatPercent(
  ratio: Decimal.Value,
  locale: Locale,
  options: NumberFormatOptions = {},
): string {
  return `${formatNumber(new Exact(ratio).times(100), locale, options)}%`;
}
