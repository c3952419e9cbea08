// Browser journey of the unit head's selection within the quota (issue 8, RULES.md "Quotas") in Debian's Chromium:
// the demo Department of Finance has 2 "Hoàn thành xuất sắc" for 4 "Hoàn thành tốt" in 2031 (year scores seeded
// as confirmed period assessments): none allowed, over by 2 while an exception adds at most 1. The director
// (Lê Minh Tuấn) creates the draft, reads what to do ("Vượt 2, ngoại lệ tối đa 1: chọn 1 người …"), is refused
// the decision, places the lower-scored "Xuất sắc" at "Tốt" with a reason (refused without one), undoes it,
// places him again, decides — the chosen level frozen with the engine's result and the explanation saying so —
// and publishes within the quota. Each state: no serious or critical axe violation, no sideways scrolling at
// 360 px. A year of its own: workflow ids are business keys on the shared dev server.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.ts';
import { unitRankingWorkflowId } from '../../workflows/unit-ranking.messages.ts';
import {
  type CheckInStack,
  DEMO_EMAIL,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { fill, open, vi } from './support/demo.ts';

const YEAR = 2031;
const REASON = 'Điểm thấp hơn trong nhóm Xuất sắc';

describe('the head’s selection within the quota', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let unitId = '';
  let top = '';
  let lower = '';
  /** A person the engine ranks "Tốt" (80 points). */
  let good = '';
  let director: Page;
  let url = '';

  const success = async (p: Page, text: string | undefined) => {
    try {
      await p.locator('[data-testid="form-success"]', { hasText: text ?? '' }).waitFor({ timeout: 60_000 });
    } catch {
      const shown = await p.locator('[data-testid="form-error"]').allTextContents();
      throw new Error(`expected "${text}", the page shows ${JSON.stringify(shown)}`);
    }
  };
  /** Waits for the action's error note (a previous action's note may still be shown until it is replaced). */
  const failure = async (p: Page, text: string) => {
    try {
      await p.locator('[data-testid="form-error"]', { hasText: text }).waitFor({ timeout: 60_000 });
    } catch {
      const shown = await p.locator('[data-testid="form-error"]').allTextContents();
      throw new Error(`expected the error "${text}", the page shows ${JSON.stringify(shown)}`);
    }
    return (await p.getByTestId('form-error').textContent()) ?? '';
  };
  const entry = (id: string) =>
    director.locator(`[data-testid="ranking-state-entries"] [data-person="${id}"]`);

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    unitId = (
      await db.selectFrom('org_unit').select('id').where('code', '=', 'STC').executeTakeFirstOrThrow()
    ).id;
    const committee = await personId(db, 'thuongtruc@demo.woms.vn');
    const directorId = await personId(db, DEMO_EMAIL.head);
    const people = await sql<{ person_id: string }>`
      WITH RECURSIVE sub AS (
        SELECT id FROM org_unit WHERE id = ${unitId}
        UNION ALL SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id
      )
      SELECT DISTINCT e.person_id FROM employment e
        WHERE e.org_unit_id IN (SELECT id FROM sub) AND NOT e.is_concurrent AND e.person_id <> ${directorId}
          AND e.valid_from <= ${`${YEAR}-12-31`}::date
          AND (e.valid_to IS NULL OR e.valid_to >= ${`${YEAR}-01-01`}::date)
        ORDER BY e.person_id`.execute(db);
    if (people.rows.length < 6) throw new Error(`the demo unit has ${people.rows.length} people`);
    const ranked = people.rows.slice(0, 6).map((p) => p.person_id);
    top = ranked[0]!;
    lower = ranked[1]!;
    good = ranked[2]!;
    for (const [i, p] of ranked.entries()) {
      const total = i === 0 ? '95' : i === 1 ? '91' : '80';
      await db
        .insertInto('period_assessment')
        .values({
          person_id: p,
          unit_id: unitId,
          period: `${YEAR}-06`,
          status: 'confirmed',
          total,
          task_points: String(Number(total) - 30),
          general_points: '30',
          confirmed_by: committee,
          confirmed_at: new Date(),
        })
        .execute();
    }
    stack = await startCheckInStack(database, { taskQueue: 'ranking-selection-web' });
    stack.worker.started.push(unitRankingWorkflowId(YEAR, unitId));
    director = await stack.signedIn(DEMO_EMAIL.head);
    url = `${stack.web.url}/evaluation/ranking/${unitId}/${YEAR}`;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the director reads what to do and may not decide over the quota by more than the cap', async () => {
    await open(director, url);
    await director.getByTestId('ranking-create').click();
    await success(director, vi.ranking_done_created);
    expect(await director.locator('[data-testid="ranking-entry"][data-level="excellent"]').count()).toBe(2);
    const must = director.getByTestId('ranking-select-must');
    expect(await must.count()).toBe(1);
    expect(await must.textContent()).toBe(fill(vi.ranking_select_must, { over: '2', cap: '1', count: '1' }));
    // both "Xuất sắc" entries offer the placement at "Tốt"; a "Tốt" entry does not
    expect(await director.getByTestId('ranking-select').count()).toBe(2);
    expect(await entry(good).getByTestId('ranking-select').count()).toBe(0);
    await sound(director, 'draft over the quota (vi)');

    await director.getByTestId('ranking-decide').click();
    const refusal =
      'Vượt 2 chỉ tiêu "Hoàn thành xuất sắc nhiệm vụ", ngoại lệ tối đa 1: chọn người xếp Hoàn thành tốt trước khi quyết định.';
    expect(await failure(director, refusal)).toContain(refusal);
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('draft');
  }, 180_000);

  it('places the lower-scored person at Tốt with a reason, undoes it, and places him again', async () => {
    const form = entry(lower).getByTestId('ranking-select');
    await form.locator('button[type="submit"]').click();
    expect(await failure(director, vi.ranking_select_reason_required ?? '')).toBe(
      vi.ranking_select_reason_required,
    );

    await entry(lower).getByTestId('ranking-select-reason').fill(REASON);
    await entry(lower).getByTestId('ranking-select').locator('button[type="submit"]').click();
    await success(director, vi.ranking_select_done_placed);
    expect(await entry(lower).getAttribute('data-level')).toBe('good');
    expect(await entry(lower).getByTestId('ranking-entry-level').textContent()).toBe(
      'Hoàn thành tốt nhiệm vụ',
    );
    expect(await entry(lower).getByTestId('ranking-entry-selection').textContent()).toContain(
      'Hệ thống xếp Hoàn thành xuất sắc nhiệm vụ; người đứng đầu xếp Hoàn thành tốt nhiệm vụ do giới hạn tỷ lệ. Lý do: Điểm thấp hơn trong nhóm Xuất sắc',
    );
    expect(await director.getByTestId('ranking-select-must').count()).toBe(0);
    expect(await director.getByTestId('ranking-quota-warning').count()).toBe(0);
    expect(await entry(lower).getByTestId('ranking-unselect').count()).toBe(1);
    await sound(director, 'placed at Tốt (vi)');

    await entry(lower).getByTestId('ranking-unselect').locator('button[type="submit"]').click();
    await success(director, vi.ranking_select_done_undone);
    expect(await entry(lower).getAttribute('data-level')).toBe('excellent');
    expect(await director.getByTestId('ranking-select-must').count()).toBe(1);

    await entry(lower).getByTestId('ranking-select-reason').fill(REASON);
    await entry(lower).getByTestId('ranking-select').locator('button[type="submit"]').click();
    await success(director, vi.ranking_select_done_placed);
    expect(await entry(lower).getAttribute('data-level')).toBe('good');
  }, 180_000);

  it('decides with the chosen level frozen and explained, and publishes within the quota', async () => {
    await director.getByTestId('ranking-decide').click();
    await success(director, vi.ranking_done_decided);
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('decided');
    expect(await director.getByTestId('ranking-select').count()).toBe(0);
    expect(await director.getByTestId('ranking-unselect').count()).toBe(0);
    expect(await entry(lower).getAttribute('data-level')).toBe('good');
    expect(await entry(top).getAttribute('data-level')).toBe('excellent');
    expect(await entry(lower).textContent()).toContain(vi.ranking_frozen);
    await entry(lower)
      .locator('summary', { hasText: vi.ranking_explanation ?? '' })
      .click();
    const last = entry(lower).locator('details ol li').last();
    expect(await last.textContent()).toContain(
      'Kết quả tính của hệ thống là "Hoàn thành xuất sắc nhiệm vụ"; người đứng đầu xếp "Hoàn thành tốt nhiệm vụ" do giới hạn tỷ lệ',
    );
    await sound(director, 'decided with the selection (vi)');

    await director.getByTestId('ranking-publish').click();
    await success(director, vi.ranking_done_published);
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('published');
    const notice = await database.db
      .selectFrom('ranking_notice')
      .select('level')
      .where('subject_id', '=', lower)
      .where('year', '=', YEAR)
      .executeTakeFirstOrThrow();
    expect(notice.level).toBe('good');
  }, 180_000);
});
