// Resolves what a route acts on into a Resource (its path in the org tree and its tier) for authorize().
import type { Executor } from '../../db/executor.ts';
import {
  employmentUnitOf,
  headOfUnits,
  todayVn,
  type UnitNode,
  unitPath,
} from '../../db/queries/org-tree.ts';
import type { RoleCode } from '../../db/schema.ts';
import { ApiProblem } from '../problem.ts';
import type { Resource, Tier } from './policy.ts';

export const unitNotFound = () =>
  new ApiProblem({
    status: 404,
    code: 'ORG_UNIT_NOT_FOUND',
    vi: 'Không tìm thấy đơn vị.',
    en: 'Unit not found.',
  });
export const personNotFound = () =>
  new ApiProblem({
    status: 404,
    code: 'PERSON_NOT_FOUND',
    vi: 'Không tìm thấy người này.',
    en: 'Person not found.',
  });
export const provinceNotFound = () =>
  new ApiProblem({
    status: 404,
    code: 'PROVINCE_NOT_FOUND',
    vi: 'Không tìm thấy tỉnh.',
    en: 'Province not found.',
  });

/** The tier of a unit as data: the province itself, a unit directly under it, or something inside a unit. */
export function tierOfUnit(path: readonly UnitNode[]): Tier {
  return path.length <= 1 ? 'province' : path.length === 2 ? 'unit' : 'internal';
}

export async function loadPath(db: Executor, unitId: string): Promise<UnitNode[]> {
  const path = await unitPath(db, unitId);
  if (!path) throw unitNotFound();
  return path;
}

const ids = (path: readonly UnitNode[]) => path.map((n) => n.id);

/** A unit as the object of a change (rename, move, deactivate): top units are unit-level data of the province. */
export async function unitResource(db: Executor, unitId: string): Promise<Resource> {
  const path = await loadPath(db, unitId);
  const tier = tierOfUnit(path);
  return { path: ids(path), tier: tier === 'province' ? 'province' : tier };
}

/** The children of a unit (list, create under): under the province they are units; under a unit, internal. */
export async function childrenResource(db: Executor, parentId: string): Promise<Resource> {
  const path = await loadPath(db, parentId);
  return { path: ids(path), tier: path.length === 1 ? 'unit' : 'internal' };
}

/** Data inside a unit (its people, its catalogue); at the province root that is province-level data. */
export async function insideUnitResource(db: Executor, unitId: string): Promise<Resource> {
  const path = await loadPath(db, unitId);
  return { path: ids(path), tier: path.length === 1 ? 'province' : 'internal' };
}

/** The people of a unit as seen from the province: the unit's heads (unit-level data). */
export async function headsOfUnitResource(db: Executor, unitId: string): Promise<Resource> {
  const path = await loadPath(db, unitId);
  const top = path.slice(0, 2);
  return { path: ids(top), tier: 'unit' };
}

/** A person: a unit head is unit-level data of the province; anyone else is internal to their unit. */
export async function personResource(db: Executor, personId: string): Promise<Resource> {
  const person = await db.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst();
  if (!person) throw personNotFound();
  const today = todayVn();
  const heads = await headOfUnits(db, personId, today);
  const headOf = heads[0];
  if (headOf) {
    const path = await loadPath(db, headOf);
    return { path: ids(path), tier: 'unit', subjectPersonId: personId };
  }
  const unitId = await employmentUnitOf(db, personId, today);
  if (!unitId) return { path: [], tier: 'internal', subjectPersonId: personId };
  const path = await loadPath(db, unitId);
  return { path: ids(path), tier: path.length === 1 ? 'unit' : 'internal', subjectPersonId: personId };
}

/** A role grant: province-scoped grants are province data; a head's or administrator's grant on a top unit
 * is unit-level data; anything else is internal to the scope's unit. */
export async function grantResource(
  db: Executor,
  role: RoleCode,
  scopeUnitId: string,
  personId: string,
): Promise<Resource> {
  const path = await loadPath(db, scopeUnitId);
  const tier: Tier =
    path.length === 1
      ? 'province'
      : path.length === 2 && (role === 'unit_head' || role === 'administrator')
        ? 'unit'
        : 'internal';
  return { path: ids(path), tier, subjectPersonId: personId };
}

/** Province-wide settings of a province. */
export async function provinceResource(db: Executor, provinceId: string): Promise<Resource> {
  const row = await db
    .selectFrom('org_unit')
    .select('id')
    .where('id', '=', provinceId)
    .where('type_code', '=', 'province')
    .executeTakeFirst();
  if (!row) throw provinceNotFound();
  return { path: [provinceId], tier: 'province' };
}
