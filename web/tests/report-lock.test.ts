// Browser journey of a locked monthly unit report (issue 6 point 3; DESIGN §3: a unit item's period reopens only
// by a request with a reason, approved by the secretariat) in Debian's Chromium: the Department of Finance of the
// demo province did not send its report of November 2020 and its workflow (a real worker, played fast from its
// lock day) locked it. The unit head (Lê Minh Tuấn) sees the locked period and asks to reopen it with a reason;
// the province's secretariat opens the decision task from its inbox, reads the reason and approves; the head
// sees the period reopened and sends the report, which is stored. Each state: no serious or critical axe
// violation, and no sideways scrolling at 360 px. 2020-11 is a period no other web test uses (workflow ids are
// period + unit on the shared dev server).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyUnitReportInputFor } from '../../activities/monthly-unit-report.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import {
  getMonthlyReportState,
  monthlyUnitReportWorkflowId,
} from '../../workflows/monthly-unit-report.messages.ts';
import { reportDates, reportLockDate, reportRungs } from '../../workflows/monthly-unit-report.ts';
import {
  type CheckInStack,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { DEMO_TOTP_SECRET, fill, hydrated, open, vi } from './support/demo.ts';

const PERIOD = '2020-11';
const REASON = 'Thủ trưởng đi công tác nước ngoài từ 01/12 đến 20/12/2020';

describe('a locked monthly unit report', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let head: Page;
  let unitId = '';
  let headId = '';
  let lockDay = '';
  const url = () => `${stack.web.url}/reports/monthly?unitId=${unitId}&period=${PERIOD}`;
  const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    headId = await personId(db, 'giamdoc@demo.woms.vn');
    unitId = (
      await db.selectFrom('org_unit').select('id').where('code', '=', 'STC').executeTakeFirstOrThrow()
    ).id;
    stack = await startCheckInStack(database, { taskQueue: 'report-lock-web' });
    // The report's run, played fast from 09:00 of its lock day: the window ends with the report unsent.
    const input = await monthlyUnitReportInputFor(db, { unitId, period: PERIOD, day: '2020-12-01' });
    if (!input) throw new Error('no report input');
    const dates = reportDates(input);
    lockDay = reportLockDate(input, dates.dueDate, reportRungs(input, dates.dueDate));
    const workflowId = monthlyUnitReportWorkflowId(PERIOD, unitId);
    stack.worker.started.push(workflowId);
    await stack.worker.client.workflow.start('monthlyUnitReportWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ ...input, timeWarp: warpFrom(lockDay, 2000) }],
    });
    const handle = stack.worker.client.workflow.getHandle(workflowId);
    for (let i = 0; i < 600; i++) {
      // The query's phase first, then the read model the screen shows (the lock's activity).
      const locked = (await handle.query(getMonthlyReportState)).phase === 'LOCKED';
      if (
        locked &&
        (await db
          .selectFrom('unit_report_lock')
          .select('id')
          .where('unit_id', '=', unitId)
          .executeTakeFirst())
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    head = await stack.signedIn('giamdoc@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the head asks to reopen, the secretariat approves from its inbox, the head sends', async () => {
    await open(head, url());
    const state = head.getByTestId('report-lock-state');
    expect(await state.getAttribute('data-state')).toBe('locked');
    expect((await state.textContent())?.trim()).toBe(fill(vi.reportLock_locked, { date: dmy(lockDay) }));
    expect(await head.getByTestId('report-send').count()).toBe(0);
    await sound(head, 'locked');

    await head.getByTestId('report-reopen-reason').fill(REASON);
    await Promise.all([
      head.waitForURL(/reopen=requested/, { timeout: 60_000 }),
      head.getByTestId('report-reopen-send').click(),
    ]);
    await hydrated(head);
    expect(await head.getByTestId('report-lock-notice').textContent()).toContain(vi.reportLock_requested_ok);
    expect(await head.getByTestId('report-lock-state').getAttribute('data-state')).toBe('reopen-requested');
    expect(await head.getByTestId('report-reopen-form').count()).toBe(0);
    expect(await head.getByTestId('report-reopen-history').textContent()).toContain(REASON);
    await sound(head, 'requested');

    // The secretariat: the decision task in its inbox opens the report screen with the decision form.
    const sec = await stack.signedIn('vanphong@demo.woms.vn', { totpSecret: DEMO_TOTP_SECRET });
    await open(sec, `${stack.web.url}/inbox`);
    const link = sec.locator(`a[href="/reports/monthly?unitId=${unitId}&period=${PERIOD}"]`);
    expect(await link.count()).toBeGreaterThan(0);
    expect(await link.first().textContent()).toContain(vi.reportLock_task_kind);
    await Promise.all([sec.waitForURL(/\/reports\/monthly\?/), link.first().click()]);
    await hydrated(sec);
    expect(await sec.getByTestId('report-decide-reason').textContent()).toContain(REASON);
    await sound(sec, 'to decide');
    await sec.getByTestId('report-decide-comment').fill('Đồng ý, gửi trong 2 ngày làm việc');
    await Promise.all([
      sec.waitForURL(/reopen=approved/, { timeout: 60_000 }),
      sec.getByTestId('report-decide-approve').click(),
    ]);
    await hydrated(sec);
    expect(await sec.getByTestId('report-lock-state').getAttribute('data-state')).toBe('reopened');
    expect(await sec.getByTestId('report-decide-form').count()).toBe(0);
    await sound(sec, 'approved');

    // The head: the period is reopened, the send form is back; the report is sent and stored.
    await open(head, url());
    expect(await head.getByTestId('report-lock-state').getAttribute('data-state')).toBe('reopened');
    await head.fill('#report-number', '15');
    await Promise.all([
      head.waitForURL(/sent=1/, { timeout: 60_000 }),
      head.getByTestId('report-send').click(),
    ]);
    await hydrated(head);
    expect(await head.getByTestId('report-sent').textContent()).toBe(vi.report_sent_ok);
    const row = await database.db
      .selectFrom('monthly_unit_report')
      .select(['number', 'sent_by'])
      .where('unit_id', '=', unitId)
      .where('period', '=', PERIOD)
      .executeTakeFirstOrThrow();
    expect([row.number, row.sent_by]).toEqual(['15', headId]);
    const requests = await database.db
      .selectFrom('unit_report_reopen_request')
      .select(['reason', 'decision', 'comment'])
      .where('unit_id', '=', unitId)
      .execute();
    expect(requests).toEqual([
      { reason: REASON, decision: 'approve', comment: 'Đồng ý, gửi trong 2 ngày làm việc' },
    ]);
    await sound(head, 'sent');
  });
});
