// The year-end evaluation reports as printed (issue 8 point 5): the PDFs' text (pdftotext, whitespace folded),
// their fonts (every font DejaVu, embedded as a subset with a Unicode map), page numbers on a long document and
// deterministic bytes; the Excel twins read back with exceljs (cells, numeric scores, frozen header rows).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ProvinceYearEndReport,
  provinceYearEndReportFrom,
  type UnitYearEndReport,
} from './year-end-model.ts';
import { renderProvinceYearEndPdf, renderUnitYearEndPdf } from './year-end-pdf.ts';
import {
  PROVINCE_XLSX_HEADER_ROW,
  renderProvinceYearEndXlsx,
  renderUnitYearEndXlsx,
  YEAR_XLSX_HEADER_ROW,
} from './year-end-xlsx.ts';

const dir = mkdtempSync(join(tmpdir(), 'woms-yearend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function save(bytes: Uint8Array): string {
  n += 1;
  const file = join(dir, `y${n}.pdf`);
  writeFileSync(file, bytes);
  return file;
}
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
/** The text in content order (-raw: each table cell whole), whitespace folded. */
const rawText = (file: string) => run('pdftotext', ['-raw', file, '-']).replace(/\s+/g, ' ');
const layoutText = (file: string) => run('pdftotext', ['-layout', file, '-']);
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [file]))?.[1]);
function expectEmbeddedDejaVu(file: string) {
  const rows = run('pdffonts', [file]).trim().split('\n').slice(2);
  expect(rows.length).toBeGreaterThan(0);
  for (const l of rows) {
    const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(l.trim());
    expect(m, l).not.toBeNull();
    expect(m![1]).toMatch(/^[A-Z]{6}\+DejaVuSerif/);
    expect([m![4], m![5], m![6]]).toEqual(['yes', 'yes', 'yes']);
  }
}

const RULE_SET = {
  id: 'ND335-2025',
  version: 1,
  title: 'Nghị định 335/2025/NĐ-CP',
  legalBasis: [
    { ref: 'Nghị định 335/2025/NĐ-CP (hiệu lực 1/1/2026)', verification: 'V' as const },
    { ref: 'Hướng dẫn của tỉnh', verification: 'U' as const },
  ],
};
const HEADING = {
  superiorBody: 'Ủy ban nhân dân tỉnh Bắc Ninh',
  number: null,
  symbol: 'BC-SNV',
  place: 'Bắc Ninh',
  date: '2026-12-16',
  recipients: ['Ban Tổ chức Tỉnh ủy', 'Sở Nội vụ', 'Lưu: VT'],
};

function unitReport(over: Partial<UnitYearEndReport> = {}): UnitYearEndReport {
  return {
    ...HEADING,
    issuingBody: 'Sở Nội vụ',
    signer: { title: 'Giám đốc', name: 'Trần Văn Hùng' },
    unitName: 'Sở Nội vụ',
    year: 2026,
    status: 'published',
    ruleSet: RULE_SET,
    rows: [
      {
        name: 'Lê Thị Ánh',
        dutyGroup: 'civil_servant',
        score: '95.5',
        scoreSource: 'supervisor',
        level: 'excellent',
        partyLevel: 'good',
        appeal: null,
        notes: [],
      },
      {
        name: 'Phạm Quốc Đạt',
        dutyGroup: 'civil_servant',
        score: '88',
        scoreSource: 'periods',
        level: 'good',
        notes: [],
      },
      {
        name: 'Vũ Thị Hằng',
        dutyGroup: 'public_employee',
        score: '75',
        scoreSource: 'supervisor',
        level: 'notCompleted',
        partyLevel: 'notCompleted',
        appeal: { level: 'completed', decisionNumber: '12/QĐ-TU' },
        notes: ['Bị kỷ luật cảnh cáo (45/QĐ-UBND): Không hoàn thành nhiệm vụ'],
      },
      {
        name: 'Ngô Minh Tuấn',
        dutyGroup: 'civil_servant',
        score: null,
        scoreSource: 'none',
        level: null,
        notes: [],
      },
    ],
    quota: [
      { dutyGroup: 'civil_servant', good: 2, excellent: 1, allowed: 0, exceptionPlaces: 0, over: 1 },
      { dutyGroup: 'public_employee', good: 0, excellent: 0, allowed: 0, exceptionPlaces: 0, over: 0 },
    ],
    exceptions: [
      { dutyGroup: 'civil_servant', extraPlaces: 1, decisionNumber: '77/QĐ-UBND', decidedOn: '2026-12-10' },
    ],
    decidedBy: 'Trần Văn Hùng',
    decidedOn: '2026-12-12',
    publishedOn: '2026-12-13',
    headsRankedAbove: ['Trần Văn Hùng'],
    ...over,
  };
}

function provinceReport(over: Partial<ProvinceYearEndReport> = {}): ProvinceYearEndReport {
  const row = (
    kind: 'collective' | 'individual',
    unit: string,
    person: string | null,
    score: string | null,
    level: ProvinceYearEndReport['rows'][number]['level'],
    frozen = true,
    explanation: unknown = null,
  ) => ({
    subjectKind: kind,
    subjectId: `${kind}-${unit}`,
    unitId: unit,
    unitName: unit,
    personName: person,
    score,
    level,
    frozen,
    explanation,
  });
  return {
    ...HEADING,
    symbol: 'BC-TU',
    superiorBody: '',
    issuingBody: 'Ban Thường vụ Tỉnh ủy Bắc Ninh',
    signer: { title: 'Bí thư', name: 'Nguyễn Văn Quyết' },
    provinceName: 'Tỉnh Bắc Ninh',
    year: 2026,
    status: 'decided',
    ruleSet: RULE_SET,
    decidedBy: 'Nguyễn Văn Quyết',
    decidedOn: '2026-12-14',
    rows: [
      row('collective', 'Sở Tài chính', null, '91.25', 'good'),
      row('collective', 'Sở Nội vụ', null, '96', 'excellent'),
      row('collective', 'Sở Y tế', null, null, null, false),
      row('individual', 'Sở Nội vụ', 'Trần Văn Hùng', '94', 'excellent'),
      row('individual', 'Sở Y tế', 'Đặng Thu Trang', '68', 'completed', true, {
        steps: [],
        gateFailures: [
          { gateId: 'qd377', level: 'good', message: { vi: 'Đơn vị hoàn thành dưới 70% chỉ tiêu', en: 'x' } },
        ],
        forcedBy: [],
      }),
    ],
    ...over,
  };
}

describe('the year-end evaluation of a unit’s people (PDF)', () => {
  it('is an administrative document: heading, title, subject, the table, summary, basis, signer', async () => {
    const bytes = await renderUnitYearEndPdf(unitReport());
    const file = save(bytes);
    const text = rawText(file);
    for (const s of [
      'ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
      'SỞ NỘI VỤ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      '/BC-SNV',
      'Bắc Ninh, ngày 16 tháng 12 năm 2026',
      'BÁO CÁO',
      'Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026',
      'I. KẾT QUẢ XẾP LOẠI',
      'Xếp loại đảng viên',
      'Kết quả kiến nghị',
      'Nơi nhận:',
      'GIÁM ĐỐC',
      '- Lưu: VT.',
    ])
      expect(text, s).toContain(s);
    expect(text).not.toContain('Dự thảo');
    expect(text).not.toContain('\uFFFD');
    // The rows, by level then name: score, level, Party level, appeal outcome, the failed gate.
    expect(text).toMatch(/1 Lê Thị Ánh Công chức 95,5 Hoàn thành xuất sắc nhiệm vụ Hoàn thành tốt nhiệm vụ/);
    expect(text).toMatch(/2 Phạm Quốc Đạt Công chức 88 \(tạm tính\) Hoàn thành tốt nhiệm vụ -/);
    expect(text).toMatch(
      /3 Vũ Thị Hằng Viên chức 75 Không hoàn thành nhiệm vụ Không hoàn thành nhiệm vụ Hoàn thành nhiệm vụ \(QĐ 12\/QĐ-TU\) Bị kỷ luật cảnh cáo/,
    );
    expect(text).toMatch(/4 Ngô Minh Tuấn Công chức Chưa có điểm/);
    expect(text.indexOf('Lê Thị Ánh')).toBeLessThan(text.indexOf('Ngô Minh Tuấn'));
    // Summary and quota; the basis and decision.
    expect(text).toContain(
      'Tổng số 4 người; Hoàn thành xuất sắc nhiệm vụ: 1; Hoàn thành tốt nhiệm vụ: 1; Hoàn thành nhiệm vụ: 0; Không hoàn thành nhiệm vụ: 1; chưa xếp loại: 1.',
    );
    expect(text).toContain(
      'Xếp loại đảng viên (2 người): Hoàn thành xuất sắc nhiệm vụ: 0; Hoàn thành tốt nhiệm vụ: 1',
    );
    expect(text).toMatch(/Nhóm Công chức: 1 Hoàn thành xuất sắc nhiệm vụ trên 2 .*vượt 1\./);
    expect(text).toMatch(/Nhóm Viên chức: .*trong tỷ lệ\./);
    expect(text).toContain('thêm 1 chỉ tiêu, Quyết định số 77/QĐ-UBND ngày 10/12/2026');
    expect(text).toContain('do cấp trên đánh giá, xếp loại (không xếp loại trong đơn vị): Trần Văn Hùng.');
    expect(text).toContain('(tạm tính)" lấy từ trung bình các kỳ đánh giá');
    expect(text).toContain('Quy định áp dụng: Nghị định 335/2025/NĐ-CP (mã ND335-2025, phiên bản 1).');
    expect(text).toContain('Hướng dẫn của tỉnh (chưa xác minh)');
    expect(text).toContain('Quyết định xếp loại: Trần Văn Hùng, ngày 12/12/2026.');
    expect(text).toContain('Công bố kết quả ngày 13/12/2026.');
    // The layout: number left of the date on one line; recipients left of the signer.
    const lines = layoutText(file).split('\n');
    expect(lines.find((l) => l.includes('/BC-SNV'))).toMatch(/Số:\s+\/BC-SNV\s+Bắc Ninh, ngày 16/);
    expect(lines.find((l) => l.includes('Nơi nhận:'))).toMatch(/Nơi nhận:\s+GIÁM ĐỐC/);
    expectEmbeddedDejaVu(file);
    // Deterministic bytes.
    expect(Buffer.compare(bytes, await renderUnitYearEndPdf(unitReport()))).toBe(0);
  });

  it('marks a draft, drops the Party and appeal columns when nobody has them, and repeats headers on long tables', async () => {
    const many = Array.from({ length: 70 }, (_, i) => ({
      name: `Người số ${String(i + 1).padStart(2, '0')}`,
      dutyGroup: 'civil_servant',
      score: '80',
      scoreSource: 'supervisor' as const,
      level: 'completed' as const,
      notes: [],
    }));
    const file = save(
      await renderUnitYearEndPdf(
        unitReport({ status: 'draft', decidedBy: null, decidedOn: null, publishedOn: null, rows: many }),
      ),
    );
    const text = rawText(file);
    expect(text).toContain('(Dự thảo - chưa được quyết định)');
    expect(text).toContain('Bảng xếp loại chưa được quyết định; kết quả trên là dự thảo');
    expect(text).not.toContain('Xếp loại đảng viên');
    expect(text).not.toContain('Kết quả kiến nghị');
    expect(text).not.toContain('Công bố kết quả');
    expect(text).toContain('Người số 70');
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(1);
    // The table's header row on every page it spans, the page number from page 2 on.
    const page2 = run('pdftotext', ['-raw', '-f', '2', '-l', '2', file, '-']);
    expect(page2).toMatch(/^\s*2\s*$/m);
    expect(page2).toContain('Họ và tên');
  });
});

describe('the year-end evaluation of a unit’s people (Excel)', () => {
  it('has the heading, one row per person with numeric scores and the source, and the summary', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderUnitYearEndXlsx(unitReport())) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Xếp loại 2026');
    expect(ws.getCell('A1').value).toBe('ỦY BAN NHÂN DÂN TỈNH BẮC NINH');
    expect(ws.getCell('D1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(ws.getCell('A6').value).toBe(
      'Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026',
    );
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: YEAR_XLSX_HEADER_ROW });
    const header = ws.getRow(YEAR_XLSX_HEADER_ROW).values as unknown[];
    expect(header.slice(1)).toEqual([
      'STT',
      'Họ và tên',
      'Nhóm chức trách',
      'Điểm',
      'Nguồn điểm',
      'Xếp loại',
      'Xếp loại đảng viên',
      'Kết quả kiến nghị',
      'Ghi chú',
    ]);
    const row = (i: number) => (ws.getRow(YEAR_XLSX_HEADER_ROW + i).values as unknown[]).slice(1);
    expect(row(1).slice(0, 7)).toEqual([
      1,
      'Lê Thị Ánh',
      'Công chức',
      95.5,
      'Đánh giá cuối năm của người quản lý',
      'Hoàn thành xuất sắc nhiệm vụ',
      'Hoàn thành tốt nhiệm vụ',
    ]);
    expect(
      row(1)
        .slice(7)
        .filter((v) => v !== undefined),
    ).toEqual([]);
    expect(ws.getCell(`D${YEAR_XLSX_HEADER_ROW + 1}`).numFmt).toBe('#,##0.0');
    expect(row(2).slice(1, 7)).toEqual([
      'Phạm Quốc Đạt',
      'Công chức',
      88,
      'Tạm tính từ các kỳ đánh giá',
      'Hoàn thành tốt nhiệm vụ',
      '-',
    ]);
    expect(row(3)[7]).toBe('Hoàn thành nhiệm vụ (QĐ 12/QĐ-TU)');
    expect(row(4)[3]).toBe('Chưa có điểm');
    const all: string[] = [];
    ws.eachRow((r) => {
      r.eachCell((c) => {
        if (typeof c.value === 'string') all.push(c.value);
      });
    });
    expect(all).toContain('II. TỔNG HỢP');
    expect(all.some((s) => /Nhóm Công chức: .*vượt 1\./.test(s))).toBe(true);
    expect(all).toContain('Quyết định xếp loại: Trần Văn Hùng, ngày 12/12/2026.');
    expect(all).toContain('GIÁM ĐỐC');
    expect(all).toContain('Trần Văn Hùng');
  });
});

describe('the year-end evaluation of a province’s units and heads', () => {
  it('PDF: the collectives and the heads in two tables, by level, with provisional rows and failed gates', async () => {
    const file = save(await renderProvinceYearEndPdf(provinceReport()));
    const text = rawText(file);
    for (const s of [
      'BAN THƯỜNG VỤ TỈNH ỦY BẮC NINH',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      '/BC-TU',
      'Kết quả đánh giá, xếp loại chất lượng cơ quan, đơn vị và người đứng đầu năm 2026',
      'I. XẾP LOẠI TẬP THỂ CÁC CƠ QUAN, ĐƠN VỊ',
      'II. XẾP LOẠI NGƯỜI ĐỨNG ĐẦU',
      'III. TỔNG HỢP',
      'BÍ THƯ',
      'Nguyễn Văn Quyết',
    ])
      expect(text, s).toContain(s);
    expect(text).toMatch(
      /1 Sở Nội vụ 96 Hoàn thành xuất sắc nhiệm vụ 2 Sở Tài chính 91,25 Hoàn thành tốt nhiệm vụ/,
    );
    expect(text).toMatch(/3 Sở Y tế Chưa có điểm Tạm tính/);
    expect(text).toMatch(/1 Trần Văn Hùng Sở Nội vụ 94 Hoàn thành xuất sắc nhiệm vụ/);
    expect(text).toMatch(
      /2 Đặng Thu Trang Sở Y tế 68 Hoàn thành nhiệm vụ Đơn vị hoàn thành dưới 70% chỉ tiêu/,
    );
    expect(text).toContain(
      'Tập thể (3 cơ quan, đơn vị): Hoàn thành xuất sắc nhiệm vụ: 1; Hoàn thành tốt nhiệm vụ: 1; Hoàn thành nhiệm vụ: 0; Không hoàn thành nhiệm vụ: 0; chưa xếp loại: 1.',
    );
    expect(text).toContain('Người đứng đầu (2 người): Hoàn thành xuất sắc nhiệm vụ: 1');
    expect(text).toContain('Quyết định xếp loại: Nguyễn Văn Quyết, ngày 14/12/2026.');
    expect(text).not.toContain('Kết quả kiến nghị');
    expectEmbeddedDejaVu(file);
    // An appeal outcome adds its column.
    const appealed = provinceReport();
    appealed.rows[4] = { ...appealed.rows[4]!, appeal: { level: 'completed', decisionNumber: null } };
    const t2 = rawText(save(await renderProvinceYearEndPdf(appealed)));
    expect(t2).toContain('Kết quả kiến nghị');
    expect(t2).toContain('Giữ nguyên (QĐ chưa có số)');
  });

  it('Excel: both tables with numeric scores, the collectives’ unit spanning two columns', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderProvinceYearEndXlsx(provinceReport())) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: PROVINCE_XLSX_HEADER_ROW });
    expect(ws.getCell(`A${PROVINCE_XLSX_HEADER_ROW - 1}`).value).toBe(
      'I. XẾP LOẠI TẬP THỂ CÁC CƠ QUAN, ĐƠN VỊ',
    );
    const h = PROVINCE_XLSX_HEADER_ROW;
    expect(ws.getCell(`B${h}`).value).toBe('Cơ quan, đơn vị');
    expect(ws.getCell(`B${h + 1}`).value).toBe('Sở Nội vụ');
    expect(ws.getCell(`C${h + 1}`).isMerged).toBe(true);
    expect(ws.getCell(`D${h + 1}`).value).toBe(96);
    expect(ws.getCell(`E${h + 1}`).value).toBe('Hoàn thành xuất sắc nhiệm vụ');
    expect(ws.getCell(`D${h + 2}`).value).toBe(91.25);
    expect(ws.getCell(`D${h + 2}`).numFmt).toBe('#,##0.00');
    expect(ws.getCell(`D${h + 3}`).value).toBe('Chưa có điểm');
    expect(ws.getCell(`F${h + 3}`).value).toBe('Tạm tính');
    // The heads' table under its title.
    let headsRow = 0;
    ws.eachRow((r, i) => {
      if (r.getCell(1).value === 'II. XẾP LOẠI NGƯỜI ĐỨNG ĐẦU') headsRow = i;
    });
    expect(headsRow).toBeGreaterThan(h + 3);
    expect((ws.getRow(headsRow + 1).values as unknown[]).slice(1, 5)).toEqual([
      'STT',
      'Họ và tên',
      'Cơ quan, đơn vị',
      'Điểm',
    ]);
    expect((ws.getRow(headsRow + 2).values as unknown[]).slice(1, 6)).toEqual([
      1,
      'Trần Văn Hùng',
      'Sở Nội vụ',
      94,
      'Hoàn thành xuất sắc nhiệm vụ',
    ]);
    expect(ws.getCell(`F${headsRow + 3}`).value).toBe('Đơn vị hoàn thành dưới 70% chỉ tiêu');
  });
});

describe('the province report’s model from the province ranking’s rows', () => {
  it('keeps the rows, attaches the appeal outcomes of the state track and names the place', async () => {
    const rows = provinceReport().rows;
    const model = provinceYearEndReportFrom({
      rankingId: 'r1',
      provinceName: 'Tỉnh Bắc Ninh',
      year: 2026,
      date: '2026-12-16',
      status: 'published',
      ruleSet: RULE_SET,
      decidedBy: 'Nguyễn Văn Quyết',
      decidedOn: '2026-12-14',
      rows,
      appeals: new Map([
        ['r1:individual-Sở Y tế:state', { level: 'good' as const, decisionNumber: '09-QĐ/TU' }],
        ['r1:individual-Sở Nội vụ:party', { level: 'good' as const, decisionNumber: 'x' }],
      ]),
    });
    expect(model.place).toBe('Bắc Ninh');
    expect(model.rows.map((r) => r.appeal?.decisionNumber ?? null)).toEqual([
      null,
      null,
      null,
      null,
      '09-QĐ/TU',
    ]);
    const text = rawText(save(await renderProvinceYearEndPdf(model)));
    expect(text).toContain('Bắc Ninh, ngày 16 tháng 12 năm 2026');
    expect(text).toMatch(
      /Đặng Thu Trang Sở Y tế 68 Hoàn thành nhiệm vụ Hoàn thành tốt nhiệm vụ \(QĐ 09-QĐ\/TU\)/,
    );
  });
});
