// Flags (RULES.md): QĐ 377's 70% rule for heads, two consecutive years of "Không hoàn thành",
// quota breaches.
import type { DecimalString } from '../plan/model.ts';
import type { RankLevel, RuleSet } from '../rulesets/types.ts';
import { dec, roundForDisplay } from './decimal.ts';
import { type Message, message } from './messages.ts';
import type { QuotaCheck } from './quota.ts';

export interface Flag {
  kind: 'qd377' | 'twoYearsNotCompleted' | 'quotaBreach';
  subjectId: string;
  message: Message;
}

/**
 * QĐ 377: a head whose unit completes less than the threshold (70%) of the year's targets is a
 * candidate for removal. With the rule set's `headTwoYearsRule` (seed 001), only when the previous
 * year was also below the threshold.
 */
export function qd377Flag(
  head: { personId: string; unitCompletion: DecimalString; previousYearUnitCompletion?: DecimalString },
  flags: RuleSet['flags'],
): Flag | undefined {
  const t = dec(flags.headUnitCompletionBelow);
  const below = dec(head.unitCompletion).lt(t);
  if (!below) return undefined;
  const threshold = roundForDisplay(t.times(100)).replace(/\.00$/, '');
  if (flags.headTwoYearsRule) {
    const prev = head.previousYearUnitCompletion;
    if (prev === undefined || !dec(prev).lt(t)) return undefined;
    return {
      kind: 'qd377',
      subjectId: head.personId,
      message: message('flag.qd377TwoYears', { personId: head.personId, threshold }),
    };
  }
  return {
    kind: 'qd377',
    subjectId: head.personId,
    message: message('flag.qd377', {
      personId: head.personId,
      completion: roundForDisplay(dec(head.unitCompletion).times(100)),
      threshold,
    }),
  };
}

/** Two consecutive years ranked "Không hoàn thành" (any two adjacent years in the history). */
export function twoYearsNotCompletedFlag(
  subjectId: string,
  history: readonly { year: number; level: RankLevel }[],
): Flag | undefined {
  const failed = new Set(history.filter((h) => h.level === 'notCompleted').map((h) => h.year));
  const years = [...failed].sort((a, b) => b - a);
  for (const y of years) {
    if (failed.has(y - 1)) {
      return {
        kind: 'twoYearsNotCompleted',
        subjectId,
        message: message('flag.twoYearsNotCompleted', { subjectId, years: `${y - 1}, ${y}` }),
      };
    }
  }
  return undefined;
}

export function quotaFlags(check: QuotaCheck): Flag[] {
  return check.groups
    .filter((g) => g.over > 0)
    .map((g) => ({
      kind: 'quotaBreach' as const,
      subjectId: `${g.agencyId}/${g.dutyGroup}`,
      message: message('flag.quotaBreach', { over: g.over, agencyId: g.agencyId, dutyGroup: g.dutyGroup }),
    }));
}
