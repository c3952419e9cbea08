// The start of an appeal (issue 8 point 4), shared by POST /api/ranking-notices/{id}/appeal and the year
// simulation (scripts/simulate): the appeal workflow's input — the deciding level above the ranking (a unit
// ranking: the province's organisation department; the province ranking: its standing committee), the standing
// committee for escalations, the province's calendar — and the workflow started (REJECT_DUPLICATE: a decided
// appeal is never started again; already running is found) with its id recorded on the appeal.
import type { Client } from '@temporalio/client';
import type { CalendarProfile } from '../../domain/calendar/profile.ts';
import { TASK_QUEUE } from '../../worker/task-queues.ts';
import { type AppealInput, appealWorkflowId } from '../../workflows/appeal.messages.ts';
import type { Executor } from '../executor.ts';
import type { RankingAppealRow, RankingNoticeRow } from '../schema-ranking-notices.ts';
import { setAppealWorkflow } from './ranking-notices.ts';

export async function appealInputFor(
  db: Executor,
  a: { appeal: RankingAppealRow; notice: RankingNoticeRow; profile: CalendarProfile },
): Promise<AppealInput> {
  const n = a.notice;
  const subject = await db
    .selectFrom('person')
    .select('full_name')
    .where('id', '=', n.subject_id)
    .executeTakeFirstOrThrow();
  return {
    appealId: a.appeal.id,
    noticeId: n.id,
    subjectId: n.subject_id,
    subjectName: subject.full_name,
    year: n.year,
    level: n.level,
    filedOn: a.appeal.filed_on,
    profile: a.profile,
    parties: {
      decider: {
        role: n.ranking_kind === 'unit' ? 'organisation_department' : 'standing_committee',
        unitId: n.province_id,
      },
      escalation: { role: 'standing_committee', unitId: n.province_id },
    },
  };
}

/** Starts the appeal workflow (already running: found) and records its id on the appeal. */
export async function startAppealWorkflow(
  db: Executor,
  client: Client,
  a: { input: AppealInput; taskQueue?: string },
): Promise<string> {
  const wid = appealWorkflowId(a.input.noticeId);
  try {
    await client.workflow.start('appealWorkflow', {
      taskQueue: a.taskQueue ?? TASK_QUEUE,
      workflowId: wid,
      args: [a.input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (e) {
    if ((e as Error)?.name !== 'WorkflowExecutionAlreadyStartedError') throw e;
  }
  await setAppealWorkflow(db, a.input.appealId, wid);
  return wid;
}
