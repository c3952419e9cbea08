import type { Context } from 'hono';
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import { ApiProblem } from '../problem.ts';
import { findAccount, findPersonById } from './accounts.ts';
import type { Actor } from './actor.ts';
import { auditAccount } from './audit.ts';
import { clientIp } from './cookies.ts';
import {
  secondFactorInvalid,
  secondFactorNotPending,
  totpAlreadyEnrolled,
  totpNotEnrolled,
} from './problems.ts';
import type { AuthRuntime } from './runtime.ts';
import { isSealed, openSecret, sealSecret } from './secret-box.ts';
import { checkThrottle, recordFailure } from './throttle.ts';
import { generateRecoveryCodes, hashRecoveryCode, newTotpSecret, totpFor, verifyTotp } from './totp.ts';

/** Accepts the step only if it is later than the last one used (no replay); true when accepted. */
async function consumeStep(db: Executor, rt: AuthRuntime, personId: string, step: number): Promise<boolean> {
  let q = db
    .updateTable('account')
    .set({ totp_last_step: String(step), updated_at: rt.now() })
    .where('person_id', '=', personId);
  if (rt.config.totpReplayProtection)
    q = q.where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]));
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function consumeRecoveryCode(db: Executor, personId: string, code: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('auth_recovery_code')
    .set({ used_at: at })
    .where('person_id', '=', personId)
    .where('code_hash', '=', hashRecoveryCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const remainingRecoveryCodes = async (db: Executor, personId: string) =>
  Number(
    (
      await db
        .selectFrom('auth_recovery_code')
        .select(sql<string>`count(*)`.as('n'))
        .where('person_id', '=', personId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Passes the pending second factor with a TOTP code or a one-time recovery code; failures are throttled. */
export async function passSecondFactor(c: Context, rt: AuthRuntime, actor: Actor, code: string) {
  if (!actor.secondFactorRequired || actor.secondFactorDone) throw secondFactorNotPending();
  const person = await findPersonById(rt.db, actor.personId);
  const account = await findAccount(rt.db, actor.personId);
  if (!person || !account?.totp_secret) throw totpNotEnrolled();
  const ip = clientIp(c, rt.config);
  await checkThrottle(rt.db, rt, person.email, ip);
  const now = rt.now();
  const trimmed = code.trim();
  const method = await rt.db.transaction().execute(async (trx) => {
    const secret = openSecret(account.totp_secret as string, actor.personId, rt.config.secretKey);
    const step = verifyTotp(secret, trimmed, now);
    if (step !== null && (await consumeStep(trx, rt, actor.personId, step))) return 'totp' as const;
    if (step === null && (await consumeRecoveryCode(trx, actor.personId, trimmed, now)))
      return 'recovery_code' as const;
    return undefined;
  });
  if (!method) {
    await recordFailure(rt.db, rt, person.email, ip);
    throw secondFactorInvalid();
  }
  return rt.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('auth_session')
      .set({ second_factor_done: true })
      .where('id', '=', actor.sessionId)
      .execute();
    // a secret stored before a key was configured is sealed on its first use after
    const stored = account.totp_secret as string;
    if (rt.config.secretKey && !isSealed(stored))
      await trx
        .updateTable('account')
        .set({ totp_secret: sealSecret(stored, actor.personId, rt.config.secretKey) })
        .where('person_id', '=', actor.personId)
        .where('totp_secret', '=', stored)
        .execute();
    const left = await remainingRecoveryCodes(trx, actor.personId);
    await auditAccount(trx, {
      personId: actor.personId,
      actor: actor.personId,
      action: 'session.second_factor_passed',
      at: now,
      after: { sessionId: actor.sessionId, method, recoveryCodesLeft: left },
    });
    return { secondFactorDone: true as const, method, recoveryCodesLeft: left };
  });
}

/** Starts (or restarts) TOTP enrolment: a new secret kept pending until a code confirms it. */
export async function startTotpEnrolment(rt: AuthRuntime, actor: Actor) {
  const account = await findAccount(rt.db, actor.personId);
  const person = await findPersonById(rt.db, actor.personId);
  if (!account || !person) throw totpNotEnrolled();
  if (account.totp_secret && !actor.secondFactorDone) throw totpAlreadyEnrolled();
  const secret = newTotpSecret();
  const now = rt.now();
  await rt.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({ totp_pending_secret: sealSecret(secret, actor.personId, rt.config.secretKey), updated_at: now })
      .where('person_id', '=', actor.personId)
      .execute();
    await auditAccount(trx, {
      personId: actor.personId,
      actor: actor.personId,
      action: 'account.totp_enrolment_started',
      at: now,
    });
  });
  const uri = totpFor(secret, person.email, rt.config.totpIssuer).toString();
  return { secret, otpauthUri: uri };
}

export const enrolmentNotStarted = () =>
  new ApiProblem({
    status: 409,
    code: 'TOTP_ENROLMENT_NOT_STARTED',
    vi: 'Chưa bắt đầu đăng ký ứng dụng xác thực.',
    en: 'TOTP enrolment has not been started.',
  });

/** Confirms enrolment by a code: the secret becomes the account's, 10 new recovery codes are issued (shown once). */
export async function confirmTotpEnrolment(c: Context, rt: AuthRuntime, actor: Actor, code: string) {
  const account = await findAccount(rt.db, actor.personId);
  const person = await findPersonById(rt.db, actor.personId);
  if (!account?.totp_pending_secret || !person) throw enrolmentNotStarted();
  if (account.totp_secret && !actor.secondFactorDone) throw totpAlreadyEnrolled();
  const now = rt.now();
  const pending = openSecret(account.totp_pending_secret, actor.personId, rt.config.secretKey);
  const step = verifyTotp(pending, code.trim(), now);
  if (step === null) {
    await recordFailure(rt.db, rt, person.email, clientIp(c, rt.config));
    throw secondFactorInvalid();
  }
  const codes = generateRecoveryCodes();
  await rt.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('account')
      .set({
        totp_secret: sealSecret(pending, actor.personId, rt.config.secretKey),
        totp_pending_secret: null,
        totp_last_step: String(step),
        updated_at: now,
      })
      .where('person_id', '=', actor.personId)
      .execute();
    await trx.deleteFrom('auth_recovery_code').where('person_id', '=', actor.personId).execute();
    await trx
      .insertInto('auth_recovery_code')
      .values(codes.map((k) => ({ person_id: actor.personId, code_hash: hashRecoveryCode(k) })))
      .execute();
    if (actor.secondFactorRequired)
      await trx
        .updateTable('auth_session')
        .set({ second_factor_done: true })
        .where('id', '=', actor.sessionId)
        .execute();
    await auditAccount(trx, {
      personId: actor.personId,
      actor: actor.personId,
      action: 'account.totp_enrolled',
      at: now,
      before: { totpEnrolled: Boolean(account.totp_secret) },
      after: { totpEnrolled: true, recoveryCodes: codes.length, sessionId: actor.sessionId },
    });
  });
  return { recoveryCodes: codes, secondFactorDone: true as const };
}
