// The appeal workflow's writes (workflows/appeal.ts): the deciding level's decision on an appeal against a
// ranking notice — one transaction with its audit entry and the subject's notification
// (db/queries/ranking-notices.ts decideAppeal). Idempotent: a repeat by the same person answers the stored row;
// business refusals are non-retryable with the rule's Vietnamese message (and its code as the failure type).
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/connection.ts';
import { DbRuleError } from '../db/errors.ts';
import { decideAppeal } from '../db/queries/ranking-notices.ts';
import type { AppealOutcome } from '../db/schema-ranking-notices.ts';
import type { RankLevel } from '../domain/rulesets/types.ts';

export function rankingNoticeActivities({ db }: { db: Database }) {
  return {
    async decideRankingAppeal(a: {
      appealId: string;
      by: string;
      outcome: AppealOutcome;
      newLevel?: RankLevel;
      decisionNumber: string;
      note?: string;
      decidedOn: string;
    }): Promise<{ outcome: AppealOutcome; newLevel: RankLevel | null; applied: boolean }> {
      try {
        const r = await decideAppeal(db, a);
        return { outcome: r.appeal.outcome ?? a.outcome, newLevel: r.appeal.new_level, applied: r.applied };
      } catch (e) {
        if (e instanceof DbRuleError) throw ApplicationFailure.nonRetryable(e.messageVi, e.code, e.messageEn);
        throw e;
      }
    },
  };
}
