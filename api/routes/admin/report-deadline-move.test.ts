// An administrator's deadline move reaching a running monthly unit report (issue 6): the move of `verify.<month>`
// through the real admin route is saved, the calendar-change workflow (patch 'calendar-change-reports') sends the
// unit's running report workflow the moveReportDeadlines Update, and its open send task is re-dated in PostgreSQL
// (and the inbox), its lock re-armed, the move audited; the other units' reports, not running, are not counted. Real
// PostgreSQL, the Temporal dev server and a worker whose activities hold a Temporal client; real time (26/11/2026).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyUnitReportInputFor } from '../../../activities/monthly-unit-report.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import { computePlanYearCalendar, deadlineById } from '../../../domain/calendar/plan-year.ts';
import { endOfVnDay } from '../../../domain/calendar/vn-time.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import {
  getMonthlyReportState,
  type MonthlyUnitReportInput,
  monthlyUnitReportWorkflowId,
} from '../../../workflows/monthly-unit-report.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `report-move-${randomUUID()}`;
const profileId = `cal-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;
// October 2026 (plan year 2026): verify.2026-10 is Tue 10/11/2026 (check-in.2026-10 Thu 5/11 + 3 working days), so
// the report opened at the end of 10/11, due Thu 12/11 — overdue today (26/11), its window already past at the start.
const PERIOD = '2026-10';
let workflowId = '';
let subjectId = '';

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const openTask = async () =>
  (await tasksOfSubject(db, 'monthly_unit_report', subjectId)).find((t) => t.status === 'open');
const finished = (id: string) => w.client.workflow.getHandle(id).result();
const base = () => `/api/admin/calendar-profiles/${profileId}/plan-years/2026/deadlines`;

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue, withClientInActivities: true });
  f = await buildOrg(db, app);
  const profile = { ...TEST_PROFILE, id: profileId };
  await saveCalendarProfile(db, profile, { provinceId: f.unit.P });
  // The monthly opening's part: unit A's running report workflow of October.
  const input: MonthlyUnitReportInput = {
    unitId: f.unit.A,
    provinceId: f.unit.P,
    period: PERIOD,
    calendar: computePlanYearCalendar(profile, 2026),
    profile,
    parties: {
      unitHead: { personId: f.person.headA },
      secretariat: { role: 'secretariat', unitId: f.unit.P },
    },
    dueWorkingDays: 2,
  };
  workflowId = monthlyUnitReportWorkflowId(PERIOD, f.unit.A);
  subjectId = `${f.unit.A}:${PERIOD}`;
  await w.client.workflow.start('monthlyUnitReportWorkflow', { taskQueue, workflowId, args: [input] });
  w.started.push(workflowId);
  for (let i = 0; i < 200 && !(await openTask()); i++) await new Promise((r) => setTimeout(r, 100));
}, 120_000);
afterAll(() => w?.stop());

describe("an administrator's deadline move reaches the running monthly unit report", () => {
  it('re-dates the open report task in PostgreSQL and the inbox, re-arms the lock and audits the move', async () => {
    const before = await openTask();
    expect(before).toMatchObject({ kind: 'report.monthly', logical_due_date: '2026-11-12' });

    const moved = await as('adminP', 'PUT', `${base()}/verify.${PERIOD}`, {
      date: '2026-11-30',
      reason: 'Gia hạn xác nhận kết quả tháng 10',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // Plans and check-ins: none; the unit reports: A's told, the other units' (not running) not counted.
    expect(await finished(moved.body.propagationWorkflowId)).toEqual({
      sent: 0,
      unchanged: 0,
      skipped: 0,
      reports: { sent: 1, unchanged: 0, skipped: 0 },
    });

    // Opens after Mon 30/11, due two working days later (Wed 2/12).
    const task = await openTask();
    expect(task!.id).toBe(before!.id);
    expect(task!.logical_due_date).toBe('2026-12-02');
    expect(task!.due_at.getTime()).toBe(endOfVnDay('2026-12-02'));
    const inbox = await as('headA', 'GET', '/api/inbox');
    expect(inbox.status).toBe(200);
    const item = (inbox.body.items as Json[]).find((t) => t.id === task!.id);
    expect(item).toMatchObject({ dueDate: '2026-12-02' });

    const state = await w.client.workflow.getHandle(workflowId).query(getMonthlyReportState);
    expect(state).toMatchObject({ phase: 'OPEN', opensOn: '2026-12-01', dueDate: '2026-12-02' });
    // The lock, not armed at the late start (its window had passed), now falls after the new ladder: D+7, Fri 11/12.
    expect(state.lockOn).toBe('2026-12-11');
    const audited = await db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('aggregate_type', '=', 'monthly_unit_report')
      .where('aggregate_id', '=', subjectId)
      .where('action', '=', 'report.monthly.deadlines-moved')
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor: f.person.adminP,
      after: { dueDate: '2026-12-02', lockOn: '2026-12-11', reason: 'Gia hạn xác nhận kết quả tháng 10' },
    });
  });

  it("a move of another month's verify date leaves the October report alone", async () => {
    const moved = await as('adminP', 'PUT', `${base()}/verify.2026-12`, {
      date: '2027-01-11',
      reason: 'Điều chỉnh hạn xác nhận tháng 12',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await finished(moved.body.propagationWorkflowId)).toEqual({ sent: 0, unchanged: 0, skipped: 0 });
    expect((await openTask())!.logical_due_date).toBe('2026-12-02');
  });

  it('a report workflow started after the moves is built from the moved calendar', async () => {
    const input = await monthlyUnitReportInputFor(db, {
      unitId: f.unit.B,
      period: PERIOD,
      day: '2026-11-26',
    });
    expect(deadlineById(input!.calendar, `verify.${PERIOD}`).date).toBe('2026-11-30');
    expect(deadlineById(input!.calendar, 'verify.2026-12').date).toBe('2027-01-11');
  });
});
