// The next quarter's draft plan (issue 7 point 1, DESIGN §3, PATCH_QUARTER_DRAFTS): from Q2 the unit's draft
// plan for the quarter opens with the previous quarter's report task (the 1st of the month after it), due with
// that report; a submitted draft waits for the giao ban, whose conclusion sends decideQuarterPlan (approved, or
// adjusted with a note). Dev server, real PostgreSQL, the plan-year 2027 calendar on the test profile with a
// time warp; assertions are on logical dates.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import {
  draftVersion,
  type PlanPeople,
  planInput,
  seedPlanPeople,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  annualPlanWorkflow,
  appraisePlan,
  decidePlan,
  decideQuarterPlan,
  getAnnualPlan,
  PATCH_QUARTER_DRAFTS,
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

type Handle = ReturnType<Client['workflow']['getHandle']>;
async function withPlan(
  opts: { fromDate: string; msPerDay: number },
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
    ...planInput(p, testCalendar(), warpFrom(opts.fromDate, opts.msPerDay)),
    periodPlans: true,
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

async function approveNow(p: PlanPeople, handle: Handle) {
  const v = await draftVersion(db, p);
  await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
  await handle.executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
  const r = await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
  expect(r.status).toBe('APPROVED');
}
const tasks = (planId: string) => tasksOfSubject(db, 'plan', planId);
const auditOf = (planId: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'after'])
    .where('aggregate_type', '=', 'plan')
    .where('aggregate_id', '=', planId)
    .orderBy('seq')
    .execute();
const rejectedWith = async (p: Promise<unknown>, text: string) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(((e as WorkflowUpdateFailedError).cause as Error).message).toContain(text);
};

describe.concurrent('the next quarter draft plan, decided at the giao ban (dev server)', () => {
  it('Q2 opens on 1/04 due with the Q1 report; submitted, it waits for the giao ban, which adjusts it with a note', async () => {
    await withPlan({ fromDate: '2027-03-29', msPerDay: 3000 }, async ({ p, handle, planId }) => {
      await approveNow(p, handle);
      const before = await handle.query(getAnnualPlan);
      expect(before.periodPlans?.map((r) => r.period)).toEqual(['2027-Q1', '2027-01', '2027-02', '2027-03']);

      const q2Task = `${planId}:period:2027-Q2:submit:1`;
      const opened = await until('the Q2 draft item', async () =>
        (await tasks(planId)).find((t) => t.id === q2Task),
      );
      const reportDue = deadlineById(testCalendar(), 'quarter-report.2027-Q1').date;
      expect(reportDue).toBe('2027-04-12'); // 10/04/2027 is a Saturday
      expect(opened).toMatchObject({
        kind: 'plan.period-submit',
        status: 'open',
        logical_due_date: reportDue,
        assignee_person_id: p.drafter,
      });
      expect(opened.details).toMatchObject({
        period: '2027-Q2',
        decider: 'giao-ban',
        sendWith: 'quarter-report.2027-Q1',
      });
      let view = await handle.query(getAnnualPlan);
      expect(view.periodPlans?.find((r) => r.period === '2027-Q2')).toMatchObject({
        status: 'open',
        openedOn: '2027-04-01',
        decider: 'giao-ban',
      });
      // April's month plan opened at the same boundary; Q3 not yet.
      expect(view.periodPlans?.map((r) => r.period)).toEqual(expect.arrayContaining(['2027-04', '2027-Q2']));
      expect(view.periodPlans?.some((r) => r.period === '2027-Q3')).toBe(false);

      const decide = (args: Record<string, unknown>, updateId?: string) =>
        handle.executeUpdate(decideQuarterPlan, {
          args: [{ by: p.secretary, period: '2027-Q2', decision: 'approved', session: '2027-Q1', ...args }],
          ...(updateId ? { updateId } : {}),
        });
      // Not yet sent.
      await rejectedWith(decide({}), 'chưa được gửi');

      const draft = await draftVersion(db, p, 'Dự thảo kế hoạch quý 2');
      await handle.executeUpdate(submitPeriodPlan, {
        args: [{ period: '2027-Q2', versionId: draft.id, hash: draft.hash, by: p.drafter }],
      });
      view = await handle.query(getAnnualPlan);
      expect(view.periodPlans?.find((r) => r.period === '2027-Q2')).toMatchObject({
        status: 'submitted',
        versionId: draft.id,
        submittedBy: p.drafter,
      });
      // No unit-head item: the draft waits for the giao ban.
      expect(
        (await tasks(planId)).filter((t) => t.id.includes(':period:2027-Q2:')).map((t) => t.status),
      ).toEqual(['done']);
      expect(view.openItems.some((i) => i.period === '2027-Q2')).toBe(false);
      const submitted = (await auditOf(planId)).find(
        (a) => a.action === 'plan.period-submitted' && (a.after as { period?: string }).period === '2027-Q2',
      );
      expect(submitted?.after).toMatchObject({ awaiting: 'giao-ban', versionId: draft.id });

      // Refusals: unknown period, another year, Q1, a wrong session, adjusted without a note, a bad decision.
      await rejectedWith(decide({ period: '2027-Q3', session: '2027-Q2' }), 'Không có dự thảo');
      await rejectedWith(decide({ period: '2026-Q2' }), 'không hợp lệ');
      await rejectedWith(decide({ period: 'quý 2' }), 'không hợp lệ');
      await rejectedWith(decide({ period: '2027-Q1', session: '2026-Q4' }), 'quý 1');
      await rejectedWith(decide({ session: '2027-Q2' }), 'giao ban 2027-Q1');
      await rejectedWith(decide({ decision: 'adjusted' }), 'ghi chú');
      await rejectedWith(decide({ decision: 'adjusted', note: '   ' }), 'ghi chú');
      await rejectedWith(decide({ decision: 'approve' }), 'Quyết định không hợp lệ');
      await rejectedWith(decide({ by: '' }), 'by');

      const note = 'Bổ sung chỉ tiêu giải ngân vốn đầu tư công';
      const r = await decide({ decision: 'adjusted', note }, 'gb-2027-Q1-unit');
      expect(r.status).toBe('APPROVED');
      // The same update id again answers the same result without a second decision.
      expect(await decide({ decision: 'adjusted', note }, 'gb-2027-Q1-unit')).toEqual(r);
      // A second decision is refused.
      await rejectedWith(decide({}), 'đã được giao ban quyết định');

      view = await handle.query(getAnnualPlan);
      expect(view.periodPlans?.find((r) => r.period === '2027-Q2')).toMatchObject({
        status: 'approved',
        decision: 'adjusted',
        note,
        session: '2027-Q1',
        decidedBy: p.secretary,
        versionId: draft.id,
      });
      const decidedOn = view.periodPlans?.find((r) => r.period === '2027-Q2')?.decidedOn ?? '';
      expect(decidedOn >= '2027-04-01' && decidedOn <= '2027-04-30').toBe(true);
      const audits = (await auditOf(planId)).filter(
        (a) => (a.after as { period?: string }).period === '2027-Q2',
      );
      expect(audits.filter((a) => a.action === 'plan.period-adjusted')).toHaveLength(1);
      expect(audits.find((a) => a.action === 'plan.period-adjusted')).toMatchObject({
        actor: p.secretary,
        after: { decision: 'adjusted', note, session: '2027-Q1', versionId: draft.id },
      });
      // The drafter and the unit head are told.
      const told = await until('the decision notifications', async () => {
        const n = await db
          .selectFrom('notification')
          .select(['person_id', 'kind', 'title_vi', 'body_vi'])
          .where('kind', '=', 'plan.period-adjusted')
          .where('person_id', 'in', [p.drafter, p.head])
          .execute();
        return n.length === 2 && n;
      });
      expect(told[0]?.title_vi).toContain('quý 2/2027');
      expect(told[0]?.title_vi).toContain('điều chỉnh');
      expect(told[0]?.body_vi).toContain(note);
    });
  });

  it('a plan in force late in June: the Q2 draft opens at once, Q3 on 1/07 due with the Q2 report, approved as sent', async () => {
    await withPlan({ fromDate: '2027-06-28', msPerDay: 3000 }, async ({ p, handle, planId }) => {
      await approveNow(p, handle);
      const first = await until('the Q2 draft', async () => {
        const v = await handle.query(getAnnualPlan);
        return v.periodPlans?.some((r) => r.period === '2027-Q2') && v;
      });
      expect(first.periodPlans?.find((r) => r.period === '2027-Q2')).toMatchObject({
        status: 'open',
        openedOn: '2027-06-28',
        decider: 'giao-ban',
      });
      const q3Task = `${planId}:period:2027-Q3:submit:1`;
      const opened = await until('the Q3 draft item', async () =>
        (await tasks(planId)).find((t) => t.id === q3Task),
      );
      expect(opened.logical_due_date).toBe(deadlineById(testCalendar(), 'quarter-report.2027-Q2').date);
      expect(opened.logical_due_date).toBe('2027-07-12');
      const view = await handle.query(getAnnualPlan);
      // Q2 is over on 1/07: no draft is opened for a past quarter, and Q2 (never sent) cannot be decided.
      expect(view.periodPlans?.find((r) => r.period === '2027-Q3')?.openedOn).toBe('2027-07-01');
      await rejectedWith(
        handle.executeUpdate(decideQuarterPlan, {
          args: [{ by: p.secretary, period: '2027-Q2', decision: 'approved', session: '2027-Q1' }],
        }),
        'chưa được gửi',
      );
      const draft = await draftVersion(db, p, 'Dự thảo kế hoạch quý 3');
      await handle.executeUpdate(submitPeriodPlan, {
        args: [{ period: '2027-Q3', versionId: draft.id, hash: draft.hash, by: p.drafter }],
      });
      await handle.executeUpdate(decideQuarterPlan, {
        args: [{ by: p.secretary, period: '2027-Q3', decision: 'approved', note: null, session: '2027-Q2' }],
      });
      const after = await handle.query(getAnnualPlan);
      const q3 = after.periodPlans?.find((r) => r.period === '2027-Q3');
      expect(q3).toMatchObject({ status: 'approved', decision: 'approved', session: '2027-Q2' });
      expect(q3?.note).toBeUndefined();
      expect(
        (await auditOf(planId)).some(
          (a) =>
            a.action === 'plan.period-approved' &&
            (a.after as { period?: string; decision?: string }).period === '2027-Q3' &&
            (a.after as { decision?: string }).decision === 'approved',
        ),
      ).toBe(true);
      const events = await eventsOfSubject(db, 'plan', planId);
      expect(events.some((e) => e.task_id.includes(':period:2027-Q3:decide'))).toBe(false);
    });
  });
});

describe('the recorded history with the quarter drafts (replayed by workflows/replay.test.ts)', () => {
  const dir = join(import.meta.dirname, '__fixtures__', 'histories');
  type Ev = {
    markerRecordedEventAttributes?: { details: Record<string, { payloads: { data: string }[] }> };
    activityTaskScheduledEventAttributes?: {
      activityType: { name: string };
      input: { payloads: { data: string }[] };
    };
    workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest: { input: { name: string } } };
  };
  const load = (f: string): Ev[] => JSON.parse(readFileSync(join(dir, f), 'utf8')).events;
  const decode = (d: string) => JSON.parse(Buffer.from(d, 'base64').toString('utf8'));
  it('has the patch marker where the Q2 draft opens, then its submission and the giao ban decision', () => {
    const run1 = load('annualPlan-quarter-drafts-v5-1.json');
    const markers = run1
      .filter((e) => e.markerRecordedEventAttributes)
      .map((e) => decode(e.markerRecordedEventAttributes!.details['patch-data']!.payloads[0]!.data).id);
    expect(markers).toContain(PATCH_QUARTER_DRAFTS);
    const opened = run1
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType.name === 'openTask')
      .map((e) => decode(e.activityTaskScheduledEventAttributes!.input.payloads[0]!.data).id as string);
    expect(opened.some((id) => id.endsWith(':period:2027-Q2:submit:1'))).toBe(true);
    const updates = (f: string) =>
      load(f)
        .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
        .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest.input.name);
    expect(updates('annualPlan-quarter-drafts-v5-2.json')).toEqual(['submitPeriodPlan']);
    expect(updates('annualPlan-quarter-drafts-v5-3.json')).toEqual(['decideQuarterPlan']);
  });
});
