// Browser journey of the quarterly giao ban (issue 7 points 2 and 6) in Debian's Chromium, on the demo province
// cut down to two units on the agenda (the Department of Finance, whose head is Lê Minh Tuấn, and the Department
// of Home Affairs; the other units directly under the province are closed before the quarter here, so the journey
// stays short). The 2025-Q3 session's workflow runs on a real worker, started on the session day with one virtual
// day per real hour, so it is in session with its dossiers frozen from the start. The secretariat (Hoàng Thị Thu
// Hà) opens /giao-ban, opens the session, sees which unit reported (Finance sent its report, Home Affairs did
// not), downloads a dossier (a PDF), records Finance's conclusion with two directions, is refused publishing while
// Home Affairs has none (the refusal names it), records it and publishes; the minutes download. Then the unit head
// sees his unit's conclusion and directions and reports one done; the same screens in English. Each screen: no serious or critical axe
// violation, no sideways scrolling at 360 px. 2025-Q3 of the demo province is a session no other test starts.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giaoBanInputFor } from '../../db/queries/giao-ban-workflow-input.ts';
import { sha256Of } from '../../db/queries/monthly-reports.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { giaoBanWorkflowId } from '../../workflows/giao-ban.messages.ts';
import {
  type CheckInStack,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { DEMO_TOTP_SECRET, en, fill, hydrated, open, vi } from './support/demo.ts';

const SESSION = '2025-Q3';
const SECRETARIAT = 'vanphong@demo.woms.vn';
const HEAD = 'giamdoc@demo.woms.vn';

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 120_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the giao ban screens', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let secretariat: Page;
  let provinceId = '';
  const unit = { stc: { id: '', name: '' }, snv: { id: '', name: '' } };
  const workspace = () => `${stack.web.url}/giao-ban/${SESSION}`;

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    const units = await db
      .selectFrom('org_unit')
      .select(['id', 'code', 'name_vi', 'province_id'])
      .where('code', 'in', ['STC', 'SNV'])
      .execute();
    for (const u of units) unit[u.code === 'STC' ? 'stc' : 'snv'] = { id: u.id, name: u.name_vi };
    provinceId = units[0]!.province_id;
    // Two units on the agenda: every other unit directly under the province closed on the day it opened.
    await db
      .updateTable('org_unit')
      .set((eb) => ({ active_to: eb.ref('active_from') }))
      .where('parent_id', '=', provinceId)
      .where('id', 'not in', [unit.stc.id, unit.snv.id])
      .execute();
    const input = await giaoBanInputFor(db, { provinceId, session: SESSION });
    if (!input) throw new Error('no giao ban input for the demo province');
    // Finance sent its Q3 report on time; Home Affairs sent none.
    const model = { unitId: unit.stc.id, period: SESSION };
    const bytes = Buffer.from('%PDF-1.4 demo');
    await db
      .insertInto('quarterly_unit_report')
      .values({
        unit_id: unit.stc.id,
        period: SESSION,
        number: '12',
        report_date: '2025-10-08',
        model: JSON.stringify(model),
        model_sha256: sha256Of(model),
        pdf: bytes,
        pdf_sha256: sha256Of(bytes),
        xlsx: bytes,
        xlsx_sha256: sha256Of(bytes),
        workflow_id: `quarterly-report:${SESSION}:${unit.stc.id}`,
        sent_by: await personId(db, HEAD),
        sent_at: new Date('2025-10-08T03:00:00Z'),
      })
      .execute();

    stack = await startCheckInStack(database, { taskQueue: 'giao-ban-web' });
    const workflowId = giaoBanWorkflowId(provinceId, SESSION);
    await stack.worker.client.workflow.start('giaoBanWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ ...input, timeWarp: warpFrom(input.dates.sessionDate, 3_600_000) }],
    });
    stack.worker.started.push(workflowId);
    await until('in session', async () => {
      const r = await db
        .selectFrom('giao_ban_session')
        .select('phase')
        .where('province_id', '=', provinceId)
        .where('session', '=', SESSION)
        .executeTakeFirst();
      return r?.phase === 'IN_SESSION';
    });
    secretariat = await stack.signedIn(SECRETARIAT, { totpSecret: DEMO_TOTP_SECRET });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** Records a unit's conclusion with two directions through its form. */
  async function conclude(page: Page, unitId: string, summary: string, directions: [string, string]) {
    const form = page.getByTestId(`gb-conclusion-form-${unitId}`);
    await form.getByTestId('gb-level').selectOption('good');
    await form.getByTestId('gb-summary').fill(summary);
    await form.getByTestId('gb-direction-text').nth(0).fill(directions[0]);
    await form.getByTestId('gb-direction-due').nth(0).fill('2025-12-31');
    await form.getByTestId('gb-direction-add').click();
    expect(await form.getByTestId('gb-direction-row').count()).toBe(2);
    await form.getByTestId('gb-direction-text').nth(1).fill(directions[1]);
    await Promise.all([page.waitForURL(/saved=/), form.getByTestId('gb-save').click()]);
    await hydrated(page);
  }

  it('the secretariat opens the session and sees which units reported; a dossier downloads', async () => {
    const page = secretariat;
    await open(page, `${stack.web.url}/giao-ban?year=2025`);
    expect(await page.locator('h1').textContent()).toBe(fill(vi.giaoBan_list_title, { year: '2025' }));
    const row = page.getByTestId(`giao-ban-session-${SESSION}`);
    expect(await row.textContent()).toContain(vi.giaoBan_phase_in_session);
    expect(await row.textContent()).toContain(fill(vi.giaoBan_count, { count: '1', total: '2' }));
    await sound(page, 'list');

    await Promise.all([
      page.waitForURL(new RegExp(`/giao-ban/${SESSION}$`)),
      row
        .getByRole('link', { name: fill(vi.giaoBan_session_quarter, { quarter: 'III', year: '2025' }) })
        .click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(
      fill(vi.giaoBan_session_quarter, { quarter: 'III', year: '2025' }),
    );
    const status = (id: string) =>
      page.getByTestId(`gb-unit-${id}`).getByTestId('gb-report-status').getAttribute('data-status');
    expect(await status(unit.stc.id)).toBe('sent');
    expect(await status(unit.snv.id)).toBe('missing');
    expect(await page.getByTestId(`gb-unit-${unit.snv.id}`).textContent()).toContain(
      vi.giaoBan_not_concluded,
    );

    const href = await page
      .getByTestId(`gb-unit-${unit.stc.id}`)
      .getByTestId('gb-dossier')
      .getAttribute('href');
    expect(href).toBeTruthy();
    const res = await page.request.get(`${stack.web.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    const text = pdfText(await res.body());
    expect(text).toContain('HỒ SƠ GIAO BAN');
    expect(text).toContain(unit.stc.name);
    await sound(page, 'workspace');
  });

  it('records the conclusions; publishing is refused while one is missing, then published', async () => {
    const page = secretariat;
    await open(page, workspace());
    await conclude(page, unit.stc.id, 'Sở Tài chính hoàn thành tốt nhiệm vụ quý III.', [
      'Hoàn thành thẩm định dự toán năm 2026',
      'Rà soát các khoản chi thường xuyên',
    ]);
    expect(await page.getByTestId('gb-saved').textContent()).toBe(
      fill(vi.giaoBan_saved, { unit: unit.stc.name }),
    );
    expect(await page.getByTestId(`gb-unit-${unit.stc.id}`).textContent()).toContain(
      fill(vi.giaoBan_concluded, { revision: '1' }),
    );
    await sound(page, 'one concluded');
    // Before publishing, the secretariat sees who still lacks a conclusion (from the API's missingConclusions).
    expect(await page.getByTestId('gb-missing-before').textContent()).toBe(
      fill(vi.giaoBan_missing_units, { units: unit.snv.name }),
    );

    await Promise.all([
      page.waitForSelector('[data-testid="gb-error"]'),
      page.getByTestId('gb-publish').click(),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('gb-missing').textContent()).toBe(
      fill(vi.giaoBan_missing_units, { units: unit.snv.name }),
    );
    expect(await page.getByTestId('gb-error').textContent()).toContain('GIAO_BAN_CONCLUSIONS_MISSING');
    await sound(page, 'publish refused');

    await open(page, workspace());
    await conclude(page, unit.snv.id, 'Sở Nội vụ cần gửi báo cáo quý đúng hạn.', [
      'Gửi báo cáo quý III trước ngày 31/10',
      'Kiện toàn bộ phận tổng hợp báo cáo',
    ]);
    expect(await page.getByTestId('gb-all-concluded').textContent()).toBe(vi.giaoBanPolish_all_concluded);
    await Promise.all([
      page.waitForURL(/published=1/, { timeout: 60_000 }),
      page.getByTestId('gb-publish').click(),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('gb-published').isVisible()).toBe(true);
    expect(await page.getByTestId('gb-phase').textContent()).toContain(vi.giaoBan_phase_published);
    const minutes = await page.getByTestId('gb-minutes').getAttribute('href');
    const res = await page.request.get(`${stack.web.url}${minutes}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    const text = pdfText(await res.body());
    expect(text).toContain('Hoàn thành thẩm định dự toán năm 2026');
    expect(text).toContain('Kiện toàn bộ phận tổng hợp báo cáo');
    await sound(page, 'published');
  });

  it("the unit head sees his unit's conclusion and reports a direction done", async () => {
    const page = await stack.signedIn(HEAD);
    await open(page, workspace());
    expect(await page.getByTestId(`gb-unit-${unit.snv.id}`).count()).toBe(0);
    const card = page.getByTestId(`gb-unit-card-${unit.stc.id}`);
    expect(await card.getByTestId('gb-conclusion-level').textContent()).toBe(vi.giaoBan_level_good);
    expect(await card.getByTestId('gb-directions').textContent()).toContain(
      'Rà soát các khoản chi thường xuyên',
    );
    await sound(page, 'unit head workspace');

    await Promise.all([
      page.waitForURL(/\/giao-ban\/directions/),
      card.getByTestId('gb-unit-directions').click(),
    ]);
    await hydrated(page);
    const first = page.locator('[data-testid^="gb-direction-"][data-status]').filter({
      hasText: 'Hoàn thành thẩm định dự toán năm 2026',
    });
    expect(await first.getByTestId('gb-direction-status').textContent()).toBe(vi.giaoBan_status_open);
    expect(await first.getByTestId('gb-direction-unit').textContent()).toBe(unit.stc.name);
    await sound(page, 'directions');
    await first.getByTestId('gb-report-status').selectOption('done');
    await first.getByTestId('gb-report-note').fill('Đã trình dự toán ngày 15/11.');
    await Promise.all([page.waitForURL(/reported=/), first.getByTestId('gb-report-submit').click()]);
    await hydrated(page);
    expect(await page.getByTestId('gb-reported').textContent()).toBe(vi.giaoBan_reported);
    const done = page.locator('[data-testid^="gb-direction-"][data-status]').filter({
      hasText: 'Hoàn thành thẩm định dự toán năm 2026',
    });
    expect(await done.getAttribute('data-status')).toBe('done');
    expect(await done.getByTestId('gb-direction-status').textContent()).toBe(vi.giaoBan_status_done);
    expect(await done.textContent()).toContain('Đã trình dự toán ngày 15/11.');
    const stored = await database.db
      .selectFrom('giao_ban_direction')
      .select(['status', 'status_note'])
      .where('unit_id', '=', unit.stc.id)
      .where('session', '=', SESSION)
      .orderBy('ordinal')
      .execute();
    expect(stored.map((d) => d.status)).toEqual(['done', 'open']);
    await sound(page, 'direction reported');

    // The same screens in English, from the catalogue.
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'en'),
      page.getByTestId('language-switch').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(en.giaoBan_directions_title);
    expect(await done.getByTestId('gb-direction-status').textContent()).toBe(en.giaoBan_status_done);
    await open(page, workspace());
    expect(await page.locator('h1').textContent()).toBe(
      fill(en.giaoBan_session_quarter, { quarter: 'III', year: '2025' }),
    );
    expect(await card.getByTestId('gb-conclusion-level').textContent()).toBe(en.giaoBan_level_good);
    await sound(page, 'english');
  });
});
