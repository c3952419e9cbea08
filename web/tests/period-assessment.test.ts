// Browser journey of the period assessment (issue 6 point 2) in Debian's Chromium: the demo official (Nguyễn
// Thị Lan) has February 2023 verified, submitted late, one value returned once for a major error; her
// period-assessment workflow (a real worker, a compressed calendar past the verification window) computed the
// draft. Her supervisor (Trần Văn Hùng) opens the unit's list, opens her assessment, records an objective
// cause for the late check-in with an evidence file (the task points rise), enters the general-criteria
// points the Vietnamese way and confirms from the keyboard; the official then reads her score and every step
// of its explanation, read-only. Each state: no serious or critical axe violation, no sideways scrolling at
// 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentInputFor } from '../../db/queries/assessment-workflow-input.ts';
import { unitPath } from '../../db/queries/org-tree.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { seedAssessedMonth } from '../../test/support/period-assessment.ts';
import { periodAssessmentWorkflowId } from '../../workflows/period-assessment.messages.ts';
import { newContext } from './support/browser.ts';
import {
  type CheckInStack,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { DEMO_PASSWORD, fill, hydrated, open, signInThroughScreen, vi } from './support/demo.ts';

/** A month no other web test uses (workflow ids are period + person on the shared dev server, and the demo
 *  province's ids are the same in every file's database). */
const PERIOD = '2023-02';

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\n%%EOF\n`);

describe('the period assessment screens', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let me = '';
  let unitId = '';
  let assessmentId = '';

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    me = await personId(db, 'canbo@demo.woms.vn');
    const supervisor = await personId(db, 'truongphong@demo.woms.vn');
    unitId = await unitOf(db, me);
    await seedAssessedMonth(db, {
      personId: me,
      unitId,
      supervisorId: supervisor,
      month: PERIOD,
      dueDate: '2023-03-06',
      lateDays: 2,
    });
    stack = await startCheckInStack(database, { taskQueue: 'assessment-web' });
    const { worker, taskQueue } = stack;
    const path = ((await unitPath(db, unitId)) ?? []).map((n) => n.id);
    const input = await assessmentInputFor(db, {
      personId: me,
      unitId,
      period: PERIOD,
      day: '2023-03-20',
      path,
    });
    if (!input) throw new Error('no calendar profile');
    assessmentId = input.assessmentId;
    const workflowId = periodAssessmentWorkflowId(PERIOD, me);
    await worker.client.workflow.start('periodAssessmentWorkflow', {
      taskQueue,
      workflowId,
      args: [{ ...input, personName: 'Nguyễn Thị Lan', timeWarp: warpFrom('2023-03-20', 3_600_000) }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    });
    worker.started.push(workflowId);
    for (const end = Date.now() + 60_000; ; ) {
      const row = await db
        .selectFrom('period_assessment')
        .select('workflow_id')
        .where('id', '=', assessmentId)
        .executeTakeFirstOrThrow();
      if (row.workflow_id) break;
      if (Date.now() > end) throw new Error('the draft was not computed');
      await new Promise((r) => setTimeout(r, 100));
    }
    page = await stack.signedIn('truongphong@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const success = (text: string | undefined) =>
    page.locator('[data-testid="form-success"]', { hasText: text ?? '' }).waitFor({ timeout: 60_000 });

  it('the supervisor waives the late check-in with evidence, scores the general criteria and confirms', async () => {
    await open(page, `${stack.web.url}/assessments?unitId=${unitId}&period=${PERIOD}`);
    expect(await page.locator('h1').textContent()).toBe(vi.assessment_list_title);
    const row = page.getByTestId('assessment-row');
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('draft');
    expect((await row.getByTestId('assessment-row-total').textContent())?.trim()).toBe('61,25');
    await sound(page, 'list (vi)');

    await Promise.all([
      page.waitForURL(new RegExp(`/assessments/${assessmentId}$`)),
      row.locator('a').click(),
    ]);
    await hydrated(page);
    expect(await page.getByTestId('assessment-person').textContent()).toBe('Nguyễn Thị Lan');
    expect(await page.getByTestId('assessment-task-points').textContent()).toBe('61,25');
    expect(await page.getByTestId('assessment-progress').textContent()).toBe('0,75');
    const late = page.locator('[data-testid="assessment-item"][data-kind="late"]');
    expect(await late.getAttribute('data-waived')).toBe('no');
    await sound(page, 'draft (vi)');

    // A waiver without a cause is refused by the page; nothing changes.
    await late.getByTestId('assessment-waiver-file').setInputFiles({
      name: 'Giấy xác nhận mất điện.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('Giấy xác nhận mất điện ngày 6/3/2023'),
    });
    await late.getByTestId('assessment-waiver-submit').click();
    await page
      .locator('[data-testid="form-error"]', { hasText: vi.assessment_cause_required ?? '' })
      .waitFor();
    expect(await page.getByTestId('assessment-task-points').textContent()).toBe('61,25');

    await late
      .getByTestId('assessment-waiver-cause-input')
      .fill('Mất điện diện rộng ngày 6/3/2023 (có xác nhận của Điện lực)');
    await late.getByTestId('assessment-waiver-file').setInputFiles({
      name: 'Giấy xác nhận mất điện.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('Giấy xác nhận mất điện ngày 6/3/2023'),
    });
    await late.getByTestId('assessment-waiver-submit').click();
    await success(vi.assessment_waiver_recorded);
    expect(await page.getByTestId('assessment-task-points').textContent()).toBe('67,08');
    const waived = page.locator('[data-testid="assessment-item"][data-kind="late"]');
    expect(await waived.getAttribute('data-waived')).toBe('yes');
    expect(await waived.getByTestId('assessment-waiver-cause').textContent()).toContain('Mất điện diện rộng');
    expect(await waived.locator('a[href^="/api/evidence/"]').textContent()).toBe(
      'Giấy xác nhận mất điện.pdf',
    );
    await sound(page, 'waiver recorded (vi)');

    // General criteria, typed the Vietnamese way (2,5).
    const crit = (id: string) => page.locator(`[data-testid="assessment-criterion"][data-id="${id}"]`);
    await crit('politicalEthics').fill('15');
    await crit('disciplineStyle').fill('5');
    await crit('initiatives').fill('2,5');
    await crit('capabilityGrowth').fill('2,5');
    await page.getByTestId('assessment-criteria-save').click();
    await success(vi.assessment_criteria_saved);
    expect(await page.getByTestId('assessment-general-points').textContent()).toBe('25,00');
    expect(await page.getByTestId('assessment-total').textContent()).toBe('92,08');

    // Confirm from the keyboard.
    await page.getByTestId('assessment-confirm').focus();
    await page.keyboard.press('Enter');
    await success(fill(vi.assessment_confirmed_done, { total: '92,08' }));
    expect(await page.getByTestId('assessment-status').getAttribute('data-status')).toBe('confirmed');
    expect(await page.getByTestId('assessment-confirm').count()).toBe(0);
    expect(await page.getByTestId('assessment-waiver-form').count()).toBe(0);
    await sound(page, 'confirmed (vi)');
    const row2 = await database.db
      .selectFrom('period_assessment')
      .select(['status', 'total'])
      .where('id', '=', assessmentId)
      .executeTakeFirstOrThrow();
    expect(row2).toEqual({ status: 'confirmed', total: '92.08' });
  });

  it('the official reads her score and every step of its explanation', async () => {
    const ctx = await newContext(stack.browser);
    try {
      const p = await ctx.newPage();
      await signInThroughScreen(p, stack.web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
      await open(p, `${stack.web.url}/assessments/${assessmentId}`);
      expect(await p.getByTestId('assessment-total').textContent()).toBe('92,08');
      expect(await p.getByTestId('assessment-status').getAttribute('data-status')).toBe('confirmed');
      const steps = p.getByTestId('assessment-step');
      expect(await steps.count()).toBe(9);
      expect(await p.locator('[data-testid="assessment-step"][data-key="progress"]').textContent()).toContain(
        'trễ hạn bị trừ 25%',
      );
      expect(
        await p.locator('[data-testid="assessment-step"][data-key="taskPoints"]').textContent(),
      ).toContain('67,0833');
      expect(await p.getByTestId('assessment-criteria-form').count()).toBe(0);
      expect(await p.getByTestId('assessment-waiver-form').count()).toBe(0);
      await sound(p, 'the official (vi)');
      // English second: the same explanation, numbers the English way.
      await Promise.all([
        p.waitForURL(`${stack.web.url}/assessments/${assessmentId}`),
        p.getByTestId('language-switch').click(),
      ]);
      await p.waitForFunction(() => document.documentElement.lang === 'en');
      await hydrated(p);
      expect(await p.getByTestId('assessment-total').textContent()).toBe('92.08');
      expect(await p.locator('[data-testid="assessment-step"][data-key="progress"]').textContent()).toContain(
        'a late one loses 25% of its share',
      );
      await sound(p, 'the official (en)');
    } finally {
      await ctx.close();
    }
  });
});
