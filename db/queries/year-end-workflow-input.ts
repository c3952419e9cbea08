// The year-end assessment workflow's input for one person and year, shared by the December opening
// (activities/year-end-assessment.ts startYearEndAssessments) and tests: the plan-year calendar and parties the
// check-in of November uses (db/queries/check-in-workflow-input.ts: the direct manager assesses, the unit head
// takes escalations and a missed assessment), and — when the type of the person's unit under the province
// requires it (org_unit_type.ranking_needs_org_appraisal) — the province's organisation department appraises.
import type { YearEndAssessmentInput } from '../../workflows/year-end-assessment.messages.ts';
import type { Executor } from '../executor.ts';
import { checkInInputFor } from './check-in-workflow-input.ts';
import type { WorkflowInputMemo } from './workflow-input-memo.ts';
import { ensureYearEnd, needsAppraisal } from './year-end-assessments.ts';

/** Creates the row if missing and answers the input, or undefined without a calendar profile. */
export async function yearEndInputFor(
  executor: Executor,
  c: { personId: string; unitId: string; year: number; day: string; path: readonly string[] },
  memo?: WorkflowInputMemo,
): Promise<YearEndAssessmentInput | undefined> {
  const topUnitId = c.path[1] ?? c.unitId;
  const appraisal = memo ? await memo.needsAppraisal(topUnitId) : await needsAppraisal(executor, topUnitId);
  const row = await ensureYearEnd(executor, {
    personId: c.personId,
    unitId: c.unitId,
    year: c.year,
    needsAppraisal: appraisal,
  });
  const ci = await checkInInputFor(
    executor,
    {
      checkInId: row.id,
      personId: c.personId,
      unitId: c.unitId,
      period: `${c.year}-11`,
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
    year: c.year,
    calendar: ci.calendar,
    profile: ci.profile,
    parties: ci.parties,
    ...(row.needs_appraisal ? { appraiser: { role: 'organisation_department', unitId: c.path[0]! } } : {}),
  };
}
