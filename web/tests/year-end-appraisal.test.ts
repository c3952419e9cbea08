// Browser journey of the organisation department's appraisal of a year-end assessment (issue 8 points 1–2) in
// Debian's Chromium, where the unit type requires it: the demo secretariat officer Hoàng Thị Thu Hà works in the
// Office of the Provincial Party Committee (a Party body, org_unit_type.ranking_needs_org_appraisal). She has
// eleven confirmed months of 2023 (60 task points each); her year-end assessment workflow runs on a real worker
// (started on 2/12/2023); her self-assessment and her manager's points are given through the workflow's Updates
// (the screens of those steps are web/tests/year-end-assessment.test.ts). The province's organisation
// department (Đặng Thị Mai) sees no appraisal form while the manager has not assessed; then finds the appraisal
// task in her inbox, opens the assessment, reads the score and the proposed level explained, disagrees and
// proposes "Hoàn thành nhiệm vụ" with a comment; the assessment is ready for the ranking, the appraisal is shown
// and the task leaves her inbox. Each state: no serious or critical axe violation, no sideways scrolling at
// 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOTP_SECRET } from '../../api/auth/demo-accounts.ts';
import { holdersOfRole } from '../../db/queries/org.ts';
import { todayVn, unitPath } from '../../db/queries/org-tree.ts';
import { EMPTY_SELF, saveSelfDraft, yearEndById } from '../../db/queries/year-end-assessments.ts';
import { yearEndInputFor } from '../../db/queries/year-end-workflow-input.ts';
import { warpFrom } from '../../test/support/annual-plan.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { seedConfirmedPeriods, seedEvidence } from '../../test/support/year-end.ts';
import {
  submitSelfAssessment,
  submitSupervisorAssessment,
  yearEndAssessmentWorkflowId,
} from '../../workflows/year-end-assessment.messages.ts';
import {
  type CheckInStack,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { fill, open, vi } from './support/demo.ts';

/** A year no other year-end or ranking web test uses (workflow ids are year + person on the shared dev server). */
const YEAR = 2023;
const ORG_DEPT = 'bantochuc@demo.woms.vn';

describe('the organisation department appraises a year-end assessment', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let assessmentId = '';
  let workflowId = '';
  let me = '';
  let manager = '';

  /** Waits until the assessment's row has this status (the workflow's activities write it). */
  const statusIs = async (status: string) => {
    for (const end = Date.now() + 60_000; ; ) {
      const row = await yearEndById(database.db, assessmentId);
      if (row?.status === status) return;
      if (Date.now() > end) throw new Error(`the assessment is ${row?.status}, not ${status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    me = await personId(db, 'vanphong@demo.woms.vn');
    const unitId = await unitOf(db, me, { primary: true });
    const path = ((await unitPath(db, unitId)) ?? []).map((n) => n.id);
    // the unit directly under the province is a Party body: its type requires the appraisal
    const top = await db
      .selectFrom('org_unit')
      .innerJoin('org_unit_type', 'org_unit_type.code', 'org_unit.type_code')
      .select(['org_unit.type_code', 'org_unit_type.ranking_needs_org_appraisal as needs'])
      .where('org_unit.id', '=', path[1]!)
      .executeTakeFirstOrThrow();
    expect(top).toEqual({ type_code: 'party_body', needs: true });
    const input = await yearEndInputFor(db, { personId: me, unitId, year: YEAR, day: `${YEAR}-12-02`, path });
    if (!input) throw new Error('no calendar profile');
    expect(input.appraiser).toEqual({ role: 'organisation_department', unitId: path[0] });
    // her division's head today (the demo's role grants start after 2023, so the workflow addresses the role)
    const [head] = (await holdersOfRole(db, 'supervisor', unitId, todayVn())).filter((h) => h.id !== me);
    if (!head) throw new Error('her division has no head in the demo');
    manager = head.id;
    await seedConfirmedPeriods(db, {
      personId: me,
      unitId,
      confirmedBy: manager,
      year: YEAR,
      taskPoints: Array.from({ length: 11 }, () => '60'),
    });
    assessmentId = input.assessmentId;
    stack = await startCheckInStack(database, { taskQueue: 'year-end-appraisal-web' });
    const { worker, taskQueue } = stack;
    workflowId = yearEndAssessmentWorkflowId(YEAR, me);
    await worker.client.workflow.start('yearEndAssessmentWorkflow', {
      taskQueue,
      workflowId,
      args: [{ ...input, personName: 'Hoàng Thị Thu Hà', timeWarp: warpFrom(`${YEAR}-12-02`, 3_600_000) }],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    });
    worker.started.push(workflowId);
    for (const end = Date.now() + 60_000; ; ) {
      const row = await yearEndById(db, assessmentId);
      if (row?.workflow_id) break;
      if (Date.now() > end) throw new Error('the self-assessment did not open');
      await new Promise((r) => setTimeout(r, 100));
    }
    // her self-assessment, submitted through the workflow (the self screen has its own journey)
    const evidence = await seedEvidence(db, unitId, me, 'Chứng chỉ bồi dưỡng nghiệp vụ văn phòng');
    await saveSelfDraft(db, {
      id: assessmentId,
      revision: 0,
      by: me,
      content: {
        ...EMPTY_SELF,
        certificates: [
          { title: 'Chứng chỉ bồi dưỡng nghiệp vụ văn phòng', kind: 'certificate', evidenceIds: [evidence] },
        ],
        rubric: {
          resolutionStudyPercent: '100',
          contributionsPerYear: 2,
          trustPercent: '90',
          disciplinedForIdeology: false,
          selfLevel: 4,
        },
        points: { disciplineStyle: '5', initiatives: '3', capabilityGrowth: '4' },
      },
    });
    await worker.client.workflow
      .getHandle(workflowId)
      .executeUpdate(submitSelfAssessment, { args: [{ by: me, revision: 1 }] });
    await statusIs('self-submitted');
    page = await stack.signedIn(ORG_DEPT);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** Waits for the action's success note; failing, says which error the page shows instead. */
  const success = async (p: Page, text: string | undefined) => {
    try {
      await p.locator('[data-testid="form-success"]', { hasText: text ?? '' }).waitFor({ timeout: 60_000 });
    } catch {
      const shown = await p.locator('[data-testid="form-error"]').allTextContents();
      throw new Error(`expected "${text}", the page shows ${JSON.stringify(shown)}`);
    }
  };

  it('shows no appraisal form before the manager has assessed', async () => {
    await open(page, `${stack.web.url}/evaluation/supervisor/${assessmentId}`);
    expect(await page.getByTestId('year-end-person').textContent()).toBe('Hoàng Thị Thu Hà');
    expect(await page.getByTestId('year-end-status').getAttribute('data-status')).toBe('self-submitted');
    expect(await page.getByTestId('year-end-appraise-form').count()).toBe(0);
    // the organisation department neither assesses nor appraises before the manager
    expect(await page.getByTestId('year-end-assess-form').count()).toBe(0);
    await sound(page, 'before the manager (vi)');
  }, 120_000);

  it('finds the task in the inbox, disagrees with the proposed level and proposes another', async () => {
    // the manager's points (60 + 14 + 5 + 3 + 4 = 86 → Hoàn thành tốt nhiệm vụ), through the workflow
    await stack.worker.client.workflow.getHandle(workflowId).executeUpdate(submitSupervisorAssessment, {
      args: [
        {
          by: manager,
          points: { politicalEthics: '14', disciplineStyle: '5', initiatives: '3', capabilityGrowth: '4' },
          comments: 'Hoàn thành tốt nhiệm vụ tổng hợp.',
        },
      ],
    });
    await statusIs('supervisor-done');

    const taskTitle = `${vi.yearEnd_task_appraisal} ${fill(vi.inbox_year, { year: String(YEAR) })}`;
    let task = page.locator('[data-testid="inbox-task"]', { hasText: taskTitle });
    for (const end = Date.now() + 60_000; ; ) {
      await open(page, `${stack.web.url}/inbox`);
      if ((await task.count()) > 0) break;
      if (Date.now() > end) throw new Error('the appraisal task did not reach the inbox');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await task.count()).toBe(1);
    const link = task.locator('a.task-title');
    expect(await link.getAttribute('href')).toBe(`/evaluation/supervisor/${assessmentId}`);
    await sound(page, 'inbox with the appraisal (vi)');

    await link.click();
    await page.waitForURL(`**/evaluation/supervisor/${assessmentId}`);
    await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
    expect(await page.getByTestId('year-end-person').textContent()).toBe('Hoàng Thị Thu Hà');
    expect(await page.getByTestId('year-end-status').getAttribute('data-status')).toBe('supervisor-done');
    expect(await page.getByTestId('year-end-supervisor-score').textContent()).toBe('86');
    expect(await page.getByTestId('year-end-level').textContent()).toBe('Hoàn thành tốt nhiệm vụ');
    const level = page.locator('[data-testid="year-end-supervisor-steps"] [data-key="proposedLevel"]');
    expect(await level.textContent()).toContain('86 điểm');
    expect(await page.locator('[data-testid="year-end-items"] [data-testid="year-end-item"]').count()).toBe(
      1,
    );
    expect(await page.getByTestId('year-end-assess-form').count()).toBe(0);
    const form = page.getByTestId('year-end-appraise-form');
    expect(await form.count()).toBe(1);
    expect(await page.locator('#appraise-title').textContent()).toBe(vi.yearEnd_appraisal);
    await sound(page, 'appraisal form (vi)');

    await form.locator('input[name="agrees"][value="no"]').check();
    await form.locator('select[name="level"]').selectOption('completed');
    await form.locator('textarea[name="comment"]').fill('Chưa có sáng kiến được công nhận trong năm.');
    await page.getByTestId('year-end-appraise').click();
    await success(page, vi.yearEnd_appraised);
    expect(await page.getByTestId('year-end-status').getAttribute('data-status')).toBe('ready');
    expect(await page.getByTestId('year-end-appraise-form').count()).toBe(0);
    expect((await page.getByTestId('year-end-appraisal').textContent())?.trim()).toBe(
      'Không đồng ý; đề xuất mức Hoàn thành nhiệm vụ.',
    );
    expect(await page.getByTestId('year-end-appraisal-comment').textContent()).toBe(
      'Ý kiến thẩm định: Chưa có sáng kiến được công nhận trong năm.',
    );
    await sound(page, 'appraised (vi)');

    const row = await yearEndById(database.db, assessmentId);
    expect(row?.appraisal).toMatchObject({ agrees: false, level: 'completed' });

    // the task is done: no longer among her open tasks
    await open(page, `${stack.web.url}/inbox`);
    task = page.locator('[data-testid="inbox-task"]:not([data-urgency="done"])', { hasText: taskTitle });
    expect(await task.count()).toBe(0);

    // the person reads the appraisal on her own year-end page
    const own = await stack.signedIn('vanphong@demo.woms.vn', { totpSecret: DEMO_TOTP_SECRET });
    await open(own, `${stack.web.url}/evaluation/self?year=${YEAR}`);
    expect((await own.getByTestId('year-end-appraisal').textContent())?.trim()).toBe(
      'Không đồng ý; đề xuất mức Hoàn thành nhiệm vụ.',
    );
    expect(await own.getByTestId('year-end-appraisal-comment').textContent()).toBe(
      'Ý kiến thẩm định: Chưa có sáng kiến được công nhận trong năm.',
    );
    await sound(own, 'the person reads the appraisal (vi)');
    await own.close();
  }, 180_000);
});
