// Attainment P of one key result (DESIGN §4, Appendix 4 §4.3 made exact).
import type { Direction, KeyResultType } from '../plan/model.ts';
import { clamp, Decimal, dec, ONE, ZERO } from './decimal.ts';
import { ScoringError } from './errors.ts';

export const DEFAULT_DISPLAY_CAP = '1.2';

export interface AttainmentInput {
  direction: Direction;
  actual: Decimal.Value;
  target: Decimal.Value;
  baseline?: Decimal.Value | undefined;
}

export interface Attainment {
  /** The formula's value before the floor at 0 and the cap. */
  raw: Decimal;
  /** P floored at 0 and capped (display cap, 1.2 by default). */
  value: Decimal;
  /** Which formula applied, e.g. "a / t". */
  formula: string;
}

/**
 * P for one key result. Invalid inputs (t ≤ 0 where a ratio needs it, b ≤ t, negative counts,
 * malformed ranges) throw a ScoringError instead of producing NaN or Infinity.
 */
export function attainment(input: AttainmentInput, cap: Decimal.Value = DEFAULT_DISPLAY_CAP): Attainment {
  const capD = dec(cap);
  const a = dec(input.actual);
  const { direction } = input;
  let raw: Decimal;
  let formula: string;
  switch (direction.kind) {
    case 'higher': {
      const t = dec(input.target);
      if (t.lte(0))
        throw new ScoringError('attainment.invalidTarget', { target: t.toString(), direction: 'higher' });
      raw = a.div(t);
      formula = 'a / t';
      break;
    }
    case 'lower': {
      const t = dec(input.target);
      if (a.isNegative()) throw new ScoringError('attainment.negativeActual', { actual: a.toString() });
      if (input.baseline !== undefined) {
        const b = dec(input.baseline);
        if (b.lte(t)) {
          throw new ScoringError('attainment.baselineNotAboveTarget', {
            baseline: b.toString(),
            target: t.toString(),
          });
        }
        raw = b.minus(a).div(b.minus(t));
        formula = '(b − a) / (b − t)';
      } else {
        if (t.lte(0))
          throw new ScoringError('attainment.invalidTarget', { target: t.toString(), direction: 'lower' });
        raw = a.isZero() ? capD : t.div(a);
        formula = a.isZero() ? 'a = 0 → cap' : 't / a';
      }
      break;
    }
    case 'range': {
      const lo = dec(direction.lo);
      const hi = dec(direction.hi);
      const tol = dec(direction.tolerance);
      if (lo.gt(hi) || tol.isNegative()) {
        throw new ScoringError('attainment.invalidRange', {
          lo: lo.toString(),
          hi: hi.toString(),
          tolerance: tol.toString(),
        });
      }
      const distance = a.lt(lo) ? lo.minus(a) : a.gt(hi) ? a.minus(hi) : ZERO;
      if (distance.isZero()) raw = ONE;
      else if (tol.isZero()) raw = ZERO;
      else raw = ONE.minus(distance.div(tol));
      formula = 'inside [lo, hi] → 1; outside: 1 − distance / tolerance';
      break;
    }
    case 'milestone': {
      if (!(a.eq(0) || a.eq(1))) throw new ScoringError('attainment.invalidBinary', { actual: a.toString() });
      raw = a;
      formula = 'done by the due date → 1, otherwise 0';
      break;
    }
    case 'zeroTolerance': {
      if (a.isNegative() || !a.isInteger())
        throw new ScoringError('attainment.invalidBinary', { actual: a.toString() });
      raw = a.isZero() ? ONE : ZERO;
      formula = 'no occurrence → 1, any occurrence → 0';
      break;
    }
  }
  return { raw, value: clamp(raw, ZERO, capD), formula };
}

/** The value used in appraisal: min(P, 1) unless the rule set allows over-completion. */
export function appraisalValue(p: Decimal, allowOverCompletion: boolean): Decimal {
  return allowOverCompletion ? p : Decimal.min(p, ONE);
}

export type StatusColour = 'green' | 'amber' | 'red';

/**
 * Traffic light for display only (never changes the number): OKR stretch items are green from
 * `okrGreenFrom` (0.7); KPI items green at 1, amber from 0.7, red below.
 */
export function statusColour(
  type: KeyResultType,
  p: Decimal,
  okrGreenFrom: Decimal.Value = '0.7',
): StatusColour {
  const green = dec(okrGreenFrom);
  if (type === 'OKR') return p.gte(green) ? 'green' : p.gte(green.div(2)) ? 'amber' : 'red';
  return p.gte(1) ? 'green' : p.gte(green) ? 'amber' : 'red';
}
