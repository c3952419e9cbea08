// Browser journey of the unit's quarterly report screen (issue 7 point 1) in Debian's Chromium: the Department of
// Finance of the demo province has a plan in force for 2021 and a verified value of August 2021; its head (Lê
// Minh Tuấn) opens the 2021-Q3 report, writes the narrative in the three text areas and saves it (revision 1);
// when someone else saves in between, his save is refused with a clear message and his typed text is kept; the
// PDF downloads with the narrative in it; he signs and sends the report (a real worker runs the quarterly report
// workflow) and the screen shows it sent, by him, with the files' sha256. The same screen in English. Each
// state: no serious or critical axe violation, no sideways scrolling at 360 px. 2021-Q3 is a quarter no other web
// test uses (workflow ids are period + unit on the shared dev server).
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.ts';
import { quarterlyUnitReportWorkflowId } from '../../workflows/quarterly-unit-report.messages.ts';
import {
  type CheckInStack,
  demoDatabase,
  kr,
  personId,
  seedPlanInForce,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { en, fill, hydrated, open, vi } from './support/demo.ts';

const PERIOD = '2021-Q3';
const YEAR = 2021;
const RESULTS = 'Thẩm định 1.234 hồ sơ dự toán, vượt tiến độ quý.';
const DIFFICULTIES = 'Thiếu cán bộ có chuyên môn sâu về đầu tư công.';
const NEXT_FOCUS = 'Tập trung hướng dẫn lập dự toán năm sau.';

describe('the quarterly unit report screen', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let unitId = '';
  let headId = '';
  const url = () => `${stack.web.url}/reports/quarterly?unitId=${unitId}&period=${PERIOD}`;

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    const official = await personId(db, 'canbo@demo.woms.vn');
    const supervisor = await personId(db, 'truongphong@demo.woms.vn');
    headId = await personId(db, 'giamdoc@demo.woms.vn');
    const unit = await db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC')
      .executeTakeFirstOrThrow();
    unitId = unit.id;
    const { planId, versionId } = await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'unit', unitId },
      tasks: [
        {
          id: 't1',
          title: 'Thẩm định dự toán ngân sách',
          perspective: 'budget',
          weight: '1',
          keyResults: [
            kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định', {
              ownerId: official,
              periodTargets: { '2021-07': '400', '2021-08': '400', '2021-09': '400' },
            }),
          ],
        },
      ],
    });
    const ci = await db
      .insertInto('check_in')
      .values({
        person_id: official,
        unit_id: await unitOf(db, official),
        period: '2021-08',
        workflow_id: null,
        status: 'VERIFIED',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('check_in_value')
      .values({
        check_in_id: ci.id,
        plan_id: planId,
        plan_version_id: versionId,
        key_result_id: 'k-du-toan',
        value: '1234.5',
        kr_status: 'on-track',
        updated_by: official,
        verification: 'verified',
        verified_by: supervisor,
        verified_at: new Date(),
      })
      .execute();

    stack = await startCheckInStack(database, { taskQueue: 'quarterly-report-web' });
    stack.worker.started.push(quarterlyUnitReportWorkflowId(PERIOD, unitId));
    page = await stack.signedIn('giamdoc@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the unit head writes the narrative; a conflicting save keeps his text', async () => {
    await open(page, url());
    expect(await page.locator('h1').textContent()).toBe(
      fill(vi.qreport_title, { unit: 'Sở Tài chính', period: PERIOD }),
    );
    expect((await page.getByTestId('qreport-status').textContent())?.trim()).toBe(vi.qreport_status_draft);
    await sound(page, 'draft');

    await page.getByLabel(vi.qreport_results!).fill(RESULTS);
    await page.getByLabel(vi.qreport_difficulties!).fill(DIFFICULTIES);
    await page.getByLabel(vi.qreport_next_focus!).fill(NEXT_FOCUS);
    await Promise.all([page.waitForURL(/saved=1/), page.getByTestId('qreport-save').click()]);
    await hydrated(page);
    expect(await page.getByTestId('qreport-saved').textContent()).toContain(
      fill(vi.qreport_saved, { revision: '1' }),
    );
    expect(await page.getByLabel(vi.qreport_results!).inputValue()).toBe(RESULTS);

    // Someone else saves in between (revision 2): his save of revision 1 is refused, his text kept.
    await database.db
      .updateTable('quarterly_report_narrative')
      .set({ results: 'Bản của người khác', revision: 2 })
      .where('unit_id', '=', unitId)
      .where('period', '=', PERIOD)
      .execute();
    const mine = `${RESULTS}\nBổ sung: tổ chức 3 lớp tập huấn.`;
    await page.getByLabel(vi.qreport_results!).fill(mine);
    await Promise.all([
      page.waitForSelector('[data-testid="qreport-error"]'),
      page.getByTestId('qreport-save').click(),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('qreport-error').textContent()).toContain(vi.qreport_conflict!);
    expect(await page.getByLabel(vi.qreport_results!).inputValue()).toBe(mine);
    const stored = await database.db
      .selectFrom('quarterly_report_narrative')
      .select(['results', 'revision'])
      .where('unit_id', '=', unitId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ results: 'Bản của người khác', revision: 2 });
    await sound(page, 'conflict');
    // Reloaded, he saves on the new revision.
    await open(page, url());
    await page.getByLabel(vi.qreport_results!).fill(RESULTS);
    await Promise.all([page.waitForURL(/saved=3/), page.getByTestId('qreport-save').click()]);
  });

  it('downloads the PDF with the narrative and sends the report', async () => {
    await open(page, url());
    const href = (await page.getByTestId('qreport-pdf').getAttribute('href'))!;
    const res = await page.request.get(`${stack.web.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], {
      input: await res.body(),
      encoding: 'utf8',
    });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Kết quả thực hiện nhiệm vụ quý III năm 2021');
    expect(flat).toContain(RESULTS);
    expect(flat).toContain(DIFFICULTIES);
    expect(flat).toMatch(/1\.200\s+1\.234,5/);

    await page.fill('#qreport-number', '9');
    await Promise.all([
      page.waitForURL(/sent=1/, { timeout: 60_000 }),
      page.getByTestId('qreport-send').click(),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('qreport-sent').textContent()).toBe(vi.qreport_sent_ok);
    expect((await page.getByTestId('qreport-status').textContent())?.trim()).toBe(vi.qreport_status_sent);
    expect(await page.getByTestId('qreport-sent-by').textContent()).toBe('Lê Minh Tuấn');
    expect(await page.getByTestId('qreport-send').count()).toBe(0);
    expect(await page.getByTestId('qreport-save').count()).toBe(0);
    const row = await database.db
      .selectFrom('quarterly_unit_report')
      .select(['number', 'sent_by', 'pdf_sha256'])
      .where('unit_id', '=', unitId)
      .where('period', '=', PERIOD)
      .executeTakeFirstOrThrow();
    expect([row.number, row.sent_by]).toEqual(['9', headId]);
    expect(await page.textContent('body')).toContain(row.pdf_sha256);
    await sound(page, 'sent');
  });

  it('in English', async () => {
    await open(page, url());
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'en'),
      page.getByTestId('language-switch').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(
      fill(en.qreport_title, { unit: 'Sở Tài chính', period: PERIOD }),
    );
    expect((await page.getByTestId('qreport-status').textContent())?.trim()).toBe(en.qreport_status_sent);
    expect(await page.getByTestId('qreport-results-text').textContent()).toBe(RESULTS);
    await sound(page, 'english');
  });
});
