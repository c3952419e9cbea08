// The seed's evaluation criteria (seed 004 part B): collectives by their plan, individuals by four
// criteria, criterion 1 by the 5-level rubric of §3 (political stance, ethics, lifestyle).
import type { DecimalString, Plan } from '../plan/model.ts';
import type { RuleSet } from '../rulesets/types.ts';
import { Decimal, dec, exact, ONE, roundForDisplay, ZERO } from './decimal.ts';
import { type PlanScore, scorePlan } from './plan-score.ts';

export type RubricLevel = 1 | 2 | 3 | 4 | 5;

export const RUBRIC_LABELS: Record<RubricLevel, { vi: string; en: string }> = {
  5: { vi: 'Xuất sắc — tiên phong, khuôn mẫu', en: 'Excellent — pioneering, exemplary' },
  4: { vi: 'Tốt — kiên định, tích cực', en: 'Good — steadfast, active' },
  3: { vi: 'Trung bình — chấp hành, thụ động', en: 'Average — compliant, passive' },
  2: { vi: 'Biểu hiện dao động, thiếu nhất quán', en: 'Wavering, inconsistent' },
  1: { vi: 'Suy giảm, trôi lạc, vi phạm kỷ luật', en: 'Declining, adrift, disciplined' },
};

/** The rubric's measurable indicators (seed 004 §3 "Chỉ số đo"). */
export interface RubricIndicators {
  /** Assessment score given, in % (≥90 → 5, 80–89 → 4, 65–79 → 3, 50–64 → 2, <50 → 1). */
  assessmentPercent: DecimalString;
  /** Participation in resolution study, % (100 → 5, ≥95 → 4, 80–94 → 3, 50–79 → 2, <50 → 1). */
  resolutionStudyPercent: DecimalString;
  /** Contributions to Party building / countering wrong views per year (≥3 → 5, 1–2 → 4, 0 → 3: the seed lists 0 under levels 3 and 2, the favourable reading is used and the other indicators decide). */
  contributionsPerYear: number;
  /** Trust of colleagues and the public, % (same bands as the assessment score). */
  trustPercent: DecimalString;
  /** Disciplined for a breach concerning political ideology → level 1. */
  disciplinedForIdeology: boolean;
  /** The assessor's judgement on the qualitative criteria; the result never exceeds it. */
  assessorLevel?: RubricLevel;
}

function byPercent(p: Decimal, bands: readonly [number, RubricLevel][]): RubricLevel {
  for (const [min, level] of bands) if (p.gte(min)) return level;
  return 1;
}

export interface RubricResult {
  level: RubricLevel;
  perIndicator: Record<string, RubricLevel>;
}

/** The rubric level: the lowest level any indicator supports (the assessor's level caps it). */
export function rubricLevel(ind: RubricIndicators): RubricResult {
  const scoreBands: [number, RubricLevel][] = [
    [90, 5],
    [80, 4],
    [65, 3],
    [50, 2],
  ];
  const perIndicator: Record<string, RubricLevel> = {
    assessment: byPercent(dec(ind.assessmentPercent), scoreBands),
    resolutionStudy: byPercent(dec(ind.resolutionStudyPercent), [
      [100, 5],
      [95, 4],
      [80, 3],
      [50, 2],
    ]),
    contributions: ind.contributionsPerYear >= 3 ? 5 : ind.contributionsPerYear >= 1 ? 4 : 3,
    trust: byPercent(dec(ind.trustPercent), scoreBands),
  };
  if (ind.assessorLevel !== undefined) perIndicator.assessor = ind.assessorLevel;
  if (ind.disciplinedForIdeology) perIndicator.ideologyDiscipline = 1;
  const level = Math.min(...Object.values(perIndicator)) as RubricLevel;
  return { level, perIndicator };
}

/** Share of the criterion's points per rubric level [U] (configurable). */
export const DEFAULT_RUBRIC_SHARES: Record<RubricLevel, DecimalString> = {
  5: '1',
  4: '0.8',
  3: '0.6',
  2: '0.4',
  1: '0',
};

export interface SeedCriteriaInput {
  /** Criterion 1. */
  rubric: RubricIndicators;
  /** Criterion 3: recognised proposals and initiatives, by scope of recognition. */
  initiatives: { id: string; scope: 'unit' | 'agency' | 'province' | 'national' }[];
  /** Criterion 4: certificates obtained and self-study confirmed by a council or the head. */
  capability: { certificates: number; confirmedSelfStudy: number };
  /** The direct manager's points for discipline and work style. */
  disciplineStylePoints: DecimalString;
}

export interface SeedCriteriaParameters {
  rubricShares: Record<RubricLevel, DecimalString>;
  initiativePoints: Record<'unit' | 'agency' | 'province' | 'national', DecimalString>;
  capabilityPointsPerItem: DecimalString;
}

export const DEFAULT_SEED_CRITERIA_PARAMETERS: SeedCriteriaParameters = {
  rubricShares: DEFAULT_RUBRIC_SHARES,
  initiativePoints: { unit: '2', agency: '3', province: '4', national: '5' },
  capabilityPointsPerItem: '2.5',
};

/**
 * Criteria 1, 3 and 4 of the seed as general-criteria points of the rule set (ND 335's 30 points):
 * politicalEthics = max × rubric share; initiatives and capability summed and capped at their maximum.
 */
export function generalCriteriaFromSeed(
  input: SeedCriteriaInput,
  ruleSet: RuleSet,
  prm: SeedCriteriaParameters = DEFAULT_SEED_CRITERIA_PARAMETERS,
): { points: Record<string, DecimalString>; rubric: RubricResult } {
  const max = (id: string) => dec(ruleSet.nd335.generalCriteria.find((c) => c.id === id)?.maxPoints ?? '0');
  const rubric = rubricLevel(input.rubric);
  const initiatives = input.initiatives.reduce((s, i) => s.plus(prm.initiativePoints[i.scope]), ZERO);
  const capability = dec(prm.capabilityPointsPerItem).times(
    input.capability.certificates + input.capability.confirmedSelfStudy,
  );
  return {
    rubric,
    points: {
      politicalEthics: exact(max('politicalEthics').times(prm.rubricShares[rubric.level])),
      disciplineStyle: exact(Decimal.min(dec(input.disciplineStylePoints), max('disciplineStyle'))),
      initiatives: exact(Decimal.min(initiatives, max('initiatives'))),
      capabilityGrowth: exact(Decimal.min(capability, max('capabilityGrowth'))),
    },
  };
}

/** Criterion 2: heads are measured by the unit's plan, others by their own approved personal plan. */
export function taskCompletionForCriterion2(
  isHead: boolean,
  unitPlan: PlanScore,
  ownPlan?: PlanScore,
): Decimal {
  const chosen = isHead ? unitPlan : (ownPlan ?? unitPlan);
  return chosen.completion;
}

export interface UnplannedWork {
  id: string;
  description: string;
  completed: boolean;
  confirmedBy: string;
}

export interface CollectiveEvaluation {
  plan: PlanScore;
  unplannedCredit: Decimal;
  score: Decimal;
  display: { score: string; perspectivesPercent: PlanScore['display']['perspectivesPercent'] };
  explanation: {
    formula: string;
    planTotal: string;
    unplannedItems: string[];
    unplannedCredit: string;
    score: string;
  };
}

/**
 * A collective: plan completion with breakthrough items treated by the rule set (excluded by
 * default), plus credit for listed, confirmed unplanned work; capped at 100 unless over-completion.
 */
export function evaluateCollective(
  plan: Plan,
  actuals: Readonly<Record<string, Decimal.Value>>,
  ruleSet: RuleSet,
  unplanned: readonly UnplannedWork[],
): CollectiveEvaluation {
  const ps = scorePlan(plan, actuals, ruleSet);
  const counted = unplanned.filter((u) => u.completed && u.confirmedBy.trim());
  const credit = Decimal.min(
    dec(ruleSet.nd335.unplannedCredit.perItem).times(counted.length),
    dec(ruleSet.nd335.unplannedCredit.max),
  );
  const raw = ps.total.plus(credit);
  const score = ruleSet.scoring.allowOverCompletion ? raw : Decimal.min(raw, ONE.times(100));
  return {
    plan: ps,
    unplannedCredit: credit,
    score,
    display: { score: roundForDisplay(score), perspectivesPercent: ps.display.perspectivesPercent },
    explanation: {
      formula: 'score = min(100, plan total + min(max, perItem × confirmed unplanned items))',
      planTotal: exact(ps.total),
      unplannedItems: counted.map((u) => u.id),
      unplannedCredit: exact(credit),
      score: exact(score),
    },
  };
}
