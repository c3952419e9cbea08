// Org-tree reads for authorization and administration (DESIGN §1: a scope covers a unit and its descendants).
import { sql } from 'kysely';
import type { Executor } from '../executor.ts';

export interface UnitNode {
  id: string;
  typeCode: string;
  parentId: string | null;
  provinceId: string;
  activeTo: string | null;
}

/** The unit and its ancestors, root (the province) first; undefined when the unit does not exist. */
export async function unitPath(executor: Executor, unitId: string): Promise<UnitNode[] | undefined> {
  const r = await sql<{
    id: string;
    type_code: string;
    parent_id: string | null;
    province_id: string;
    active_to: string | null;
    depth: number;
  }>`
    WITH RECURSIVE up AS (
      SELECT id, type_code, parent_id, province_id, active_to, 0 AS depth FROM org_unit WHERE id = ${unitId}::uuid
      UNION ALL
      SELECT u.id, u.type_code, u.parent_id, u.province_id, u.active_to, up.depth + 1
        FROM org_unit u JOIN up ON u.id = up.parent_id WHERE up.depth < 64
    )
    SELECT * FROM up ORDER BY depth DESC`.execute(executor);
  if (r.rows.length === 0) return undefined;
  return r.rows.map((x) => ({
    id: x.id,
    typeCode: x.type_code,
    parentId: x.parent_id,
    provinceId: x.province_id,
    activeTo: x.active_to,
  }));
}

/** The top unit (directly under its province) holding each given unit; a province itself is left out. */
export async function topUnitsOf(
  executor: Executor,
  unitIds: readonly string[],
): Promise<Map<string, string>> {
  if (unitIds.length === 0) return new Map();
  const r = await sql<{ start: string; id: string }>`
    WITH RECURSIVE up AS (
      SELECT id AS start, id, parent_id, province_id, 0 AS depth FROM org_unit
       WHERE id = ANY(${[...unitIds]}::uuid[])
      UNION ALL
      SELECT up.start, u.id, u.parent_id, u.province_id, up.depth + 1
        FROM org_unit u JOIN up ON u.id = up.parent_id
       WHERE up.parent_id IS DISTINCT FROM up.province_id AND up.depth < 64
    )
    SELECT start, id FROM up WHERE parent_id = province_id`.execute(executor);
  return new Map(r.rows.map((x) => [x.start, x.id]));
}

/** The province of each given unit (unknown ids are left out). */
export async function provincesOf(
  executor: Executor,
  unitIds: readonly string[],
): Promise<Map<string, string>> {
  if (unitIds.length === 0) return new Map();
  const rows = await executor
    .selectFrom('org_unit')
    .select(['id', 'province_id'])
    .where('id', 'in', [...unitIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.province_id]));
}

/** The top-level units (directly under a province) where the person holds an active unit_head role on `day`. */
export async function headOfUnits(executor: Executor, personId: string, day: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('role_assignment as ra')
    .innerJoin('org_unit as u', 'u.id', 'ra.scope_unit_id')
    .select('u.id')
    .where('ra.person_id', '=', personId)
    .where('ra.role_code', '=', 'unit_head')
    .whereRef('u.parent_id', '=', 'u.province_id')
    .where('ra.valid_from', '<=', day)
    .where((eb) => eb.or([eb('ra.valid_to', 'is', null), eb('ra.valid_to', '>=', day)]))
    .execute();
  return rows.map((r) => r.id);
}

/** The unit of a person's main employment on `day`, else of their latest main period, else of any period. */
export async function employmentUnitOf(
  executor: Executor,
  personId: string,
  day: string,
): Promise<string | undefined> {
  const row = await executor
    .selectFrom('employment')
    .select(['org_unit_id'])
    .where('person_id', '=', personId)
    .orderBy(sql`(valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date))`, 'desc')
    .orderBy('is_concurrent', 'asc')
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.org_unit_id;
}

/** employmentUnitOf for many persons at once (the monthly opening's page): person id → the unit, by the same order
 *  (an employment current on `day` first, the main post before a concurrent one, the latest start first). */
export async function employmentUnitsOf(
  executor: Executor,
  personIds: readonly string[],
  day: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!personIds.length) return out;
  const r = await sql<{ person_id: string; org_unit_id: string }>`
    SELECT DISTINCT ON (person_id) person_id, org_unit_id
      FROM employment
     WHERE person_id = ANY(${[...new Set(personIds)]}::uuid[])
     ORDER BY person_id,
              (valid_from <= ${day}::date AND (valid_to IS NULL OR valid_to >= ${day}::date)) DESC,
              is_concurrent ASC, valid_from DESC`.execute(executor);
  for (const row of r.rows) out.set(row.person_id, row.org_unit_id);
  return out;
}

/** Today in Asia/Ho_Chi_Minh as yyyy-mm-dd. */
export function todayVn(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

export interface UnitSummary {
  id: string;
  code: string;
  nameVi: string;
}

/**
 * The units whose annual plan the person works on, on `day`: the top unit (directly under its province) of each
 * current employment (main post first, then concurrent posts), then of each of the given grant scopes (a scope on
 * the province itself holds no plan and is left out); each unit once, in that order.
 */
export async function planningUnitsOf(
  executor: Executor,
  personId: string,
  day: string,
  grantScopeUnitIds: readonly string[] = [],
): Promise<UnitSummary[]> {
  const employed = await executor
    .selectFrom('employment')
    .select('org_unit_id')
    .where('person_id', '=', personId)
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
    .orderBy('is_concurrent', 'asc')
    .orderBy('valid_from', 'desc')
    .execute();
  const starts = [...employed.map((e) => e.org_unit_id), ...grantScopeUnitIds];
  const tops = await topUnitsOf(executor, [...new Set(starts)]);
  const ids = [...new Set(starts.map((u) => tops.get(u)).filter((u): u is string => u !== undefined))];
  if (ids.length === 0) return [];
  const rows = await executor
    .selectFrom('org_unit')
    .select(['id', 'code', 'name_vi'])
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id: r.id, code: r.code, nameVi: r.name_vi }] : [];
  });
}
