// decideNextQuarterPlan (issue 7 point 1): the giao ban's decision reaches the unit's annual plan workflow once.
// Dev server and real PostgreSQL: a plan approved on 2/04/2027 (time warp) has its Q2 draft open; the activity
// answers 'not-submitted' before the drafter sends it, 'decided' once, then 'already-decided' (also for another
// decision) without a second decision; a unit with no plan or in another province answers 'no-plan'; a
// decision the workflow refuses fails without retries.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  draftVersion,
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
  getAnnualPlan,
  submitPeriodPlan,
  submitPlan,
} from '../workflows/annual-plan.ts';
import { createActivities } from './index.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let client: Client;
let native: NativeConnection;

beforeAll(async () => {
  const address = inject('temporalAddress');
  client = new Client({ connection: await Connection.connect({ address }) });
  native = await NativeConnection.connect({ address });
});
afterAll(async () => {
  await client?.connection.close();
  await native?.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('decideNextQuarterPlan (dev server)', () => {
  it('decides a sent Q2 draft once and answers the same on every later call', async () => {
    const p = await seedPlanPeople(db);
    const taskQueue = `qplan-${randomUUID()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
      activities: createActivities({ db }),
    });
    const input = { ...planInput(p, testCalendar(), warpFrom('2027-04-02', 3000)), periodPlans: true };
    const { decideNextQuarterPlan } = createActivities({ db, temporal: client });
    const audits = () =>
      db
        .selectFrom('audit_log')
        .select(['action', 'actor', 'after'])
        .where('aggregate_type', '=', 'plan')
        .where('aggregate_id', '=', input.planId)
        .where('action', 'in', ['plan.period-adjusted', 'plan.period-approved'])
        .execute();
    await worker.runUntil(async () => {
      await client.workflow.start(annualPlanWorkflow, {
        taskQueue,
        workflowId: input.planId,
        args: [input],
      });
      const handle = client.workflow.getHandle(input.planId);
      try {
        const v = await draftVersion(db, p); // also the plan row with its workflow id
        await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
        await handle.executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
        await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
        await until('the Q2 draft', async () =>
          (await handle.query(getAnnualPlan)).periodPlans?.some((r) => r.period === '2027-Q2'),
        );
        const args = {
          provinceId: p.provinceId,
          unitId: p.unitId,
          year: 2027,
          period: '2027-Q2',
          decision: 'adjusted' as const,
          note: 'Bổ sung chỉ tiêu cải cách hành chính',
          by: p.secretary,
          session: '2027-Q1',
        };
        // Not sent yet: nothing is decided.
        expect(await decideNextQuarterPlan(args)).toEqual({ outcome: 'not-submitted', status: 'open' });
        // No plan: an unknown unit, or the unit asked for under another province.
        expect(await decideNextQuarterPlan({ ...args, unitId: randomUUID() })).toEqual({
          outcome: 'no-plan',
        });
        expect(await decideNextQuarterPlan({ ...args, provinceId: randomUUID() })).toEqual({
          outcome: 'no-plan',
        });

        const draft = await draftVersion(db, p, 'Dự thảo kế hoạch quý 2');
        await handle.executeUpdate(submitPeriodPlan, {
          args: [{ period: '2027-Q2', versionId: draft.id, hash: draft.hash, by: p.drafter }],
        });
        // Refused by the workflow (adjusted needs a note): no retries.
        const refused = await decideNextQuarterPlan({ ...args, note: null }).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(ApplicationFailure);
        expect((refused as ApplicationFailure).nonRetryable).toBe(true);
        expect((refused as ApplicationFailure).message).toContain('ghi chú');

        expect(await decideNextQuarterPlan(args)).toEqual({
          outcome: 'decided',
          decision: 'adjusted',
          note: args.note,
        });
        // Retried, or called again with another decision: the decision on record, no second one.
        expect(await decideNextQuarterPlan(args)).toEqual({
          outcome: 'already-decided',
          decision: 'adjusted',
          note: args.note,
        });
        expect(await decideNextQuarterPlan({ ...args, decision: 'approved', note: null })).toEqual({
          outcome: 'already-decided',
          decision: 'adjusted',
          note: args.note,
        });
        const view = await handle.query(getAnnualPlan);
        expect(view.periodPlans?.find((r) => r.period === '2027-Q2')).toMatchObject({
          status: 'approved',
          decision: 'adjusted',
          note: args.note,
          session: '2027-Q1',
          decidedBy: p.secretary,
        });
        const rows = await until('the audit of the decision', async () => {
          const r = await audits();
          return r.length > 0 && r;
        });
        expect(rows.map((r) => r.action)).toEqual(['plan.period-adjusted']);
        expect(rows[0]).toMatchObject({
          actor: p.secretary,
          after: { period: '2027-Q2', session: '2027-Q1' },
        });
      } finally {
        await handle.terminate('test over').catch(() => {});
      }
    });
  });
});
