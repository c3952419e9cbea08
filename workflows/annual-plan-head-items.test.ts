// A unit head's own items escalate to the level that manages heads (DESIGN §1, §3;
// PATCH_HEAD_ITEMS_ESCALATE_UP): an overdue decomposition, an overdue period-plan decision and a child plan's
// decision by the unit head escalate to the secretariat (no heads' manager of its own: the unit is directly
// under the province) and never to the supervisor or the unit head; the drafter's overdue period plan still
// escalates supervisor → unit head → secretariat. Dev server, real PostgreSQL, the plan-year 2027 calendar on
// the test profile with a time warp; assertions are on logical dates.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
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
import { workflowsPath } from '../worker/run.ts';
import {
  type AnnualPlanInput,
  annualPlanWorkflow,
  appraisePlan,
  decidePlan,
  PATCH_HEAD_ITEMS_ESCALATE_UP,
  proposeAmendment,
  submitPeriodPlan,
  submitPlan,
} from './annual-plan.ts';

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

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 90_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

type Handle = ReturnType<Client['workflow']['getHandle']>;
async function withPlan(
  opts: {
    fromDate: string;
    msPerDay: number;
    input?: (p: PlanPeople) => Partial<AnnualPlanInput>;
    calendar?: Record<string, string>;
  },
  body: (ctx: { p: PlanPeople; handle: Handle; planId: string }) => Promise<void>,
) {
  const p = await seedPlanPeople(db);
  const taskQueue = `plan-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  const input = {
    ...planInput(p, testCalendar(opts.calendar), warpFrom(opts.fromDate, opts.msPerDay)),
    ...(opts.input?.(p) ?? {}),
  };
  await worker.runUntil(async () => {
    await client.workflow.start(annualPlanWorkflow, { taskQueue, workflowId: input.planId, args: [input] });
    try {
      await body({ p, handle: client.workflow.getHandle(input.planId), planId: input.planId });
    } finally {
      await client.workflow
        .getHandle(input.planId)
        .terminate('test over')
        .catch(() => {});
    }
  });
}

const tasks = (planId: string) => tasksOfSubject(db, 'plan', planId);
const events = (planId: string) => eventsOfSubject(db, 'plan', planId);
/** `kind:recipient@date` of a task's rungs (opened/closed left out). */
const rungsOf = async (planId: string, step: string) =>
  (await events(planId))
    .filter((e) => e.task_id === `${planId}:${step}` && e.kind !== 'opened' && e.kind !== 'closed')
    .map((e) => `${e.kind}:${e.recipient_role}@${e.logical_date}`);
const escalatedTo = async (planId: string, step: string) =>
  (await events(planId))
    .filter((e) => e.task_id === `${planId}:${step}` && e.kind === 'escalated')
    .map((e) => e.recipient_role);
/** The patch ids recorded as markers in the workflow's histories (every run). */
async function patchMarkers(handle: Handle): Promise<string[]> {
  const ids: string[] = [];
  let runId: string | undefined = (await handle.describe()).runId;
  const seen = new Set<string>();
  while (runId && !seen.has(runId)) {
    seen.add(runId);
    const history = await client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    let prev: string | undefined;
    for (const e of history.events ?? []) {
      const m = e.markerRecordedEventAttributes;
      const data = m?.details?.['patch-data']?.payloads?.[0]?.data;
      if (data) ids.push(JSON.parse(Buffer.from(data).toString('utf8')).id);
      const started = e.workflowExecutionStartedEventAttributes;
      if (started?.continuedExecutionRunId) prev = started.continuedExecutionRunId;
    }
    runId = prev;
  }
  return ids;
}

describe.concurrent('a unit head’s own items escalate to the level that manages heads (dev server)', () => {
  it('approved on 4/01/2027: the overdue decomposition and Q1 decision go to the secretariat; the drafter’s January plan still goes supervisor → unit head', async () => {
    await withPlan(
      { fromDate: '2027-01-04', msPerDay: 1000, input: () => ({ decompose: true, periodPlans: true }) },
      async ({ p, handle, planId }) => {
        const v = await draftVersion(db, p);
        await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
        await handle.executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
        await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
        // The Q1 plan submitted at once: the unit head's decision opens (due in 2 working days) and is missed.
        const q1 = await draftVersion(db, p, 'Kế hoạch quý 1');
        await handle.executeUpdate(submitPeriodPlan, {
          args: [{ period: '2027-Q1', versionId: q1.id, hash: q1.hash, by: p.drafter }],
        });
        const decideStep = 'period:2027-Q1:decide:1';
        const opened = await tasks(planId);
        expect(opened.find((t) => t.id === `${planId}:decompose`)).toMatchObject({
          assignee_person_id: p.head,
          logical_due_date: '2027-01-11',
        });
        const decideDue = opened.find((t) => t.id === `${planId}:${decideStep}`)?.logical_due_date;
        expect(decideDue).toBeTruthy();
        const wd = workingCalendar(TEST_PROFILE);

        // The drafter's January plan (due 5/01): today's ladder, inside the unit first.
        await until('January escalated to the secretariat', async () =>
          (await escalatedTo(planId, 'period:2027-01:submit:1')).includes('secretariat'),
        );
        expect(
          (await rungsOf(planId, 'period:2027-01:submit:1')).filter((r) => r.startsWith('escalated')),
        ).toEqual([
          'escalated:supervisor@2027-01-07',
          'escalated:unit-head@2027-01-11',
          'escalated:secretariat@2027-01-13',
        ]);

        // The Q1 decision: reminders and overdue reminders to the head, then one escalation to the
        // secretariat at D+6 (the unit/head escalation offset).
        await until(
          'the Q1 decision escalated',
          async () => (await escalatedTo(planId, decideStep)).length > 0,
        );
        const decide = await rungsOf(planId, decideStep);
        expect(decide.filter((r) => r.startsWith('escalated'))).toEqual([
          `escalated:secretariat@${wd.addWorkingDays(decideDue!, 6)}`,
        ]);
        expect(decide.filter((r) => r.startsWith('overdue-reminded'))).toEqual(
          [1, 2, 3].map((k) => `overdue-reminded:unit-head@${wd.addWorkingDays(decideDue!, k)}`),
        );
        expect(decide).toContain(`reminded:unit-head@${decideDue}`);

        // The decomposition (due 11/01): likewise, escalated to the secretariat on 19/01.
        await until(
          'the decomposition escalated',
          async () => (await escalatedTo(planId, 'decompose')).length > 0,
        );
        const decompose = await rungsOf(planId, 'decompose');
        expect(decompose.filter((r) => r.startsWith('escalated'))).toEqual([
          'escalated:secretariat@2027-01-19',
        ]);
        expect(decompose.filter((r) => r.startsWith('reminded'))).toEqual([
          'reminded:unit-head@2027-01-06',
          'reminded:unit-head@2027-01-08',
          'reminded:unit-head@2027-01-11',
        ]);
        const all = (await events(planId)).filter(
          (e) =>
            (e.task_id === `${planId}:decompose` || e.task_id === `${planId}:${decideStep}`) &&
            e.kind === 'escalated',
        );
        expect(all.some((e) => e.recipient_role === 'supervisor' || e.recipient_role === 'unit-head')).toBe(
          false,
        );
        const rows = await tasks(planId);
        expect(rows.find((t) => t.id === `${planId}:decompose`)?.escalation_level).toBe(4);
        expect(rows.find((t) => t.id === `${planId}:${decideStep}`)?.escalation_level).toBe(4);
        // The message goes to the province's secretariat (the secretary holds the role), not to the head.
        const notes = await db
          .selectFrom('notification')
          .select(['person_id', 'kind'])
          .where('idempotency_key', 'like', `escalate:${planId}:decompose@%`)
          .where('kind', '=', 'plan.escalated')
          .execute();
        expect(notes.map((n) => n.person_id)).toEqual([p.secretary]);
        expect(await patchMarkers(handle)).toContain(PATCH_HEAD_ITEMS_ESCALATE_UP);
      },
    );
  });

  it('a decomposed child plan: its decision by the unit head escalates to the secretariat, with no recorded top-level miss', async () => {
    await withPlan(
      {
        fromDate: '2027-01-05',
        msPerDay: 1000,
        calendar: { 'plan.submit': '2027-01-05', 'plan.approve': '2027-01-11' },
        input: (p) => ({
          scope: 'individual',
          parentPlanId: `plan:2027:unit:${p.provinceId}`,
          chain: { step: 'plan-approval', levels: [{ role: 'unit-head' }] },
        }),
      },
      async ({ p, handle, planId }) => {
        const v = await draftVersion(db, p, 'Kế hoạch phòng');
        await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
        const decide = (await tasks(planId)).find((t) => t.id === `${planId}:decide:1`);
        expect(decide).toMatchObject({ assignee_person_id: p.head, logical_due_date: '2027-01-11' });
        await until('the decision escalated', async () => (await escalatedTo(planId, 'decide:1')).length > 0);
        const rungs = await rungsOf(planId, 'decide:1');
        expect(rungs.filter((r) => r.startsWith('escalated'))).toEqual(['escalated:secretariat@2027-01-19']);
        expect(rungs.some((r) => r.startsWith('missed'))).toBe(false);
        expect(rungs.filter((r) => r.startsWith('reminded')).every((r) => r.includes(':unit-head@'))).toBe(
          true,
        );
        expect((await tasks(planId)).find((t) => t.id === `${planId}:decide:1`)?.escalation_level).toBe(4);
      },
    );
  });
  it('an amendment decided by the unit head (a one-level amendment chain): escalated to the secretariat, no recorded top-level miss', async () => {
    await withPlan(
      {
        fromDate: '2027-01-04',
        msPerDay: 1000,
        input: () => ({
          appraiseWorkingDays: 1,
          amendmentChain: { step: 'amendment', levels: [{ role: 'unit-head' }] },
        }),
      },
      async ({ p, handle, planId }) => {
        const v = await draftVersion(db, p);
        await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
        await handle.executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
        await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
        const v2 = await draftVersion(db, p, 'Điều chỉnh');
        await handle.executeUpdate(proposeAmendment, {
          args: [
            {
              versionId: v2.id,
              hash: v2.hash,
              reason: 'Điều chỉnh chỉ tiêu',
              changes: { added: 0, adjusted: 1, dropped: 0 },
              by: p.drafter,
            },
          ],
        });
        const step = 'amend:1:L0';
        const item = (await tasks(planId)).find((t) => t.id === `${planId}:${step}`);
        expect(item).toMatchObject({ kind: 'plan.amend-decide', assignee_person_id: p.head });
        await until('the amendment escalated', async () => (await escalatedTo(planId, step)).length > 0);
        const due = item!.logical_due_date!;
        const rungs = await rungsOf(planId, step);
        expect(rungs.filter((r) => r.startsWith('escalated'))).toEqual([
          `escalated:secretariat@${workingCalendar(TEST_PROFILE).addWorkingDays(due, 6)}`,
        ]);
        expect(rungs.some((r) => r.startsWith('missed'))).toBe(false);
      },
    );
  });
});
