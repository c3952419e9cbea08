// End to end (issue 7 point 1: "the next quarter's draft plan (from Q2) … which the giao ban approves or adjusts"):
// two units of a province each have an annual plan in force whose 2027-Q2 draft is submitted; the 2027-Q1 giao ban
// reaches IN_SESSION, the secretariat concludes Sở Nội vụ with planDecision 'adjusted' and a note and Sở Y tế
// without a plan decision, and publishes. The publication's decideNextQuarterPlan activity must reach the Sở Nội vụ
// plan workflow (its Query, the audit and the read model db/queries/quarter-plan-status.ts show the adjusted
// draft with the note and the session) and leave the Sở Y tế draft undecided. Dev server, real PostgreSQL, both
// workflows on compressed calendars; assertions are on logical dates and recorded state only.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type GiaoBanDocs, giaoBanActivities } from '../activities/giao-ban.ts';
import { createActivities } from '../activities/index.ts';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import { giaoBanInputFor } from '../db/queries/giao-ban-workflow-input.ts';
import { nextQuarterPlanOf } from '../db/queries/quarter-plan-status.ts';
import { addCalendarDays } from '../domain/calendar/vn-time.ts';
import type { GiaoBanMinutes } from '../domain/giao-ban/model.ts';
import {
  draftVersion,
  type PlanPeople,
  planInput,
  seedPlanPeople,
  TEST_PROFILE,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { giaoBanTestDocs } from '../test/support/giao-ban.ts';
import { until } from '../test/support/poll.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  annualPlanWorkflow,
  appraisePlan,
  decidePlan,
  getAnnualPlan,
  submitPeriodPlan,
  submitPlan,
} from './annual-plan.ts';
import {
  type GiaoBanInput,
  getGiaoBanState,
  giaoBanWorkflow,
  giaoBanWorkflowId,
  publishGiaoBanConclusions,
  recordGiaoBanConclusion,
} from './giao-ban.ts';

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

/** A second agency directly under the province (so on the giao ban's agenda), with its head. */
async function secondUnit(p: PlanPeople) {
  const { code } = await db
    .selectFrom('org_unit')
    .select('code')
    .where('id', '=', p.provinceId)
    .executeTakeFirstOrThrow();
  const u = await db
    .insertInto('org_unit')
    .values({
      type_code: 'agency',
      province_id: p.provinceId,
      parent_id: p.provinceId,
      code: `${code}.SYT`,
      name_vi: 'Sở Y tế',
      active_from: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const head = await db
    .insertInto('person')
    .values({
      full_name: 'Thủ trưởng Sở Y tế',
      email: `gbp-${randomUUID().slice(0, 8)}@test.woms.vn`,
      duty_group: 'civil_servant',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('role_assignment')
    .values({ person_id: head.id, role_code: 'unit_head', scope_unit_id: u.id, valid_from: '2025-01-01' })
    .execute();
  return { unitId: u.id, head: head.id };
}

const planAudits = (planId: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'after'])
    .where('aggregate_type', '=', 'plan')
    .where('aggregate_id', '=', planId)
    .where('action', 'in', ['plan.period-submitted', 'plan.period-approved', 'plan.period-adjusted'])
    .orderBy('seq')
    .execute();

describe('the giao ban decides the next quarter draft plan (dev server)', { timeout: 240_000 }, () => {
  it('publishing the 2027-Q1 conclusions adjusts one unit’s submitted Q2 draft and leaves the other undecided', async () => {
    const p = await seedPlanPeople(db);
    await saveCalendarProfile(
      db,
      { ...TEST_PROFILE, id: `cal-${randomUUID()}` },
      { provinceId: p.provinceId },
    );
    const syt = await secondUnit(p);
    // The two units' plan people: Sở Nội vụ as seeded, Sở Y tế with its own head (same drafter, same province).
    const snvP = p;
    const sytP: PlanPeople = { ...p, unitId: syt.unitId, head: syt.head };

    const taskQueue = `gb-plan-${randomUUID()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: bundle,
      activities: { ...createActivities({ db, temporal: client }), ...giaoBanActivities({ db, docs }) },
    });
    const planWarp = warpFrom('2027-04-02', 6000);
    const snvInput = { ...planInput(snvP, testCalendar(), planWarp), periodPlans: true };
    const sytInput = {
      ...planInput(sytP, testCalendar(), planWarp),
      ownerName: 'Sở Y tế',
      periodPlans: true,
    };
    const started: string[] = [];
    await worker.runUntil(async () => {
      try {
        // Both annual plans in force, each with its Q2 draft submitted (waiting for the giao ban).
        const drafts: Record<string, string> = {};
        for (const [pp, input] of [
          [snvP, snvInput],
          [sytP, sytInput],
        ] as const) {
          await client.workflow.start(annualPlanWorkflow, {
            taskQueue,
            workflowId: input.planId,
            args: [input],
          });
          started.push(input.planId);
          const h = client.workflow.getHandle(input.planId);
          const v = await draftVersion(db, pp); // also the plan row with its workflow id
          await h.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: pp.drafter }] });
          await h.executeUpdate(appraisePlan, { args: [{ by: pp.secretary, opinion: 'endorse' }] });
          const r = await h.executeUpdate(decidePlan, { args: [{ by: pp.committee, decision: 'approve' }] });
          expect(r.status).toBe('APPROVED');
          await until('the Q2 draft', async () =>
            (await h.query(getAnnualPlan)).periodPlans?.some((x) => x.period === '2027-Q2'),
          );
          const draft = await draftVersion(db, pp, 'Dự thảo kế hoạch quý 2');
          await h.executeUpdate(submitPeriodPlan, {
            args: [{ period: '2027-Q2', versionId: draft.id, hash: draft.hash, by: pp.drafter }],
          });
          drafts[input.planId] = draft.id;
        }
        const snvPlan = client.workflow.getHandle(snvInput.planId);
        const sytPlan = client.workflow.getHandle(sytInput.planId);
        const q2 = async (h: typeof snvPlan) =>
          (await h.query(getAnnualPlan)).periodPlans?.find((x) => x.period === '2027-Q2');
        // Before the giao ban: both drafts submitted and undecided (so the later changes are the giao ban's).
        for (const h of [snvPlan, sytPlan]) {
          const rec = await q2(h);
          expect(rec).toMatchObject({ status: 'submitted', decider: 'giao-ban' });
          expect(rec?.decision).toBeUndefined();
        }
        expect((await nextQuarterPlanOf(db, snvP.unitId, '2027-Q1'))?.status).toBe('submitted');

        // The 2027-Q1 giao ban, started the day before its dossier day.
        const session = '2027-Q1';
        const built = await giaoBanInputFor(db, { provinceId: p.provinceId, session });
        if (!built) throw new Error('no giao ban input');
        expect(built.planDecisions).toBe(true);
        const gbInput: GiaoBanInput = {
          ...built,
          timeWarp: warpFrom(addCalendarDays(built.dates.dossierDate, -1), 1500),
        };
        const gbId = giaoBanWorkflowId(p.provinceId, session);
        await client.workflow.start(giaoBanWorkflow, { taskQueue, workflowId: gbId, args: [gbInput] });
        started.push(gbId);
        const gb = client.workflow.getHandle(gbId);
        // The workflow's own phase (its Query): the row is projected just before the workflow state changes.
        await until('IN_SESSION', async () => (await gb.query(getGiaoBanState)).phase === 'IN_SESSION');
        const sessionRow = () =>
          db
            .selectFrom('giao_ban_session')
            .select(['phase', 'minutes'])
            .where('province_id', '=', p.provinceId)
            .where('session', '=', session)
            .executeTakeFirstOrThrow();
        // the read model follows the workflow (projected by its activity)
        await until('the session row IN_SESSION', async () => (await sessionRow()).phase === 'IN_SESSION');

        const note = 'Bổ sung chỉ tiêu số hóa hồ sơ thủ tục hành chính quý 2';
        const base = {
          completionLevel: 'good' as const,
          summary: 'Hoàn thành tốt nhiệm vụ quý 1.',
          directions: [],
          by: p.secretary,
        };
        await gb.executeUpdate(recordGiaoBanConclusion, {
          args: [{ ...base, unitId: snvP.unitId, planDecision: 'adjusted', planNote: note }],
        });
        await gb.executeUpdate(recordGiaoBanConclusion, {
          args: [{ ...base, unitId: syt.unitId, planDecision: null, planNote: null }],
        });
        // The update answers once its effects (the plan decisions among them) are flushed.
        await gb.executeUpdate(publishGiaoBanConclusions, { args: [{ by: p.secretary }] });
        const published = await sessionRow();
        expect(published.phase).toBe('PUBLISHED');
        expect(
          (published.minutes as unknown as GiaoBanMinutes).conclusions
            .map((c) => [c.unitId, c.planDecision ?? null])
            .sort(),
        ).toEqual(
          [
            [snvP.unitId, 'adjusted'],
            [syt.unitId, null],
          ].sort(),
        );

        // The adjusted draft: the plan workflow's Query.
        const snvRec = await until('the Q2 decision', async () => {
          const r = await q2(snvPlan);
          return r?.decision ? r : undefined;
        });
        expect(snvRec).toMatchObject({
          status: 'approved',
          decision: 'adjusted',
          note,
          session: '2027-Q1',
          decidedBy: p.secretary,
          versionId: drafts[snvInput.planId],
        });
        // The audit: exactly one decision, by the publisher, with the note and the session.
        const snvAudits = (await planAudits(snvInput.planId)).filter(
          (a) => (a.after as { period?: string }).period === '2027-Q2',
        );
        expect(snvAudits.map((a) => a.action)).toEqual(['plan.period-submitted', 'plan.period-adjusted']);
        expect(snvAudits[1]).toMatchObject({
          actor: p.secretary,
          after: { decision: 'adjusted', note, session: '2027-Q1', versionId: drafts[snvInput.planId] },
        });
        // The read model the quarterly report shows.
        expect(await nextQuarterPlanOf(db, snvP.unitId, '2027-Q1')).toMatchObject({
          planId: snvInput.planId,
          status: 'adjusted',
          note,
          session: '2027-Q1',
        });

        // No plan decision in its conclusion: the Sở Y tế draft stays submitted and undecided.
        const sytRec = await q2(sytPlan);
        expect(sytRec).toMatchObject({ status: 'submitted', versionId: drafts[sytInput.planId] });
        expect(sytRec?.decision).toBeUndefined();
        expect(sytRec?.session).toBeUndefined();
        expect((await planAudits(sytInput.planId)).map((a) => a.action)).toEqual(['plan.period-submitted']);
        expect(await nextQuarterPlanOf(db, syt.unitId, '2027-Q1')).toMatchObject({
          planId: sytInput.planId,
          status: 'submitted',
          note: null,
          session: null,
        });
      } finally {
        for (const id of started)
          await client.workflow
            .getHandle(id)
            .terminate('test over')
            .catch(() => {});
      }
    });
  });
});
