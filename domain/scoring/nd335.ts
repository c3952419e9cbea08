// Period and year scores in the shape of ND 335/2025 (RULES.md "Score"): 70 task points from quantity,
// progress and quality of converted products, 30 general-criteria points, leaders' extra components,
// and the year score as the mean of period scores pro-rated to time worked.
import type { DecimalString } from '../plan/model.ts';
import type { ConversionCatalogue } from '../rulesets/conversion.ts';
import type { GeneralCriterion, RuleSet } from '../rulesets/types.ts';
import { cloneData, Decimal, dec, exact, ONE, roundForDisplay, ZERO } from './decimal.ts';
import { ScoringError } from './errors.ts';
import { type Message, message } from './messages.ts';
import { weightedMean } from './weights.ts';

/** An approver's record that a delay or an error had an objective cause, with evidence. */
export interface Waiver {
  objectiveCause: string;
  evidence: string[];
  approvedBy: string;
  approvedOn: string;
}

export interface Product {
  id: string;
  productType: string;
  assigned: DecimalString;
  completed: DecimalString;
  late: boolean;
  lateWaiver?: Waiver;
  /** Each return of the product by the verifier for a major error. */
  majorErrors?: { returnedOn: string; waiver?: Waiver }[];
}

export interface LeaderInput {
  /** Every subordinate reached at least "Hoàn thành" in the period. */
  subordinatesAllCompleted: boolean;
  /** Organising capacity, a fraction 0–1 scored by the assessor. */
  organisingCapacity: DecimalString;
}

export interface PeriodAssessmentInput {
  personId: string;
  periodKey: string;
  jobPosition: string;
  catalogue: ConversionCatalogue;
  products: Product[];
  /** Quantity as plan completion over the key results due in the period (a fraction); overrides the product ratio. */
  planCompletion?: DecimalString;
  /** Criterion id → points entered by the direct manager. */
  generalCriteria: Record<string, DecimalString>;
  leader?: LeaderInput;
}

export interface Nd335Parameters {
  ruleSet: { id: string; version: number };
  allowOverCompletion: boolean;
  taskPointsMax: DecimalString;
  generalPointsMax: DecimalString;
  lateDeduction: DecimalString;
  majorErrorDeduction: DecimalString;
  generalCriteria: GeneralCriterion[];
  leader: RuleSet['nd335']['leader'];
}

export function nd335Parameters(ruleSet: RuleSet): Nd335Parameters {
  const n = ruleSet.nd335;
  return {
    ruleSet: { id: ruleSet.id, version: ruleSet.version },
    allowOverCompletion: ruleSet.scoring.allowOverCompletion,
    taskPointsMax: n.taskPointsMax,
    generalPointsMax: n.generalPointsMax,
    lateDeduction: n.lateDeduction,
    majorErrorDeduction: n.majorErrorDeduction,
    generalCriteria: n.generalCriteria.map((c) => ({ ...c })),
    leader: cloneData(n.leader),
  };
}

export interface Step {
  key: string;
  formula: string;
  value: string;
}

export interface PeriodScoreExplanation {
  input: PeriodAssessmentInput;
  parameters: Nd335Parameters;
  steps: Step[];
  notes: Message[];
}

export interface PeriodScore {
  quantity: Decimal;
  progress: Decimal;
  quality: Decimal;
  taskFraction: Decimal;
  taskPoints: Decimal;
  generalPoints: Decimal;
  score: Decimal;
  display: { taskPoints: string; generalPoints: string; score: string };
  explanation: PeriodScoreExplanation;
}

export function validWaiver(
  w: Waiver | undefined,
  personId: string,
): { ok: true } | { ok: false; reason: string } {
  if (!w) return { ok: false, reason: 'none' };
  if (!w.objectiveCause.trim()) return { ok: false, reason: 'no objective cause' };
  if (!w.evidence.some((e) => e.trim())) return { ok: false, reason: 'no evidence' };
  if (!w.approvedBy.trim()) return { ok: false, reason: 'no approver' };
  if (w.approvedBy === personId) return { ok: false, reason: 'self-approved' };
  return { ok: true };
}

export function scorePeriod(input: PeriodAssessmentInput, parameters: Nd335Parameters): PeriodScore {
  const steps: Step[] = [];
  const notes: Message[] = [];
  const step = (key: string, formula: string, value: Decimal): Decimal => {
    steps.push({ key, formula, value: exact(value) });
    return value;
  };
  const coefs = input.catalogue.coefficients[input.jobPosition] ?? {};
  const rows = input.products.map((p) => {
    const c = coefs[p.productType];
    if (c === undefined) {
      throw new ScoringError('nd335.unknownProductType', {
        productType: p.productType,
        jobPosition: input.jobPosition,
      });
    }
    return { p, assignedU: dec(p.assigned).times(c), completedU: dec(p.completed).times(c) };
  });
  const totalAssigned = rows.reduce((s, r) => s.plus(r.assignedU), ZERO);
  if (totalAssigned.lte(0))
    throw new ScoringError('weights.noPositiveWeight', { level: `products ${input.periodKey}` });
  step(
    'assignedUnits',
    `Σ assigned × coefficient (${input.catalogue.id} v${input.catalogue.version}, ${input.jobPosition})`,
    totalAssigned,
  );

  const capOne = (d: Decimal) => (parameters.allowOverCompletion ? d : Decimal.min(d, ONE));
  const lateRate = dec(parameters.lateDeduction);
  const errRate = dec(parameters.majorErrorDeduction);

  const completedU = rows.reduce((s, r) => s.plus(r.completedU), ZERO);
  const quantity =
    input.planCompletion !== undefined
      ? step(
          'quantity',
          'plan completion over the key results due in the period',
          capOne(dec(input.planCompletion)),
        )
      : step('quantity', 'Σ completed units / Σ assigned units', capOne(completedU.div(totalAssigned)));

  let progress = ZERO;
  let deliveredShare = ZERO;
  let qualityNum = ZERO;
  for (const { p, assignedU } of rows) {
    const share = assignedU.div(totalAssigned);
    const delivered = dec(p.completed).gt(0);
    let pf = delivered ? ONE : ZERO;
    if (delivered && p.late) {
      const w = validWaiver(p.lateWaiver, input.personId);
      if (w.ok) notes.push(message('nd335.lateWaived', { id: p.id }));
      else {
        if (p.lateWaiver) notes.push(message('nd335.waiverInvalid', { id: p.id, reason: w.reason }));
        notes.push(message('nd335.lateDeducted', { id: p.id, rate: lateRate.toString() }));
        pf = ONE.minus(lateRate);
      }
    }
    progress = progress.plus(share.times(pf));
    if (delivered) {
      let unwaived = 0;
      for (const e of p.majorErrors ?? []) {
        const w = validWaiver(e.waiver, input.personId);
        if (!w.ok) {
          unwaived += 1;
          if (e.waiver) notes.push(message('nd335.waiverInvalid', { id: p.id, reason: w.reason }));
        }
      }
      if (unwaived > 0)
        notes.push(message('nd335.majorErrorDeducted', { id: p.id, rate: errRate.toString() }));
      const qf = Decimal.max(ZERO, ONE.minus(errRate.times(unwaived)));
      deliveredShare = deliveredShare.plus(share);
      qualityNum = qualityNum.plus(share.times(qf));
    }
  }
  step('progress', 'Σ shareᵢ × (on time or waived: 1; late: 1 − late deduction; not delivered: 0)', progress);
  const quality = step(
    'quality',
    'Σ shareᵢ × max(0, 1 − error deduction × unwaived major errors) / Σ delivered shares',
    deliveredShare.gt(0) ? qualityNum.div(deliveredShare) : ZERO,
  );
  const own = step(
    'ownTaskFraction',
    '(quantity + progress + quality) / 3',
    quantity.plus(progress).plus(quality).div(3),
  );

  let taskFraction = own;
  if (input.leader) {
    const lw = parameters.leader.weights;
    const unit = step(
      'leaderUnitComponent',
      'every subordinate at least "Hoàn thành" → unitAllCompleted, otherwise unitOtherwise',
      dec(
        input.leader.subordinatesAllCompleted
          ? parameters.leader.unitAllCompleted
          : parameters.leader.unitOtherwise,
      ),
    );
    const organising = step(
      'leaderOrganising',
      'organising capacity (assessor)',
      dec(input.leader.organisingCapacity),
    );
    taskFraction = step(
      'leaderTaskFraction',
      'weighted mean of own results, unit component and organising capacity',
      weightedMean(
        [
          { value: own, weight: lw.own },
          { value: unit, weight: lw.unit },
          { value: organising, weight: lw.organising },
        ],
        'leader components',
      ),
    );
  }
  taskFraction = step(
    'taskFraction',
    parameters.allowOverCompletion ? 'task %' : 'min(task %, 1)',
    capOne(taskFraction),
  );
  const taskPoints = step(
    'taskPoints',
    `${parameters.taskPointsMax} × task %`,
    dec(parameters.taskPointsMax).times(taskFraction),
  );

  const known = new Map(parameters.generalCriteria.map((c) => [c.id, c]));
  for (const id of Object.keys(input.generalCriteria)) {
    if (!known.has(id)) throw new ScoringError('nd335.unknownCriterion', { id });
  }
  let general = ZERO;
  for (const c of parameters.generalCriteria) {
    const pts = dec(input.generalCriteria[c.id] ?? '0');
    if (pts.isNegative() || pts.gt(c.maxPoints)) {
      throw new ScoringError('nd335.generalOverMax', { id: c.id, points: pts.toString(), max: c.maxPoints });
    }
    general = general.plus(pts);
  }
  general = step(
    'generalPoints',
    `Σ sub-criteria points, at most ${parameters.generalPointsMax}`,
    Decimal.min(general, dec(parameters.generalPointsMax)),
  );
  const score = step('score', 'taskPoints + generalPoints', taskPoints.plus(general));
  return {
    quantity,
    progress,
    quality,
    taskFraction,
    taskPoints,
    generalPoints: general,
    score,
    display: {
      taskPoints: roundForDisplay(taskPoints),
      generalPoints: roundForDisplay(general),
      score: roundForDisplay(score),
    },
    explanation: { input: cloneData(input), parameters: cloneData(parameters), steps, notes },
  };
}

/** Recomputes a period score from its explanation (inputs and frozen parameters) and checks every step. */
export function recomputePeriodScore(explanation: PeriodScoreExplanation): Decimal {
  const again = scorePeriod(explanation.input, explanation.parameters);
  compareSteps(explanation.steps, again.explanation.steps);
  return again.score;
}

function compareSteps(recorded: readonly Step[], recomputed: readonly Step[]): void {
  const n = Math.max(recorded.length, recomputed.length);
  for (let i = 0; i < n; i++) {
    const a = recorded[i];
    const b = recomputed[i];
    if (a?.key !== b?.key || a?.value !== b?.value) {
      throw new ScoringError('explanation.mismatch', {
        path: a?.key ?? b?.key ?? String(i),
        recorded: String(a?.value),
        recomputed: String(b?.value),
      });
    }
  }
}

export interface PeriodRecord {
  periodKey: string;
  /** The unit the person worked in; scores follow the person across a transfer. */
  unitId: string;
  score: DecimalString;
  daysWorked: number;
  daysInPeriod: number;
}

export interface YearScoreExplanation {
  formula: string;
  periods: (PeriodRecord & { fractionWorked: string })[];
  score: string;
}

export interface YearScore {
  score: Decimal;
  display: string;
  explanation: YearScoreExplanation;
}

export const YEAR_FORMULA = 'year = Σ scoreₚ × fₚ / Σ fₚ, fₚ = days worked / days in period';

/** The year score: the mean of the period scores, pro-rated to the time actually worked. */
export function yearScore(periods: readonly PeriodRecord[]): YearScore {
  const worked = periods.filter((p) => p.daysWorked > 0);
  if (worked.length === 0) throw new ScoringError('nd335.noPeriods');
  const rows = worked.map((p) => ({ ...p, fractionWorked: exact(dec(p.daysWorked).div(p.daysInPeriod)) }));
  const score = weightedMean(
    rows.map((r) => ({ value: r.score, weight: r.fractionWorked })),
    'year',
  );
  return {
    score,
    display: roundForDisplay(score),
    explanation: { formula: YEAR_FORMULA, periods: rows, score: exact(score) },
  };
}

/** Recomputes the year score from its explanation and checks it. */
export function recomputeYearScore(explanation: YearScoreExplanation): Decimal {
  const again = yearScore(explanation.periods.map(({ fractionWorked: _f, ...p }) => p));
  compareSteps(
    [
      { key: 'year', formula: '', value: explanation.score },
      ...explanation.periods.map((p, i) => ({ key: `f${i}`, formula: '', value: p.fractionWorked })),
    ],
    [
      { key: 'year', formula: '', value: exact(again.score) },
      ...again.explanation.periods.map((p, i) => ({ key: `f${i}`, formula: '', value: p.fractionWorked })),
    ],
  );
  return again.score;
}
