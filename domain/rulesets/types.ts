// A rule set is versioned data (RULES.md "Engine requirements"): a ranking freezes its id and version.
import type { DecimalString, Perspective } from '../plan/model.ts';

/** [V] read in a published text or summary; [U] unverified, kept as a parameter and flagged in the UI. */
export type Verification = 'V' | 'U';

export type RankLevel = 'excellent' | 'good' | 'completed' | 'notCompleted';

/** Highest first. */
export const RANK_LEVELS: readonly RankLevel[] = ['excellent', 'good', 'completed', 'notCompleted'];

export const RANK_LABELS: Record<RankLevel, { vi: string; en: string }> = {
  excellent: { vi: 'Hoàn thành xuất sắc nhiệm vụ', en: 'Excellent completion' },
  good: { vi: 'Hoàn thành tốt nhiệm vụ', en: 'Good completion' },
  completed: { vi: 'Hoàn thành nhiệm vụ', en: 'Completed' },
  notCompleted: { vi: 'Không hoàn thành nhiệm vụ', en: 'Not completed' },
};

export interface LowerBound {
  min: DecimalString;
  /** true: score ≥ min; false: score > min (provincial "Tốt from > 80"). */
  inclusive: boolean;
}

export type SubjectKind = 'individual' | 'collective';

export type GateKind =
  /** Share of tasks delivered on time ≥ threshold. */
  | 'minOnTimeShare'
  /** Share of tasks exceeded ≥ threshold. */
  | 'minExceededShare'
  /** Share of tasks late ≤ threshold. */
  | 'maxLateShare'
  /** No discipline decision in the unit or its leadership during the year. */
  | 'noDisciplineInUnit'
  /** Shortcomings pointed out earlier have been remedied. */
  | 'shortcomingsRemedied';

export interface Gate {
  id: string;
  /** The level this gate guards; a subject must also meet the gates of every lower level. */
  level: Exclude<RankLevel, 'notCompleted'>;
  appliesTo: SubjectKind | 'all';
  kind: GateKind;
  threshold?: DecimalString;
  basis: string;
  verification: Verification;
}

export interface GeneralCriterion {
  id: string;
  vi: string;
  en: string;
  maxPoints: DecimalString;
}

export interface RuleSet {
  id: string;
  version: number;
  title: { vi: string; en: string };
  legalBasis: { ref: string; verification: Verification }[];
  /** Inherits from (documentation only; the data below is complete). */
  basedOn?: string;
  scoring: {
    displayCap: DecimalString;
    allowOverCompletion: boolean;
    okrGreenFrom: DecimalString;
    breakthrough: { mode: 'exclude' | 'bonus'; bonusWeight: DecimalString; bonusThreshold: DecimalString };
    perspectiveWeights?: Partial<Record<Perspective, DecimalString>>;
  };
  nd335: {
    taskPointsMax: DecimalString;
    generalPointsMax: DecimalString;
    lateDeduction: DecimalString;
    majorErrorDeduction: DecimalString;
    generalCriteria: GeneralCriterion[];
    /** Leaders' extra components [U]: weights of own results, unit results, organising capacity. */
    leader: {
      weights: { own: DecimalString; unit: DecimalString; organising: DecimalString };
      unitAllCompleted: DecimalString;
      unitOtherwise: DecimalString;
    };
    /** Unplanned work credit for collectives, points per listed item and cap. */
    unplannedCredit: { perItem: DecimalString; max: DecimalString };
  };
  bands: { excellent: LowerBound; good: LowerBound; completed: LowerBound };
  gates: Gate[];
  forced: {
    disciplineInYear: boolean;
    degradation: boolean;
    exampleBreach: boolean;
    leaderUnitCorruptionOrWaste: boolean;
  };
  quota: {
    /** Xuất sắc ≤ share × number ranked Tốt, per agency and duty group. */
    excellentShareOfGood: DecimalString;
    rounding: 'floor' | 'halfUp';
    /** Extra places an approved exception may add [U]. */
    exceptionCap: number;
    verification: Verification;
  };
  flags: {
    headUnitCompletionBelow: DecimalString;
    /** Seed 001's stricter optional rule: below the threshold two years running. */
    headTwoYearsRule: boolean;
    twoYearsNotCompleted: boolean;
  };
}
