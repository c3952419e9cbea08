import type { Executor } from '../../db/executor.ts';
import '../../db/schema-auth.ts';
import type { RoleGrant } from './actor.ts';

/** Roles whose holders must pass a second factor (shared/RULES.md, level 3). */
export const SECOND_FACTOR_ROLES = new Set(['administrator', 'secretariat']);

export const normaliseEmail = (email: string): string => email.normalize('NFC').trim().toLowerCase();

export function findPersonByEmail(db: Executor, email: string) {
  return db
    .selectFrom('person')
    .select(['id', 'email', 'full_name', 'active'])
    .where('email', '=', normaliseEmail(email))
    .executeTakeFirst();
}

export function findPersonById(db: Executor, personId: string) {
  return db
    .selectFrom('person')
    .select(['id', 'email', 'full_name', 'active'])
    .where('id', '=', personId)
    .executeTakeFirst();
}

export function findAccount(db: Executor, personId: string) {
  return db.selectFrom('account').selectAll().where('person_id', '=', personId).executeTakeFirst();
}

/** Creates the person's account row when missing (no password: SSO only until one is set). */
export async function ensureAccount(db: Executor, personId: string): Promise<void> {
  await db
    .insertInto('account')
    .values({ person_id: personId, password_hash: null })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .execute();
}

/** The role grants valid on `day` (yyyy-mm-dd). */
export async function activeGrants(db: Executor, personId: string, day: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('role_assignment')
    .select(['role_code', 'scope_unit_id'])
    .where('person_id', '=', personId)
    .where('valid_from', '<=', day)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
    .orderBy('role_code')
    .orderBy('scope_unit_id')
    .execute();
  return rows.map((r) => ({ role: r.role_code, scopeUnitId: r.scope_unit_id }));
}

export const needsSecondFactor = (grants: readonly RoleGrant[]): boolean =>
  grants.some((g) => SECOND_FACTOR_ROLES.has(g.role));

/** The calendar day of `at` in Vietnam (role assignments are dated in local days). */
export const vietnamDay = (at: Date): string =>
  new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
