import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AggregationRule, Direction, KeyResult, Plan } from './model.ts';
import { kr, plan, planOf, quarters, task } from './prechecks.fixtures.ts';
import { checkAnomalies, checkPeriodCoverage, runPrechecks } from './prechecks.ts';

const decimalText = fc
  .tuple(fc.integer({ min: -50, max: 500 }), fc.integer({ min: 0, max: 99 }))
  .map(([i, f]) => new Decimal(`${i}.${String(f).padStart(2, '0')}`).toFixed());
const weightText = fc.oneof(
  { weight: 6, arbitrary: decimalText },
  { weight: 1, arbitrary: fc.constantFrom('0', '-0', 'abc', '', '1e3', 'Infinity') },
);
const direction: fc.Arbitrary<Direction> = fc.oneof(
  fc.constant({ kind: 'higher' as const }),
  fc.constant({ kind: 'lower' as const }),
  fc.constant({ kind: 'zeroTolerance' as const }),
  fc.record({
    kind: fc.constant('range' as const),
    lo: decimalText,
    hi: decimalText,
    tolerance: decimalText,
  }),
  fc.record({
    kind: fc.constant('milestone' as const),
    dueDate: fc.constantFrom('2026-06-30', '2026-02-30'),
  }),
);
const rule: fc.Arbitrary<AggregationRule> = fc.constantFrom(
  'sum',
  'average',
  'last',
  'min',
  'max',
  'allDone',
);

const keyResult = (id: string, parents: string[]): fc.Arbitrary<KeyResult> =>
  fc
    .record({
      direction,
      aggregation: rule,
      target: fc.oneof({ weight: 8, arbitrary: decimalText }, { weight: 1, arbitrary: fc.constant('tốt') }),
      baseline: fc.option(decimalText, { nil: undefined }),
      weight: weightText,
      breakthrough: fc.boolean(),
      periodTargets: fc.option(fc.tuple(decimalText, decimalText, decimalText, decimalText), {
        nil: undefined,
      }),
      parent: fc.option(fc.constantFrom('none', ...parents), { nil: undefined }),
    })
    .map((r) =>
      kr(id, {
        direction: r.direction,
        aggregation: r.aggregation,
        target: r.target,
        weight: r.weight,
        breakthrough: r.breakthrough,
        ...(r.baseline === undefined ? {} : { baseline: r.baseline }),
        ...(r.periodTargets === undefined ? {} : { periodTargets: quarters(...r.periodTargets) }),
        ...(r.parent === undefined || r.parent === 'none' ? {} : { parentKeyResultId: r.parent }),
      }),
    );

const arbitraryPlan: fc.Arbitrary<Plan> = fc
  .array(fc.tuple(weightText, fc.integer({ min: 0, max: 6 })), { maxLength: 6 })
  .chain((tasks) =>
    fc
      .tuple(
        ...tasks.map(([w, n], ti) =>
          fc
            .tuple(
              ...Array.from({ length: n }, (_, ki) => keyResult(`k${ti}-${ki}`, ['k0-0', 'k1-0', 'k0-1'])),
            )
            .map((krs) => task(`t${ti}`, krs, { weight: w })),
        ),
      )
      .chain((ts) =>
        fc
          .record({ citizens: weightText, learning: weightText }, { requiredKeys: [] })
          .map((perspectiveWeights) => plan(ts, { perspectiveWeights })),
      ),
  );

/** Multiplies every numeric weight (perspective, task, key result) by `factor`; others stay as written. */
function scaleWeights(p: Plan, factor: Decimal): Plan {
  const scale = (w: string) => (/^-?[0-9]+(\.[0-9]+)?$/.test(w) ? new Decimal(w).times(factor).toFixed() : w);
  return {
    ...p,
    perspectiveWeights: Object.fromEntries(
      Object.entries(p.perspectiveWeights ?? {}).map(([k, w]) => [k, scale(w)]),
    ),
    tasks: p.tasks.map((t) => ({
      ...t,
      weight: scale(t.weight),
      keyResults: t.keyResults.map((k) => ({ ...k, weight: scale(k.weight) })),
    })),
  };
}

const positiveFactor = fc
  .tuple(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(1, 10, 100, 1000))
  .map(([n, d]) => new Decimal(n).div(d));

describe('pre-check properties', () => {
  it('scaling all weights by a positive factor gives the same findings', () => {
    fc.assert(
      fc.property(arbitraryPlan, positiveFactor, (p, factor) => {
        expect(runPrechecks(scaleWeights(p, factor))).toEqual(runPrechecks(p));
      }),
      { numRuns: 500 },
    );
  });

  it('the generator reaches weight findings (so the property above is not vacuous)', () => {
    const samples = fc.sample(arbitraryPlan, { numRuns: 300, seed: 42 });
    const found = new Set(samples.flatMap((p) => runPrechecks(p).findings.map((f) => f.code)));
    for (const c of [
      'WEIGHT_INVALID',
      'WEIGHT_NOT_POSITIVE',
      'PERIOD_TARGETS_DO_NOT_COVER_ANNUAL',
      'CHILDREN_DO_NOT_COVER_PARENT',
    ]) {
      expect(found.has(c as never), c).toBe(true);
    }
  });

  it('pre-checks are deterministic and do not mutate the plan', () => {
    fc.assert(
      fc.property(arbitraryPlan, (p) => {
        const before = structuredClone(p);
        const first = runPrechecks(p);
        expect(p).toEqual(before);
        expect(runPrechecks(p)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it('sum, higher-is-better: quarters covering the annual target pass; taking any amount off one quarter fails', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(decimalText, decimalText, decimalText, decimalText)
          .filter((qs) => qs.every((q) => new Decimal(q).gte(0))),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 10_000 }),
        (qs, which, cents) => {
          const annual = Decimal.sum(...qs).toFixed();
          expect(
            checkPeriodCoverage(planOf(kr('k', { target: annual, periodTargets: quarters(...qs) }))),
          ).toEqual([]);
          const cut = qs.map((q, i) =>
            i === which ? new Decimal(q).minus(new Decimal(cents).div(100)).toFixed() : q,
          ) as [string, string, string, string];
          const codes = checkPeriodCoverage(
            planOf(kr('k', { target: annual, periodTargets: quarters(...cut) })),
          ).map((f) => f.code);
          expect(codes).toEqual(['PERIOD_TARGETS_DO_NOT_COVER_ANNUAL']);
        },
      ),
    );
  });

  it('anomaly findings do not change when history and value are rescaled by a positive factor and shifted', () => {
    fc.assert(
      fc.property(
        fc.array(decimalText, { minLength: 3, maxLength: 12 }),
        decimalText,
        positiveFactor,
        decimalText,
        (history, value, factor, shift) => {
          const t = (v: string) => new Decimal(v).times(factor).plus(shift).toFixed();
          const p = planOf(kr('k'));
          const judge = (h: string[], v: string) =>
            checkAnomalies(p, [{ keyResultId: 'k', period: '2026-07', value: v }], { k: h }).map((f) => [
              f.code,
              f.params.deviations,
            ]);
          expect(judge(history.map(t), t(value))).toEqual(judge(history, value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the median of a key result’s own history is never an anomaly', () => {
    fc.assert(
      fc.property(
        fc.array(decimalText, { minLength: 3, maxLength: 12 }).filter((h) => h.length % 2 === 1),
        (history) => {
          const sorted = [...history].sort((a, b) => new Decimal(a).comparedTo(b));
          const med = sorted[(sorted.length - 1) / 2] as string;
          expect(
            checkAnomalies(planOf(kr('k')), [{ keyResultId: 'k', period: '2026-07', value: med }], {
              k: history,
            }),
          ).toEqual([]);
        },
      ),
    );
  });
});
