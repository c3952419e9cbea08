import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHorizontalScroll, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  type DemoStack,
  fill,
  open,
  signInThroughScreen,
  startDemoStack,
  vi,
} from './support/demo.ts';

/** No serious/critical axe violation at desktop and phone width, and no sideways scrolling at 360 px. */
async function screenIsSound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

describe('administration screens (demo province, administrator with TOTP)', () => {
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

  it('opens the administration home with every section', async () => {
    await open(page, url('/admin'));
    expect(await page.textContent('h1')).toBe(vi.admin_title);
    for (const key of ['admin_org', 'admin_people', 'admin_roles', 'admin_import']) {
      expect(await page.textContent('main')).toContain(vi[key]);
    }
    await screenIsSound(page, 'admin home');
  });

  it('browses the org tree, creates a unit and opens its audit trail', async () => {
    await open(page, url('/admin/org'));
    expect(await page.getByTestId('unit-details').textContent()).toContain('Tỉnh Sơn Hà');
    expect(await page.getByTestId('children').locator('tbody tr').count()).toBeGreaterThan(10);
    await screenIsSound(page, 'org tree');
    const form = page.getByTestId('create-unit');
    await form.locator('select[name="typeCode"]').selectOption('agency');
    await form.locator('input[name="code"]').fill('SMOI');
    await form.locator('input[name="nameVi"]').fill('Sở Thử nghiệm Mới');
    await Promise.all([page.waitForURL(/saved=created/), form.locator('button[type="submit"]').click()]);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.org_created);
    expect(await page.getByTestId('unit-details').textContent()).toContain('Sở Thử nghiệm Mới');
    await screenIsSound(page, 'new unit');
    // Renaming it shows in the trail as a second entry.
    await page.fill('#r-name', 'Sở Thử nghiệm Đổi tên');
    await Promise.all([page.waitForURL(/saved=1/), page.locator('form[action="?/rename"] button').click()]);
    expect(await page.getByTestId('unit-details').textContent()).toContain('Sở Thử nghiệm Đổi tên');
    await Promise.all([page.waitForURL(/\/audit\/org_unit\//), page.getByTestId('audit-link').click()]);
    expect(await page.getByTestId('chain-status').getAttribute('data-intact')).toBe('true');
    const rows = page.getByTestId('audit-entries').locator(':scope > tbody > tr');
    expect(await rows.count()).toBe(2);
    const text = await page.getByTestId('audit-entries').textContent();
    expect(text).toContain('org_unit.created');
    // Actions read as Vietnamese words from the catalogue, the code beside them.
    expect(text).toContain('Tạo đơn vị');
    expect(text).toContain('Đổi tên đơn vị');
    expect(text).toContain('Bùi Quốc Khánh');
    expect(text).toContain('Sở Thử nghiệm Đổi tên');
    await screenIsSound(page, 'audit trail');
  });

  it('refuses an invalid unit with the API message in Vietnamese and keeps what was typed', async () => {
    await open(page, url('/admin/org'));
    const form = page.getByTestId('create-unit');
    await form.locator('input[name="code"]').fill('SMOI'); // the code is taken
    await form.locator('input[name="nameVi"]').fill('Sở Trùng Mã');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('form-error').waitFor();
    expect(await form.locator('input[name="nameVi"]').inputValue()).toBe('Sở Trùng Mã');
    await screenIsSound(page, 'org tree with error');
  });

  it('lets nobody but administrators and auditors open an audit trail', async () => {
    const other = await newContext(stack.browser);
    const p = await other.newPage();
    await signInThroughScreen(p, stack.web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    const res = await p.goto(url('/audit'));
    expect(res?.status()).toBe(403);
    expect(await p.textContent('main')).toContain(vi.error_forbidden);
    await other.close();
    void fill;
  });
});

describe('administration screens, continued (people, roles, catalogues, import)', () => {
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

  const unitId = async (code: string) =>
    (
      await stack.database.db
        .selectFrom('org_unit')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id;

  it('finds a person by name typed without diacritics, resets their password and shows their trail', async () => {
    // The province's administrator sees a unit's head (tiered management, DESIGN §1).
    const unit = await unitId('STC');
    await open(page, url(`/admin/people?unit=${unit}&q=${encodeURIComponent('le minh tuan')}`));
    const people = page.getByTestId('people');
    expect(await people.textContent()).toContain('Lê Minh Tuấn');
    expect(await people.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    await screenIsSound(page, 'people');
    await Promise.all([
      page.waitForURL(/\/admin\/people\/[0-9a-f-]+$/),
      people.getByText('Lê Minh Tuấn').first().click(),
    ]);
    expect(await page.getByTestId('employment').textContent()).toContain('giam_doc');
    await screenIsSound(page, 'person');
    await page.getByTestId('reset-password').click();
    await page.getByTestId('form-success').waitFor();
    const note = (await page.getByTestId('form-success').textContent()) ?? '';
    expect(note.startsWith(fill(vi.account_reset_done, { password: '' }))).toBe(true);
    const temporary = note.slice(fill(vi.account_reset_done, { password: '' }).length);
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    // The person must change the temporary password at sign-in.
    const other = await newContext(stack.browser);
    const p = await other.newPage();
    await open(p, url('/sign-in'));
    await p.fill('#email', 'giamdoc@demo.woms.vn');
    await p.fill('#password', temporary);
    await Promise.all([
      p.waitForURL(/\/account\/password/),
      p.click('[data-testid="sign-in-form"] button[type="submit"]'),
    ]);
    expect(await p.textContent('main')).toContain(vi.password_forced);
    await other.close();
    await Promise.all([page.waitForURL(/\/audit\/person\//), page.getByTestId('audit-link').click()]);
    expect(await page.getByTestId('chain-status').getAttribute('data-intact')).toBe('true');
  });

  it('lists the grants at a unit and grants a role', async () => {
    const unit = await unitId('STC');
    await open(page, url(`/admin/roles?unit=${unit}`));
    expect(await page.getByTestId('grants').textContent()).toContain('Lê Minh Tuấn');
    await screenIsSound(page, 'roles');
    const form = page.getByTestId('grant-role');
    await form.locator('select[name="personId"]').selectOption({ label: 'Lê Minh Tuấn' });
    await form.locator('select[name="roleCode"]').selectOption('administrator');
    await Promise.all([page.waitForURL(/saved=granted/), form.locator('button[type="submit"]').click()]);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.roles_granted);
  });

  it('shows approval chains, calendar profiles, the metric library and coefficients', async () => {
    for (const path of [
      '/admin/approval-chains',
      '/admin/calendar',
      '/admin/metrics',
      '/admin/coefficients',
    ]) {
      const res = await open(page, url(path));
      expect(res?.status(), path).toBe(200);
      await screenIsSound(page, path);
    }
    expect(await page.locator('main').count()).toBe(1);
    await open(page, url('/admin/approval-chains'));
    expect(await page.getByTestId('chains').locator('tbody > tr').count()).toBeGreaterThan(0);
    await open(page, url('/admin/calendar'));
    const profile = page.getByTestId('profiles').locator('tbody a').first();
    await Promise.all([page.waitForURL(/\/admin\/calendar\/.+/), profile.click()]);
    await screenIsSound(page, 'calendar profile');
    // A malformed holiday line is refused by the screen, naming the line.
    const holidays = page.locator('#holidays');
    await holidays.fill(`${await holidays.inputValue()}\nnot a date; Ngày sai; Wrong day`);
    await page.locator('[data-testid="calendar-form"] button[type="submit"]').click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toContain('not a date');

    // The administrator moves a deadline of the 2027 plan year with a reason; the table shows it.
    await open(page, `${page.url().split('?')[0]}?year=2027`);
    await screenIsSound(page, 'plan-year deadlines');
    const moveForm = page.getByTestId('deadline-move-form');
    await moveForm.locator('select[name="deadlineId"]').selectOption('plan.submit');
    await moveForm.locator('input[name="date"]').fill('2026-12-02');
    await moveForm.locator('input[name="reason"]').fill('Theo chỉ đạo của UBND tỉnh');
    await Promise.all([page.waitForURL(/moved=1/), moveForm.locator('button[type="submit"]').click()]);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.calendar_moved);
    const row = page.locator('[data-testid="deadline-table"] tr[data-deadline="plan.submit"]');
    expect(await row.locator('td').nth(2).textContent()).toBe('30/11/2026');
    expect(await row.locator('td').nth(3).textContent()).toBe('02/12/2026');
    expect(await row.locator('td').nth(4).textContent()).toBe('Theo chỉ đạo của UBND tỉnh');
    // an empty reason is refused with the API's message, and nothing moves
    await moveForm.locator('select[name="deadlineId"]').selectOption('plan.approve');
    await moveForm.locator('input[name="date"]').fill('2026-12-29');
    await moveForm.locator('input[name="reason"]').evaluate((el: HTMLInputElement) => {
      el.required = false;
    });
    await moveForm.locator('button[type="submit"]').click();
    await page.getByTestId('form-error').waitFor();
    const approveRow = page.locator('[data-testid="deadline-table"] tr[data-deadline="plan.approve"]');
    expect(await approveRow.locator('td').nth(3).textContent()).toBe('25/12/2026');
  });

  it('checks an uploaded workbook and shows the row-by-row report of a bad one', async () => {
    await open(page, url('/admin/import'));
    await screenIsSound(page, 'import');
    const template = await page.evaluate(async () => {
      const r = await fetch('/api/admin/import/template');
      return { status: r.status, bytes: [...new Uint8Array(await r.arrayBuffer())] };
    });
    expect(template.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(template.bytes) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('DonVi')!;
    sheet.addRow(['SBAD', '', 'not_a_type', 'Sở Sai Loại', '', '', '2026-01-01']);
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    await page.setInputFiles('#file', {
      name: 'sai.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: bad,
    });
    await page.locator('[data-testid="import-form"] button[type="submit"]').click();
    await page.getByTestId('import-report').waitFor();
    const report = await page.getByTestId('import-report').textContent();
    expect(report).toContain('DonVi');
    expect(await page.getByTestId('form-error').textContent()).toContain('không có dữ liệu nào được nhập');
    await screenIsSound(page, 'import report');
    const none = await stack.database.db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'SBAD')
      .execute();
    expect(none).toEqual([]);
  });
});
