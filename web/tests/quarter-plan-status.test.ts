// Browser check of the next quarter's draft plan on the quarterly report screen (issue 7 point 1) in Debian's
// Chromium: the Department of Finance of the demo province (its head, Lê Minh Tuấn) opens the 2022-Q1 report;
// the section for the Q2 2022 draft plan follows the read model the annual plan workflow writes (its submit task
// and audited steps, seeded here as the workflow writes them — api/routes/reports/quarter-plan-status.test.ts
// drives the real workflow): not started with the link to draft it in the unit's plan, draft with its due date,
// sent and waiting for the giao ban, adjusted with the giao ban's note. The same in English. Each state: no
// serious or critical axe violation, no sideways scrolling at 360 px. 2022 is a year no other web test uses.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../db/audit/chain.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import {
  type CheckInStack,
  demoDatabase,
  kr,
  personId,
  seedPlanInForce,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { en, fill, hydrated, open, vi } from './support/demo.ts';

const REPORT = '2022-Q1';
const NOTE = 'Điều chỉnh chỉ tiêu thẩm định lên 1.500 hồ sơ';

describe('the next quarter draft plan on the quarterly report screen', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let page: Page;
  let unitId = '';
  let headId = '';
  let planId = '';
  const url = () => `${stack.web.url}/reports/quarterly?unitId=${unitId}&period=${REPORT}`;
  const status = async () => (await page.getByTestId('quarter-plan-status').textContent())?.trim();
  const audit = (action: string, after: Record<string, unknown>) =>
    appendAudit(database.db, {
      aggregateType: 'plan',
      aggregateId: planId,
      actor: headId,
      action,
      before: null,
      after: { status: 'APPROVED', phase: 'APPROVED', ...after },
    });

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    headId = await personId(db, 'giamdoc@demo.woms.vn');
    const unit = await db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC')
      .executeTakeFirstOrThrow();
    unitId = unit.id;
    ({ planId } = await seedPlanInForce(db, {
      year: 2022,
      owner: { kind: 'unit', unitId },
      tasks: [
        {
          id: 't1',
          title: 'Thẩm định dự toán ngân sách',
          perspective: 'budget',
          weight: '1',
          keyResults: [kr('k-du-toan', 'Số hồ sơ dự toán được thẩm định', { ownerId: headId })],
        },
      ],
    }));
    stack = await startCheckInStack(database);
    page = await stack.signedIn('giamdoc@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('follows the Q2 draft: not started, draft, sent, adjusted with the note', async () => {
    await open(page, url());
    const heading = fill(vi.quarterPlan_heading, { quarter: '2', year: '2022' });
    expect(await page.locator('#quarter-plan-h').textContent()).toBe(heading);
    expect(await status()).toBe(vi.quarterPlan_status_not_started);
    const link = page.getByTestId('quarter-plan-link');
    expect(await link.textContent()).toBe(fill(vi.quarterPlan_edit_link, { quarter: '2', year: '2022' }));
    expect(await link.getAttribute('href')).toBe(`/plans/${encodeURIComponent(planId)}`);
    await sound(page, 'quarter-plan-not-started');

    // The draft item opens on 1/04 (the workflow's openTask), due with the Q1 report.
    const taskId = `${planId}:period:2022-Q2:submit:1`;
    await database.db
      .insertInto('task')
      .values({
        id: taskId,
        workflow_id: planId,
        update_name: 'submitPeriodPlan',
        kind: 'plan.period-submit',
        subject_type: 'plan',
        subject_id: planId,
        assignee_person_id: headId,
        assignee_role: null,
        assignee_unit_id: null,
        due_at: new Date('2022-04-11T16:59:59.999Z'),
        logical_due_date: '2022-04-11',
        status: 'open',
        details: JSON.stringify({ year: 2022, period: '2022-Q2', decider: 'giao-ban' }),
      })
      .execute();
    await open(page, url());
    expect(await status()).toBe(vi.quarterPlan_status_draft);
    expect(await page.getByTestId('quarter-plan').textContent()).toContain('11/04/2022');

    // Sent with the report.
    await database.db
      .updateTable('task')
      .set({ status: 'done', closed_at: new Date(), closed_by: headId })
      .where('id', '=', taskId)
      .execute();
    await audit('plan.period-submitted', { period: '2022-Q2', date: '2022-04-08', awaiting: 'giao-ban' });
    await open(page, url());
    expect(await status()).toBe(vi.quarterPlan_status_submitted);
    expect(await page.getByTestId('quarter-plan').textContent()).toContain('08/04/2022');
    expect(await page.getByTestId('quarter-plan-note').count()).toBe(0);

    // Adjusted at the Q1 giao ban.
    await audit('plan.period-adjusted', {
      period: '2022-Q2',
      decision: 'adjusted',
      note: NOTE,
      session: '2022-Q1',
      date: '2022-04-22',
    });
    await open(page, url());
    expect(await status()).toBe(vi.quarterPlan_status_adjusted);
    expect(await page.getByTestId('quarter-plan-note').textContent()).toBe(NOTE);
    const section = await page.getByTestId('quarter-plan').textContent();
    expect(section).toContain('22/04/2022');
    expect(section).toContain(fill(vi.quarterPlan_session_value, { quarter: '1', year: '2022' }));
    expect(await page.getByTestId('quarter-plan-link').textContent()).toBe(
      fill(vi.quarterPlan_view_link, { quarter: '2', year: '2022' }),
    );
    await sound(page, 'quarter-plan-adjusted');
  });

  it('in English; none on a Q4 report', async () => {
    await open(page, url());
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === 'en'),
      page.getByTestId('language-switch').click(),
    ]);
    await hydrated(page);
    expect(await page.locator('#quarter-plan-h').textContent()).toBe(
      fill(en.quarterPlan_heading, { quarter: '2', year: '2022' }),
    );
    expect(await status()).toBe(en.quarterPlan_status_adjusted);
    await sound(page, 'quarter-plan-english');
    await open(page, `${stack.web.url}/reports/quarterly?unitId=${unitId}&period=2022-Q4`);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.getByTestId('quarter-plan').count()).toBe(0);
  });
});
