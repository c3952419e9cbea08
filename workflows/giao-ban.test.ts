// The giao ban workflow (issue 7 points 2 and 6) on the dev server with real PostgreSQL and a compressed calendar
// (the test profile's plan-year calendars; assertions are on logical dates, never on wall-clock instants):
// - a full quarter (2027-Q2): three units — one sent its quarterly report on time, one after its due date (12/7),
//   one never; the agenda and the dossiers are frozen on the dossier day 16/7 (not before) and the participants
//   notified; conclusions are refused before the session (20/7), recorded and revised in it; publishing is refused
//   while a unit lacks a conclusion, then publishes the minutes PDF and hands the follow-up to a new run
//   (continue-as-new); directions become tasks of the unit heads; a direction is reported done (its task closes),
//   another in progress; the follow-up ends on the next session's dossier day (18/10: CLOSED) and the 2027-Q3 session's dossiers list the earlier directions with their status;
// - the December year-end session (2027-year, on `year-end.review-session` 20/12): no next-quarter plan decision,
//   the conclude task escalates to the standing committee when the conclusions are late, then publishes.
import { createHash, randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type GiaoBanDocs, giaoBanActivities } from '../activities/giao-ban.ts';
import { createActivities } from '../activities/index.ts';
import { giaoBanInputFor } from '../db/queries/giao-ban-workflow-input.ts';
import { sha256Of } from '../db/queries/monthly-reports.ts';
import { tasksOfSubject } from '../db/queries/tasks.ts';
import { computePlanYearCalendar } from '../domain/calendar/plan-year.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';
import { giaoBanDates, nextSessionKey, sessionStartedByOpening } from '../domain/giao-ban/dates.ts';
import type { GiaoBanAgenda, GiaoBanMinutes, UnitDossier } from '../domain/giao-ban/model.ts';
import { TEST_PROFILE, warpFrom } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import {
  conclusion,
  type GiaoBanProvince,
  giaoBanTestDocs,
  seedGiaoBanProvince,
} from '../test/support/giao-ban.ts';
import { until } from '../test/support/poll.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  GIAO_BAN_CONCLUDE_TASK_KIND,
  GIAO_BAN_DIRECTION_TASK_KIND,
  type GiaoBanInput,
  getGiaoBanState,
  giaoBanWorkflow,
  giaoBanWorkflowId,
  publishGiaoBanConclusions,
  recordGiaoBanConclusion,
  reportGiaoBanDirection,
} from './giao-ban.ts';
import { LONG_WORKFLOW_TASK_TIMEOUT } from './task-timeout.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let bundle: WorkflowBundleWithSourceMap;
let client: Client;
let native: NativeConnection;
let docs: GiaoBanDocs;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const address = inject('temporalAddress');
  client = new Client({ connection: await Connection.connect({ address }) });
  native = await NativeConnection.connect({ address });
  docs = await giaoBanTestDocs();
});
afterAll(async () => {
  await client?.connection.close();
  await native?.close();
});

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  return String((e as WorkflowUpdateFailedError).cause?.message ?? '');
};

async function sendReport(unitId: string, period: string, sentAt: string, by: string) {
  const model = { unitId };
  const pdf = Buffer.from('%PDF-1.4');
  const xlsx = Buffer.from('PK');
  await db
    .insertInto('quarterly_unit_report')
    .values({
      unit_id: unitId,
      period,
      number: null,
      report_date: sentAt.slice(0, 10),
      model: JSON.stringify(model),
      model_sha256: sha256Of(model),
      pdf,
      pdf_sha256: sha256Of(pdf),
      xlsx,
      xlsx_sha256: sha256Of(xlsx),
      workflow_id: `unit-report:${period}:unit:${unitId}`,
      sent_by: by,
      sent_at: new Date(sentAt),
    })
    .execute();
}

const calendarOf = (y: number) => computePlanYearCalendar(TEST_PROFILE, y);

async function withSession(
  prov: GiaoBanProvince,
  session: string,
  warp: { fromDate: string; msPerDay: number },
  body: (h: ReturnType<Client['workflow']['getHandle']>, input: GiaoBanInput) => Promise<void>,
) {
  const taskQueue = `giao-ban-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: { ...createActivities({ db, temporal: client }), ...giaoBanActivities({ db, docs }) },
  });
  const built = await giaoBanInputFor(db, { provinceId: prov.p.provinceId, session });
  if (!built) throw new Error('no giao ban input');
  const input: GiaoBanInput = { ...built, timeWarp: warpFrom(warp.fromDate, warp.msPerDay) };
  const workflowId = giaoBanWorkflowId(prov.p.provinceId, session);
  await worker.runUntil(async () => {
    await client.workflow.start(giaoBanWorkflow, {
      taskQueue,
      workflowId,
      args: [input],
      workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
    });
    const handle = client.workflow.getHandle(workflowId);
    try {
      await body(handle, input);
    } finally {
      await handle.terminate('test over').catch(() => {});
    }
  });
}

const sessionRow = (provinceId: string, session: string) =>
  db
    .selectFrom('giao_ban_session')
    .selectAll()
    .where('province_id', '=', provinceId)
    .where('session', '=', session)
    .executeTakeFirst();

describe('the giao ban dates (pure)', () => {
  it('reads the session, dossier, conclusions and follow-up days from the calendar; the year-end from the review session', () => {
    expect(giaoBanDates('2027-Q2', TEST_PROFILE, calendarOf)).toEqual({
      opensOn: '2027-07-01',
      dossierDate: '2027-07-16',
      sessionDate: '2027-07-20',
      conclusionsDue: '2027-07-22',
      followUpUntil: '2027-10-18',
    });
    // 20/12/2027 is a Monday: dossiers on Thursday 16/12, conclusions by Wednesday 22/12; the follow-up runs to
    // the 2027-Q4 session's dossier day in January 2028.
    expect(giaoBanDates('2027-year', TEST_PROFILE, calendarOf)).toEqual({
      opensOn: '2027-12-01',
      dossierDate: '2027-12-16',
      sessionDate: '2027-12-20',
      conclusionsDue: '2027-12-22',
      followUpUntil: '2028-01-18',
    });
    expect(['2027-Q1', '2027-Q3', '2027-year', '2027-Q4'].map(nextSessionKey)).toEqual([
      '2027-Q2',
      '2027-year',
      '2027-Q4',
      '2028-Q1',
    ]);
    // The check-in openings that start a session: 1/1, 1/4, 1/7, 1/10 (month 12, 3, 6, 9 opened) and 1/12.
    expect(
      ['2026-12', '2027-03', '2027-06', '2027-09', '2027-11', '2027-05'].map(sessionStartedByOpening),
    ).toEqual(['2026-Q4', '2027-Q1', '2027-Q2', '2027-Q3', '2027-year', undefined]);
  });
});

describe.concurrent('giao ban workflow (dev server, compressed calendar)', { timeout: 240_000 }, () => {
  it('runs a full quarter: late reports, dossiers on the dossier day, conclusions, publish, directions followed up next quarter', async () => {
    const prov = await seedGiaoBanProvince(db);
    const { p, units, heads } = prov;
    // Q2 report due 12/7/2027: Sở Nội vụ on time (9/7), Sở Y tế late (14/7), Sở Tài chính never.
    await sendReport(units.snv, '2027-Q2', '2027-07-09T03:00:00Z', heads.snv);
    await sendReport(units.syt, '2027-Q2', '2027-07-14T03:00:00Z', heads.syt);
    const session = '2027-Q2';
    await withSession(prov, session, { fromDate: '2027-07-10', msPerDay: 500 }, async (handle, input) => {
      const firstRun = (await handle.describe()).runId;
      expect(input.dates.dossierDate).toBe('2027-07-16');
      expect(input.planDecisions).toBe(true);
      // Before the session day nothing can be concluded.
      expect(
        await refusal(
          handle.executeUpdate(recordGiaoBanConclusion, { args: [conclusion(units.snv, p.secretary)] }),
        ),
      ).toContain('GIAO_BAN_NOT_IN_SESSION');

      // The dossier day: agenda and dossiers frozen as of 16/7, participants notified.
      const frozen = await until('dossiers', async () => {
        const r = await sessionRow(p.provinceId, session);
        return r?.dossiers_sent_at ? r : undefined;
      });
      expect(vnLocalDate(frozen.dossiers_sent_at!.getTime())).toBe('2027-07-16');
      const agenda = frozen.agenda as unknown as GiaoBanAgenda;
      expect(vnLocalDate(Date.parse(agenda.builtAt))).toBe('2027-07-16');
      expect(agenda.items.map((i) => [i.unitId, i.reportStatus])).toEqual(
        expect.arrayContaining([
          [units.snv, 'sent'],
          [units.syt, 'late'],
          [units.stc, 'missing'],
        ]),
      );
      expect(agenda.items).toHaveLength(3);
      const dossiers = await db
        .selectFrom('giao_ban_dossier')
        .selectAll()
        .where('province_id', '=', p.provinceId)
        .where('session', '=', session)
        .execute();
      expect(dossiers.map((d) => d.unit_id).sort()).toEqual([units.snv, units.syt, units.stc].sort());
      for (const d of dossiers) {
        expect(d.pdf.subarray(0, 5).toString()).toBe('%PDF-');
        expect(createHash('sha256').update(d.pdf).digest('hex')).toBe(d.pdf_sha256);
      }
      const told = await until('dossier notifications', async () => {
        const rows = await db
          .selectFrom('notification')
          .select('person_id')
          .where('kind', '=', 'giao-ban.dossiers')
          .where('person_id', 'in', [p.secretary, p.committee, heads.snv, heads.syt, heads.stc])
          .execute();
        return rows.length >= 5 ? rows : undefined;
      });
      expect(new Set(told.map((r) => r.person_id)).size).toBe(5);

      // The session day: the secretariat's conclude task, due 22/7.
      const conclude = await until(
        'conclude task',
        async () => (await tasksOfSubject(db, 'giao_ban_session', `${p.provinceId}:${session}`))[0],
      );
      expect([
        conclude.kind,
        conclude.assignee_role,
        conclude.assignee_unit_id,
        conclude.logical_due_date,
      ]).toEqual([GIAO_BAN_CONCLUDE_TASK_KIND, 'secretariat', p.provinceId, '2027-07-22']);
      expect((await sessionRow(p.provinceId, session))?.phase).toBe('IN_SESSION');

      // Conclusions: refusals, then one per unit (one revised).
      expect(
        await refusal(
          handle.executeUpdate(recordGiaoBanConclusion, { args: [conclusion(randomUUID(), p.secretary)] }),
        ),
      ).toContain('GIAO_BAN_UNKNOWN_UNIT');
      expect(
        await refusal(
          handle.executeUpdate(recordGiaoBanConclusion, {
            args: [conclusion(units.syt, p.secretary, { planDecision: 'adjusted' })],
          }),
        ),
      ).toContain('GIAO_BAN_PLAN_DECISION');
      const a1 = await handle.executeUpdate(recordGiaoBanConclusion, {
        args: [
          conclusion(units.snv, p.secretary, {
            completionLevel: 'good',
            directions: [
              { text: 'Đẩy nhanh số hóa hồ sơ lưu trữ', dueDate: '2027-09-30' },
              { text: 'Rà soát thủ tục trực tuyến toàn trình', dueDate: null },
            ],
            planDecision: 'approved',
          }),
        ],
      });
      expect(a1).toEqual({ unitId: units.snv, revision: 1 });
      await handle.executeUpdate(recordGiaoBanConclusion, {
        args: [
          conclusion(units.syt, p.secretary, {
            completionLevel: 'fulfilled',
            summary: 'Báo cáo quý gửi chậm; cần chấn chỉnh.',
            directions: [{ text: 'Gửi báo cáo quý đúng hạn', dueDate: '2027-08-31' }],
            planDecision: 'adjusted',
            planNote: 'Giảm chỉ tiêu khám chữa bệnh từ xa quý 3.',
          }),
        ],
      });
      const missing = await refusal(
        handle.executeUpdate(publishGiaoBanConclusions, { args: [{ by: p.secretary }] }),
      );
      expect(missing).toContain('GIAO_BAN_CONCLUSIONS_MISSING');
      expect(missing).toContain('Sở Tài chính');
      expect((await sessionRow(p.provinceId, session))?.published_at).toBeNull();
      // A revision of Sở Nội vụ's conclusion: excellent, revision 2.
      const a2 = await handle.executeUpdate(recordGiaoBanConclusion, {
        args: [
          conclusion(units.snv, p.secretary, {
            completionLevel: 'excellent',
            directions: [
              { text: 'Đẩy nhanh số hóa hồ sơ lưu trữ', dueDate: '2027-09-30' },
              { text: 'Rà soát thủ tục trực tuyến toàn trình', dueDate: null },
            ],
            planDecision: 'approved',
          }),
        ],
      });
      expect(a2.revision).toBe(2);
      await handle.executeUpdate(recordGiaoBanConclusion, {
        args: [
          conclusion(units.stc, p.secretary, {
            completionLevel: 'not-fulfilled',
            summary: 'Chưa gửi báo cáo quý.',
          }),
        ],
      });

      // Publish (twice with one update id: one answer).
      const updateId = `publish:${randomUUID()}`;
      const pub = await handle.executeUpdate(publishGiaoBanConclusions, {
        args: [{ by: p.secretary }],
        updateId,
      });
      expect(pub.directions).toBe(3);
      expect(
        await handle.executeUpdate(publishGiaoBanConclusions, { args: [{ by: p.secretary }], updateId }),
      ).toEqual(pub);
      // The run that published hands the follow-up to a new run of the same id (continue-as-new), which keeps the
      // task timeout it was started with and answers the publish's update id as before (the answers are carried).
      const followUp = await until('the follow-up run', async () => {
        const d = await handle.describe();
        return d.runId !== firstRun ? d : undefined;
      });
      expect((await client.workflow.getHandle(handle.workflowId, firstRun).describe()).status.name).toBe(
        'CONTINUED_AS_NEW',
      );
      expect(Number(followUp.raw.executionConfig?.defaultWorkflowTaskTimeout?.seconds)).toBe(60);
      expect(
        await handle.executeUpdate(publishGiaoBanConclusions, { args: [{ by: p.secretary }], updateId }),
      ).toEqual(pub);
      expect((await handle.query(getGiaoBanState)).concluded).toEqual(
        expect.arrayContaining([
          { unitId: units.snv, revision: 2 },
          { unitId: units.syt, revision: 1 },
          { unitId: units.stc, revision: 1 },
        ]),
      );
      const published = await sessionRow(p.provinceId, session);
      expect(published?.phase).toBe('PUBLISHED');
      expect(published?.published_by).toBe(p.secretary);
      expect(published?.minutes_pdf?.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(published!.minutes_pdf!).digest('hex')).toBe(
        published?.minutes_sha256,
      );
      const minutes = published?.minutes as unknown as GiaoBanMinutes;
      expect(minutes.conclusions.map((c) => [c.unitId, c.completionLevel, c.directions.length])).toEqual(
        expect.arrayContaining([
          [units.snv, 'excellent', 2],
          [units.syt, 'fulfilled', 1],
          [units.stc, 'not-fulfilled', 0],
        ]),
      );
      expect(minutes.conclusions.find((c) => c.unitId === units.syt)?.planDecision).toBe('adjusted');
      expect((await tasksOfSubject(db, 'giao_ban_session', `${p.provinceId}:${session}`))[0]?.status).toBe(
        'done',
      );
      expect(
        await refusal(
          handle.executeUpdate(recordGiaoBanConclusion, { args: [conclusion(units.stc, p.secretary)] }),
        ),
      ).toContain('GIAO_BAN_ALREADY_PUBLISHED');

      // Directions: rows and tasks of the unit heads.
      const directions = await db
        .selectFrom('giao_ban_direction')
        .selectAll()
        .where('province_id', '=', p.provinceId)
        .where('session', '=', session)
        .orderBy('ordinal')
        .execute();
      expect(directions).toHaveLength(3);
      const snv1 = directions.find((d) => d.unit_id === units.snv && d.ordinal === 1)!;
      const snv2 = directions.find((d) => d.unit_id === units.snv && d.ordinal === 2)!;
      const syt1 = directions.find((d) => d.unit_id === units.syt)!;
      const taskOf = async (id: string) =>
        until(`direction task ${id}`, async () => (await tasksOfSubject(db, 'giao_ban_direction', id))[0]);
      const t1 = await taskOf(snv1.id);
      expect([t1.kind, t1.assignee_person_id, t1.logical_due_date, t1.id]).toEqual([
        GIAO_BAN_DIRECTION_TASK_KIND,
        heads.snv,
        '2027-09-30',
        snv1.task_id,
      ]);
      // A direction with no due date is due when the follow-up ends (the next session's dossier day).
      expect((await taskOf(snv2.id)).logical_due_date).toBe('2027-10-18');
      expect((await taskOf(syt1.id)).assignee_person_id).toBe(heads.syt);
      expect(
        await db
          .selectFrom('notification')
          .select('person_id')
          .where('kind', '=', 'giao-ban.published')
          .where('person_id', '=', heads.stc)
          .execute(),
      ).toHaveLength(1);

      // Follow-up: only the unit's head reports; 'done' closes the task.
      expect(
        await refusal(
          handle.executeUpdate(reportGiaoBanDirection, {
            args: [{ directionId: snv1.id, status: 'done', note: 'x', by: heads.stc }],
          }),
        ),
      ).toContain('GIAO_BAN_NOT_UNIT_HEAD');
      expect(
        await handle.executeUpdate(reportGiaoBanDirection, {
          args: [
            { directionId: syt1.id, status: 'done', note: 'Đã gửi báo cáo quý 3 đúng hạn.', by: heads.syt },
          ],
        }),
      ).toEqual({ id: syt1.id, status: 'done' });
      expect((await taskOf(syt1.id)).status).toBe('done');
      expect(
        await refusal(
          handle.executeUpdate(reportGiaoBanDirection, {
            args: [{ directionId: syt1.id, status: 'in-progress', note: '', by: heads.syt }],
          }),
        ),
      ).toContain('GIAO_BAN_DIRECTION_DONE');
      await handle.executeUpdate(reportGiaoBanDirection, {
        args: [{ directionId: snv1.id, status: 'in-progress', note: 'Đã số hóa 60% hồ sơ.', by: heads.snv }],
      });
      const reported = await db
        .selectFrom('giao_ban_direction')
        .select(['id', 'status', 'status_note', 'updated_by'])
        .where('id', 'in', [snv1.id, syt1.id])
        .execute();
      expect(reported.find((r) => r.id === snv1.id)).toMatchObject({
        status: 'in-progress',
        status_note: 'Đã số hóa 60% hồ sơ.',
        updated_by: heads.snv,
      });

      // The follow-up ends on 18/10 (the Q3 session's dossier day): CLOSED, open direction tasks cancelled.
      const view = await until(
        'closed',
        async () => {
          const v = await handle.query(getGiaoBanState);
          return v.phase === 'CLOSED' ? v : undefined;
        },
        120_000,
      );
      expect(view.directions.map((d) => [d.id, d.status])).toEqual(
        expect.arrayContaining([
          [snv1.id, 'in-progress'],
          [snv2.id, 'open'],
          [syt1.id, 'done'],
        ]),
      );
      expect((await sessionRow(p.provinceId, session))?.phase).toBe('CLOSED');
      expect((await taskOf(snv1.id)).status).toBe('cancelled');
      expect((await taskOf(syt1.id)).status).toBe('done');
    });

    // The next quarter's session: its dossiers list the earlier directions with their status.
    await withSession(prov, '2027-Q3', { fromDate: '2027-10-17', msPerDay: 2000 }, async () => {
      const dossier = await until('Q3 dossier', async () =>
        db
          .selectFrom('giao_ban_dossier')
          .select('model')
          .where('province_id', '=', p.provinceId)
          .where('session', '=', '2027-Q3')
          .where('unit_id', '=', units.snv)
          .executeTakeFirst(),
      );
      const model = dossier.model as unknown as UnitDossier;
      expect(model.previousDirections.map((d) => [d.session, d.text, d.status, d.note])).toEqual([
        ['2027-Q2', 'Đẩy nhanh số hóa hồ sơ lưu trữ', 'in-progress', 'Đã số hóa 60% hồ sơ.'],
        ['2027-Q2', 'Rà soát thủ tục trực tuyến toàn trình', 'open', null],
      ]);
      const syt = await db
        .selectFrom('giao_ban_dossier')
        .select('model')
        .where('province_id', '=', p.provinceId)
        .where('session', '=', '2027-Q3')
        .where('unit_id', '=', units.syt)
        .executeTakeFirstOrThrow();
      expect((syt.model as unknown as UnitDossier).previousDirections.map((d) => d.status)).toEqual(['done']);
    });
  });

  it('runs the December year-end session: no plan decisions, the late conclusions escalate to the standing committee', async () => {
    const prov = await seedGiaoBanProvince(db);
    const { p, units } = prov;
    const session = '2027-year';
    await withSession(prov, session, { fromDate: '2027-12-13', msPerDay: 800 }, async (handle, input) => {
      expect(input.dates.sessionDate).toBe('2027-12-20');
      expect(input.planDecisions).toBe(false);
      const conclude = await until(
        'conclude task',
        async () => (await tasksOfSubject(db, 'giao_ban_session', `${p.provinceId}:${session}`))[0],
      );
      expect(conclude.logical_due_date).toBe('2027-12-22');
      const row = await sessionRow(p.provinceId, session);
      expect([row?.dossier_date, row?.session_date, row?.conclusions_due]).toEqual([
        '2027-12-16',
        '2027-12-20',
        '2027-12-22',
      ]);
      expect(vnLocalDate(row!.dossiers_sent_at!.getTime())).toBe('2027-12-16');
      expect(
        await refusal(
          handle.executeUpdate(recordGiaoBanConclusion, {
            args: [conclusion(units.snv, p.secretary, { planDecision: 'approved' })],
          }),
        ),
      ).toContain('GIAO_BAN_PLAN_DECISION');
      // Nobody concludes by 22/12: at D+2 (24/12) the standing committee is told.
      await until('escalation', async () =>
        db
          .selectFrom('notification')
          .select('id')
          .where('kind', '=', `${GIAO_BAN_CONCLUDE_TASK_KIND}.escalated`)
          .where('person_id', '=', p.committee)
          .executeTakeFirst(),
      );
      expect((await handle.query(getGiaoBanState)).escalation).toBe(5);
      for (const unitId of Object.values(units))
        await handle.executeUpdate(recordGiaoBanConclusion, {
          args: [conclusion(unitId, p.secretary, { completionLevel: 'excellent' })],
        });
      const pub = await handle.executeUpdate(publishGiaoBanConclusions, { args: [{ by: p.secretary }] });
      expect(pub.directions).toBe(0);
      const published = await sessionRow(p.provinceId, session);
      expect(published?.phase).toBe('PUBLISHED');
      expect((published!.minutes as unknown as GiaoBanMinutes).session).toBe('2027-year');
      // The year-end dossier reviews the Q3 report (the last one due before it).
      const d = await db
        .selectFrom('giao_ban_dossier')
        .select('model')
        .where('province_id', '=', p.provinceId)
        .where('session', '=', session)
        .where('unit_id', '=', units.snv)
        .executeTakeFirstOrThrow();
      expect((d.model as unknown as UnitDossier).report.period).toBe('2027-Q3');
    });
  });
});
