// Sessions for the benchmark and the drills (issue 9): written straight to the tables as sign-in writes them —
// 20,000 password hashes are not the subject. Each person gets an account without a password (as an SSO-only
// account) and a session whose cookie and CSRF token the caller sends.
import { randomToken, sha256Hex } from '../../api/auth/tokens.ts';
import type { Database } from '../../db/connection.ts';

export interface Session {
  personId: string;
  /** The Cookie header value (`woms_session=…`). */
  cookie: string;
  /** The x-csrf-token header value. */
  csrf: string;
}

export async function createSessions(db: Database, personIds: string[]): Promise<Map<string, Session>> {
  const now = new Date();
  const out = new Map<string, Session>();
  const rows = personIds.map((personId) => {
    const token = randomToken();
    const csrf = randomToken();
    out.set(personId, { personId, cookie: `woms_session=${token}`, csrf });
    return {
      token_hash: sha256Hex(token),
      person_id: personId,
      csrf_token: csrf,
      method: 'password' as const,
      second_factor_required: false,
      second_factor_done: false,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 12 * 3_600_000),
      client_ip: '127.0.0.1',
      user_agent: 'woms-bench',
    };
  });
  const accounts = personIds.map((person_id) => ({
    person_id,
    password_hash: null,
    password_changed_at: null,
    totp_secret: null,
    totp_pending_secret: null,
  }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('account')
      .values(accounts.slice(i, i + 1000))
      .execute();
    await db
      .insertInto('auth_session')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
  return out;
}
