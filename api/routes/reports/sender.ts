// Who sends a unit report (monthly or quarterly): the unit head (the route's send action), or the active
// delegate of a person who holds it — named in onBehalfOf, or found among the caller's principals today.
import type { Context } from 'hono';
import { activeDelegation, principalsOf } from '../../../db/queries/delegations.ts';
import type { AuthzEnv } from '../../authz/middleware.ts';
import { allowed, check, forbidden, markChecked } from '../../authz/middleware.ts';
import { type Action, authorize, type Resource } from '../../authz/policy.ts';
import type { ApiDeps } from '../../deps.ts';
import { subjectOfPerson } from '../plans/subjects.ts';

export interface Acting {
  by: string;
  onBehalfOf?: string;
}

export function reportSender(db: ApiDeps['db'], now: () => Date, sendAction: Action) {
  const mayPersonSend = async (personId: string, resource: Resource) =>
    authorize(await subjectOfPerson(db, personId), sendAction, resource).allowed;

  /** The person who may send the report whose active delegate `me` is today, if any. */
  async function delegatedSender(me: string, resource: Resource): Promise<string | undefined> {
    for (const p of await principalsOf(db, me, now()))
      if (p.principalId !== me && (await mayPersonSend(p.principalId, resource))) return p.principalId;
    return undefined;
  }

  /** The acting of a send: as the head, or for `named` (or the principal found) as their delegate; else 403. */
  async function sendActing(
    c: Context<AuthzEnv>,
    me: string,
    resource: Resource,
    named: string | undefined,
  ): Promise<Acting> {
    if (named !== undefined && named !== me) {
      if (!(await activeDelegation(db, { delegateId: me, principalId: named, at: now() })))
        throw forbidden('NOT_DELEGATE');
      if (!(await mayPersonSend(named, resource))) throw forbidden('NO_GRANT');
      markChecked(c);
      return { by: me, onBehalfOf: named };
    }
    if (await allowed(c, db, sendAction, resource)) {
      markChecked(c);
      return { by: me };
    }
    const principal = await delegatedSender(me, resource);
    if (principal) {
      markChecked(c);
      return { by: me, onBehalfOf: principal };
    }
    return check(c, db, resource).then(() => ({ by: me }));
  }

  return { delegatedSender, sendActing };
}
