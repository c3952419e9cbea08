// Browser journey of a locked period reopened (issue 6, DESIGN §3 period lock) in Debian's Chromium: the demo
// official (Nguyễn Thị Lan) saved values of September 2024 but never submitted; her check-in workflow runs on a
// compressed calendar from just before the window closes, and locks the period. On /check-ins she sees the
// locked check-in and asks to reopen it with a reason; the unit head (Lê Minh Tuấn) opens the decision task
// from the inbox, reads the reason and the values, and approves; the official can save values again. Each
// state: no serious or critical axe violation, and no sideways scrolling at 360 px.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPath } from '../../api/authz/resources.ts';
import { checkInInputFor } from '../../db/queries/check-in-workflow-input.ts';
import { endOfVnDay } from '../../domain/calendar/vn-time.ts';
import { workingCalendar } from '../../domain/calendar/working-days.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import {
  apiSession,
  type CheckInStack,
  demoDatabase,
  keyResults,
  personId,
  seedPlanInForce,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { DEMO_PASSWORD, hydrated, open, signInThroughScreen, vi } from './support/demo.ts';

/** A month no other web test uses (check-in workflow ids are period + person on the shared dev server). */
const PERIOD = '2024-09';
const YEAR = 2024;

const kr = keyResults({ target: '1200' });

describe('a locked period reopened', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let official: BrowserContext;
  let head: BrowserContext;
  let me = '';
  let planId = '';
  let checkInId = '';

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    me = await personId(db, 'canbo@demo.woms.vn');
    const unitId = await unitOf(db, me);
    ({ planId } = await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'person', personId: me, unitId },
      tasks: [
        {
          id: 't1',
          title: 'Thẩm định dự toán ngân sách',
          perspective: 'budget',
          weight: '1',
          keyResults: [kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định', { ownerId: me })],
        },
      ],
    }));
    stack = await startCheckInStack(database, { taskQueue: 'check-in-reopen-web' });
    const { worker, taskQueue } = stack;
    const wid = checkInWorkflowId(PERIOD, me);
    worker.started.push(wid);
    // The official saves a draft through the API, and never submits it.
    const session = await apiSession(stack.api.url, 'canbo@demo.woms.vn');
    const r = await fetch(`${stack.api.url}/api/check-ins/mine/${PERIOD}/values`, {
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
    const path = (await loadPath(db, unitId)).map((n) => n.id);
    const input = (await checkInInputFor(db, {
      checkInId,
      personId: me,
      unitId,
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
    official = await stack.context();
    head = await stack.context();
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
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
    await signInThroughScreen(page, stack.web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    await open(page, `${stack.web.url}/check-ins?period=${PERIOD}`);
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
    await signInThroughScreen(hp, stack.web.url, 'giamdoc@demo.woms.vn', DEMO_PASSWORD);
    await open(hp, `${stack.web.url}/inbox`);
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
    await open(page, `${stack.web.url}/check-ins?period=${PERIOD}`);
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
