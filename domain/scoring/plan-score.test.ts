import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../plan/model.ts';
import { PERSPECTIVES } from '../plan/model.ts';
import { getRuleSet, PERSPECTIVE_PRESETS } from '../rulesets/catalogue.ts';
import { Decimal } from './decimal.ts';
import { ScoringError } from './errors.ts';
import { recomputePlanScore, scorePlan, yearActuals } from './plan-score.ts';
import { parentValue, yearValue } from './rollup.ts';
import { kr, task, UNIT_ACTUALS, unitPlan } from './test-fixtures.ts';
import { weightedMean } from './weights.ts';

const ND335 = getRuleSet('ND335-2025');
const bonusParams = { breakthrough: { mode: 'bonus' as const, bonusWeight: '2', bonusThreshold: '0.7' } };

describe('plan completion — the full unit plan worked by hand', () => {
  /*
   * citizens:
   *   T1 (weight 2): KR1 higher 81/90 = 0.9; KR2 lower with baseline (10−7)/(10−6) = 0.75
   *                  T1 = (0.9 + 0.75) / 2 = 0.825
   *   T2 (weight 1): KR3 range [80,90] tol 10, actual 95 → 1 − 5/10 = 0.5;
   *                  KR4 breakthrough (120/100 = 1.2) excluded → T2 = 0.5
   *   citizens = (2 × 0.825 + 1 × 0.5) / 3 = 2.15 / 3 = 0.71666… (71.67 %)
   * budget:     T3: KR5 zero tolerance 0 occurrences → 1 (w 1); KR6 260/200 = 1.3 → cap 1.2 → appraised 1 (w 3)
   *             T3 = (1 + 3) / 4 = 1 → budget = 1
   * processes:  T4: KR7 milestone not done → 0; KR8 lower without baseline 5/4 = 1.25 → 1.2 → 1
   *             T4 = 0.5 → processes = 0.5
   * learning:   T5: KR9 30/40 = 0.75 → learning = 0.75
   * completion (equal perspective weights) = (0.71666… + 1 + 0.5 + 0.75) / 4 = 2.96666… / 4 = 0.741666… → 74.17 %
   */
  it('scores every level and rounds only for display', () => {
    const s = scorePlan(unitPlan(), UNIT_ACTUALS, ND335);
    expect(s.display.perspectivesPercent).toEqual({
      citizens: '71.67',
      budget: '100.00',
      processes: '50.00',
      learning: '75.00',
    });
    expect(s.display.completionPercent).toBe('74.17');
    expect(s.bonusPoints.toString()).toBe('0');
    const t1 = s.explanation.perspectives[0]!.tasks[0]!;
    expect(t1.score).toBe('0.825');
    const kr4 = s.explanation.perspectives[0]!.tasks[1]!.keyResults[1]!;
    expect(kr4.treatment).toBe('excluded');
    expect(kr4.p).toBe('1.2');
    expect(kr4.note?.vi).toContain('không tính vào đánh giá');
    const kr6 = s.explanation.perspectives[1]!.tasks[0]!.keyResults[1]!;
    expect([kr6.p, kr6.appraised]).toEqual(['1.2', '1']);
  });

  /*
   * seed 001 preset for heads (governance 40 = budget 20 + processes 20; social impact 30 = citizens;
   * capacity & integrity 30 = learning):
   * 0.3 × 0.71666… + 0.2 × 1 + 0.2 × 0.5 + 0.3 × 0.75 = 0.215 + 0.2 + 0.1 + 0.225 = 0.74 → 74.00 %
   */
  it('perspective weights: the seed 001 preset', () => {
    const plan = { ...unitPlan(), perspectiveWeights: PERSPECTIVE_PRESETS.seed001Heads };
    expect(scorePlan(plan, UNIT_ACTUALS, ND335).display.completionPercent).toBe('74.00');
  });

  /*
   * bonus mode (bonusWeight 2, threshold 0.7): KR4 P = 1.2 ≥ 0.7 → 2 × min(1.2, 1) = 2 points;
   * total = 74.1666… + 2 = 76.1666… → 76.17. With KR4 at 60/100 = 0.6 < 0.7: no bonus, 74.17.
   */
  it('breakthrough bonus mode', () => {
    const s = scorePlan(unitPlan(), UNIT_ACTUALS, ND335, { parameters: bonusParams });
    expect(s.bonusPoints.toString()).toBe('2');
    expect(s.display.total).toBe('76.17');
    expect(s.display.completionPercent).toBe('74.17');
    const low = scorePlan(unitPlan(), { ...UNIT_ACTUALS, KR4: '60' }, ND335, { parameters: bonusParams });
    expect(low.display.total).toBe('74.17');
    // 85/100 = 0.85 → 2 × 0.85 = 1.7 points
    const mid = scorePlan(unitPlan(), { ...UNIT_ACTUALS, KR4: '85' }, ND335, { parameters: bonusParams });
    expect(mid.bonusPoints.toString()).toBe('1.7');
  });

  it('over-completion allowed: appraisal keeps P up to the cap', () => {
    // budget: T3 = (1 × 1 + 3 × 1.2) / 4 = 4.6 / 4 = 1.15 → 115 %
    const s = scorePlan(unitPlan(), UNIT_ACTUALS, ND335, { parameters: { allowOverCompletion: true } });
    expect(s.display.perspectivesPercent.budget).toBe('115.00');
  });

  it('key results not due are left out; a period uses period targets', () => {
    const plan: Plan = {
      ...unitPlan(),
      tasks: [
        task('A', 'citizens', '1', [
          kr('a1', { kind: 'higher' }, '120', '1', { periodTargets: { '2026-Q1': '30' } }),
          kr('a2', { kind: 'higher' }, '10', '1', { periodTargets: { '2026-Q2': '5' } }),
        ]),
      ],
    };
    // Q1: only a1 is due, 24 / 30 = 0.8 → 80 %
    const s = scorePlan(plan, { a1: '24', a2: '3' }, ND335, { periodKey: '2026-Q1' });
    expect(s.display.completionPercent).toBe('80.00');
    expect(s.explanation.perspectives[0]!.tasks[0]!.keyResults[1]!.treatment).toBe('notDue');
  });

  it('no appraisable key result is a typed error', () => {
    expect(() => scorePlan(unitPlan(), {}, ND335)).toThrow(ScoringError);
  });

  it('a tampered explanation does not recompute', () => {
    const s = scorePlan(unitPlan(), UNIT_ACTUALS, ND335);
    const tampered = structuredClone(s.explanation);
    tampered.perspectives[3]!.tasks[0]!.keyResults[0]!.actual = '40';
    expect(() => recomputePlanScore(tampered)).toThrow(/learning\/T5\/KR9\.p/);
    const tampered2 = structuredClone(s.explanation);
    tampered2.total = '80';
    expect(() => recomputePlanScore(tampered2)).toThrow(ScoringError);
  });
});

describe('aggregation: period → year, children → parent', () => {
  it('each rule', () => {
    const months = { '2026-03': '5', '2026-01': '2', '2026-02': '8' };
    expect(yearValue('sum', months)?.toString()).toBe('15');
    expect(yearValue('average', months)?.toString()).toBe('5');
    // last is by period order (March), not insertion order
    expect(yearValue('last', months)?.toString()).toBe('5');
    expect(yearValue('min', months)?.toString()).toBe('2');
    expect(yearValue('max', months)?.toString()).toBe('8');
    expect(yearValue('allDone', { '2026-Q1': '1', '2026-Q2': '0' })?.toString()).toBe('0');
    expect(parentValue({ aggregation: 'sum' }, ['10', '15.5'])?.toString()).toBe('25.5');
    expect(parentValue({ aggregation: 'average' }, ['80', '90'])?.toString()).toBe('85');
  });

  it('year actuals follow each key result’s rule', () => {
    const plan = unitPlan();
    const ya = yearActuals(plan, {
      KR1: { '2026-Q1': '20', '2026-Q2': '61' },
      KR7: { '2026-Q3': '1', '2026-Q4': '1' },
    });
    expect(ya.KR1?.toString()).toBe('81');
    expect(ya.KR7?.toString()).toBe('1');
  });
});

// A random valid plan: higher-is-better key results with positive targets.
const weight = fc.integer({ min: 1, max: 50 }).map(String);
const arbPlan = fc
  .array(
    fc.record({
      perspective: fc.constantFrom(...PERSPECTIVES),
      weight,
      krs: fc.array(
        fc.record({
          target: fc.integer({ min: 1, max: 1000 }).map(String),
          actual: fc.integer({ min: 0, max: 2000 }).map(String),
          weight,
          breakthrough: fc.boolean(),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .filter((ts) => ts.some((t) => t.krs.some((k) => !k.breakthrough)))
  .map((ts) => {
    const actuals: Record<string, string> = {};
    const plan: Plan = {
      id: 'p',
      year: 2026,
      owner: { kind: 'unit', unitId: 'u' },
      perspectiveWeights: { citizens: '3', budget: '1', processes: '2', learning: '4' },
      tasks: ts.map((t, i) =>
        task(
          `T${i}`,
          t.perspective,
          t.weight,
          t.krs.map((k, j) => {
            actuals[`T${i}K${j}`] = k.actual;
            return kr(`T${i}K${j}`, { kind: 'higher' }, k.target, k.weight, { breakthrough: k.breakthrough });
          }),
        ),
      ),
    };
    return { plan, actuals };
  });

describe('plan completion — properties', () => {
  it('property "scaling all weights changes nothing"', () => {
    fc.assert(
      fc.property(arbPlan, fc.constantFrom('2', '3', '0.5', '7.25', '1000'), ({ plan, actuals }, k) => {
        const scale = (w: string) => new Decimal(w).times(k).toString();
        const scaled: Plan = {
          ...plan,
          perspectiveWeights: Object.fromEntries(
            Object.entries(plan.perspectiveWeights ?? {}).map(([p, w]) => [p, scale(w)]),
          ),
          tasks: plan.tasks.map((t) => ({
            ...t,
            weight: scale(t.weight),
            keyResults: t.keyResults.map((r) => ({ ...r, weight: scale(r.weight) })),
          })),
        };
        const a = scorePlan(plan, actuals, ND335);
        const b = scorePlan(scaled, actuals, ND335);
        return a.completion.eq(b.completion) && a.total.eq(b.total);
      }),
    );
  });

  it('property "breakthrough items do not move the appraisal score"', () => {
    fc.assert(
      fc.property(arbPlan, fc.integer({ min: 0, max: 5000 }), ({ plan, actuals }, v) => {
        const moved = { ...actuals };
        for (const t of plan.tasks) for (const r of t.keyResults) if (r.breakthrough) moved[r.id] = String(v);
        const a = scorePlan(plan, actuals, ND335);
        const b = scorePlan(plan, moved, ND335);
        // in bonus mode the completion (the appraisal) does not move either; only the bonus may
        const c = scorePlan(plan, actuals, ND335, { parameters: bonusParams });
        const d = scorePlan(plan, moved, ND335, { parameters: bonusParams });
        return (
          a.completion.eq(b.completion) &&
          a.total.eq(b.total) &&
          c.completion.eq(d.completion) &&
          c.completion.eq(a.completion)
        );
      }),
    );
  });

  it('property "the explanation recomputes the score exactly"', () => {
    fc.assert(
      fc.property(arbPlan, fc.boolean(), ({ plan, actuals }, bonus) => {
        const s = scorePlan(plan, actuals, ND335, bonus ? { parameters: bonusParams } : {});
        // through JSON, as stored
        const stored = JSON.parse(JSON.stringify(s.explanation));
        return (
          recomputePlanScore(stored).eq(s.total) &&
          recomputePlanScore(stored).toString() === s.explanation.total
        );
      }),
    );
  });

  it('weighted mean normalises weights (they need not sum to 100)', () => {
    // (3 × 0.5 + 1 × 1) / 4 = 0.625
    expect(
      weightedMean(
        [
          { value: '0.5', weight: '3' },
          { value: '1', weight: '1' },
        ],
        't',
      ).toString(),
    ).toBe('0.625');
    expect(() => weightedMean([{ value: '1', weight: '0' }], 't')).toThrow(ScoringError);
  });
});
