// The quarterly unit report workflow (issue 7 point 1), a unit-level item (DESIGN §1): the unit head's task opens
// when the month after the quarter opens (1/7/2027 for 2027-Q2) and is due on the plan-year calendar's
// `quarter-report.2027-Q2` deadline (the 10th, a Saturday, moved to Monday 12/7/2027 by the profile); sending
// before it opens, or by someone else than the unit head, is refused; the head's send freezes the report with
// the unit's narrative (the PDF and the Excel file with their sha256, audited) and notifies the secretariat; a
// missed report climbs to the provincial secretariat at D+6 (20/7/2027). Dev server, real PostgreSQL, the test
// profile's plan-year 2027 calendar with a time warp; assertions are on logical dates.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
import { quarterEndedBy } from '../activities/quarterly-unit-report.ts';
import { saveNarrative } from '../db/queries/quarterly-reports.ts';
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
  getQuarterlyReportState,
  QUARTERLY_REPORT_TASK_KIND,
  type QuarterlyUnitReportInput,
  quarterAfterStart,
  quarterlyReportDates,
  quarterlyUnitReportWorkflow,
  quarterlyUnitReportWorkflowId,
  requestReportReopen,
  sendQuarterlyReport,
} from './quarterly-unit-report.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const PERIOD = '2027-Q2';
let bundle: WorkflowBundleWithSourceMap;
let client: Client;
let native: NativeConnection;
const dir = mkdtempSync(join(tmpdir(), 'woms-qreport-wf-'));

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const address = inject('temporalAddress');
  client = new Client({ connection: await Connection.connect({ address }) });
  native = await NativeConnection.connect({ address });
});
afterAll(async () => {
  await client?.connection.close();
  await native?.close();
  rmSync(dir, { recursive: true, force: true });
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

const inputFor = (p: Pick<PlanPeople, 'unitId' | 'provinceId' | 'head'>): QuarterlyUnitReportInput => ({
  unitId: p.unitId,
  provinceId: p.provinceId,
  period: PERIOD,
  unitName: 'Sở Nội vụ',
  calendar: testCalendar(),
  profile: TEST_PROFILE,
  parties: {
    unitHead: { personId: p.head },
    secretariat: { role: 'secretariat', unitId: p.provinceId },
  },
});

interface Ctx {
  p: PlanPeople;
  subjectId: string;
  handle: ReturnType<Client['workflow']['getHandle']>;
}

async function withReport(opts: { fromDate: string; msPerDay: number }, body: (ctx: Ctx) => Promise<void>) {
  const p = await seedPlanPeople(db);
  const taskQueue = `quarterly-report-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  const workflowId = quarterlyUnitReportWorkflowId(PERIOD, p.unitId);
  const input = { ...inputFor(p), timeWarp: warpFrom(opts.fromDate, opts.msPerDay) };
  await worker.runUntil(async () => {
    await client.workflow.start(quarterlyUnitReportWorkflow, { taskQueue, workflowId, args: [input] });
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

describe('the quarterly report dates (pure)', () => {
  it('opens with the month after the quarter, due on the quarter-report deadline moved to a working day', () => {
    expect([quarterAfterStart('2027-Q2'), quarterAfterStart('2027-Q4')]).toEqual([
      '2027-07-01',
      '2028-01-01',
    ]);
    const d = quarterlyReportDates(inputFor({ unitId: 'u', provinceId: 'p', head: 'h' }));
    expect([d.opensOn, d.dueDate]).toEqual(['2027-07-01', '2027-07-12']);
    // The month openings that start a quarterly report: 01, 04, 07 and 10 (the quarter just ended).
    expect(['2027-01', '2027-04', '2027-07', '2027-10', '2027-05'].map(quarterEndedBy)).toEqual([
      '2026-Q4',
      '2027-Q1',
      '2027-Q2',
      '2027-Q3',
      undefined,
    ]);
  });
});

describe.concurrent('quarterly unit report workflow (dev server, compressed calendar)', () => {
  it('opens the unit head’s task with the new month; the head’s send freezes the report with its narrative', async () => {
    await withReport({ fromDate: '2027-06-30', msPerDay: 4000 }, async ({ p, subjectId, handle }) => {
      // The quarter is not over (30/6): no task, a send is refused.
      expect(await tasksOfSubject(db, 'quarterly_unit_report', subjectId)).toEqual([]);
      expect(await refusal(handle.executeUpdate(sendQuarterlyReport, { args: [{ by: p.head }] }))).toContain(
        'WINDOW_NOT_CLOSED',
      );
      const task = await until(
        'report task',
        async () => (await tasksOfSubject(db, 'quarterly_unit_report', subjectId))[0],
      );
      expect(task.kind).toBe(QUARTERLY_REPORT_TASK_KIND);
      expect(task.assignee_person_id).toBe(p.head);
      expect(task.logical_due_date).toBe('2027-07-12');
      const opened = await db
        .selectFrom('notification')
        .select('title_vi')
        .where('kind', '=', 'report.quarterly.task')
        .where('person_id', '=', p.head)
        .execute();
      expect(opened[0]?.title_vi).toContain('Ký và gửi báo cáo quý 2027-Q2 của đơn vị');
      expect(
        await refusal(handle.executeUpdate(sendQuarterlyReport, { args: [{ by: p.supervisor }] })),
      ).toContain('NOT_UNIT_HEAD');

      const saved = await saveNarrative(db, {
        unitId: p.unitId,
        period: PERIOD,
        baseRevision: 0,
        narrative: {
          results: 'Hoàn thành vượt mức chỉ tiêu tiếp nhận hồ sơ trực tuyến.',
          difficulties: 'Đường truyền mạng ở xã vùng sâu còn chập chờn.',
          nextFocus: 'Tập trung số hóa hồ sơ lưu trữ.',
        },
        by: p.head,
      });
      expect('saved' in saved).toBe(true);
      const r = await handle.executeUpdate(sendQuarterlyReport, {
        args: [{ by: p.head, number: '12' }],
        updateId: `send:${randomUUID()}`,
      });
      expect(r.phase).toBe('SENT');
      const row = await db
        .selectFrom('quarterly_unit_report')
        .selectAll()
        .where('unit_id', '=', p.unitId)
        .where('period', '=', PERIOD)
        .executeTakeFirstOrThrow();
      expect([row.sent_by, row.number, row.report_date]).toEqual([p.head, '12', r.date]);
      expect(createHash('sha256').update(row.pdf).digest('hex')).toBe(r.pdfSha256);
      expect(createHash('sha256').update(row.xlsx).digest('hex')).toBe(r.xlsxSha256);
      const file = join(dir, 'sent.pdf');
      writeFileSync(file, row.pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(
        /\s+/g,
        ' ',
      );
      expect(text).toContain('Kết quả thực hiện nhiệm vụ quý II năm 2027');
      expect(text).toContain('Đường truyền mạng ở xã vùng sâu còn chập chờn.');
      expect(text).toMatch(/Số: 12\/BC-/);
      // A sent report is immutable.
      await expect(
        db
          .updateTable('quarterly_unit_report')
          .set({ number: '13' })
          .where('unit_id', '=', p.unitId)
          .execute(),
      ).rejects.toThrow(/immutable/);

      expect((await tasksOfSubject(db, 'quarterly_unit_report', subjectId)).map((t) => t.status)).toEqual([
        'done',
      ]);
      const audits = await db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('aggregate_type', '=', 'quarterly_unit_report')
        .where('aggregate_id', '=', subjectId)
        .where('action', '=', 'report.quarterly.sent')
        .execute();
      expect(audits).toEqual([{ action: 'report.quarterly.sent', actor: p.head }]);
      const sentTo = await db
        .selectFrom('notification')
        .select('person_id')
        .where('kind', '=', 'report.quarterly.sent')
        .where('person_id', 'in', [p.secretary, p.head, p.committee])
        .execute();
      expect(sentTo.map((n) => n.person_id)).toEqual([p.secretary]);
      const result = await handle.result();
      expect([result.phase, result.sent?.pdfSha256]).toEqual(['SENT', r.pdfSha256]);

      const history = await handle.fetchHistory();
      await expect(
        Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'quarterly report sent' }, history),
      ).resolves.toBeUndefined();
      if (process.env.RECORD_QUARTERLY_REPORT_HISTORY === '1')
        await writeFile(
          join(import.meta.dirname, '__fixtures__', 'histories', 'quarterlyUnitReport-v1-1.json'),
          historyToJSON(history),
        );
    });
  });

  it('a missed report climbs to the provincial secretariat at D+6 (a unit-level item)', async () => {
    await withReport({ fromDate: '2027-07-12', msPerDay: 1500 }, async ({ p, subjectId, handle }) => {
      const escalated = await until('D+6', async () =>
        (await eventsOfSubject(db, 'quarterly_unit_report', subjectId)).find((e) => e.kind === 'escalated'),
      );
      expect([escalated.recipient_role, escalated.logical_date]).toEqual(['secretariat', '2027-07-20']);
      const ev = await eventsOfSubject(db, 'quarterly_unit_report', subjectId);
      expect(ev.filter((e) => e.kind === 'escalated').map((e) => e.recipient_role)).toEqual(['secretariat']);
      expect(ev.filter((e) => e.kind === 'overdue-reminded').map((e) => e.logical_date)).toEqual([
        '2027-07-13',
        '2027-07-14',
        '2027-07-15',
      ]);
      const notified = await db
        .selectFrom('notification')
        .select('person_id')
        .where('kind', '=', 'report.quarterly.escalated')
        .where('person_id', 'in', [p.supervisor, p.head, p.secretary, p.committee])
        .execute();
      expect(notified.map((n) => n.person_id)).toEqual([p.secretary]);
      const state = await handle.query(getQuarterlyReportState);
      expect([state.phase, state.escalation]).toEqual(['OPEN', 4]);
      const history = await handle.fetchHistory();
      await expect(
        Worker.runReplayHistory(
          { workflowBundle: bundle, replayName: 'quarterly report escalated' },
          history,
        ),
      ).resolves.toBeUndefined();
      if (process.env.RECORD_QUARTERLY_REPORT_HISTORY === '1')
        await writeFile(
          join(import.meta.dirname, '__fixtures__', 'histories', 'quarterlyUnitReport-v1-2.json'),
          historyToJSON(history),
        );
    });
  });

  it('an unsent quarterly report locks the working day after its last rung (21/7); a send is refused', async () => {
    await withReport({ fromDate: '2027-07-19', msPerDay: 1500 }, async ({ p, subjectId, handle }) => {
      expect((await handle.query(getQuarterlyReportState)).lockOn).toBe('2027-07-21');
      const lock = await until('the lock', async () =>
        (await db.selectFrom('unit_report_lock').selectAll().where('unit_id', '=', p.unitId).execute()).at(0),
      );
      expect([lock.report_kind, lock.period, lock.window_closed_on]).toEqual([
        'quarterly',
        PERIOD,
        '2027-07-21',
      ]);
      await until('LOCKED', async () => (await handle.query(getQuarterlyReportState)).phase === 'LOCKED');
      expect((await tasksOfSubject(db, 'quarterly_unit_report', subjectId)).map((t) => t.status)).toEqual([
        'cancelled',
      ]);
      expect(await refusal(handle.executeUpdate(sendQuarterlyReport, { args: [{ by: p.head }] }))).toContain(
        'REPORT_LOCKED',
      );
      const audits = await db
        .selectFrom('audit_log')
        .select('action')
        .where('aggregate_type', '=', 'quarterly_unit_report')
        .where('aggregate_id', '=', subjectId)
        .execute();
      expect(audits.map((a) => a.action)).toContain('report.quarterly.locked');
      const asked = await handle.executeUpdate(requestReportReopen, {
        args: [{ by: p.head, reason: 'Bổ sung' }],
      });
      const decide = (await tasksOfSubject(db, 'quarterly_unit_report', subjectId)).find(
        (t) => t.id === asked.taskId,
      );
      expect([decide?.kind, decide?.assignee_role]).toEqual(['report.quarterly.reopen', 'secretariat']);
    });
  });
});
