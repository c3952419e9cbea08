// The period-assessment workflow's writes (workflows/period-assessment.ts): computing the draft when the task
// opens and freezing it on confirmation, each in one transaction with its audit entry (db/queries/
// period-assessments.ts). Idempotent: a recompute of a confirmed assessment changes nothing; a repeated
// confirmation by the same person answers the confirmed row.
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/connection.ts';
import { DbRuleError } from '../db/errors.ts';
import { confirmAssessmentRow, recomputeAssessment } from '../db/queries/period-assessments.ts';
import { recordDecemberDifference } from '../db/queries/ranking-differences.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';
import '../db/schema-assessments.ts';

export interface ComputeAssessmentInput {
  assessmentId: string;
  workflowId: string;
}

export interface ConfirmAssessmentInput {
  assessmentId: string;
  by: string;
  onBehalfOf?: string;
  revision: number;
}

export interface AssessmentSnapshot {
  status: 'draft' | 'confirmed';
  revision: number;
  ok: boolean;
  taskPoints: string | null;
  generalPoints: string | null;
  total: string | null;
}

const SYSTEM = 'system:period-assessment';

const snapshot = (r: {
  status: 'draft' | 'confirmed';
  revision: number;
  computed: unknown;
  task_points: string | null;
  general_points: string | null;
  total: string | null;
}): AssessmentSnapshot => ({
  status: r.status,
  revision: r.revision,
  ok: (r.computed as { ok?: boolean } | null)?.ok === true,
  taskPoints: r.task_points,
  generalPoints: r.general_points,
  total: r.total,
});

export function periodAssessmentActivities({ db }: { db: Database }) {
  return {
    /** Computes (or recomputes) the draft from the verified check-ins; a confirmed one is answered as it is. */
    async computePeriodAssessment(c: ComputeAssessmentInput): Promise<AssessmentSnapshot> {
      const row = await recomputeAssessment(db, c.assessmentId, SYSTEM);
      // Set once computed: a row with its workflow id is open for confirmation.
      await db
        .updateTable('period_assessment')
        .set({ workflow_id: c.workflowId })
        .where('id', '=', c.assessmentId)
        .where('workflow_id', 'is', null)
        .execute();
      return snapshot(row);
    },

    /** Freezes the draft at the revision the manager saw; business refusals are non-retryable. */
    async confirmPeriodAssessment(
      c: ConfirmAssessmentInput,
    ): Promise<AssessmentSnapshot & { applied: boolean }> {
      try {
        const r = await confirmAssessmentRow(db, {
          id: c.assessmentId,
          by: c.by,
          revision: c.revision,
          ...(c.onBehalfOf ? { onBehalfOf: c.onBehalfOf } : {}),
        });
        // December confirmed after the ranking was decided: a level change is recorded, never applied (issue 8,
        // db/queries/ranking-differences.ts; idempotent, so also on a repeated confirmation).
        if (r.row.period.endsWith('-12'))
          await recordDecemberDifference(db, { assessmentId: r.row.id, day: vnLocalDate(Date.now()) });
        return { ...snapshot(r.row), applied: r.applied };
      } catch (e) {
        if (e instanceof DbRuleError) throw ApplicationFailure.nonRetryable(e.messageVi, e.code, e.messageEn);
        throw e;
      }
    },
  };
}
