// A running stack for browser tests of the signed-in screens: a fresh database with the demo province and
// its demo accounts, the real API, the built web app and Chromium.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, ensureDemoAccounts } from '../../../api/auth/demo-accounts.ts';
import { totpCode } from '../../../api/auth/totp.ts';
import { type RunningApi, startApi } from '../../../api/server.ts';
import { loadDemoProvince } from '../../../db/demo/index.ts';
import { freePort } from '../../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../../domain/calendar/profiles/index.ts';
import { freshDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { launchBrowser } from './browser.ts';
import { ensureWebBuild, type RunningWeb, startWeb, WEB_DIR } from './webapp.ts';

export { DEMO_PASSWORD, DEMO_TOTP_SECRET };

export const vi = JSON.parse(readFileSync(join(WEB_DIR, 'messages/vi.json'), 'utf8')) as Record<
  string,
  string
>;
export const en = JSON.parse(readFileSync(join(WEB_DIR, 'messages/en.json'), 'utf8')) as Record<
  string,
  string
>;

/** A catalogue message with its {placeholders} filled in. */
export const fill = (template: string | undefined, params: Record<string, string>) =>
  (template ?? '').replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');

export interface DemoStack {
  database: TestDatabase;
  api: RunningApi;
  web: RunningWeb;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startDemoStack(opts: { temporalUiUrl?: string } = {}): Promise<DemoStack> {
  const database = await freshDatabase();
  await loadDemoProvince(database.db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
  await ensureDemoAccounts(database.db);
  const [, api] = await Promise.all([
    ensureWebBuild(),
    startApi({
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      temporalUiUrl: opts.temporalUiUrl,
      port: await freePort(),
    }),
  ]);
  const web = await startWeb(api.url);
  const browser = await launchBrowser();
  return {
    database,
    api,
    web,
    browser,
    async stop() {
      await browser.close();
      await web.stop();
      await api.close();
    },
  };
}

/** Waits until the page is hydrated (typing into a form before that may be lost). */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
}

/** Opens a URL and waits until the page is interactive. */
export async function open(page: Page, url: string) {
  const res = await page.goto(url);
  await hydrated(page);
  return res;
}

/** Signs in through the sign-in screen (and its second-factor step when a TOTP secret is given). */
export async function signInThroughScreen(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  opts: { totpSecret?: string; next?: string } = {},
): Promise<void> {
  await open(page, `${baseUrl}/sign-in${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  if (!opts.totpSecret) {
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/sign-in')),
      page.click('[data-testid="sign-in-form"] button[type="submit"]'),
    ]);
  } else {
    await page.click('[data-testid="sign-in-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="second-factor-form"]');
    // The next time step when the current one was already used (replay protection).
    for (const offset of [0, 30_000, 60_000]) {
      await page.fill('#code', totpCode(opts.totpSecret, new Date(Date.now() + offset)));
      await page.click('[data-testid="second-factor-form"] button[type="submit"]');
      const done = await page
        .waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 5000 })
        .then(() => true)
        .catch(() => false);
      if (done) return;
    }
    throw new Error(`second factor of ${email} was not accepted`);
  }
}
