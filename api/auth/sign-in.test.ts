import { describe, expect, it } from 'vitest';
import { cookieFrom, createTestPerson, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';

/** The JSON body of a test response (any: tests assert its shape). */
// biome-ignore lint/suspicious/noExplicitAny: tests assert the shape of the body
const j = (res: Response): Promise<any> => res.json();

const { db } = await freshDatabase();
let now = new Date('2026-03-02T02:00:00Z');
const clock = () => now;
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
const deps = {
  db,
  temporal: () => Promise.reject(new Error('no temporal in auth tests')),
  version: 'test',
  clock,
};
const app = createApp(deps);

const PASSWORD = 'mật-khẩu-đủ-dài-2026';
const officialId = await createTestPerson(db, {
  email: 'lan@test.woms.vn',
  password: PASSWORD,
  roles: ['official'],
});
const adminId = await createTestPerson(db, {
  email: 'khanh@test.woms.vn',
  password: PASSWORD,
  roles: ['administrator'],
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
});
void adminId;

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const signInRaw = (email: string, password: string, headers: Record<string, string> = {}) =>
  app.request('/api/auth/sign-in', json({ email, password }, headers));
const session = (cookie: string) => app.request('/api/auth/session', { headers: { cookie } });
const audits = (personId: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor'])
    .where('aggregate_type', '=', 'account')
    .where('aggregate_id', '=', personId)
    .orderBy('seq')
    .execute();

describe('password sign-in', () => {
  it('opens a session: cookie, session answer with person, grants and CSRF token, audited', async () => {
    const res = await signInRaw('Lan@Test.WOMS.vn ', PASSWORD);
    expect(res.status).toBe(200);
    const body = await j(res);
    expect(body).toMatchObject({ requiresSecondFactor: false, mustChangePassword: false });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookie = cookieFrom(res)!;
    const s = await session(cookie);
    expect(s.status).toBe(200);
    const info = await j(s);
    expect(info.person).toMatchObject({ id: officialId, email: 'lan@test.woms.vn' });
    expect(info.grants).toEqual([{ role: 'official', scopeUnitId: expect.any(String) }]);
    expect(info.csrfToken).toBe(body.csrfToken);
    expect(info.secondFactorDone).toBe(false);
    expect((await audits(officialId)).map((a) => a.action)).toContain('session.signed_in');
    const stored = await db.selectFrom('auth_session').select('token_hash').execute();
    expect(stored.some((r) => cookie.includes(r.token_hash))).toBe(false); // only the hash is stored
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ — Secure only over TLS or when configured', async () => {
    const res = await signInRaw('lan@test.woms.vn', PASSWORD);
    const line = res.headers.getSetCookie().find((l) => l.startsWith('woms_session='))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/; Secure/);
    const tls = await app.request(
      'https://woms.example/api/auth/sign-in',
      json({ email: 'lan@test.woms.vn', password: PASSWORD }),
    );
    expect(tls.headers.getSetCookie().find((l) => l.startsWith('woms_session='))).toMatch(/; Secure/);
    const proxied = createApp({ ...deps, auth: { trustProxy: true } });
    const behind = await proxied.request('/api/auth/sign-in', {
      ...json({ email: 'lan@test.woms.vn', password: PASSWORD }, { 'x-forwarded-proto': 'https' }),
    });
    expect(behind.headers.getSetCookie().find((l) => l.startsWith('woms_session='))).toMatch(/; Secure/);
    const forced = createApp({ ...deps, auth: { secureCookies: true } });
    const r = await forced.request(
      '/api/auth/sign-in',
      json({ email: 'lan@test.woms.vn', password: PASSWORD }),
    );
    expect(r.headers.getSetCookie().find((l) => l.startsWith('woms_session='))).toMatch(/; Secure/);
  });

  it('answers a wrong password and an unknown e-mail the same way', async () => {
    const wrong = await signInRaw('lan@test.woms.vn', 'sai-mat-khau-123456');
    const unknown = await signInRaw('nobody@test.woms.vn', 'sai-mat-khau-123456');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = await j(wrong);
    const b = await j(unknown);
    expect(a).toEqual(b);
    expect(a.code).toBe('INVALID_CREDENTIALS');
    expect(cookieFrom(wrong)).toBeUndefined();
    await db.deleteFrom('auth_throttle').execute();
  });

  it('answers 401 UNAUTHENTICATED without a session', async () => {
    const res = await app.request('/api/auth/session');
    expect(res.status).toBe(401);
    expect((await j(res)).code).toBe('UNAUTHENTICATED');
  });
});

describe('lockout', () => {
  it('locks after 5 failures in the window (also for unknown e-mails), until an administrator unlocks', async () => {
    const email = 'locked@test.woms.vn';
    const personId = await createTestPerson(db, { email, password: PASSWORD, roles: ['official'] });
    for (let i = 0; i < 5; i++)
      expect((await j(await signInRaw(email, `wrong-password-${i}`))).code).toBe('INVALID_CREDENTIALS');
    const locked = await signInRaw(email, PASSWORD);
    expect(locked.status).toBe(423);
    expect(locked.headers.get('retry-after')).toBeTruthy();
    expect((await j(locked)).code).toBe('ACCOUNT_LOCKED');
    expect((await audits(personId)).map((a) => a.action)).toContain('account.locked');

    for (let i = 0; i < 5; i++) await signInRaw('ghost@test.woms.vn', `wrong-password-${i}`);
    expect((await j(await signInRaw('ghost@test.woms.vn', PASSWORD))).code).toBe('ACCOUNT_LOCKED');

    // Only an administrator unlocks.
    const official = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const denied = await app.request(`/api/admin/accounts/${personId}/unlock`, {
      method: 'POST',
      headers: official.headers,
    });
    expect(denied.status).toBe(403);
    expect((await j(denied)).code).toBe('FORBIDDEN');
    const admin = await signIn(app, 'khanh@test.woms.vn', PASSWORD, {
      totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      now: clock,
    });
    const unlock = await app.request(`/api/admin/accounts/${personId}/unlock`, {
      method: 'POST',
      headers: admin.headers,
    });
    expect(unlock.status).toBe(200);
    expect(await j(unlock)).toEqual({ wasLocked: true });
    expect((await audits(personId)).find((a) => a.action === 'account.unlocked')?.actor).toBe(adminId);
    expect((await signInRaw(email, PASSWORD)).status).toBe(200);
  });

  it('lifts the lock by itself after the lockout period', async () => {
    const email = 'selfunlock@test.woms.vn';
    await createTestPerson(db, { email, password: PASSWORD });
    for (let i = 0; i < 5; i++) await signInRaw(email, `wrong-password-${i}`);
    expect((await signInRaw(email, PASSWORD)).status).toBe(423);
    advance(15 * 60_000 + 1000);
    expect((await signInRaw(email, PASSWORD)).status).toBe(200);
  });

  it('throttles one client address after many failures over many logins', async () => {
    const strict = createApp({ ...deps, auth: { maxFailuresPerIp: 3 } });
    for (let i = 0; i < 3; i++)
      await strict.request(
        '/api/auth/sign-in',
        json({ email: `spray${i}@test.woms.vn`, password: 'wrong-password-x' }),
      );
    const res = await strict.request(
      '/api/auth/sign-in',
      json({ email: 'lan@test.woms.vn', password: PASSWORD }),
    );
    expect(res.status).toBe(429);
    expect((await j(res)).code).toBe('TOO_MANY_ATTEMPTS');
    await db.deleteFrom('auth_throttle').execute();
  });
});

describe('sessions', () => {
  it('rotates on sign-in: the cookie sent with a new sign-in stops working', async () => {
    const first = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const res = await signInRaw('lan@test.woms.vn', PASSWORD, { cookie: first.cookie });
    const second = cookieFrom(res)!;
    expect(second).not.toBe(first.cookie);
    expect((await session(first.cookie)).status).toBe(401);
    expect((await session(second)).status).toBe(200);
  });

  it('expires after the idle timeout, and a request inside it restarts the idle clock', async () => {
    const s = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    advance(29 * 60_000);
    expect((await session(s.cookie)).status).toBe(200);
    advance(29 * 60_000);
    expect((await session(s.cookie)).status).toBe(200);
    advance(30 * 60_000 + 1);
    expect((await session(s.cookie)).status).toBe(401);
    const row = await db
      .selectFrom('auth_session')
      .select('revoked_reason')
      .where('revoked_reason', '=', 'idle')
      .executeTakeFirst();
    expect(row).toBeDefined();
  });

  it('expires at the absolute timeout even when used all the time (configurable)', async () => {
    const short = createApp({ ...deps, auth: { absoluteTimeoutMs: 60 * 60_000 } });
    const s = await signIn(short, 'lan@test.woms.vn', PASSWORD);
    for (let i = 0; i < 3; i++) {
      advance(20 * 60_000 - 1000);
      expect((await short.request('/api/auth/session', { headers: { cookie: s.cookie } })).status).toBe(200);
    }
    advance(5 * 60_000);
    expect((await short.request('/api/auth/session', { headers: { cookie: s.cookie } })).status).toBe(401);
  });

  it('signs out: the session is revoked and the cookie cleared', async () => {
    const s = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const res = await app.request('/api/auth/sign-out', { method: 'POST', headers: s.headers });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().find((l) => l.startsWith('woms_session='))).toMatch(/Max-Age=0/);
    expect((await session(s.cookie)).status).toBe(401);
    expect((await audits(officialId)).map((a) => a.action)).toContain('session.signed_out');
  });
});

describe('CSRF', () => {
  it('rejects a state-changing request without the token, with a wrong one, or from a foreign origin', async () => {
    const s = await signIn(app, 'lan@test.woms.vn', PASSWORD);
    const cases: Record<string, string>[] = [
      { cookie: s.cookie },
      { cookie: s.cookie, 'x-csrf-token': `${s.csrfToken}x` },
      { cookie: s.cookie, 'x-csrf-token': 'a'.repeat(s.csrfToken.length) },
      { ...s.headers, origin: 'https://evil.example' },
      { ...s.headers, origin: 'null' },
      { ...s.headers, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const res = await app.request('/api/auth/sign-out', { method: 'POST', headers });
      expect(res.status).toBe(403);
      expect((await j(res)).code).toBe('CSRF_REJECTED');
    }
    expect((await session(s.cookie)).status).toBe(200); // nothing happened
    const ok = await app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { ...s.headers, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(ok.status).toBe(204);
  });

  it('accepts a configured origin (the web app served elsewhere)', async () => {
    const withWeb = createApp({ ...deps, auth: { allowedOrigins: ['https://woms.example'] } });
    const s = await signIn(withWeb, 'lan@test.woms.vn', PASSWORD);
    const res = await withWeb.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { ...s.headers, origin: 'https://woms.example' },
    });
    expect(res.status).toBe(204);
  });
});
