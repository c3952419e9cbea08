// The next quarter's draft plan as the quarterly report shows it (issue 7 point 1: the report is "sent … with the
// next quarter's draft plan (from Q2), which the giao ban approves or adjusts"), read from the read model the
// annual plan workflow writes (PATCH_QUARTER_DRAFTS): the draft's submit task (task table, kind
// 'plan.period-submit', details.period) and the audited period-plan steps of the plan (audit_log:
// plan.period-submitted, then plan.period-approved / plan.period-adjusted with the giao ban's decision and note).
import { sql } from 'kysely';
import type { Executor } from '../executor.ts';
import '../schema-plans.ts';

export const NEXT_QUARTER_PLAN_STATUSES = [
  'not-started',
  'draft',
  'submitted',
  'approved',
  'adjusted',
] as const;
export type NextQuarterPlanStatus = (typeof NEXT_QUARTER_PLAN_STATUSES)[number];

export interface NextQuarterPlan {
  /** The draft's quarter, 'YYYY-Qn'. */
  period: string;
  /** The unit's annual plan of that year (where the draft is edited and sent), when there is one. */
  planId: string | null;
  status: NextQuarterPlanStatus;
  /** The draft's due date (the report's), once its item opened. */
  dueDate: string | null;
  submittedOn: string | null;
  decidedOn: string | null;
  /** The giao ban's note (always when adjusted). */
  note: string | null;
  /** The giao ban session that decided it. */
  session: string | null;
}

/** The quarter whose draft is sent with a quarter's report: Q1 → Q2, Q2 → Q3, Q3 → Q4; none after Q4 (the
 *  next year's Q1 plan is approved by the unit's leadership). */
export function nextQuarterOf(reportPeriod: string): string | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(reportPeriod);
  if (!m) return null;
  const q = Number(m[2]);
  return q === 4 ? null : `${m[1]}-Q${q + 1}`;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** The status of the unit's next quarter draft plan for the report of `reportPeriod`; null after Q4. */
export async function nextQuarterPlanOf(
  db: Executor,
  unitId: string,
  reportPeriod: string,
): Promise<NextQuarterPlan | null> {
  const period = nextQuarterOf(reportPeriod);
  if (!period) return null;
  const empty: NextQuarterPlan = {
    period,
    planId: null,
    status: 'not-started',
    dueDate: null,
    submittedOn: null,
    decidedOn: null,
    note: null,
    session: null,
  };
  const plan = await db
    .selectFrom('plan')
    .select('id')
    .where('owner_kind', '=', 'unit')
    .where('unit_id', '=', unitId)
    .where('year', '=', Number(period.slice(0, 4)))
    .orderBy('id')
    .executeTakeFirst();
  if (!plan) return empty;
  const task = await db
    .selectFrom('task')
    .select(['status', 'logical_due_date'])
    .where('subject_type', '=', 'plan')
    .where('subject_id', '=', plan.id)
    .where('kind', '=', 'plan.period-submit')
    .where(sql<string>`details->>'period'`, '=', period)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const base = { ...empty, planId: plan.id };
  if (!task) return base;
  const step = await db
    .selectFrom('audit_log')
    .select(['action', 'after'])
    .where('aggregate_type', '=', 'plan')
    .where('aggregate_id', '=', plan.id)
    .where('action', 'in', ['plan.period-submitted', 'plan.period-approved', 'plan.period-adjusted'])
    .where(sql<string>`after->>'period'`, '=', period)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  const after = (step?.after ?? {}) as Record<string, unknown>;
  const dueDate = String(task.logical_due_date);
  if (step?.action === 'plan.period-approved' || step?.action === 'plan.period-adjusted') {
    const submitted = await db
      .selectFrom('audit_log')
      .select('after')
      .where('aggregate_type', '=', 'plan')
      .where('aggregate_id', '=', plan.id)
      .where('action', '=', 'plan.period-submitted')
      .where(sql<string>`after->>'period'`, '=', period)
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    return {
      ...base,
      status:
        after.decision === 'adjusted' || step.action === 'plan.period-adjusted' ? 'adjusted' : 'approved',
      dueDate,
      submittedOn: text((submitted?.after as Record<string, unknown> | null)?.date),
      decidedOn: text(after.date),
      note: text(after.note),
      session: text(after.session),
    };
  }
  if (step?.action === 'plan.period-submitted' && task.status !== 'open')
    return { ...base, status: 'submitted', dueDate, submittedOn: text(after.date) };
  return { ...base, status: 'draft', dueDate };
}
