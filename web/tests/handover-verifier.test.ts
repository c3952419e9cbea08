// Browser journey (issue 6 point 2; DESIGN §1 transfers and leavers): the division head Trần Văn Hùng leaves
// with a check-in of Nguyễn Thị Lan waiting for his verification (submitted through the API; a real worker
// runs the check-in workflow). The Director opens Hùng's handover screen, sees the open verification and gives
// it to himself with a reason: the workflow cancels Hùng's task and opens the same verification for the
// Director with the same due date. Axe and 360 px on the screen.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.ts';
import { checkInWorkflowId } from '../../workflows/check-in.messages.ts';
import { hasHorizontalScroll, seriousAxeViolations } from './support/browser.ts';
import {
  apiSession,
  type CheckInStack,
  demoDatabase,
  keyResults,
  personId,
  seedPlanInForce,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { fill, open, vi } from './support/demo.ts';

/** A month no other web test uses (check-in workflow ids are period + person on the shared dev server). */
const PERIOD = '2025-02';
const YEAR = 2025;

const kr = keyResults({ target: '1200' });

describe('a leaving supervisor’s open verification is handed over', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  const ids = { lan: '', hung: '', tuan: '' };
  let checkInId = '';

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    ids.lan = await personId(db, 'canbo@demo.woms.vn');
    ids.hung = await personId(db, 'truongphong@demo.woms.vn');
    ids.tuan = await personId(db, 'giamdoc@demo.woms.vn');
    const { planId } = await seedPlanInForce(db, {
      year: YEAR,
      owner: { kind: 'person', personId: ids.lan, unitId: await unitOf(db, ids.lan) },
      tasks: [
        {
          id: 't1',
          title: 'Thẩm định dự toán ngân sách',
          perspective: 'budget',
          weight: '1',
          keyResults: [kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định')],
        },
      ],
    });
    stack = await startCheckInStack(database, { taskQueue: 'handover-verifier-web' });
    stack.worker.started.push(checkInWorkflowId(PERIOD, ids.lan));
    const lan = await apiSession(stack.api.url, 'canbo@demo.woms.vn');
    await lan.call('PUT', `/api/check-ins/mine/${PERIOD}/values`, {
      baseRevision: 0,
      locale: 'vi',
      values: [{ planId, keyResultId: 'k-du-toan', value: '1234,5', status: 'on-track', confidence: 4 }],
    });
    const sub = await lan.call(
      'POST',
      `/api/check-ins/mine/${PERIOD}/submit`,
      {},
      { 'idempotency-key': `s-${randomUUID()}` },
    );
    checkInId = sub.checkInId as string;
    page = await stack.signedIn('giamdoc@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
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
    await open(page, `${stack.web.url}/handover/${ids.hung}`);
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
