import type { Context } from 'hono';
import { ensureAccount, findAccount, findPersonById } from './accounts.ts';
import type { Actor } from './actor.ts';
import { auditAccount } from './audit.ts';
import { clientIp } from './cookies.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { currentPasswordWrong, passwordPolicy, personNotFound, unauthenticated } from './problems.ts';
import type { AuthRuntime } from './runtime.ts';
import { revokeAllSessions } from './sessions.ts';
import { checkThrottle, clearLogin, isLoginLocked, recordFailure } from './throttle.ts';
import { randomToken } from './tokens.ts';

/** The person's own change: current password checked (failures throttled), policy checked, other sessions revoked. */
export async function changePassword(
  c: Context,
  rt: AuthRuntime,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const person = await findPersonById(rt.db, actor.personId);
  const account = await findAccount(rt.db, actor.personId);
  if (!person || !account) throw unauthenticated();
  const ip = clientIp(c, rt.config);
  await checkThrottle(rt.db, rt, person.email, ip);
  if (!(await verifyPassword(account.password_hash, input.currentPassword))) {
    await recordFailure(rt.db, rt, person.email, ip);
    throw currentPasswordWrong();
  }
  checkPasswordPolicy(input.newPassword, person.email);
  if (input.newPassword.normalize('NFC') === input.currentPassword.normalize('NFC'))
    throw passwordPolicy(
      'PASSWORD_REUSED',
      'Mật khẩu mới phải khác mật khẩu hiện tại.',
      'The new password must differ from the current one.',
    );
  const hash = await hashPassword(input.newPassword);
  const now = rt.now();
  await rt.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({ password_hash: hash, must_change_password: false, password_changed_at: now, updated_at: now })
      .where('person_id', '=', actor.personId)
      .execute();
    const revoked = await revokeAllSessions(trx, actor.personId, 'password_changed', now, actor.sessionId);
    await auditAccount(trx, {
      personId: actor.personId,
      actor: actor.personId,
      action: 'account.password_changed',
      at: now,
      before: { mustChangePassword: account.must_change_password },
      after: { mustChangePassword: false, otherSessionsRevoked: revoked },
    });
  });
}

/** 16 characters from 96 random bits. */
const temporaryPassword = () => randomToken(12);

/**
 * Administrator reset: a temporary password (returned once), must change on next sign-in, every session
 * revoked and any lockout lifted. Creates the account when the person has none.
 */
export async function resetPassword(rt: AuthRuntime, admin: Actor, personId: string) {
  const person = await findPersonById(rt.db, personId);
  if (!person) throw personNotFound();
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  const now = rt.now();
  await rt.db.transaction().execute(async (trx) => {
    const before = await findAccount(trx, personId);
    await ensureAccount(trx, personId);
    await trx
      .updateTable('account')
      .set({ password_hash: hash, must_change_password: true, password_changed_at: now, updated_at: now })
      .where('person_id', '=', personId)
      .execute();
    const revoked = await revokeAllSessions(trx, personId, 'password_reset', now);
    const unlocked = await clearLogin(trx, person.email);
    await auditAccount(trx, {
      personId,
      actor: admin.personId,
      action: 'account.password_reset',
      at: now,
      before: { accountExisted: Boolean(before), mustChangePassword: before?.must_change_password ?? null },
      after: { mustChangePassword: true, sessionsRevoked: revoked, unlocked },
    });
  });
  return { temporaryPassword: password, mustChangePassword: true as const };
}

/** Administrator unlock: forgets the login's failures and lock. */
export async function unlockAccount(rt: AuthRuntime, admin: Actor, personId: string) {
  const person = await findPersonById(rt.db, personId);
  if (!person) throw personNotFound();
  const now = rt.now();
  const wasLocked = await isLoginLocked(rt.db, rt, person.email);
  await rt.db.transaction().execute(async (trx) => {
    await clearLogin(trx, person.email);
    await auditAccount(trx, {
      personId,
      actor: admin.personId,
      action: 'account.unlocked',
      at: now,
      before: { locked: wasLocked },
      after: { locked: false },
    });
  });
  return { wasLocked };
}
