// The period-assessment workflow (DESIGN §3 "each assessment period", RULES.md ND 335) on the dev server with a
// compressed calendar: the manager's confirm task opens the working day after the period's verification
// window with the draft computed; a waiver for the late check-in changes the computed points; the confirmation
// freezes it (audited, the person notified); a repeated confirmation answers the first result; a later waiver
// is refused; a manager who misses the deadline is forwarded to the unit head with the miss recorded.
// Real PostgreSQL; the plan-year 2027 calendar on the test profile (check-in.2027-03 due Monday 5/4/2027,
// verify.2027-03 Thursday 8/4/2027, so the task opens Friday 9/4/2027).
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { DbRuleError } from '../db/errors.ts';
import { storeEvidence } from '../db/queries/evidence.ts';
import { assessmentById, ensureAssessment, recordWaiver } from '../db/queries/period-assessments.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { seedPlanPeople, TEST_PROFILE, testCalendar, warpFrom } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { seedAssessedMonth } from '../test/support/period-assessment.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  confirmAssessment,
  getAssessmentState,
  type PeriodAssessmentInput,
  periodAssessmentWorkflow,
  periodAssessmentWorkflowId,
} from './period-assessment.ts';

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

async function withAssessment(
  msPerDay: number,
  body: (ctx: {
    p: Awaited<ReturnType<typeof seedPlanPeople>>;
    assessmentId: string;
    handle: ReturnType<Client['workflow']['getHandle']>;
  }) => Promise<void>,
) {
  const p = await seedPlanPeople(db);
  await seedAssessedMonth(db, {
    personId: p.drafter,
    unitId: p.unitId,
    supervisorId: p.supervisor,
    month: PERIOD,
    dueDate: '2027-04-05',
    lateDays: 2,
  });
  const row = await ensureAssessment(db, { personId: p.drafter, unitId: p.unitId, period: PERIOD });
  const taskQueue = `assessment-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  const input: PeriodAssessmentInput = {
    assessmentId: row.id,
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
    timeWarp: warpFrom('2027-04-08', msPerDay),
  };
  const workflowId = periodAssessmentWorkflowId(PERIOD, p.drafter);
  await worker.runUntil(async () => {
    await client.workflow.start(periodAssessmentWorkflow, { taskQueue, workflowId, args: [input] });
    const handle = client.workflow.getHandle(workflowId);
    try {
      await body({ p, assessmentId: row.id, handle });
    } finally {
      await handle.terminate('test over').catch(() => {});
    }
  });
}

const openOf = async (id: string) =>
  (await tasksOfSubject(db, 'period_assessment', id)).filter((t) => t.status === 'open');
const rowOf = async (id: string) => (await assessmentById(db, id))!;
const evidenceFor = async (unitId: string, by: string, waiverId: string) => {
  const r = await storeEvidence(db, {
    unitId,
    uploadedBy: by,
    subjectType: 'period_assessment_waiver',
    subjectId: waiverId,
    fileName: 'giay-xac-nhan.txt',
    declaredType: 'text/plain',
    bytes: new TextEncoder().encode(`Giấy xác nhận mất điện diện rộng ${waiverId}\n`),
  });
  if (!r.ok) throw new Error(r.code);
  return r.file.id;
};

describe.concurrent('period-assessment workflow (dev server, compressed calendar)', () => {
  it('opens after the verification window; a waiver changes the points; confirm freezes it', async () => {
    await withAssessment(3000, async ({ p, assessmentId, handle }) => {
      // Before the window closes nothing is computed and nobody can confirm.
      expect((await handle.query(getAssessmentState)).phase).toBe('WAITING');
      expect(await openOf(assessmentId)).toEqual([]);
      await expect(
        handle.executeUpdate(confirmAssessment, { args: [{ by: p.supervisor, revision: 0 }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

      const task = await until('confirm task', async () => (await openOf(assessmentId))[0]);
      expect(task.kind).toBe('assessment.confirm');
      expect(task.assignee_person_id).toBe(p.supervisor);
      expect((await handle.query(getAssessmentState)).opensOn).toBe('2027-04-09');
      expect(task.logical_due_date).toBe('2027-04-16');
      let row = await rowOf(assessmentId);
      expect(row.status).toBe('draft');
      // Both key results late (−25% progress each), kr-b returned once for a major error (−25% of its share):
      // quantity 1, progress 0.75, quality 0.875 → 70 × 0.875 = 61.25.
      expect(row.task_points).toBe('61.25');
      expect(row.total).toBe('61.25');

      // An objective cause with evidence for the late month: progress 1 → 70 × 2.875/3 = 67.08.
      const waiverId = randomUUID();
      const ev = await evidenceFor(p.unitId, p.supervisor, waiverId);
      const w = await recordWaiver(db, {
        id: assessmentId,
        waiverId,
        revision: row.revision,
        kind: 'late',
        ref: PERIOD,
        objectiveCause: 'Mất điện diện rộng ngày 5/4',
        evidenceIds: [ev],
        by: p.supervisor,
      });
      expect(w.assessment.task_points).toBe('67.08');
      expect(w.waiver.id).toBe(waiverId);
      row = await rowOf(assessmentId);
      const computed = row.computed as unknown as { explanation: { notes: { key: string }[] } };
      expect(computed.explanation.notes.map((n) => n.key)).toContain('nd335.lateWaived');

      // The person cannot confirm their own; a stale revision is refused and changes nothing.
      await expect(
        handle.executeUpdate(confirmAssessment, { args: [{ by: p.drafter, revision: row.revision }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(
        handle.executeUpdate(confirmAssessment, { args: [{ by: p.supervisor, revision: row.revision - 1 }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect((await rowOf(assessmentId)).status).toBe('draft');

      const first = await handle.executeUpdate(confirmAssessment, {
        args: [{ by: p.supervisor, revision: row.revision }],
        updateId: 'confirm-1',
      });
      expect(first.phase).toBe('CONFIRMED');
      expect(first.total).toBe('67.08');
      row = await rowOf(assessmentId);
      expect(row.status).toBe('confirmed');
      expect(row.confirmed_by).toBe(p.supervisor);
      expect(await openOf(assessmentId)).toEqual([]);
      // A repeat (a double click: the same update id) answers the first result.
      const again = await handle.executeUpdate(confirmAssessment, {
        args: [{ by: p.supervisor, revision: row.revision }],
        updateId: 'confirm-1',
      });
      expect(again).toEqual(first);
      const view = await handle.result();
      expect(view.phase).toBe('CONFIRMED');

      // Frozen: a later waiver is refused, the points stay.
      const late = recordWaiver(db, {
        id: assessmentId,
        kind: 'major-error',
        ref: `${PERIOD}/plan:2027:person:${p.drafter}/kr-b#0`,
        objectiveCause: 'Số liệu nguồn sai',
        evidenceIds: [ev],
        by: p.supervisor,
      });
      await expect(late).rejects.toBeInstanceOf(DbRuleError);
      await expect(late).rejects.toMatchObject({ code: 'ASSESSMENT_CONFIRMED' });
      expect((await rowOf(assessmentId)).task_points).toBe('67.08');

      const audit = await db
        .selectFrom('audit_log')
        .select('action')
        .where('aggregate_type', '=', 'period_assessment')
        .where('aggregate_id', '=', assessmentId)
        .orderBy('seq')
        .execute();
      const actions = audit.map((a) => a.action);
      expect(actions).toContain('period_assessment.waiver.recorded');
      expect(actions.filter((a) => a === 'period_assessment.confirmed')).toHaveLength(1);
      const notes = await db
        .selectFrom('notification')
        .select(['kind', 'person_id'])
        .where('kind', '=', 'assessment.confirmed')
        .where('person_id', '=', p.drafter)
        .execute();
      expect(notes).toHaveLength(1);
    });
  });

  it('forwards a missed confirmation to the unit head and records the miss', async () => {
    await withAssessment(400, async ({ p, assessmentId, handle }) => {
      // Due 16/4; the grace day 19/4 forwards to the unit head (due 2 working days later, 21/4).
      const fwd = await until('forwarded task', async () =>
        (await openOf(assessmentId)).find((t) => t.assignee_person_id === p.head),
      );
      expect(fwd.logical_due_date).toBe('2027-04-21');
      const events = await eventsOfSubject(db, 'period_assessment', assessmentId);
      const missed = events.find((e) => e.kind === 'missed');
      expect(missed?.recipient_person_id).toBe(p.supervisor);
      expect(events.some((e) => e.kind === 'forwarded')).toBe(true);
      const state = await handle.query(getAssessmentState);
      expect(state.misses.map((m) => m.role)).toEqual(['supervisor']);
      const row = await rowOf(assessmentId);
      const r = await handle.executeUpdate(confirmAssessment, {
        args: [{ by: p.head, revision: row.revision }],
      });
      expect(r.confirmedBy).toBe(p.head);
      expect((await rowOf(assessmentId)).status).toBe('confirmed');
    });
  });
});
