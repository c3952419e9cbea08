// Single sign-on through the screens: a real OpenID provider (oidc-provider with its development login
// and consent pages) on a loopback port, the API configured for it, the built web app and Chromium.
import { createServer, type Server } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { fill, open, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

describe('single sign-on from the sign-in screen', () => {
  let idp: Server;
  let api: ServerType;
  let web: RunningWeb;
  let browser: Browser;

  beforeAll(async () => {
    const { db } = await freshDatabase();
    await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(db);
    const idpPort = await freePort();
    const issuer = `http://127.0.0.1:${idpPort}`;
    const apiPort = await freePort();
    // The redirect URI is the web app's (the browser reaches the API through it), known once it runs.
    let app: ReturnType<typeof createApp> | undefined;
    api = serve({ fetch: (req) => app!.fetch(req), hostname: '127.0.0.1', port: apiPort });
    await ensureWebBuild();
    web = await startWeb(`http://127.0.0.1:${apiPort}`);
    const redirect = `${web.url}/api/auth/oidc/callback`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'woms',
          client_secret: 'woms-web-test-secret-0123456789abcdef',
          redirect_uris: [redirect],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      async findAccount(_ctx, id) {
        return {
          accountId: id,
          claims: async () => ({ sub: id, email: `${id}@demo.woms.vn`, email_verified: true }),
        };
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      cookies: { keys: ['oidc-web-test-cookie-key'] },
      features: { devInteractions: { enabled: true } },
    });
    idp = createServer(provider.callback());
    await new Promise<void>((r) => idp.listen(idpPort, '127.0.0.1', () => r()));
    app = createApp({
      db,
      temporal: () => Promise.reject(new Error('not used')),
      version: 'test',
      auth: {
        oidc: {
          issuer,
          clientId: 'woms',
          clientSecret: 'woms-web-test-secret-0123456789abcdef',
          redirectUri: redirect,
          scope: 'openid email',
          allowInsecureHttp: true,
        },
      },
    });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
    await new Promise<void>((r) => (idp ? idp.close(() => r()) : r()));
  });

  it('offers SSO and signs the official in through the provider', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await open(page, `${web.url}/sign-in`);
    const sso = page.getByTestId('sso');
    expect(await sso.textContent()).toBe(vi.signin_sso);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await sso.click();
    // The provider's development login page, then its consent page.
    await page.waitForSelector('input[name="login"]');
    await page.fill('input[name="login"]', 'canbo');
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.waitForURL((u) => u.origin === web.url || u.pathname.includes('interaction'));
    if (!page.url().startsWith(web.url)) {
      await Promise.all([page.waitForURL((u) => u.origin === web.url), page.click('button[type="submit"]')]);
    }
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('welcome').textContent()).toBe(
      fill(vi.home_welcome, { name: 'Nguyễn Thị Lan' }),
    );
    await context.close();
  });
});
