// An administrator's move of a check-in deadline reaching a running check-in workflow (issue 6): the move through
// the real admin route is saved, the calendar-change workflow sends the person's running check-in workflow the
// moveCheckInDeadlines Update, and the open check-in task is re-dated in PostgreSQL and in GET /api/inbox; a
// check-in without a running workflow is skipped; a move of another month tells nobody. Real PostgreSQL, the
// Temporal dev server and a worker whose activities hold a Temporal client.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { checkInInputFor } from '../../../db/queries/check-in-workflow-input.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import { endOfVnDay } from '../../../domain/calendar/vn-time.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { checkInWorkflowId, getCheckInState } from '../../../workflows/check-in.messages.ts';
import { createApp } from '../../app.ts';
import { loadPath } from '../../authz/resources.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `check-in-move-${randomUUID()}`;
const profileId = `cal-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;
// December 2026 (plan year 2026): check-in.2026-12 is due Tue 5/1/2027 on the test profile.
const PERIOD = '2026-12';
let checkInId = '';
let otherCheckInId = '';
let workflowId = '';

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const newCheckIn = async (personId: string) =>
  (
    await db
      .insertInto('check_in')
      .values({ person_id: personId, unit_id: f.unit.AD1, period: PERIOD, workflow_id: null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const openTask = async () =>
  (await tasksOfSubject(db, 'check_in', checkInId)).find((t) => t.status === 'open');
const finished = (id: string) => w.client.workflow.getHandle(id).result();
const base = () => `/api/admin/calendar-profiles/${profileId}/plan-years/2026/deadlines`;

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue, withClientInActivities: true });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: profileId }, { provinceId: f.unit.P });
  // The monthly opening's part: the person's check-in row and their running check-in workflow (real time: the
  // submit task is due 5/1/2027, weeks ahead); a colleague's check-in whose workflow has not started.
  const me = f.person.officialA;
  checkInId = await newCheckIn(me);
  otherCheckInId = await newCheckIn(f.person.staffA);
  const path = (await loadPath(db, f.unit.AD1)).map((n) => n.id);
  const input = await checkInInputFor(db, {
    checkInId,
    personId: me,
    unitId: f.unit.AD1,
    period: PERIOD,
    day: '2026-11-26',
    path,
  });
  workflowId = checkInWorkflowId(PERIOD, me);
  await w.client.workflow.start('checkInWorkflow', { taskQueue, workflowId, args: [input] });
  w.started.push(workflowId);
  for (let i = 0; i < 200 && !(await openTask()); i++) await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(() => w?.stop());

describe("an administrator's check-in deadline move reaches the running check-in", () => {
  it('re-dates the open check-in task (PostgreSQL and the inbox); a check-in not running is skipped', async () => {
    const before = await openTask();
    expect(before).toMatchObject({ kind: 'check-in.submit', logical_due_date: '2027-01-05' });

    const moved = await as('adminP', 'PUT', `${base()}/check-in.${PERIOD}`, {
      date: '2027-01-08',
      reason: 'Lùi hạn do nghỉ Tết Dương lịch',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.propagationWorkflowId).toMatch(/^calendar-change:/);
    expect(await finished(moved.body.propagationWorkflowId)).toEqual({
      sent: 0,
      unchanged: 0,
      skipped: 0,
      checkIns: { sent: 1, unchanged: 0, skipped: 1 },
    });

    const task = await openTask();
    expect(task!.id).toBe(before!.id);
    expect(task!.logical_due_date).toBe('2027-01-08');
    expect(task!.due_at.getTime()).toBe(endOfVnDay('2027-01-08'));
    const inbox = await as('officialA', 'GET', '/api/inbox');
    expect(inbox.status).toBe(200);
    const item = (inbox.body.items as Json[]).find((t) => t.id === task!.id);
    expect(item).toMatchObject({
      dueDate: '2027-01-08',
      dueAt: new Date(endOfVnDay('2027-01-08')).toISOString(),
    });

    const state = await w.client.workflow.getHandle(workflowId).query(getCheckInState);
    expect(state.items.map((i) => i.dueDate)).toEqual(['2027-01-08']);
    expect(state.windowClosesOn).toBe('2027-01-15'); // D+5 working days of Fri 8/1
    const audited = await db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'after'])
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', checkInId)
      .where('action', '=', 'check-in.deadlines-moved')
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor: f.person.adminP,
      after: { submitDate: '2027-01-08', reason: 'Lùi hạn do nghỉ Tết Dương lịch' },
    });
    // The colleague's check-in has no running workflow: nothing was written for it.
    const other = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', otherCheckInId)
      .execute();
    expect(other).toEqual([]);
  });

  it("a move of another month's deadline leaves the December check-ins alone", async () => {
    const moved = await as('adminP', 'PUT', `${base()}/check-in.2026-10`, {
      date: '2026-11-09',
      reason: 'Điều chỉnh hạn tháng 10',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await finished(moved.body.propagationWorkflowId)).toEqual({
      sent: 0,
      unchanged: 0,
      skipped: 0,
      checkIns: { sent: 0, unchanged: 2, skipped: 0 },
    });
    expect((await openTask())!.logical_due_date).toBe('2027-01-08');
  });

  it('a holiday added on the moved due day moves the task to the next working day', async () => {
    const r = await as('adminP', 'PUT', `/api/admin/calendar-profiles/${profileId}`, {
      provinceId: f.unit.P,
      name: 'Lịch làm việc thử nghiệm',
      weekendDays: TEST_PROFILE.weekendDays,
      holidays: [
        ...TEST_PROFILE.holidays,
        { date: '2027-01-08', nameVi: 'Nghỉ bù', nameEn: 'Day off in lieu' },
      ],
      makeUpWorkingDays: [],
      changeReason: 'Nghỉ bù theo quyết định của tỉnh',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await finished(r.body.propagationWorkflowId)).toMatchObject({
      checkIns: { sent: 1, unchanged: 0, skipped: 1 },
    });
    const task = await openTask();
    expect(task!.logical_due_date).toBe('2027-01-11'); // Mon 11/1: the Friday is now a holiday
    const state = await w.client.workflow.getHandle(workflowId).query(getCheckInState);
    // The lock counts working days on the new profile: 12, 13, 14, 15, 18/1.
    expect(state.windowClosesOn).toBe('2027-01-18');
  });

  it('a check-in whose run has ended is skipped, the change still completes', async () => {
    await w.client.workflow.getHandle(workflowId).terminate('ended for the test');
    const moved = await as('adminP', 'PUT', `${base()}/check-in.${PERIOD}`, {
      date: '2027-01-12',
      reason: 'Lùi hạn thêm',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await finished(moved.body.propagationWorkflowId)).toMatchObject({
      checkIns: { sent: 0, unchanged: 0, skipped: 2 },
    });
    expect((await openTask())!.logical_due_date).toBe('2027-01-11');
  });
});
