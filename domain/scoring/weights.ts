// Relative weights (DESIGN §4): normalised at every level, they need not sum to 100.
import { Decimal, dec, ZERO } from './decimal.ts';
import { ScoringError } from './errors.ts';

export interface Weighted {
  value: Decimal.Value;
  weight: Decimal.Value;
}

/** Normalised shares wᵢ / Σw (for display). */
export function normaliseWeights(weights: readonly Decimal.Value[], level: string): Decimal[] {
  const ws = weights.map((w) => dec(w));
  for (const w of ws)
    if (w.isNegative()) throw new ScoringError('weights.negativeWeight', { weight: w.toString(), level });
  const total = ws.reduce((s, w) => s.plus(w), ZERO);
  if (total.lte(0)) throw new ScoringError('weights.noPositiveWeight', { level });
  return ws.map((w) => w.div(total));
}

/** Wide enough that Σ wᵢ·vᵢ and Σ wᵢ are exact for the values a plan holds. */
const Wide = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_UP });

/**
 * Σ wᵢ·vᵢ / Σ wᵢ. Numerator and denominator are computed exactly (wide precision) and divided once,
 * so the result is the correctly rounded quotient: multiplying every weight by the same factor changes
 * nothing, and (0.95 + 0.5 + 0.8) / 3 is exactly 0.75.
 */
export function weightedMean(items: readonly Weighted[], level: string): Decimal {
  const ws = items.map((i) => dec(i.weight));
  for (const w of ws)
    if (w.isNegative()) throw new ScoringError('weights.negativeWeight', { weight: w.toString(), level });
  let num = new Wide(0);
  let den = new Wide(0);
  items.forEach((item, idx) => {
    const w = new Wide(ws[idx]!.toString());
    num = num.plus(w.times(new Wide(dec(item.value).toString())));
    den = den.plus(w);
  });
  if (den.lte(0)) throw new ScoringError('weights.noPositiveWeight', { level });
  return new Decimal(num.toString()).div(new Decimal(den.toString()));
}
