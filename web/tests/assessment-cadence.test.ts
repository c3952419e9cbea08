// The assessment cadence screen (issue 6 loose ends) on the demo province, as its administrator: pick an agency,
// see the cadence in force, set it to quarterly — saved, in force from the next assessment period while the
// current one stays monthly — with no serious axe violation and no sideways scroll at 360 px.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHorizontalScroll, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  type DemoStack,
  open,
  signInThroughScreen,
  startDemoStack,
  vi,
} from './support/demo.ts';

async function screenIsSound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

describe('the assessment cadence screen', () => {
  let stack: DemoStack;
  let context: BrowserContext;
  let page: Page;
  const url = (path: string) => `${stack.web.url}${path}`;

  beforeAll(async () => {
    stack = await startDemoStack();
    context = await newContext(stack.browser);
    page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'quantri@demo.woms.vn', DEMO_PASSWORD, {
      totpSecret: DEMO_TOTP_SECRET,
    });
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });

  it('is linked from the administration home', async () => {
    await open(page, url('/admin'));
    await Promise.all([
      page.waitForURL(/\/admin\/assessment-cadence$/),
      page.getByRole('link', { name: vi.cadence_admin_link }).click(),
    ]);
    expect(await page.textContent('h1')).toBe(vi.cadence_title);
  });

  it('sets an agency to quarterly from the next period; the current one stays monthly', async () => {
    await open(page, url('/admin/assessment-cadence'));
    const unitId = await page.locator('#unit option').first().getAttribute('value');
    expect(unitId).toBeTruthy();
    await Promise.all([page.waitForURL(/unit=/), page.locator('form.toolbar button[type="submit"]').click()]);
    expect(await page.getByTestId('cadence-in-force').textContent()).toBe(vi.cadence_month);
    await screenIsSound(page, 'cadence');
    await page.locator('input[name="cadence"][value="quarter"]').check();
    await Promise.all([page.waitForURL(/saved=1/), page.locator('form[action="?/set"] button').click()]);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.cadence_saved);
    expect(await page.getByTestId('cadence-in-force').textContent()).toBe(vi.cadence_month);
    const pending = (await page.getByTestId('cadence-pending').textContent()) ?? '';
    expect(pending).toContain(vi.cadence_quarter);
    expect(pending).toMatch(/Từ tháng (01|04|07|10)\/\d{4}/);
    expect(await page.locator('input[name="cadence"][value="quarter"]').isChecked()).toBe(true);
    await screenIsSound(page, 'cadence saved');
  });
});
