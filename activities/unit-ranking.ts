// The unit-ranking workflow's writes (workflows/unit-ranking.ts): the head's decision (freezing every entry),
// a quota exception requested and decided, the publication — each one transaction with its audit entry
// (db/queries/rankings.ts). Idempotent: a repeat by the same person answers the stored row; business refusals
// are non-retryable with the rule's Vietnamese message (and its code as the failure type).

import type { Database } from '../db/connection.ts';
import { issueRankingNotices } from '../db/queries/ranking-notices.ts';
import { decideException, decideRanking, publishRanking, requestException } from '../db/queries/rankings.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';
import type { QuotaCheck } from '../domain/scoring/quota.ts';
import { refusedForGood } from './business-refusal.ts';

export interface RankingQuotaSummary {
  publicationBlocked: boolean;
  /** Places over the quota, all groups together. */
  over: number;
}

const summary = (q: QuotaCheck): RankingQuotaSummary => ({
  publicationBlocked: q.publicationBlocked,
  over: q.groups.reduce((n, g) => n + g.over, 0),
});

const business = refusedForGood;

export function unitRankingActivities({ db }: { db: Database }) {
  return {
    async decideUnitRanking(a: {
      rankingId: string;
      by: string;
      revision: number;
      decidedOn: string;
    }): Promise<RankingQuotaSummary & { applied: boolean }> {
      const r = await business(() => decideRanking(db, a));
      return { ...summary(r.quota), applied: r.applied };
    },

    async requestRankingException(a: {
      rankingId: string;
      exceptionId: string;
      by: string;
      agencyId: string;
      dutyGroup: string;
      extraPlaces: number;
      justification: string;
      /** The Party quota (helper P, migration 0640); absent = the state quota. */
      track?: 'state' | 'party';
    }): Promise<{ exceptionId: string }> {
      const x = await business(() => requestException(db, a));
      return { exceptionId: x.id };
    },

    async decideRankingException(a: {
      exceptionId: string;
      by: string;
      approve: boolean;
      decisionNumber: string | null;
      decidedOn: string;
    }): Promise<RankingQuotaSummary & { status: string }> {
      const r = await business(() => decideException(db, a));
      return { ...summary(r.quota), status: r.exception.status };
    },

    async publishUnitRanking(a: {
      rankingId: string;
      by: string;
      /** The workflow's (logical) day of publication; histories recorded before it carry none. */
      publishedOn?: string;
    }): Promise<{ applied: boolean }> {
      const r = await business(() => publishRanking(db, { rankingId: a.rankingId, by: a.by }));
      // every frozen entry gets its notice (idempotent: a retry issues none twice), dated the publication day
      await issueRankingNotices(db, {
        rankingKind: 'unit',
        rankingId: a.rankingId,
        issuedOn: a.publishedOn ?? vnLocalDate((r.row.published_at ?? new Date()).getTime()),
      });
      return { applied: r.applied };
    },
  };
}
