// The next quarter's draft plan on the quarterly report (issue 7 point 1): GET /api/reports/quarterly answers
// nextQuarterPlan from the read model the annual plan workflow writes — not started (no plan, then no draft
// item), draft (the Q2 item open on 1/04, due with the Q1 report), submitted (sent through the plan API's
// period-plan route), adjusted with the giao ban's note (the activity decideNextQuarterPlan) — and null for a
// Q4 report. Real PostgreSQL, the dev server and a worker with the real activities; the workflow on a time warp.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../activities/index.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { createPlanVersion, ensurePlan } from '../../../db/queries/plans.ts';
import { planInput, TEST_PROFILE, testCalendar, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import {
  annualPlanId,
  annualPlanWorkflow,
  appraisePlan,
  decidePlan,
  getAnnualPlan,
  submitPlan,
} from '../../../workflows/annual-plan.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `qplan-api-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json()) as Json };
};
const report = (period: string) => `/api/reports/quarterly?unitId=${f.unit.A}&period=${period}`;

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  // The API's clock stays real (sessions are checked against it); the workflow plays 2027 on its time warp.
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(async () => {
  await w?.stop();
});

describe('GET /api/reports/quarterly: nextQuarterPlan', () => {
  it('follows the Q2 draft from not started to adjusted at the giao ban; none after a Q4 report', async () => {
    const before = await as('headA', 'GET', report('2027-Q1'));
    expect(before.status).toBe(200);
    expect(before.body.nextQuarterPlan).toEqual({
      period: '2027-Q2',
      planId: null,
      status: 'not-started',
      dueDate: null,
      submittedOn: null,
      decidedOn: null,
      note: null,
      session: null,
    });
    const q4 = await as('headA', 'GET', report('2027-Q4'));
    expect(q4.status).toBe(200);
    expect(q4.body.nextQuarterPlan).toBeNull();

    // The unit's annual plan 2027, approved on 2/04/2027: the Q2 draft opens at once (the quarter has begun).
    const people = {
      provinceId: f.unit.P,
      unitId: f.unit.A,
      drafter: f.person.headA,
      supervisor: f.person.supervisorA,
      head: f.person.headA,
      secretary: f.person.secretariatP,
      committee: f.person.standingP,
      email: { drafter: '', supervisor: '', head: '', secretary: '', committee: '' },
    };
    const planId = annualPlanId(f.unit.A, 2027);
    await ensurePlan(db, { id: planId, ownerKind: 'unit', unitId: f.unit.A, year: 2027, workflowId: planId });
    const content = (note: string) => ({
      id: planId,
      year: 2027,
      owner: { kind: 'unit', unitId: f.unit.A },
      tasks: [],
      sections: [],
      note,
    });
    const v1 = await createPlanVersion(db, {
      planId,
      content: content('Kế hoạch năm'),
      createdBy: f.person.headA,
    });
    const input = { ...planInput(people, testCalendar(), warpFrom('2027-04-02', 3000)), periodPlans: true };
    await w.client.workflow.start(annualPlanWorkflow, { taskQueue, workflowId: planId, args: [input] });
    w.started.push(planId);
    const h = w.client.workflow.getHandle(planId);
    await h.executeUpdate(submitPlan, { args: [{ versionId: v1.id, hash: v1.hash, by: f.person.headA }] });
    await h.executeUpdate(appraisePlan, { args: [{ by: f.person.secretariatP, opinion: 'endorse' }] });
    await h.executeUpdate(decidePlan, { args: [{ by: f.person.standingP, decision: 'approve' }] });

    const draft = await until('the Q2 draft on the report', async () => {
      const r = await as('headA', 'GET', report('2027-Q1'));
      return r.body.nextQuarterPlan?.status === 'draft' && r.body.nextQuarterPlan;
    });
    expect(draft).toMatchObject({ period: '2027-Q2', planId, dueDate: '2027-04-12', submittedOn: null });

    // Sent through the plan API (a Q2 period is accepted there now).
    const v2 = await createPlanVersion(db, {
      planId,
      content: content('Dự thảo kế hoạch quý 2'),
      createdBy: f.person.headA,
    });
    const sent = await as(
      'headA',
      'POST',
      `/api/plans/${encodeURIComponent(planId)}/period-plans/2027-Q2/submit`,
      {
        versionId: v2.id,
      },
    );
    expect(sent.status).toBe(200);
    const submitted = await until('the Q2 draft submitted', async () => {
      const r = await as('headA', 'GET', report('2027-Q1'));
      return r.body.nextQuarterPlan?.status === 'submitted' && r.body.nextQuarterPlan;
    });
    expect(submitted.submittedOn >= '2027-04-02' && submitted.submittedOn <= '2027-04-12').toBe(true);
    // The plan's process view marks it as the giao ban's to decide.
    const process = await as('headA', 'GET', `/api/plans/${encodeURIComponent(planId)}/process`);
    expect(process.body.periodPlans.find((p: Json) => p.period === '2027-Q2')).toMatchObject({
      status: 'submitted',
      decider: 'giao-ban',
    });

    // The giao ban adjusts it (the activity its publication calls).
    const note = 'Điều chỉnh chỉ tiêu giải quyết hồ sơ trực tuyến lên 95%';
    const { decideNextQuarterPlan } = createActivities({ db, temporal: w.client });
    expect(
      await decideNextQuarterPlan({
        provinceId: f.unit.P,
        unitId: f.unit.A,
        year: 2027,
        period: '2027-Q2',
        decision: 'adjusted',
        note,
        by: f.person.secretariatP,
        session: '2027-Q1',
      }),
    ).toMatchObject({ outcome: 'decided' });
    const adjusted = await until('the Q2 draft adjusted', async () => {
      const r = await as('secretariatP', 'GET', report('2027-Q1'));
      return r.body.nextQuarterPlan?.status === 'adjusted' && r.body.nextQuarterPlan;
    });
    expect(adjusted).toMatchObject({ period: '2027-Q2', planId, note, session: '2027-Q1' });
    expect(adjusted.decidedOn >= submitted.submittedOn).toBe(true);
    const view = await h.query(getAnnualPlan);
    expect(view.periodPlans?.find((r) => r.period === '2027-Q2')?.decidedOn).toBe(adjusted.decidedOn);
  });
});
