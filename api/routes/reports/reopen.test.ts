// The locked period of a unit report through the API (issue 6 point 3; DESIGN §3 "a reporting period locks when
// its window closes and reopens only by a request with a reason, approved by … the secretariat (unit items)"):
// the monthly report of unit A is locked by its workflow on a real worker (a time warp from its lock day), the
// status shows it with the callers' flags, a send is refused with REPORT_LOCKED, the unit head's reopen request
// goes to the secretariat, a refusal needs a reason and leaves it locked, an approval opens a new send task and
// the head sends. Problem codes and the read model (unit_report_reopen_request, audit) are asserted.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyUnitReportInputFor } from '../../../activities/monthly-unit-report.ts';
import { quarterlyUnitReportInputFor } from '../../../activities/quarterly-unit-report.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import {
  getMonthlyReportState,
  monthlyUnitReportWorkflowId,
} from '../../../workflows/monthly-unit-report.messages.ts';
import { reportDates, reportLockDate, reportRungs } from '../../../workflows/monthly-unit-report.ts';
import {
  getQuarterlyReportState,
  quarterlyUnitReportWorkflowId,
} from '../../../workflows/quarterly-unit-report.messages.ts';
import { quarterlyReportDates } from '../../../workflows/quarterly-unit-report.ts';
import { reportTestApp, responder, until as waitUntil } from './report-test-support.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `reports-reopen-api-${randomUUID()}`;
// Wednesday 20 May 2026, 10:00 in Hà Nội: April's verification window has closed.
const NOW = new Date('2026-05-20T03:00:00Z');
let now = new Date();
const app = reportTestApp(db, { taskQueue, worker: () => w, clock: () => now });
let f: OrgFixture;
const PERIOD = '2026-04';
const as = responder(app, () => f);
/** The report workflows here run on a time warp: their effects may take a while. */
const until = <T>(fn: () => Promise<T | undefined | false>) => waitUntil(fn, 60_000);

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  now = NOW;
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(async () => {
  await w?.stop();
});

const lockRow = (unitId: string) =>
  db.selectFrom('unit_report_lock').select('id').where('unit_id', '=', unitId).executeTakeFirst();
const status = (who: keyof OrgFixture['session'], kind = 'monthly', period = PERIOD) =>
  as(who, 'GET', `/api/reports/${kind}?unitId=${f.unit.A}&period=${period}`);
const base = (kind = 'monthly', period = PERIOD) => `/api/reports/${kind}/${f.unit.A}/${period}`;

describe('a locked unit report through the API', () => {
  it('locked monthly report: send refused; the head asks, the secretariat refuses with a reason, then approves; the head sends', async () => {
    // The report's run, played fast from 09:00 of its lock day: the window ends and the report locks.
    const input = await monthlyUnitReportInputFor(db, {
      unitId: f.unit.A,
      period: PERIOD,
      day: '2026-05-20',
    });
    if (!input) throw new Error('no report input');
    const dates = reportDates(input);
    const lockDay = reportLockDate(input, dates.dueDate, reportRungs(input, dates.dueDate));
    const workflowId = monthlyUnitReportWorkflowId(PERIOD, f.unit.A);
    w.started.push(workflowId);
    await w.client.workflow.start('monthlyUnitReportWorkflow', {
      taskQueue,
      workflowId,
      args: [{ ...input, timeWarp: warpFrom(lockDay, 2000) }],
    });
    const handle = w.client.workflow.getHandle(workflowId);
    await until(async () => (await handle.query(getMonthlyReportState)).phase === 'LOCKED');
    // The read model the routes check is written right after (the lock's activity).
    await until(() => lockRow(f.unit.A));

    const locked = await status('headA');
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    expect(locked.body).toMatchObject({
      status: 'draft',
      canSend: false,
      lock: {
        state: 'locked',
        lockedOn: lockDay,
        canRequestReopen: true,
        canDecideReopen: false,
        requests: [],
      },
    });
    expect((await status('secretariatP')).body.lock).toMatchObject({
      canRequestReopen: false,
      canDecideReopen: false,
    });

    const send = await as('headA', 'POST', `${base()}/send`, {});
    expect([send.status, send.body.code]).toEqual([409, 'REPORT_LOCKED']);
    expect(send.body.details.lockedOn).toBe(lockDay);
    // Only the unit head asks, with a reason; nothing to decide yet.
    expect((await as('supervisorA', 'POST', `${base()}/reopen`, { reason: 'x' })).status).toBe(403);
    expect((await as('secretariatP', 'POST', `${base()}/reopen`, { reason: 'x' })).status).toBe(403);
    const blank = await as('headA', 'POST', `${base()}/reopen`, { reason: '   ' });
    expect([blank.status, blank.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const early = await as('secretariatP', 'POST', `${base()}/reopen/decide`, { approve: true });
    expect([early.status, early.body.code]).toEqual([409, 'REPORT_NO_REOPEN_PENDING']);

    const key = { 'idempotency-key': `reopen-${randomUUID()}` };
    const asked = await as('headA', 'POST', `${base()}/reopen`, { reason: 'Thủ trưởng đi công tác' }, key);
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body).toMatchObject({ state: 'reopen-requested', number: 1 });
    const twice = await as('headA', 'POST', `${base()}/reopen`, { reason: 'Thủ trưởng đi công tác' }, key);
    expect([twice.status, twice.body.code]).toEqual([409, 'REPORT_REOPEN_PENDING']);
    expect(await db.selectFrom('unit_report_reopen_request').select('number').execute()).toEqual([
      { number: 1 },
    ]);
    const decideTask = (await tasksOfSubject(db, 'monthly_unit_report', `${f.unit.A}:${PERIOD}`)).find(
      (t) => t.id === asked.body.taskId,
    );
    expect([decideTask?.kind, decideTask?.assignee_role, decideTask?.assignee_unit_id]).toEqual([
      'report.monthly.reopen',
      'secretariat',
      f.unit.P,
    ]);

    const pending = await status('secretariatP');
    expect(pending.body.lock).toMatchObject({ state: 'reopen-requested', canDecideReopen: true });
    expect(pending.body.lock.requests[0]).toMatchObject({
      number: 1,
      reason: 'Thủ trưởng đi công tác',
      requestedBy: { id: f.person.headA },
      decision: null,
    });
    expect((await status('headA')).body.lock).toMatchObject({
      canRequestReopen: false,
      canDecideReopen: false,
    });
    expect((await as('headA', 'POST', `${base()}/reopen/decide`, { approve: true })).status).toBe(403);
    const noReason = await as('secretariatP', 'POST', `${base()}/reopen/decide`, { approve: false });
    expect([noReason.status, noReason.body.code]).toEqual([422, 'REPORT_REOPEN_COMMENT_REQUIRED']);
    const refused = await as('secretariatP', 'POST', `${base()}/reopen/decide`, {
      approve: false,
      comment: 'Lý do chưa thỏa đáng',
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(200);
    expect(refused.body.state).toBe('locked');
    const after = await status('headA');
    expect(after.body.lock).toMatchObject({ state: 'locked', canRequestReopen: true });
    expect(after.body.lock.requests[0]).toMatchObject({
      decision: 'reject',
      comment: 'Lý do chưa thỏa đáng',
    });
    expect((await as('headA', 'POST', `${base()}/send`, {})).body.code).toBe('REPORT_LOCKED');

    const again = await as('headA', 'POST', `${base()}/reopen`, { reason: 'Đã bổ sung số liệu' });
    expect(again.body.number).toBe(2);
    const approved = await as('standingP', 'POST', `${base()}/reopen/decide`, { approve: true });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.state).toBe('reopened');
    const reopened = await status('headA');
    expect(reopened.body).toMatchObject({
      canSend: true,
      lock: { state: 'reopened', reopenDueDate: approved.body.dueDate, canRequestReopen: false },
    });
    const sent = await as('headA', 'POST', `${base()}/send`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect((await status('headA')).body.status).toBe('sent');
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('aggregate_type', '=', 'monthly_unit_report')
      .where('aggregate_id', '=', `${f.unit.A}:${PERIOD}`)
      .where('action', 'in', ['report.monthly.reopen-rejected', 'report.monthly.reopened'])
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      { action: 'report.monthly.reopen-rejected', actor: f.person.secretariatP },
      { action: 'report.monthly.reopened', actor: f.person.standingP },
    ]);
  });

  it("the unit head's delegate asks on the head's behalf; the delegate never decides", async () => {
    const input = await monthlyUnitReportInputFor(db, {
      unitId: f.unit.B,
      period: PERIOD,
      day: '2026-05-20',
    });
    if (!input) throw new Error('no report input');
    const dates = reportDates(input);
    const lockDay = reportLockDate(input, dates.dueDate, reportRungs(input, dates.dueDate));
    const workflowId = monthlyUnitReportWorkflowId(PERIOD, f.unit.B);
    w.started.push(workflowId);
    await w.client.workflow.start('monthlyUnitReportWorkflow', {
      taskQueue,
      workflowId,
      args: [{ ...input, timeWarp: warpFrom(lockDay, 2000) }],
    });
    const handle = w.client.workflow.getHandle(workflowId);
    await until(async () => (await handle.query(getMonthlyReportState)).phase === 'LOCKED');
    await until(() => lockRow(f.unit.B));
    // Unit B's head delegates to supervisorA over today (20/5).
    await db
      .insertInto('delegation')
      .values({
        id: `delegation:${f.person.headB}:2026-05-20`,
        principal_id: f.person.headB,
        delegate_id: f.person.supervisorA,
        unit_id: f.unit.B,
        from_date: '2026-05-20',
        to_date: '2026-05-31',
        reason: 'Đi công tác',
        status: 'APPROVED',
        approver_id: f.person.secretariatP,
        workflow_id: `delegation:${f.person.headB}:2026-05-20`,
        requested_by: f.person.headB,
      })
      .execute();
    const url = `/api/reports/monthly/${f.unit.B}/${PERIOD}`;
    const seen = await as('supervisorA', 'GET', `/api/reports/monthly?unitId=${f.unit.B}&period=${PERIOD}`);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.lock).toMatchObject({ state: 'locked', canRequestReopen: true, canDecideReopen: false });
    // Someone who is not B's head's delegate is refused.
    expect(
      (await as('officialA', 'POST', `${url}/reopen`, { reason: 'x', onBehalfOf: f.person.headB })).status,
    ).toBe(403);
    const asked = await as('supervisorA', 'POST', `${url}/reopen`, {
      reason: 'Giám đốc đi công tác',
      onBehalfOf: f.person.headB,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const row = await db
      .selectFrom('unit_report_reopen_request')
      .select(['requested_by', 'requested_on_behalf_of'])
      .where('unit_id', '=', f.unit.B)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ requested_by: f.person.supervisorA, requested_on_behalf_of: f.person.headB });
    expect((await as('supervisorA', 'POST', `${url}/reopen/decide`, { approve: true })).status).toBe(403);
    const province = await as(
      'secretariatP',
      'GET',
      `/api/reports/monthly?unitId=${f.unit.B}&period=${PERIOD}`,
    );
    expect(province.body.lock).toMatchObject({ state: 'reopen-requested', canDecideReopen: true });
    expect(province.body.lock.requests[0]).toMatchObject({
      requestedBy: { id: f.person.supervisorA },
      onBehalfOf: f.person.headB,
    });
  });

  it('a quarterly report not locked: the status says so and a reopen request is refused (409 REPORT_NOT_LOCKED)', async () => {
    const period = '2026-Q1';
    const input = await quarterlyUnitReportInputFor(db, { unitId: f.unit.A, period, day: '2026-05-20' });
    if (!input) throw new Error('no report input');
    const workflowId = quarterlyUnitReportWorkflowId(period, f.unit.A);
    w.started.push(workflowId);
    // Started before its due date: open, with its lock ahead.
    await w.client.workflow.start('quarterlyUnitReportWorkflow', {
      taskQueue,
      workflowId,
      args: [{ ...input, timeWarp: warpFrom(quarterlyReportDates(input).dueDate, 86_400_000) }],
    });
    const state = await until(async () => {
      const s = await w.client.workflow.getHandle(workflowId).query(getQuarterlyReportState);
      return s.phase === 'OPEN' && s;
    });
    expect(state.lockOn).toBeDefined();
    const s = await status('headA', 'quarterly', period);
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.lock).toMatchObject({ state: 'open', canRequestReopen: false, requests: [] });
    const r = await as('headA', 'POST', `${base('quarterly', period)}/reopen`, { reason: 'Bổ sung' });
    expect([r.status, r.body.code]).toEqual([409, 'REPORT_NOT_LOCKED']);
  });
});
