// Housekeeping of sign-in rows on a real database: what has ended long enough ago goes, nothing live does.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestPerson } from '../test/support/auth.ts';
import { freshDatabase } from '../test/support/database.ts';
import { maintenanceActivities } from './maintenance.ts';

const { db } = await freshDatabase();
const { purgeEndedAuthRows } = maintenanceActivities({ db });
const DAY = 86_400_000;
const now = Date.parse('2027-03-10T03:00:00Z');

async function session(person: string, name: string, expiresAt: number, revokedAt?: number) {
  await db
    .insertInto('auth_session')
    .values({
      token_hash: randomBytes(32).toString('hex'),
      person_id: person,
      csrf_token: name,
      method: 'password',
      second_factor_required: false,
      created_at: new Date(expiresAt - 2 * DAY),
      last_seen_at: new Date(expiresAt - DAY),
      expires_at: new Date(expiresAt),
      ...(revokedAt !== undefined ? { revoked_at: new Date(revokedAt), revoked_reason: 'sign-out' } : {}),
    })
    .execute();
}

describe('purgeEndedAuthRows', () => {
  it('deletes sessions ended more than 30 days ago and throttles whose window and lock have passed', async () => {
    const person = await createTestPerson(db, { email: 'maint@test.woms.vn' });
    await session(person, 'live', now + DAY);
    await session(person, 'expired-recently', now - 5 * DAY);
    await session(person, 'expired-long-ago', now - 40 * DAY);
    await session(person, 'revoked-long-ago', now + 300 * DAY, now - 31 * DAY);
    await session(person, 'revoked-recently', now + 300 * DAY, now - DAY);
    await db
      .insertInto('auth_throttle')
      .values([
        { key: 'login:old', failures: 3, window_start: new Date(now - 2 * DAY), locked_until: null },
        {
          key: 'login:old-lock-over',
          failures: 9,
          window_start: new Date(now - 3 * DAY),
          locked_until: new Date(now - DAY),
        },
        {
          key: 'login:locked',
          failures: 9,
          window_start: new Date(now - 3 * DAY),
          locked_until: new Date(now + DAY),
        },
        { key: 'ip:recent', failures: 2, window_start: new Date(now - 60_000), locked_until: null },
      ])
      .execute();

    expect(await purgeEndedAuthRows({ at: now })).toEqual({ sessions: 2, throttles: 2 });
    const left = await db.selectFrom('auth_session').select('csrf_token').orderBy('csrf_token').execute();
    expect(left.map((r) => r.csrf_token)).toEqual(['expired-recently', 'live', 'revoked-recently']);
    const throttles = await db.selectFrom('auth_throttle').select('key').orderBy('key').execute();
    expect(throttles.map((r) => r.key)).toEqual(['ip:recent', 'login:locked']);
    // idempotent
    expect(await purgeEndedAuthRows({ at: now })).toEqual({ sessions: 0, throttles: 0 });
  });
});
