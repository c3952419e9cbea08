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
