// Browser journey of the unit head's ranking decision end to end (issue 8 points 2–5) in Debian's Chromium: the
// demo Department of Finance has 2 "Hoàn thành xuất sắc" for 5 "Hoàn thành tốt" in 2030 (year scores seeded as
// confirmed period assessments, so provisional; the official Nguyễn Thị Lan among them, one Party member). Its
// director (Lê Minh Tuấn) creates the draft from the screen (a real worker runs the unit-ranking workflow), reads
// each person's level with its explanation, the quota warning "Vượt 1", asks for one extra place (refused without
// a reason), decides, and is refused publication while the exception waits. The standing committee (Võ Văn
// Thành) reads the warning and the block, approves with a decision number from the keyboard; the block is
// lifted; the director publishes from the screen and downloads the year-end report as PDF and Excel from the
// page's links. The official then reads her written notice at /evaluation/notice and opens its PDF. Each state:
// no serious or critical axe violation, no sideways scrolling at 360 px.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../test/support/database.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
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

// A year no other test ranks the Department of Finance in (workflow ids are business keys on the shared dev
// server; the year simulation starts every demo unit's 2027 ranking).
const YEAR = 2030;
const JUSTIFICATION = 'Hai đồng chí hoàn thành vượt mức nhiệm vụ quyết toán ngân sách';

describe('the ranking screens', () => {
  let database: TestDatabase;
  let stack: CheckInStack;
  let unitId = '';
  let directorId = '';
  let official = '';
  let partyMember = '';
  let director: Page;
  let url = '';

  /** Waits for the action's success note; failing, says which error the page shows instead. */
  const success = async (p: Page, text: string | undefined) => {
    try {
      await p.locator('[data-testid="form-success"]', { hasText: text ?? '' }).waitFor({ timeout: 60_000 });
    } catch {
      const shown = await p.locator('[data-testid="form-error"]').allTextContents();
      throw new Error(`expected "${text}", the page shows ${JSON.stringify(shown)}`);
    }
  };

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
    // the director heads the unit: ranked by the superior body, never in the unit's own ranking
    directorId = await personId(db, DEMO_EMAIL.head);
    official = await personId(db, DEMO_EMAIL.official);
    const people = await sql<{ person_id: string }>`
      WITH RECURSIVE sub AS (
        SELECT id FROM org_unit WHERE id = ${unitId}
        UNION ALL SELECT u.id FROM org_unit u JOIN sub ON u.parent_id = sub.id
      )
      SELECT DISTINCT e.person_id FROM employment e
        WHERE e.org_unit_id IN (SELECT id FROM sub) AND NOT e.is_concurrent AND e.person_id <> ${directorId}
          AND e.person_id <> ${official}
          AND e.valid_from <= ${`${YEAR}-12-31`}::date
          AND (e.valid_to IS NULL OR e.valid_to >= ${`${YEAR}-01-01`}::date)
        ORDER BY e.person_id`.execute(db);
    if (people.rows.length < 6) throw new Error(`the demo unit has ${people.rows.length} people`);
    // the official first (80 points: "Hoàn thành tốt"), then two at 95 and four at 80
    const ranked = [official, ...people.rows.slice(0, 6).map((p) => p.person_id)];
    for (const [i, p] of ranked.entries()) {
      const excellent = i === 1 || i === 2;
      await db
        .insertInto('period_assessment')
        .values({
          person_id: p,
          unit_id: unitId,
          period: `${YEAR}-06`,
          status: 'confirmed',
          total: excellent ? '95' : '80',
          task_points: excellent ? '65' : '55',
          general_points: '30',
          confirmed_by: committee,
          confirmed_at: new Date(),
        })
        .execute();
    }
    // one Party member (80 points): also a Party ranking (QĐ 366), "Hoàn thành tốt" within the Party quota
    partyMember = ranked[3]!;
    await db
      .insertInto('person_party_membership')
      .values({ person_id: partyMember, effective_from: '2020-01-01', is_member: true, set_by: committee })
      .execute();
    stack = await startCheckInStack(database, { taskQueue: 'ranking-web' });
    stack.worker.started.push(unitRankingWorkflowId(YEAR, unitId));
    director = await stack.signedIn(DEMO_EMAIL.head);
    url = `${stack.web.url}/evaluation/ranking/${unitId}/${YEAR}`;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the director drafts the ranking and reads every level explained and the quota warning', async () => {
    await open(director, url);
    expect(await director.locator('h1').textContent()).toBe(fill(vi.ranking_title, { year: String(YEAR) }));
    expect(await director.getByTestId('ranking-none').textContent()).toBe(vi.ranking_none);
    await sound(director, 'no ranking yet (vi)');

    await director.getByTestId('ranking-create').click();
    await success(director, vi.ranking_done_created);
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('draft');
    // the seven people with a year score are ranked; the unit's others have no score yet
    const ranked = director
      .getByTestId('ranking-state-entries')
      .locator('[data-testid="ranking-entry"]:not([data-level="none"])');
    expect(await ranked.count()).toBe(7);
    expect(await director.locator('[data-testid="ranking-entry"][data-level="excellent"]').count()).toBe(2);
    expect(await director.getByTestId('ranking-provisional').isVisible()).toBe(true);
    // the official's level and the explanation of her score, in plain Vietnamese
    const mine = director.locator(`[data-testid="ranking-state-entries"] [data-person="${official}"]`);
    expect(await mine.getByTestId('ranking-entry-level').textContent()).toBe('Hoàn thành tốt nhiệm vụ');
    expect(await mine.textContent()).toContain('80,00');
    await mine.locator('summary', { hasText: vi.ranking_explanation ?? '' }).click();
    const steps = mine.locator('details ol li');
    expect(await steps.count()).toBeGreaterThan(0);
    expect(await steps.first().isVisible()).toBe(true);
    // the score the Vietnamese way (a frozen ranking is verified on the step's key and raw parameters, not its text)
    expect(await steps.first().textContent()).toBe('80,00 điểm thuộc khung Hoàn thành tốt nhiệm vụ');
    // the quota: "Vượt 1" and the publication blocked
    const warning = director.getByTestId('ranking-quota-warning');
    expect(await warning.count()).toBe(1);
    expect(await warning.textContent()).toMatch(/^Vượt 1: nhóm /);
    expect(await director.getByTestId('ranking-blocked').textContent()).toBe(
      fill(vi.ranking_publication_blocked, { over: '1' }),
    );
    // the report links: a draft's files say so
    expect(await director.getByTestId('ranking-report-links').textContent()).toContain(
      vi.yearReport_draft_hint,
    );
    await sound(director, 'draft (vi)');
  }, 180_000);

  it('the director asks for one extra place, decides, and may not publish before the approval', async () => {
    const request = director.getByTestId('ranking-exception-request');
    await request.locator('select[name="dutyGroup"]').selectOption('state:default');
    await request.locator('button[type="submit"]').click();
    await director.getByTestId('form-error').waitFor({ timeout: 60_000 });
    expect(await director.getByTestId('form-error').textContent()).toBe(
      vi.ranking_exception_justification_required,
    );
    expect(await director.getByTestId('ranking-exception').count()).toBe(0);

    await request.locator('select[name="dutyGroup"]').selectOption('state:default');
    await request.locator('input[name="extraPlaces"]').fill('1');
    await request.locator('textarea[name="justification"]').fill(JUSTIFICATION);
    await request.locator('button[type="submit"]').click();
    await success(director, vi.ranking_done_requested);
    expect(await director.getByTestId('ranking-exception').getAttribute('data-status')).toBe('requested');
    expect(await director.getByTestId('ranking-exception-justification').textContent()).toBe(JUSTIFICATION);
    // the director asks; only the committee decides
    expect(await director.getByTestId('ranking-approve').count()).toBe(0);
    await sound(director, 'exception requested (vi)');

    await director.getByTestId('ranking-decide').click();
    await success(director, vi.ranking_done_decided);
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('decided');
    expect(await director.getByTestId('ranking-decide').count()).toBe(0);
    expect(await director.locator(`[data-person="${official}"]`).first().textContent()).toContain(
      vi.ranking_frozen,
    );

    await director.getByTestId('ranking-publish').click();
    await director.getByTestId('form-error').waitFor({ timeout: 60_000 });
    expect(await director.getByTestId('form-error').textContent()).toContain('Vượt 1');
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('decided');
    await sound(director, 'decided, publication refused (vi)');
  }, 180_000);

  it('the standing committee approves the exception', async () => {
    const page = await stack.signedIn('thuongtruc@demo.woms.vn');
    await open(page, url);
    expect(await page.locator('h1').textContent()).toBe(fill(vi.ranking_title, { year: String(YEAR) }));
    expect(await page.getByTestId('ranking-status').getAttribute('data-status')).toBe('decided');
    expect(await page.getByTestId('ranking-quota-warning').textContent()).toContain('Vượt 1');
    expect(await page.getByTestId('ranking-blocked').isVisible()).toBe(true);
    expect(await page.getByTestId('ranking-provisional').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="ranking-entry"][data-level="excellent"]').count()).toBe(2);
    // the Party track and the head ranked above
    const party = page.getByTestId('ranking-party-entries').locator('[data-testid="ranking-entry"]');
    expect(await party.count()).toBe(1);
    expect(await party.getAttribute('data-person')).toBe(partyMember);
    expect(await party.getAttribute('data-level')).toBe('good');
    expect(await page.getByTestId('ranking-party-section').locator('h2').textContent()).toBe(
      vi.partyRank_section,
    );
    expect(await page.locator(`[data-testid="ranking-entry"][data-person="${directorId}"]`).count()).toBe(0);
    expect(
      await page.getByTestId('ranking-ranked-above').locator(`li[data-person="${directorId}"]`).count(),
    ).toBe(1);
    expect(await page.getByTestId('ranking-exception-justification').textContent()).toBe(JUSTIFICATION);
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
    await success(page, vi.ranking_done_approved);
    expect(await page.getByTestId('ranking-exception').getAttribute('data-status')).toBe('approved');
    expect(await page.getByTestId('ranking-exception-status').textContent()).toContain('125-QĐ/TU');
    expect(await page.getByTestId('ranking-blocked').count()).toBe(0);
    expect(await page.getByTestId('ranking-quota-warning').count()).toBe(0);
    await sound(page, 'approved (vi)');
  }, 180_000);

  it('the director publishes and downloads the year-end report as PDF and Excel', async () => {
    await open(director, url);
    expect(await director.getByTestId('ranking-blocked').count()).toBe(0);
    await director.getByTestId('ranking-publish').click();
    await success(director, vi.ranking_done_published);
    expect(await director.getByTestId('ranking-status').getAttribute('data-status')).toBe('published');
    expect(await director.getByTestId('ranking-publish').count()).toBe(0);
    expect(await director.getByTestId('ranking-report-links').textContent()).not.toContain(
      vi.yearReport_draft_hint,
    );
    await sound(director, 'published (vi)');

    const name = (id: string) =>
      database.db.selectFrom('person').select('full_name').where('id', '=', id).executeTakeFirstOrThrow();
    const officialName = (await name(official)).full_name;

    const [pdf] = await Promise.all([
      director.waitForEvent('download'),
      director.getByTestId('ranking-report-pdf').click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfBytes = await readFile((await pdf.path())!);
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdfBytes, { mode: 'raw' });
    expect(text).not.toContain('Dự thảo');
    expect(text).toContain(`Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm ${YEAR}`);
    expect(text).toMatch(new RegExp(`\\d+ ${officialName} Chung 80 \\(tạm tính\\) Hoàn thành tốt nhiệm vụ`));
    // the quota with the approved exception: 2 places in all, one of them the exception
    expect(text).toContain(
      'Nhóm Chung: 2 Hoàn thành xuất sắc nhiệm vụ trên 5 Hoàn thành tốt nhiệm vụ trở lên; tỷ lệ cho phép 2 (trong đó 1 do ngoại lệ được phê duyệt); trong tỷ lệ.',
    );
    expect(text).toContain('Nhóm Đảng viên: 0 Hoàn thành xuất sắc nhiệm vụ trên 1 Hoàn thành tốt nhiệm vụ');
    expect(text).toMatch(/Ngoại lệ được phê duyệt cho nhóm Chung: thêm 1 chỉ tiêu, Quyết định số 125-QĐ\/TU/);
    expect(text).toMatch(/Quyết định xếp loại: Lê Minh Tuấn, ngày \d\d\/\d\d\/\d{4}\./);

    const [xlsx] = await Promise.all([
      director.waitForEvent('download'),
      director.getByTestId('ranking-report-xlsx').click(),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const xlsxBytes = await readFile((await xlsx.path())!);
    expect(xlsxBytes.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(xlsxBytes).buffer);
    let row: unknown[] = [];
    wb.worksheets[0]!.eachRow((r) => {
      if (r.getCell(2).value === officialName) row = (r.values as unknown[]).slice(2, 7);
    });
    expect(row).toEqual([
      officialName,
      'Chung',
      80,
      'Tạm tính từ các kỳ đánh giá',
      'Hoàn thành tốt nhiệm vụ',
    ]);
  }, 180_000);

  it('the official reads her notice and opens its PDF', async () => {
    const page = await stack.signedIn(DEMO_EMAIL.official);
    await open(page, `${stack.web.url}/evaluation/notice?year=${YEAR}`);
    expect(await page.locator('h1').textContent()).toBe(fill(vi.rankNotice_title, { year: String(YEAR) }));
    const notice = page.getByTestId('notice');
    expect(await notice.count()).toBe(1);
    expect(await notice.getAttribute('data-track')).toBe('state');
    expect(await page.getByTestId('notice-level').textContent()).toBe(
      fill(vi.rankNotice_level, { level: 'Hoàn thành tốt nhiệm vụ' }),
    );
    expect(await page.getByTestId('notice-until').textContent()).toMatch(
      /^Hạn kiến nghị: đến hết ngày \d\d\/\d\d\/\d{4}$/,
    );
    expect(await page.getByTestId('appeal-form').count()).toBe(1);
    await sound(page, 'notice (vi)');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('notice-pdf').click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain('THÔNG BÁO');
    expect(text).toContain('Họ và tên: Nguyễn Thị Lan');
    expect(text).toContain(`Năm đánh giá: ${YEAR}`);
    expect(text).toContain('Điểm đánh giá: 80,00');
    expect(text).toContain('Mức xếp loại: Hoàn thành tốt nhiệm vụ');
    expect(text).toContain(
      'Căn cứ: Nghị định 335/2025/NĐ-CP (hiệu lực 1/1/2026); Luật Cán bộ, công chức 2025.',
    );
    expect(text).toContain('Giải thích kết quả: - 80,00 điểm thuộc khung Hoàn thành tốt nhiệm vụ');
    expect(text).toMatch(/kiến nghị lên cấp trên trong thời hạn 10 ngày làm việc/);
  }, 180_000);
});
