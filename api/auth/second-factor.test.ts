import { describe, expect, it } from 'vitest';
import { cookieFrom, createTestPerson, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';
import { totpCode } from './totp.ts';

/** The JSON body of a test response (any: tests assert its shape). */
// biome-ignore lint/suspicious/noExplicitAny: tests assert the shape of the body
const j = (res: Response): Promise<any> => res.json();

const { db } = await freshDatabase();
let now = new Date('2026-03-02T02:00:00Z');
const clock = () => now;
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test', clock });

const PASSWORD = 'mật-khẩu-đủ-dài-2026';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const adminId = await createTestPerson(db, {
  email: 'admin@test.woms.vn',
  password: PASSWORD,
  roles: ['administrator'],
  totpSecret: SECRET,
});
await createTestPerson(db, {
  email: 'vanphong@test.woms.vn',
  password: PASSWORD,
  roles: ['secretariat'],
  totpSecret: SECRET,
});
const newcomerId = await createTestPerson(db, {
  email: 'newadmin@test.woms.vn',
  password: PASSWORD,
  roles: ['administrator'],
});
const officialId = await createTestPerson(db, {
  email: 'lan@test.woms.vn',
  password: PASSWORD,
  roles: ['official'],
});

const post = (path: string, headers: Record<string, string>, body?: unknown) =>
  app.request(path, {
    method: 'POST',
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function passwordOnly(email: string) {
  const res = await app.request('/api/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const body = await j(res);
  const cookie = cookieFrom(res)!;
  return { body, headers: { cookie, 'x-csrf-token': body.csrfToken, 'content-type': 'application/json' } };
}

describe('second factor', () => {
  for (const email of ['admin@test.woms.vn', 'vanphong@test.woms.vn']) {
    it(`is required for ${email} before anything else`, async () => {
      advance(60_000);
      const s = await passwordOnly(email);
      expect(s.body).toMatchObject({ requiresSecondFactor: true, totpEnrolled: true });
      const info = await j(await app.request('/api/auth/session', { headers: s.headers }));
      expect(info.secondFactorDone).toBe(false);
      const blocked = await post(`/api/admin/accounts/${officialId}/unlock`, s.headers);
      expect(blocked.status).toBe(403);
      expect((await j(blocked)).code).toBe('SECOND_FACTOR_REQUIRED');
      const bad = await post('/api/auth/second-factor', s.headers, { code: '000000' });
      expect((await j(bad)).code).toBe('SECOND_FACTOR_INVALID');
      const ok = await post('/api/auth/second-factor', s.headers, { code: totpCode(SECRET, now) });
      expect(ok.status).toBe(200);
      expect((await j(ok)).method).toBe('totp');
      const replay = await passwordOnly(email);
      const again = await post('/api/auth/second-factor', replay.headers, { code: totpCode(SECRET, now) });
      expect((await j(again)).code).toBe('SECOND_FACTOR_INVALID'); // a code is used once
      await db.deleteFrom('auth_throttle').execute();
    });
  }

  it('is not asked of an official', async () => {
    const s = await passwordOnly('lan@test.woms.vn');
    expect(s.body.requiresSecondFactor).toBe(false);
    const res = await post('/api/auth/second-factor', s.headers, { code: '123456' });
    expect((await j(res)).code).toBe('SECOND_FACTOR_NOT_PENDING');
  });

  it('enrols an administrator without TOTP: secret + otpauth URI, confirmed by a code, recovery codes usable once', async () => {
    const s = await passwordOnly('newadmin@test.woms.vn');
    expect(s.body).toMatchObject({ requiresSecondFactor: true, totpEnrolled: false });
    const noEnrolment = await post('/api/auth/second-factor', s.headers, { code: '123456' });
    expect((await j(noEnrolment)).code).toBe('TOTP_NOT_ENROLLED');
    const enrol = await post('/api/auth/totp/enrol', s.headers);
    expect(enrol.status).toBe(200);
    const { secret, otpauthUri } = await j(enrol);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    const wrong = await post('/api/auth/totp/confirm', s.headers, { code: '000000' });
    expect((await j(wrong)).code).toBe('SECOND_FACTOR_INVALID');
    const confirm = await post('/api/auth/totp/confirm', s.headers, { code: totpCode(secret, now) });
    expect(confirm.status).toBe(200);
    const { recoveryCodes } = await j(confirm);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await j(await app.request('/api/auth/session', { headers: s.headers }))).secondFactorDone).toBe(
      true,
    );
    const stored = await db
      .selectFrom('auth_recovery_code')
      .select('code_hash')
      .where('person_id', '=', newcomerId)
      .execute();
    expect(stored.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);

    const next = await passwordOnly('newadmin@test.woms.vn');
    const used = await post('/api/auth/second-factor', next.headers, {
      code: recoveryCodes[0].toUpperCase(),
    });
    expect(used.status).toBe(200);
    expect(await j(used)).toMatchObject({ method: 'recovery_code', recoveryCodesLeft: 9 });
    const later = await passwordOnly('newadmin@test.woms.vn');
    const reused = await post('/api/auth/second-factor', later.headers, { code: recoveryCodes[0] });
    expect((await j(reused)).code).toBe('SECOND_FACTOR_INVALID');
    const actions = (
      await db.selectFrom('audit_log').select('action').where('aggregate_id', '=', newcomerId).execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['account.totp_enrolled', 'session.second_factor_passed']),
    );
    await db.deleteFrom('auth_throttle').execute();
  });

  it('does not let a pending session replace an enrolled secret', async () => {
    const s = await passwordOnly('admin@test.woms.vn');
    const res = await post('/api/auth/totp/enrol', s.headers);
    expect((await j(res)).code).toBe('TOTP_ALREADY_ENROLLED');
  });

  it('locks the account after 5 wrong codes', async () => {
    const s = await passwordOnly('vanphong@test.woms.vn');
    for (let i = 0; i < 5; i++) await post('/api/auth/second-factor', s.headers, { code: '000000' });
    const res = await post('/api/auth/second-factor', s.headers, { code: totpCode(SECRET, now) });
    expect((await j(res)).code).toBe('ACCOUNT_LOCKED');
    await db.deleteFrom('auth_throttle').execute();
  });
});

describe('password change and administrator reset', () => {
  it('enforces the policy with stable codes and changes nothing on a refusal', async () => {
    const s = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const before = await db
      .selectFrom('account')
      .select('password_hash')
      .where('person_id', '=', officialId)
      .executeTakeFirstOrThrow();
    const cases: [unknown, string][] = [
      [
        { currentPassword: 'not-the-password', newPassword: 'một-mật-khẩu-mới-dài' },
        'CURRENT_PASSWORD_WRONG',
      ],
      [{ currentPassword: PASSWORD, newPassword: 'ngan-qua' }, 'PASSWORD_TOO_SHORT'],
      [{ currentPassword: PASSWORD, newPassword: 'LAN@test.woms.vn' }, 'PASSWORD_EQUALS_EMAIL'],
      [{ currentPassword: PASSWORD, newPassword: PASSWORD }, 'PASSWORD_REUSED'],
      [
        { currentPassword: PASSWORD, newPassword: 'có-ký-tự\u0000-điều-khiển' },
        'PASSWORD_INVALID_CHARACTERS',
      ],
      [{ currentPassword: PASSWORD, newPassword: 'x'.repeat(300) }, 'PASSWORD_TOO_LONG'],
    ];
    for (const [body, code] of cases) {
      const res = await post('/api/auth/password', s.headers, body);
      expect(res.status).toBe(400);
      expect((await j(res)).code).toBe(code);
    }
    const after = await db
      .selectFrom('account')
      .select('password_hash')
      .where('person_id', '=', officialId)
      .executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(before.password_hash);
    await db.deleteFrom('auth_throttle').execute();
  });

  it('changes the password: other sessions revoked, the new one works, the old one does not', async () => {
    const other = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const s = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const res = await post('/api/auth/password', s.headers, {
      currentPassword: PASSWORD,
      newPassword: 'Mật khẩu mới rất dài 2026',
    });
    expect(res.status).toBe(204);
    expect((await app.request('/api/auth/session', { headers: s.headers })).status).toBe(200);
    expect((await app.request('/api/auth/session', { headers: other.headers })).status).toBe(401);
    await expect(signIn(app, 'lan@test.woms.vn', PASSWORD)).rejects.toThrow(/401/);
    await signIn(app, 'lan@test.woms.vn', 'Mật khẩu mới rất dài 2026');
    await post('/api/auth/password', s.headers, {
      currentPassword: 'Mật khẩu mới rất dài 2026',
      newPassword: PASSWORD,
    });
    await db.deleteFrom('auth_throttle').execute();
  });

  it('lets an administrator reset a password: temporary password, must change before anything else, audited', async () => {
    advance(60_000);
    const admin = await signIn(app, 'admin@test.woms.vn', PASSWORD, { totpSecret: SECRET, now: clock });
    const victim = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const res = await post(`/api/admin/accounts/${officialId}/reset-password`, admin.headers);
    expect(res.status).toBe(200);
    const { temporaryPassword } = await j(res);
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
    expect((await app.request('/api/auth/session', { headers: victim.headers })).status).toBe(401);
    const s = await signIn(app, 'lan@test.woms.vn', temporaryPassword);
    const info = await j(await app.request('/api/auth/session', { headers: s.headers }));
    expect(info.mustChangePassword).toBe(true);
    const blocked = await post(`/api/admin/accounts/${officialId}/unlock`, s.headers);
    expect((await j(blocked)).code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(
      (
        await post('/api/auth/password', s.headers, {
          currentPassword: temporaryPassword,
          newPassword: PASSWORD,
        })
      ).status,
    ).toBe(204);
    expect((await j(await app.request('/api/auth/session', { headers: s.headers }))).mustChangePassword).toBe(
      false,
    );
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('aggregate_id', '=', officialId)
      .where('action', '=', 'account.password_reset')
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe(adminId);
  });

  it('refuses reset and unlock to non-administrators and for unknown people', async () => {
    const s = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const res = await post(`/api/admin/accounts/${adminId}/reset-password`, s.headers);
    expect(res.status).toBe(403);
    expect((await j(res)).code).toBe('FORBIDDEN');
    const anon = await app.request(`/api/admin/accounts/${adminId}/reset-password`, { method: 'POST' });
    expect((await j(anon)).code).toBe('UNAUTHENTICATED');
    advance(60_000);
    const admin = await signIn(app, 'admin@test.woms.vn', PASSWORD, { totpSecret: SECRET, now: clock });
    const missing = await post(
      '/api/admin/accounts/00000000-0000-4000-8000-000000000000/unlock',
      admin.headers,
    );
    expect(missing.status).toBe(404);
    expect((await j(missing)).code).toBe('PERSON_NOT_FOUND');
  });
});
