// A ranking frozen to its rule set (id, version, legal basis), parameters and input snapshot, so a
// later change of the rule set never silently alters a signed ranking.
import type { RankLevel, RuleSet } from '../rulesets/types.ts';
import { cloneData } from './decimal.ts';
import { type RankingExplanation, type RankingResult, rank, recomputeRanking } from './ranking.ts';

export interface FrozenRanking {
  ruleSet: { id: string; version: number; legalBasis: RuleSet['legalBasis'] };
  /** The decision date, supplied by the caller (domain code reads no clock). */
  decidedOn: string;
  level: RankLevel;
  score: string;
  explanation: RankingExplanation;
}

export function freezeRanking(result: RankingResult, ruleSet: RuleSet, decidedOn: string): FrozenRanking {
  if (
    result.explanation.parameters.ruleSet.id !== ruleSet.id ||
    result.explanation.parameters.ruleSet.version !== ruleSet.version
  ) {
    throw new Error('the result was not computed with this rule set');
  }
  return cloneData({
    ruleSet: { id: ruleSet.id, version: ruleSet.version, legalBasis: ruleSet.legalBasis },
    decidedOn,
    level: result.level,
    score: result.score,
    explanation: result.explanation,
  });
}

export function rankAndFreeze(...args: [...Parameters<typeof rank>, decidedOn: string]): FrozenRanking {
  const [input, ruleSet, decidedOn] = args;
  return freezeRanking(rank(input, ruleSet), ruleSet, decidedOn);
}

/** Recomputes a frozen ranking from its own snapshot; true when it still yields the signed level. */
export function verifyFrozenRanking(frozen: FrozenRanking): boolean {
  try {
    return recomputeRanking(frozen.explanation) === frozen.level;
  } catch {
    return false;
  }
}
