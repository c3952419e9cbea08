// The web app's side of the security checks (issue 9, point 3), browser-free against the built app and a real
// API: the session cookie it sets on sign-in (HttpOnly, SameSite=Lax, Path=/, host-only; Secure only over
// https), a sign-in form posted from another site refused before the API is asked, and what a signed-in person
// reads (pages, SvelteKit's __data.json, the /api proxy) carrying the security headers and never kept by a
// cache. The page headers of a visitor are in security-headers.test.ts.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningApi, startApi } from '../../api/server.ts';
import { freePort } from '../../devstack/ports.ts';
import { createTestPerson } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

const EMAIL = 'bao-mat@test.woms.vn';
const PASSWORD = 'mật-khẩu-bảo-mật-2026';

describe('the web app: session cookie, cross-site forms, caching', () => {
  let api: RunningApi | undefined;
  let web: RunningWeb | undefined;
  let cookie = '';
  beforeAll(async () => {
    const database = await freshDatabase();
    await createTestPerson(database.db, { email: EMAIL, password: PASSWORD });
    const [, started] = await Promise.all([
      ensureWebBuild(),
      startApi({
        databaseUrl: database.url,
        temporalAddress: inject('temporalAddress'),
        port: await freePort(),
      }),
    ]);
    api = started;
    web = await startWeb(api.url);
  }, 300_000);
  afterAll(async () => {
    await web?.stop();
    await api?.close();
  });

  const signInForm = (origin: string) =>
    fetch(`${web!.url}/sign-in?/password`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin },
      body: new URLSearchParams({ email: EMAIL, password: PASSWORD, next: '/' }),
    });

  it('refuses a sign-in form posted from another site, setting no cookie', async () => {
    const res = await signInForm('https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, host-only, not Secure over plain http', async () => {
    const res = await signInForm(web!.url);
    expect(res.status).toBe(303);
    const line = res.headers.getSetCookie().find((c) => c.startsWith('woms_session=')) ?? '';
    const attrs = line
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
    expect(attrs).not.toContain('secure');
    cookie = line.split(';')[0] ?? '';
    expect(cookie.length).toBeGreaterThan('woms_session='.length + 20);
  });

  it('never lets a cache keep what a signed-in person reads, and keeps the security headers on it', async () => {
    const failures: string[] = [];
    for (const path of ['/', '/__data.json', '/api/auth/session']) {
      const res = await fetch(`${web!.url}${path}`, { headers: { cookie }, redirect: 'manual' });
      await res.arrayBuffer();
      const h = res.headers;
      if (res.status !== 200) failures.push(`${path}: ${res.status}`);
      if (!/no-store/.test(h.get('cache-control') ?? ''))
        failures.push(`${path}: cache-control ${h.get('cache-control')}`);
      if (h.get('x-content-type-options') !== 'nosniff') failures.push(`${path}: nosniff`);
      const html = h.get('content-type')?.startsWith('text/html');
      if (html && !/frame-ancestors 'none'/.test(h.get('content-security-policy') ?? ''))
        failures.push(`${path}: frame-ancestors`);
      if (h.get('x-frame-options') !== 'DENY') failures.push(`${path}: x-frame-options`);
      if (!h.get('referrer-policy')) failures.push(`${path}: referrer-policy`);
    }
    expect(failures).toEqual([]);
  });
});
