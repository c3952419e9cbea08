import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningApi, startApi } from '../../api/server.ts';
import { freePort } from '../../devstack/ports.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

describe('security headers of the web app', () => {
  let api: RunningApi | undefined;
  let web: RunningWeb | undefined;
  beforeAll(async () => {
    const database = await freshDatabase();
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
  }, 180_000);
  afterAll(async () => {
    await web?.stop();
    await api?.close();
  });

  it.each(['/', '/sign-in', '/guide-that-does-not-exist'])(
    'sets CSP, frame-ancestors, nosniff and referrer policy on %s',
    async (path) => {
      const res = await fetch(`${web!.url}${path}`, { redirect: 'manual' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toMatch(/script-src 'self'( 'nonce-[^']+')?/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    },
  );

  it('passes the API’s own headers through the /api proxy', async () => {
    const res = await fetch(`${web!.url}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('runs the app under its own policy: the page hydrates and the browser reports no violation', async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await newContext(browser)).newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${web!.url}/sign-in`);
      await page.waitForLoadState('networkidle');
      // Hydrated: SvelteKit's nonce-carrying inline bootstrap ran (it defines its __sveltekit_* global).
      expect(await page.evaluate(() => Object.keys(window).some((k) => k.startsWith('__sveltekit')))).toBe(
        true,
      );
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
