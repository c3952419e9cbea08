import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Direction } from '../plan/model.ts';
import { appraisalValue, attainment, statusColour } from './attainment.ts';
import { Decimal, roundForDisplay } from './decimal.ts';
import { ScoringError } from './errors.ts';

const P = (direction: Direction, actual: string, target: string, baseline?: string) =>
  attainment({ direction, actual, target, baseline }).value.toString();

/** Decimals with up to 2 places, 0 … 100000. */
const amount = fc.integer({ min: 0, max: 10_000_000 }).map((n) => new Decimal(n).div(100).toString());
const positive = fc.integer({ min: 1, max: 10_000_000 }).map((n) => new Decimal(n).div(100).toString());

describe('attainment — worked examples (DESIGN §4)', () => {
  it('higher-is-better: P = a / t', () => {
    // 81 dossiers on time of a target of 90: 81 / 90 = 0.9
    expect(P({ kind: 'higher' }, '81', '90')).toBe('0.9');
    // 260 / 200 = 1.3, shown capped at 1.2; appraisal uses min(P, 1) = 1
    const over = attainment({ direction: { kind: 'higher' }, actual: '260', target: '200' });
    expect(over.raw.toString()).toBe('1.3');
    expect(over.value.toString()).toBe('1.2');
    expect(appraisalValue(over.value, false).toString()).toBe('1');
    expect(appraisalValue(over.value, true).toString()).toBe('1.2');
  });

  it('lower-is-better with a baseline: P = (b − a) / (b − t)', () => {
    // processing days, baseline 10, target 6, actual 7: (10 − 7) / (10 − 6) = 3 / 4 = 0.75
    expect(P({ kind: 'lower' }, '7', '6', '10')).toBe('0.75');
    // worse than the baseline: (10 − 12) / 4 = −0.5, floored at 0
    expect(P({ kind: 'lower' }, '12', '6', '10')).toBe('0');
    // better than target: (10 − 5) / 4 = 1.25, capped at 1.2
    expect(P({ kind: 'lower' }, '5', '6', '10')).toBe('1.2');
  });

  it('lower-is-better without a baseline: P = t / a, a = 0 gives the cap', () => {
    // accidents, target 5, actual 4: 5 / 4 = 1.25 → capped 1.2
    expect(P({ kind: 'lower' }, '4', '5')).toBe('1.2');
    // actual 8: 5 / 8 = 0.625
    expect(P({ kind: 'lower' }, '8', '5')).toBe('0.625');
    // actual 0: the cap, no division by zero
    expect(P({ kind: 'lower' }, '0', '5')).toBe('1.2');
  });

  it('target range: 1 inside, linear to 0 at the tolerance outside', () => {
    const range: Direction = { kind: 'range', lo: '80', hi: '90', tolerance: '10' };
    expect(P(range, '85', '0')).toBe('1');
    expect(P(range, '80', '0')).toBe('1');
    // 95 is 5 above hi: 1 − 5 / 10 = 0.5
    expect(P(range, '95', '0')).toBe('0.5');
    // 72 is 8 below lo: 1 − 8 / 10 = 0.2
    expect(P(range, '72', '0')).toBe('0.2');
    // 100 is 10 above: 0; 130 stays 0
    expect(P(range, '100', '0')).toBe('0');
    expect(P(range, '130', '0')).toBe('0');
  });

  it('milestone and zero-tolerance: 1 or 0', () => {
    expect(P({ kind: 'milestone', dueDate: '2026-06-30' }, '1', '1')).toBe('1');
    expect(P({ kind: 'milestone', dueDate: '2026-06-30' }, '0', '1')).toBe('0');
    // zero tolerance counts occurrences: none → 1, any → 0
    expect(P({ kind: 'zeroTolerance' }, '0', '0')).toBe('1');
    expect(P({ kind: 'zeroTolerance' }, '2', '0')).toBe('0');
  });

  it('invalid inputs give a typed error, never NaN', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ScoringError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => attainment({ direction: { kind: 'higher' }, actual: '5', target: '0' }))).toBe(
      'attainment.invalidTarget',
    );
    expect(code(() => attainment({ direction: { kind: 'higher' }, actual: '5', target: '-3' }))).toBe(
      'attainment.invalidTarget',
    );
    expect(code(() => attainment({ direction: { kind: 'lower' }, actual: '5', target: '0' }))).toBe(
      'attainment.invalidTarget',
    );
    expect(
      code(() => attainment({ direction: { kind: 'lower' }, actual: '5', target: '6', baseline: '6' })),
    ).toBe('attainment.baselineNotAboveTarget');
    expect(
      code(() => attainment({ direction: { kind: 'lower' }, actual: '5', target: '6', baseline: '4' })),
    ).toBe('attainment.baselineNotAboveTarget');
    expect(
      code(() =>
        attainment({
          direction: { kind: 'range', lo: '9', hi: '1', tolerance: '1' },
          actual: '5',
          target: '0',
        }),
      ),
    ).toBe('attainment.invalidRange');
    expect(
      code(() =>
        attainment({ direction: { kind: 'milestone', dueDate: '2026-01-01' }, actual: '0.5', target: '1' }),
      ),
    ).toBe('attainment.invalidBinary');
    const err = (() => {
      try {
        attainment({ direction: { kind: 'lower' }, actual: '5', target: '6', baseline: '4' });
      } catch (e) {
        return e as ScoringError;
      }
    })();
    expect(err?.detail.vi).toContain('Giá trị cơ sở 4 phải lớn hơn chỉ tiêu 6');
  });

  it('OKR items are green from 0.7 without changing the number', () => {
    const p = attainment({ direction: { kind: 'higher' }, actual: '70', target: '100' }).value;
    expect(statusColour('OKR', p)).toBe('green');
    expect(statusColour('KPI', p)).toBe('amber');
    expect(p.toString()).toBe('0.7');
    expect(statusColour('OKR', new Decimal('0.69'))).not.toBe('green');
  });

  it('the one rounding rule: 2 decimals, half-up', () => {
    expect(roundForDisplay('90.125')).toBe('90.13');
    expect(roundForDisplay('89.995')).toBe('90.00');
    expect(roundForDisplay('0.005')).toBe('0.01');
    expect(roundForDisplay('74.16666666')).toBe('74.17');
  });
});

describe('attainment — properties', () => {
  it('property "higher-is-better: non-decreasing in the actual value"', () => {
    fc.assert(
      fc.property(amount, amount, positive, (x, y, t) => {
        const [a1, a2] = new Decimal(x).lte(y) ? [x, y] : [y, x];
        const p1 = attainment({ direction: { kind: 'higher' }, actual: a1, target: t }).value;
        const p2 = attainment({ direction: { kind: 'higher' }, actual: a2, target: t }).value;
        return p1.lte(p2);
      }),
    );
  });

  it('property "lower-is-better: non-increasing in the actual value" (with and without baseline)', () => {
    fc.assert(
      fc.property(amount, amount, positive, fc.option(positive, { nil: undefined }), (x, y, t, gap) => {
        const [a1, a2] = new Decimal(x).lte(y) ? [x, y] : [y, x];
        const baseline = gap === undefined ? undefined : new Decimal(t).plus(gap).toString();
        const p1 = attainment({ direction: { kind: 'lower' }, actual: a1, target: t, baseline }).value;
        const p2 = attainment({ direction: { kind: 'lower' }, actual: a2, target: t, baseline }).value;
        return p1.gte(p2);
      }),
    );
  });

  it('property "range: non-increasing with the distance outside the range"', () => {
    fc.assert(
      fc.property(
        amount,
        amount,
        amount,
        amount,
        positive,
        fc.boolean(),
        (lo0, width, d1, d2, tol, below) => {
          const lo = new Decimal(lo0);
          const hi = lo.plus(width);
          const [n, f] = new Decimal(d1).lte(d2) ? [d1, d2] : [d2, d1];
          const at = (d: string) => (below ? lo.minus(d) : hi.plus(d)).toString();
          const direction: Direction = {
            kind: 'range',
            lo: lo.toString(),
            hi: hi.toString(),
            tolerance: tol,
          };
          const pNear = attainment({ direction, actual: at(n), target: '0' }).value;
          const pFar = attainment({ direction, actual: at(f), target: '0' }).value;
          return pNear.gte(pFar);
        },
      ),
    );
  });

  const anyValid = fc.oneof(
    fc
      .tuple(amount, positive)
      .map(([a, t]) => ({ direction: { kind: 'higher' } as Direction, actual: a, target: t })),
    fc
      .tuple(amount, positive)
      .map(([a, t]) => ({ direction: { kind: 'lower' } as Direction, actual: a, target: t })),
    fc.tuple(amount, amount, positive).map(([a, t, g]) => ({
      direction: { kind: 'lower' } as Direction,
      actual: a,
      target: t,
      baseline: new Decimal(t).plus(g).toString(),
    })),
    fc.tuple(amount, amount, amount, amount).map(([a, lo, w, tol]) => ({
      direction: { kind: 'range', lo, hi: new Decimal(lo).plus(w).toString(), tolerance: tol } as Direction,
      actual: a,
      target: '0',
    })),
    fc.constantFrom('0', '1').map((a) => ({
      direction: { kind: 'milestone', dueDate: '2026-12-31' } as Direction,
      actual: a,
      target: '1',
    })),
    fc
      .nat(5)
      .map((a) => ({ direction: { kind: 'zeroTolerance' } as Direction, actual: String(a), target: '0' })),
  );

  it('property "always within [0, cap]"', () => {
    fc.assert(
      fc.property(anyValid, fc.constantFrom('1', '1.2', '1.5'), (input, cap) => {
        const p = attainment(input, cap).value;
        return p.isFinite() && p.gte(0) && p.lte(cap);
      }),
    );
  });
});
