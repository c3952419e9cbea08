// Browser journey of the standing committee's selection within the heads' quota of the province ranking (issue 8,
// RULES.md "Quotas") in Debian's Chromium: two unit heads of the demo province hold year-end supervisor scores of
// 95 and 93 in 2034 ("Xuất sắc"), no head is "Tốt": over by 2 while an exception adds at most 1. The committee (Võ
// Văn Thành) reads what to do, places the lower-scored head at "Tốt" with a reason, decides recording one
// exception place and publishes; the head's entry says the engine's level and the quota's choice. Each state: no
// serious or critical axe violation, no sideways scrolling at 360 px. A year of its own (workflow ids are
// business keys on the shared dev server).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvinceRanking } from '../../activities/province-ranking.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { provinceRankingWorkflowId } from '../../workflows/province-ranking.messages.ts';
import {
  type CheckInStack,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { fill, open, vi } from './support/demo.ts';

const YEAR = 2034;

describe('the committee’s selection within the heads’ quota', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let provinceId = '';
  let top = '';
  let lower = '';
  let page: Page;

  const success = async (text: string | undefined) => {
    try {
      await page
        .locator('[data-testid="form-success"]', { hasText: text ?? '' })
        .waitFor({ timeout: 60_000 });
    } catch {
      const shown = await page.locator('[data-testid="form-error"]').allTextContents();
      throw new Error(`expected "${text}", the page shows ${JSON.stringify(shown)}`);
    }
  };
  const head = (id: string) => page.locator(`[data-testid="prov-ranking-heads"] [data-subject="${id}"]`);

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    provinceId = (
      await db
        .selectFrom('org_unit')
        .select('id')
        .where('type_code', '=', 'province')
        .executeTakeFirstOrThrow()
    ).id;
    const committee = await personId(db, 'thuongtruc@demo.woms.vn');
    const heads = await db
      .selectFrom('role_assignment as r')
      .innerJoin('org_unit as u', 'u.id', 'r.scope_unit_id')
      .select(['r.person_id', 'r.scope_unit_id'])
      .where('r.role_code', '=', 'unit_head')
      .where('r.valid_to', 'is', null)
      .where('u.parent_id', '=', provinceId)
      .where('r.person_id', '<>', committee)
      .orderBy('u.code')
      .limit(2)
      .execute();
    expect(heads).toHaveLength(2);
    top = heads[0]!.person_id;
    lower = heads[1]!.person_id;
    for (const [i, h] of heads.entries())
      await db
        .insertInto('year_end_assessment')
        .values({
          person_id: h.person_id,
          unit_id: h.scope_unit_id!,
          year: YEAR,
          supervisor_score: i === 0 ? '95' : '93',
        })
        .execute();
    stack = await startCheckInStack(database, { taskQueue: 'province-selection-web' });
    const secretariat = await personId(db, 'vanphong@demo.woms.vn');
    await startProvinceRanking(db, stack.worker.client, {
      provinceId,
      year: YEAR,
      day: `${YEAR}-12-01`,
      taskQueue: stack.worker.taskQueue,
      by: secretariat,
    });
    stack.worker.started.push(provinceRankingWorkflowId(YEAR, provinceId));
    page = await stack.signedIn('thuongtruc@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('places the lower-scored head at Tốt, decides with one exception place and publishes', async () => {
    await open(page, `${stack.web.url}/evaluation/province-ranking/${provinceId}/${YEAR}`);
    expect(await page.getByTestId('prov-ranking-status').getAttribute('data-status')).toBe('draft');
    expect(await head(top).getAttribute('data-level')).toBe('excellent');
    expect(await head(lower).getAttribute('data-level')).toBe('excellent');
    expect(await page.getByTestId('prov-ranking-select-must').textContent()).toBe(
      fill(vi.ranking_select_must, { over: '2', cap: '1', count: '1' }),
    );
    expect(await page.getByTestId('prov-ranking-select').count()).toBe(2);
    await sound(page, 'heads over the quota (vi)');

    await head(lower).locator('input[name="reason"]').fill('Điểm thấp hơn trong nhóm Xuất sắc');
    await head(lower).getByTestId('prov-ranking-select').locator('button[type="submit"]').click();
    await success(vi.ranking_select_done_placed);
    expect(await head(lower).getAttribute('data-level')).toBe('good');
    expect(await head(lower).getByTestId('prov-ranking-selection').textContent()).toContain(
      'người đứng đầu xếp "Hoàn thành tốt nhiệm vụ" do giới hạn tỷ lệ',
    );
    expect(await page.getByTestId('prov-ranking-select-must').count()).toBe(0);
    expect(await head(lower).getByTestId('prov-ranking-unselect').count()).toBe(1);
    await sound(page, 'head placed at Tốt (vi)');

    // still over by 1 (1 "Xuất sắc" for 1 "Tốt"): the decision records one exception place
    await page.locator('#places').fill('1');
    await page.getByTestId('prov-ranking-decision-number').fill('34-QĐ/TU');
    await page.locator('#justification').fill('Thành tích đột xuất của đơn vị');
    await page.getByTestId('prov-ranking-decide').click();
    await success(vi.provRank_done_decided);
    expect(await page.getByTestId('prov-ranking-status').getAttribute('data-status')).toBe('decided');
    expect(await head(lower).getAttribute('data-level')).toBe('good');
    expect(await page.getByTestId('prov-ranking-unselect').count()).toBe(0);
    expect(await page.getByTestId('prov-ranking-blocked').count()).toBe(0);

    await page.getByTestId('prov-ranking-publish').click();
    await success(vi.provRank_done_published);
    expect(await page.getByTestId('prov-ranking-status').getAttribute('data-status')).toBe('published');
    await sound(page, 'published (vi)');
  }, 180_000);
});
