// Who performs a delegable action on a resource: the caller holding the action there, or the active delegate of a
// person who holds it — named in onBehalfOf, or found among the caller's principals today. Unit reports, their
// reopening, giao ban directions, the period assessment's confirmation and the year-end supervisor assessment all
// act this way. `notFor` names a person who must not be the principal (nobody assesses themselves).
import type { Context } from 'hono';
import { activeDelegation, principalsOf } from '../../db/queries/delegations.ts';
import type { ApiDeps } from '../deps.ts';
import { subjectOfPerson } from '../routes/plans/subjects.ts';
import type { AuthzEnv } from './middleware.ts';
import { allowed, check, forbidden, markChecked } from './middleware.ts';
import { type Action, authorize, type Resource } from './policy.ts';

export interface Acting {
  by: string;
  onBehalfOf?: string;
}

export function delegableAction(db: ApiDeps['db'], now: () => Date, action: Action) {
  const mayAct = async (personId: string, resource: Resource) =>
    authorize(await subjectOfPerson(db, personId), action, resource).allowed;

  /** The person holding the action on the resource whose active delegate `me` is today, if any. */
  async function delegatedPrincipal(
    me: string,
    resource: Resource,
    notFor?: string,
  ): Promise<string | undefined> {
    for (const p of await principalsOf(db, me, now()))
      if (p.principalId !== me && p.principalId !== notFor && (await mayAct(p.principalId, resource)))
        return p.principalId;
    return undefined;
  }

  /** As the holder, or for `named` (or the principal found) as their delegate; else 403. */
  async function acting(
    c: Context<AuthzEnv>,
    me: string,
    resource: Resource,
    named: string | undefined,
    notFor?: string,
  ): Promise<Acting> {
    if (notFor !== undefined && (me === notFor || named === notFor)) throw forbidden('SELF');
    if (named !== undefined && named !== me) {
      if (!(await activeDelegation(db, { delegateId: me, principalId: named, at: now() })))
        throw forbidden('NOT_DELEGATE');
      if (!(await mayAct(named, resource))) throw forbidden('NO_GRANT');
      markChecked(c);
      return { by: me, onBehalfOf: named };
    }
    if (await allowed(c, db, action, resource)) {
      markChecked(c);
      return { by: me };
    }
    const principal = await delegatedPrincipal(me, resource, notFor);
    if (principal) {
      markChecked(c);
      return { by: me, onBehalfOf: principal };
    }
    return check(c, db, resource).then(() => ({ by: me }));
  }

  return { delegatedPrincipal, acting };
}
