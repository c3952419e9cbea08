// Ranking into the four statutory levels (RULES.md): bands, gates, forced "Không hoàn thành",
// the Party ranking fed by the state ranking. Every result explains itself and recomputes.
import type { DecimalString } from '../plan/model.ts';
import {
  type Gate,
  type LowerBound,
  RANK_LABELS,
  RANK_LEVELS,
  type RankLevel,
  type RuleSet,
  type SubjectKind,
} from '../rulesets/types.ts';
import { cloneData, type Decimal, dec, roundForDisplay } from './decimal.ts';
import { ScoringError } from './errors.ts';
import { currentShape } from './legacy-steps.ts';
import { type Message, type MessageParams, message } from './messages.ts';
import {
  type ConclusionRecord,
  type DisciplineForm,
  type DisciplineRecord,
  type ForcedReason,
  invalidField,
  inYear,
} from './records.ts';

export interface TaskStats {
  total: number;
  onTime: number;
  late: number;
  exceeded: number;
}

export interface RankingInput {
  subjectId: string;
  subjectKind: SubjectKind;
  /** For a leader: the unit they directly manage (corruption / waste cases there force the rank). */
  leaderOf?: string;
  agencyId: string;
  dutyGroup: string;
  year: number;
  /** The year score, 0–100 (or above with over-completion). */
  score: DecimalString;
  taskStats: TaskStats;
  /** For individuals: their own records; for collectives: the unit's and its leadership's. */
  disciplineRecords: DisciplineRecord[];
  conclusions: ConclusionRecord[];
  earlierShortcomingsRemedied?: boolean;
}

export interface RankingParameters {
  ruleSet: { id: string; version: number };
  bands: RuleSet['bands'];
  gates: Gate[];
  forced: RuleSet['forced'];
}

export function rankingParameters(ruleSet: RuleSet): RankingParameters {
  return cloneData({
    ruleSet: { id: ruleSet.id, version: ruleSet.version },
    bands: ruleSet.bands,
    gates: ruleSet.gates,
    forced: ruleSet.forced,
  });
}

export interface GateFailure {
  gateId: string;
  level: RankLevel;
  message: Message;
}

export interface RankingExplanation {
  input: RankingInput;
  parameters: RankingParameters;
  /** The score as shown and compared with the bands (2 decimals half-up). */
  roundedScore: string;
  bandLevel: RankLevel;
  forcedBy: Message[];
  gateFailures: GateFailure[];
  level: RankLevel;
  steps: Message[];
  /** Party rankings: the state level that caps this one. */
  stateLevel?: RankLevel;
}

export interface RankingResult {
  level: RankLevel;
  label: { vi: string; en: string };
  score: string;
  explanation: RankingExplanation;
}

function meets(score: Decimal, b: LowerBound): boolean {
  return b.inclusive ? score.gte(b.min) : score.gt(b.min);
}

export function bandFor(score: Decimal, bands: RuleSet['bands']): RankLevel {
  if (meets(score, bands.excellent)) return 'excellent';
  if (meets(score, bands.good)) return 'good';
  if (meets(score, bands.completed)) return 'completed';
  return 'notCompleted';
}

const pct = (d: Decimal) => roundForDisplay(d.times(100)).replace(/\.00$/, '');

function share(n: number, total: number, empty: number): Decimal {
  return total > 0 ? dec(n).div(total) : dec(empty);
}

function gateFails(g: Gate, input: RankingInput, score: string): Message | undefined {
  const s = input.taskStats;
  const t = dec(g.threshold ?? '0');
  const level = g.level;
  const failShare = (v: Decimal) =>
    message(`ranking.gate.${g.kind}`, { score, value: pct(v), threshold: pct(t), level });
  switch (g.kind) {
    case 'minOnTimeShare': {
      const v = share(s.onTime, s.total, 1);
      return v.gte(t) ? undefined : failShare(v);
    }
    case 'minExceededShare': {
      const v = share(s.exceeded, s.total, 0);
      return v.gte(t) ? undefined : failShare(v);
    }
    case 'maxLateShare': {
      const v = share(s.late, s.total, 0);
      return v.lte(t) ? undefined : failShare(v);
    }
    case 'noDisciplineInUnit': {
      const d = input.disciplineRecords.find((r) => inYear(r, input.year));
      return d
        ? message('ranking.gate.noDisciplineInUnit', { score, decisionNumber: d.decisionNumber, level })
        : undefined;
    }
    case 'shortcomingsRemedied':
      return input.earlierShortcomingsRemedied === false
        ? message('ranking.gate.shortcomingsRemedied', { score, level })
        : undefined;
  }
}

function forcedReasons(input: RankingInput, f: RuleSet['forced']): Message[] {
  const out: Message[] = [];
  const m = (
    reason: ForcedReason,
    r: { decisionNumber: string; date: string; issuer: string },
    form?: DisciplineForm,
  ) =>
    message('ranking.forced', {
      reason,
      ...(form === undefined ? {} : { form }),
      decisionNumber: r.decisionNumber,
      date: r.date,
      issuer: r.issuer,
    });
  if (f.disciplineInYear) {
    for (const r of input.disciplineRecords) {
      if (r.subjectId === input.subjectId && inYear(r, input.year)) out.push(m('discipline', r, r.form));
    }
  }
  for (const c of input.conclusions) {
    if (!inYear(c, input.year)) continue;
    if (c.kind === 'degradation' && f.degradation && c.subjectId === input.subjectId)
      out.push(m('degradation', c));
    if (c.kind === 'exampleBreach' && f.exampleBreach && c.subjectId === input.subjectId)
      out.push(m('exampleBreach', c));
    if (
      (c.kind === 'corruptionInUnit' || c.kind === 'wasteInUnit') &&
      f.leaderUnitCorruptionOrWaste &&
      input.leaderOf !== undefined &&
      c.subjectId === input.leaderOf
    ) {
      out.push(m(c.kind, c));
    }
  }
  return out;
}

/** Ranks one subject under frozen parameters. */
export function rankWith(input: RankingInput, parameters: RankingParameters): RankingResult {
  for (const r of [...input.disciplineRecords, ...input.conclusions]) {
    const field = invalidField(r);
    if (field)
      throw new ScoringError('records.invalid', { kind: 'form' in r ? 'discipline' : r.kind, field });
  }
  const rounded = roundForDisplay(input.score);
  const bandLevel = bandFor(dec(rounded), parameters.bands);
  const steps: Message[] = [message('ranking.band', { score: rounded, level: bandLevel })];
  const forcedBy = forcedReasons(input, parameters.forced);
  const gateFailures: GateFailure[] = [];
  let level: RankLevel = bandLevel;
  if (forcedBy.length > 0) {
    level = 'notCompleted';
    steps.push(...forcedBy);
  } else {
    const applicable = parameters.gates.filter(
      (g) => g.appliesTo === 'all' || g.appliesTo === input.subjectKind,
    );
    for (let i = RANK_LEVELS.indexOf(bandLevel); i < RANK_LEVELS.length; i++) {
      const candidate = RANK_LEVELS[i]!;
      level = candidate;
      if (candidate === 'notCompleted') break;
      // A level requires its own gates and those of every lower level.
      const guarding = applicable.filter((g) => RANK_LEVELS.indexOf(g.level) >= i);
      const failures = guarding.flatMap((g) => {
        const msg = gateFails(g, input, rounded);
        return msg ? [{ gateId: g.id, level: candidate, message: msg }] : [];
      });
      if (failures.length === 0) break;
      gateFailures.push(...failures);
      steps.push(...failures.map((f) => f.message));
    }
  }
  return {
    level,
    label: RANK_LABELS[level],
    score: rounded,
    explanation: {
      input: cloneData(input),
      parameters: cloneData(parameters),
      roundedScore: rounded,
      bandLevel,
      forcedBy,
      gateFailures,
      level,
      steps,
    },
  };
}

export function rank(input: RankingInput, ruleSet: RuleSet): RankingResult {
  return rankWith(input, rankingParameters(ruleSet));
}

/** JSON with object keys sorted (a JSONB round trip reorders them). */
function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)),
        )
      : x,
  );
}

/** A step's structure: its key and raw parameters, in today's shape (see ./legacy-steps.ts). */
function stepStructure(m: Pick<Message, 'key' | 'params'>): { key: string; params: MessageParams } {
  return currentShape(m);
}

/** Recomputes a ranking from its explanation; throws `explanation.mismatch` if the level or a step differs. */
export function recomputeRanking(explanation: RankingExplanation): RankLevel {
  const again = rankWith(explanation.input, explanation.parameters);
  let level = again.level;
  const steps = [...again.explanation.steps];
  if (explanation.stateLevel !== undefined) {
    const capped = lowerLevel(level, explanation.stateLevel);
    if (capped !== level)
      steps.push(message('ranking.partyCappedByState', { state: explanation.stateLevel }));
    level = capped;
  }
  // The structure is compared (keys and raw parameters), never the rendered texts, so that wording and
  // number/date formats can improve without breaking a signed ranking.
  const a = stableJson({
    l: explanation.level,
    b: explanation.bandLevel,
    s: explanation.steps.map(stepStructure),
    r: explanation.roundedScore,
  });
  const b = stableJson({
    l: level,
    b: again.explanation.bandLevel,
    s: steps.map(stepStructure),
    r: again.score,
  });
  if (a !== b)
    throw new ScoringError('explanation.mismatch', {
      path: 'ranking',
      recorded: explanation.level,
      recomputed: level,
    });
  return level;
}

/** The lower (worse) of two levels. */
export function lowerLevel(a: RankLevel, b: RankLevel): RankLevel {
  return RANK_LEVELS.indexOf(a) >= RANK_LEVELS.indexOf(b) ? a : b;
}

export interface PartyRankingResult extends RankingResult {
  stateLevel: RankLevel;
  ownLevel: RankLevel;
}

/**
 * A Party member's ranking under QĐ 366, fed by the state ranking: the Party level is computed with
 * the Party rule set and cannot be above the state level.
 */
export function rankParty(
  state: RankingResult,
  partyInput: RankingInput,
  partyRuleSet: RuleSet,
): PartyRankingResult {
  const own = rank(partyInput, partyRuleSet);
  const level = lowerLevel(own.level, state.level);
  const steps = [...own.explanation.steps];
  if (level !== own.level) steps.push(message('ranking.partyCappedByState', { state: state.level }));
  return {
    ...own,
    level,
    label: RANK_LABELS[level],
    stateLevel: state.level,
    ownLevel: own.level,
    explanation: { ...own.explanation, level, steps, stateLevel: state.level },
  };
}
