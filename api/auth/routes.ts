import { Hono } from 'hono';
import type { z } from 'zod';
import { planningUnitsOf } from '../../db/queries/org-tree.ts';
import { checkAccountAdmin } from '../authz/index.ts';
import type { ApiDeps } from '../deps.ts';
import { findAccount, findPersonById, vietnamDay } from './accounts.ts';
import type { AppEnv } from './actor.ts';
import { auditAccount } from './audit.ts';
import { clearSessionCookie } from './cookies.ts';
import { afterSignInUrl, finishOidc, startOidc } from './oidc.ts';
import { changePassword, resetPassword, unlockAccount } from './password-admin.ts';
import { oidcFailed, unauthenticated } from './problems.ts';
import { requireActor } from './require-actor.ts';
import { authRuntime } from './runtime.ts';
import type * as s from './schemas.ts';
import { codeBody, oidcCallbackQuery, passwordChangeBody, personIdParam, signInBody } from './schemas.ts';
import { confirmTotpEnrolment, passSecondFactor, startTotpEnrolment } from './second-factor.ts';
import { revokeSession } from './sessions.ts';
import { signInWithPassword } from './sign-in.ts';
import { limitBody, requireJson, validate } from './validation.ts';

/** Sign-in, sessions, second factor, password, SSO (/api/auth/*) and account administration (/api/admin/accounts/*). */
export function authRoutes(deps: ApiDeps) {
  const rt = authRuntime(deps);
  const json = [limitBody(), requireJson] as const;
  return new Hono<AppEnv>()
    .use('/auth/*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    })
    .post('/auth/sign-in', ...json, validate('json', signInBody), async (c) =>
      c.json((await signInWithPassword(c, rt, c.req.valid('json'))) satisfies z.infer<typeof s.signInResult>),
    )
    .post('/auth/second-factor', ...json, validate('json', codeBody), async (c) => {
      const actor = requireActor(c.get('actor'));
      return c.json(
        (await passSecondFactor(c, rt, actor, c.req.valid('json').code)) satisfies z.infer<
          typeof s.secondFactorResult
        >,
      );
    })
    .post('/auth/totp/enrol', limitBody(), async (c) =>
      c.json(
        (await startTotpEnrolment(rt, requireActor(c.get('actor')))) satisfies z.infer<
          typeof s.totpEnrolment
        >,
      ),
    )
    .post('/auth/totp/confirm', ...json, validate('json', codeBody), async (c) => {
      const actor = requireActor(c.get('actor'));
      return c.json(
        (await confirmTotpEnrolment(c, rt, actor, c.req.valid('json').code)) satisfies z.infer<
          typeof s.totpConfirmed
        >,
      );
    })
    .post('/auth/sign-out', limitBody(), async (c) => {
      const actor = c.get('actor');
      if (actor) {
        const now = rt.now();
        await rt.db.transaction().execute(async (trx) => {
          await revokeSession(trx, actor.sessionId, 'signed_out', now);
          await auditAccount(trx, {
            personId: actor.personId,
            actor: actor.personId,
            action: 'session.signed_out',
            at: now,
            after: { sessionId: actor.sessionId },
          });
        });
      }
      clearSessionCookie(c, rt.config);
      return c.body(null, 204);
    })
    .get('/auth/session', async (c) => {
      const actor = c.get('actor');
      if (!actor) throw unauthenticated();
      const [person, account, session, planningUnits] = await Promise.all([
        findPersonById(rt.db, actor.personId),
        findAccount(rt.db, actor.personId),
        rt.db
          .selectFrom('auth_session')
          .select(['csrf_token', 'expires_at'])
          .where('id', '=', actor.sessionId)
          .executeTakeFirstOrThrow(),
        planningUnitsOf(
          rt.db,
          actor.personId,
          vietnamDay(rt.now()),
          actor.grants.map((g) => g.scopeUnitId),
        ),
      ]);
      if (!person) throw unauthenticated();
      return c.json({
        person: { id: person.id, fullName: person.full_name, email: person.email },
        grants: actor.grants,
        planningUnits,
        csrfToken: session.csrf_token,
        secondFactorDone: actor.secondFactorDone,
        secondFactorRequired: actor.secondFactorRequired,
        totpEnrolled: Boolean(account?.totp_secret),
        mustChangePassword: actor.mustChangePassword,
        expiresAt: session.expires_at.toISOString(),
      } satisfies z.infer<typeof s.sessionView>);
    })
    .post('/auth/password', ...json, validate('json', passwordChangeBody), async (c) => {
      await changePassword(c, rt, requireActor(c.get('actor')), c.req.valid('json'));
      return c.body(null, 204);
    })
    .get('/auth/oidc/start', async (c) => c.redirect((await startOidc(c, rt)).toString(), 302))
    .get('/auth/oidc/callback', validate('query', oidcCallbackQuery), async (c) => {
      const q = c.req.valid('query');
      if (q.error) throw oidcFailed(`provider answered ${q.error}`);
      await finishOidc(c, rt);
      return c.redirect(afterSignInUrl(rt), 302);
    })
    .post(
      '/admin/accounts/:personId/reset-password',
      limitBody(),
      validate('param', personIdParam),
      async (c) => {
        const { personId } = c.req.valid('param');
        await checkAccountAdmin(c, rt.db, personId);
        return c.json(
          (await resetPassword(rt, requireActor(c.get('actor')), personId)) satisfies z.infer<
            typeof s.passwordReset
          >,
        );
      },
    )
    .post('/admin/accounts/:personId/unlock', limitBody(), validate('param', personIdParam), async (c) => {
      const { personId } = c.req.valid('param');
      await checkAccountAdmin(c, rt.db, personId);
      return c.json(
        (await unlockAccount(rt, requireActor(c.get('actor')), personId)) satisfies z.infer<
          typeof s.unlockResult
        >,
      );
    });
}
