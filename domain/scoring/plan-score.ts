// Plan completion (DESIGN §4): key result → task → perspective → plan, with relative weights,
// breakthrough exclusion or bonus, and an explanation tree that recomputes the score exactly.
import type { Direction, KeyResultType, Perspective, Plan } from '../plan/model.ts';
import { PERSPECTIVES } from '../plan/model.ts';
import type { RuleSet } from '../rulesets/types.ts';
import { appraisalValue, attainment, type StatusColour, statusColour } from './attainment.ts';
import { cloneData, Decimal, dec, exact, roundForDisplay, ZERO } from './decimal.ts';
import { ScoringError } from './errors.ts';
import { type Message, message } from './messages.ts';
import { yearValue } from './rollup.ts';
import { weightedMean } from './weights.ts';

export interface PlanScoringParameters {
  displayCap: string;
  allowOverCompletion: boolean;
  okrGreenFrom: string;
  breakthrough: { mode: 'exclude' | 'bonus'; bonusWeight: string; bonusThreshold: string };
  /** Resolved relative weights of the four perspectives. */
  perspectiveWeights: Record<Perspective, string>;
}

export type KeyResultTreatment = 'appraised' | 'excluded' | 'bonus' | 'notDue';

export interface KeyResultNode {
  id: string;
  type: KeyResultType;
  breakthrough: boolean;
  weight: string;
  direction: Direction;
  target: string;
  baseline?: string;
  /** Absent when the key result is not due in the scored period. */
  actual?: string;
  formula?: string;
  /** P floored at 0 and capped (exact). */
  p?: string;
  /** The value that enters the task mean: min(P, 1) unless over-completion is allowed. */
  appraised?: string;
  status?: StatusColour;
  treatment: KeyResultTreatment;
  bonusPoints?: string;
  note?: Message;
}

export interface TaskNode {
  id: string;
  weight: string;
  /** Weighted mean of the appraised key results; absent when none is appraised. */
  score?: string;
  keyResults: KeyResultNode[];
}

export interface PerspectiveNode {
  perspective: Perspective;
  weight: string;
  score?: string;
  tasks: TaskNode[];
}

export interface PlanScoreExplanation {
  planId: string;
  ruleSet?: { id: string; version: number };
  parameters: PlanScoringParameters;
  formula: string;
  perspectives: PerspectiveNode[];
  /** Weighted mean of the perspective scores, a fraction (exact). */
  completion: string;
  /** 100 × completion. */
  completionPoints: string;
  bonusPoints: string;
  /** completionPoints + bonusPoints (exact). */
  total: string;
}

export interface PlanScore {
  completion: Decimal;
  completionPoints: Decimal;
  bonusPoints: Decimal;
  total: Decimal;
  perspectiveScores: Partial<Record<Perspective, Decimal>>;
  /** Rounded for display (2 decimals half-up): completion in %, total in points. */
  display: {
    completionPercent: string;
    total: string;
    perspectivesPercent: Partial<Record<Perspective, string>>;
  };
  explanation: PlanScoreExplanation;
}

export const PLAN_FORMULA =
  'task = Σ wᵢ·min(Pᵢ,1) / Σ wᵢ; perspective = Σ Wⱼ·taskⱼ / Σ Wⱼ; completion = Σ Vₖ·perspectiveₖ / Σ Vₖ; ' +
  'total = 100 × completion + Σ bonusWeight·min(P,1) (breakthrough items with P ≥ threshold, bonus mode)';

export function planParameters(
  ruleSet: RuleSet,
  plan?: Pick<Plan, 'perspectiveWeights'>,
): PlanScoringParameters {
  const s = ruleSet.scoring;
  const given = plan?.perspectiveWeights ?? s.perspectiveWeights ?? {};
  const perspectiveWeights = Object.fromEntries(
    PERSPECTIVES.map((p) => [p, given[p] ?? (Object.keys(given).length ? '0' : '1')]),
  ) as Record<Perspective, string>;
  return {
    displayCap: s.displayCap,
    allowOverCompletion: s.allowOverCompletion,
    okrGreenFrom: s.okrGreenFrom,
    breakthrough: { ...s.breakthrough },
    perspectiveWeights,
  };
}

export interface ScorePlanOptions {
  /** Score one period: targets come from each key result's periodTargets[periodKey]. */
  periodKey?: string;
  /** Overrides (e.g. bonus mode chosen by the province). */
  parameters?: Partial<PlanScoringParameters>;
}

/**
 * Scores a plan from the actual values of its key results (`actuals[krId]`, the year value or the
 * period value). A key result without an actual (or without a target for the period) is not due and
 * is left out of every mean.
 */
export function scorePlan(
  plan: Plan,
  actuals: Readonly<Record<string, Decimal.Value>>,
  ruleSet: RuleSet,
  options: ScorePlanOptions = {},
): PlanScore {
  const parameters: PlanScoringParameters = { ...planParameters(ruleSet, plan), ...options.parameters };
  const perspectives: PerspectiveNode[] = PERSPECTIVES.map((perspective) => ({
    perspective,
    weight: parameters.perspectiveWeights[perspective],
    tasks: plan.tasks
      .filter((t) => t.perspective === perspective)
      .map((t) => ({
        id: t.id,
        weight: t.weight,
        keyResults: t.keyResults.map((kr): KeyResultNode => {
          const target = options.periodKey === undefined ? kr.target : kr.periodTargets?.[options.periodKey];
          const actual = actuals[kr.id];
          const node: KeyResultNode = {
            id: kr.id,
            type: kr.type,
            breakthrough: kr.breakthrough,
            weight: kr.weight,
            direction: kr.direction,
            target: target ?? kr.target,
            treatment: 'notDue',
          };
          if (kr.baseline !== undefined) node.baseline = kr.baseline;
          if (actual !== undefined && target !== undefined) node.actual = dec(actual).toString();
          return node;
        }),
      })),
  }));
  const explanation: PlanScoreExplanation = {
    planId: plan.id,
    ruleSet: { id: ruleSet.id, version: ruleSet.version },
    parameters,
    formula: PLAN_FORMULA,
    perspectives,
    completion: '',
    completionPoints: '',
    bonusPoints: '',
    total: '',
  };
  return evaluate(explanation, false);
}

/** Year actuals from per-period values, each key result by its own aggregation rule. */
export function yearActuals(
  plan: Plan,
  periodValues: Readonly<Record<string, Readonly<Record<string, Decimal.Value>>>>,
): Record<string, Decimal> {
  const out: Record<string, Decimal> = {};
  for (const task of plan.tasks) {
    for (const kr of task.keyResults) {
      const values = periodValues[kr.id];
      if (!values) continue;
      const v = yearValue(kr.aggregation, values);
      if (v !== undefined) out[kr.id] = v;
    }
  }
  return out;
}

/**
 * Recomputes the score from its explanation alone (leaf inputs and parameters) and checks every
 * recorded intermediate value; throws `explanation.mismatch` if any differs. Returns the total.
 */
export function recomputePlanScore(explanation: PlanScoreExplanation): Decimal {
  const copy = cloneData(explanation);
  return evaluate(copy, true).total;
}

function check(
  verify: boolean,
  path: string,
  recorded: string | undefined,
  recomputed: string | undefined,
): void {
  if (verify && recorded !== recomputed) {
    throw new ScoringError('explanation.mismatch', {
      path,
      recorded: String(recorded),
      recomputed: String(recomputed),
    });
  }
}

function set<T extends object, K extends keyof T>(
  verify: boolean,
  path: string,
  obj: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (verify) {
    const recorded = obj[key];
    const same =
      typeof value === 'object' ? JSON.stringify(recorded) === JSON.stringify(value) : recorded === value;
    if (!same) check(true, path, JSON.stringify(recorded), JSON.stringify(value));
    return;
  }
  if (value === undefined) delete obj[key];
  else obj[key] = value;
}

function evaluate(ex: PlanScoreExplanation, verify: boolean): PlanScore {
  const prm = ex.parameters;
  const bonusMode = prm.breakthrough.mode === 'bonus';
  const threshold = dec(prm.breakthrough.bonusThreshold);
  let bonus = ZERO;
  const perspectiveScores: Partial<Record<Perspective, Decimal>> = {};
  const scoredPerspectives: { value: Decimal; weight: string }[] = [];

  for (const pn of ex.perspectives) {
    const scoredTasks: { value: Decimal; weight: string }[] = [];
    for (const tn of pn.tasks) {
      const appraised: { value: Decimal; weight: string }[] = [];
      for (const kn of tn.keyResults) {
        const path = `${pn.perspective}/${tn.id}/${kn.id}`;
        if (kn.actual === undefined) {
          set(verify, `${path}.treatment`, kn, 'treatment', 'notDue');
          continue;
        }
        const att = attainment(
          { direction: kn.direction, actual: kn.actual, target: kn.target, baseline: kn.baseline },
          prm.displayCap,
        );
        const app = appraisalValue(att.value, prm.allowOverCompletion);
        set(verify, `${path}.formula`, kn, 'formula', att.formula);
        set(verify, `${path}.p`, kn, 'p', exact(att.value));
        set(verify, `${path}.appraised`, kn, 'appraised', exact(app));
        set(verify, `${path}.status`, kn, 'status', statusColour(kn.type, att.value, prm.okrGreenFrom));
        let treatment: KeyResultTreatment = 'appraised';
        let bonusPoints: string | undefined;
        let note: Message | undefined;
        if (kn.breakthrough) {
          if (bonusMode) {
            treatment = 'bonus';
            const pts = att.value.gte(threshold)
              ? dec(prm.breakthrough.bonusWeight).times(Decimal.min(att.value, 1))
              : ZERO;
            bonusPoints = exact(pts);
            bonus = bonus.plus(pts);
            note = att.value.gte(threshold)
              ? message('plan.breakthroughBonus', {
                  id: kn.id,
                  p: roundForDisplay(att.value),
                  threshold: threshold.toString(),
                  points: roundForDisplay(pts),
                })
              : message('plan.breakthroughNoBonus', {
                  id: kn.id,
                  p: roundForDisplay(att.value),
                  threshold: threshold.toString(),
                });
          } else {
            treatment = 'excluded';
            note = message('plan.breakthroughExcluded', { id: kn.id });
          }
        } else {
          appraised.push({ value: app, weight: kn.weight });
        }
        set(verify, `${path}.treatment`, kn, 'treatment', treatment);
        set(verify, `${path}.bonusPoints`, kn, 'bonusPoints', bonusPoints);
        set(verify, `${path}.note`, kn, 'note', note);
      }
      const score = hasWeight(appraised) ? weightedMean(appraised, `task ${tn.id}`) : undefined;
      set(verify, `${pn.perspective}/${tn.id}.score`, tn, 'score', score && exact(score));
      if (score) scoredTasks.push({ value: score, weight: tn.weight });
    }
    const pScore = hasWeight(scoredTasks)
      ? weightedMean(scoredTasks, `perspective ${pn.perspective}`)
      : undefined;
    set(verify, `${pn.perspective}.score`, pn, 'score', pScore && exact(pScore));
    if (pScore) {
      perspectiveScores[pn.perspective] = pScore;
      scoredPerspectives.push({ value: pScore, weight: pn.weight });
    }
  }
  if (!hasWeight(scoredPerspectives))
    throw new ScoringError('weights.noPositiveWeight', { level: `plan ${ex.planId}` });
  const completion = weightedMean(scoredPerspectives, `plan ${ex.planId}`);
  const completionPoints = completion.times(100);
  const total = completionPoints.plus(bonus);
  set(verify, 'completion', ex, 'completion', exact(completion));
  set(verify, 'completionPoints', ex, 'completionPoints', exact(completionPoints));
  set(verify, 'bonusPoints', ex, 'bonusPoints', exact(bonus));
  set(verify, 'total', ex, 'total', exact(total));
  return {
    completion,
    completionPoints,
    bonusPoints: bonus,
    total,
    perspectiveScores,
    display: {
      completionPercent: roundForDisplay(completionPoints),
      total: roundForDisplay(total),
      perspectivesPercent: Object.fromEntries(
        Object.entries(perspectiveScores).map(([k, v]) => [k, roundForDisplay(v.times(100))]),
      ) as Partial<Record<Perspective, string>>,
    },
    explanation: ex,
  };
}

function hasWeight(items: readonly { weight: string }[]): boolean {
  return items.some((i) => dec(i.weight).gt(0));
}
