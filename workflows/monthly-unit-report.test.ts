// The monthly unit report workflow (DESIGN §3 "The unit's monthly result is a report to print, sign and stamp"),
// a unit-level item (DESIGN §1): the unit head's task opens after the month's verification window; sending
// before it closes, or by someone else than the unit head, is refused; the unit head's send freezes the report
// (the PDF and the Excel file with their sha256, audited) and notifies the secretariat; a missed report climbs
// to the provincial secretariat at D+6 — "a unit-level item reaching the secretariat" (issue 6 point 7). Dev
// server, real PostgreSQL, the plan-year 2027 calendar of the test profile with a time warp; assertions are on
// logical dates (the verification of 2027-05 closes Thursday 10/6/2027; the report is due Monday 14/6).
import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import {
  type PlanPeople,
  seedPlanPeople,
  TEST_PROFILE,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  getMonthlyReportState,
  MONTHLY_REPORT_TASK_KIND,
  type MonthlyUnitReportInput,
  monthlyUnitReportWorkflow,
  monthlyUnitReportWorkflowId,
  reportDates,
  reportRungs,
  sendMonthlyReport,
} from './monthly-unit-report.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const PERIOD = '2027-05';
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

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const inputFor = (p: PlanPeople, headsManager?: string): MonthlyUnitReportInput => ({
  unitId: p.unitId,
  provinceId: p.provinceId,
  period: PERIOD,
  unitName: 'Sở Nội vụ',
  calendar: testCalendar(),
  profile: TEST_PROFILE,
  parties: {
    unitHead: { personId: p.head },
    secretariat: { role: 'secretariat', unitId: p.provinceId },
    ...(headsManager ? { headsManager: { personId: headsManager } } : {}),
  },
  dueWorkingDays: 2,
});

interface Ctx {
  p: PlanPeople;
  subjectId: string;
  handle: ReturnType<Client['workflow']['getHandle']>;
}

async function withReport(opts: { fromDate: string; msPerDay: number }, body: (ctx: Ctx) => Promise<void>) {
  const p = await seedPlanPeople(db);
  const taskQueue = `unit-report-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  const workflowId = monthlyUnitReportWorkflowId(PERIOD, p.unitId);
  const input = { ...inputFor(p), timeWarp: warpFrom(opts.fromDate, opts.msPerDay) };
  await worker.runUntil(async () => {
    await client.workflow.start(monthlyUnitReportWorkflow, { taskQueue, workflowId, args: [input] });
    const handle = client.workflow.getHandle(workflowId);
    try {
      await body({ p, subjectId: `${p.unitId}:${PERIOD}`, handle });
    } finally {
      await handle.terminate('test over').catch(() => {});
    }
  });
}

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((e as WorkflowUpdateFailedError).cause?.message ?? '');
};

describe('the unit report dates and ladder (pure)', () => {
  it('opens the day after the verification window, due 2 working days later, with the unit-level ladder', () => {
    const p = { unitId: 'u', provinceId: 'p', head: 'h' } as unknown as PlanPeople;
    const d = reportDates(inputFor(p));
    expect([d.windowClosesOn, d.opensOn, d.dueDate]).toEqual(['2027-06-10', '2027-06-11', '2027-06-14']);
    const rungs = reportRungs(inputFor(p), d.dueDate);
    expect(rungs.filter((r) => r.action === 'escalate').map((r) => [r.recipientRole, r.date])).toEqual([
      ['secretariat', '2027-06-22'],
    ]);
    expect(rungs.filter((r) => r.action === 'remind').map((r) => r.date)).toEqual([
      '2027-06-09',
      '2027-06-11',
      '2027-06-14',
    ]);
    // With a level that manages heads: the supervisor rung (D+2) goes to it; never to the unit head itself.
    const withManager = reportRungs(inputFor(p, 'm'), d.dueDate).filter((r) => r.action === 'escalate');
    expect(withManager.map((r) => [r.recipientRole, r.offset])).toEqual([
      ['heads-manager', 2],
      ['secretariat', 6],
    ]);
  });
});

describe.concurrent('monthly unit report workflow (dev server, compressed calendar)', () => {
  it('opens the unit head’s task after the verification window; the head’s send freezes the report', async () => {
    await withReport({ fromDate: '2027-06-10', msPerDay: 4000 }, async ({ p, subjectId, handle }) => {
      // Still inside the verification window (10/6): no task, a send is refused.
      expect(await tasksOfSubject(db, 'monthly_unit_report', subjectId)).toEqual([]);
      expect(await refusal(handle.executeUpdate(sendMonthlyReport, { args: [{ by: p.head }] }))).toContain(
        'WINDOW_NOT_CLOSED',
      );
      const task = await until(
        'report task',
        async () => (await tasksOfSubject(db, 'monthly_unit_report', subjectId))[0],
      );
      expect(task.kind).toBe(MONTHLY_REPORT_TASK_KIND);
      expect(task.assignee_person_id).toBe(p.head);
      expect(task.logical_due_date).toBe('2027-06-14');
      expect(task.status).toBe('open');
      const opened = await db
        .selectFrom('notification')
        .select(['person_id', 'title_vi'])
        .where('kind', '=', 'report.monthly.task')
        .where('person_id', '=', p.head)
        .execute();
      expect(opened[0]?.title_vi).toContain('Ký và gửi báo cáo tháng 2027-05 của đơn vị');

      // Only the unit head signs and sends.
      expect(
        await refusal(handle.executeUpdate(sendMonthlyReport, { args: [{ by: p.supervisor }] })),
      ).toContain('NOT_UNIT_HEAD');
      expect(
        await db
          .selectFrom('monthly_unit_report')
          .select('unit_id')
          .where('unit_id', '=', p.unitId)
          .execute(),
      ).toEqual([]);

      const updateId = `send:${randomUUID()}`;
      const r = await handle.executeUpdate(sendMonthlyReport, {
        args: [{ by: p.head, number: '7' }],
        updateId,
      });
      expect(r.phase).toBe('SENT');
      const row = await db
        .selectFrom('monthly_unit_report')
        .selectAll()
        .where('unit_id', '=', p.unitId)
        .where('period', '=', PERIOD)
        .executeTakeFirstOrThrow();
      expect(row.sent_by).toBe(p.head);
      expect(row.number).toBe('7');
      expect(row.report_date).toBe(r.date);
      expect(row.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(row.xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
      expect(createHash('sha256').update(row.pdf).digest('hex')).toBe(r.pdfSha256);
      expect(createHash('sha256').update(row.xlsx).digest('hex')).toBe(r.xlsxSha256);
      // The same update id again answers the first result (a double click).
      const again = await handle
        .executeUpdate(sendMonthlyReport, { args: [{ by: p.head, number: '7' }], updateId })
        .catch(() => 'completed');
      if (again !== 'completed') expect(again).toEqual(r);

      expect((await tasksOfSubject(db, 'monthly_unit_report', subjectId)).map((t) => t.status)).toEqual([
        'done',
      ]);
      const audits = await db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('aggregate_type', '=', 'monthly_unit_report')
        .where('aggregate_id', '=', subjectId)
        .execute();
      expect(audits.filter((a) => a.action === 'report.monthly.sent')).toEqual([
        { action: 'report.monthly.sent', actor: p.head },
      ]);
      const sentTo = await db
        .selectFrom('notification')
        .select('person_id')
        .where('kind', '=', 'report.monthly.sent')
        .where('person_id', 'in', [p.secretary, p.head, p.committee])
        .execute();
      expect(sentTo.map((n) => n.person_id)).toEqual([p.secretary]);
      const result = await handle.result();
      expect(result.phase).toBe('SENT');
      expect(result.sent?.pdfSha256).toBe(r.pdfSha256);

      const history = await handle.fetchHistory();
      await expect(
        Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'unit report sent' }, history),
      ).resolves.toBeUndefined();
      if (process.env.RECORD_MONTHLY_REPORT_HISTORY === '1')
        await writeFile(
          join(import.meta.dirname, '__fixtures__', 'histories', 'monthlyUnitReport-v1-1.json'),
          historyToJSON(history),
        );
    });
  });

  it('a missed report climbs to the provincial secretariat at D+6 (a unit-level item)', async () => {
    await withReport({ fromDate: '2027-06-14', msPerDay: 1500 }, async ({ p, subjectId, handle }) => {
      const escalated = await until('D+6', async () =>
        (await eventsOfSubject(db, 'monthly_unit_report', subjectId)).find((e) => e.kind === 'escalated'),
      );
      expect([escalated.recipient_role, escalated.logical_date]).toEqual(['secretariat', '2027-06-22']);
      const ev = await eventsOfSubject(db, 'monthly_unit_report', subjectId);
      // Never to the unit's supervisor nor to the unit head itself (the assignee).
      expect(ev.filter((e) => e.kind === 'escalated').map((e) => e.recipient_role)).toEqual(['secretariat']);
      expect(ev.filter((e) => e.kind === 'overdue-reminded').map((e) => e.logical_date)).toEqual([
        '2027-06-15',
        '2027-06-16',
        '2027-06-17',
      ]);
      const notified = await db
        .selectFrom('notification')
        .select('person_id')
        .where('kind', '=', 'report.monthly.escalated')
        .where('person_id', 'in', [p.supervisor, p.head, p.secretary, p.committee])
        .execute();
      expect(notified.map((n) => n.person_id)).toEqual([p.secretary]);
      const [task] = await tasksOfSubject(db, 'monthly_unit_report', subjectId);
      expect(task?.status).toBe('open');
      expect(task?.escalation_level).toBe(4);
      const state = await handle.query(getMonthlyReportState);
      expect([state.phase, state.escalation]).toEqual(['OPEN', 4]);
      // The run so far (open task, reminders, the escalation) replays on today's code.
      const history = await handle.fetchHistory();
      await expect(
        Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'unit report escalated' }, history),
      ).resolves.toBeUndefined();
      if (process.env.RECORD_MONTHLY_REPORT_HISTORY === '1')
        await writeFile(
          join(import.meta.dirname, '__fixtures__', 'histories', 'monthlyUnitReport-v1-2.json'),
          historyToJSON(history),
        );
    });
  });
});
