// Reads and locks of the plan editor (the content path, DESIGN §5): plans of a unit, a plan's versions.
import type { Executor } from '../executor.ts';
import '../schema-plans.ts';
import type { PlanRow, PlanVersionRow } from '../schema-plans.ts';

export function lockPlan(executor: Executor, id: string): Promise<PlanRow | undefined> {
  return executor.selectFrom('plan').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function plansOfUnit(executor: Executor, unitId: string, year?: number): Promise<PlanRow[]> {
  let q = executor.selectFrom('plan').selectAll().where('unit_id', '=', unitId);
  if (year !== undefined) q = q.where('year', '=', year);
  return q.orderBy('year', 'desc').orderBy('owner_kind', 'desc').orderBy('id').limit(500).execute();
}

export type VersionSummary = Pick<PlanVersionRow, 'id' | 'number' | 'hash' | 'created_by' | 'created_at'>;

export function versionsOfPlan(executor: Executor, planId: string): Promise<VersionSummary[]> {
  return executor
    .selectFrom('plan_version')
    .select(['id', 'number', 'hash', 'created_by', 'created_at'])
    .where('plan_id', '=', planId)
    .orderBy('number')
    .execute();
}

export function planVersionByNumber(
  executor: Executor,
  planId: string,
  number: number,
): Promise<PlanVersionRow | undefined> {
  return executor
    .selectFrom('plan_version')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export function latestPlanVersion(executor: Executor, planId: string): Promise<PlanVersionRow | undefined> {
  return executor
    .selectFrom('plan_version')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The open inbox task of a plan's step (e.g. 'plan.submit'), for a derived update id. */
export async function openTaskOf(
  executor: Executor,
  planId: string,
  kinds: string[],
): Promise<string | undefined> {
  const r = await executor
    .selectFrom('task')
    .select('id')
    .where('subject_type', '=', 'plan')
    .where('subject_id', '=', planId)
    .where('kind', 'in', kinds)
    .where('status', '=', 'open')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.id;
}

/** The open inbox task of a plan's steps with its assignee (a person, or a role at a unit). */
export function openTaskRowOf(
  executor: Executor,
  planId: string,
  kinds: string[],
): Promise<{ id: string; kind: string; assignee_person_id: string | null; details: unknown } | undefined> {
  return executor
    .selectFrom('task')
    .select(['id', 'kind', 'assignee_person_id', 'details'])
    .where('subject_type', '=', 'plan')
    .where('subject_id', '=', planId)
    .where('kind', 'in', kinds)
    .where('status', '=', 'open')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
