import { describe, expect, it } from 'vitest';
import { createTestPerson, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';

/** The JSON body of a test response (any: tests assert its shape). */
// biome-ignore lint/suspicious/noExplicitAny: tests assert the shape of the body
const j = (res: Response): Promise<any> => res.json();

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
const PASSWORD = 'mật-khẩu-đủ-dài-2026';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const officialId = await createTestPerson(db, {
  email: 'lan@test.woms.vn',
  password: PASSWORD,
  roles: ['official'],
});
await createTestPerson(db, {
  email: 'admin@test.woms.vn',
  password: PASSWORD,
  roles: ['administrator'],
  totpSecret: SECRET,
});
const official = await signIn(app, 'lan@test.woms.vn', PASSWORD);
const admin = await signIn(app, 'admin@test.woms.vn', PASSWORD, { totpSecret: SECRET });

/** Everything the sign-in code saves, except the idle clock every authenticated request restarts. */
async function saved(opts: { withThrottle: boolean }) {
  const [accounts, sessions, codes, links, audit, throttle] = await Promise.all([
    db.selectFrom('account').selectAll().orderBy('person_id').execute(),
    db.selectFrom('auth_session').select(['id', 'revoked_at', 'second_factor_done']).orderBy('id').execute(),
    db.selectFrom('auth_recovery_code').selectAll().orderBy('id').execute(),
    db.selectFrom('oidc_identity').selectAll().orderBy('subject').execute(),
    db.selectFrom('audit_log').select(['id']).orderBy('id').execute(),
    db.selectFrom('auth_throttle').selectAll().orderBy('key').execute(),
  ]);
  return { accounts, sessions, codes, links, audit, ...(opts.withThrottle ? { throttle } : {}) };
}

type Case = {
  name: string;
  path: string;
  body: string | Uint8Array;
  type?: string;
  auth?: Record<string, string>;
  status: number;
  code: string;
};

const JSON_ROUTES: { path: string; auth?: Record<string, string> }[] = [
  { path: '/api/auth/sign-in' },
  { path: '/api/auth/second-factor', auth: official.headers },
  { path: '/api/auth/totp/confirm', auth: official.headers },
  { path: '/api/auth/password', auth: official.headers },
];

const bigJson = JSON.stringify({ email: 'lan@test.woms.vn', password: 'x'.repeat(70 * 1024) });
const invalid = (name: string, path: string, body: unknown, auth?: Record<string, string>): Case => ({
  name,
  path,
  body: JSON.stringify(body),
  ...(auth ? { auth } : {}),
  status: 400,
  code: 'VALIDATION_FAILED',
});

const cases: Case[] = [
  ...JSON_ROUTES.flatMap(({ path, auth }) => [
    {
      name: `${path}: malformed JSON`,
      path,
      body: '{"email": "lan@test.woms.vn", ',
      ...(auth ? { auth } : {}),
      status: 400,
      code: 'MALFORMED_JSON',
    },
    {
      name: `${path}: not JSON`,
      path,
      body: 'email=a&password=b',
      type: 'application/x-www-form-urlencoded',
      ...(auth ? { auth } : {}),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: `${path}: oversized`,
      path,
      body: bigJson,
      ...(auth ? { auth } : {}),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    invalid(`${path}: empty object`, path, {}, auth),
    invalid(`${path}: array`, path, [1, 2], auth),
    invalid(`${path}: null`, path, null, auth),
  ]),
  invalid('sign-in: wrong types', '/api/auth/sign-in', { email: 123, password: true }),
  invalid('sign-in: missing password', '/api/auth/sign-in', { email: 'lan@test.woms.vn' }),
  invalid('sign-in: unknown field', '/api/auth/sign-in', {
    email: 'lan@test.woms.vn',
    password: PASSWORD,
    admin: true,
  }),
  invalid('sign-in: SQL in the e-mail', '/api/auth/sign-in', {
    email: "' OR '1'='1' --",
    password: PASSWORD,
  }),
  invalid('sign-in: SQL after the e-mail', '/api/auth/sign-in', {
    email: "lan@test.woms.vn' OR '1'='1",
    password: PASSWORD,
  }),
  invalid('sign-in: zero-width and RTL override in the e-mail', '/api/auth/sign-in', {
    email: 'lan\u200b@test.woms.vn\u202e',
    password: PASSWORD,
  }),
  invalid('sign-in: NUL in the e-mail', '/api/auth/sign-in', {
    email: 'lan\u0000@test.woms.vn',
    password: PASSWORD,
  }),
  invalid('sign-in: e-mail too long', '/api/auth/sign-in', {
    email: `${'a'.repeat(400)}@test.woms.vn`,
    password: PASSWORD,
  }),
  invalid('sign-in: empty password', '/api/auth/sign-in', { email: 'lan@test.woms.vn', password: '' }),
  invalid(
    'second factor: number instead of string',
    '/api/auth/second-factor',
    { code: 123456 },
    official.headers,
  ),
  invalid(
    'password: wrong types',
    '/api/auth/password',
    { currentPassword: PASSWORD, newPassword: ['x'] },
    official.headers,
  ),
  invalid(
    'password: missing new password',
    '/api/auth/password',
    { currentPassword: PASSWORD },
    official.headers,
  ),
];

describe('bad input on the sign-in routes: stable 4xx codes, nothing saved changes', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const before = await saved({ withThrottle: true });
      const res = await app.request(c.path, {
        method: 'POST',
        headers: { ...(c.auth ?? {}), 'content-type': c.type ?? 'application/json' },
        body: c.body,
      });
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = await j(res);
      expect(body.code).toBe(c.code);
      expect(body.message.vi).toBeTruthy();
      expect(body.message.en).toBeTruthy();
      expect(await saved({ withThrottle: true })).toEqual(before);
    });
  }

  it('413 also when the Content-Length announces an oversized body', async () => {
    const res = await app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(bigJson)) },
      body: bigJson,
    });
    expect(res.status).toBe(413);
    expect((await j(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers injection strings and odd Unicode in credentials as wrong credentials, touching no account', async () => {
    const attempts = [
      { email: "x'or'1'--@test.woms.vn", password: PASSWORD },
      { email: 'lan@test.woms.vn', password: "' OR '1'='1" },
      { email: 'lan@test.woms.vn', password: '"; DROP TABLE account; --' },
      { email: 'lan@test.woms.vn', password: '\ud800\udfff\ud800' },
      { email: 'lan@test.woms.vn', password: `${'mật-khẩu-đủ-dài-2026'.normalize('NFD')}\u0301\u200d👨‍👩‍👧` },
      { email: 'lan@test.woms.vn', password: '<script>alert(1)</script>' },
    ];
    const before = await saved({ withThrottle: false });
    for (const a of attempts) {
      const res = await app.request('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(a),
      });
      expect(res.status).toBe(401);
      expect((await j(res)).code).toBe('INVALID_CREDENTIALS');
      await db.deleteFrom('auth_throttle').execute(); // stay below the lockout (which is audited)
    }
    expect(await saved({ withThrottle: false })).toEqual(before);
    await db.deleteFrom('auth_throttle').execute();
  });

  it('accepts the same password typed in another Unicode normal form (NFC/NFD)', async () => {
    const res = await app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lan@test.woms.vn', password: PASSWORD.normalize('NFD') }),
    });
    expect(res.status).toBe(200);
  });

  it('rejects a second-factor code in full-width digits as invalid', async () => {
    const pending = await app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@test.woms.vn', password: PASSWORD }),
    });
    const cookie = pending.headers.getSetCookie()[0]!.split(';')[0]!;
    const { csrfToken } = await j(pending);
    const before = await saved({ withThrottle: false });
    const res = await app.request('/api/auth/second-factor', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ code: '１２３４５６' }),
    });
    expect((await j(res)).code).toBe('SECOND_FACTOR_INVALID');
    expect(await saved({ withThrottle: false })).toEqual(before);
    await db.deleteFrom('auth_throttle').execute();
  });

  it('rejects a person id that is not a UUID on the administrator routes', async () => {
    for (const id of [
      "1'; DROP TABLE account; --",
      'not-a-uuid',
      '%E2%80%AE00000000-0000-4000-8000-000000000000',
    ]) {
      for (const action of ['reset-password', 'unlock']) {
        const before = await saved({ withThrottle: true });
        const res = await app.request(`/api/admin/accounts/${encodeURIComponent(id)}/${action}`, {
          method: 'POST',
          headers: admin.headers,
        });
        expect(res.status).toBe(400);
        expect((await j(res)).code).toBe('VALIDATION_FAILED');
        expect(await saved({ withThrottle: true })).toEqual(before);
      }
    }
    const account = await db
      .selectFrom('account')
      .select('must_change_password')
      .where('person_id', '=', officialId)
      .executeTakeFirstOrThrow();
    expect(account.must_change_password).toBe(false);
  });
});
