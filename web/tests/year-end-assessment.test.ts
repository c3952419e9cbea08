// Browser journeys of the year-end assessment (issue 8 points 1–2) in Debian's Chromium: the demo official
// (Nguyễn Thị Lan) has eleven confirmed months of 2024 (60 task points each); her year-end assessment workflow
// (a real worker, started on 2/12/2024, the self-assessment window open) computed the year's task points with
// the December estimate. She adds a confirmed self-study with its evidence file, rates criterion 1 on the
// rubric and the other criteria the Vietnamese way, reads her score explained, and submits. Her supervisor
// (Trần Văn Hùng) opens the assessment, gives points per criterion with a comment, and reads the score and the
// proposed level explained in plain Vietnamese. Each state: no serious or critical axe violation, no sideways
// scrolling at 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitPath } from '../../db/queries/org-tree.ts';
import { yearEndInputFor } from '../../db/queries/year-end-workflow-input.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { seedConfirmedPeriods } from '../../test/support/year-end.ts';
import { yearEndAssessmentWorkflowId } from '../../workflows/year-end-assessment.messages.ts';
import {
  type CheckInStack,
  DEMO_EMAIL,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { open, vi } from './support/demo.ts';

/** A year no other web test uses (workflow ids are year + person on the shared dev server). */
const YEAR = 2024;
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\n%%EOF\n`);

describe('the year-end assessment screens', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let assessmentId = '';

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    const me = await personId(db, DEMO_EMAIL.official);
    const supervisor = await personId(db, DEMO_EMAIL.supervisor);
    const unitId = await unitOf(db, me, { primary: true });
    await seedConfirmedPeriods(db, {
      personId: me,
      unitId,
      confirmedBy: supervisor,
      year: YEAR,
      taskPoints: Array.from({ length: 11 }, () => '60'),
    });
    stack = await startCheckInStack(database, { taskQueue: 'year-end-web' });
    const { worker, taskQueue } = stack;
    const path = ((await unitPath(db, unitId)) ?? []).map((n) => n.id);
    const input = await yearEndInputFor(db, { personId: me, unitId, year: YEAR, day: '2024-12-02', path });
    if (!input) throw new Error('no calendar profile');
    assessmentId = input.assessmentId;
    const workflowId = yearEndAssessmentWorkflowId(YEAR, me);
    await worker.client.workflow.start('yearEndAssessmentWorkflow', {
      taskQueue,
      workflowId,
      args: [{ ...input, personName: 'Nguyễn Thị Lan', timeWarp: warpFrom('2024-12-02', 3_600_000) }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    });
    worker.started.push(workflowId);
    for (const end = Date.now() + 60_000; ; ) {
      const row = await db
        .selectFrom('year_end_assessment')
        .select('workflow_id')
        .where('id', '=', assessmentId)
        .executeTakeFirstOrThrow();
      if (row.workflow_id) break;
      if (Date.now() > end) throw new Error('the self-assessment did not open');
      await new Promise((r) => setTimeout(r, 100));
    }
    page = await stack.signedIn(DEMO_EMAIL.official);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** Waits for the action's success note; failing, says which error the page shows instead. */
  const success = async (p: Page, text: string | undefined) => {
    try {
      await p.locator('[data-testid="form-success"]', { hasText: text ?? '' }).waitFor({ timeout: 30_000 });
    } catch {
      const shown = await p.locator('[data-testid="form-error"]').allTextContents();
      throw new Error(`expected "${text}", the page shows ${JSON.stringify(shown)}`);
    }
  };

  it('the official adds evidenced self-study, rates the rubric, reads her score explained and submits', async () => {
    await open(page, `${stack.web.url}/evaluation/self?year=${YEAR}`);
    expect(await page.locator('h1').textContent()).toBe(
      vi.yearEnd_self_title?.replace('{year}', String(YEAR)),
    );
    expect(await page.getByTestId('year-end-status').getAttribute('data-status')).toBe('self-open');
    expect(await page.getByTestId('year-end-task-year').textContent()).toBe('60');
    const estimate = page.getByTestId('year-end-estimate');
    expect(await estimate.locator('[data-key="decemberEstimate"]').textContent()).toContain('tạm tính');
    await sound(page, 'self-assessment opened (vi)');

    // An item without its evidence file is refused by the page.
    const certs = page.locator('[data-testid="year-end-add"][data-list="certificates"]');
    await certs.getByTestId('year-end-item-title').fill('Tự học tiếng Anh B1, có xác nhận của trung tâm');
    await certs.getByTestId('year-end-item-add').click();
    await page.locator('[data-testid="form-error"]', { hasText: vi.yearEnd_file_required ?? '' }).waitFor();

    await certs.getByTestId('year-end-item-title').fill('Tự học tiếng Anh B1, có xác nhận của trung tâm');
    await certs.getByTestId('year-end-item-kind').selectOption('self-study');
    await certs.getByTestId('year-end-item-file').setInputFiles({
      name: 'Xác nhận tự học.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('Xác nhận hoàn thành khóa tự học tiếng Anh B1'),
    });
    await certs.getByTestId('year-end-item-add').click();
    await success(page, vi.yearEnd_item_added);
    const items = page.locator(
      '[data-testid="year-end-items"][data-list="certificates"] [data-testid="year-end-item"]',
    );
    expect(await items.count()).toBe(1);
    expect(await items.first().textContent()).toContain('Tự học tiếng Anh B1');
    expect(await items.first().locator('a[href^="/api/evidence/"]').count()).toBe(1);

    // The rubric and the other criteria, typed the Vietnamese way.
    await page.getByTestId('year-end-study').fill('100');
    await page.getByTestId('year-end-contributions').fill('3');
    await page.getByTestId('year-end-trust').fill('95,5');
    await page.getByTestId('year-end-level-4').check();
    const crit = (id: string) => page.locator(`[data-testid="year-end-criterion"][data-id="${id}"]`);
    await crit('disciplineStyle').fill('5');
    await crit('initiatives').fill('4');
    await crit('capabilityGrowth').fill('4,5');
    await page.getByTestId('year-end-save').click();
    await success(page, vi.yearEnd_saved);
    // 60 + criterion 1 at level 4 (12) + 5 + 4 + 4,5 = 85,5
    expect(await page.getByTestId('year-end-self-score').textContent()).toBe('85,5');
    const rubric = page.locator('[data-testid="year-end-self-steps"] [data-key="rubric"]');
    expect(await rubric.textContent()).toContain('mức 4');
    await sound(page, 'draft saved (vi)');

    await page.getByTestId('year-end-submit').focus();
    await page.keyboard.press('Enter');
    await success(page, vi.yearEnd_submitted);
    expect(await page.getByTestId('year-end-status').getAttribute('data-status')).toBe('self-submitted');
    expect(await page.getByTestId('year-end-submit').count()).toBe(0);
    expect(await page.getByTestId('year-end-add').count()).toBe(0);
    await sound(page, 'submitted (vi)');
  }, 120_000);

  it('the supervisor gives points per criterion and reads the proposed level explained', async () => {
    const p = await stack.signedIn(DEMO_EMAIL.supervisor);
    await open(p, `${stack.web.url}/evaluation/supervisor/${assessmentId}`);
    expect(await p.getByTestId('year-end-person').textContent()).toBe('Nguyễn Thị Lan');
    expect(await p.getByTestId('year-end-status').getAttribute('data-status')).toBe('self-submitted');
    expect(await p.locator('[data-testid="year-end-items"] [data-testid="year-end-item"]').count()).toBe(1);
    await sound(p, 'supervisor opens (vi)');

    const crit = (id: string) => p.locator(`[data-testid="year-end-criterion"][data-id="${id}"]`);
    await crit('politicalEthics').fill('14');
    await crit('disciplineStyle').fill('5');
    await crit('initiatives').fill('16');
    await crit('capabilityGrowth').fill('4,5');
    await p.getByTestId('year-end-assess').click();
    await p.locator('[data-testid="form-error"]').waitFor();
    expect(await p.getByTestId('form-error').textContent()).toContain('sáng kiến được công nhận');
    expect(await p.getByTestId('year-end-status').getAttribute('data-status')).toBe('self-submitted');

    await crit('initiatives').fill('4');
    await p.getByTestId('year-end-comments').fill('Chủ động, hoàn thành đúng hạn.');
    await p.getByTestId('year-end-assess').click();
    await success(p, vi.yearEnd_assessed);
    // 60 + 14 + 5 + 4 + 4,5 = 87,5 → Hoàn thành tốt nhiệm vụ
    expect(await p.getByTestId('year-end-supervisor-score').textContent()).toBe('87,5');
    expect(await p.getByTestId('year-end-level').textContent()).toBe('Hoàn thành tốt nhiệm vụ');
    const level = p.locator('[data-testid="year-end-supervisor-steps"] [data-key="proposedLevel"]');
    expect(await level.textContent()).toContain('87,5 điểm');
    expect(await p.getByTestId('year-end-status').getAttribute('data-status')).toBe('ready');
    expect(await p.getByTestId('year-end-assess-form').count()).toBe(0);
    await sound(p, 'supervisor assessed (vi)');
  }, 120_000);
});
