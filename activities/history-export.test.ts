import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../test/support/database.ts';
import { workflowsPath } from '../worker/run.ts';
import { SA } from '../workflows/search-attributes.ts';
import { exportClosedHistories, storedHistory } from './history-export.ts';
import { type Activities, createActivities } from './index.ts';

const { db } = await freshDatabase();
const address = inject('temporalAddress');
const connection = await Connection.connect({ address });
const client = new Client({ connection });
const taskQueue = `export-${randomUUID()}`;
const filter = `TaskQueue = '${taskQueue}'`;
const unitId = randomUUID();
let exportCalls = 0;

/** Waits until visibility lists `n` closed runs on the test's task queue (it is eventually consistent). */
async function closedRuns(n: number) {
  for (let i = 0; i < 100; i++) {
    const { count } = await client.workflow.count(`${filter} AND ExecutionStatus != 'Running'`);
    if (count >= n) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`visibility never listed ${n} closed runs`);
}

let anchorIds: string[] = [];
let workflowBundle: WorkflowBundleWithSourceMap;
let canId = '';

beforeAll(async () => {
  const activities: Activities = {
    ...createActivities({ db, temporal: client }),
    writeAuditAnchor: async () => ({ day: '2026-11-26', heads: 0 }),
    // the scheduled workflow's exporter, stubbed: 21 passes that each report more → one continue-as-new
    exportClosedHistories: async () => {
      exportCalls++;
      return { exported: 1, alreadyStored: 0, more: exportCalls <= 21, watermark: null };
    },
  };
  workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle,
    activities,
  });
  await worker.runUntil(async () => {
    anchorIds = [`anchor-a-${randomUUID()}`, `anchor-b-${randomUUID()}`];
    await client.workflow.execute('auditAnchorWorkflow', {
      taskQueue,
      workflowId: anchorIds[0]!,
      args: [],
      typedSearchAttributes: [
        { key: SA.UnitId, value: unitId },
        { key: SA.PlanYear, value: 2027 },
      ],
    });
    await client.workflow.execute('auditAnchorWorkflow', { taskQueue, workflowId: anchorIds[1]!, args: [] });
    canId = `export-can-${randomUUID()}`;
    await client.workflow.execute('historyExportWorkflow', { taskQueue, workflowId: canId, args: [{}] });
  });
  await closedRuns(4);
}, 120_000);
afterAll(() => connection.close());

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('history exporter', () => {
  it('stores each closed run once, continue-as-new runs as rows of their own, in passes of maxRuns', async () => {
    const exporter = `test-${randomUUID()}`;
    const first = await exportClosedHistories(db, client, { exporter, filter, maxRuns: 3 });
    expect(first).toMatchObject({ exported: 3, more: true });
    const second = await exportClosedHistories(db, client, { exporter, filter, maxRuns: 3 });
    expect(second).toMatchObject({ exported: 1, more: false });
    // a further pass (and another exporter over the same runs) adds nothing: the run id is the key
    const third = await exportClosedHistories(db, client, { exporter, filter });
    expect(third).toMatchObject({ exported: 0, more: false });
    expect(third.alreadyStored).toBeGreaterThanOrEqual(4);
    const other = await exportClosedHistories(db, client, { exporter: `${exporter}-2`, filter });
    expect(other).toMatchObject({ exported: 0, alreadyStored: 4 });

    const rows = await db.selectFrom('workflow_history').selectAll().orderBy('close_time').execute();
    expect(rows).toHaveLength(4);
    const can = rows.filter((r) => r.workflow_id === canId);
    expect(can.map((r) => r.status).sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW']);
    expect(new Set(can.map((r) => r.run_id)).size).toBe(2);
    const planned = rows.find((r) => r.workflow_id === anchorIds[0]);
    expect(planned).toMatchObject({
      workflow_type: 'auditAnchorWorkflow',
      status: 'COMPLETED',
      unit_id: unitId,
      plan_year: 2027,
      task_queue: taskQueue,
    });
    expect(planned?.search_attributes).toMatchObject({ UnitId: unitId, PlanYear: 2027 });
    for (const r of rows) {
      const history = storedHistory(r);
      expect(history.events?.length).toBe(r.event_count);
      expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const mark = await db
      .selectFrom('workflow_history_watermark')
      .selectAll()
      .where('exporter', '=', exporter)
      .executeTakeFirstOrThrow();
    expect(mark.close_time.getTime()).toBe(Math.max(...rows.map((r) => r.close_time.getTime())));
  });

  it('the sweep stores a run whose visibility record lagged behind the watermark; hourly passes do not', async () => {
    const exporter = `lag-${randomUUID()}`;
    // the exporter has covered up to now + 1 hour; the oldest stored run is then "lost" (as if its
    // visibility record had arrived after that pass): only the sweep may find it again
    await db
      .insertInto('workflow_history_watermark')
      .values({ exporter, close_time: new Date(Date.now() + 3_600_000) })
      .execute();
    const lost = await db
      .selectFrom('workflow_history')
      .select(['run_id', 'workflow_id'])
      .where('workflow_id', '=', anchorIds[1]!)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('workflow_history').where('run_id', '=', lost.run_id).execute();
    expect(await exportClosedHistories(db, client, { exporter, filter })).toMatchObject({
      exported: 0,
      alreadyStored: 0,
    });
    const sweep = await exportClosedHistories(db, client, { exporter, filter, sweep: true });
    expect(sweep).toMatchObject({ exported: 1, alreadyStored: 3, more: false });
    const back = await db
      .selectFrom('workflow_history')
      .select('workflow_id')
      .where('run_id', '=', lost.run_id)
      .executeTakeFirst();
    expect(back?.workflow_id).toBe(anchorIds[1]);
    // the watermark never moves back
    const mark = await db
      .selectFrom('workflow_history_watermark')
      .select('close_time')
      .where('exporter', '=', exporter)
      .executeTakeFirstOrThrow();
    expect(mark.close_time.getTime()).toBeGreaterThan(Date.now());
  });

  it('runs the scheduled workflow with the real exporter activity (nothing new: every run is stored)', async () => {
    const tq = `export-real-${randomUUID()}`;
    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address }),
      taskQueue: tq,
      workflowBundle,
      activities: createActivities({ db, temporal: client }),
    });
    const result = await worker.runUntil(
      client.workflow.execute('historyExportWorkflow', {
        taskQueue: tq,
        workflowId: `export-real-${randomUUID()}`,
        args: [{ exporter: `real-${randomUUID()}`, filter }],
      }),
    );
    expect(result).toMatchObject({ exported: 0, passes: 1, watermark: expect.any(String) });
  });

  it('keeps histories that replay on today’s code', async () => {
    const rows = await db.selectFrom('workflow_history').selectAll().execute();
    for (const r of rows)
      await expect(
        Worker.runReplayHistory({ workflowBundle, replayName: r.run_id }, storedHistory(r)),
      ).resolves.toBeUndefined();
  });

  it('refuses a stored history whose bytes no longer match its sha256', async () => {
    const row = await db.selectFrom('workflow_history').selectAll().limit(1).executeTakeFirstOrThrow();
    const tampered = gzipSync(Buffer.from(JSON.stringify({ events: [] })));
    expect(() => storedHistory({ ...row, history_gz: tampered })).toThrow(/sha256/);
  });
});
