// An administrator's deadline move reaching a running unit report or period assessment (issue 6; patches
// 'unit-report-move-deadlines' and 'period-assessment-move-deadlines'): the monthly report's open send task is
// re-dated when `verify.<period>` moves later, its ladder fires at the new dates only and its period lock follows;
// moved earlier so that it is overdue, its latest passed rung fires once; a move that would close the window in the
// past and a move without a reason are refused, a sent report's ended run takes none; the quarterly report follows a moved
// `quarter-report.<quarter>`; a period assessment waiting for `verify.<last month>` opens after the moved date, and
// its open confirm task follows a further move. Dev server, real PostgreSQL, the plan-year 2027 calendar on the test
// profile with a time warp (verify.2027-05 is Thu 10/6/2027, the monthly report due Mon 14/6).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { ensureAssessment } from '../db/queries/period-assessments.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { endOfVnDay } from '../domain/calendar/vn-time.ts';
import {
  type PlanPeople,
  seedPlanPeople,
  TEST_PROFILE,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { seedAssessedMonth } from '../test/support/period-assessment.ts';
import { until } from '../test/support/poll.ts';
import { workflowsPath } from '../worker/run.ts';
import { patchesOf } from './history-reading.ts';
import {
  getMonthlyReportState,
  type MonthlyUnitReportInput,
  type MoveReportDeadlinesArgs,
  monthlyUnitReportWorkflow,
  monthlyUnitReportWorkflowId,
  moveReportDeadlines,
  reportDates,
  reportLockDate,
  reportRungs,
  sendMonthlyReport,
} from './monthly-unit-report.ts';
import {
  getAssessmentState,
  moveAssessmentDeadlines,
  type PeriodAssessmentInput,
  periodAssessmentWorkflow,
  periodAssessmentWorkflowId,
} from './period-assessment.ts';
import {
  getQuarterlyReportState,
  quarterlyUnitReportWorkflow,
  quarterlyUnitReportWorkflowId,
} from './quarterly-unit-report.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
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

type Handle = ReturnType<Client['workflow']['getHandle']>;

const reportInput = (p: PlanPeople, period: string): MonthlyUnitReportInput => ({
  unitId: p.unitId,
  provinceId: p.provinceId,
  period,
  unitName: 'Sở Nội vụ',
  calendar: testCalendar(),
  profile: TEST_PROFILE,
  parties: {
    unitHead: { personId: p.head },
    secretariat: { role: 'secretariat', unitId: p.provinceId },
  },
  dueWorkingDays: 2,
});

async function withWorkflow(
  start: (p: PlanPeople, taskQueue: string) => Promise<string>,
  body: (ctx: { p: PlanPeople; handle: Handle }) => Promise<void>,
) {
  const p = await seedPlanPeople(db);
  const taskQueue = `report-move-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  await worker.runUntil(async () => {
    const workflowId = await start(p, taskQueue);
    const handle = client.workflow.getHandle(workflowId);
    try {
      await body({ p, handle });
    } finally {
      await handle.terminate('test over').catch(() => {});
    }
  });
}

const monthly = (fromDate: string, msPerDay: number) => async (p: PlanPeople, taskQueue: string) => {
  const workflowId = monthlyUnitReportWorkflowId('2027-05', p.unitId);
  const args: [MonthlyUnitReportInput] = [
    { ...reportInput(p, '2027-05'), timeWarp: warpFrom(fromDate, msPerDay) },
  ];
  await client.workflow.start(monthlyUnitReportWorkflow, { taskQueue, workflowId, args });
  return workflowId;
};

const subjectOf = (p: PlanPeople, period = '2027-05') => `${p.unitId}:${period}`;
const openOf = async (type: string, id: string) =>
  (await tasksOfSubject(db, type, id)).filter((t) => t.status === 'open');
const ladderOf = async (type: string, id: string) =>
  (await eventsOfSubject(db, type, id))
    .filter((e) => e.kind === 'reminded' || e.kind === 'overdue-reminded' || e.kind === 'escalated')
    .map((e) => [e.kind, e.recipient_role, e.logical_date]);
const auditOf = (type: string, id: string, action: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'after'])
    .where('aggregate_type', '=', type)
    .where('aggregate_id', '=', id)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
const move = (
  overrides: Record<string, string>,
  reason = 'Theo chỉ đạo của UBND tỉnh',
): MoveReportDeadlinesArgs => ({
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
const ACTION = { remind: 'reminded', 'overdue-remind': 'overdue-reminded', escalate: 'escalated' } as const;

describe('the moved report dates (pure)', () => {
  it('a moved verify date moves the opening, the due date, the ladder and the lock', () => {
    const p = { unitId: 'u', provinceId: 'p', head: 'h' } as PlanPeople;
    const input = {
      ...reportInput(p, '2027-05'),
      calendar: testCalendar({ 'verify.2027-05': '2027-06-17' }),
    };
    expect(reportDates(input)).toMatchObject({
      windowClosesOn: '2027-06-17',
      opensOn: '2027-06-18',
      dueDate: '2027-06-21',
    });
    const rungs = reportRungs(input, '2027-06-21');
    expect(rungs.map((r) => r.date)).toEqual([
      '2027-06-16',
      '2027-06-18',
      '2027-06-21',
      '2027-06-22',
      '2027-06-23',
      '2027-06-24',
      '2027-06-29',
    ]);
    expect(reportLockDate(input, '2027-06-21', rungs)).toBe('2027-06-30');
  });
});

describe.concurrent('deadline moves reaching unit reports and period assessments (dev server, compressed calendar)', () => {
  it('a later verify date: the open report task is re-dated, its ladder fires at the new dates only, the lock follows', async () => {
    // From Fri 11/6 09:00 (the task is open, due Mon 14/6) at 0.8 s per virtual day.
    await withWorkflow(monthly('2027-06-11', 800), async ({ p, handle }) => {
      const subject = subjectOf(p);
      const first = await until('send task', async () => (await openOf('monthly_unit_report', subject))[0]);
      expect(first.logical_due_date).toBe('2027-06-14');
      const args = move({ 'verify.2027-05': '2027-06-17' });
      const updateId = `move:${randomUUID()}`;
      const r = await handle.executeUpdate(moveReportDeadlines, { args: [args], updateId });
      expect(r).toMatchObject({
        phase: 'OPEN',
        opensOn: '2027-06-18',
        dueDate: '2027-06-21',
        lockOn: '2027-06-30',
        redated: [{ taskId: first.id, from: '2027-06-14', to: '2027-06-21' }],
      });
      // The same update id again: the first answer, nothing written twice.
      expect(await handle.executeUpdate(moveReportDeadlines, { args: [args], updateId })).toEqual(r);
      const [task] = await openOf('monthly_unit_report', subject);
      expect([task!.id, task!.logical_due_date]).toEqual([first.id, '2027-06-21']);
      expect(task!.due_at.getTime()).toBe(endOfVnDay('2027-06-21'));
      const moved = await auditOf('monthly_unit_report', subject, 'report.monthly.deadlines-moved');
      expect(moved).toHaveLength(1);
      expect(moved[0]).toMatchObject({
        actor: 'admin-1',
        after: { dueDate: '2027-06-21', lockOn: '2027-06-30', reason: 'Theo chỉ đạo của UBND tỉnh' },
      });
      expect(await auditOf('monthly_unit_report', subject, 'task.rescheduled')).toHaveLength(1);
      // Sending before the moved verification window has closed is refused.
      await rejectedWith(
        handle.executeUpdate(sendMonthlyReport, { args: [{ by: p.head }] }),
        /WINDOW_NOT_CLOSED/,
      );

      const state = await until('locked', async () => {
        const s = await handle.query(getMonthlyReportState);
        return s.phase === 'LOCKED' && s;
      });
      expect(state.locked).toEqual({ date: '2027-06-30', number: 1 });
      // Every rung of the new due date (D−3 16/6 … the secretariat's D+6 29/6); none of the old one (14/6 …).
      const moved2 = { ...reportInput(p, '2027-05'), calendar: args.calendar };
      expect(await ladderOf('monthly_unit_report', subject)).toEqual(
        reportRungs(moved2, '2027-06-21').map((x) => [
          ACTION[x.action],
          x.action === 'escalate' ? x.recipientRole : 'unit-head',
          x.date,
        ]),
      );
      // A locked report is past any move.
      await rejectedWith(
        handle.executeUpdate(moveReportDeadlines, { args: [move({ 'verify.2027-05': '2027-07-01' })] }),
        /NOT_MOVABLE: .*đã khóa/,
      );
    });
  });

  it('an earlier verify date making the report overdue fires its latest passed rung once; the lock follows', async () => {
    // From Wed 16/6 09:00 (D+2 of 14/6; the late start skipped the past rungs) at 12 s per virtual day.
    await withWorkflow(monthly('2027-06-16', 12_000), async ({ p, handle }) => {
      const subject = subjectOf(p);
      await until('send task', async () => (await openOf('monthly_unit_report', subject))[0]);
      // Moved so far back that the window would already have closed (due 3/6, locked from 14/6): refused.
      await rejectedWith(
        handle.executeUpdate(moveReportDeadlines, { args: [move({ 'verify.2027-05': '2027-06-01' })] }),
        /NOT_MOVABLE: .*khóa từ 14\/06\/2027/,
      );
      await rejectedWith(
        handle.executeUpdate(moveReportDeadlines, { args: [move({ 'verify.2027-05': '2027-06-03' }, ' ')] }),
        /REASON_REQUIRED/,
      );
      expect((await openOf('monthly_unit_report', subject))[0]!.logical_due_date).toBe('2027-06-14');
      // verify 3/6 → due Mon 7/6: every rung is past (the last, the secretariat's D+6, on 15/6), the lock at the
      // end of Wed 16/6.
      const r = await handle.executeUpdate(moveReportDeadlines, {
        args: [move({ 'verify.2027-05': '2027-06-03' })],
      });
      expect(r).toMatchObject({ dueDate: '2027-06-07', lockOn: '2027-06-16' });
      const escalated = await until('catch-up escalation', async () => {
        const ev = (await eventsOfSubject(db, 'monthly_unit_report', subject)).filter(
          (e) => e.kind === 'escalated',
        );
        return ev.length > 0 && ev;
      });
      expect(escalated.map((e) => [e.recipient_role, e.logical_date])).toEqual([
        ['secretariat', '2027-06-15'],
      ]);
      const [task] = await openOf('monthly_unit_report', subject);
      expect([task!.logical_due_date, task!.escalation_level]).toEqual(['2027-06-07', 4]);
      const state = await until('locked', async () => {
        const s = await handle.query(getMonthlyReportState);
        return s.phase === 'LOCKED' && s;
      });
      expect(state.locked?.date).toBe('2027-06-16');
      // The latest passed rung fired once; the reminders and overdue reminders of the new date were skipped.
      expect(await ladderOf('monthly_unit_report', subject)).toEqual([
        ['escalated', 'secretariat', '2027-06-15'],
      ]);
    });
  });

  it('a report still waiting opens after the moved verify date; a sent report’s run takes no move', async () => {
    // From Mon 7/6 09:00 (the window closes 10/6) at 1 s per virtual day.
    await withWorkflow(monthly('2027-06-07', 1000), async ({ p, handle }) => {
      const subject = subjectOf(p);
      const r = await handle.executeUpdate(moveReportDeadlines, {
        args: [move({ 'verify.2027-05': '2027-06-08' })],
      });
      expect(r).toEqual({ phase: 'WAITING', opensOn: '2027-06-09', dueDate: '2027-06-10', redated: [] });
      expect(await openOf('monthly_unit_report', subject)).toEqual([]);
      // The task opens with the new window (end of 8/6), due 10/6 (the old one would have been 14/6).
      const task = await until('send task', async () => (await openOf('monthly_unit_report', subject))[0]);
      expect(task.logical_due_date).toBe('2027-06-10');
      expect((await handle.query(getMonthlyReportState)).opensOn).toBe('2027-06-09');
      await handle.executeUpdate(sendMonthlyReport, { args: [{ by: p.head }] });
      // A sent report's run has ended: a move finds no running workflow (the propagation skips it as not running).
      const e = await handle
        .executeUpdate(moveReportDeadlines, { args: [move({ 'verify.2027-05': '2027-06-09' })] })
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      expect(e).toBeInstanceOf(WorkflowNotFoundError);
      expect(await auditOf('monthly_unit_report', subject, 'report.monthly.deadlines-moved')).toHaveLength(1);
    });
  });

  it('the quarterly report follows a moved quarter-report date', async () => {
    const quarterly = async (p: PlanPeople, taskQueue: string) => {
      const workflowId = quarterlyUnitReportWorkflowId('2027-Q2', p.unitId);
      const args: [MonthlyUnitReportInput] = [
        { ...reportInput(p, '2027-Q2'), timeWarp: warpFrom('2027-07-01', 600_000) },
      ];
      await client.workflow.start(quarterlyUnitReportWorkflow, { taskQueue, workflowId, args });
      return workflowId;
    };
    await withWorkflow(quarterly, async ({ p, handle }) => {
      const subject = subjectOf(p, '2027-Q2');
      const first = await until('send task', async () => (await openOf('quarterly_unit_report', subject))[0]);
      expect(first.logical_due_date).toBe('2027-07-12');
      const r = await handle.executeUpdate(moveReportDeadlines, {
        args: [move({ 'quarter-report.2027-Q2': '2027-07-16' })],
      });
      expect(r).toMatchObject({
        phase: 'OPEN',
        dueDate: '2027-07-16',
        redated: [{ taskId: first.id, from: '2027-07-12', to: '2027-07-16' }],
      });
      const [task] = await openOf('quarterly_unit_report', subject);
      expect(task!.logical_due_date).toBe('2027-07-16');
      expect((await handle.query(getQuarterlyReportState)).dueDate).toBe('2027-07-16');
      expect(
        await auditOf('quarterly_unit_report', subject, 'report.quarterly.deadlines-moved'),
      ).toHaveLength(1);
    });
  });

  it('a period assessment waiting for verify opens after the moved date; its open task follows a further move', async () => {
    let assessmentId = '';
    const assessment = async (p: PlanPeople, taskQueue: string) => {
      await seedAssessedMonth(db, {
        personId: p.drafter,
        unitId: p.unitId,
        supervisorId: p.supervisor,
        month: '2027-03',
        dueDate: '2027-04-05',
        lateDays: 0,
      });
      const row = await ensureAssessment(db, { personId: p.drafter, unitId: p.unitId, period: '2027-03' });
      assessmentId = row.id;
      const input: PeriodAssessmentInput = {
        assessmentId: row.id,
        personId: p.drafter,
        unitId: p.unitId,
        period: '2027-03',
        calendar: testCalendar(),
        profile: TEST_PROFILE,
        parties: {
          person: { personId: p.drafter },
          supervisor: { personId: p.supervisor },
          unitHead: { personId: p.head },
        },
        // From Tue 6/4 09:00 (verify.2027-03 is Thu 8/4: the task would open Fri 9/4) at 1 s per virtual day.
        timeWarp: warpFrom('2027-04-06', 1000),
      };
      const workflowId = periodAssessmentWorkflowId('2027-03', p.drafter);
      await client.workflow.start(periodAssessmentWorkflow, { taskQueue, workflowId, args: [input] });
      return workflowId;
    };
    await withWorkflow(assessment, async ({ handle }) => {
      expect((await handle.query(getAssessmentState)).opensOn).toBe('2027-04-09');
      const r = await handle.executeUpdate(moveAssessmentDeadlines, {
        args: [move({ 'verify.2027-03': '2027-04-12' })],
      });
      expect(r).toEqual({ phase: 'WAITING', opensOn: '2027-04-13', redated: [] });
      // Opened on the working day after the moved verify date: due 5 working days later (20/4, not 16/4).
      const task = await until(
        'confirm task',
        async () => (await openOf('period_assessment', assessmentId))[0],
      );
      expect([task.kind, task.logical_due_date]).toEqual(['assessment.confirm', '2027-04-20']);
      const state = await handle.query(getAssessmentState);
      expect([state.phase, state.opensOn]).toEqual(['OPEN', '2027-04-13']);

      // verify.2027-03 moves once more (Tue 13/4): the open confirm task follows (due Wed 21/4).
      const r2 = await handle.executeUpdate(moveAssessmentDeadlines, {
        args: [move({ 'verify.2027-03': '2027-04-13' })],
      });
      expect(r2).toMatchObject({
        phase: 'OPEN',
        opensOn: '2027-04-14',
        redated: [{ taskId: task.id, from: '2027-04-20', to: '2027-04-21' }],
      });
      const [after] = await openOf('period_assessment', assessmentId);
      expect([after!.id, after!.logical_due_date]).toEqual([task.id, '2027-04-21']);
      const audited = await auditOf('period_assessment', assessmentId, 'period_assessment.deadlines-moved');
      expect(audited.map((a) => (a.after as { opensOn: string }).opensOn)).toEqual([
        '2027-04-13',
        '2027-04-14',
      ]);
      await rejectedWith(
        handle.executeUpdate(moveAssessmentDeadlines, {
          args: [{ ...move({}), calendar: { ...testCalendar(), planYear: 2026 } }],
        }),
        /năm kế hoạch/,
      );
    });
  });
});

// biome-ignore lint/suspicious/noExplicitAny: recorded history JSON
type Json = Record<string, any>;

describe('recorded histories of report and assessment deadline moves (scripts/record-histories.ts)', () => {
  const load = (file: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'histories', file), 'utf8'));
  const markers = (h: { events: Json[] }) => patchesOf(h.events);
  const updates = (h: { events: Json[] }) =>
    h.events
      .filter((e: Json) => e.workflowExecutionUpdateAcceptedEventAttributes)
      .map((e: Json) => e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest.input.name);
  it.each([
    [
      'monthlyUnitReport-moved-v3.json',
      'unit-report-move-deadlines',
      ['moveReportDeadlines', 'moveReportDeadlines', 'sendMonthlyReport'],
    ],
    [
      'periodAssessment-moved-v2.json',
      'period-assessment-move-deadlines',
      ['moveAssessmentDeadlines', 'moveAssessmentDeadlines', 'confirmAssessment'],
    ],
    [
      'periodAssessment-moved-v3.json',
      'period-assessment-move-deadlines',
      ['moveAssessmentDeadlines', 'moveAssessmentDeadlines', 'confirmAssessment'],
    ],
    [
      'periodAssessment-moved-v4.json',
      'period-assessment-move-deadlines',
      ['moveAssessmentDeadlines', 'moveAssessmentDeadlines', 'confirmAssessment'],
    ],
    ['calendarChange-reports-v3.json', 'calendar-change-reports', []],
  ])('%s carries its patch and replays', async (file, patch, names) => {
    const h = load(file);
    expect(markers(h)).toContain(patch);
    expect(updates(h)).toEqual(names);
    await expect(
      Worker.runReplayHistory({ workflowBundle: bundle, replayName: file }, h),
    ).resolves.toBeUndefined();
  });
});
