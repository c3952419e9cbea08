// The authorization subject of a person other than the caller (a delegation's principal), resolved like the
// caller's own in api/authz/middleware.ts: their role grants in force today with each scope's province and
// top unit.
import { rolesOfPerson } from '../../../db/queries/org.ts';
import { provincesOf, todayVn, topUnitsOf } from '../../../db/queries/org-tree.ts';
import type { Subject } from '../../authz/policy.ts';
import type { ApiDeps } from '../../deps.ts';

export async function subjectOfPerson(db: ApiDeps['db'], personId: string): Promise<Subject> {
  const roles = await rolesOfPerson(db, personId, todayVn());
  const scopes = roles.map((g) => g.scope_unit_id);
  const provinces = await provincesOf(db, scopes);
  const tops = await topUnitsOf(db, scopes);
  return {
    personId,
    grants: roles.flatMap((g) => {
      const provinceId = provinces.get(g.scope_unit_id);
      return provinceId
        ? [
            {
              role: g.role_code,
              scopeUnitId: g.scope_unit_id,
              provinceId,
              topUnitId: tops.get(g.scope_unit_id),
            },
          ]
        : [];
    }),
  };
}
