import type { Executor } from '../../db/executor.ts';
import type { AuthSession, SessionMethod } from '../../db/schema-auth.ts';
import type { AuthRuntime } from './runtime.ts';
import { randomToken, sha256Hex } from './tokens.ts';

const TOUCH_EVERY_MS = 10_000;

export interface NewSession {
  id: string;
  /** Goes into the cookie only; the database keeps its sha256. */
  token: string;
  csrfToken: string;
}

export async function createSession(
  db: Executor,
  rt: AuthRuntime,
  s: {
    personId: string;
    method: SessionMethod;
    secondFactorRequired: boolean;
    ip: string;
    userAgent?: string;
  },
): Promise<NewSession> {
  const now = rt.now();
  const token = randomToken();
  const csrfToken = randomToken();
  const row = await db
    .insertInto('auth_session')
    .values({
      token_hash: sha256Hex(token),
      person_id: s.personId,
      csrf_token: csrfToken,
      method: s.method,
      second_factor_required: s.secondFactorRequired,
      second_factor_done: false,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + rt.config.absoluteTimeoutMs),
      client_ip: s.ip,
      user_agent: s.userAgent?.slice(0, 500) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, csrfToken };
}

/**
 * The live session of a cookie token, its idle clock restarted; undefined when unknown, revoked, idle too
 * long or past its absolute expiry (an expired session is revoked with the reason).
 */
export async function resolveSession(
  db: Executor,
  rt: AuthRuntime,
  token: string,
): Promise<AuthSession | undefined> {
  const now = rt.now();
  const s = await db
    .selectFrom('auth_session')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!s || s.revoked_at) return undefined;
  const expired =
    s.expires_at.getTime() <= now.getTime()
      ? 'expired'
      : s.last_seen_at.getTime() + rt.config.idleTimeoutMs <= now.getTime()
        ? 'idle'
        : undefined;
  if (expired) {
    await revokeSession(db, s.id, expired, now);
    return undefined;
  }
  // The idle clock restarts at most every few seconds: no write per request in a burst.
  if (now.getTime() - s.last_seen_at.getTime() < TOUCH_EVERY_MS) return s;
  await db.updateTable('auth_session').set({ last_seen_at: now }).where('id', '=', s.id).execute();
  return { ...s, last_seen_at: now };
}

export async function revokeSession(db: Executor, id: string, reason: string, at: Date): Promise<void> {
  await db
    .updateTable('auth_session')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes every live session of the person (except one, e.g. the session changing its own password). */
export async function revokeAllSessions(
  db: Executor,
  personId: string,
  reason: string,
  at: Date,
  exceptId?: string,
): Promise<number> {
  let q = db
    .updateTable('auth_session')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null);
  if (exceptId) q = q.where('id', '<>', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
