// Browser journey (issue 6 point 2; DESIGN §1 transfers and leavers): the division head Trần Văn Hùng leaves
// with a check-in of Nguyễn Thị Lan waiting for his verification (submitted through the API; a real worker
// runs the check-in workflow). The Director opens Hùng's handover screen, sees the open verification and gives
// it to himself with a reason: the workflow cancels Hùng's task and opens the same verification for the
// Director with the same due date. Axe and 360 px on the screen.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { createPlanVersion } from '../../db/queries/plans.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import type { KeyResult } from '../../domain/plan/model.ts';
import { signIn } from '../../test/support/auth.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { DEMO_PASSWORD, fill, open, signInThroughScreen, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

/** A month no other web test uses (check-in workflow ids are period + person on the shared dev server). */
const PERIOD = '2025-02';
const YEAR = 2025;

const kr = (id: string, title: string): KeyResult => ({
  id,
  title,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '1200',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
});

describe('a leaving supervisor’s open verification is handed over', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let worker: TestWorker;
  let context: BrowserContext;
  let page: Page;
  const ids = { lan: '', hung: '', tuan: '' };
  let checkInId = '';

  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(db);
    const person = async (email: string) =>
      (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    ids.lan = await person('canbo@demo.woms.vn');
    ids.hung = await person('truongphong@demo.woms.vn');
    ids.tuan = await person('giamdoc@demo.woms.vn');
    const job = await db
      .selectFrom('employment')
      .select('org_unit_id')
      .where('person_id', '=', ids.lan)
      .executeTakeFirstOrThrow();
    const planId = `plan:${YEAR}:person:${ids.lan}`;
    await db
      .insertInto('plan')
      .values({
        id: planId,
        owner_kind: 'person',
        unit_id: job.org_unit_id,
        person_id: ids.lan,
        year: YEAR,
        status: 'APPROVED',
        workflow_id: null,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
      })
      .execute();
    const v = await createPlanVersion(db, {
      planId,
      createdBy: 'test',
      content: {
        id: planId,
        year: YEAR,
        owner: { kind: 'person', personId: ids.lan },
        sections: [],
        tasks: [
          {
            id: 't1',
            title: 'Thẩm định dự toán ngân sách',
            perspective: 'budget',
            weight: '1',
            keyResults: [kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định')],
          },
        ],
      },
    });
    await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();
    const taskQueue = `handover-verifier-web-${randomUUID()}`;
    [worker] = await Promise.all([startTestWorker(db, { taskQueue }), ensureWebBuild()]);
    worker.started.push(checkInWorkflowId(PERIOD, ids.lan));
    api = await startApi({
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      port: await freePort(),
      plans: { taskQueue },
    });
    const http = { request: (p: string, init?: RequestInit) => fetch(`${api.url}${p}`, init) };
    const lan = await signIn(http, 'canbo@demo.woms.vn', DEMO_PASSWORD);
    const call = async (method: string, p: string, body: unknown, headers: Record<string, string> = {}) => {
      const r = await fetch(`${api.url}${p}`, {
        method,
        headers: { ...lan.headers, ...headers },
        body: JSON.stringify(body),
      });
      const json = (await r.json()) as Record<string, unknown>;
      if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
    await call('PUT', `/api/check-ins/mine/${PERIOD}/values`, {
      baseRevision: 0,
      locale: 'vi',
      values: [{ planId, keyResultId: 'k-du-toan', value: '1234,5', status: 'on-track', confidence: 4 }],
    });
    const sub = await call(
      'POST',
      `/api/check-ins/mine/${PERIOD}/submit`,
      {},
      { 'idempotency-key': `s-${randomUUID()}` },
    );
    checkInId = sub.checkInId as string;
    web = await startWeb(api.url);
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    await signInThroughScreen(page, web.url, 'giamdoc@demo.woms.vn', DEMO_PASSWORD);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
    await worker?.stop();
  });

  const verifyTasks = () =>
    database.db
      .selectFrom('task')
      .select(['assignee_person_id', 'status', 'logical_due_date'])
      .where('subject_id', '=', checkInId)
      .where('kind', '=', 'check-in.verify')
      .orderBy('created_at')
      .execute();

  it('gives the verification to the Director, the workflow moving the task', async () => {
    const before = await verifyTasks();
    expect(before.map((t) => [t.assignee_person_id, t.status])).toEqual([[ids.hung, 'open']]);
    await open(page, `${web.url}/handover/${ids.hung}`);
    const task = page.locator('[data-testid="handover-task"][data-kind="check-in.verify"]');
    expect(await task.count()).toBe(1);
    const form = task.getByTestId('handover-verifier-form');
    const options = await form.locator('select option').allTextContents();
    expect(options).toContain('Lê Minh Tuấn');
    expect(options).not.toContain('Trần Văn Hùng');
    expect(options).not.toContain('Nguyễn Thị Lan');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.locator('select').selectOption(ids.tuan);
    await form.getByLabel(vi.handover_reason!).fill('Trưởng phòng nghỉ hưu từ 01/3/2025');
    await Promise.all([page.waitForURL(/moved=1/), form.locator('button[type="submit"]').click()]);
    expect(await page.textContent('main')).toContain(vi.handover_verifier_moved);
    const after = await verifyTasks();
    expect(after.map((t) => [t.assignee_person_id, t.status])).toEqual([
      [ids.hung, 'cancelled'],
      [ids.tuan, 'open'],
    ]);
    expect(after[1]!.logical_due_date).toBe(before[0]!.logical_due_date);
    // nothing left to hand over from him
    expect(await page.locator('[data-testid="handover-task"][data-kind="check-in.verify"]').count()).toBe(0);
    expect(fill(vi.handover_title, { name: 'Trần Văn Hùng' })).toBe(await page.textContent('h1'));
  });
});
