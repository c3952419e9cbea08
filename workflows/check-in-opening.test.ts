// The monthly opening of check-ins (issue 6): the opening workflow starts the check-in workflow of every person
// with a key result due in the period in a plan in force — a personal plan's key results, or a unit plan's key
// results they own — so each gets exactly one 'check-in.submit' task; a person whose key results are not due
// that month gets none; a second run opens nothing more. Real PostgreSQL and a real worker on the dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInOpeningActivities } from '../activities/check-in-opening.ts';
import { createApp } from '../api/app.ts';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import { createPlanVersion } from '../db/queries/plans.ts';
import { vnInstant } from '../domain/calendar/vn-time.ts';
import type { KeyResult, Plan } from '../domain/plan/model.ts';
import { TEST_PROFILE } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../test/support/test-worker.ts';
import { checkInWorkflowId } from './check-in.messages.ts';
import { type CheckInOpeningResult, periodOpenedAt } from './check-in-opening.ts';
import { giaoBanWorkflowId } from './giao-ban.messages.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `checkin-opening-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;
const PERIOD = '2026-03';

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

async function planInForce(
  id: string,
  owner: Plan['owner'],
  unitId: string,
  keyResults: KeyResult[],
  inForce = true,
) {
  await db
    .insertInto('plan')
    .values({
      id,
      owner_kind: owner.kind,
      unit_id: unitId,
      person_id: owner.kind === 'person' ? owner.personId : null,
      year: 2026,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id,
    year: 2026,
    owner,
    tasks: [{ id: 't1', title: 'Nhiệm vụ', perspective: 'citizens', weight: '1', keyResults }],
  };
  const v = await createPlanVersion(db, {
    planId: id,
    content: { ...content, sections: [] },
    createdBy: 'test',
  });
  if (inForce) await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', id).execute();
}

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue, withClientInActivities: true });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  const p = f.person;
  // officialA: their personal plan's monthly key results.
  await planInForce(
    `plan:2026:person:${p.officialA}`,
    { kind: 'person', personId: p.officialA },
    f.unit.AD1,
    [kr('k-a'), kr('k-b')],
  );
  // staffA: a monthly key result they own in their agency's plan (the other one has no owner: nobody's).
  await planInForce(`plan:2026:unit:${f.unit.A}`, { kind: 'unit', unitId: f.unit.A }, f.unit.A, [
    kr('u-1', { ownerId: p.staffA }),
    kr('u-2'),
  ]);
  // leaverA: a yearly key result (due in December only); staffB: a plan not in force.
  await planInForce(`plan:2026:person:${p.leaverA}`, { kind: 'person', personId: p.leaverA }, f.unit.AD2, [
    kr('y-1', { cadence: 'year' }),
  ]);
  await planInForce(
    `plan:2026:person:${p.staffB}`,
    { kind: 'person', personId: p.staffB },
    f.unit.BD1,
    [kr('s-1')],
    false,
  );
});
afterAll(() => w?.stop());

const submitTasks = () =>
  db
    .selectFrom('task')
    .select(['id', 'assignee_person_id', 'subject_id'])
    .where('kind', '=', 'check-in.submit')
    .orderBy('id')
    .execute();

async function waitFor<T>(read: () => Promise<T>, ok: (t: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const t = await read();
    if (ok(t) || Date.now() > until) return t;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const runOpening = (args: { period?: string; provinceId?: string }): Promise<CheckInOpeningResult> =>
  w.client.workflow.execute('checkInOpeningWorkflow', {
    taskQueue,
    workflowId: `check-in-opening-test-${randomUUID()}`,
    args: [args],
  });

describe('check-in opening', () => {
  it('derives the period it opens from the start instant in Vietnam time: the month that just ended', () => {
    // 00:30 on 1 April in Hà Nội is still 31 March in UTC.
    expect(periodOpenedAt(vnInstant('2026-04-01', 0, 30))).toBe('2026-03');
    expect(periodOpenedAt(vnInstant('2027-01-01', 0, 30))).toBe('2026-12');
    expect(periodOpenedAt(vnInstant('2026-03-31', 23, 59))).toBe('2026-02');
  });

  it('opens one submit task per person with a key result due, none for the others, and nothing more on a rerun', async () => {
    const p = f.person;
    const first = await runOpening({ period: PERIOD, provinceId: f.unit.P });
    for (const id of [p.officialA, p.staffA]) w.started.push(checkInWorkflowId(PERIOD, id));
    expect(first).toMatchObject({ period: PERIOD, opened: 2, skipped: 0 });
    expect(first.nothingDue).toBeGreaterThan(0);

    const tasks = await waitFor(submitTasks, (t) => t.length >= 2);
    expect(tasks.map((t) => t.assignee_person_id).sort()).toEqual([p.officialA, p.staffA].sort());
    expect(tasks.map((t) => t.id).sort()).toEqual(
      [p.officialA, p.staffA].map((id) => `${checkInWorkflowId(PERIOD, id)}:submit`).sort(),
    );
    const rows = await db
      .selectFrom('check_in')
      .select(['id', 'person_id', 'status'])
      .where('period', '=', PERIOD)
      .execute();
    expect(rows.map((r) => r.person_id).sort()).toEqual([p.officialA, p.staffA].sort());
    expect(rows.every((r) => r.status === 'DRAFT')).toBe(true);
    expect(tasks.map((t) => t.subject_id).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const nobody of [p.leaverA, p.staffB, p.supervisorA])
      await expect(
        w.client.workflow.getHandle(checkInWorkflowId(PERIOD, nobody)).describe(),
      ).rejects.toThrow();

    // A second run (a retry, a catch-up): the same workflows, no new task, no new check-in.
    const second = await runOpening({ period: PERIOD, provinceId: f.unit.P });
    expect(second).toMatchObject({ period: PERIOD, opened: 2, skipped: 0, nothingDue: first.nothingDue });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await submitTasks()).toEqual(tasks);
    const again = await db.selectFrom('check_in').select('id').where('period', '=', PERIOD).execute();
    expect(again).toHaveLength(2);
  });

  it('starts the province’s giao ban of the quarter just ended and, on 1 December, the year-end session — once', async () => {
    // The 2026-03 openings above (1 April, run twice) started P's 2026-Q1 session once.
    const q1 = giaoBanWorkflowId(f.unit.P, '2026-Q1');
    w.started.push(q1);
    const d = await w.client.workflow.getHandle(q1).describe();
    expect(d.type).toBe('giaoBanWorkflow');
    const session = await waitFor(
      () =>
        db
          .selectFrom('giao_ban_session')
          .select(['session', 'session_date', 'workflow_id'])
          .where('province_id', '=', f.unit.P)
          .execute(),
      (r) => r.length > 0,
    );
    expect(session).toEqual([{ session: '2026-Q1', session_date: '2026-04-20', workflow_id: q1 }]);
    // The opening of 1 December (November opened) starts the year-end review session.
    const p = f.person;
    const nov = await runOpening({ period: '2026-11', provinceId: f.unit.P });
    for (const id of [p.officialA, p.staffA]) w.started.push(checkInWorkflowId('2026-11', id));
    const yearEnd = giaoBanWorkflowId(f.unit.P, '2026-year');
    w.started.push(yearEnd);
    expect(nov.period).toBe('2026-11');
    expect((await w.client.workflow.getHandle(yearEnd).describe()).type).toBe('giaoBanWorkflow');
    // The same run again finds the running session: still one run of it.
    const runId = (await w.client.workflow.getHandle(yearEnd).describe()).runId;
    await runOpening({ period: '2026-11', provinceId: f.unit.P });
    expect((await w.client.workflow.getHandle(yearEnd).describe()).runId).toBe(runId);
    // Other months start no session; a province without a calendar profile (Q) is skipped.
    const acts = checkInOpeningActivities({ db, temporal: w.client });
    expect(await acts.startGiaoBanSessions({ month: '2026-05', taskQueue })).toEqual({
      session: null,
      started: 0,
      skipped: [],
    });
    expect(await acts.startGiaoBanSessions({ month: '2026-11', provinceId: f.unit.Q, taskQueue })).toEqual({
      session: '2026-year',
      started: 0,
      skipped: [f.unit.Q],
    });
  });

  it('without a period (the schedule) opens the month before the current one in Vietnam time', async () => {
    // Province Q: nobody there has a plan, so nothing is started.
    const r = await runOpening({ provinceId: f.unit.Q });
    expect(r.period).toBe(periodOpenedAt(Date.now()));
    expect(r).toMatchObject({ opened: 0, skipped: 0 });
    expect(r.nothingDue).toBeGreaterThan(0);
  });
});
