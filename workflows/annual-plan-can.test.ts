// Continue-as-new when Temporal suggests it: a dev server of this file's own with a low
// suggestContinueAsNew threshold, and a plan whose ladder keeps firing (nothing submitted after 25/12). The
// runs roll over and the ladder goes on from where it was: no repeated and no skipped rung.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { eventsOfSubject } from '../db/queries/tasks.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  planInput,
  seedPlanPeople,
  TEST_PROFILE,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { devServerSuggestingContinueAsNew } from '../test/support/own-dev-server.ts';
import { workflowsPath } from '../worker/run.ts';
import { annualPlanWorkflow, getAnnualPlan } from './annual-plan.ts';

const { db } = await freshDatabase();
const server = devServerSuggestingContinueAsNew(40);

describe('annual plan workflow: continue-as-new on suggestion', () => {
  it('rolls over to new runs and carries the ladder position', async () => {
    const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
    const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const native = await NativeConnection.connect({ address: server.address });
    const p = await seedPlanPeople(db);
    const taskQueue = `can-${randomUUID()}`;
    const input = planInput(p, testCalendar(), warpFrom('2026-12-24', 300));
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle,
      activities: createActivities({ db }),
    });
    try {
      await worker.runUntil(async () => {
        const handle = await client.workflow.start(annualPlanWorkflow, {
          taskQueue,
          workflowId: input.planId,
          args: [input],
        });
        const end = Date.now() + 45_000;
        let runs = 1;
        while (runs < 3 && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 200));
          runs = (await client.workflow.getHandle(handle.workflowId).query(getAnnualPlan)).runs;
        }
        expect(runs).toBeGreaterThanOrEqual(3);
        await client.workflow.getHandle(handle.workflowId).terminate('test over');
      });
      const dates = (await eventsOfSubject(db, 'plan', input.planId))
        .filter((e) => e.kind === 'escalated' && e.recipient_role === 'standing-committee')
        .map((e) => e.logical_date!);
      expect(dates.length).toBeGreaterThanOrEqual(4);
      // One escalation per working day after 25/12, none repeated, none skipped across the runs.
      const cal = workingCalendar(TEST_PROFILE);
      expect(dates[0]).toBe('2026-12-28');
      for (let i = 1; i < dates.length; i++) expect(dates[i]).toBe(cal.addWorkingDays(dates[i - 1]!, 1));
    } finally {
      await connection.close();
      await native.close();
    }
  });
});
