// The one place for authorization: the pure policy, the Hono helpers, resource resolvers and the registry.
import type { Context } from 'hono';
import type { Database } from '../../db/connection.ts';
import { type AuthzEnv, check } from './middleware.ts';
import { personResource } from './resources.ts';

export {
  type AuthzEnv,
  allowed,
  check,
  forbidden,
  markChecked,
  publicRoute,
  requires,
  secondFactorRequired,
  unauthenticated,
} from './middleware.ts';
export {
  ACTIONS,
  type Action,
  authorize,
  type Decision,
  type Resource,
  type Subject,
  type Tier,
} from './policy.ts';
export { type RouteRule, routeTable } from './registry.ts';
export * from './resources.ts';

/**
 * For the account-administration routes of api/auth (reset password, unlock): the tiered rule over the
 * person whose account it is. Throws 401/403 problems.
 */
export async function checkAccountAdmin(c: Context, db: Database, personId: string): Promise<void> {
  await check(c as unknown as Context<AuthzEnv>, db, await personResource(db, personId), 'account.manage');
}
