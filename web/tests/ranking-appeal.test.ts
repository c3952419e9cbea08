// Browser journey of a ranking notice and its appeal (issue 8 point 4) in Debian's Chromium: the demo
// Department of Finance's 2026 ranking is decided (seeded) and published through the activity, which issues the
// notices; the official (canbo) reads their notice — level, the appeal window's last day, the PDF — and files an
// appeal from the screen; the province's organisation department (bantochuc) finds it in the queue, is told the
// new level is missing, then decides it changed with a decision number (the appeal workflow's Update on a real
// worker); the official sees the decision. Each state: no serious or critical axe violation, no sideways
// scrolling at 360 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitRankingActivities } from '../../activities/unit-ranking.ts';
import type { TestDatabase } from '../../test/support/database.ts';
import { appealWorkflowId } from '../../workflows/appeal.messages.ts';
import {
  type CheckInStack,
  demoDatabase,
  personId,
  sound,
  startCheckInStack,
} from './support/check-in-stack.ts';
import { open, vi } from './support/demo.ts';

const YEAR = 2026;

describe('the ranking notice and appeal screens', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let official = '';
  let page: Page;

  beforeAll(async () => {
    database = await demoDatabase();
    const { db } = database;
    const unit = await db
      .selectFrom('org_unit')
      .select('id')
      .where('code', '=', 'STC')
      .executeTakeFirstOrThrow();
    const director = await personId(db, 'giamdoc@demo.woms.vn');
    official = await personId(db, 'canbo@demo.woms.vn');
    const r = await db
      .insertInto('unit_ranking')
      .values({
        unit_id: unit.id,
        year: YEAR,
        status: 'decided',
        revision: 1,
        rule_set_id: 'ND335-2025',
        rule_set_version: 1,
        deadline: `${YEAR}-12-14`,
        decided_by: director,
        decided_on: `${YEAR}-11-20`,
        decided_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('unit_ranking_entry')
      .values({
        ranking_id: r.id,
        person_id: official,
        agency_id: unit.id,
        duty_group: 'default',
        score: '86.50',
        score_source: 'supervisor',
        level: 'good',
        frozen: JSON.stringify({
          ruleSet: { id: 'ND335-2025', version: 1, legalBasis: [] },
          decidedOn: `${YEAR}-11-20`,
          level: 'good',
          score: '86.50',
          explanation: {
            steps: [{ vi: 'Điểm năm 86,50 thuộc khung Tốt', en: 'Band Good' }],
            gateFailures: [],
            forcedBy: [],
          },
        }),
      })
      .execute();
    await unitRankingActivities({ db }).publishUnitRanking({ rankingId: r.id, by: director });
    stack = await startCheckInStack(database, { taskQueue: 'appeal-web' });
    page = await stack.signedIn('canbo@demo.woms.vn');
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the official appeals and the organisation department decides', async () => {
    await open(page, `${stack.web.url}/evaluation/notice?year=${YEAR}`);
    expect(await page.locator('h1').textContent()).toBe(vi.rankNotice_title!.replace('{year}', String(YEAR)));
    expect(await page.getByTestId('notice').count()).toBe(1);
    expect(await page.getByTestId('notice-level').textContent()).toBe(
      'Mức xếp loại: Hoàn thành tốt nhiệm vụ',
    );
    expect(await page.getByTestId('notice-until').textContent()).toMatch(
      /^Hạn kiến nghị: đến hết ngày \d\d\/\d\d\/\d{4}$/,
    );
    const pdf = await page.request.get(
      `${stack.web.url}${await page.getByTestId('notice-pdf').getAttribute('href')}`,
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await sound(page, 'notice (vi)');

    await page.locator('textarea[name="reason"]').fill('Sáng kiến cấp tỉnh năm 2026 chưa được tính điểm');
    await page.getByTestId('appeal-submit').click();
    await page.getByTestId('form-success').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('form-success').textContent()).toBe(vi.appeal_filed);
    expect(await page.getByTestId('appeal-status').getAttribute('data-status')).toBe('filed');
    const notice = await database.db
      .selectFrom('ranking_notice')
      .select('id')
      .where('subject_id', '=', official)
      .executeTakeFirstOrThrow();
    stack.worker.started.push(appealWorkflowId(notice.id));
    await sound(page, 'appeal filed (vi)');

    const dept = await stack.signedIn('bantochuc@demo.woms.vn');
    await open(dept, `${stack.web.url}/evaluation/appeals?year=${YEAR}`);
    const item = dept.getByTestId('appeal');
    expect(await item.count()).toBe(1);
    expect(await item.getAttribute('data-status')).toBe('filed');
    expect(await dept.getByTestId('appeal-reason').textContent()).toBe(
      'Sáng kiến cấp tỉnh năm 2026 chưa được tính điểm',
    );
    await sound(dept, 'queue (vi)');
    // "changed" without the new level is refused by the page
    await dept.locator('input[name="outcome"][value="changed"]').check();
    await dept.locator('input[name="decisionNumber"]').fill('45-QĐ/BTCTU');
    await dept.getByTestId('appeal-decide').click();
    await dept.getByTestId('form-error').waitFor({ timeout: 60_000 });
    expect(await dept.getByTestId('form-error').textContent()).toBe(vi.appeal_new_level_required);
    await dept.locator('select[name="newLevel"]').selectOption('excellent');
    await dept.locator('input[name="outcome"][value="changed"]').check();
    await dept.locator('input[name="decisionNumber"]').fill('45-QĐ/BTCTU');
    await dept.getByTestId('appeal-decide').click();
    await dept.getByTestId('form-success').waitFor({ timeout: 60_000 });
    expect(await dept.getByTestId('form-success').textContent()).toBe(vi.appeal_decided);
    expect(await dept.getByTestId('appeal').getAttribute('data-status')).toBe('decided');
    expect(await dept.getByTestId('appeal-decision').textContent()).toContain('45-QĐ/BTCTU');
    await sound(dept, 'decided (vi)');

    await open(page, `${stack.web.url}/evaluation/notice?year=${YEAR}`);
    expect(await page.getByTestId('appeal-status').getAttribute('data-status')).toBe('decided');
    expect(await page.getByTestId('appeal-status').textContent()).toContain(
      'mức xếp loại thay đổi thành Hoàn thành xuất sắc nhiệm vụ (Quyết định số 45-QĐ/BTCTU',
    );
  });
});
