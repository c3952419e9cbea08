import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../rulesets/catalogue.ts';
import { EXAMPLE_CATALOGUE } from '../rulesets/conversion.ts';
import { ScoringError } from './errors.ts';
import {
  nd335Parameters,
  type PeriodAssessmentInput,
  type Product,
  recomputePeriodScore,
  recomputeYearScore,
  scorePeriod,
  type Waiver,
  yearScore,
} from './nd335.ts';

const PRM = nd335Parameters(getRuleSet('ND335-2025'));
const waiver: Waiver = {
  objectiveCause: 'Chờ ý kiến thẩm định của Bộ (văn bản đến muộn)',
  evidence: ['cv-123-bnv.pdf'],
  approvedBy: 'truong-phong',
  approvedOn: '2026-05-02',
};
const general = { politicalEthics: '14', disciplineStyle: '5', initiatives: '3', capabilityGrowth: '4' }; // 26 points

function period(
  periodKey: string,
  products: Product[],
  extra: Partial<PeriodAssessmentInput> = {},
): PeriodAssessmentInput {
  return {
    personId: 'nguyen-van-a',
    periodKey,
    jobPosition: 'specialist',
    catalogue: EXAMPLE_CATALOGUE,
    products,
    generalCriteria: general,
    ...extra,
  };
}

// Specialist coefficients: report 1, draftDecision 2, inspection 3, dossier 0.5.
const q1Products: Product[] = [
  { id: 'bc-q1', productType: 'report', assigned: '4', completed: '4', late: false }, // 4 units
  { id: 'dt-q1', productType: 'draftDecision', assigned: '2', completed: '2', late: true }, // 4 units, late, no waiver
  {
    id: 'hs-q1',
    productType: 'dossier',
    assigned: '4',
    completed: '4',
    late: false,
    majorErrors: [{ returnedOn: '2026-03-12' }],
  }, // 2 units, returned once for a major error
];

describe('ND 335 — one person’s year, worked by hand', () => {
  /*
   * Q1: assigned units 4 + 4 + 2 = 10; shares 0.4, 0.4, 0.2; everything completed.
   *   quantity = 10 / 10 = 1
   *   progress = 0.4 × 1 + 0.4 × (1 − 0.25) + 0.2 × 1 = 0.4 + 0.3 + 0.2 = 0.9   (late, no waiver)
   *   quality  = (0.4 × 1 + 0.4 × 1 + 0.2 × (1 − 0.25)) / 1 = 0.95            (one major error)
   *   task %   = (1 + 0.9 + 0.95) / 3 = 2.85 / 3 = 0.95; task points = 70 × 0.95 = 66.5
   *   general  = 14 + 5 + 3 + 4 = 26 → Q1 = 92.5
   */
  it('Q1: a late item without waiver and a major error each lose 25% of their share', () => {
    const q1 = scorePeriod(period('2026-Q1', q1Products), PRM);
    expect([q1.quantity, q1.progress, q1.quality, q1.taskFraction].map(String)).toEqual([
      '1',
      '0.9',
      '0.95',
      '0.95',
    ]);
    expect(q1.display).toEqual({ taskPoints: '66.50', generalPoints: '26.00', score: '92.50' });
    expect(q1.explanation.notes.map((n) => n.key)).toEqual([
      'nd335.lateDeducted',
      'nd335.majorErrorDeducted',
    ]);
    expect(recomputePeriodScore(JSON.parse(JSON.stringify(q1.explanation))).toString()).toBe('92.5');
  });

  /*
   * Q2: the same products, the late draft decision now has an approved waiver (objective cause +
   * evidence) and the dossier has no error: progress = 1, quality = 1, task % = 1 → 70 + 26 = 96.
   */
  it('Q2: a late item with a valid waiver loses nothing', () => {
    const products = q1Products.map((p) => ({
      ...p,
      majorErrors: [],
      ...(p.late ? { lateWaiver: waiver } : {}),
    }));
    const q2 = scorePeriod(period('2026-Q2', products), PRM);
    expect(q2.display.score).toBe('96.00');
    expect(q2.explanation.notes.map((n) => n.key)).toEqual(['nd335.lateWaived']);
  });

  it('a waiver without evidence, without a cause or approved by the person themself is not applied', () => {
    for (const bad of [
      { ...waiver, evidence: [] },
      { ...waiver, objectiveCause: '  ' },
      { ...waiver, approvedBy: 'nguyen-van-a' },
    ]) {
      const products = q1Products.map((p) => ({
        ...p,
        majorErrors: [],
        ...(p.late ? { lateWaiver: bad } : {}),
      }));
      const s = scorePeriod(period('2026-Q2', products), PRM);
      // progress 0.9, quality 1 → (1 + 0.9 + 1) / 3 = 0.96666… → 70 × 0.96666… = 67.666… + 26 = 93.67
      expect(s.progress.toString()).toBe('0.9');
      expect(s.display.score).toBe('93.67');
      expect(s.explanation.notes[0]?.key).toBe('nd335.waiverInvalid');
      expect(s.explanation.notes[0]?.vi).not.toMatch(/no |self-approved/);
    }
  });

  it('undelivered products count against quantity and progress, not quality; errors floor at 0', () => {
    // report 4 units done; inspection 2 × 3 = 6 units not done; total 10
    // quantity = 4 / 10 = 0.4; progress = 0.4; quality over delivered only = 1 → (0.4 + 0.4 + 1) / 3 = 0.6
    const s = scorePeriod(
      period('2026-Q3', [
        { id: 'a', productType: 'report', assigned: '4', completed: '4', late: false },
        { id: 'b', productType: 'inspection', assigned: '2', completed: '0', late: false },
      ]),
      PRM,
    );
    expect([s.quantity, s.progress, s.quality, s.taskFraction].map(String)).toEqual([
      '0.4',
      '0.4',
      '1',
      '0.6',
    ]);
    // five returns: 1 − 5 × 0.25 < 0 → 0
    const five = Array.from({ length: 5 }, () => ({ returnedOn: '2026-08-01' }));
    const z = scorePeriod(
      period('2026-Q3', [
        { id: 'c', productType: 'report', assigned: '1', completed: '1', late: false, majorErrors: five },
      ]),
      PRM,
    );
    expect(z.quality.toString()).toBe('0');
  });

  it('a leader’s extra components: own results, unit results, organising capacity', () => {
    // own task % = 0.95 (Q1); not every subordinate completed → unit component 0.5; organising 0.8
    // task % = (0.95 + 0.5 + 0.8) / 3 = 2.25 / 3 = 0.75 → 70 × 0.75 = 52.5 + 26 = 78.5
    const s = scorePeriod(
      period('2026-Q1', q1Products, {
        leader: { subordinatesAllCompleted: false, organisingCapacity: '0.8' },
      }),
      PRM,
    );
    expect(s.taskFraction.toString()).toBe('0.75');
    expect(s.display.score).toBe('78.50');
    // all subordinates completed → (0.95 + 1 + 0.8) / 3 = 0.91666… → 64.1666… + 26 = 90.17
    const all = scorePeriod(
      period('2026-Q1', q1Products, {
        leader: { subordinatesAllCompleted: true, organisingCapacity: '0.8' },
      }),
      PRM,
    );
    expect(all.display.score).toBe('90.17');
  });

  it('quantity from plan completion (criterion 2) and the general criteria limits', () => {
    // quantity 0.8 from the plan; progress 0.9, quality 0.95 → (0.8 + 0.9 + 0.95) / 3 = 0.88333… → 61.8333… + 26 = 87.83
    expect(scorePeriod(period('2026-Q1', q1Products, { planCompletion: '0.8' }), PRM).display.score).toBe(
      '87.83',
    );
    expect(() =>
      scorePeriod(period('2026-Q1', q1Products, { generalCriteria: { politicalEthics: '16' } }), PRM),
    ).toThrow(ScoringError);
    expect(() =>
      scorePeriod(period('2026-Q1', q1Products, { generalCriteria: { charm: '1' } }), PRM),
    ).toThrow(/Unknown general criterion/);
    expect(() =>
      scorePeriod(
        period('2026-Q1', [{ id: 'x', productType: 'poem', assigned: '1', completed: '1', late: false }]),
        PRM,
      ),
    ).toThrow(/No conversion coefficient/);
  });

  /*
   * The year, with a transfer from unit A to unit B on 16/08/2026:
   *   Q1 (unit A, 90/90 days) 92.5; Q2 (unit A, 91/91) 96;
   *   Q3 in unit A 01/07–15/08 = 46 of 92 days, scored 80; Q3 in unit B 16/08–30/09 = 46 of 92 days, scored 90;
   *   Q4 (unit B, 92/92) 88.
   *   year = (92.5 × 1 + 96 × 1 + 80 × 0.5 + 90 × 0.5 + 88 × 1) / (1 + 1 + 0.5 + 0.5 + 1)
   *        = (92.5 + 96 + 40 + 45 + 88) / 4 = 361.5 / 4 = 90.375 → 90.38 (half-up)
   */
  it('the year score: mean of period scores pro-rated to time worked, across a transfer', () => {
    const q1 = scorePeriod(period('2026-Q1', q1Products), PRM);
    const q2 = scorePeriod(
      period(
        '2026-Q2',
        q1Products.map((p) => ({ ...p, majorErrors: [], ...(p.late ? { lateWaiver: waiver } : {}) })),
      ),
      PRM,
    );
    const y = yearScore([
      { periodKey: '2026-Q1', unitId: 'A', score: q1.score.toString(), daysWorked: 90, daysInPeriod: 90 },
      { periodKey: '2026-Q2', unitId: 'A', score: q2.score.toString(), daysWorked: 91, daysInPeriod: 91 },
      { periodKey: '2026-Q3', unitId: 'A', score: '80', daysWorked: 46, daysInPeriod: 92 },
      { periodKey: '2026-Q3', unitId: 'B', score: '90', daysWorked: 46, daysInPeriod: 92 },
      { periodKey: '2026-Q4', unitId: 'B', score: '88', daysWorked: 92, daysInPeriod: 92 },
    ]);
    expect(y.score.toString()).toBe('90.375');
    expect(y.display).toBe('90.38');
    expect(recomputeYearScore(JSON.parse(JSON.stringify(y.explanation))).toString()).toBe('90.375');
    const tampered = structuredClone(y.explanation);
    tampered.periods[2]!.score = '85';
    expect(() => recomputeYearScore(tampered)).toThrow(ScoringError);
    // a plain mean would give (92.5 + 96 + 80 + 90 + 88) / 5 = 89.3: pro-rating matters
    expect(y.display).not.toBe('89.30');
    expect(() =>
      yearScore([{ periodKey: '2026-Q1', unitId: 'A', score: '90', daysWorked: 0, daysInPeriod: 90 }]),
    ).toThrow(ScoringError);
  });

  it('a period explanation with altered inputs does not match its steps', () => {
    const q1 = scorePeriod(period('2026-Q1', q1Products), PRM);
    const tampered = structuredClone(q1.explanation);
    tampered.input.products[1]!.late = false;
    expect(() => recomputePeriodScore(tampered)).toThrow(/progress/);
  });
});

describe('ND 335 — properties', () => {
  const product = fc.record({
    id: fc.uuid(),
    productType: fc.constantFrom('report', 'draftDecision', 'inspection', 'dossier'),
    assigned: fc.integer({ min: 1, max: 20 }).map(String),
    done: fc.integer({ min: 0, max: 25 }),
    late: fc.boolean(),
    waived: fc.boolean(),
    errors: fc.nat(3),
  });
  const arbPeriod = fc.array(product, { minLength: 1, maxLength: 8 }).map((ps) =>
    period(
      '2026-Q1',
      ps.map((p) => ({
        id: p.id,
        productType: p.productType,
        assigned: p.assigned,
        completed: String(p.done),
        late: p.late,
        ...(p.waived ? { lateWaiver: waiver } : {}),
        majorErrors: Array.from({ length: p.errors }, () => ({ returnedOn: '2026-02-01' })),
      })),
    ),
  );

  it('property "the explanation recomputes the period and year scores exactly"', () => {
    fc.assert(
      fc.property(arbPeriod, fc.integer({ min: 1, max: 92 }), (input, days) => {
        const s = scorePeriod(input, PRM);
        const ok = recomputePeriodScore(JSON.parse(JSON.stringify(s.explanation))).eq(s.score);
        const y = yearScore([
          {
            periodKey: '2026-Q1',
            unitId: 'A',
            score: s.score.toString(),
            daysWorked: days,
            daysInPeriod: 92,
          },
          { periodKey: '2026-Q2', unitId: 'A', score: '77.5', daysWorked: 91, daysInPeriod: 91 },
        ]);
        return ok && recomputeYearScore(JSON.parse(JSON.stringify(y.explanation))).eq(y.score);
      }),
    );
  });

  it('property "period score stays within 0–100 and a waiver never lowers it"', () => {
    fc.assert(
      fc.property(arbPeriod, (input) => {
        const s = scorePeriod(input, PRM);
        const unwaived = scorePeriod(
          { ...input, products: input.products.map(({ lateWaiver: _w, ...p }) => p) },
          PRM,
        );
        return s.score.gte(0) && s.score.lte(100) && s.score.gte(unwaived.score);
      }),
    );
  });
});
