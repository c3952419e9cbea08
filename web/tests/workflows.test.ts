// Workflow history for administrators (issue 5, point 5), in the browser: the list with status, a closed
// run's readable history from the exported store, an open run's from Temporal, and the Temporal UI link.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportClosedHistories } from '../../activities/history-export.ts';
import { type Activities, createActivities } from '../../activities/index.ts';
import { workflowsPath } from '../../worker/run.ts';
import { SA } from '../../workflows/search-attributes.ts';
import { hasHorizontalScroll, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  type DemoStack,
  fill,
  open,
  signInThroughScreen,
  startDemoStack,
  vi,
} from './support/demo.ts';

const UI = 'http://127.0.0.1:8233';
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/** No serious/critical axe violation at desktop and phone width, and no sideways scrolling at 360 px. */
async function screenIsSound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

describe('workflow history (demo province administrator)', () => {
  let stack: DemoStack;
  let context: BrowserContext;
  let page: Page;
  let connection: Connection;
  let unitId = '';
  const ids = { closed: `plan-demo-${randomUUID()}`, open: `plan-open-${randomUUID()}` };
  const runs = { closed: '', open: '' };
  const url = (path: string) => `${stack.web.url}${path}`;

  beforeAll(async () => {
    stack = await startDemoStack({ temporalUiUrl: UI });
    const { db } = stack.database;
    unitId = (
      await db.selectFrom('org_unit').select('id').where('code', '=', 'SKHCN').executeTakeFirstOrThrow()
    ).id;
    const address = inject('temporalAddress');
    connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const taskQueue = `wf-web-${randomUUID()}`;
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
    const sa = [
      { key: SA.UnitId, value: unitId },
      { key: SA.PlanYear, value: 2027 },
    ];
    await worker.runUntil(async () => {
      const h = await client.workflow.start('auditAnchorWorkflow', {
        taskQueue,
        workflowId: ids.closed,
        args: [],
        typedSearchAttributes: sa,
      });
      runs.closed = h.firstExecutionRunId;
      await h.result();
    });
    const o = await client.workflow.start('auditAnchorWorkflow', {
      taskQueue: `${taskQueue}-idle`,
      workflowId: ids.open,
      args: [],
      typedSearchAttributes: sa,
    });
    runs.open = o.firstExecutionRunId;
    for (let i = 0; i < 100; i++) {
      if ((await client.workflow.count(`UnitId = '${unitId}'`)).count >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await exportClosedHistories(db, client, { exporter: 'web-test', filter: `TaskQueue = '${taskQueue}'` });

    context = await newContext(stack.browser);
    page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'quantri@demo.woms.vn', DEMO_PASSWORD, {
      totpSecret: DEMO_TOTP_SECRET,
    });
  }, 240_000);

  afterAll(async () => {
    await new Client({ connection })?.workflow
      .getHandle(ids.open)
      .terminate('test over')
      .catch(() => {});
    await connection?.close();
    await context?.close();
    await stack?.stop();
  });

  it('opens the workflow list from the administration home, with each run’s status', async () => {
    await open(page, url('/admin'));
    await Promise.all([
      page.waitForURL(/\/admin\/workflows/),
      page.getByRole('link', { name: new RegExp(vi.admin_workflows!) }).click(),
    ]);
    expect(await page.textContent('h1')).toBe(vi.wf_title);
    await screenIsSound(page, 'workflow list');

    await open(page, url(`/admin/workflows?unitId=${unitId}&year=2027`));
    const table = page.getByTestId('wf-runs');
    const closed = table.locator(`tr[data-workflow-id="${ids.closed}"]`);
    const running = table.locator(`tr[data-workflow-id="${ids.open}"]`);
    expect(await closed.locator('[data-status]').textContent()).toBe(vi.wf_status_completed);
    expect(await closed.textContent()).toContain(vi.wf_exported);
    expect(await running.locator('[data-status]').textContent()).toBe(vi.wf_status_running);
    expect(await running.textContent()).toContain(vi.wf_not_exported);
    await screenIsSound(page, 'filtered workflow list');
  });

  it('opens a closed run’s readable history from the store, with the Temporal UI link', async () => {
    await open(page, url(`/admin/workflows?unitId=${unitId}`));
    await Promise.all([
      page.waitForURL(/\/runs\//),
      page.locator(`tr[data-workflow-id="${ids.closed}"] a`).first().click(),
    ]);
    expect(await page.getByTestId('wf-source').getAttribute('data-source')).toBe('store');
    const events = page.getByTestId('wf-events');
    const text = await events.textContent();
    expect(text).toContain(fill(vi.wf_ev_started, { name: 'auditAnchorWorkflow' }));
    expect(text).toContain(fill(vi.wf_ev_activity_completed, { name: 'writeAuditAnchor' }));
    expect(text).toContain(vi.wf_ev_completed);
    expect(await page.getByTestId('temporal-ui-link').getAttribute('href')).toBe(
      `${UI}/namespaces/default/workflows/${ids.closed}/${runs.closed}/history`,
    );
    await screenIsSound(page, 'closed run history');
  });

  it('opens an open run’s history from Temporal', async () => {
    await open(page, url(`/admin/workflows/${ids.open}/runs/${runs.open}`));
    expect(await page.getByTestId('wf-source').getAttribute('data-source')).toBe('temporal');
    expect(await page.getByTestId('wf-status').textContent()).toBe(vi.wf_status_running);
    await screenIsSound(page, 'open run history');
  });
});
