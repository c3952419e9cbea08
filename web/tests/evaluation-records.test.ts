// The discipline and conclusion records screen (issue 8 point 3) on the demo province, as the director of the
// Department of Finance (unit head): reached from the navigation; entering a discipline decision about one of the
// department's officials — refused without a decision number (the API's Vietnamese message), saved with its
// number, date and issuer, listed; revoked with a reason and kept, marked, in the list — keyboard only for the
// form's fields, with no serious axe violation and no sideways scroll at 360 px.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHorizontalScroll, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  type DemoStack,
  fill,
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

describe('the discipline and conclusion records screen', () => {
  let stack: DemoStack;
  let context: BrowserContext;
  let page: Page;
  const url = (path: string) => `${stack.web.url}${path}`;

  beforeAll(async () => {
    stack = await startDemoStack();
    context = await newContext(stack.browser);
    page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'giamdoc@demo.woms.vn', DEMO_PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });

  it('is linked from the navigation and lists no record yet', async () => {
    await open(page, url('/'));
    await Promise.all([
      page.waitForURL(/\/evaluation\/records$/),
      page.getByTestId('nav-evaluation-records').click(),
    ]);
    expect(await page.textContent('h1')).toBe(vi.evalRecords_title);
    expect(await page.getByTestId('discipline-empty').textContent()).toBe(
      fill(vi.evalRecords_none, { year: '2026' }),
    );
    await screenIsSound(page, 'records');
  });

  it('enters a discipline decision with the keyboard: refused without a number, then saved and listed', async () => {
    await open(page, url('/evaluation/records'));
    const form = page.getByTestId('discipline-form');
    const subject = form.locator('select[name="subject"]');
    const official = await subject.locator('option', { hasText: 'Nguyễn Thị Lan' }).getAttribute('value');
    expect(official).toMatch(/^person:/);
    await subject.selectOption(official!);
    await form.locator('select[name="form"]').selectOption('canhCao');
    await form.locator('input[name="date"]').fill('2026-06-15');
    await form.locator('input[name="issuer"]').focus();
    await page.keyboard.type('Giám đốc Sở Tài chính');
    await page.keyboard.press('Enter');
    const error = page.getByTestId('form-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Cần nhập số quyết định.');
    await screenIsSound(page, 'records refused');

    await form.locator('input[name="decisionNumber"]').focus();
    await page.keyboard.type('45/QĐ-STC');
    await Promise.all([page.waitForURL(/saved=created/), page.keyboard.press('Enter')]);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.evalRecords_saved);
    const record = page.getByTestId('discipline-records').getByTestId('record');
    expect(await record.count()).toBe(1);
    const text = (await record.first().textContent()) ?? '';
    expect(text).toContain(
      fill(vi.evalRecords_discipline_what, {
        type: vi.evalRecords_type_state!,
        form: vi.evalRecords_form_canhCao!,
      }),
    );
    expect(text).toContain('Nguyễn Thị Lan');
    expect(text).toContain(
      fill(vi.evalRecords_decision_line, {
        number: '45/QĐ-STC',
        date: '15/06/2026',
        issuer: 'Giám đốc Sở Tài chính',
      }),
    );
    await screenIsSound(page, 'records saved');
  });

  it('revokes the record with a reason; it stays listed, marked revoked', async () => {
    const record = page.getByTestId('discipline-records').getByTestId('record').first();
    await record.locator('summary').click();
    await record.locator('input[name="reason"]').fill('Quyết định đã bị cấp trên hủy');
    await Promise.all([
      page.waitForURL(/saved=revoked/),
      record.locator('form button[type="submit"]').click(),
    ]);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.evalRecords_revoked_note);
    const after = page.getByTestId('discipline-records').getByTestId('record');
    expect(await after.count()).toBe(1);
    expect(await after.first().getByTestId('record-revoked').textContent()).toBe(
      fill(vi.evalRecords_revoked_line, { reason: 'Quyết định đã bị cấp trên hủy' }),
    );
    await screenIsSound(page, 'records revoked');
  });

  it("sets an official's duty group and Party membership from a date", async () => {
    await open(page, url('/evaluation/records'));
    await Promise.all([
      page.waitForURL(/\/evaluation\/records\/person\//),
      page
        .getByTestId('record-people')
        .getByRole('link', { name: /Nguyễn Thị Lan/ })
        .click(),
    ]);
    expect(await page.getByTestId('duty-current').textContent()).toBe(
      fill(vi.evalRecords_duty_current, { group: vi.evalRecords_duty_default! }),
    );
    await screenIsSound(page, 'person attributes');
    const duty = page.getByTestId('duty-form');
    await duty.locator('input[name="dutyGroup"]').fill('Chuyên viên');
    await duty.locator('input[name="effectiveFrom"]').fill('2026-01-01');
    await duty.locator('button[type="submit"]').click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toContain('Mã nhóm chức trách');
    await duty.locator('input[name="dutyGroup"]').fill('chuyen-vien');
    await Promise.all([page.waitForURL(/saved=1/), duty.locator('button[type="submit"]').click()]);
    expect(await page.getByTestId('duty-current').textContent()).toBe(
      fill(vi.evalRecords_duty_current, { group: 'chuyen-vien' }),
    );
    const party = page.getByTestId('party-form');
    await party.locator('input[name="isMember"][value="true"]').check();
    await party.locator('input[name="effectiveFrom"]').fill('2015-05-19');
    // the URL already says saved=1 (the duty group): wait for the new history line instead
    await party.locator('button[type="submit"]').click();
    await page
      .getByText(fill(vi.evalRecords_from_line, { date: '19/05/2015', value: vi.evalRecords_party_yes! }))
      .waitFor();
    expect(await page.getByTestId('party-current').textContent()).toBe(vi.evalRecords_party_yes);
    await screenIsSound(page, 'person attributes saved');
  });
});
