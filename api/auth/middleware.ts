import type { Context, MiddlewareHandler } from 'hono';
import type { ApiDeps } from '../deps.ts';
import { activeGrants, findAccount, vietnamDay } from './accounts.ts';
import type { Actor, AppEnv } from './actor.ts';
import type { AuthConfig } from './config.ts';
import { readSessionToken } from './cookies.ts';
import { csrfRejected, passwordChangeRequired, secondFactorRequired } from './problems.ts';
import { authRuntime } from './runtime.ts';
import { resolveSession } from './sessions.ts';
import { safeEqual } from './tokens.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The only state-changing routes without a session token: nothing to forge yet. */
const CSRF_EXEMPT = new Set(['/api/auth/sign-in', '/api/auth/oidc/callback']);
/** What a session waiting for its second factor may still reach. */
const SECOND_FACTOR_OPEN = new Set([
  '/api/auth/session',
  '/api/auth/second-factor',
  '/api/auth/totp/enrol',
  '/api/auth/totp/confirm',
  '/api/auth/sign-out',
  '/api/health',
  '/api/ready',
]);
/** What a session that must change its password may still reach. */
const PASSWORD_CHANGE_OPEN = new Set([...SECOND_FACTOR_OPEN, '/api/auth/password']);

/** Origin / Sec-Fetch-Site say the request comes from our own pages (or a non-browser client). */
function sameOriginRequest(c: Context, config: AuthConfig): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  const own = new URL(c.req.url).origin;
  return origin === own || config.allowedOrigins.includes(origin);
}

/**
 * The one auth middleware on /api/*: resolves the session cookie to `actor`, then enforces CSRF on
 * state-changing requests, the pending second factor and a required password change.
 */
export function sessionMiddleware(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  const rt = authRuntime(deps);
  return async (c, next) => {
    const path = c.req.path.replace(/\/+$/, '') || '/';
    const token = readSessionToken(c);
    let actor: Actor | undefined;
    let csrfToken: string | undefined;
    if (token) {
      const s = await resolveSession(rt.db, rt, token);
      if (s) {
        const [grants, account] = await Promise.all([
          activeGrants(rt.db, s.person_id, vietnamDay(rt.now())),
          findAccount(rt.db, s.person_id),
        ]);
        actor = {
          accountId: s.person_id,
          personId: s.person_id,
          grants,
          secondFactorDone: s.second_factor_done,
          secondFactorRequired: s.second_factor_required,
          mustChangePassword: account?.must_change_password ?? false,
          sessionId: s.id,
        };
        csrfToken = s.csrf_token;
      }
    }
    c.set('actor', actor);

    if (STATE_CHANGING.has(c.req.method) && !CSRF_EXEMPT.has(path)) {
      if (!sameOriginRequest(c, rt.config)) throw csrfRejected();
      if (actor && csrfToken) {
        const sent = c.req.header('x-csrf-token');
        if (!sent || !safeEqual(sent, csrfToken)) throw csrfRejected();
      }
    }
    if (actor?.secondFactorRequired && !actor.secondFactorDone && !SECOND_FACTOR_OPEN.has(path)) {
      throw secondFactorRequired();
    }
    if (actor?.mustChangePassword && !PASSWORD_CHANGE_OPEN.has(path)) throw passwordChangeRequired();
    await next();
  };
}
