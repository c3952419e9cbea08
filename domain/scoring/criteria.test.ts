import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../rulesets/catalogue.ts';
import { EXAMPLE_CATALOGUE } from '../rulesets/conversion.ts';
import {
  evaluateCollective,
  generalCriteriaFromSeed,
  rubricLevel,
  taskCompletionForCriterion2,
} from './criteria.ts';
import { nd335Parameters, scorePeriod } from './nd335.ts';
import { scorePlan } from './plan-score.ts';
import { UNIT_ACTUALS, unitPlan } from './test-fixtures.ts';

const ND335 = getRuleSet('ND335-2025');

describe('criterion 1: the 5-level rubric of seed 004 §3', () => {
  it('maps the measurable indicators to a level (the lowest indicator decides)', () => {
    const base = {
      assessmentPercent: '92',
      resolutionStudyPercent: '100',
      contributionsPerYear: 3,
      trustPercent: '95',
      disciplinedForIdeology: false,
    };
    expect(rubricLevel(base).level).toBe(5);
    // 85 %, 96 %, 1 contribution, 82 % trust → all level 4
    expect(
      rubricLevel({
        ...base,
        assessmentPercent: '85',
        resolutionStudyPercent: '96',
        contributionsPerYear: 1,
        trustPercent: '82',
      }).level,
    ).toBe(4);
    // one indicator at level 3 (resolution study 90 %) pulls it to 3
    expect(rubricLevel({ ...base, resolutionStudyPercent: '90' }).level).toBe(3);
    // 55 % assessment → 2; under 50 % → 1
    expect(rubricLevel({ ...base, assessmentPercent: '55' }).level).toBe(2);
    expect(rubricLevel({ ...base, trustPercent: '49.9' }).level).toBe(1);
    // the assessor's level caps it; discipline for ideology → 1
    expect(rubricLevel({ ...base, assessorLevel: 4 }).level).toBe(4);
    expect(rubricLevel({ ...base, disciplinedForIdeology: true }).level).toBe(1);
  });

  it('criteria 1, 3, 4 become general-criteria points of ND 335', () => {
    const { points, rubric } = generalCriteriaFromSeed(
      {
        rubric: {
          assessmentPercent: '85',
          resolutionStudyPercent: '100',
          contributionsPerYear: 2,
          trustPercent: '90',
          disciplinedForIdeology: false,
        },
        initiatives: [
          { id: 'sk1', scope: 'agency' },
          { id: 'sk2', scope: 'province' },
        ],
        capability: { certificates: 1, confirmedSelfStudy: 0 },
        disciplineStylePoints: '5',
      },
      ND335,
    );
    // level 4 → 15 × 0.8 = 12; initiatives 3 + 4 = 7 → capped at 5; capability 1 × 2.5 = 2.5
    expect(rubric.level).toBe(4);
    expect(points).toEqual({
      politicalEthics: '12',
      disciplineStyle: '5',
      initiatives: '5',
      capabilityGrowth: '2.5',
    });
    // they feed a period assessment: 12 + 5 + 5 + 2.5 = 24.5 general points
    const s = scorePeriod(
      {
        personId: 'p',
        periodKey: '2026-Q4',
        jobPosition: 'specialist',
        catalogue: EXAMPLE_CATALOGUE,
        products: [{ id: 'r', productType: 'report', assigned: '1', completed: '1', late: false }],
        generalCriteria: points,
      },
      nd335Parameters(ND335),
    );
    expect(s.display.generalPoints).toBe('24.50');
    expect(s.display.score).toBe('94.50');
  });
});

describe('criterion 2 and the collective', () => {
  it('heads are measured by the unit plan, others by their own plan', () => {
    const unit = scorePlan(unitPlan(), UNIT_ACTUALS, ND335);
    const own = scorePlan(unitPlan(), { ...UNIT_ACTUALS, KR9: '40' }, ND335);
    expect(taskCompletionForCriterion2(true, unit, own).eq(unit.completion)).toBe(true);
    expect(taskCompletionForCriterion2(false, unit, own).eq(own.completion)).toBe(true);
  });

  it('collective score = plan completion (breakthrough excluded) + confirmed unplanned work', () => {
    // 74.1666… + 2 confirmed items × 1 point = 76.1666… → 76.17; the unconfirmed item does not count
    const c = evaluateCollective(unitPlan(), UNIT_ACTUALS, ND335, [
      { id: 'u1', description: 'Hỗ trợ sáp nhập xã', completed: true, confirmedBy: 'van-phong' },
      { id: 'u2', description: 'Đón đoàn kiểm tra', completed: true, confirmedBy: 'van-phong' },
      { id: 'u3', description: 'Tự khai', completed: true, confirmedBy: '' },
    ]);
    expect(c.display.score).toBe('76.17');
    expect(c.explanation.unplannedItems).toEqual(['u1', 'u2']);
    expect(c.display.perspectivesPercent.citizens).toBe('71.67');
  });
});
