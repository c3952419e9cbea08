import type { Context } from 'hono';
import type { SessionMethod } from '../../db/schema-auth.ts';
import {
  activeGrants,
  ensureAccount,
  findAccount,
  findPersonByEmail,
  needsSecondFactor,
  normaliseEmail,
  vietnamDay,
} from './accounts.ts';
import type { AppEnv } from './actor.ts';
import { auditAccount, SYSTEM_AUTH } from './audit.ts';
import { clientIp, setSessionCookie } from './cookies.ts';
import { verifyPassword } from './passwords.ts';
import { invalidCredentials } from './problems.ts';
import type { AuthRuntime } from './runtime.ts';
import { createSession, revokeSession } from './sessions.ts';
import { checkThrottle, clearLogin, recordFailure } from './throttle.ts';

export interface SignInResult {
  requiresSecondFactor: boolean;
  mustChangePassword: boolean;
  totpEnrolled: boolean;
  csrfToken: string;
}

/**
 * Opens a new session for the person (revoking the one the request came with: rotation), audits it and
 * sets the cookie.
 */
export async function startSession(
  c: Context<AppEnv>,
  rt: AuthRuntime,
  personId: string,
  method: SessionMethod,
): Promise<SignInResult> {
  const now = rt.now();
  const grants = await activeGrants(rt.db, personId, vietnamDay(now));
  const secondFactorRequired = needsSecondFactor(grants);
  const previous = c.get('actor');
  const result = await rt.db.transaction().execute(async (trx) => {
    await ensureAccount(trx, personId);
    if (previous) await revokeSession(trx, previous.sessionId, 'rotated', now);
    const account = await findAccount(trx, personId);
    const s = await createSession(trx, rt, {
      personId,
      method,
      secondFactorRequired,
      ip: clientIp(c, rt.config),
      userAgent: c.req.header('user-agent'),
    });
    await auditAccount(trx, {
      personId,
      actor: personId,
      action: 'session.signed_in',
      at: now,
      after: { sessionId: s.id, method, secondFactorRequired, rotatedSessionId: previous?.sessionId ?? null },
    });
    return { s, account };
  });
  setSessionCookie(c, rt.config, result.s.token);
  return {
    requiresSecondFactor: secondFactorRequired,
    mustChangePassword: result.account?.must_change_password ?? false,
    totpEnrolled: Boolean(result.account?.totp_secret),
    csrfToken: result.s.csrfToken,
  };
}

/** Password sign-in: throttled, one answer for every kind of wrong credential, lockout audited. */
export async function signInWithPassword(
  c: Context<AppEnv>,
  rt: AuthRuntime,
  input: { email: string; password: string },
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const ip = clientIp(c, rt.config);
  await checkThrottle(rt.db, rt, email, ip);
  const person = await findPersonByEmail(rt.db, email);
  const account = person ? await findAccount(rt.db, person.id) : undefined;
  const passwordOk = await verifyPassword(account?.password_hash, input.password);
  if (!person?.active || !passwordOk) {
    const locked = await rt.db.transaction().execute(async (trx) => {
      const locked = await recordFailure(trx, rt, email, ip);
      if (locked && person)
        await auditAccount(trx, {
          personId: person.id,
          actor: SYSTEM_AUTH,
          action: 'account.locked',
          at: rt.now(),
          after: { lockedForMs: rt.config.lockoutMs, ip },
        });
      return locked;
    });
    void locked;
    throw invalidCredentials();
  }
  await clearLogin(rt.db, email);
  return startSession(c, rt, person.id, 'password');
}
