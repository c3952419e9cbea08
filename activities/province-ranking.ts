// The province-ranking workflow's writes (workflows/province-ranking.ts): the standing committee's decision
// (freezing every entry, with an approved exception to the heads' quota when given) and the publication — each one
// transaction with its audit entry (db/queries/province-rankings.ts). Idempotent: a repeat by the same person
// answers the stored row; business refusals are non-retryable with the rule's Vietnamese message (and its code as
// the failure type). Also the start of the workflow (startProvinceRanking: the 1 December opening and
// POST /api/province-rankings share it).

import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import { provinceCalendarOfYear } from '../db/queries/calendar.ts';
import {
  decideProvinceRanking,
  ensureProvinceRanking,
  overOf,
  type ProvinceRankingSources,
  provinceEntriesOf,
  provinceRankingById,
  publishProvinceRanking,
  recomputeProvinceDraft,
  recordProvinceException,
} from '../db/queries/province-rankings.ts';
import { issueRankingNotices } from '../db/queries/ranking-notices.ts';
import { rankingDeadlineOf } from '../db/queries/ranking-workflow-input.ts';
import type { ProvinceRankingRow } from '../db/schema-province-rankings.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';
import type { FrozenRanking } from '../domain/scoring/index.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import {
  type ProvinceQuotaException,
  type ProvinceRankingInput,
  provinceRankingWorkflowId,
} from '../workflows/province-ranking.messages.ts';
import { refusedForGood } from './business-refusal.ts';

const business = refusedForGood;

export function provinceRankingActivities({ db }: { db: Database }) {
  return {
    async decideProvinceRankingActivity(a: {
      rankingId: string;
      by: string;
      revision: number;
      decidedOn: string;
      exception: ProvinceQuotaException | null;
    }): Promise<{ publicationBlocked: boolean; over: number; applied: boolean }> {
      const r = await business(() => decideProvinceRanking(db, a));
      return { publicationBlocked: r.quota.publicationBlocked, over: overOf(r.quota), applied: r.applied };
    },

    async recordProvinceExceptionActivity(a: {
      rankingId: string;
      by: string;
      exception: ProvinceQuotaException;
    }): Promise<{ publicationBlocked: boolean; over: number; applied: boolean }> {
      const r = await business(() => recordProvinceException(db, a));
      return { publicationBlocked: r.quota.publicationBlocked, over: overOf(r.quota), applied: r.applied };
    },

    async publishProvinceRankingActivity(a: {
      rankingId: string;
      by: string;
      /** The workflow's (logical) day of publication; histories recorded before it carry none. */
      publishedOn?: string;
    }): Promise<{ applied: boolean }> {
      const r = await business(() => publishProvinceRanking(db, { rankingId: a.rankingId, by: a.by }));
      // every head's frozen entry gets its notice (idempotent: a retry issues none twice); the units, as
      // collectives, are told through the published ranking itself
      const heads = (await provinceEntriesOf(db, a.rankingId)).flatMap((e) => {
        const frozen = e.frozen as unknown as FrozenRanking | null;
        return e.subject_kind === 'individual' && e.person_id && frozen
          ? [
              {
                subjectId: e.person_id,
                track: 'state' as const,
                level: frozen.level,
                score: frozen.score,
                unitId: e.unit_id,
              },
            ]
          : [];
      });
      await issueRankingNotices(db, {
        rankingKind: 'province',
        rankingId: a.rankingId,
        issuedOn: a.publishedOn ?? vnLocalDate((r.row.published_at ?? new Date()).getTime()),
        year: r.row.year,
        provinceId: r.row.province_id,
        entries: heads,
      });
      return { applied: r.applied };
    },
  };
}

/** The province's plan-year calendar and its ranking deadline. */
export async function provinceRankingCalendar(db: Database, provinceId: string, year: number) {
  const cal = await provinceCalendarOfYear(db, provinceId, year);
  if (!cal) return undefined;
  return { profile: cal.profile, deadline: rankingDeadlineOf(cal.calendar, year) };
}

/** The workflow input of a province ranking row. */
export async function provinceRankingInputFor(
  db: Database,
  row: ProvinceRankingRow,
  profile: ProvinceRankingInput['profile'],
): Promise<ProvinceRankingInput> {
  const p = await db
    .selectFrom('org_unit')
    .select('name_vi')
    .where('id', '=', row.province_id)
    .executeTakeFirst();
  return {
    rankingId: row.id,
    provinceId: row.province_id,
    year: row.year,
    ...(p ? { provinceName: p.name_vi } : {}),
    deadline: row.deadline,
    profile,
    parties: {
      committee: { role: 'standing_committee', unitId: row.province_id },
      secretariat: { role: 'secretariat', unitId: row.province_id },
    },
  };
}

/**
 * Starts the province ranking of a year (idempotent): the draft row, its first compilation, the workflow and its
 * id on the row. False when the province has no plan-year calendar for the year. `day` is the opening day (the
 * actor of the system's writes is 'system:province-ranking'). `adjust` lets a test or demo warp the input.
 */
export async function startProvinceRanking(
  db: Database,
  temporal: Client,
  a: {
    provinceId: string;
    year: number;
    day: string;
    taskQueue?: string;
    by?: string;
    sources?: ProvinceRankingSources;
    adjust?: (i: ProvinceRankingInput) => ProvinceRankingInput;
  },
): Promise<boolean> {
  const cal = await provinceRankingCalendar(db, a.provinceId, a.year);
  if (!cal) return false;
  const by = a.by ?? 'system:province-ranking';
  let row = await ensureProvinceRanking(db, {
    provinceId: a.provinceId,
    year: a.year,
    deadline: cal.deadline,
    by,
  });
  if (row.workflow_id) return true;
  if (row.status === 'draft' && row.revision === 0)
    row = await recomputeProvinceDraft(db, {
      rankingId: row.id,
      by,
      ...(a.sources ? { sources: a.sources } : {}),
    });
  let input = await provinceRankingInputFor(db, row, cal.profile);
  if (a.adjust) input = a.adjust(input);
  const wid = provinceRankingWorkflowId(a.year, a.provinceId);
  try {
    await temporal.workflow.start('provinceRankingWorkflow', {
      taskQueue: a.taskQueue ?? TASK_QUEUE,
      workflowId: wid,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
  await db.updateTable('province_ranking').set({ workflow_id: wid }).where('id', '=', row.id).execute();
  return (await provinceRankingById(db, row.id)) !== undefined;
}
