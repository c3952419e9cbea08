import { describe, expect, it } from 'vitest';
import { DEMO_ROSTER } from '../../db/demo/roster.ts';
import { ensureTestProvince, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, ensureDemoAccounts } from './demo-accounts.ts';

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
const province = await ensureTestProvince(db);
for (const entry of DEMO_ROSTER) {
  const p = await db
    .insertInto('person')
    .values({ full_name: entry.fullName, email: entry.email, duty_group: 'civil_servant' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('role_assignment')
    .values({ person_id: p.id, role_code: entry.role, scope_unit_id: province, valid_from: '2020-01-01' })
    .execute();
}

describe('demo accounts', () => {
  it('gives every roster person the demo password, and TOTP to administrator and secretariat (idempotent)', async () => {
    await ensureDemoAccounts(db, { password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET });
    const done = await ensureDemoAccounts(db, { password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET });
    expect(done).toHaveLength(DEMO_ROSTER.length);
    expect(
      done
        .filter((d) => d.totp)
        .map((d) => d.email)
        .sort(),
    ).toEqual(
      DEMO_ROSTER.filter((e) => e.role === 'administrator' || e.role === 'secretariat')
        .map((e) => e.email)
        .sort(),
    );
    for (const entry of DEMO_ROSTER) {
      const s = await signIn(app, entry.email, DEMO_PASSWORD, { totpSecret: DEMO_TOTP_SECRET });
      const res = await app.request('/api/auth/session', { headers: { cookie: s.cookie } });
      const info = (await res.json()) as { secondFactorDone: boolean; grants: { role: string }[] };
      expect(info.grants.map((g) => g.role)).toContain(entry.role);
      expect(info.secondFactorDone).toBe(entry.role === 'administrator' || entry.role === 'secretariat');
    }
  });
});
