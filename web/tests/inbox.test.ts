// Browser journey of the inbox, the notification centre, search and the guide (issue 5, point 4): a demo
// official with tasks seeded in the read model sees the inbox by due date with the overdue one in red, opens
// a notification, searches without diacritics and opens the guide. Every screen: no serious or critical axe
// violation, no sideways scrolling at 360 px.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayVn } from '../../db/queries/org-tree.ts';
import { createPlanVersion, ensurePlan } from '../../db/queries/plans.ts';
import { addCalendarDays } from '../../domain/calendar/vn-time.ts';
import { hasHorizontalScroll, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  type DemoStack,
  en,
  fill,
  open,
  signInThroughScreen,
  startDemoStack,
  vi,
} from './support/demo.ts';

async function screenIsSound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  expect(await page.getByTestId('nav-guide').count(), `${label}: the guide link`).toBe(1);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

describe('inbox, notifications, search and guide (demo official)', () => {
  let stack: DemoStack;
  let context: BrowserContext;
  let page: Page;
  const url = (path: string) => `${stack.web.url}${path}`;
  const today = todayVn();
  const planId = `plan:${Number(today.slice(0, 4)) + 1}:unit:stc`;

  beforeAll(async () => {
    stack = await startDemoStack();
    const { db } = stack.database;
    const official = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'canbo@demo.woms.vn')
      .executeTakeFirstOrThrow();
    const stc = await db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC')
      .executeTakeFirstOrThrow();
    const qlns = await db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC.QLNS')
      .executeTakeFirstOrThrow();
    const year = Number(today.slice(0, 4)) + 1;
    await ensurePlan(db, { id: planId, ownerKind: 'unit', unitId: stc.id, year });
    await createPlanVersion(db, {
      planId,
      createdBy: 'test',
      content: {
        id: planId,
        year,
        owner: { kind: 'unit', unitId: stc.id },
        tasks: [
          {
            id: 't1',
            title: 'Nâng cao chất lượng kế hoạch tài chính',
            perspective: 'budget',
            weight: '1',
            keyResults: [
              {
                id: 'kr1',
                title: 'Tỷ lệ hồ sơ quyết toán được thẩm định đúng hạn',
                type: 'KPI',
                breakthrough: false,
                unit: '%',
                direction: { kind: 'higher' },
                target: '95',
                weight: '1',
                cadence: 'month',
                aggregation: 'last',
                evidenceRequired: false,
              },
            ],
          },
        ],
      },
    });
    const task = async (
      id: string,
      due: string,
      o: { role?: boolean; kind?: string; escalation?: number } = {},
    ) =>
      db
        .insertInto('task')
        .values({
          id,
          workflow_id: `wf:${planId}`,
          update_name: 'submitPlan',
          kind: o.kind ?? 'plan.submit',
          subject_type: 'plan',
          subject_id: planId,
          assignee_person_id: o.role ? null : official.id,
          assignee_role: o.role ? 'official' : null,
          assignee_unit_id: o.role ? qlns.id : null,
          due_at: new Date(`${due}T10:00:00Z`),
          logical_due_date: due,
          escalation_level: o.escalation ?? 0,
          details: { year },
        })
        .execute();
    await task('t-later', addCalendarDays(today, 30), { role: true, kind: 'plan.revise' });
    await task('t-overdue', addCalendarDays(today, -3), { escalation: 1 });
    await task('t-today', today, { kind: 'plan.appraise' });
    await db
      .insertInto('notification')
      .values({
        person_id: official.id,
        kind: 'plan.reminder',
        title_vi: 'Quá hạn: nộp kế hoạch',
        title_en: 'Overdue: submit the plan',
        body_vi: 'Kế hoạch của Sở Tài chính đã quá hạn nộp.',
        body_en: "The Department of Finance's plan is overdue.",
        link: `/tasks/${encodeURIComponent('t-overdue')}`,
      })
      .execute();
    context = await newContext(stack.browser);
    page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });

  it('shows the inbox by due date, the overdue task highlighted, with counts and badges', async () => {
    await open(page, url('/inbox'));
    expect(await page.textContent('h1')).toBe(vi.inbox_title);
    const rows = page.getByTestId('inbox-task');
    expect(await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.taskId))).toEqual([
      't-overdue',
      't-today',
      't-later',
    ]);
    expect(await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.urgency))).toEqual([
      'overdue',
      'soon',
      'later',
    ]);
    const overdue = rows.first();
    expect(await overdue.textContent()).toContain(vi.inbox_state_overdue);
    expect(await overdue.textContent()).toContain(fill(vi.inbox_escalated, { level: '1' }));
    // red left border (the traffic light), from the palette's "bad" colour
    expect(await overdue.evaluate((e) => getComputedStyle(e).borderLeftColor)).toBe('rgb(163, 22, 27)');
    expect(await page.getByTestId('count-open').textContent()).toBe('3');
    expect(await page.getByTestId('count-overdue').textContent()).toBe('1');
    expect(await page.getByTestId('inbox-count').textContent()).toContain('3');
    expect(await page.getByTestId('unread-count').textContent()).toContain('1');
    expect(await overdue.locator('a').getAttribute('href')).toBe(`/plans/${encodeURIComponent(planId)}`);
    await screenIsSound(page, 'inbox');
    // filters: overdue only
    await page.getByLabel(vi.inbox_filter_overdue!).check();
    await Promise.all([
      page.waitForURL(/overdue=true/),
      page.getByTestId('inbox-filters').locator('button').click(),
    ]);
    expect(await page.getByTestId('inbox-task').count()).toBe(1);
  });

  it('opens a notification: it is marked read and leads to the task’s screen', async () => {
    await open(page, url('/notifications'));
    expect(await page.getByTestId('unread-total').textContent()).toBe(
      fill(vi.notifications_unread, { count: '1' }),
    );
    const note = page.getByTestId('notification').first();
    expect(await note.textContent()).toContain('Quá hạn: nộp kế hoạch');
    await screenIsSound(page, 'notifications');
    await Promise.all([
      page.waitForURL((u) => u.pathname.startsWith('/plans/')),
      note.getByTestId('open-notification').click(),
    ]);
    expect(new URL(page.url()).pathname).toBe(`/plans/${encodeURIComponent(planId)}`);
    await open(page, url('/notifications'));
    expect(await page.getByTestId('notification').first().getAttribute('data-read')).toBe('true');
    expect(await page.getByTestId('unread-count').count()).toBe(0);
  });

  it('searches without diacritics from the box on every screen, results grouped by kind', async () => {
    await open(page, url('/guide'));
    await page.fill('#site-search-q', 'ke hoach tai chinh');
    await Promise.all([
      page.waitForURL(/\/search\?q=/),
      page.getByTestId('site-search').locator('button').click(),
    ]);
    const groups = page.getByTestId('search-group');
    // the plan of the Department of Finance (Sở Tài chính) by its name, and its task by its title
    expect(await groups.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind))).toEqual([
      'plan',
      'task',
    ]);
    expect(await groups.nth(1).getByTestId('search-hit').first().textContent()).toContain(
      'Nâng cao chất lượng kế hoạch tài chính',
    );
    await screenIsSound(page, 'search');
    await open(page, url(`/search?q=${encodeURIComponent('THAM DINH DUNG HAN')}`));
    expect(await groups.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind))).toEqual([
      'keyResult',
    ]);
  });

  it('opens the user guide in Vietnamese and in English', async () => {
    await open(page, url('/'));
    await Promise.all([page.waitForURL(/\/guide$/), page.getByTestId('nav-guide').click()]);
    expect(await page.textContent('h1')).toBe(vi.guide_title);
    const text = (await page.textContent('main')) ?? '';
    for (const key of [
      'guide_signin_h',
      'guide_inbox_h',
      'guide_cal_submit',
      'guide_cal_approve',
      'guide_decompose_h',
      'guide_amend_p',
      'guide_delegation_h',
      'guide_admin_h',
      'guide_admin_calendar_p',
      'guide_checkin_p2',
      'guide_giaoban_h',
      'guide_yearend_p3',
    ])
      expect(text).toContain(vi[key]);
    await screenIsSound(page, 'guide');
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.textContent('h1')).toBe(en.guide_title);
    expect(await page.textContent('main')).toContain(en.guide_delegation_p);
    expect(await page.textContent('main')).toContain(en.guide_yearend_p2);
    await screenIsSound(page, 'guide (en)');
    await page.getByTestId('language-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'vi');
  });

  it('shows this month’s check-in and next month’s plan, due the same day, as one entry', async () => {
    // Rows as the check-in and plan workflows' task activities write them (the workflows are tested in
    // workflows/); both due in 10 days, the check-in for month m and the plan for month m+1.
    const { db } = stack.database;
    const official = await db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'canbo@demo.woms.vn')
      .executeTakeFirstOrThrow();
    const due = addCalendarDays(today, 10);
    const pair = [
      {
        id: 't-ci',
        kind: 'check-in.submit',
        type: 'check_in',
        subject: crypto.randomUUID(),
        period: '2026-11',
      },
      { id: 't-mp', kind: 'plan.period-submit', type: 'plan', subject: planId, period: '2026-12' },
    ];
    for (const r of pair)
      await db
        .insertInto('task')
        .values({
          id: r.id,
          workflow_id: `wf:${r.id}`,
          kind: r.kind,
          subject_type: r.type,
          subject_id: r.subject,
          assignee_person_id: official.id,
          due_at: new Date(`${due}T10:00:00Z`),
          logical_due_date: due,
          details: { period: r.period },
        })
        .execute();
    try {
      await open(page, url('/inbox'));
      const entry = page.locator('[data-testid="inbox-task"][data-task-id="t-ci"]');
      expect(await entry.locator('.task-title').textContent()).toContain(
        `${vi.task_kind_checkin_submit} 11/2026`,
      );
      const bundled = entry.getByTestId('inbox-bundled');
      expect(await bundled.textContent()).toContain(fill(vi.inbox_bundle_with, { period: '12/2026' }));
      expect(await bundled.locator('a').getAttribute('href')).toBe(`/plans/${encodeURIComponent(planId)}`);
      expect(await entry.locator('a.task-title').getAttribute('href')).toBe('/check-ins?period=2026-11');
      expect(await page.locator('[data-task-id="t-mp"]').count()).toBe(0);
      expect(await page.getByTestId('count-open').textContent()).toBe('4');
      await screenIsSound(page, 'inbox with a bundled entry');
    } finally {
      await db.deleteFrom('task').where('id', 'in', ['t-ci', 't-mp']).execute();
    }
  });
});
