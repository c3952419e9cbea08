import { sql } from 'kysely';
import type { Executor } from '../executor.ts';
import type { RoleCode } from '../schema.ts';

/** The role assignments a person holds on `day` ('yyyy-mm-dd'), with the scope unit. */
export function rolesOfPerson(executor: Executor, personId: string, day: string) {
  return executor
    .selectFrom('role_assignment as r')
    .innerJoin('org_unit as u', 'u.id', 'r.scope_unit_id')
    .select([
      'r.role_code',
      'r.scope_unit_id',
      'u.code as scope_code',
      'u.type_code as scope_type',
      'u.province_id',
    ])
    .where('r.person_id', '=', personId)
    .where('r.valid_from', '<=', day)
    .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', day)]))
    .orderBy('r.role_code')
    .execute();
}

/** The person's employment periods covering `day`, main post first. */
export function employmentsOn(executor: Executor, personId: string, day: string) {
  return executor
    .selectFrom('employment as e')
    .innerJoin('org_unit as u', 'u.id', 'e.org_unit_id')
    .innerJoin('job_position as p', 'p.code', 'e.position_code')
    .select([
      'e.id',
      'e.org_unit_id',
      'u.code as unit_code',
      'u.name_vi as unit_name_vi',
      'e.position_code',
      'p.title_vi',
      'e.valid_from',
      'e.valid_to',
      'e.is_concurrent',
    ])
    .where('e.person_id', '=', personId)
    .where('e.valid_from', '<=', day)
    .where((eb) => eb.or([eb('e.valid_to', 'is', null), eb('e.valid_to', '>=', day)]))
    .orderBy('e.is_concurrent')
    .execute();
}

/** The unit and its ancestors up to the province, nearest first. */
export async function unitAncestry(executor: Executor, unitId: string) {
  const r = await sql<{ id: string; code: string; type_code: string; name_vi: string; depth: number }>`
    WITH RECURSIVE up AS (
      SELECT id, parent_id, code, type_code, name_vi, 0 AS depth FROM org_unit WHERE id = ${unitId}
      UNION ALL
      SELECT o.id, o.parent_id, o.code, o.type_code, o.name_vi, up.depth + 1 FROM org_unit o JOIN up ON o.id = up.parent_id
    )
    SELECT id, code, type_code, name_vi, depth FROM up ORDER BY depth`.execute(executor);
  return r.rows;
}

/** People holding `role` in scope `unitId` on `day` (e.g. who approves: the unit head of a unit). */
export function holdersOfRole(executor: Executor, role: RoleCode, unitId: string, day: string) {
  return executor
    .selectFrom('role_assignment as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['p.id', 'p.full_name', 'p.email'])
    .where('r.role_code', '=', role)
    .where('r.scope_unit_id', '=', unitId)
    .where('r.valid_from', '<=', day)
    .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', day)]))
    .orderBy('p.full_name')
    .execute();
}
