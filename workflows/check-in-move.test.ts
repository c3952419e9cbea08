// An administrator's deadline move reaching a running check-in (issue 6; patch 'check-in-move-deadlines'): the
// moveCheckInDeadlines Update re-dates the open submit task, re-plans its ladder (a later date: the reminders and
// escalations fire at the new date, never the old one; an earlier one making the item overdue: its latest passed
// rung fires once), moves the period lock with the deadline, re-dates an open verification, audits the move once
// per update id, and is refused once the run is past the change. Dev server, real PostgreSQL, the plan-year 2027
// calendar on the test profile with a time warp (check-in.2027-03 is due Monday 5/4/2027).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { checkInSnapshot, createCheckInVersion, valuesOfCheckIn } from '../db/queries/check-ins.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { endOfVnDay } from '../domain/calendar/vn-time.ts';
import {
  draftVersion,
  type PlanPeople,
  seedPlanPeople,
  TEST_PROFILE,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { until } from '../test/support/poll.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  type CheckInInput,
  checkInWorkflow,
  checkInWorkflowId,
  getCheckInState,
  type MoveCheckInDeadlinesArgs,
  moveCheckInDeadlines,
  submitCheckIn,
} from './check-in.ts';
import { patchesOf } from './history-reading.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const PERIOD = '2027-03';
let bundle: WorkflowBundleWithSourceMap;
let client: Client;
let native: NativeConnection;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const address = inject('temporalAddress');
  client = new Client({ connection: await Connection.connect({ address }) });
  native = await NativeConnection.connect({ address });
});
afterAll(async () => {
  await client?.connection.close();
  await native?.close();
});

interface Ctx {
  p: PlanPeople;
  checkInId: string;
  handle: ReturnType<Client['workflow']['getHandle']>;
}

async function seedCheckIn(p: PlanPeople) {
  const v = await draftVersion(db, p);
  const ci = await db
    .insertInto('check_in')
    .values({ person_id: p.drafter, unit_id: p.unitId, period: PERIOD, workflow_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('check_in_value')
    .values({
      check_in_id: ci.id,
      plan_id: v.plan_id,
      plan_version_id: v.id,
      key_result_id: 'kr-a',
      value: '10',
      kr_status: 'on-track',
      updated_by: p.drafter,
    })
    .execute();
  return ci.id;
}

async function freeze(checkInId: string, by: string) {
  const row = await db
    .selectFrom('check_in')
    .selectAll()
    .where('id', '=', checkInId)
    .executeTakeFirstOrThrow();
  const content = checkInSnapshot(row, await valuesOfCheckIn(db, checkInId));
  return createCheckInVersion(db, { checkInId, content, createdBy: by });
}

async function withCheckIn(opts: { fromDate: string; msPerDay: number }, body: (ctx: Ctx) => Promise<void>) {
  const p = await seedPlanPeople(db);
  const checkInId = await seedCheckIn(p);
  const taskQueue = `checkin-move-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  const workflowId = checkInWorkflowId(PERIOD, p.drafter);
  const input: CheckInInput = {
    checkInId,
    personId: p.drafter,
    unitId: p.unitId,
    period: PERIOD,
    personName: 'Nguyễn Văn Soạn',
    calendar: testCalendar(),
    profile: TEST_PROFILE,
    parties: {
      person: { personId: p.drafter },
      supervisor: { personId: p.supervisor },
      unitHead: { personId: p.head },
    },
    verifyWorkingDays: 3,
    timeWarp: warpFrom(opts.fromDate, opts.msPerDay),
  };
  await worker.runUntil(async () => {
    await client.workflow.start(checkInWorkflow, { taskQueue, workflowId, args: [input] });
    const handle = client.workflow.getHandle(workflowId);
    try {
      await body({ p, checkInId, handle });
    } finally {
      await handle.terminate('test over').catch(() => {});
    }
  });
}

const tasks = (checkInId: string) => tasksOfSubject(db, 'check_in', checkInId);
const events = (checkInId: string) => eventsOfSubject(db, 'check_in', checkInId);
const openOf = async (checkInId: string) => (await tasks(checkInId)).filter((t) => t.status === 'open');
const checkInRow = (id: string) =>
  db.selectFrom('check_in').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditOf = (id: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'after'])
    .where('aggregate_type', '=', 'check_in')
    .where('aggregate_id', '=', id)
    .orderBy('seq')
    .execute();
const ladderEvents = async (checkInId: string) =>
  (await events(checkInId))
    .filter((e) => e.kind === 'reminded' || e.kind === 'overdue-reminded' || e.kind === 'escalated')
    .map((e) => [e.kind, e.recipient_role, e.logical_date]);
const move = (
  overrides: Record<string, string>,
  reason = 'Theo chỉ đạo của UBND tỉnh',
): MoveCheckInDeadlinesArgs => ({
  calendar: testCalendar(overrides),
  by: 'admin-1',
  reason,
});
const rejectedWith = async (p: Promise<unknown>, text: RegExp) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(String((e as WorkflowUpdateFailedError).cause?.message)).toMatch(text);
};

describe.concurrent('check-in workflow: deadline moves (dev server, compressed calendar)', () => {
  it('a later submit date: the task is re-dated, the ladder fires at the new dates only, the lock follows', async () => {
    // From Thu 25/3 at 1.2 s per virtual day: the old D−3 reminder (31/3) is six virtual days away.
    await withCheckIn({ fromDate: '2027-03-25', msPerDay: 1200 }, async ({ checkInId, handle }) => {
      const first = await until('submit task', async () => (await openOf(checkInId))[0]);
      expect(first.logical_due_date).toBe('2027-04-05');
      const updateId = `move:${randomUUID()}`;
      const args = move({ 'check-in.2027-03': '2027-04-12' });
      const r = await handle.executeUpdate(moveCheckInDeadlines, { args: [args], updateId });
      expect(r).toMatchObject({
        phase: 'OPEN',
        submitDate: '2027-04-12',
        windowClosesOn: '2027-04-19',
        redated: [{ taskId: first.id, from: '2027-04-05', to: '2027-04-12' }],
      });
      // The same update id again: the first answer, nothing written twice.
      expect(await handle.executeUpdate(moveCheckInDeadlines, { args: [args], updateId })).toEqual(r);
      const [task] = await openOf(checkInId);
      expect(task!.id).toBe(first.id);
      expect(task!.logical_due_date).toBe('2027-04-12');
      expect(task!.due_at.getTime()).toBe(endOfVnDay('2027-04-12'));
      const moved = (await auditOf(checkInId)).filter((a) => a.action === 'check-in.deadlines-moved');
      expect(moved).toHaveLength(1);
      expect(moved[0]).toMatchObject({
        actor: 'admin-1',
        after: {
          submitDate: '2027-04-12',
          windowClosesOn: '2027-04-19',
          reason: 'Theo chỉ đạo của UBND tỉnh',
        },
      });
      expect((await events(checkInId)).filter((e) => e.kind === 'deadline-moved')).toHaveLength(1);
      expect((await handle.query(getCheckInState)).windowClosesOn).toBe('2027-04-19');

      // The period locks at the end of the new D+5 (Mon 19/4), not the old one (12/4).
      const row = await until('locked', async () => {
        const x = await checkInRow(checkInId);
        return x.status === 'LOCKED' && x;
      });
      expect(row.status).toBe('LOCKED');
      const locked = (await auditOf(checkInId)).find((a) => a.action === 'check-in.locked');
      expect(locked?.after).toMatchObject({ windowClosedOn: '2027-04-19' });
      // Every rung at the new date (D−3 7/4 … unit head 16/4); none at the old one (31/3 … 9/4).
      expect(await ladderEvents(checkInId)).toEqual([
        ['reminded', 'person', '2027-04-07'],
        ['reminded', 'person', '2027-04-09'],
        ['reminded', 'person', '2027-04-12'],
        ['overdue-reminded', 'person', '2027-04-13'],
        ['overdue-reminded', 'person', '2027-04-14'],
        ['escalated', 'supervisor', '2027-04-14'],
        ['overdue-reminded', 'person', '2027-04-15'],
        ['escalated', 'unit-head', '2027-04-16'],
      ]);
      expect((await handle.query(getCheckInState)).misses).toEqual([
        { step: 'submit', role: 'person', date: '2027-04-19' },
      ]);
      // A locked period is past any move: refused with the reason.
      await rejectedWith(
        handle.executeUpdate(moveCheckInDeadlines, { args: [move({ 'check-in.2027-03': '2027-04-20' })] }),
        /đã khóa/,
      );
    });
  });

  it('an earlier submit date making the item overdue fires its latest passed rung once; the lock follows', async () => {
    // From Tue 6/4 (D+1 of 5/4) at 6 s per virtual day: the late start skipped every rung already past.
    await withCheckIn({ fromDate: '2027-04-06', msPerDay: 6000 }, async ({ checkInId, handle }) => {
      await until('submit task', async () => (await openOf(checkInId))[0]);
      // Moved so far back that the window (D+5) would already have closed: refused, nothing changes.
      await rejectedWith(
        handle.executeUpdate(moveCheckInDeadlines, { args: [move({ 'check-in.2027-03': '2027-03-26' })] }),
        /khóa từ 02\/04\/2027/,
      );
      expect((await openOf(checkInId))[0]!.logical_due_date).toBe('2027-04-05');
      // A move without a reason is refused.
      await rejectedWith(
        handle.executeUpdate(moveCheckInDeadlines, {
          args: [move({ 'check-in.2027-03': '2027-03-31' }, ' ')],
        }),
        /lý do/,
      );

      const r = await handle.executeUpdate(moveCheckInDeadlines, {
        args: [move({ 'check-in.2027-03': '2027-03-31' })],
      });
      expect(r).toMatchObject({ submitDate: '2027-03-31', windowClosesOn: '2027-04-07' });
      const escalated = await until('catch-up escalation', async () => {
        const ev = (await events(checkInId)).filter((e) => e.kind === 'escalated');
        return ev.length > 0 && ev;
      });
      const [task] = await openOf(checkInId);
      expect(task!.logical_due_date).toBe('2027-03-31');
      expect(task!.escalation_level).toBe(2);
      // The window now closes at the end of Wed 7/4 (D+5 of 31/3): locked then.
      await until('locked', async () => (await checkInRow(checkInId)).status === 'LOCKED');
      const locked = (await auditOf(checkInId)).find((a) => a.action === 'check-in.locked');
      expect(locked?.after).toMatchObject({ windowClosedOn: '2027-04-07' });
      // Under the new date every rung was past at the move (the last, the unit head's D+4, on 6/4): it alone fired,
      // once; the supervisor's (2/4) and the reminders were skipped.
      expect(escalated.map((e) => [e.recipient_role, e.logical_date])).toEqual([['unit-head', '2027-04-06']]);
      expect(await ladderEvents(checkInId)).toEqual([['escalated', 'unit-head', '2027-04-06']]);
    });
  });

  it('a submitted check-in: the open verification follows the deadline and a moved verify date', async () => {
    await withCheckIn({ fromDate: '2027-04-01', msPerDay: 600_000 }, async ({ p, checkInId, handle }) => {
      await until('submit task', async () => (await openOf(checkInId))[0]);
      const v = await freeze(checkInId, p.drafter);
      await handle.executeUpdate(submitCheckIn, { args: [{ by: p.drafter, versionId: v.id, hash: v.hash }] });
      const verify = (await openOf(checkInId))[0]!;
      expect([verify.kind, verify.logical_due_date]).toEqual(['check-in.verify', '2027-04-08']);

      // The deadline moved to Wed 7/4: an early submission is verified 3 working days after it (Mon 12/4).
      const r = await handle.executeUpdate(moveCheckInDeadlines, {
        args: [move({ 'check-in.2027-03': '2027-04-07' })],
      });
      expect(r).toMatchObject({
        phase: 'SUBMITTED',
        submitDate: '2027-04-07',
        redated: [{ taskId: verify.id, from: '2027-04-08', to: '2027-04-12' }],
      });
      expect((await openOf(checkInId)).map((t) => [t.id, t.logical_due_date])).toEqual([
        [verify.id, '2027-04-12'],
      ]);
      // The administrator moves verify.2027-03 too (Wed 14/4): the on-time submission is verified by that date.
      await handle.executeUpdate(moveCheckInDeadlines, {
        args: [move({ 'check-in.2027-03': '2027-04-07', 'verify.2027-03': '2027-04-14' })],
      });
      expect((await openOf(checkInId)).map((t) => t.logical_due_date)).toEqual(['2027-04-14']);
      expect((await checkInRow(checkInId)).status).toBe('SUBMITTED');
      const actions = (await auditOf(checkInId)).map((a) => a.action);
      expect(actions.filter((a) => a === 'check-in.deadlines-moved')).toHaveLength(2);
      expect(actions.filter((a) => a === 'task.rescheduled')).toHaveLength(2);
      // A calendar of another plan year is refused.
      await rejectedWith(
        handle.executeUpdate(moveCheckInDeadlines, {
          args: [{ ...move({}), calendar: { ...testCalendar(), planYear: 2026 } }],
        }),
        /năm kế hoạch/,
      );
    });
  });
});

// biome-ignore lint/suspicious/noExplicitAny: recorded history JSON
type Json = Record<string, any>;

describe('recorded histories of deadline moves (scripts/record-histories.ts)', () => {
  const load = (file: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'histories', file), 'utf8'));
  const markers = (h: { events: Json[] }) => patchesOf(h.events);
  it.each([
    'checkIn-moved-v3.json',
    'checkIn-moved-v4.json',
    'checkIn-moved-v5.json',
    'checkIn-moved-v6.json',
  ])('the check-in fixture %s carries the move Update behind its patch, and replays', async (file) => {
    const h = load(file);
    expect(markers(h)).toContain('check-in-move-deadlines');
    const updates = h.events
      .filter((e: Json) => e.workflowExecutionUpdateAcceptedEventAttributes)
      .map((e: Json) => e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.name);
    expect(updates).toEqual(['moveCheckInDeadlines', 'submitCheckIn', 'verifyCheckIn']);
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'moved' }, h),
    ).resolves.toBeUndefined();
  });
  it('the calendar-change fixture tells the check-ins behind its patch, and replays', async () => {
    const h = load('calendarChange-check-ins-v2.json');
    expect(markers(h)).toContain('calendar-change-check-ins');
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'calendar change' }, h),
    ).resolves.toBeUndefined();
  });
});
