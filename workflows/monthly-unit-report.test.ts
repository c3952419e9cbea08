// The monthly unit report workflow (DESIGN §3 "The unit's monthly result is a report to print, sign and stamp"),
// a unit-level item (DESIGN §1): the unit head's task opens after the month's verification window; sending
// before it closes, or by someone else than the unit head, is refused; the unit head's send freezes the report
// (the PDF and the Excel file with their sha256, audited) and notifies the secretariat; a missed report climbs
// to the provincial secretariat at D+6 — "a unit-level item reaching the secretariat" (issue 6 point 7). Dev
// server, real PostgreSQL, the plan-year 2027 calendar of the test profile with a time warp; assertions are on
// logical dates (the verification of 2027-05 closes Thursday 10/6/2027; the report is due Monday 14/6).
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  decideReportReopen,
  getMonthlyReportState,
  MONTHLY_REPORT_TASK_KIND,
  type MonthlyUnitReportInput,
  type MonthlyUnitReportView,
  monthlyUnitReportWorkflow,
  monthlyUnitReportWorkflowId,
  reopenDecisionRungs,
  reportDates,
  reportLockDate,
  reportRungs,
  requestReportReopen,
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

  it('locks at the end of the working day after the last rung (D+7); a reopen decision climbs to the committee', () => {
    const p = { unitId: 'u', provinceId: 'p', head: 'h' } as unknown as PlanPeople;
    const d = reportDates(inputFor(p));
    const rungs = reportRungs(inputFor(p), d.dueDate);
    expect(rungs.at(-1)?.date).toBe('2027-06-22');
    expect(reportLockDate(inputFor(p), d.dueDate, rungs)).toBe('2027-06-23');
    // A configured window never ends before the last rung.
    expect(reportLockDate({ ...inputFor(p), lockWorkingDays: 2 }, d.dueDate, rungs)).toBe('2027-06-22');
    expect(reportLockDate({ ...inputFor(p), lockWorkingDays: 9 }, d.dueDate, rungs)).toBe('2027-06-25');
    // The recorded history of the lock and reopen branch carries the patch marker (workflows/replay.test.ts
    // replays it).
    const fixture = readFileSync(
      join(import.meta.dirname, '__fixtures__', 'histories', 'monthlyUnitReport-locked-reopened-v2.json'),
      'utf8',
    );
    const markers = (
      JSON.parse(fixture).events as {
        markerRecordedEventAttributes?: { details: Record<string, { payloads: { data: string }[] }> };
      }[]
    )
      .filter((e) => e.markerRecordedEventAttributes)
      .map((e) => {
        const data = e.markerRecordedEventAttributes!.details['patch-data']!.payloads[0]!.data;
        return (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id;
      });
    expect(markers).toEqual(['unit-report-period-lock']);
    const decide = reopenDecisionRungs(inputFor(p), '2027-06-28');
    expect(decide.filter((r) => r.action === 'escalate').map((r) => [r.recipientRole, r.date])).toEqual([
      ['standing-committee', '2027-06-30'],
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

  it('an unsent report locks after its ladder; a send is refused; a refused reopen stays locked; an approved one is sent', async () => {
    await withReport({ fromDate: '2027-06-21', msPerDay: 1500 }, async ({ p, subjectId, handle }) => {
      const state0 = await handle.query(getMonthlyReportState);
      expect([state0.phase, state0.lockOn]).toEqual(['OPEN', '2027-06-23']);
      // Nothing to reopen before the lock.
      expect(
        await refusal(handle.executeUpdate(requestReportReopen, { args: [{ by: p.head, reason: 'Ốm' }] })),
      ).toContain('NOT_LOCKED');
      const lock = await until('the lock', async () =>
        (await db.selectFrom('unit_report_lock').selectAll().where('unit_id', '=', p.unitId).execute()).at(0),
      );
      expect([lock.report_kind, lock.period, lock.number, lock.window_closed_on]).toEqual([
        'monthly',
        PERIOD,
        1,
        '2027-06-23',
      ]);
      const locked = await until('LOCKED', async () => {
        const v = await handle.query(getMonthlyReportState);
        return v.phase === 'LOCKED' && v;
      });
      expect(locked.locked).toEqual({ date: '2027-06-23', number: 1 });
      const [first] = await tasksOfSubject(db, 'monthly_unit_report', subjectId);
      expect([first?.status, first?.kind]).toEqual(['cancelled', MONTHLY_REPORT_TASK_KIND]);
      const events = await eventsOfSubject(db, 'monthly_unit_report', subjectId);
      expect(
        events.filter((e) => e.kind === 'missed').map((e) => [e.recipient_role, e.logical_date]),
      ).toEqual([['unit-head', '2027-06-23']]);
      const lockNotes = await db
        .selectFrom('notification')
        .select('person_id')
        .where('kind', '=', 'report.monthly.locked')
        .where('person_id', 'in', [p.head, p.secretary, p.supervisor, p.committee])
        .orderBy('person_id')
        .execute();
      expect(lockNotes.map((n) => n.person_id).sort()).toEqual([p.head, p.secretary].sort());

      // A send after the lock is refused with a clear code; nothing is frozen.
      expect(await refusal(handle.executeUpdate(sendMonthlyReport, { args: [{ by: p.head }] }))).toContain(
        'REPORT_LOCKED',
      );
      // Only the unit head asks, with a reason; no decision without a request.
      expect(
        await refusal(
          handle.executeUpdate(requestReportReopen, { args: [{ by: p.supervisor, reason: 'x' }] }),
        ),
      ).toContain('NOT_UNIT_HEAD');
      expect(
        await refusal(handle.executeUpdate(requestReportReopen, { args: [{ by: p.head, reason: '  ' }] })),
      ).toContain('REASON_REQUIRED');
      expect(
        await refusal(
          handle.executeUpdate(decideReportReopen, { args: [{ by: p.secretary, approve: true }] }),
        ),
      ).toContain('NO_REOPEN_PENDING');

      const asked = await handle.executeUpdate(requestReportReopen, {
        args: [{ by: p.head, reason: 'Thủ trưởng đi công tác' }],
        updateId: `reopen:${randomUUID()}`,
      });
      expect([asked.phase, asked.number]).toEqual(['LOCKED', 1]);
      const decideTask = (await tasksOfSubject(db, 'monthly_unit_report', subjectId)).find(
        (t) => t.id === asked.taskId,
      );
      expect(decideTask?.kind).toBe('report.monthly.reopen');
      expect([decideTask?.assignee_role, decideTask?.assignee_unit_id]).toEqual([
        'secretariat',
        p.provinceId,
      ]);
      expect(decideTask?.logical_due_date).toBe(asked.dueDate);
      expect(
        await refusal(
          handle.executeUpdate(requestReportReopen, { args: [{ by: p.head, reason: 'Lần nữa' }] }),
        ),
      ).toContain('REOPEN_PENDING');
      // Nobody decides their own unit's request; a refusal says why.
      expect(
        await refusal(handle.executeUpdate(decideReportReopen, { args: [{ by: p.head, approve: true }] })),
      ).toContain('SELF_DECIDE');
      expect(
        await refusal(
          handle.executeUpdate(decideReportReopen, { args: [{ by: p.secretary, approve: false }] }),
        ),
      ).toContain('REASON_REQUIRED');
      const refused = await handle.executeUpdate(decideReportReopen, {
        args: [{ by: p.secretary, approve: false, comment: 'Lý do chưa thỏa đáng' }],
      });
      expect(refused.phase).toBe('LOCKED');
      const told = await db
        .selectFrom('notification')
        .select(['person_id', 'body_vi'])
        .where('kind', '=', 'report.monthly.reopen-rejected')
        .where('person_id', 'in', [p.head, p.secretary])
        .execute();
      expect(told.map((n) => n.person_id)).toEqual([p.head]);
      expect(told[0]?.body_vi).toContain('Lý do chưa thỏa đáng');
      expect(await refusal(handle.executeUpdate(sendMonthlyReport, { args: [{ by: p.head }] }))).toContain(
        'REPORT_LOCKED',
      );

      // A second request, approved: a new send task for the head, then the normal send.
      const again = await handle.executeUpdate(requestReportReopen, {
        args: [{ by: p.head, reason: 'Đã bổ sung số liệu' }],
      });
      expect(again.number).toBe(2);
      const approved = await handle.executeUpdate(decideReportReopen, {
        args: [{ by: p.secretary, approve: true, comment: 'Đồng ý' }],
      });
      expect(approved.phase).toBe('OPEN');
      const tasks = await tasksOfSubject(db, 'monthly_unit_report', subjectId);
      const resend = tasks.find((t) => t.id === approved.taskId);
      expect([resend?.kind, resend?.assignee_person_id, resend?.status, resend?.logical_due_date]).toEqual([
        MONTHLY_REPORT_TASK_KIND,
        p.head,
        'open',
        approved.dueDate,
      ]);
      expect(tasks.filter((t) => t.kind === 'report.monthly.reopen').map((t) => t.status)).toEqual([
        'done',
        'done',
      ]);
      const requests = await db
        .selectFrom('unit_report_reopen_request')
        .select(['number', 'requested_by', 'reason', 'decision', 'decided_by', 'comment', 'new_due_date'])
        .where('unit_id', '=', p.unitId)
        .orderBy('number')
        .execute();
      expect(requests).toEqual([
        {
          number: 1,
          requested_by: p.head,
          reason: 'Thủ trưởng đi công tác',
          decision: 'reject',
          decided_by: p.secretary,
          comment: 'Lý do chưa thỏa đáng',
          new_due_date: null,
        },
        {
          number: 2,
          requested_by: p.head,
          reason: 'Đã bổ sung số liệu',
          decision: 'approve',
          decided_by: p.secretary,
          comment: 'Đồng ý',
          new_due_date: approved.dueDate,
        },
      ]);
      const sent = await handle.executeUpdate(sendMonthlyReport, { args: [{ by: p.head }] });
      expect(sent.phase).toBe('SENT');
      expect(
        (await tasksOfSubject(db, 'monthly_unit_report', subjectId)).find((t) => t.id === approved.taskId)
          ?.status,
      ).toBe('done');
      const audits = await db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('aggregate_type', '=', 'monthly_unit_report')
        .where('aggregate_id', '=', subjectId)
        .orderBy('id')
        .execute();
      expect(
        audits.map((a) => a.action).filter((a) => a.startsWith('report.monthly.') && !a.includes('task')),
      ).toEqual(
        expect.arrayContaining([
          'report.monthly.locked',
          'report.monthly.reopen-requested',
          'report.monthly.reopen-rejected',
          'report.monthly.reopened',
          'report.monthly.sent',
        ]),
      );
      expect(audits.find((a) => a.action === 'report.monthly.reopened')?.actor).toBe(p.secretary);
      const result = (await handle.result()) as MonthlyUnitReportView;
      expect(result.phase).toBe('SENT');
      expect(result.reopens?.map((r) => r.decision)).toEqual(['reject', 'approve']);
      const history = await handle.fetchHistory();
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: bundle, replayName: 'unit report locked and reopened' },
          history,
        ),
      ).resolves.toBeUndefined();
    });
  });
});
