// Browser journey of a locked period reopened (issue 6, DESIGN §3 period lock) in Debian's Chromium: the demo
// official (Nguyễn Thị Lan) saved values of September 2024 but never submitted; her check-in workflow runs on a
// compressed calendar from just before the window closes, and locks the period. On /check-ins she sees the
// locked check-in and asks to reopen it with a reason; the unit head (Lê Minh Tuấn) opens the decision task
// from the inbox, reads the reason and the values, and approves; the official can save values again. Each
// state: no serious or critical axe violation, and no sideways scrolling at 360 px.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { loadPath } from '../../api/authz/resources.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { checkInInputFor } from '../../db/queries/check-in-workflow-input.ts';
import { createPlanVersion } from '../../db/queries/plans.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { endOfVnDay } from '../../domain/calendar/vn-time.ts';
import { workingCalendar } from '../../domain/calendar/working-days.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import { signIn } from '../../test/support/auth.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { DEMO_PASSWORD, hydrated, open, signInThroughScreen, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

/** A month no other web test uses (check-in workflow ids are period + person on the shared dev server). */
const PERIOD = '2024-09';
const YEAR = 2024;

const kr = (id: string, title: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '1200',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

async function sound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  await page.setViewportSize(size);
}

describe('a locked period reopened', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let worker: TestWorker;
  let official: BrowserContext;
  let head: BrowserContext;
  let me = '';
  let planId = '';
  let checkInId = '';

  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(db);
    me = (
      await db
        .selectFrom('person')
        .select('id')
        .where('email', '=', 'canbo@demo.woms.vn')
        .executeTakeFirstOrThrow()
    ).id;
    const job = await db
      .selectFrom('employment')
      .select('org_unit_id')
      .where('person_id', '=', me)
      .executeTakeFirstOrThrow();
    planId = `plan:${YEAR}:person:${me}`;
    await db
      .insertInto('plan')
      .values({
        id: planId,
        owner_kind: 'person',
        unit_id: job.org_unit_id,
        person_id: me,
        year: YEAR,
        status: 'APPROVED',
        workflow_id: null,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
      })
      .execute();
    const content: Plan = {
      id: planId,
      year: YEAR,
      owner: { kind: 'person', personId: me },
      tasks: [
        {
          id: 't1',
          title: 'Thẩm định dự toán ngân sách',
          perspective: 'budget',
          weight: '1',
          keyResults: [kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định', { ownerId: me })],
        },
      ],
    };
    const v = await createPlanVersion(db, {
      planId,
      content: { ...content, sections: [] },
      createdBy: 'test',
    });
    await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();

    const taskQueue = `check-in-reopen-web-${randomUUID()}`;
    [worker] = await Promise.all([startTestWorker(db, { taskQueue }), ensureWebBuild()]);
    const wid = checkInWorkflowId(PERIOD, me);
    worker.started.push(wid);
    api = await startApi({
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      port: await freePort(),
      plans: { taskQueue },
    });
    // The official saves a draft through the API, and never submits it.
    const http = { request: (p: string, init?: RequestInit) => fetch(`${api.url}${p}`, init) };
    const session = await signIn(http, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    const r = await fetch(`${api.url}/api/check-ins/mine/${PERIOD}/values`, {
      method: 'PUT',
      headers: session.headers,
      body: JSON.stringify({
        baseRevision: 0,
        locale: 'vi',
        values: [{ planId, keyResultId: 'k-du-toan', value: '1234,5', status: 'on-track', confidence: 4 }],
      }),
    });
    expect(r.status, await r.clone().text()).toBe(200);
    const row = await db
      .selectFrom('check_in')
      .select('id')
      .where('person_id', '=', me)
      .where('period', '=', PERIOD)
      .executeTakeFirstOrThrow();
    checkInId = row.id;
    // Her check-in workflow, on a calendar played 2 minutes per day from an hour before the window closes.
    const path = (await loadPath(db, job.org_unit_id)).map((n) => n.id);
    const input = (await checkInInputFor(db, {
      checkInId,
      personId: me,
      unitId: job.org_unit_id,
      period: PERIOD,
      day: `${YEAR}-10-01`,
      path,
    }))!;
    const due = input.calendar.deadlines.find((d) => d.id === `check-in.${PERIOD}`)!.date;
    const lastDay = workingCalendar(input.profile).addWorkingDays(due, 5);
    await worker.client.workflow.start('checkInWorkflow', {
      taskQueue,
      workflowId: wid,
      args: [
        {
          ...input,
          timeWarp: {
            realEpoch: Date.now(),
            virtualEpoch: endOfVnDay(lastDay) - 3_600_000,
            speed: 86_400_000 / 120_000,
          },
        },
      ],
    });
    const end = Date.now() + 60_000;
    for (;;) {
      const s = await db
        .selectFrom('check_in')
        .select('status')
        .where('id', '=', checkInId)
        .executeTakeFirstOrThrow();
      if (s.status === 'LOCKED') break;
      if (Date.now() > end) throw new Error('the period did not lock');
      await new Promise((res) => setTimeout(res, 200));
    }
    web = await startWeb(api.url);
    browser = await launchBrowser();
    official = await newContext(browser);
    head = await newContext(browser);
  }, 300_000);

  afterAll(async () => {
    await official?.close().catch(() => {});
    await head?.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
    await worker?.stop();
  });

  const row = () =>
    database.db
      .selectFrom('check_in')
      .select(['status', 'revision'])
      .where('id', '=', checkInId)
      .executeTakeFirstOrThrow();

  it('the official asks with a reason, the unit head approves, the official saves again', async () => {
    // The official: the locked check-in offers a reopen request.
    const page = await official.newPage();
    await signInThroughScreen(page, web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    await open(page, `${web.url}/check-ins?period=${PERIOD}`);
    expect(await page.getByTestId('checkin-status').textContent()).toContain(vi.checkin_status_locked);
    expect(await page.getByTestId('checkin-save').count()).toBe(0);
    await page.getByTestId('reopen-request').waitFor();
    await sound(page, 'locked');
    await page.getByTestId('reopen-reason').fill('Nghỉ ốm từ 01/10 đến 11/10, có giấy xác nhận');
    await Promise.all([page.waitForURL(/\/reopen\?requested=1$/), page.getByTestId('reopen-send').click()]);
    await hydrated(page);
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.reopen_requested);
    expect(await page.getByTestId('reopen-item').getAttribute('data-decision')).toBe('pending');
    expect(await page.getByTestId('reopen-decide-form').count()).toBe(0);
    await sound(page, 'requested');
    const requests = await database.db
      .selectFrom('check_in_reopen_request')
      .select(['reason', 'decision'])
      .where('check_in_id', '=', checkInId)
      .execute();
    expect(requests).toEqual([{ reason: 'Nghỉ ốm từ 01/10 đến 11/10, có giấy xác nhận', decision: null }]);

    // The unit head: the decision task opens the reopen screen; approve with a comment.
    const hp = await head.newPage();
    await signInThroughScreen(hp, web.url, 'giamdoc@demo.woms.vn', DEMO_PASSWORD);
    await open(hp, `${web.url}/inbox`);
    const link = hp.locator(`a[href="/check-ins/${checkInId}/reopen"]`);
    expect(await link.count()).toBeGreaterThan(0);
    await Promise.all([hp.waitForURL(/\/reopen$/), link.first().click()]);
    await hydrated(hp);
    expect(await hp.locator('h1').textContent()).toBe(vi.reopen_title);
    expect(await hp.getByTestId('reopen-person').textContent()).toBe('Nguyễn Thị Lan');
    expect(await hp.getByTestId('reopen-status').getAttribute('data-status')).toBe('LOCKED');
    expect(await hp.getByTestId('reopen-item-reason').textContent()).toBe(
      'Nghỉ ốm từ 01/10 đến 11/10, có giấy xác nhận',
    );
    expect(await hp.getByTestId('reopen-value').textContent()).toContain('1.234,5');
    await sound(hp, 'to decide');
    // No choice made: refused by the screen, nothing changed.
    await hp.getByTestId('reopen-decide').click();
    await hp.getByTestId('form-error').waitFor();
    expect(await hp.getByTestId('form-error').textContent()).toBe(vi.reopen_decision_required);
    expect((await row()).status).toBe('LOCKED');
    await hp.getByTestId('reopen-approve').check();
    await hp.getByTestId('reopen-comment').fill('Đồng ý, nộp trước ngày làm việc thứ hai');
    await hp.getByTestId('reopen-decide').click();
    await hp.getByTestId('form-success').waitFor({ timeout: 60_000 });
    expect(await hp.getByTestId('form-success').textContent()).toBe(vi.reopen_done_approve);
    expect((await row()).status).toBe('DRAFT');
    await hp.reload();
    await hydrated(hp);
    expect(await hp.getByTestId('reopen-item').getAttribute('data-decision')).toBe('approve');
    await sound(hp, 'approved');

    // The official can save again.
    const before = (await row()).revision;
    await open(page, `${web.url}/check-ins?period=${PERIOD}`);
    expect(await page.getByTestId('reopen-request').count()).toBe(0);
    await page.fill('#value-0', '1300');
    await Promise.all([page.waitForURL(/saved/), page.getByTestId('checkin-save').click()]);
    await page.getByTestId('checkin-saved').waitFor();
    const after = await row();
    expect([after.status, after.revision > before]).toEqual(['DRAFT', true]);
    const value = await database.db
      .selectFrom('check_in_value')
      .select('value')
      .where('check_in_id', '=', checkInId)
      .executeTakeFirstOrThrow();
    expect(value.value).toBe('1300');
    await sound(page, 'saved again');
  });
});
