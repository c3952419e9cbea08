// Browser journey of the standing committee's approval of a ranking quota exception (issue 8 points 2–3) in
// Debian's Chromium: the demo Department of Finance has 2 "Hoàn thành xuất sắc" for 5 "Hoàn thành tốt" in
// 2027 (year scores seeded as confirmed period assessments, so provisional); its director (Lê Minh Tuấn)
// drafts, decides and requests one extra place through the API (a real worker runs the unit-ranking
// workflow). The standing committee (Võ Văn Thành) opens the ranking, reads the warning "Vượt 1" and that
// publication is blocked, approves with a decision number from the keyboard; the block is lifted; the director
// then publishes from the screen. Each state: no serious or critical axe violation, no sideways scrolling at
// 360 px.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.ts';
import { unitRankingWorkflowId } from '../../workflows/unit-ranking.messages.ts';
import {
  apiSession,
  type CheckInStack,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { open, vi } from './support/demo.ts';

const YEAR = 2027;

describe('the ranking screens', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let unitId = '';
  let page: Page;

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    const unit = await db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC')
      .executeTakeFirstOrThrow();
    unitId = unit.id;
    const committee = await personId(db, 'thuongtruc@demo.woms.vn');
    const people = await sql<{ person_id: string }>`
      WITH RECURSIVE sub AS (
        SELECT id FROM org_unit WHERE id = ${unitId}
        UNION ALL SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id
      )
      SELECT DISTINCT e.person_id FROM employment e
        WHERE e.org_unit_id IN (SELECT id FROM sub) AND NOT e.is_concurrent
          AND e.valid_from <= '2027-12-31' AND (e.valid_to IS NULL OR e.valid_to >= '2027-01-01')
        ORDER BY e.person_id`.execute(db);
    if (people.rows.length < 7) throw new Error(`the demo unit has ${people.rows.length} people`);
    for (const [i, p] of people.rows.slice(0, 7).entries()) {
      await db
        .insertInto('period_assessment')
        .values({
          person_id: p.person_id,
          unit_id: unitId,
          period: `${YEAR}-06`,
          status: 'confirmed',
          total: i < 2 ? '95' : '80',
          task_points: i < 2 ? '65' : '55',
          general_points: '30',
          confirmed_by: committee,
          confirmed_at: new Date(),
        })
        .execute();
    }
    stack = await startCheckInStack(database, { taskQueue: 'ranking-web' });
    const head = await apiSession(stack.api.url, 'giamdoc@demo.woms.vn', { okStatuses: [200, 201] });
    const r = await head.call('POST', '/api/rankings', { unitId, year: YEAR });
    stack.worker.started.push(unitRankingWorkflowId(YEAR, unitId));
    await head.call('POST', `/api/rankings/${r.id}/decide`, { revision: r.revision });
    await head.call('POST', `/api/rankings/${r.id}/exceptions`, {
      dutyGroup: 'default',
      extraPlaces: 1,
      justification: 'Hai đồng chí hoàn thành vượt mức nhiệm vụ quyết toán ngân sách',
    });
    page = await stack.signedIn('thuongtruc@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the standing committee approves the exception and the director publishes', async () => {
    await open(page, `${stack.web.url}/evaluation/ranking/${unitId}/${YEAR}`);
    expect(await page.locator('h1').textContent()).toBe(vi.ranking_title!.replace('{year}', String(YEAR)));
    expect(await page.getByTestId('ranking-status').getAttribute('data-status')).toBe('decided');
    expect(await page.getByTestId('ranking-quota-warning').textContent()).toContain('Vượt 1');
    expect(await page.getByTestId('ranking-blocked').isVisible()).toBe(true);
    expect(await page.getByTestId('ranking-provisional').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="ranking-entry"][data-level="excellent"]').count()).toBe(2);
    expect(await page.getByTestId('ranking-exception-justification').textContent()).toBe(
      'Hai đồng chí hoàn thành vượt mức nhiệm vụ quyết toán ngân sách',
    );
    // the committee neither decides nor publishes
    expect(await page.getByTestId('ranking-publish').count()).toBe(0);
    await sound(page, 'committee (vi)');

    // approving without a decision number is refused by the page
    await page.getByTestId('ranking-approve').click();
    await page.getByTestId('form-error').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('form-error').textContent()).toBe(vi.ranking_decision_number_required);

    await page.getByTestId('ranking-decision-number').fill('125-QĐ/TU');
    await page.getByTestId('ranking-decision-number').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="form-success"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.ranking_done_approved);
    expect(await page.getByTestId('ranking-exception').getAttribute('data-status')).toBe('approved');
    expect(await page.getByTestId('ranking-exception-status').textContent()).toContain('125-QĐ/TU');
    expect(await page.getByTestId('ranking-blocked').count()).toBe(0);
    expect(await page.getByTestId('ranking-quota-warning').count()).toBe(0);
    await sound(page, 'approved (vi)');

    const director = await stack.signedIn('giamdoc@demo.woms.vn');
    await open(director, `${stack.web.url}/evaluation/ranking/${unitId}/${YEAR}`);
    await director.getByTestId('ranking-publish').click();
    await director.locator('[data-testid="form-success"]').waitFor({ timeout: 60_000 });
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('published');
    await sound(director, 'published (vi)');
  });
});
