// Handing key results over (DESIGN §1: transfers, leavers): the plans of a year in which a person owns key
// results (by content, or by an earlier reassignment), the people who may take them over (employed in the
// plan's unit or below it), the person's open tasks, and the append-only reassignment records.
import { sql } from 'kysely';
import type { Reassignment } from '../../domain/handover/owner.ts';
import type { Plan } from '../../domain/plan/model.ts';
import type { Executor } from '../executor.ts';
import '../schema-handover.ts';
import '../schema-plans.ts';
import type { PlanRow, TaskRow } from '../schema-plans.ts';
import { reassignmentsOf } from './check-ins.ts';

export interface HandoverPlan {
  plan: PlanRow;
  versionId: string;
  content: Plan;
}

/** The plans of `year` in force that may hold key results of `personId`: their personal plans, plans whose
 *  content names them as a key result's owner, and plans with a key result reassigned to them. */
export async function plansHoldingKeyResultsOf(
  executor: Executor,
  personId: string,
  year: number,
): Promise<(HandoverPlan & { reassignments: Reassignment[] })[]> {
  const rows = await executor
    .selectFrom('plan as p')
    .innerJoin('plan_version as v', 'v.id', 'p.in_force_version_id')
    .selectAll('p')
    .select(['v.id as version_id', 'v.content as version_content'])
    .where('p.year', '=', year)
    .where((eb) =>
      eb.or([
        eb('p.person_id', '=', personId),
        sql<boolean>`jsonb_path_exists(v.content, '$.tasks[*].keyResults[*] ? (@.ownerId == $p)', jsonb_build_object('p', ${personId}::text))`,
        eb(
          'p.id',
          'in',
          eb
            .selectFrom('key_result_assignment as a')
            .select('a.plan_id')
            .where('a.to_person_id', '=', personId),
        ),
      ]),
    )
    .orderBy('p.id')
    .execute();
  const reassignments = await reassignmentsOf(
    executor,
    rows.map((r) => r.id),
  );
  return rows.map(({ version_id, version_content, ...plan }) => ({
    plan: plan as PlanRow,
    versionId: version_id,
    content: version_content as unknown as Plan,
    reassignments: reassignments.get(plan.id) ?? [],
  }));
}

export interface Colleague {
  id: string;
  fullName: string;
  unitId: string;
}

/** The people employed on `day` in `unitId` or a unit below it, `except` left out, by name. */
export async function peopleEmployedUnder(
  executor: Executor,
  unitId: string,
  day: string,
  except: string,
): Promise<Colleague[]> {
  const r = await sql<Colleague>`
    WITH RECURSIVE down AS (
      SELECT id FROM org_unit WHERE id = ${unitId}::uuid
      UNION ALL
      SELECT u.id FROM org_unit u JOIN down ON u.parent_id = down.id
    )
    SELECT DISTINCT ON (p.full_name, p.id) p.id, p.full_name AS "fullName", e.org_unit_id AS "unitId"
      FROM employment e
      JOIN person p ON p.id = e.person_id
     WHERE e.org_unit_id IN (SELECT id FROM down)
       AND e.valid_from <= ${day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${day}::date)
       AND p.id <> ${except}::uuid
     ORDER BY p.full_name, p.id`.execute(executor);
  return r.rows;
}

/** A person's open tasks in the inbox read model (assigned to them in person), by due time. */
export function openTasksOf(executor: Executor, personId: string): Promise<TaskRow[]> {
  return executor
    .selectFrom('task')
    .selectAll()
    .where('assignee_person_id', '=', personId)
    .where('status', '=', 'open')
    .orderBy('due_at')
    .orderBy('id')
    .execute();
}

/** Whether `personId` has a submitted or verified check-in from `period` on that reports the key result. */
export async function reportedFrom(
  executor: Executor,
  personId: string,
  planId: string,
  keyResultId: string,
  period: string,
): Promise<string | undefined> {
  const row = await executor
    .selectFrom('check_in as c')
    .innerJoin('check_in_value as v', 'v.check_in_id', 'c.id')
    .select('c.period')
    .where('c.person_id', '=', personId)
    .where('c.period', '>=', period)
    .where('c.status', 'in', ['SUBMITTED', 'VERIFIED'])
    .where('v.plan_id', '=', planId)
    .where('v.key_result_id', '=', keyResultId)
    .orderBy('c.period')
    .limit(1)
    .executeTakeFirst();
  return row?.period;
}

export interface NewReassignment {
  planId: string;
  keyResultId: string;
  fromPersonId: string;
  toPersonId: string;
  effectivePeriod: string;
  reason: string;
  changedBy: string;
}

export async function recordReassignment(executor: Executor, r: NewReassignment): Promise<string> {
  const row = await executor
    .insertInto('key_result_assignment')
    .values({
      plan_id: r.planId,
      key_result_id: r.keyResultId,
      from_person_id: r.fromPersonId,
      to_person_id: r.toPersonId,
      effective_period: r.effectivePeriod,
      reason: r.reason,
      changed_by: r.changedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** The reassignments of one key result, oldest first, with the names of the people involved. */
export function reassignmentHistory(executor: Executor, planId: string, keyResultId: string) {
  return executor
    .selectFrom('key_result_assignment as a')
    .leftJoin('person as f', 'f.id', 'a.from_person_id')
    .innerJoin('person as t', 't.id', 'a.to_person_id')
    .innerJoin('person as b', 'b.id', 'a.changed_by')
    .select([
      'a.id',
      'a.effective_period',
      'a.reason',
      'a.changed_at',
      'a.from_person_id',
      'f.full_name as from_name',
      'a.to_person_id',
      't.full_name as to_name',
      'b.full_name as changed_by_name',
    ])
    .where('a.plan_id', '=', planId)
    .where('a.key_result_id', '=', keyResultId)
    .orderBy('a.id')
    .execute();
}

/**
 * Who may take over the verification of a check-in (the rule of POST /api/check-ins/{id}/verifier): the holders
 * on `day` of the supervisor or unit-head roles on the units of the person's path below the province, the
 * person and `except` (the one leaving) left out, by name.
 */
export async function verifiersFor(
  executor: Executor,
  checkInId: string,
  day: string,
  except: string,
): Promise<{ id: string; fullName: string }[]> {
  const r = await sql<{ id: string; fullName: string }>`
    WITH RECURSIVE ci AS (SELECT person_id, unit_id FROM check_in WHERE id = ${checkInId}::uuid),
    up AS (
      SELECT u.id, u.parent_id, u.province_id FROM org_unit u JOIN ci ON u.id = ci.unit_id
      UNION ALL
      SELECT u.id, u.parent_id, u.province_id FROM org_unit u JOIN up ON u.id = up.parent_id
    )
    SELECT DISTINCT p.id, p.full_name AS "fullName"
      FROM role_assignment r
      JOIN person p ON p.id = r.person_id
      JOIN up ON up.id = r.scope_unit_id AND up.id <> up.province_id
     WHERE r.role_code IN ('supervisor', 'unit_head')
       AND r.valid_from <= ${day}::date AND (r.valid_to IS NULL OR r.valid_to >= ${day}::date)
       AND p.id <> ${except}::uuid
       AND p.id <> (SELECT person_id FROM ci)
     ORDER BY "fullName", p.id`.execute(executor);
  return r.rows;
}
