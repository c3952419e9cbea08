// Browser journey of the unit's monthly report screen (issue 6 point 6) in Debian's Chromium: the Department of
// Finance of the demo province has a plan in force for 2022 and a check-in of October 2022 verified by the
// supervisor; its head (Lê Minh Tuấn) opens the report screen, sees the draft built from the verified values,
// downloads the PDF (the response is a PDF, an attachment with the report's Vietnamese file name), then signs
// and sends the report (a real worker runs the report workflow): the screen shows it sent, by him, with the
// files' sha256, and the frozen report is stored. The same screen in English. Each state: no serious or
// critical axe violation, and no sideways scrolling at 360 px. 2022 is a year no other web test uses (workflow
// ids are period + unit on the shared dev server, and the demo province's ids are the same in every file).
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.ts';
import { monthlyUnitReportWorkflowId } from '../../workflows/monthly-unit-report.messages.ts';
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

const PERIOD = '2022-10';
const YEAR = 2022;

describe('the monthly unit report screen', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let unitId = '';
  let headId = '';
  const url = () => `${stack.web.url}/reports/monthly?unitId=${unitId}&period=${PERIOD}`;

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
    // The department's plan in force for 2022, and the official's verified value of October.
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
              periodTargets: { [PERIOD]: '1000' },
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
        period: PERIOD,
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

    stack = await startCheckInStack(database, { taskQueue: 'monthly-report-web' });
    stack.worker.started.push(monthlyUnitReportWorkflowId(PERIOD, unitId));
    page = await stack.signedIn('giamdoc@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the unit head sees the draft, downloads the PDF and sends the report', async () => {
    // The nav leads the unit head to the report of his unit (last month by default).
    await open(page, `${stack.web.url}/`);
    await Promise.all([
      page.waitForURL(/\/reports\/monthly/),
      page.getByTestId('nav-monthly-report').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toContain('Sở Tài chính');
    await open(page, url());
    expect(await page.locator('h1').textContent()).toBe(
      fill(vi.report_title, { unit: 'Sở Tài chính', period: PERIOD }),
    );
    expect((await page.getByTestId('report-status').textContent())?.trim()).toBe(vi.report_status_draft);
    expect(await page.textContent('main, body')).toContain(
      fill(vi.report_summary_unverified, { count: '0' }),
    );
    await sound(page, 'draft');

    // The PDF: an attachment with the report's Vietnamese name, a real PDF.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-pdf').click(),
    ]);
    expect(download.suggestedFilename()).toBe('Báo cáo tháng 10-2022 - Sở Tài chính.pdf');
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const href = (await page.getByTestId('report-pdf').getAttribute('href'))!;
    const res = await page.request.get(`${stack.web.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['x-report-status']).toBe('draft');

    // Sign and send, numbered 12.
    await page.fill('#report-number', '12');
    await Promise.all([
      page.waitForURL(/sent=1/, { timeout: 60_000 }),
      page.getByTestId('report-send').click(),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('report-sent').textContent()).toBe(vi.report_sent_ok);
    expect((await page.getByTestId('report-status').textContent())?.trim()).toBe(vi.report_status_sent);
    expect(await page.getByTestId('report-sent-by').textContent()).toBe('Lê Minh Tuấn');
    expect(await page.getByTestId('report-send').count()).toBe(0);
    const row = await database.db
      .selectFrom('monthly_unit_report')
      .select(['number', 'sent_by', 'pdf_sha256'])
      .where('unit_id', '=', unitId)
      .where('period', '=', PERIOD)
      .executeTakeFirstOrThrow();
    expect([row.number, row.sent_by]).toEqual(['12', headId]);
    expect(await page.textContent('body')).toContain(row.pdf_sha256);
    const frozen = await page.request.get(`${stack.web.url}${href}`);
    expect(frozen.headers()['x-report-status']).toBe('sent');
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
      fill(en.report_title, { unit: 'Sở Tài chính', period: PERIOD }),
    );
    expect((await page.getByTestId('report-status').textContent())?.trim()).toBe(en.report_status_sent);
    expect(await page.getByTestId('report-xlsx').textContent()).toBe(en.report_download_xlsx);
    await sound(page, 'english');
  });
});
