// The giao ban's dossier and minutes as printed: the PDF's text (pdftotext, whitespace folded), fonts (pdffonts:
// every font DejaVu, embedded as a subset with a Unicode map), page numbers on long documents and deterministic
// bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GiaoBanAgenda, GiaoBanMinutes, UnitDossier } from '../../domain/giao-ban/model.ts';
import { renderMinutesPdf, renderUnitDossierPdf, sessionName } from './giao-ban-pdf.ts';

const dir = mkdtempSync(join(tmpdir(), 'woms-giaoban-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function save(bytes: Uint8Array): string {
  n += 1;
  const file = join(dir, `g${n}.pdf`);
  writeFileSync(file, bytes);
  return file;
}
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
/** The text with runs of whitespace folded to one space (justified lines spread their words). */
const textOf = (file: string, ...opts: string[]) =>
  run('pdftotext', [...opts, '-layout', file, '-']).replace(/\s+/g, ' ');
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [file]))?.[1]);
function fonts(file: string) {
  return run('pdffonts', [file])
    .trim()
    .split('\n')
    .slice(2)
    .map((l) => {
      const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(l.trim());
      if (!m) throw new Error(`unexpected pdffonts line: ${l}`);
      return { name: m[1]!, emb: m[4]!, sub: m[5]!, uni: m[6]! };
    });
}
function expectEmbeddedDejaVu(file: string) {
  const f = fonts(file);
  expect(f.length).toBeGreaterThan(0);
  for (const x of f) {
    expect(x.name).toMatch(/^[A-Z]{6}\+DejaVuSerif/);
    expect([x.emb, x.sub, x.uni]).toEqual(['yes', 'yes', 'yes']);
  }
}

const agenda: GiaoBanAgenda = {
  provinceId: 'p1',
  provinceName: 'Tỉnh Bắc Ninh',
  session: '2027-Q1',
  sessionDate: '2027-04-20',
  builtAt: '2027-04-16T17:00:00.000Z',
  items: [
    { order: 1, unitId: 'u1', unitName: 'Sở Nội vụ', reportStatus: 'late' },
    { order: 2, unitId: 'u2', unitName: 'Sở Tài chính', reportStatus: 'missing' },
    { order: 3, unitId: 'u3', unitName: 'Sở Y tế', reportStatus: 'sent' },
  ],
};

const dossier: UnitDossier = {
  provinceId: 'p1',
  session: '2027-Q1',
  builtAt: '2027-04-16T17:00:00.000Z',
  unit: { id: 'u1', name: 'Sở Nội vụ', typeCode: 'agency' },
  report: { period: '2027-Q1', status: 'late', sentAt: '2027-04-13T03:00:00.000Z', dueDate: '2027-04-12' },
  scorecard: {
    overall: '93.3',
    perspectives: [
      { perspective: 'citizens', score: '23.3' },
      { perspective: 'budget', score: null },
      { perspective: 'processes', score: '100' },
      { perspective: 'learning', score: '61.5' },
    ],
  },
  redFlags: [
    {
      keyResultId: 'k1',
      title: 'Hồ sơ giải quyết đúng hạn',
      reason: 'behind-target',
      detail: 'Tháng 3/2027: đạt 80/100 hồ sơ (80% chỉ tiêu kỳ).',
    },
    {
      keyResultId: 'k4',
      title: 'Cán bộ được bồi dưỡng',
      reason: 'forecast-miss',
      detail: 'Dự báo cuối năm đạt 900/1.200 người; khả năng không đạt chỉ tiêu 93%.',
    },
  ],
  overdue: {
    individualCount: 7,
    unitLevel: [
      {
        kind: 'report.quarterly',
        title: 'Gửi báo cáo quý của đơn vị',
        dueDate: '2027-04-12',
        escalationLevel: 2,
      },
    ],
  },
  forecast: [
    {
      keyResultId: 'k4',
      title: 'Cán bộ được bồi dưỡng',
      target: '1200',
      p10: '750.5',
      p50: '900',
      p90: '1050',
      missProbability: '0.93',
    },
  ],
  previousDirections: [
    {
      id: 'd1',
      session: '2026-Q4',
      text: 'Rà soát thủ tục hành chính quá hạn',
      dueDate: '2027-03-31',
      status: 'in-progress',
      note: 'Đã rà soát 12 thủ tục',
    },
    {
      id: 'd2',
      session: '2026-year',
      text: 'Kiện toàn bộ phận một cửa',
      dueDate: null,
      status: 'done',
      note: null,
    },
  ],
};

const minutes: GiaoBanMinutes = {
  provinceId: 'p1',
  provinceName: 'Tỉnh Bắc Ninh',
  session: '2027-Q1',
  sessionDate: '2027-04-20',
  publishedOn: '2027-04-22',
  publishedBy: 'Phạm Thị Văn',
  conclusions: [
    {
      unitId: 'u1',
      unitName: 'Sở Nội vụ',
      completionLevel: 'good',
      summary: 'Đơn vị hoàn thành phần lớn chỉ tiêu quý.\nCần đẩy nhanh giải quyết hồ sơ.',
      planDecision: 'adjusted',
      planNote: 'Giảm chỉ tiêu tháng 5 xuống 90 hồ sơ',
      directions: [
        { ordinal: 1, text: 'Hoàn thành số hóa hồ sơ cán bộ', dueDate: '2027-06-30' },
        { ordinal: 2, text: 'Báo cáo kết quả cải cách hành chính', dueDate: null },
      ],
    },
    {
      unitId: 'u2',
      unitName: 'Sở Tài chính',
      completionLevel: 'not-fulfilled',
      summary: 'Chưa gửi báo cáo quý đúng hạn.',
      planDecision: 'approved',
      planNote: null,
      directions: [{ ordinal: 1, text: 'Gửi báo cáo quý trước ngày 25/4', dueDate: '2027-04-25' }],
    },
  ],
};

describe('the unit dossier PDF', () => {
  it('is an administrative document with every section, its numbers the Vietnamese way', async () => {
    const file = save(await renderUnitDossierPdf(dossier, agenda));
    expect(pageCount(file)).toBeGreaterThanOrEqual(1);
    expectEmbeddedDejaVu(file);
    const t = textOf(file);
    for (const s of [
      'TỈNH BẮC NINH',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Bắc Ninh, ngày 17 tháng 4 năm 2027',
      '/HSGB',
      'HỒ SƠ GIAO BAN',
      'Sở Nội vụ - Phiên giao ban quý I năm 2027',
      'ngày 20/04/2027',
      'I. CHƯƠNG TRÌNH GIAO BAN',
      '1. Sở Nội vụ - báo cáo quý: gửi muộn',
      '2. Sở Tài chính - báo cáo quý: chưa gửi',
      '3. Sở Y tế - báo cáo quý: đã gửi đúng hạn',
      'Báo cáo 2027-Q1 gửi muộn ngày 13/04/2027 (hạn 12/04/2027)',
      'Đối tượng phục vụ 23,3',
      'Ngân sách và hiệu quả sử dụng nguồn lực Chưa có số liệu',
      'Điểm hoàn thành chung 93,3',
      'Chậm so với chỉ tiêu kỳ',
      'Tháng 3/2027: đạt 80/100 hồ sơ',
      'Dự báo không đạt chỉ tiêu',
      'Số việc quá hạn của cán bộ, công chức trong đơn vị: 7.',
      'Gửi báo cáo quý của đơn vị: hạn 12/04/2027, đã chuyển cấp 2.',
      '1.200 750,5 900 1.050 93%',
      'Rà soát thủ tục hành chính quá hạn (phiên giao ban quý IV năm 2026, hạn 31/03/2027): đang thực hiện - Đã rà soát 12 thủ tục',
      'Kiện toàn bộ phận một cửa (hội nghị tổng kết năm 2026): đã hoàn thành',
      'THƯ KÝ GIAO BAN',
      'Nơi nhận:',
      '- Lưu: hồ sơ giao ban.',
    ])
      expect(t).toContain(s);
  });

  it('says "none" for empty sections and gives the same bytes for the same dossier', async () => {
    const empty: UnitDossier = {
      ...dossier,
      report: { period: '2027-Q1', status: 'missing', sentAt: null, dueDate: '2027-04-12' },
      redFlags: [],
      forecast: [],
      previousDirections: [],
      overdue: { individualCount: 0, unitLevel: [] },
    };
    const a = await renderUnitDossierPdf(empty, agenda);
    expect(Buffer.from(await renderUnitDossierPdf(empty, agenda)).equals(Buffer.from(a))).toBe(true);
    const t = textOf(save(a));
    expect(t).toContain('Chưa gửi báo cáo 2027-Q1 (hạn 12/04/2027)');
    expect(t.match(/Không có\./g)?.length).toBe(3);
  });

  it('numbers the pages from the second on when the dossier runs long', async () => {
    const many: UnitDossier = {
      ...dossier,
      redFlags: Array.from({ length: 40 }, (_, i) => ({
        keyResultId: `k${i}`,
        title: `Mục tiêu số ${i + 1}`,
        reason: 'not-reported' as const,
        detail: 'Đến hạn báo cáo trong kỳ nhưng chưa có giá trị nào được báo cáo.',
      })),
    };
    const file = save(await renderUnitDossierPdf(many, agenda));
    expect(pageCount(file)).toBeGreaterThanOrEqual(2);
    expect(textOf(file, '-f', '2', '-l', '2').trim().startsWith('2 ')).toBe(true);
    expect(textOf(file)).toContain('Mục tiêu số 40');
  });
});

describe("the year-end review session's dossier PDF", () => {
  const yearDossier = (rankings: NonNullable<UnitDossier['yearReview']>['rankings']): UnitDossier => ({
    ...dossier,
    session: '2027-year',
    yearReview: {
      year: 2027,
      through: '2027-11',
      results: [
        {
          unitId: 'u1',
          unitName: 'Sở Nội vụ',
          overall: '93.3',
          perspectives: dossier.scorecard.perspectives,
        },
        {
          unitId: 'u2',
          unitName: 'Sở Tài chính',
          overall: null,
          perspectives: dossier.scorecard.perspectives.map((p) => ({ ...p, score: null })),
        },
      ],
      rankings,
    },
  });

  it("prints every unit's year results and says the rankings are not decided yet", async () => {
    const t = textOf(
      save(
        await renderUnitDossierPdf(yearDossier({ status: 'not-decided' }), {
          ...agenda,
          session: '2027-year',
        }),
      ),
    );
    for (const s of [
      'VIII. KẾT QUẢ NĂM 2027 CỦA CÁC ĐƠN VỊ',
      'đến hết tháng 11/2027',
      '1 Sở Nội vụ 23,3 Chưa có số 100 61,5 93,3',
      '2 Sở Tài chính Chưa có số',
      'IX. KẾT QUẢ XẾP LOẠI NĂM 2027',
      'Kết quả xếp loại năm 2027 chưa được quyết định',
    ])
      expect(t).toContain(s);
  });

  it('lists the published rankings with the level and the day decided', async () => {
    const t = textOf(
      save(
        await renderUnitDossierPdf(
          yearDossier({
            status: 'published',
            items: [
              {
                subjectId: 'u1',
                subjectKind: 'collective',
                subjectName: 'Sở Nội vụ',
                unitId: 'u1',
                unitName: 'Sở Nội vụ',
                level: 'excellent',
                decidedOn: '2027-12-12',
              },
              {
                subjectId: 'x1',
                subjectKind: 'individual',
                subjectName: 'Nguyễn Văn An',
                unitId: 'u1',
                unitName: 'Sở Nội vụ',
                level: 'good',
                decidedOn: '2027-12-10',
              },
            ],
          }),
          { ...agenda, session: '2027-year' },
        ),
      ),
    );
    expect(t).toContain('Kết quả xếp loại năm 2027 đã được quyết định và công bố');
    expect(t).toContain('Tập thể: Sở Nội vụ');
    expect(t).toContain('Hoàn thành xuất sắc nhiệm vụ');
    expect(t).toContain('Cá nhân: Nguyễn Văn An');
    expect(t).toContain('Hoàn thành tốt nhiệm vụ');
    expect(t).toContain('12/12/2027');
    expect(t).not.toContain('chưa được quyết định');
  });

  it('has no year sections in a quarterly dossier', async () => {
    const t = textOf(save(await renderUnitDossierPdf(dossier, agenda)));
    expect(t).not.toContain('VIII.');
    expect(t).not.toContain('XẾP LOẠI');
  });
});

describe('the minutes PDF', () => {
  it("publishes each unit's conclusion, plan decision and directions, signed by the publisher", async () => {
    const file = save(await renderMinutesPdf(minutes));
    expectEmbeddedDejaVu(file);
    const t = textOf(file);
    for (const s of [
      'TỈNH BẮC NINH',
      'Bắc Ninh, ngày 22 tháng 4 năm 2027',
      '/TB-GB',
      'THÔNG BÁO',
      'Kết luận phiên giao ban quý I năm 2027',
      'Ngày 20/04/2027, Tỉnh Bắc Ninh tổ chức phiên giao ban quý I năm 2027.',
      '1. Sở Nội vụ',
      'Mức độ hoàn thành: Hoàn thành tốt nhiệm vụ.',
      'Cần đẩy nhanh giải quyết hồ sơ.',
      'Kế hoạch quý tiếp theo của đơn vị: điều chỉnh - Giảm chỉ tiêu tháng 5 xuống 90 hồ sơ',
      'a) Hoàn thành số hóa hồ sơ cán bộ (hạn 30/06/2027).',
      'b) Báo cáo kết quả cải cách hành chính.',
      '2. Sở Tài chính',
      'Mức độ hoàn thành: Không hoàn thành nhiệm vụ.',
      'Kế hoạch quý tiếp theo của đơn vị: thống nhất thông qua.',
      'a) Gửi báo cáo quý trước ngày 25/4 (hạn 25/04/2027).',
      'TM. THƯỜNG TRỰC GIAO BAN',
      'Phạm Thị Văn',
    ])
      expect(t).toContain(s);
  });

  it('names the year-end review session', () => {
    expect(sessionName('2027-year')).toBe('hội nghị tổng kết năm 2027');
    expect(sessionName('2027-Q4')).toBe('phiên giao ban quý IV năm 2027');
  });
});
