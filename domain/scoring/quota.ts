// Quota (RULES.md): Xuất sắc ≤ 20% of the number ranked Tốt, per agency and group of similar duties;
// floor rounding by default; an approved exception may add places up to a cap; over quota → a
// warning saying by how many, and publication is blocked.
import type { RankLevel, RuleSet } from '../rulesets/types.ts';
import { Decimal, dec } from './decimal.ts';
import { type Message, message } from './messages.ts';

export interface RankedEntry {
  subjectId: string;
  agencyId: string;
  dutyGroup: string;
  level: RankLevel;
}

export interface QuotaException {
  agencyId: string;
  dutyGroup: string;
  extraPlaces: number;
  justification: string;
  approvedBy: string;
  approvalDecision: string;
  approvedOn: string;
}

export interface QuotaGroup {
  agencyId: string;
  dutyGroup: string;
  good: number;
  excellent: number;
  /** ⌊share × good⌋ (or half-up with that option). */
  allowed: number;
  exceptionPlaces: number;
  over: number;
  warning?: Message;
}

export interface QuotaCheck {
  groups: QuotaGroup[];
  warnings: Message[];
  publicationBlocked: boolean;
  formula: string;
}

export function checkQuota(
  entries: readonly RankedEntry[],
  quota: RuleSet['quota'],
  exceptions: readonly QuotaException[] = [],
): QuotaCheck {
  const groups = new Map<string, QuotaGroup>();
  for (const e of entries) {
    const key = JSON.stringify([e.agencyId, e.dutyGroup]);
    let g = groups.get(key);
    if (!g) {
      g = {
        agencyId: e.agencyId,
        dutyGroup: e.dutyGroup,
        good: 0,
        excellent: 0,
        allowed: 0,
        exceptionPlaces: 0,
        over: 0,
      };
      groups.set(key, g);
    }
    if (e.level === 'good') g.good += 1;
    if (e.level === 'excellent') g.excellent += 1;
  }
  const warnings: Message[] = [];
  const share = dec(quota.excellentShareOfGood);
  for (const g of groups.values()) {
    const exact = share.times(g.good);
    g.allowed = (
      quota.rounding === 'floor' ? exact.floor() : exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
    ).toNumber();
    for (const x of exceptions.filter((x) => x.agencyId === g.agencyId && x.dutyGroup === g.dutyGroup)) {
      const reason = !x.justification.trim()
        ? 'no justification'
        : !x.approvedBy.trim() || !x.approvalDecision.trim()
          ? 'not approved'
          : undefined;
      if (reason)
        warnings.push(
          message('quota.exceptionInvalid', { agencyId: g.agencyId, dutyGroup: g.dutyGroup, reason }),
        );
      else g.exceptionPlaces += Math.max(0, x.extraPlaces);
    }
    g.exceptionPlaces = Math.min(g.exceptionPlaces, quota.exceptionCap);
    g.over = Math.max(0, g.excellent - g.allowed - g.exceptionPlaces);
    if (g.over > 0) {
      g.warning = message('quota.over', {
        over: g.over,
        agencyId: g.agencyId,
        dutyGroup: g.dutyGroup,
        allowed: g.allowed + g.exceptionPlaces,
        good: g.good,
      });
      warnings.push(g.warning);
    }
  }
  const list = [...groups.values()];
  return {
    groups: list,
    warnings,
    publicationBlocked: list.some((g) => g.over > 0),
    formula: `allowed = ${quota.rounding}(${quota.excellentShareOfGood} × number ranked Tốt) + approved exception places (≤ ${quota.exceptionCap})`,
  };
}
