import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHorizontalScroll, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  type DemoStack,
  en,
  fill,
  hydrated,
  open,
  signInThroughScreen,
  startDemoStack,
  vi,
} from './support/demo.ts';

/** No serious/critical axe violation and no sideways scrolling at 360 px. */
async function screenIsSound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

describe('sign-in screens (demo province, real API, built web app, Chromium)', () => {
  let stack: DemoStack;

  beforeAll(async () => {
    stack = await startDemoStack();
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('signs the demo official in and shows their name and role on the home page', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await open(page, `${stack.web.url}/sign-in`);
    await screenIsSound(page, 'sign-in');
    await signInThroughScreen(page, stack.web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByTestId('welcome').textContent()).toBe(
      fill(vi.home_welcome, { name: 'Nguyễn Thị Lan' }),
    );
    expect(await page.getByTestId('account-bar').textContent()).toContain(vi.role_official);
    // An official sees no administration link, and the administration screens answer with 403.
    expect(await page.locator('nav a[href="/admin"]').count()).toBe(0);
    const res = await page.goto(`${stack.web.url}/admin`);
    expect(res?.status()).toBe(403);
    await page.goto(stack.web.url);
    await screenIsSound(page, 'home signed in');
    // Sign out.
    await Promise.all([page.waitForURL(/\/sign-in/), page.getByTestId('sign-out').click()]);
    expect(await page.textContent('main')).toContain(vi.signin_signed_out);
    expect(await page.getByTestId('account-bar').count()).toBe(0);
    await context.close();
  });

  it('shows the Vietnamese error for a wrong password and keeps the e-mail', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await open(page, `${stack.web.url}/sign-in`);
    await page.fill('#email', 'truongphong@demo.woms.vn');
    await page.fill('#password', 'not-the-password');
    await page.click('[data-testid="sign-in-form"] button[type="submit"]');
    const error = page.getByTestId('form-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Thư điện tử hoặc mật khẩu không đúng.');
    expect(await page.inputValue('#email')).toBe('truongphong@demo.woms.vn');
    await screenIsSound(page, 'sign-in with error');
    await context.close();
  });

  it('sends an anonymous visitor of a protected screen to sign in, then back to it', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await open(page, `${stack.web.url}/account/password`);
    const url = new URL(page.url());
    expect(url.pathname).toBe('/sign-in');
    expect(url.searchParams.get('next')).toBe('/account/password');
    await page.fill('#email', 'giamdoc@demo.woms.vn');
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL(/\/account\/password/),
      page.click('[data-testid="sign-in-form"] button[type="submit"]'),
    ]);
    await context.close();
  });

  it('changes the password: a mismatch is refused, the new password then signs in and the old one does not', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'canboxa@demo.woms.vn', DEMO_PASSWORD, {
      next: '/account/password',
    });
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await screenIsSound(page, 'password');
    await page.fill('#currentPassword', DEMO_PASSWORD);
    await page.fill('#newPassword', 'Mật-khẩu-mới-2026!');
    await page.fill('#confirmPassword', 'something else entirely');
    await page.click('[data-testid="password-form"] button[type="submit"]');
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toBe(vi.password_mismatch);
    // The same password again: the API's policy message, in Vietnamese.
    await page.fill('#currentPassword', DEMO_PASSWORD);
    await page.fill('#newPassword', DEMO_PASSWORD);
    await page.fill('#confirmPassword', DEMO_PASSWORD);
    await page.click('[data-testid="password-form"] button[type="submit"]');
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="form-error"]')?.textContent === text,
      'Mật khẩu mới phải khác mật khẩu hiện tại.',
    );
    await page.fill('#currentPassword', DEMO_PASSWORD);
    await page.fill('#newPassword', 'Mật-khẩu-mới-2026!');
    await page.fill('#confirmPassword', 'Mật-khẩu-mới-2026!');
    await Promise.all([
      page.waitForURL(/changed=1/),
      page.click('[data-testid="password-form"] button[type="submit"]'),
    ]);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.password_changed);
    await Promise.all([page.waitForURL(/\/sign-in/), page.getByTestId('sign-out').click()]);
    await hydrated(page);
    await page.fill('#email', 'canboxa@demo.woms.vn');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('[data-testid="sign-in-form"] button[type="submit"]');
    await page.getByTestId('form-error').waitFor();
    await signInThroughScreen(page, stack.web.url, 'canboxa@demo.woms.vn', 'Mật-khẩu-mới-2026!');
    expect(await page.getByTestId('welcome').textContent()).toContain('Ngô Thị Hạnh');
    await context.close();
  });

  it('asks the administrator for the second factor and refuses a wrong code in Vietnamese', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await open(page, `${stack.web.url}/sign-in`);
    await page.fill('#email', 'quantri@demo.woms.vn');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('[data-testid="sign-in-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="second-factor-form"]');
    // Until the second factor passes, every other screen leads back here.
    await open(page, `${stack.web.url}/admin`);
    await page.waitForSelector('[data-testid="second-factor-form"]');
    await screenIsSound(page, 'second factor');
    await page.fill('#code', '000000');
    await page.click('[data-testid="second-factor-form"] button[type="submit"]');
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toBe(
      'Mã xác thực không đúng hoặc đã được dùng.',
    );
    await context.close();
  });

  it('signs the administrator in with TOTP and shows the administration link', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'quantri@demo.woms.vn', DEMO_PASSWORD, {
      totpSecret: DEMO_TOTP_SECRET,
    });
    expect(await page.getByTestId('account-bar').textContent()).toContain(vi.role_administrator);
    expect(await page.locator('nav a[href="/admin"]').count()).toBe(1);
    await page.goto(`${stack.web.url}/account/security`);
    expect(await page.getByTestId('totp-state').textContent()).toBe(vi.security_totp_on);
    await screenIsSound(page, 'security');
    await context.close();
  });

  it('shows the lockout after repeated failures, with when to try again', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await open(page, `${stack.web.url}/sign-in`);
    const submit = async () => {
      await Promise.all([
        page.waitForResponse(
          (r) => r.url().includes('/sign-in?/password') && r.request().method() === 'POST',
        ),
        page.click('[data-testid="sign-in-form"] button[type="submit"]'),
      ]);
      // Let the enhanced form apply the answer (and any reload it triggers) before typing again: a click
      // while it is still updating can be swallowed, and the next POST then never comes.
      await page.waitForLoadState('networkidle');
    };
    for (let i = 0; i < 6; i++) {
      await page.fill('#email', 'bantochuc@demo.woms.vn');
      await page.fill('#password', `wrong-${i}`);
      await submit();
    }
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="form-error"]')?.textContent?.includes('tạm khóa'),
    );
    expect(await page.getByTestId('form-error').textContent()).toBe(
      'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau hoặc liên hệ quản trị.',
    );
    expect(await page.textContent('main')).toContain(fill(vi.signin_retry_after, { minutes: '15' }));
    // Even the right password is refused while the lock lasts.
    await page.fill('#password', DEMO_PASSWORD);
    await submit();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByTestId('form-error').textContent()).toContain('tạm khóa');
    await context.close();
  });

  it('speaks English when asked: the screen and the API errors', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await open(page, `${stack.web.url}/sign-in`);
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'en'),
      page.getByTestId('language-switch').click(),
    ]);
    await hydrated(page);
    expect(await page.textContent('h1')).toBe(en.signin_title);
    await page.fill('#email', 'truongphong@demo.woms.vn');
    await page.fill('#password', 'still-not-the-password');
    await page.click('[data-testid="sign-in-form"] button[type="submit"]');
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toBe('E-mail or password is incorrect.');
    await screenIsSound(page, 'sign-in in English');
    await context.close();
  });

  it('lets an auditor read audit trails but not administer', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'kiemtra@demo.woms.vn', DEMO_PASSWORD);
    expect(await page.locator('nav a[href="/admin"]').count()).toBe(0);
    expect(await page.locator('nav a[href="/audit"]').count()).toBe(1);
    const province = await stack.database.db
      .selectFrom('org_unit')
      .select('id')
      .where('type_code', '=', 'province')
      .where('code', '=', 'SONHA')
      .executeTakeFirstOrThrow();
    await open(page, `${stack.web.url}/audit`);
    await screenIsSound(page, 'audit lookup');
    await page.selectOption('#type', 'org_unit');
    await page.fill('#id', province.id);
    await Promise.all([
      page.waitForURL(/\/audit\/org_unit\//),
      page.click('main form button[type="submit"]'),
    ]);
    expect(await page.getByTestId('chain-status').getAttribute('data-intact')).toBe('true');
    await screenIsSound(page, 'audit trail (auditor)');
    expect((await page.goto(`${stack.web.url}/admin/org`))?.status()).toBe(403);
    await context.close();
  });
});
