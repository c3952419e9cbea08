// Browser journey of my calendar (issue 7 point 5): a demo official sees their deadlines in the month grid
// (today highlighted) and, at 360 px, as a list; moves to the next month, where the check-in deadline of the
// province's calendar is; creates the private subscription link, fetches the .ics through it like a phone
// calendar (no session), revokes it and the link answers 404. Every screen: no serious or critical axe
// violation, no sideways scrolling at 360 px.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayVn } from '../../db/queries/org-tree.ts';
import { addCalendarDays } from '../../domain/calendar/vn-time.ts';
import { hasHorizontalScroll, newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  type DemoStack,
  fill,
  open,
  signInThroughScreen,
  startDemoStack,
  vi,
} from './support/demo.ts';

async function screenIsSound(page: Page, label: string) {
  expect(await seriousAxeViolations(page), label).toEqual([]);
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await hasHorizontalScroll(page), `${label} at 360px`).toBe(false);
  expect(await seriousAxeViolations(page), `${label} at 360px`).toEqual([]);
  await page.setViewportSize(size);
}

/** The .ics events, folded lines joined back (RFC 5545 §3.1). */
function events(ics: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    if (line === 'BEGIN:VEVENT') cur = {};
    else if (line === 'END:VEVENT' && cur) {
      out.push(cur);
      cur = null;
    } else if (cur) cur[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1);
  }
  return out;
}

describe('my calendar (demo official)', () => {
  let stack: DemoStack;
  let context: BrowserContext;
  let page: Page;
  let officialId = '';
  const url = (path: string) => `${stack.web.url}${path}`;
  const today = todayVn();
  const month = today.slice(0, 7);
  const nextMonth = addCalendarDays(`${month}-01`, 35).slice(0, 7);
  const afterNext = addCalendarDays(`${month}-01`, 70).slice(0, 7);
  const later = `${afterNext}-09`;
  const planId = `plan:${Number(today.slice(0, 4)) + 1}:unit:stc-cal`;
  let feedUrl = '';

  beforeAll(async () => {
    stack = await startDemoStack();
    const { db } = stack.database;
    const person = async (email: string) =>
      (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    officialId = await person('canbo@demo.woms.vn');
    const other = await db
      .selectFrom('person')
      .select('id')
      .where('id', '!=', officialId)
      .limit(1)
      .executeTakeFirstOrThrow();
    const task = (id: string, who: string, due: string, kind = 'plan.submit') =>
      db
        .insertInto('task')
        .values({
          id,
          workflow_id: `wf:${planId}`,
          update_name: 'submitPlan',
          kind,
          subject_type: 'plan',
          subject_id: planId,
          assignee_person_id: who,
          assignee_role: null,
          assignee_unit_id: null,
          due_at: new Date(`${due}T10:00:00Z`),
          logical_due_date: due,
          details: {},
        })
        .execute();
    await task('cal-today', officialId, today);
    await task('cal-later', officialId, later, 'plan.revise');
    await task('cal-other', other.id, today, 'plan.appraise');
    context = await newContext(stack.browser);
    page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, 'canbo@demo.woms.vn', DEMO_PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await stack?.stop();
  });

  it('shows my deadlines of the month in a grid with today highlighted, and as a list at 360 px', async () => {
    await open(page, url('/calendar'));
    expect(await page.textContent('h1')).toBe(vi.mycal_title);
    expect(await page.getByTestId('calendar-month').textContent()).toBe(
      fill(vi.mycal_month, { month: month.slice(5), year: month.slice(0, 4) }),
    );
    const todayCell = page.locator(`[data-testid="calendar-grid"] td[data-date="${today}"]`);
    expect(await todayCell.getAttribute('aria-current')).toBe('date');
    expect(await todayCell.textContent()).toContain(vi.mycal_today);
    const mine = todayCell.locator('[data-key="task:cal-today"]');
    expect(await mine.textContent()).toContain(vi.task_kind_plan_submit);
    expect(await mine.getAttribute('href')).toBe(`/plans/${encodeURIComponent(planId)}`);
    // another person's task is not mine
    expect(await page.locator('[data-key="task:cal-other"]').count()).toBe(0);
    await screenIsSound(page, 'calendar');

    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.getByTestId('calendar-grid').isVisible()).toBe(false);
    const listed = page.locator('[data-testid="calendar-list"] [data-key="task:cal-today"]');
    expect(await listed.isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("moves month by month: next month holds this month's check-in deadline from the province's calendar", async () => {
    await open(page, url('/calendar'));
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('month') === nextMonth),
      page.getByTestId('calendar-next').click(),
    ]);
    expect(await page.getByTestId('calendar-month').textContent()).toBe(
      fill(vi.mycal_month, { month: nextMonth.slice(5), year: nextMonth.slice(0, 4) }),
    );
    const due = page.locator(`[data-testid="calendar-grid"] [data-key="check-in.${month}:${officialId}"]`);
    expect(await due.textContent()).toContain(vi.mycal_kind_checkin_due);
    expect(await due.getAttribute('href')).toBe(`/check-ins?period=${month}`);
    expect(await page.locator('[data-key="task:cal-later"]').count()).toBe(0);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('month') === afterNext),
      page.getByTestId('calendar-next').click(),
    ]);
    const laterCell = page.locator(`[data-testid="calendar-grid"] td[data-date="${later}"]`);
    expect(await laterCell.locator('[data-key="task:cal-later"]').textContent()).toContain(
      vi.task_kind_plan_revise,
    );
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('month') === nextMonth),
      page.getByTestId('calendar-prev').click(),
    ]);
  });

  it('creates the private link; a phone calendar reads the .ics through it without a session', async () => {
    await open(page, url('/calendar'));
    expect(await page.getByTestId('feed-status').textContent()).toBe(vi.mycal_feed_inactive);
    await page.getByTestId('feed-link').click();
    await page.getByTestId('feed-url').waitFor();
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.mycal_feed_created);
    feedUrl = await page.getByTestId('feed-url').inputValue();
    expect(feedUrl).toMatch(new RegExp(`^${stack.web.url}/api/calendar/feed/[A-Za-z0-9_-]{43}\\.ics$`));
    expect(await page.getByTestId('feed-webcal').getAttribute('href')).toBe(
      feedUrl.replace(/^http:/, 'webcal:'),
    );
    await screenIsSound(page, 'calendar with a link');

    const res = await fetch(feedUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    const ics = await res.text();
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    const ev = events(ics).find((e) => e.UID === 'task:cal-today@woms');
    expect(ev?.SUMMARY).toBe(vi.task_kind_plan_submit);
    expect(ev?.['DTSTART;VALUE=DATE']).toBe(today.replaceAll('-', ''));
    expect(ev?.DESCRIPTION).toContain(`${stack.web.url}/plans/${encodeURIComponent(planId)}`);
    expect(events(ics).some((e) => e.UID === 'task:cal-other@woms')).toBe(false);
  });

  it('revokes the link: it answers 404 from then on', async () => {
    await open(page, url('/calendar'));
    expect(await page.getByTestId('feed-status').textContent()).toContain(
      fill(vi.mycal_feed_active, { date: today.split('-').reverse().join('/') }),
    );
    await page.getByTestId('feed-revoke').click();
    await page.getByTestId('form-success').waitFor();
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.mycal_feed_revoked);
    expect(await page.getByTestId('feed-status').textContent()).toBe(vi.mycal_feed_inactive);
    const res = await fetch(feedUrl);
    expect(res.status).toBe(404);
  });
});
