import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import { accountLocked, tooManyAttempts } from './problems.ts';
import type { AuthRuntime } from './runtime.ts';

// Failed sign-ins are counted per login (the e-mail typed, whether or not an account exists, so a lockout
// reveals nothing) and per client IP, each in a sliding-start window; reaching the limit locks the key.

export const loginKey = (email: string) => `login:${email}`;
export const ipKey = (ip: string) => `ip:${ip}`;

async function lockedFor(db: Executor, key: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('auth_throttle')
    .select('locked_until')
    .where('key', '=', key)
    .executeTakeFirst();
  const until = row?.locked_until?.getTime() ?? 0;
  return Math.max(0, until - now.getTime());
}

/** Throws ACCOUNT_LOCKED (login) or TOO_MANY_ATTEMPTS (IP) while a key is locked. */
export async function checkThrottle(db: Executor, rt: AuthRuntime, email: string, ip: string): Promise<void> {
  const now = rt.now();
  const login = await lockedFor(db, loginKey(email), now);
  if (login > 0) throw accountLocked(login / 1000);
  const byIp = await lockedFor(db, ipKey(ip), now);
  if (byIp > 0) throw tooManyAttempts(byIp / 1000);
}

/** Counts one failure on the key; true when this failure locked it. */
async function countFailure(db: Executor, rt: AuthRuntime, key: string, max: number): Promise<boolean> {
  const now = rt.now();
  const windowStart = new Date(now.getTime() - rt.config.failureWindowMs);
  const row = await db
    .insertInto('auth_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`CASE WHEN auth_throttle.window_start <= ${windowStart} THEN 1 ELSE auth_throttle.failures + 1 END`,
        window_start: sql`CASE WHEN auth_throttle.window_start <= ${windowStart} THEN ${now}::timestamptz ELSE auth_throttle.window_start END`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  if (row.failures < max) return false;
  await db
    .updateTable('auth_throttle')
    .set({ failures: 0, window_start: now, locked_until: new Date(now.getTime() + rt.config.lockoutMs) })
    .where('key', '=', key)
    .execute();
  return true;
}

/** Records a failed sign-in; returns whether the login key became locked by it. */
export async function recordFailure(
  db: Executor,
  rt: AuthRuntime,
  email: string,
  ip: string,
): Promise<boolean> {
  await countFailure(db, rt, ipKey(ip), rt.config.maxFailuresPerIp);
  return countFailure(db, rt, loginKey(email), rt.config.maxFailures);
}

/** Forgets the login's failures and lock (successful sign-in, administrator unlock). */
export async function clearLogin(db: Executor, email: string): Promise<boolean> {
  const r = await db.deleteFrom('auth_throttle').where('key', '=', loginKey(email)).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function isLoginLocked(db: Executor, rt: AuthRuntime, email: string): Promise<boolean> {
  return (await lockedFor(db, loginKey(email), rt.now())) > 0;
}
