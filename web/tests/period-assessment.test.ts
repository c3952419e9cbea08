// Browser journey of the period assessment (issue 6 point 2) in Debian's Chromium: the demo official (Nguyễn
// Thị Lan) has February 2023 verified, submitted late, one value returned once for a major error; her
// period-assessment workflow (a real worker, a compressed calendar past the verification window) computed the
// draft. Her supervisor (Trần Văn Hùng) opens the unit's list, opens her assessment, records an objective
// cause for the late check-in with an evidence file (the task points rise), enters the general-criteria
// points the Vietnamese way and confirms from the keyboard; the official then reads her score and every step
// of its explanation, read-only. Each state: no serious or critical axe violation, no sideways scrolling at
// 360 px.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { type RunningApi, startApi } from '../../api/server.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { assessmentInputFor } from '../../db/queries/assessment-workflow-input.ts';
import { unitPath } from '../../db/queries/org-tree.ts';
import { freePort } from '../../devstack/ports.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import { freshDatabase, type TestDatabase } from '../../test/support/database.ts';
import { seedAssessedMonth } from '../../test/support/period-assessment.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { periodAssessmentWorkflowId } from '../../workflows/period-assessment.messages.ts';
import { hasHorizontalScroll, launchBrowser, newContext, seriousAxeViolations } from './support/browser.ts';
import { DEMO_PASSWORD, fill, hydrated, open, signInThroughScreen, vi } from './support/demo.ts';
import { ensureWebBuild, type RunningWeb, startWeb } from './support/webapp.ts';

/** A month no other web test uses (workflow ids are period + person on the shared dev server, and the demo
 *  province's ids are the same in every file's database). */
const PERIOD = '2023-02';

async function sound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  await page.setViewportSize(size);
}

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\n%%EOF\n`);

describe('the period assessment screens', () => {
  let database: TestDatabase;
  let api: RunningApi;
  let web: RunningWeb;
  let browser: Browser;
  let worker: TestWorker;
  let context: BrowserContext;
  let page: Page;
  let me = '';
  let unitId = '';
  let assessmentId = '';

  beforeAll(async () => {
    database = await freshDatabase();
    const { db } = database;
    await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
    await ensureDemoAccounts(db);
    const person = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'canbo@demo.woms.vn')
      .executeTakeFirstOrThrow();
    me = person.id;
    const supervisor = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'truongphong@demo.woms.vn')
      .executeTakeFirstOrThrow();
    const job = await db
      .selectFrom('employment')
      .select('org_unit_id')
      .where('person_id', '=', me)
      .executeTakeFirstOrThrow();
    unitId = job.org_unit_id;
    await seedAssessedMonth(db, {
      personId: me,
      unitId,
      supervisorId: supervisor.id,
      month: PERIOD,
      dueDate: '2023-03-06',
      lateDays: 2,
    });
    const taskQueue = `assessment-web-${randomUUID()}`;
    [worker] = await Promise.all([startTestWorker(db, { taskQueue }), ensureWebBuild()]);
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
    api = await startApi({
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      port: await freePort(),
      plans: { taskQueue },
    });
    web = await startWeb(api.url);
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await context.newPage();
    await signInThroughScreen(page, web.url, 'truongphong@demo.woms.vn', DEMO_PASSWORD);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await web?.stop();
    await api?.close();
    await worker?.stop();
  });

  const success = (text: string | undefined) =>
    page.locator('[data-testid="form-success"]', { hasText: text ?? '' }).waitFor({ timeout: 60_000 });

  it('the supervisor waives the late check-in with evidence, scores the general criteria and confirms', async () => {
    await open(page, `${web.url}/assessments?unitId=${unitId}&period=${PERIOD}`);
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
    const ctx = await newContext(browser);
    try {
      const p = await ctx.newPage();
      await signInThroughScreen(p, web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
      await open(p, `${web.url}/assessments/${assessmentId}`);
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
        p.waitForURL(`${web.url}/assessments/${assessmentId}`),
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
