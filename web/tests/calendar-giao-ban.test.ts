// Browser journey (issue 7 point 5): the giao ban sessions in my calendar. On the demo province, the head of the
// Department of Finance (a unit directly under the province) opens the month of the next quarterly giao ban session
// of the province's calendar and finds the session and, when it falls in that month, the day its agenda and dossiers
// are sent, named from the catalogue; a demo official does not get them. No serious or critical axe violation.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provinceCalendarOfYear } from '../../db/queries/calendar.ts';
import { todayVn } from '../../db/queries/org-tree.ts';
import { newContext, seriousAxeViolations } from './support/browser.ts';
import {
  DEMO_PASSWORD,
  type DemoStack,
  fill,
  open,
  signInThroughScreen,
  startDemoStack,
  vi,
} from './support/demo.ts';

describe('giao ban sessions in my calendar (demo province)', () => {
  let stack: DemoStack;
  const contexts: BrowserContext[] = [];
  let provinceId = '';
  let session = { id: '', date: '', period: '', year: 0 };
  let dossier: { id: string; date: string } | undefined;

  async function signedIn(email: string): Promise<Page> {
    const context = await newContext(stack.browser);
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughScreen(page, stack.web.url, email, DEMO_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    stack = await startDemoStack();
    const { db } = stack.database;
    provinceId = (
      await db
        .selectFrom('org_unit')
        .select('province_id')
        .where('code', '=', 'STC')
        .executeTakeFirstOrThrow()
    ).province_id;
    // the next quarterly session from today on, from the province's calendar (the Q4 one sits in the next year)
    const today = todayVn();
    const year = Number(today.slice(0, 4));
    for (const y of [year - 1, year, year + 1]) {
      const cal = await provinceCalendarOfYear(db, provinceId, y);
      const next = cal?.calendar.deadlines
        .filter((d) => d.kind === 'giao-ban' && d.date >= today)
        .sort((a, b) => a.date.localeCompare(b.date))[0];
      if (next && !session.id) {
        session = { id: next.id, date: next.date, period: next.period ?? '', year: y };
        const d = cal?.calendar.deadlines.find((x) => x.id === `${next.id}.dossier`);
        dossier = d ? { id: d.id, date: d.date } : undefined;
      }
    }
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await stack?.stop();
  });

  it("the unit head finds the next session and its dossier day in the session's month", async () => {
    expect(session.id).toMatch(/^giao-ban\.\d{4}-Q[1-4]$/);
    const page = await signedIn('giamdoc@demo.woms.vn');
    const month = session.date.slice(0, 7);
    await open(page, `${stack.web.url}/calendar?month=${month}`);
    const cell = page.locator(`[data-testid="calendar-grid"] td[data-date="${session.date}"]`);
    const item = cell.locator(`[data-key="session:${provinceId}:${session.year}:${session.id}"]`);
    expect(await item.getAttribute('data-kind')).toBe('giao-ban');
    const [y, q] = session.period.split('-Q');
    expect(await item.textContent()).toContain(fill(vi.calendarGiaoBan_session, { quarter: q!, year: y! }));
    if (dossier && dossier.date.slice(0, 7) === month) {
      const d = page.locator(
        `[data-testid="calendar-grid"] td[data-date="${dossier.date}"] [data-key="session:${provinceId}:${session.year}:${dossier.id}"]`,
      );
      expect(await d.textContent()).toContain(fill(vi.calendarGiaoBan_dossier, { quarter: q!, year: y! }));
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('an official does not get the sessions', async () => {
    const page = await signedIn('canbo@demo.woms.vn');
    await open(page, `${stack.web.url}/calendar?month=${session.date.slice(0, 7)}`);
    await page.getByTestId('calendar-grid').waitFor();
    expect(await page.locator('[data-kind="giao-ban"], [data-kind="giao-ban-dossier"]').count()).toBe(0);
  });
});
