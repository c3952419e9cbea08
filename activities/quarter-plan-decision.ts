// The giao ban's decision on a unit's next quarter draft plan (issue 7 point 1, DESIGN §3: "from Q2 the next
// quarter's draft plan is sent with the previous quarter's report and approved or adjusted at the giao ban"):
// the giao ban's publication calls decideNextQuarterPlan once per unit whose conclusion carries a plan decision.
// It finds the unit's annual plan workflow (the plan row's workflow_id, as the API does) and sends the Update
// decideQuarterPlan (workflows/annual-plan.ts, PATCH_QUARTER_DRAFTS) with an update id derived from the
// session, unit and period. Idempotent: a draft already decided answers 'already-decided' with the decision
// on record, never a second decision; a unit without a plan or a draft that was never sent answers so (the
// publication goes on); a decision the workflow refuses for its arguments fails without retries.
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/connection.ts';
import '../db/schema-plans.ts';
import {
  type AnnualPlanView,
  decideQuarterPlan,
  getAnnualPlan,
  type PeriodPlanRecord,
  type QuarterPlanDecision,
} from '../workflows/annual-plan.messages.ts';

export interface DecideNextQuarterPlanInput {
  provinceId: string;
  unitId: string;
  /** The plan year (of the quarter decided). */
  year: number;
  /** The draft's quarter, 'YYYY-Qn' with n ≥ 2. */
  period: string;
  decision: QuarterPlanDecision;
  /** Required when adjusted. */
  note?: string | null;
  /** The person who published the conclusions. */
  by: string;
  /** The giao ban session, 'YYYY-Qn' (the quarter before the draft's). */
  session: string;
}

export interface DecideNextQuarterPlanResult {
  outcome: 'decided' | 'already-decided' | 'no-plan' | 'not-submitted';
  /** The decision on record (decided or already decided). */
  decision?: QuarterPlanDecision;
  note?: string;
  /** The draft's status when it was not sent ('open', 'missing' …). */
  status?: string;
}

/** The update id of a giao ban decision: one per session, unit and period. */
export const quarterPlanDecisionUpdateId = (a: { session: string; unitId: string; period: string }) =>
  `giao-ban:${a.session}:quarter-plan:${a.unitId}:${a.period}`;

/** The workflow of the unit's own annual plan of the year, when the unit is in the province. */
export async function unitPlanWorkflowId(
  db: Database,
  a: { provinceId: string; unitId: string; year: number },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('plan')
    .innerJoin('org_unit', 'org_unit.id', 'plan.unit_id')
    .select('plan.workflow_id')
    .where('plan.owner_kind', '=', 'unit')
    .where('plan.unit_id', '=', a.unitId)
    .where('plan.year', '=', a.year)
    .where('org_unit.province_id', '=', a.provinceId)
    .where('plan.workflow_id', 'is not', null)
    .orderBy('plan.id')
    .executeTakeFirst();
  return row?.workflow_id ?? undefined;
}

const recordOf = (view: AnnualPlanView, period: string): PeriodPlanRecord | undefined =>
  view.periodPlans?.find((r) => r.period === period);

const decided = (rec: PeriodPlanRecord): DecideNextQuarterPlanResult => ({
  outcome: 'already-decided',
  ...(rec.decision ? { decision: rec.decision } : {}),
  ...(rec.note ? { note: rec.note } : {}),
});

export function quarterPlanDecisionActivities({ db, temporal }: { db: Database; temporal?: Client }) {
  return {
    async decideNextQuarterPlan(a: DecideNextQuarterPlanInput): Promise<DecideNextQuarterPlanResult> {
      if (!temporal) throw new Error('decideNextQuarterPlan needs the worker’s Temporal client');
      const wid = await unitPlanWorkflowId(db, a);
      if (!wid) return { outcome: 'no-plan' };
      const handle = temporal.workflow.getHandle(wid);
      let view: AnnualPlanView;
      try {
        view = await handle.query(getAnnualPlan);
      } catch (e) {
        if (e instanceof WorkflowNotFoundError) return { outcome: 'no-plan' };
        throw e;
      }
      const rec = recordOf(view, a.period);
      if (rec?.decision) return decided(rec);
      if (rec?.decider !== 'giao-ban' || rec.status !== 'submitted')
        return { outcome: 'not-submitted', status: rec?.status ?? 'missing' };
      try {
        await handle.executeUpdate(decideQuarterPlan, {
          args: [
            {
              by: a.by,
              period: a.period,
              decision: a.decision,
              ...(a.note != null ? { note: a.note } : {}),
              session: a.session,
            },
          ],
          updateId: quarterPlanDecisionUpdateId(a),
        });
      } catch (e) {
        if (!(e instanceof WorkflowUpdateFailedError)) throw e;
        // Decided in between (another attempt of this activity, or a run that continued as new)?
        const again = recordOf(await handle.query(getAnnualPlan), a.period);
        if (again?.decision) return decided(again);
        const reason = (e.cause as Error | undefined)?.message ?? e.message;
        throw ApplicationFailure.nonRetryable(reason, 'QuarterPlanDecisionRefused');
      }
      const note = typeof a.note === 'string' && a.note.trim() !== '' ? a.note.trim() : undefined;
      return { outcome: 'decided', decision: a.decision, ...(note ? { note } : {}) };
    },
  };
}
