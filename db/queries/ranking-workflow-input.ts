// The start of a unit's ranking for a year (issue 8 points 1–3), shared by POST /api/rankings (the head creates
// it) and the opening of 1 December (activities/year-end-rankings.ts startYearEndRankings): the draft row
// (ensureRanking, idempotent), its first computation while it is a draft, and the unit-ranking workflow's input
// (the `year-end.ranking` deadline of the plan-year calendar — the day before 15/12 without one —, the head, the
// province's secretariat and standing committee); then the workflow started (REJECT_DUPLICATE: a closed ranking
// is never started again; already running is found) and its id recorded on the row.
import type { Client } from '@temporalio/client';
import { deadlineById } from '../../domain/calendar/plan-year.ts';
import { TASK_QUEUE } from '../../worker/task-queues.ts';
import { type UnitRankingInput, unitRankingWorkflowId } from '../../workflows/unit-ranking.messages.ts';
import type { Executor } from '../executor.ts';
import type { UnitRankingRow } from '../schema-rankings.ts';
import { provinceCalendarOfYear } from './calendar.ts';
import { holdersOfRole } from './org.ts';
import { ensureRanking, type RankingSources, rankingById, recomputeDraft, topUnitOf } from './rankings.ts';

/** The `year-end.ranking` deadline of a plan-year calendar (before 15/12); the day before 15/12 without one. */
export function rankingDeadlineOf(calendar: Parameters<typeof deadlineById>[0], year: number): string {
  try {
    return deadlineById(calendar, 'year-end.ranking').date;
  } catch {
    return `${year}-12-14`;
  }
}

export type UnitRankingStart =
  | { ok: false; reason: 'unit-invalid' | 'no-calendar' }
  | { ok: true; row: UnitRankingRow; input: UnitRankingInput; workflowId: string };

/**
 * Creates the draft (if missing), computes it while it is a draft, and answers the workflow input; refuses a
 * unit not directly under its province ('unit-invalid') and a province without a calendar of the year.
 */
export async function unitRankingStartFor(
  db: Executor,
  a: { unitId: string; year: number; by: string; sources?: RankingSources },
): Promise<UnitRankingStart> {
  const unit = await topUnitOf(db, a.unitId);
  if (!unit) return { ok: false, reason: 'unit-invalid' };
  const cal = await provinceCalendarOfYear(db, unit.province_id, a.year);
  if (!cal) return { ok: false, reason: 'no-calendar' };
  const deadline = rankingDeadlineOf(cal.calendar, a.year);
  let row = await ensureRanking(db, { unitId: a.unitId, year: a.year, deadline, by: a.by });
  if (row.status === 'draft' && !row.workflow_id)
    row = await recomputeDraft(db, {
      rankingId: row.id,
      by: a.by,
      ...(a.sources ? { sources: a.sources } : {}),
    });
  const heads = await holdersOfRole(db, 'unit_head', a.unitId, row.deadline);
  const input: UnitRankingInput = {
    rankingId: row.id,
    unitId: a.unitId,
    year: a.year,
    unitName: unit.name_vi,
    deadline: row.deadline,
    profile: cal.profile,
    parties: {
      head:
        heads.length === 1 && heads[0] ? { personId: heads[0].id } : { role: 'unit_head', unitId: a.unitId },
      secretariat: { role: 'secretariat', unitId: unit.province_id },
      committee: { role: 'standing_committee', unitId: unit.province_id },
    },
  };
  return { ok: true, row, input, workflowId: unitRankingWorkflowId(a.year, a.unitId) };
}

/** Starts the unit-ranking workflow (already running: found) and records its id on the row. */
export async function startUnitRankingWorkflow(
  db: Executor,
  client: Client,
  a: { input: UnitRankingInput; taskQueue?: string },
): Promise<UnitRankingRow> {
  const wid = unitRankingWorkflowId(a.input.year, a.input.unitId);
  try {
    await client.workflow.start('unitRankingWorkflow', {
      taskQueue: a.taskQueue ?? TASK_QUEUE,
      workflowId: wid,
      args: [a.input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (e) {
    // already running (a retry after a lost answer, or the opening and the head at once): the row names it
    if ((e as Error)?.name !== 'WorkflowExecutionAlreadyStartedError') throw e;
  }
  await db
    .updateTable('unit_ranking')
    .set({ workflow_id: wid })
    .where('id', '=', a.input.rankingId)
    .execute();
  return (await rankingById(db, a.input.rankingId))!;
}
