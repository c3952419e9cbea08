// The year-end assessment workflow (DESIGN §3 evaluation timeline, issue 8 points 1–2) on the dev server with a
// compressed calendar: the self-assessment opens with the year's task points computed from the confirmed period
// assessments and a provisional December estimate; the person's draft (content path) and submission (Update);
// the supervisor's points per criterion with the proposed level explained; 'ready' for the ranking, or first
// the organisation department's appraisal where the unit type requires it; a late self-assessment climbs the
// ladder to the direct manager and the unit head. Real PostgreSQL; the plan-year 2027 calendar on the test
// profile (the window opens Wednesday 1/12/2027; the self-assessment is due 9/12).
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
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import {
  EMPTY_SELF,
  ensureYearEnd,
  type SelfContent,
  saveSelfDraft,
  yearEndAssessmentsOf,
  yearEndById,
} from '../db/queries/year-end-assessments.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import { seedPlanPeople, TEST_PROFILE, testCalendar, warpFrom } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { seedConfirmedPeriods, seedEvidence } from '../test/support/year-end.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  getYearEndState,
  submitAppraisal,
  submitSelfAssessment,
  submitSupervisorAssessment,
  type YearEndAssessmentInput,
  yearEndAssessmentWorkflow,
  yearEndAssessmentWorkflowId,
} from './year-end-assessment.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const YEAR = 2027;
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

type Ctx = {
  p: Awaited<ReturnType<typeof seedPlanPeople>>;
  id: string;
  handle: ReturnType<Client['workflow']['getHandle']>;
};

async function withYearEnd(
  o: { msPerDay: number; appraisal?: boolean; from?: string },
  body: (ctx: Ctx) => Promise<void>,
) {
  const p = await seedPlanPeople(db);
  // Eleven confirmed months: task points 60 … 70 (mean 65).
  await seedConfirmedPeriods(db, {
    personId: p.drafter,
    unitId: p.unitId,
    confirmedBy: p.supervisor,
    year: YEAR,
    taskPoints: ['60', '61', '62', '63', '64', '65', '66', '67', '68', '69', '70'],
  });
  const row = await ensureYearEnd(db, {
    personId: p.drafter,
    unitId: p.unitId,
    year: YEAR,
    needsAppraisal: o.appraisal === true,
  });
  const taskQueue = `year-end-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  const input: YearEndAssessmentInput = {
    assessmentId: row.id,
    personId: p.drafter,
    unitId: p.unitId,
    year: YEAR,
    personName: 'Nguyễn Văn Soạn',
    calendar: testCalendar(),
    profile: TEST_PROFILE,
    parties: {
      person: { personId: p.drafter },
      supervisor: { personId: p.supervisor },
      unitHead: { personId: p.head },
    },
    ...(o.appraisal ? { appraiser: { role: 'organisation_department', unitId: p.provinceId } } : {}),
    timeWarp: warpFrom(o.from ?? '2027-11-30', o.msPerDay),
  };
  const workflowId = yearEndAssessmentWorkflowId(YEAR, p.drafter);
  await worker.runUntil(async () => {
    await client.workflow.start(yearEndAssessmentWorkflow, { taskQueue, workflowId, args: [input] });
    const handle = client.workflow.getHandle(workflowId);
    try {
      await body({ p, id: row.id, handle });
    } finally {
      await handle.terminate('test over').catch(() => {});
    }
  });
}

const openOf = async (id: string) =>
  (await tasksOfSubject(db, 'year_end_assessment', id)).filter((t) => t.status === 'open');
const rowOf = async (id: string) => (await yearEndById(db, id))!;
const phaseOf = (h: Ctx['handle'], phase: string) =>
  until(`phase ${phase}`, async () => (await h.query(getYearEndState)).phase === phase);

async function selfContent(p: Ctx['p']): Promise<SelfContent> {
  const ev = await seedEvidence(db, p.unitId, p.drafter, `Chứng chỉ quản lý nhà nước ${randomUUID()}`);
  return {
    ...EMPTY_SELF,
    unplannedWork: [{ title: 'Rà soát thủ tục hành chính đột xuất', evidenceIds: [ev] }],
    certificates: [{ title: 'Chứng chỉ quản lý nhà nước', kind: 'certificate', evidenceIds: [ev] }],
    rubric: {
      resolutionStudyPercent: '100',
      contributionsPerYear: 3,
      trustPercent: '95',
      disciplinedForIdeology: false,
      selfLevel: 4,
    },
    points: { disciplineStyle: '5', initiatives: '4', capabilityGrowth: '5' },
  };
}

const supervisorPoints = {
  politicalEthics: '14',
  disciplineStyle: '5',
  initiatives: '4',
  capabilityGrowth: '5',
};

describe.concurrent('year-end assessment workflow (dev server, compressed calendar)', () => {
  it('opens on 1/12 with the estimate; self → supervisor → ready with the level explained', async () => {
    await withYearEnd({ msPerDay: 4000 }, async ({ p, id, handle }) => {
      expect((await handle.query(getYearEndState)).phase).toBe('WAITING');
      await phaseOf(handle, 'SELF');
      const opened = await rowOf(id);
      const estimate = opened.estimate as unknown as {
        taskYear: string;
        decemberEstimate: string;
        periods: unknown[];
      };
      expect(estimate.periods).toHaveLength(11);
      expect(estimate.decemberEstimate).toBe('65.00');
      expect(estimate.taskYear).toBe('65.00');
      const [self] = await until('self task', async () => {
        const t = await openOf(id);
        return t.length ? t : undefined;
      });
      expect(self!.kind).toBe('year-end.self');
      expect(self!.assignee_person_id).toBe(p.drafter);
      const window = testCalendar().windows.find((w) => w.id === 'year-end.self-assessment')!;
      expect(self!.logical_due_date).toBe(deadlineById(testCalendar(), 'year-end.self-assessment').date);
      expect(window.from).toBe('2027-12-01');

      // Bad content is refused with its code; good content is saved at the revision.
      await expect(
        saveSelfDraft(db, {
          id,
          revision: 0,
          by: p.drafter,
          content: { ...EMPTY_SELF, initiatives: [{ title: 'Sáng kiến', evidenceIds: [randomUUID()] }] },
        }),
      ).rejects.toMatchObject({ code: 'YEAR_END_EVIDENCE_UNKNOWN' });
      await expect(
        saveSelfDraft(db, {
          id,
          revision: 0,
          by: p.drafter,
          content: { ...EMPTY_SELF, initiatives: [{ title: 'Sáng kiến', evidenceIds: [] }] },
        }),
      ).rejects.toBeInstanceOf(DbRuleError);
      const saved = await saveSelfDraft(db, {
        id,
        revision: 0,
        by: p.drafter,
        content: await selfContent(p),
      });
      expect(saved.revision).toBe(1);
      // 65 (tasks) + criterion 1 at level 4 (0.8 × 15 = 12) + 5 + 4 + 5 = 91
      expect(saved.self_score).toBe('91.00');

      // Someone else cannot submit the person's self-assessment; the person can.
      await expect(
        handle.executeUpdate(submitSelfAssessment, { args: [{ by: p.supervisor, revision: 1 }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const r = await handle.executeUpdate(submitSelfAssessment, {
        args: [{ by: p.drafter, revision: 1 }],
        updateId: `self-${id}`,
      });
      expect(r.status).toBe('self-submitted');
      expect(r.phase).toBe('SUPERVISOR');
      const again = await handle.executeUpdate(submitSelfAssessment, {
        args: [{ by: p.drafter, revision: 1 }],
        updateId: `self-${id}`,
      });
      expect(again).toEqual(r);
      const [sup] = await openOf(id);
      expect(sup!.kind).toBe('year-end.supervisor');
      expect(sup!.assignee_person_id).toBe(p.supervisor);
      expect(sup!.logical_due_date).toBe(deadlineById(testCalendar(), 'year-end.supervisor').date);

      // The person cannot assess themselves; a criterion out of bounds is refused by the activity's rule.
      await expect(
        handle.executeUpdate(submitSupervisorAssessment, {
          args: [{ by: p.drafter, points: supervisorPoints, comments: '' }],
        }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(
        handle.executeUpdate(submitSupervisorAssessment, {
          args: [{ by: p.supervisor, points: { ...supervisorPoints, politicalEthics: '16' }, comments: '' }],
        }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect((await rowOf(id)).status).toBe('self-submitted');
      const s = await handle.executeUpdate(submitSupervisorAssessment, {
        args: [{ by: p.supervisor, points: supervisorPoints, comments: 'Hoàn thành tốt, chủ động.' }],
      });
      expect(s.supervisorScore).toBe('93.00');
      expect(s.proposedLevel).toBe('excellent');
      await phaseOf(handle, 'READY');
      const [view] = await yearEndAssessmentsOf(db, { unitId: p.unitId, year: YEAR });
      expect(view).toMatchObject({
        personId: p.drafter,
        status: 'ready',
        supervisorScore: '93.00',
        proposedLevel: 'excellent',
      });
      const steps = (view!.explanation as { steps: { key: string; vi: string }[] }).steps;
      expect(steps.find((x) => x.key === 'proposedLevel')?.vi).toContain('Hoàn thành xuất sắc nhiệm vụ');
      expect(steps.find((x) => x.key === 'decemberEstimate')?.vi).toContain('tạm tính');
      expect(await openOf(id)).toEqual([]);
      const result = await handle.result();
      expect(result.phase).toBe('READY');
    });
  });

  it('goes through the organisation department appraisal where the unit type requires it', async () => {
    await withYearEnd({ msPerDay: 4000, appraisal: true }, async ({ p, id, handle }) => {
      await phaseOf(handle, 'SELF');
      await saveSelfDraft(db, { id, revision: 0, by: p.drafter, content: await selfContent(p) });
      await handle.executeUpdate(submitSelfAssessment, { args: [{ by: p.drafter, revision: 1 }] });
      await handle.executeUpdate(submitSupervisorAssessment, {
        args: [{ by: p.supervisor, points: { ...supervisorPoints, politicalEthics: '6' }, comments: '' }],
      });
      await phaseOf(handle, 'APPRAISAL');
      expect((await rowOf(id)).status).toBe('supervisor-done');
      const [task] = await openOf(id);
      expect(task!.kind).toBe('year-end.appraisal');
      expect(task!.assignee_role).toBe('organisation_department');
      // Disagreeing needs a level.
      await expect(
        handle.executeUpdate(submitAppraisal, {
          args: [{ by: p.secretary, agrees: false, comment: 'Chưa đạt' }],
        }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const r = await handle.executeUpdate(submitAppraisal, {
        args: [{ by: p.secretary, agrees: false, level: 'completed', comment: 'Đề nghị mức Hoàn thành' }],
      });
      expect(r.status).toBe('ready');
      await phaseOf(handle, 'READY');
      const row = await rowOf(id);
      expect(row.status).toBe('ready');
      expect(row.appraisal).toMatchObject({ agrees: false, level: 'completed' });
      expect(row.appraised_by).toBe(p.secretary);
    });
  });

  it('escalates a late self-assessment to the manager and the unit head; late submission still goes on', async () => {
    await withYearEnd({ msPerDay: 600, from: '2027-12-02' }, async ({ p, id, handle }) => {
      await until(
        'escalated to the unit head',
        async () =>
          (await handle.query(getYearEndState)).items.find((i) => i.kind === 'self' && i.escalation >= 2),
        60_000,
      );
      // the workflow counts the rung before its notify activity has written the event: wait for the rows too
      const events = await until(
        'the escalation events written',
        async () => {
          const all = await eventsOfSubject(db, 'year_end_assessment', id);
          const roles = all.filter((e) => e.kind === 'escalated').map((e) => e.recipient_role);
          return roles.includes('supervisor') && roles.includes('unit-head') ? all : undefined;
        },
        60_000,
      );
      const escalated = events.filter((e) => e.kind === 'escalated').map((e) => e.recipient_role);
      expect(escalated).toEqual(expect.arrayContaining(['supervisor', 'unit-head']));
      expect(events.some((e) => e.kind === 'overdue-reminded')).toBe(true);
      await saveSelfDraft(db, { id, revision: 0, by: p.drafter, content: await selfContent(p) });
      const r = await handle.executeUpdate(submitSelfAssessment, { args: [{ by: p.drafter, revision: 1 }] });
      expect(r.phase).toBe('SUPERVISOR');
      const state = await handle.query(getYearEndState);
      expect(state.lateSelf).toBe(true);
      const sup = state.items.find((i) => i.kind === 'supervisor')!;
      // The manager gets working days from the late submission, never a deadline already past.
      expect(sup.dueDate > deadlineById(testCalendar(), 'year-end.supervisor').date).toBe(true);
    });
  });
});
