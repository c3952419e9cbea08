import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson, toJsonValue } from '../audit/hash.ts';
import type { Executor } from '../executor.ts';
import '../schema-plans.ts';
import type { PlanRow, PlanVersionRow } from '../schema-plans.ts';

/** sha256 (hex) of the canonical JSON of a plan's content: the hash an Update carries to freeze a version. */
export function planContentHash(content: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(toJsonValue(content)), 'utf8')
    .digest('hex');
}

/** Creates the plan row when missing (the workflow's projections fill in its status). */
export async function ensurePlan(
  executor: Executor,
  p: {
    id: string;
    ownerKind: 'unit' | 'person';
    unitId?: string;
    personId?: string;
    year: number;
    workflowId?: string;
  },
): Promise<void> {
  await executor
    .insertInto('plan')
    .values({
      id: p.id,
      owner_kind: p.ownerKind,
      unit_id: p.unitId ?? null,
      person_id: p.personId ?? null,
      year: p.year,
      workflow_id: p.workflowId ?? null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Appends an immutable content version (number = last + 1) with its hash. */
export async function createPlanVersion(
  executor: Executor,
  v: { planId: string; content: unknown; createdBy: string },
): Promise<PlanVersionRow> {
  const hash = planContentHash(v.content);
  return executor
    .insertInto('plan_version')
    .values({
      plan_id: v.planId,
      number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM plan_version WHERE plan_id = ${v.planId})`,
      content: JSON.stringify(toJsonValue(v.content)),
      hash,
      created_by: v.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function getPlan(executor: Executor, id: string): Promise<PlanRow | undefined> {
  return executor.selectFrom('plan').selectAll().where('id', '=', id).executeTakeFirst();
}

export function getPlanVersion(executor: Executor, id: string): Promise<PlanVersionRow | undefined> {
  return executor.selectFrom('plan_version').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The steps of a province's approval chain for a unit type and subject (approval_chain, lowest first);
 *  undefined when none is configured. */
export async function approvalChainSteps(
  executor: Executor,
  provinceId: string,
  unitTypeCode: string,
  subject: 'plan' | 'amendment' | 'period_reopen' | 'delegation' | 'evaluation',
): Promise<{ roleCode: string; scope: string }[] | undefined> {
  const chain = await executor
    .selectFrom('approval_chain')
    .select('id')
    .where('province_id', '=', provinceId)
    .where('unit_type_code', '=', unitTypeCode)
    .where('subject', '=', subject)
    .executeTakeFirst();
  if (!chain) return undefined;
  const steps = await executor
    .selectFrom('approval_chain_step')
    .select(['role_code', 'scope'])
    .where('chain_id', '=', chain.id)
    .orderBy('step_no')
    .execute();
  return steps.map((s) => ({ roleCode: s.role_code, scope: s.scope }));
}

/** The plans decomposed from a plan, oldest first. */
export function childPlansOf(executor: Executor, parentPlanId: string): Promise<PlanRow[]> {
  return executor
    .selectFrom('plan')
    .selectAll()
    .where('parent_plan_id', '=', parentPlanId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
}
