// An administrator's calendar change reaching a running plan workflow (issue 5, point 3): a moved deadline
// and an added holiday are saved and audited, then the calendar-change workflow sends the plan's workflow
// the moveDeadlines Update; the inbox task's due date follows. Real PostgreSQL, Temporal dev server, worker.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `calendar-change-${randomUUID()}`;
const profileId = `cal-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  // a slow warp (one virtual day per minute from 20/11/2026): nothing falls due while the test runs
  plans: { taskQueue, adjustInput: (i) => ({ ...i, timeWarp: warpFrom('2026-11-20', 60_000) }) },
});
let f: OrgFixture;
let planId = '';

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue, withClientInActivities: true });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: profileId }, { provinceId: f.unit.P });
  const r = await requestAs(app, f.session.officialA, 'POST', '/api/plans', {
    ownerKind: 'unit',
    unitId: f.unit.A,
    year: 2027,
  });
  expect(r.status).toBe(201);
  planId = ((await r.json()) as { id: string }).id;
  w.started.push(planId);
}, 120_000);
afterAll(() => w?.stop());

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
async function admin(method: string, path: string, body?: unknown) {
  const res = await requestAs(app, f.session.adminP, method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}
const submitTaskDue = async () =>
  (await tasksOfSubject(db, 'plan', planId)).find((t) => t.kind === 'plan.submit' && t.status === 'open')
    ?.logical_due_date;
/** The workflow writes the inbox task by an activity, just after the plan is created. */
async function submitTaskOpen() {
  for (let i = 0; i < 100 && !(await submitTaskDue()); i++) await new Promise((r) => setTimeout(r, 100));
}
const finished = (workflowId: string) => w.client.workflow.getHandle(workflowId).result();
const base = `/api/admin/calendar-profiles/${profileId}`;

describe("an administrator's calendar change reaches running plans", () => {
  it('moves the submit deadline of 2027 with a reason; the running plan’s task follows; restoring moves it back', async () => {
    await submitTaskOpen();
    expect(await submitTaskDue()).toBe('2026-11-30');
    const moved = await admin('PUT', `${base}/plan-years/2027/deadlines/plan.submit`, {
      date: '2026-12-03',
      reason: 'Theo chỉ đạo của UBND tỉnh',
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const deadline = moved.body.calendar.deadlines.find((d: Json) => d.id === 'plan.submit');
    expect(deadline).toMatchObject({
      date: '2026-12-03',
      origin: 'override',
      move: { reason: 'Theo chỉ đạo của UBND tỉnh' },
    });
    expect(moved.body.propagationWorkflowId).toMatch(/^calendar-change:/);
    expect(await finished(moved.body.propagationWorkflowId)).toEqual({ sent: 1, unchanged: 0, skipped: 0 });
    expect(await submitTaskDue()).toBe('2026-12-03');
    const events = await db
      .selectFrom('task_event')
      .select(['kind', 'details'])
      .where('task_id', 'like', `${planId}%`)
      .where('kind', '=', 'deadline-moved')
      .execute();
    expect(events.map((e) => e.details)).toContainEqual(
      expect.objectContaining({ from: '2026-11-30', to: '2026-12-03', reason: 'Theo chỉ đạo của UBND tỉnh' }),
    );
    const audited = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', profileId)
      .execute();
    expect(audited.map((a) => a.action)).toContain('calendar_profile.deadline_moved');

    const restored = await admin('PUT', `${base}/plan-years/2027/deadlines/plan.submit`, {
      date: null,
      reason: 'Trở lại hạn theo quy định',
    });
    expect(restored.status).toBe(200);
    await finished(restored.body.propagationWorkflowId);
    expect(await submitTaskDue()).toBe('2026-11-30');
  });

  it('an added holiday on the due day moves it to the next working day; an unrelated change tells nobody', async () => {
    const put = (holidays: { date: string; nameVi: string; nameEn: string }[]) =>
      admin('PUT', base, {
        provinceId: f.unit.P,
        name: 'Lịch làm việc thử nghiệm',
        weekendDays: TEST_PROFILE.weekendDays,
        holidays,
        makeUpWorkingDays: [],
        changeReason: 'Nghỉ bù theo quyết định của tỉnh',
      });
    const r = await put([
      ...TEST_PROFILE.holidays,
      { date: '2026-11-30', nameVi: 'Nghỉ bù', nameEn: 'Day off in lieu' },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await finished(r.body.propagationWorkflowId)).toMatchObject({ sent: 1 });
    expect(await submitTaskDue()).toBe('2026-12-01');
    // a holiday far outside the 2027 plan year changes neither its dates nor its working days
    const far = await put([
      ...TEST_PROFILE.holidays,
      { date: '2026-11-30', nameVi: 'Nghỉ bù', nameEn: 'Day off in lieu' },
      { date: '2029-04-30', nameVi: 'Giải phóng miền Nam', nameEn: 'Reunification Day' },
    ]);
    expect(await finished(far.body.propagationWorkflowId)).toEqual({ sent: 0, unchanged: 1, skipped: 0 });
  });

  it('refuses an unknown deadline, a date outside the plan year and an empty reason, and saves nothing', async () => {
    const before = await db
      .selectFrom('deadline_move' as never)
      .selectAll()
      .execute();
    const unknown = await admin('PUT', `${base}/plan-years/2027/deadlines/plan.nothing`, {
      date: '2026-12-03',
      reason: 'x',
    });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'DEADLINE_NOT_FOUND' } });
    const outside = await admin('PUT', `${base}/plan-years/2027/deadlines/plan.submit`, {
      date: '2029-01-01',
      reason: 'x',
    });
    expect(outside).toMatchObject({ status: 422, body: { code: 'DEADLINE_OUT_OF_YEAR' } });
    const noReason = await admin('PUT', `${base}/plan-years/2027/deadlines/plan.submit`, {
      date: '2026-12-03',
      reason: '  ',
    });
    expect(noReason.status).toBe(400);
    const forbidden = await requestAs(
      app,
      f.session.adminQ,
      'PUT',
      `${base}/plan-years/2027/deadlines/plan.submit`,
      {
        date: '2026-12-03',
        reason: 'x',
      },
    );
    expect(forbidden.status).toBe(403);
    expect(
      await db
        .selectFrom('deadline_move' as never)
        .selectAll()
        .execute(),
    ).toEqual(before);
    expect(await submitTaskDue()).toBe('2026-12-01');
  });

  it('keeps a change saved while Temporal is unreachable and carries it with the next calendar write', async () => {
    const down = createApp({
      db,
      temporal: () => Promise.reject(new Error('Temporal is down')),
      version: 'test',
      plans: { taskQueue },
    });
    const r = await requestAs(
      down,
      f.session.adminP,
      'PUT',
      `${base}/plan-years/2027/deadlines/plan.submit`,
      {
        date: '2026-12-04',
        reason: 'Lùi hạn nộp',
      },
    );
    expect(r.status).toBe(503);
    expect(((await r.json()) as Json).code).toBe('DEPENDENCY_UNAVAILABLE');
    // the move is saved and the change waits in the outbox
    const got = await admin('GET', `${base}/plan-years/2027`);
    expect(got.body.deadlines.find((d: Json) => d.id === 'plan.submit').date).toBe('2026-12-04');
    const pending = await db
      .selectFrom('calendar_change')
      .select('id')
      .where('started_at', 'is', null)
      .execute();
    expect(pending).toHaveLength(1);
    expect(await submitTaskDue()).toBe('2026-12-01');
    // the next write (a move of another deadline) starts the pending change too
    const next = await admin('PUT', `${base}/plan-years/2027/deadlines/plan.approve`, {
      date: '2026-12-28',
      reason: 'Lùi hạn phê duyệt',
    });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    await w.client.workflow.getHandle(`calendar-change:${pending[0]!.id}`).result();
    await finished(next.body.propagationWorkflowId);
    expect(await submitTaskDue()).toBe('2026-12-04');
    expect(
      await db.selectFrom('calendar_change').select('id').where('started_at', 'is', null).execute(),
    ).toEqual([]);
  });
});
