import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningApi, startApi } from '../../api/server.ts';
import { freePort } from '../../devstack/ports.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { ensureWebBuild, type RunningWeb, startWeb, WEB_DIR } from './support/webapp.ts';

const vi = JSON.parse(readFileSync(join(WEB_DIR, 'messages/vi.json'), 'utf8')) as Record<string, string>;
const en = JSON.parse(readFileSync(join(WEB_DIR, 'messages/en.json'), 'utf8')) as Record<string, string>;

describe('web shell (real API, built web app, Chromium)', () => {
  let api: RunningApi | undefined;
  let web: RunningWeb | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const database = await freshDatabase();
    const [, startedApi] = await Promise.all([
      ensureWebBuild(),
      startApi({
        databaseUrl: database.url,
        temporalAddress: inject('temporalAddress'),
        port: await freePort(),
      }),
    ]);
    api = startedApi;
    web = await startWeb(api.url);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.close();
  });

  it('is in Vietnamese by default and shows that every service is ready', async () => {
    const context = await newContext(browser!);
    const page = await context.newPage();
    const res = await page.goto(web!.url);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.title()).toBe(
      'WOMS — Hệ thống quản trị mục tiêu công việc và đánh giá tập thể, cá nhân',
    );
    expect(await page.textContent('header')).toContain(vi.app_tagline);
    const status = page.getByTestId('system-status');
    expect(await status.getAttribute('data-state')).toBe('ready');
    expect((await status.textContent())?.trim()).toBe(vi.status_ready);
    for (const key of [
      'nav_inbox',
      'nav_plans',
      'nav_checkins',
      'nav_giao_ban',
      'nav_evaluation',
      'nav_sign_in',
    ]) {
      expect(await page.locator('nav').textContent()).toContain(vi[key]);
    }
    // Administration is offered only to administrators, once signed in (web/tests/admin.test.ts).
    expect(await page.locator('nav').textContent()).not.toContain(vi.nav_admin);
    // No dead links: every link on the shell answers.
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of new Set(hrefs.filter((h) => !h.includes('#')))) {
      expect((await fetch(href)).status, href).toBe(200);
    }
    await context.close();
  });

  it('switches to English, changes every string and the lang attribute, and keeps it after a reload', async () => {
    const context = await newContext(browser!);
    const page = await context.newPage();
    await page.goto(web!.url);
    await Promise.all([page.waitForURL(`${web!.url}/`), page.getByTestId('language-switch').click()]);
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const check = async () => {
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.title()).toBe(en.app_title);
      expect((await page.getByTestId('system-status').textContent())?.trim()).toBe(en.status_ready);
      expect(await page.textContent('h1')).toBe(en.home_heading);
      const text = (await page.locator('.skip-link, header, main, footer').allTextContents()).join('\n');
      for (const key of [
        'nav_inbox',
        'nav_plans',
        'nav_checkins',
        'nav_evaluation',
        'nav_sign_in',
        'skip_to_content',
      ]) {
        expect(text).toContain(en[key]);
      }
      // No Vietnamese string is left, except the name of the language to switch back to and terms
      // English keeps (such as "Giao ban").
      for (const [key, value] of Object.entries(vi)) {
        if (key === '$schema' || key === 'language_switch' || en[key]?.includes(value)) continue;
        expect(text, key).not.toContain(value);
      }
      expect(await page.getByTestId('language-switch').textContent()).toContain('Tiếng Việt');
    };
    await check();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'PARAGLIDE_LOCALE')?.value).toBe('en');
    await page.reload();
    await check();
    // And back to Vietnamese.
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
    expect((await page.getByTestId('system-status').textContent())?.trim()).toBe(vi.status_ready);
    await context.close();
  });

  it('fits a 360×740 phone screen without horizontal scrolling, in both languages', async () => {
    const context = await newContext(browser!, { width: 360, height: 740 });
    const page = await context.newPage();
    await page.goto(web!.url);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await context.close();
  });

  it('has a working skip link and visible keyboard focus', async () => {
    const context = await newContext(browser!);
    const page = await context.newPage();
    await page.goto(web!.url);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.textContent()).toBe(vi.skip_to_content);
    expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await context.close();
  });

  it('has no serious or critical accessibility violation (axe-core), in either language', async () => {
    for (const width of [1280, 360]) {
      const context = await newContext(browser!, { width, height: 800 });
      const page = await context.newPage();
      await page.goto(web!.url);
      expect(await seriousAxeViolations(page), `vi at ${width}px`).toEqual([]);
      await page.getByTestId('language-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await seriousAxeViolations(page), `en at ${width}px`).toEqual([]);
      await context.close();
    }
  });

  it('proxies /api/* to the API on the same origin', async () => {
    const res = await fetch(`${web!.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    const missing = await fetch(`${web!.url}/api/no-such-route`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a language switch posted from another site', async () => {
    const res = await fetch(`${web!.url}/language`, {
      method: 'POST',
      body: new URLSearchParams({ locale: 'en' }),
      headers: { origin: 'http://evil.example' },
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
  });
});

describe('web shell when a dependency is down', () => {
  let web: RunningWeb | undefined;
  let browser: Browser | undefined;
  let deadApi: RunningApi | undefined;

  beforeAll(async () => {
    await ensureWebBuild();
    const database = await freshDatabase();
    // The API runs, but its Temporal address answers nothing.
    deadApi = await startApi({
      databaseUrl: database.url,
      temporalAddress: `127.0.0.1:${await freePort()}`,
      port: await freePort(),
    });
    web = await startWeb(deadApi.url);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await deadApi?.close();
  });

  it('names the service that is not answering, in words from the catalogue', async () => {
    const context = await newContext(browser!);
    const page = await context.newPage();
    await page.goto(web!.url);
    const status = page.getByTestId('system-status');
    expect(await status.getAttribute('data-state')).toBe('down');
    const text = (await status.textContent()) ?? '';
    expect(text).toContain(vi.status_down);
    expect(text).toContain(vi.status_down_temporal);
    expect(text).not.toContain(vi.status_down_postgres);
    await context.close();
  });
});
