// The Hono side of authorization: every route declares its action with requires() (or publicRoute()),
// and its handler checks the resolved resource with check(). An anonymous request is refused with 401
// before anything else; a refused one with 403.
import type { Context, MiddlewareHandler } from 'hono';
import type { Database } from '../../db/connection.ts';
import { provincesOf, topUnitsOf } from '../../db/queries/org-tree.ts';
import type { AppEnv } from '../auth/actor.ts';
import { ApiProblem, internalError, problemResponse } from '../problem.ts';
import { ACTIONS, type Action, authorize, type Resource, type Subject } from './policy.ts';

export interface AuthzEnv extends AppEnv {
  Variables: AppEnv['Variables'] & {
    authzAction: Action | undefined;
    authzChecked: boolean | undefined;
    authzSubject: Subject | undefined;
  };
}

export const unauthenticated = () =>
  new ApiProblem({
    status: 401,
    code: 'UNAUTHENTICATED',
    vi: 'Bạn cần đăng nhập để thực hiện thao tác này.',
    en: 'You need to sign in to do this.',
  });

export const forbidden = (reason?: string) =>
  new ApiProblem({
    status: 403,
    code: 'FORBIDDEN',
    vi:
      reason === 'SELF'
        ? 'Không ai được tự thực hiện thao tác này cho chính mình.'
        : 'Bạn không có quyền thực hiện thao tác này trong phạm vi này.',
    en:
      reason === 'SELF'
        ? 'Nobody may do this for themselves.'
        : 'You are not allowed to do this in this scope.',
  });

export const secondFactorRequired = () =>
  new ApiProblem({
    status: 403,
    code: 'SECOND_FACTOR_REQUIRED',
    vi: 'Cần xác thực hai lớp trước khi thay đổi dữ liệu quản trị.',
    en: 'A second factor is required before changing administration data.',
  });

/** Marks a middleware with the route's declared access rule, so the route registry can list it. */
export interface AuthzMarked {
  authzAction?: Action;
  authzPublic?: true;
}

/** Declares the action of a route; refuses anonymous requests; fails closed when the handler never checked. */
export function requires(action: Action): MiddlewareHandler<AuthzEnv> {
  const mw: MiddlewareHandler<AuthzEnv> = async (c, next) => {
    const actor = c.get('actor');
    if (!actor) throw unauthenticated();
    // the session middleware already holds a pending second factor back; this keeps writes closed if it did not
    if (ACTIONS[action].kind === 'manage' && actor.secondFactorRequired && !actor.secondFactorDone)
      throw secondFactorRequired();
    c.set('authzAction', action);
    c.set('authzChecked', false);
    await next();
    if (c.res.status < 400 && !c.get('authzChecked')) {
      console.error(`[authz] route ${c.req.method} ${c.req.routePath} answered without checking ${action}`);
      c.res = problemResponse(c, internalError());
    }
  };
  return Object.assign(mw, { authzAction: action } satisfies AuthzMarked);
}

/** Declares a route public (no sign-in). */
export function publicRoute(): MiddlewareHandler {
  const mw: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  return Object.assign(mw, { authzPublic: true } satisfies AuthzMarked);
}

async function subjectOf(c: Context<AuthzEnv>, db: Database): Promise<Subject> {
  const cached = c.get('authzSubject');
  if (cached) return cached;
  const actor = c.get('actor');
  if (!actor) throw unauthenticated();
  const scopes = actor.grants.map((g) => g.scopeUnitId);
  const provinces = await provincesOf(db, scopes);
  const tops = await topUnitsOf(db, scopes);
  const subject: Subject = {
    personId: actor.personId,
    grants: actor.grants.flatMap((g) => {
      const provinceId = provinces.get(g.scopeUnitId);
      return provinceId
        ? [{ role: g.role, scopeUnitId: g.scopeUnitId, provinceId, topUnitId: tops.get(g.scopeUnitId) }]
        : [];
    }),
  };
  c.set('authzSubject', subject);
  return subject;
}

/** Checks the route's declared action (or a further one) against every resource; throws 403 on refusal. */
export async function check(
  c: Context<AuthzEnv>,
  db: Database,
  resources: Resource | Resource[],
  action?: Action,
): Promise<void> {
  const declared = c.get('authzAction');
  const act = action ?? declared;
  if (!act) throw internalError();
  const subject = await subjectOf(c, db);
  for (const r of Array.isArray(resources) ? resources : [resources]) {
    const d = authorize(subject, act, r);
    if (!d.allowed) throw forbidden(d.reason);
  }
  if (act === declared) c.set('authzChecked', true);
}

/** Like check() but answers a boolean (for filtering lists). */
export async function allowed(
  c: Context<AuthzEnv>,
  db: Database,
  action: Action,
  resource: Resource,
): Promise<boolean> {
  return authorize(await subjectOf(c, db), action, resource).allowed;
}

/** Marks the declared action as checked by a list that filtered by allowed(). */
export function markChecked(c: Context<AuthzEnv>): void {
  c.set('authzChecked', true);
}
