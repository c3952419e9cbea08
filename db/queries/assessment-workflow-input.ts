// The period-assessment workflow's input for one person and period, shared by the monthly opening
// (activities/check-in-opening.ts) and tests: the plan-year calendar and parties the check-in of the
// period's last month uses (db/queries/check-in-workflow-input.ts): the direct manager confirms, the unit head
// takes a missed confirmation.
import { lastMonthOf } from '../../domain/assessment/period.ts';
import type { PeriodAssessmentInput } from '../../workflows/period-assessment.messages.ts';
import type { Executor } from '../executor.ts';
import { checkInInputFor } from './check-in-workflow-input.ts';
import { ensureAssessment } from './period-assessments.ts';
import type { WorkflowInputMemo } from './workflow-input-memo.ts';

/** Creates the draft row if missing and answers the input, or undefined without a calendar profile. */
export async function assessmentInputFor(
  executor: Executor,
  c: { personId: string; unitId: string; period: string; day: string; path: readonly string[] },
  memo?: WorkflowInputMemo,
): Promise<PeriodAssessmentInput | undefined> {
  const row = await ensureAssessment(executor, { personId: c.personId, unitId: c.unitId, period: c.period });
  const ci = await checkInInputFor(
    executor,
    {
      checkInId: row.id,
      personId: c.personId,
      unitId: c.unitId,
      period: lastMonthOf(c.period),
      day: c.day,
      path: c.path,
    },
    memo,
  );
  if (!ci) return undefined;
  return {
    assessmentId: row.id,
    personId: c.personId,
    unitId: c.unitId,
    period: c.period,
    calendar: ci.calendar,
    profile: ci.profile,
    parties: ci.parties,
  };
}
