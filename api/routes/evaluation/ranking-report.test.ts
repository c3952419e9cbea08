// The year-end evaluation of a unit's people as files through the API (issue 8 point 5): the PDF's text
// (pdftotext) and the workbook's cells of a real ranking (period scores seeded, a discipline record forcing
// "Không hoàn thành", the draft marked, then the head's decision frozen and named), and the refusals (a reader
// outside the ranking's readers, another province, anonymous; a ranking that does not exist). Real PostgreSQL; the
// ranking is drafted and decided through db/queries/rankings.ts (the workflow is tested in ranking.test.ts).
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decideRanking,
  ensureRanking,
  type RankingSources,
  recomputeDraft,
} from '../../../db/queries/rankings.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
const YEAR = 2027;
let f: OrgFixture;
let rankingId = '';
const names: Record<string, string> = {};

const rawText = (bytes: ArrayBuffer) => pdfText(bytes, { mode: 'raw' });

const sources: RankingSources = {
  disciplineRecordsOf: async (_e, a) =>
    a.personIds?.includes(f.person.auditorA)
      ? [
          {
            subjectId: f.person.auditorA,
            type: 'state' as const,
            form: 'canhCao' as const,
            decisionNumber: '45/QĐ-UBND',
            date: `${YEAR}-05-20`,
            issuer: 'UBND tỉnh',
          },
        ]
      : [],
  taskStatsOf: async () => new Map(),
  unitCompletionOf: async () => undefined,
};

const get = (who: keyof OrgFixture['session'] | 'anon', path: string) =>
  requestAs(app, who === 'anon' ? undefined : f.session[who], 'GET', path);

async function score(personId: string, unitId: string, total: string) {
  await db
    .insertInto('period_assessment')
    .values({
      person_id: personId,
      unit_id: unitId,
      period: `${YEAR}-06`,
      status: 'confirmed',
      total,
      task_points: total,
      general_points: '0',
      confirmed_by: f.person.headA === personId ? f.person.supervisorA : f.person.headA,
      confirmed_at: new Date(),
    })
    .execute();
}

beforeAll(async () => {
  f = await buildOrg(db, app);
  const p = f.person;
  for (const [id, unit, total] of [
    [p.officialA, f.unit.AD1, '95'],
    [p.staffA, f.unit.AD1, '82'],
    [p.supervisorA, f.unit.AD1, '80'],
    [p.auditorA, f.unit.A, '75'],
  ] as const)
    await score(id, unit, total);
  for (const r of await db.selectFrom('person').select(['id', 'full_name']).execute())
    names[r.id] = r.full_name;
  const row = await ensureRanking(db, {
    unitId: f.unit.A,
    year: YEAR,
    deadline: `${YEAR}-12-14`,
    by: p.headA,
  });
  rankingId = row.id;
  await recomputeDraft(db, { rankingId, by: p.headA, sources });
});

const path = (ext: string, unitId = f.unit.A, year = YEAR) => `/api/rankings/${unitId}/${year}/report.${ext}`;

describe('the year-end evaluation report of a unit’s people', () => {
  it('serves the draft as a PDF marked "Dự thảo" to the unit head', async () => {
    const res = await get('headA', path('pdf'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-report-status')).toBe('draft');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent(`Xếp loại năm ${YEAR}`));
    const text = rawText(await res.arrayBuffer());
    expect(text).toContain('(Dự thảo - chưa được quyết định)');
    expect(text).toContain('ĐƠN VỊ A');
    expect(text).toContain(`Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm ${YEAR}`);
    expect(text).toContain('Bảng xếp loại chưa được quyết định');
  });

  it('after the head’s decision: every person’s score, source and level, the forced case, the basis and the decider', async () => {
    await decideRanking(db, { rankingId, by: f.person.headA, revision: 1, decidedOn: `${YEAR}-12-10` });
    const res = await get('secretariatP', path('pdf'));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-report-status')).toBe('decided');
    const text = rawText(await res.arrayBuffer());
    expect(text).not.toContain('Dự thảo');
    expect(text).toMatch(
      new RegExp(`\\d+ ${names[f.person.officialA]} Chung 95 \\(tạm tính\\) Hoàn thành xuất sắc nhiệm vụ`),
    );
    expect(text).toMatch(
      new RegExp(`${names[f.person.auditorA]} .*75 \\(tạm tính\\) Không hoàn thành nhiệm vụ`),
    );
    expect(text).toMatch(/Buộc xếp Không hoàn thành nhiệm vụ: kỷ luật .*45\/QĐ-\s?UBND/);
    expect(text).toContain('Quy định áp dụng: Nghị định 335/2025/NĐ-CP (mã ND335-2025, phiên bản 1).');
    expect(text).toContain(`Quyết định xếp loại: ${names[f.person.headA]}, ngày 10/12/${YEAR}.`);
    expect(text).toMatch(
      /Nhóm Chung: 1 Hoàn thành xuất sắc nhiệm vụ trên 2 Hoàn thành tốt nhiệm vụ trở lên; .*vượt 1\./,
    );

    const x = await get('auditorA', path('xlsx'));
    expect(x.status).toBe(200);
    expect(x.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    const ws = wb.worksheets[0]!;
    let official: unknown[] = [];
    ws.eachRow((r) => {
      if (r.getCell(2).value === names[f.person.officialA]) official = (r.values as unknown[]).slice(1, 7);
    });
    expect(official).toEqual([
      1,
      names[f.person.officialA],
      'Chung',
      95,
      'Tạm tính từ các kỳ đánh giá',
      'Hoàn thành xuất sắc nhiệm vụ',
    ]);
  });

  it('is refused to those who may not read the ranking, and 404 for a ranking that does not exist', async () => {
    for (const who of ['supervisorA', 'officialA', 'adminQ'] as const) {
      const res = await get(who, path('pdf'));
      expect(res.status, who).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('FORBIDDEN');
    }
    expect((await get('supervisorA', path('xlsx'))).status).toBe(403);
    expect((await get('anon', path('pdf'))).status).toBe(401);
    const missing = await get('headA', path('pdf', f.unit.A, YEAR - 1));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('RANKING_NOT_FOUND');
    // Another unit's ranking: refused before it is looked up (the head of A is not a reader of B's).
    expect((await get('headA', path('pdf', f.unit.B))).status).toBe(403);
  });
});
