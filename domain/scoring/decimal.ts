// Decimal helpers for scoring (RULES.md: decimal arithmetic, 2 decimals half-up only where shown or stored).
import { Decimal } from 'decimal.js';

export { Decimal };

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);

/** Parses a decimal string (or number/Decimal) into a Decimal; never produces NaN silently. */
export function dec(value: Decimal.Value): Decimal {
  const d = new Decimal(value);
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  return d;
}

/**
 * The one rounding rule: 2 decimals, half-up, applied only to a result that is shown or stored.
 * Returns a fixed-point string ("92.50").
 */
export function roundForDisplay(value: Decimal.Value): string {
  return new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** Full-precision serialisation used inside explanations (round-trips exactly). */
export function exact(value: Decimal): string {
  return value.toString();
}

export function clamp(value: Decimal, lo: Decimal, hi: Decimal): Decimal {
  return Decimal.min(Decimal.max(value, lo), hi);
}

/**
 * Deep copy of plain JSON data (explanations, snapshots). Used instead of structuredClone, which the
 * Temporal workflow sandbox does not guarantee.
 */
export function cloneData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
