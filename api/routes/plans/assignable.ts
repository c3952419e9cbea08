// Who a plan's process items and decomposition reach (issue 5): the open item of a step with its assignee
// (a person, or a role at a unit — what api/authz/policy.ts assigneeMay checks), and the picker of the
// decomposition — the plan's unit's direct sub-units and the people working in its subtree today who have no
// plan of the year yet.
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { ItemAssignee } from '../../authz/policy.ts';

export interface OpenItem {
  id: string;
  kind: string;
  assignee: ItemAssignee;
}

/** The newest open task of the plan among `kinds`, with its assignee. */
export async function openItemOf(
  executor: Executor,
  planId: string,
  kinds: string[],
): Promise<OpenItem | undefined> {
  if (kinds.length === 0) return undefined;
  const row = await executor
    .selectFrom('task')
    .select(['id', 'kind', 'assignee_person_id', 'assignee_role', 'assignee_unit_id'])
    .where('subject_type', '=', 'plan')
    .where('subject_id', '=', planId)
    .where('kind', 'in', kinds)
    .where('status', '=', 'open')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    kind: row.kind,
    assignee: {
      personId: row.assignee_person_id,
      role: row.assignee_role,
      unitId: row.assignee_unit_id,
    },
  };
}

export interface AssignableUnit {
  id: string;
  code: string;
  name: string;
  /** The English name from the catalogue, when there is one. */
  nameEn: string | null;
  /** A plan of the year exists for the unit already. */
  hasPlan: boolean;
}

export interface AssignablePerson {
  id: string;
  name: string;
  positionCode: string;
  position: { vi: string; en: string };
  unitId: string;
  unitCode: string;
  unitName: string;
  unitNameEn: string | null;
}

/** The unit's direct sub-units in force on `day`, by code. */
export async function subUnitsOf(
  executor: Executor,
  unitId: string,
  year: number,
  day: string,
): Promise<AssignableUnit[]> {
  const rows = await executor
    .selectFrom('org_unit as u')
    .leftJoin('plan as p', (j) =>
      j.onRef('p.unit_id', '=', 'u.id').on('p.owner_kind', '=', 'unit').on('p.year', '=', year),
    )
    .select(['u.id', 'u.code', 'u.name_vi', 'u.name_en', 'p.id as plan_id'])
    .where('u.parent_id', '=', unitId)
    .where('u.active_from', '<=', day)
    .where((eb) => eb.or([eb('u.active_to', 'is', null), eb('u.active_to', '>=', day)]))
    .orderBy('u.code')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name_vi,
    nameEn: r.name_en,
    hasPlan: r.plan_id !== null,
  }));
}

/** The people whose main post on `day` is in the unit or below it, with no personal plan of `year`; by name. */
export async function assignablePersonsOf(
  executor: Executor,
  unitId: string,
  year: number,
  day: string,
): Promise<AssignablePerson[]> {
  const rows = await sql<{
    id: string;
    full_name: string;
    position_code: string;
    title_vi: string | null;
    title_en: string | null;
    unit_id: string;
    unit_code: string;
    unit_name: string;
    unit_name_en: string | null;
  }>`
    WITH RECURSIVE sub(id) AS (
      SELECT ${unitId}::uuid
      UNION
      SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id
    )
    SELECT DISTINCT ON (p.id) p.id, p.full_name, e.position_code, jp.title_vi, jp.title_en,
           u.id AS unit_id, u.code AS unit_code, u.name_vi AS unit_name, u.name_en AS unit_name_en
      FROM employment e
      JOIN sub ON sub.id = e.org_unit_id
      JOIN person p ON p.id = e.person_id
      JOIN org_unit u ON u.id = e.org_unit_id
      LEFT JOIN job_position jp ON jp.code = e.position_code
     WHERE NOT e.is_concurrent
       AND e.valid_from <= ${day}::date
       AND (e.valid_to IS NULL OR e.valid_to >= ${day}::date)
       AND NOT EXISTS (
         SELECT 1 FROM plan pl WHERE pl.owner_kind = 'person' AND pl.person_id = p.id AND pl.year = ${year}
       )
     ORDER BY p.id, e.valid_from DESC
  `.execute(executor);
  return rows.rows
    .map((r) => ({
      id: r.id,
      name: r.full_name,
      positionCode: r.position_code,
      position: { vi: r.title_vi ?? r.position_code, en: r.title_en ?? r.position_code },
      unitId: r.unit_id,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      unitNameEn: r.unit_name_en,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.id.localeCompare(b.id));
}
