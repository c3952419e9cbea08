import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { temporal as proto } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportClosedHistories } from '../../activities/history-export.ts';
import { type Activities, createActivities } from '../../activities/index.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../test/support/org-fixture.ts';
import { workflowsPath } from '../../worker/run.ts';
import { SA } from '../../workflows/search-attributes.ts';
import { createApp } from '../app.ts';
import { readableEvents } from './workflow-events.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests assert the shape of the body
const j = (res: Response): Promise<any> => res.json();

const { db } = await freshDatabase();
const address = inject('temporalAddress');
const connection = await Connection.connect({ address });
const client = new Client({ connection });
const UI = 'http://temporal-ui.example:8233';
const app = createApp({ db, temporal: async () => client, version: 'test', temporalUiUrl: UI });
/** The same API after Temporal's retention (or with Temporal down): only the store can answer. */
const afterRetention = createApp({
  db,
  temporal: () => Promise.reject(new Error('retention passed')),
  version: 'test',
  temporalUiUrl: UI,
});
const taskQueue = `wf-api-${randomUUID()}`;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let f: OrgFixture;
const ids = { closedA: '', closedB: '', openA: '' };
const runs = { closedA: '', closedB: '', openA: '' };

const as = (who: keyof OrgFixture['session'], path: string, a = app) =>
  requestAs(a, f.session[who], 'GET', path);

beforeAll(async () => {
  f = await buildOrg(db, app);
  const activities: Activities = {
    ...createActivities({ db, temporal: client }),
    writeAuditAnchor: async () => ({ day: '2026-11-26', heads: 0 }),
  };
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
    activities,
  });
  const sa = (unit: string) => [
    { key: SA.UnitId, value: unit },
    { key: SA.PlanYear, value: 2027 },
  ];
  await worker.runUntil(async () => {
    for (const [k, unit] of [
      ['closedA', f.unit.A],
      ['closedB', f.unit.B],
    ] as const) {
      ids[k] = `wf-${k}-${randomUUID()}`;
      const h = await client.workflow.start('auditAnchorWorkflow', {
        taskQueue,
        workflowId: ids[k],
        args: [],
        typedSearchAttributes: sa(unit),
      });
      runs[k] = h.firstExecutionRunId;
      await h.result();
    }
  });
  // an open run: nobody polls its task queue, so it stays running
  ids.openA = `wf-open-${randomUUID()}`;
  const open = await client.workflow.start('auditAnchorWorkflow', {
    taskQueue: `${taskQueue}-idle`,
    workflowId: ids.openA,
    args: [],
    typedSearchAttributes: sa(f.unit.A),
  });
  runs.openA = open.firstExecutionRunId;
  for (let i = 0; i < 100; i++) {
    const { count } = await client.workflow.count(`UnitId = '${f.unit.A}' OR UnitId = '${f.unit.B}'`);
    if (count >= 3) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);
afterAll(async () => {
  await client.workflow
    .getHandle(ids.openA)
    .terminate('test over')
    .catch(() => {});
  await connection.close();
});

describe('GET /api/workflows', () => {
  it('lists open runs from Temporal and closed runs not yet exported, with the Temporal UI link', async () => {
    const res = await as('adminP', `/api/workflows?unitId=${f.unit.A}`);
    expect(res.status).toBe(200);
    const body = await j(res);
    expect(body.temporalAvailable).toBe(true);
    const byId = new Map(body.items.map((r: { workflowId: string }) => [r.workflowId, r]));
    expect(byId.get(ids.openA)).toMatchObject({ status: 'RUNNING', exported: false, year: 2027 });
    expect(byId.get(ids.closedA)).toMatchObject({
      status: 'COMPLETED',
      exported: false,
      unitId: f.unit.A,
      temporalUiUrl: `${UI}/namespaces/default/workflows/${ids.closedA}/${runs.closedA}/history`,
    });
    expect(byId.has(ids.closedB)).toBe(false);
  });

  it('after export, lists closed runs from the store, filtered by status, within each administrator’s scope', async () => {
    await exportClosedHistories(db, client, { exporter: 'api-test', filter: `TaskQueue = '${taskQueue}'` });
    const closed = await j(
      await as('adminP', `/api/workflows?year=2027&status=COMPLETED&unitId=${f.unit.A}`),
    );
    expect(closed.items.map((r: { workflowId: string }) => r.workflowId)).toEqual([ids.closedA]);
    expect(closed.items[0]).toMatchObject({ exported: true, historyLength: expect.any(Number) });

    // unit A's administrator sees A's runs, not B's; the province administrator sees both
    const mine = await j(await as('adminA', `/api/workflows?type=auditAnchorWorkflow&year=2027`));
    const mineIds = mine.items.map((r: { workflowId: string }) => r.workflowId);
    expect(mineIds).toContain(ids.closedA);
    expect(mineIds).not.toContain(ids.closedB);
    const all = await j(await as('adminP', `/api/workflows?type=auditAnchorWorkflow&year=2027`));
    const allIds = all.items.map((r: { workflowId: string }) => r.workflowId);
    expect(allIds).toEqual(expect.arrayContaining([ids.closedA, ids.closedB, ids.openA]));

    expect((await as('adminA', `/api/workflows?unitId=${f.unit.B}`)).status).toBe(403);
    expect((await as('headA', `/api/workflows`)).status).toBe(403);
    expect((await as('auditorP', `/api/workflows`)).status).toBe(403);

    // Temporal gone: the store still answers the closed runs
    const stored = await j(await as('adminP', `/api/workflows?unitId=${f.unit.A}`, afterRetention));
    expect(stored.temporalAvailable).toBe(false);
    expect(stored.items.map((r: { workflowId: string }) => r.workflowId)).toEqual([ids.closedA]);
  });
});

describe('GET /api/workflows/:workflowId/runs/:runId/history', () => {
  it('reads a closed run from the store after Temporal’s retention, as readable lines', async () => {
    const res = await as(
      'adminA',
      `/api/workflows/${ids.closedA}/runs/${runs.closedA}/history`,
      afterRetention,
    );
    expect(res.status).toBe(200);
    const body = await j(res);
    expect(body).toMatchObject({
      source: 'store',
      type: 'auditAnchorWorkflow',
      status: 'COMPLETED',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      temporalUiUrl: `${UI}/namespaces/default/workflows/${ids.closedA}/${runs.closedA}/history`,
    });
    expect(body.events.map((e: { summary: string }) => e.summary)).toEqual([
      'Workflow auditAnchorWorkflow started',
      'Activity writeAuditAnchor scheduled',
      'Activity writeAuditAnchor started (attempt 1)',
      'Activity writeAuditAnchor completed',
      'Workflow completed',
    ]);
    expect(body.eventCount).toBeGreaterThan(body.events.length); // workflow-task bookkeeping is left out
    expect(body.events[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reads an open run from Temporal, and refuses outside the scope', async () => {
    const res = await as('adminP', `/api/workflows/${ids.openA}/runs/${runs.openA}/history`);
    expect(res.status).toBe(200);
    const body = await j(res);
    expect(body).toMatchObject({ source: 'temporal', status: 'RUNNING', exported: false, sha256: null });
    expect(body.events[0]).toMatchObject({ kind: 'started', name: 'auditAnchorWorkflow' });

    expect((await as('adminA', `/api/workflows/${ids.closedB}/runs/${runs.closedB}/history`)).status).toBe(
      403,
    );
    expect((await as('headA', `/api/workflows/${ids.closedA}/runs/${runs.closedA}/history`)).status).toBe(
      403,
    );
    const missing = await as('adminP', `/api/workflows/nope-${randomUUID()}/runs/${randomUUID()}/history`);
    expect(missing.status).toBe(404);
    expect((await j(missing)).code).toBe('WORKFLOW_RUN_NOT_FOUND');
  });
});

describe('a plan run without the UnitId attribute', () => {
  it('is placed by its plan row', async () => {
    const workflowId = `plan:2027:unit:${f.unit.B}:${randomUUID().slice(0, 8)}`;
    await db
      .insertInto('plan')
      .values({ id: workflowId, owner_kind: 'unit', unit_id: f.unit.B, year: 2027, workflow_id: workflowId })
      .execute();
    const h = await client.workflow.start('auditAnchorWorkflow', {
      taskQueue: `${taskQueue}-idle`,
      workflowId,
      args: [],
    });
    try {
      const path = `/api/workflows/${encodeURIComponent(workflowId)}/runs/${h.firstExecutionRunId}/history`;
      expect((await as('adminA', path)).status).toBe(403);
      const body = await j(await as('adminP', path));
      expect(body).toMatchObject({ unitId: f.unit.B, source: 'temporal' });
    } finally {
      await h.terminate('test over');
    }
  });
});

describe('readable events', () => {
  const fixture = (name: string) =>
    historyFromJSON(
      JSON.parse(
        readFileSync(join(import.meta.dirname, '../../workflows/__fixtures__/histories', name), 'utf8'),
      ),
    );

  it('words Updates, timers, patch markers, search attributes and continue-as-new of an annual plan', () => {
    const first = readableEvents(fixture('annualPlan-filed-v2-1.json')).map((e) => e.summary);
    expect(first[0]).toMatch(/^Workflow annualPlanWorkflow started/);
    expect(first).toContain('Marker core_patch: annual-plan-filing-notifies-head');
    expect(first.some((s) => /^Timer \d+ started for \d+(\.\d+)?s$/.test(s))).toBe(true);
    expect(first.some((s) => /^Search attributes set: .*Phase/.test(s))).toBe(true);
    expect(first.at(-1)).toMatch(/^Continued as new → run [0-9a-f-]{36}$/);
    const second = readableEvents(fixture('annualPlan-filed-v2-2.json')).map((e) => e.summary);
    expect(second[0]).toMatch(/^Workflow annualPlanWorkflow started: continued from run /);
    const accepted = second.find((s) => s.startsWith('Update ') && s.endsWith(' accepted'));
    expect(accepted).toBeDefined();
    const name = accepted!.split(' ')[1];
    expect(second).toContain(`Update ${name} completed`);
  });

  it('words a rejected Update, a signal, a failed activity, local activities and a failed workflow', () => {
    const ET = proto.api.enums.v1.EventType;
    const history = {
      events: [
        {
          eventId: 1,
          eventType: ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED,
          workflowExecutionUpdateRejectedEventAttributes: {
            rejectedRequest: { input: { name: 'submitPlan' } },
            failure: { message: 'Kế hoạch đã được nộp.' },
          },
        },
        {
          eventId: 2,
          eventType: ET.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
          workflowExecutionSignaledEventAttributes: { signalName: 'holidayAdded' },
        },
        {
          eventId: 3,
          eventType: ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          activityTaskScheduledEventAttributes: { activityType: { name: 'notify' } },
        },
        {
          eventId: 4,
          eventType: ET.EVENT_TYPE_ACTIVITY_TASK_FAILED,
          activityTaskFailedEventAttributes: { scheduledEventId: 3, failure: { message: 'SMTP\n down' } },
        },
        {
          eventId: 5,
          eventType: ET.EVENT_TYPE_MARKER_RECORDED,
          markerRecordedEventAttributes: {
            markerName: 'core_local_activity',
            details: {
              data: {
                payloads: [
                  { data: Buffer.from(JSON.stringify({ activity_type: 'applyStepEffects', attempt: 3 })) },
                ],
              },
            },
          },
        },
        {
          eventId: 6,
          eventType: ET.EVENT_TYPE_MARKER_RECORDED,
          markerRecordedEventAttributes: {
            markerName: 'core_local_activity',
            details: {
              data: {
                payloads: [{ data: Buffer.from(JSON.stringify({ activity_type: 'openTask', attempt: 1 })) }],
              },
            },
            failure: { message: 'connection\n refused' },
          },
        },
        { eventId: 7, eventType: ET.EVENT_TYPE_WORKFLOW_TASK_STARTED },
        {
          eventId: 8,
          eventType: ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
          workflowExecutionFailedEventAttributes: { failure: { message: 'boom' } },
        },
      ],
    };
    expect(
      readableEvents(history as unknown as Parameters<typeof readableEvents>[0]).map((e) => [
        e.kind,
        e.summary,
      ]),
    ).toEqual([
      ['update-rejected', 'Update submitPlan rejected: Kế hoạch đã được nộp.'],
      ['signal', 'Signal holidayAdded received'],
      ['activity-scheduled', 'Activity notify scheduled'],
      ['activity-failed', 'Activity notify failed: SMTP down'],
      ['local-activity', 'Local activity applyStepEffects ran: attempt 3'],
      ['local-activity', 'Local activity openTask ran: connection refused'],
      ['failed', 'Workflow failed: boom'],
    ]);
  });
});
