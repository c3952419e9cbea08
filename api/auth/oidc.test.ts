import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/ports.ts';
import { cookieFrom, createTestPerson } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';

/** The JSON body of a test response (any: tests assert its shape). */
// biome-ignore lint/suspicious/noExplicitAny: tests assert the shape of the body
const j = (res: Response): Promise<any> => res.json();

// A real OpenID provider (oidc-provider with its development login and consent pages) on a loopback port;
// the browser is played by fetch with a small cookie jar.

const { db } = await freshDatabase();
const port = await freePort();
const issuer = `http://127.0.0.1:${port}`;
const REDIRECT = 'http://woms.test/api/auth/oidc/callback';

const users: Record<string, { email: string; email_verified: boolean }> = {
  'idp-lan': { email: 'lan@test.woms.vn', email_verified: true },
  'idp-admin': { email: 'admin@test.woms.vn', email_verified: true },
  'idp-stranger': { email: 'stranger@elsewhere.vn', email_verified: true },
  'idp-unverified': { email: 'hung@test.woms.vn', email_verified: false },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'woms',
      client_secret: 'woms-test-secret-0123456789abcdef',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  async findAccount(_ctx, id) {
    const u = users[id];
    return { accountId: id, claims: async () => ({ sub: id, ...(u ?? {}) }) };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  cookies: { keys: ['oidc-test-cookie-key'] },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  features: { devInteractions: { enabled: true } },
});
const server: Server = createServer(provider.callback());
await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  auth: {
    oidc: {
      issuer,
      clientId: 'woms',
      clientSecret: 'woms-test-secret-0123456789abcdef',
      redirectUri: REDIRECT,
      scope: 'openid email',
      afterSignInUrl: '/trang-chu',
      allowInsecureHttp: true,
    },
  },
});

const lanId = await createTestPerson(db, { email: 'lan@test.woms.vn', roles: ['official'] });
await createTestPerson(db, { email: 'admin@test.woms.vn', roles: ['administrator'] });
await createTestPerson(db, { email: 'hung@test.woms.vn', roles: ['official'] });

/** Plays the browser at the provider: logs in as `login`, consents, and returns the callback URL. */
async function throughProvider(authUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  let url = new URL(authUrl);
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: cookieHeader() },
    });
    keep(res);
    init = {};
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT)) return next;
      url = next;
      continue;
    }
    const html = await res.text();
    expect(res.status, html).toBe(200);
    const action = /action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login, password: 'any' } : {}) });
    url = new URL(action.replaceAll('&amp;', '&'), url);
    init = {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('too many redirects at the provider');
}

/** GET /api/auth/oidc/start → provider → GET /api/auth/oidc/callback; returns the callback answer. */
async function ssoAs(login: string, tamper?: (callback: URL) => void): Promise<Response> {
  const start = await app.request('/api/auth/oidc/start');
  expect(start.status).toBe(302);
  const flowCookie = cookieFrom(start, 'woms_oidc')!;
  expect(start.headers.getSetCookie().find((l) => l.startsWith('woms_oidc='))).toMatch(
    /HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/,
  );
  const authUrl = new URL(start.headers.get('location')!);
  expect(authUrl.origin).toBe(issuer);
  expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authUrl.searchParams.get('state')).toBeTruthy();
  expect(authUrl.searchParams.get('nonce')).toBeTruthy();
  const callback = await throughProvider(authUrl.toString(), login);
  tamper?.(callback);
  return app.request(`${callback.pathname}${callback.search}`, { headers: { cookie: flowCookie } });
}

describe('SSO by OpenID Connect against a real provider', () => {
  it('signs in a person found by verified e-mail, links the identity and opens a session', async () => {
    const res = await ssoAs('idp-lan');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/trang-chu');
    const cookie = cookieFrom(res)!;
    expect(cookie).toBeTruthy();
    const info = await j(await app.request('/api/auth/session', { headers: { cookie } }));
    expect(info.person.id).toBe(lanId);
    const link = await db
      .selectFrom('oidc_identity')
      .selectAll()
      .where('subject', '=', 'idp-lan')
      .executeTakeFirstOrThrow();
    expect(link).toMatchObject({ issuer, person_id: lanId });
    const actions = (
      await db.selectFrom('audit_log').select('action').where('aggregate_id', '=', lanId).execute()
    ).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['account.oidc_linked', 'session.signed_in']));
  });

  it('maps a linked identity by its link even when the provider e-mail changes', async () => {
    users['idp-lan'] = { email: 'lan.new@elsewhere.vn', email_verified: true };
    const res = await ssoAs('idp-lan');
    expect(res.status).toBe(302);
    const info = await j(await app.request('/api/auth/session', { headers: { cookie: cookieFrom(res)! } }));
    expect(info.person.id).toBe(lanId);
  });

  it('still asks an administrator for the second factor after SSO', async () => {
    const res = await ssoAs('idp-admin');
    const info = await j(await app.request('/api/auth/session', { headers: { cookie: cookieFrom(res)! } }));
    expect(info).toMatchObject({ secondFactorRequired: true, secondFactorDone: false, totpEnrolled: false });
  });

  it('refuses an unknown identity with OIDC_NO_PERSON and creates nothing', async () => {
    const sessions = await db.selectFrom('auth_session').select('id').execute();
    for (const login of ['idp-stranger', 'idp-unverified']) {
      const res = await ssoAs(login);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await j(res)).code).toBe('OIDC_NO_PERSON');
      expect(cookieFrom(res)).toBeUndefined();
    }
    expect(await db.selectFrom('auth_session').select('id').execute()).toHaveLength(sessions.length);
    expect(
      await db
        .selectFrom('oidc_identity')
        .select('subject')
        .where('subject', 'in', ['idp-stranger', 'idp-unverified'])
        .execute(),
    ).toEqual([]);
  });

  it('refuses a callback whose state does not match the signed cookie, or without the cookie', async () => {
    const res = await ssoAs('idp-lan', (u) => u.searchParams.set('state', 'forged-state'));
    expect(res.status).toBe(400);
    expect((await j(res)).code).toBe('OIDC_FAILED');
    const bare = await app.request('/api/auth/oidc/callback?code=abc&state=def');
    expect((await j(bare)).code).toBe('OIDC_FAILED');
  });

  it('answers OIDC_NOT_CONFIGURED when SSO is off', async () => {
    const plain = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
    const res = await plain.request('/api/auth/oidc/start');
    expect(res.status).toBe(404);
    expect((await j(res)).code).toBe('OIDC_NOT_CONFIGURED');
  });
});
