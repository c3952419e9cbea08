// The year-end assessment workflow's writes (workflows/year-end-assessment.ts): opening the self-assessment
// with the estimate, freezing the self-assessment, the supervisor's assessment, the organisation department's
// appraisal and 'ready', each in one transaction with its audit entry (db/queries/year-end-assessments.ts).
// Idempotent: a repeat answers the row as it is; business refusals are non-retryable with their code.

import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import type { WorkflowInputMemo } from '../db/queries/workflow-input-memo.ts';
import {
  type AppraisalInput,
  appraiseRow,
  markReadyRow,
  openYearEnd,
  submitSelfRow,
  supervisorRow,
} from '../db/queries/year-end-assessments.ts';
import { yearEndInputFor } from '../db/queries/year-end-workflow-input.ts';
import type { YearEndAssessmentRow } from '../db/schema-year-end.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import { LONG_WORKFLOW_TASK_TIMEOUT } from '../workflows/task-timeout.ts';
import { yearEndAssessmentWorkflowId } from '../workflows/year-end-assessment.messages.ts';
import { refusedForGood } from './business-refusal.ts';
import { eagerStart } from './eager-start.ts';

export interface YearEndSnapshot {
  status: YearEndAssessmentRow['status'];
  revision: number;
  selfScore: string | null;
  supervisorScore: string | null;
  proposedLevel: string | null;
  taskYear: string | null;
}

const SYSTEM = 'system:year-end-assessment';

const snapshot = (r: YearEndAssessmentRow): YearEndSnapshot => ({
  status: r.status,
  revision: r.revision,
  selfScore: r.self_score,
  supervisorScore: r.supervisor_score,
  proposedLevel: r.proposed_level,
  taskYear: (r.estimate as { taskYear?: string | null } | null)?.taskYear ?? null,
});

const business = refusedForGood;

export function yearEndAssessmentActivities({ db }: { db: Database }) {
  return {
    /** Computes the estimate (data through November + the December estimate) once; sets the workflow id. */
    async openYearEndAssessment(a: { assessmentId: string; workflowId: string }): Promise<YearEndSnapshot> {
      return snapshot(
        await business(() =>
          openYearEnd(db, { id: a.assessmentId, workflowId: a.workflowId, actor: SYSTEM }),
        ),
      );
    },
    async submitYearEndSelf(a: {
      assessmentId: string;
      by: string;
      revision: number;
      late?: boolean;
    }): Promise<YearEndSnapshot & { applied: boolean }> {
      const r = await business(() =>
        submitSelfRow(db, {
          id: a.assessmentId,
          by: a.by,
          revision: a.revision,
          ...(a.late ? { late: true } : {}),
        }),
      );
      return { ...snapshot(r.row), applied: r.applied };
    },
    async submitYearEndSupervisor(a: {
      assessmentId: string;
      by: string;
      points: Record<string, string>;
      comments: string;
    }): Promise<YearEndSnapshot & { applied: boolean }> {
      const r = await business(() => supervisorRow(db, { id: a.assessmentId, ...a }));
      return { ...snapshot(r.row), applied: r.applied };
    },
    async submitYearEndAppraisal(
      a: AppraisalInput & { assessmentId: string },
    ): Promise<YearEndSnapshot & { applied: boolean }> {
      const { assessmentId, ...rest } = a;
      const r = await business(() => appraiseRow(db, rest, assessmentId));
      return { ...snapshot(r.row), applied: r.applied };
    },
    async markYearEndReady(a: { assessmentId: string }): Promise<YearEndSnapshot> {
      return snapshot(await business(() => markReadyRow(db, { id: a.assessmentId, actor: SYSTEM })));
    },
  };
}

/**
 * Starts the person's year-end assessment workflow (issue 8 point 1) from the opening of November (the opening
 * of 1 December, activities/check-in-opening.ts): for a person with a plan in force that year, the row is created
 * and the workflow started; it waits for the `year-end.self-assessment` window itself. Idempotent: a running
 * workflow is found (USE_EXISTING), a closed one is never started again (REJECT_DUPLICATE). Answers whether it was
 * started or found (false: no calendar profile).
 */
export async function startYearEndAssessment(
  db: Database,
  temporal: Client,
  c: {
    personId: string;
    unitId: string;
    path: readonly string[];
    year: number;
    day: string;
    taskQueue?: string;
  },
  /** Reads shared by many persons (the opening's page; db/queries/workflow-input-memo.ts). */
  memo?: WorkflowInputMemo,
): Promise<boolean> {
  const input = await yearEndInputFor(db, c, memo);
  if (!input) return false;
  try {
    await temporal.workflow.start('yearEndAssessmentWorkflow', {
      taskQueue: c.taskQueue ?? TASK_QUEUE,
      workflowId: yearEndAssessmentWorkflowId(c.year, c.personId),
      args: [input],
      workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...eagerStart(temporal),
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
  }
  return true;
}
