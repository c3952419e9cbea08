// Browser check of the index of rankings (/evaluation/ranking, issue 8) in Debian's Chromium on the demo province:
// the Department of Finance's ranking of 2028 is started and decided by its director through the API (a real
// worker runs the unit-ranking workflow) and one December difference is on record. The province's secretariat
// (Hoàng Thị Thu Hà) reaches the index from the navigation, picks the year from the keyboard and sees every unit
// under the province — the Department decided with its difference counted, the others not started —; the
// director sees his own unit only. Each state: no serious or critical axe violation, no sideways scrolling at
// 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.ts';
import { unitRankingWorkflowId } from '../../workflows/unit-ranking.messages.ts';
import {
  apiSession,
  type CheckInStack,
  demoDatabase,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { DEMO_TOTP_SECRET, open, vi } from './support/demo.ts';

// A year no other test ranks the demo units in (workflow ids are business keys on the shared dev server).
const YEAR = 2028;

describe('the index of rankings', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let unitId = '';
  let page: Page;

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    unitId = (
      await db.selectFrom('org_unit').select('id').where('code', '=', 'STC').executeTakeFirstOrThrow()
    ).id;
    stack = await startCheckInStack(database, { taskQueue: 'ranking-index-web' });
    const head = await apiSession(stack.api.url, 'giamdoc@demo.woms.vn', { okStatuses: [200, 201] });
    const r = (await head.call('POST', '/api/rankings', { unitId, year: YEAR })) as {
      id: string;
      revision: number;
    };
    stack.worker.started.push(unitRankingWorkflowId(YEAR, unitId));
    await head.call('POST', `/api/rankings/${r.id}/decide`, { revision: r.revision });
    // One December difference on record (its computation is tested through the API in
    // api/routes/evaluation/ranking-index.test.ts).
    const someone = await db
      .selectFrom('unit_ranking_entry')
      .select('person_id')
      .where('ranking_id', '=', r.id)
      .executeTakeFirstOrThrow();
    const pa = await db
      .insertInto('period_assessment')
      .values({
        person_id: someone.person_id,
        unit_id: unitId,
        period: `${YEAR}-12`,
        status: 'draft',
        total: '40',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('ranking_difference')
      .values({
        ranking_id: r.id,
        person_id: someone.person_id,
        period_assessment_id: pa.id,
        frozen_level: 'good',
        frozen_score: '80',
        new_level: 'completed',
        new_score: '66.67',
        detail: JSON.stringify({}),
      })
      .execute();
    page = await stack.signedIn('vanphong@demo.woms.vn', { totpSecret: DEMO_TOTP_SECRET });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the secretariat sees every unit of the province, the director his own', async () => {
    await open(page, `${stack.web.url}/`);
    await page.getByTestId('nav-rankings').click();
    await page.waitForURL('**/evaluation/ranking');
    await page.locator('h1').waitFor();
    await page.getByLabel(vi.rankIndex_year!).fill(String(YEAR));
    await page.getByLabel(vi.rankIndex_year!).press('Enter');
    await page.waitForURL(`**/evaluation/ranking?year=${YEAR}`);
    expect(await page.locator('h1').textContent()).toBe(vi.rankIndex_title!.replace('{year}', String(YEAR)));
    const rows = page.getByTestId('ranking-index-row');
    expect(await rows.count()).toBeGreaterThan(1);
    const stc = page.locator(`[data-testid="ranking-index-row"][data-unit="${unitId}"]`);
    expect(await stc.getAttribute('data-status')).toBe('decided');
    expect(await stc.getByTestId('ranking-index-differences').textContent()).toBe('1');
    expect(await stc.textContent()).toContain(vi.rankIndex_status_decided);
    expect(await page.locator('[data-testid="ranking-index-row"][data-status="none"]').count()).toBe(
      (await rows.count()) - 1,
    );
    expect(await stc.getByRole('link').getAttribute('href')).toBe(`/evaluation/ranking/${unitId}/${YEAR}`);
    await sound(page, 'secretariat index (vi)');

    const director = await stack.signedIn('giamdoc@demo.woms.vn');
    await open(director, `${stack.web.url}/evaluation/ranking?year=${YEAR}`);
    expect(await director.getByTestId('nav-rankings').getAttribute('aria-current')).toBe('page');
    const own = director.getByTestId('ranking-index-row');
    expect(await own.count()).toBe(1);
    expect(await own.getAttribute('data-unit')).toBe(unitId);
    await sound(director, 'director index (vi)');
  });
});
