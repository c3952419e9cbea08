// Browser journey of the completion tracker (issue 6 point 5) in Debian's Chromium: the demo supervisor (Trần
// Văn Hùng) picks September 2023 and sees, for the Budget Management Division, who has and has not reported —
// each person's status and the counts at the top; the province (secretariat) sees counts per unit only, never a
// name. The period defaults to last month. Check-in rows are seeded directly (statuses are the check-in
// workflow's, tested in workflows/check-in.test.ts); 2023 is a year no other web test uses. Each screen: no
// serious or critical axe violation, no sideways scrolling at 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckInStack,
  demoDatabase,
  lastMonthVn,
  personId,
  soundWithAxeAt360 as sound,
  startCheckInStack,
  unitOf,
} from './support/check-in-stack.ts';
import { DEMO_TOTP_SECRET, hydrated, open, vi } from './support/demo.ts';

const PERIOD = '2023-09';

describe('the completion tracker', () => {
  let stack: CheckInStack;
  const ids = { official: '', supervisor: '', unit: '' };
  const url = (path: string) => `${stack.web.url}${path}`;
  let staff: { id: string; name: string }[] = [];

  beforeAll(async () => {
    stack = await startCheckInStack(await demoDatabase());
    const { db } = stack.database;
    ids.official = await personId(db, 'canbo@demo.woms.vn');
    ids.supervisor = await personId(db, 'truongphong@demo.woms.vn');
    ids.unit = await unitOf(db, ids.official);
    staff = (
      await db
        .selectFrom('employment as e')
        .innerJoin('person as p', 'p.id', 'e.person_id')
        .select(['p.id', 'p.full_name'])
        .where('e.org_unit_id', '=', ids.unit)
        .where('e.valid_to', 'is', null)
        .execute()
    ).map((r) => ({ id: r.id, name: r.full_name }));
    staff = [...new Map(staff.map((s) => [s.id, s])).values()];
    // The official submitted September; the supervisor's own check-in was returned to him.
    for (const [personId, status] of [
      [ids.official, 'SUBMITTED'],
      [ids.supervisor, 'RETURNED'],
    ] as const) {
      await db
        .insertInto('check_in')
        .values({ person_id: personId, unit_id: ids.unit, period: PERIOD, workflow_id: null, status })
        .execute();
    }
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const signedIn = (email: string, totp = false): Promise<Page> =>
    stack.signedIn(email, totp ? { totpSecret: DEMO_TOTP_SECRET } : {});

  it("shows the supervisor's division: each person's status and the counts", async () => {
    const page = await signedIn('truongphong@demo.woms.vn');
    await open(page, url('/'));
    await Promise.all([page.waitForURL(/\/check-ins\/tracker$/), page.getByTestId('nav-tracker').click()]);
    await hydrated(page);
    expect(await page.locator('h1').textContent()).toBe(vi.tracker_title);
    // the period defaults to last month
    expect(await page.locator('#t-period').inputValue()).toBe(lastMonthVn());
    await page.locator('#t-period').fill(PERIOD);
    await page.locator('[data-testid="tracker-filters"] button[type="submit"]').focus();
    await Promise.all([page.waitForURL(/period=2023-09/), page.keyboard.press('Enter')]);
    await hydrated(page);

    const row = (id: string) => page.locator(`[data-testid="tracker-person"][data-person="${id}"]`);
    expect(await row(ids.official).getAttribute('data-status')).toBe('SUBMITTED');
    expect((await row(ids.official).getByTestId('tracker-status').textContent())?.trim()).toBe(
      vi.tracker_status_SUBMITTED,
    );
    expect(await row(ids.supervisor).getAttribute('data-status')).toBe('RETURNED');
    const others = staff.filter((s) => s.id !== ids.official && s.id !== ids.supervisor);
    for (const o of others) {
      expect(await row(o.id).getAttribute('data-status')).toBe('NOT_STARTED');
      expect((await row(o.id).getByTestId('tracker-status').textContent())?.trim()).toBe(
        vi.tracker_status_not_started,
      );
    }
    expect(await page.getByTestId('tracker-person').count()).toBe(staff.length);
    expect(await page.getByTestId('tracker-count-people').textContent()).toBe(String(staff.length));
    expect(await page.getByTestId('tracker-count-submitted').textContent()).toBe('1');
    expect(await page.getByTestId('tracker-count-returned').textContent()).toBe('1');
    expect(await page.getByTestId('tracker-count-notStarted').textContent()).toBe(String(others.length));
    await sound(page, 'tracker (division)');
  });

  it('shows the province counts per unit only, never a name', async () => {
    const page = await signedIn('vanphong@demo.woms.vn', true);
    await open(page, url(`/check-ins/tracker?period=${PERIOD}`));
    const units = page.getByTestId('tracker-units');
    await units.waitFor();
    const stc = units.locator('[data-testid="tracker-unit"]').filter({ hasText: 'Sở Tài chính' });
    expect(await stc.count()).toBe(1);
    expect(await stc.locator('[data-key="submitted"]').textContent()).toBe('1');
    expect(await stc.locator('[data-key="returned"]').textContent()).toBe('1');
    expect(await page.getByTestId('tracker-persons').count()).toBe(0);
    const main = (await page.locator('main').textContent()) ?? '';
    for (const s of staff) expect(main).not.toContain(s.name);
    await sound(page, 'tracker (province)');
  });
});
