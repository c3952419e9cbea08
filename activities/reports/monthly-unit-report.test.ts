// The monthly unit report as printed: the PDF's text (pdftotext), fonts (pdffonts), page geometry and page
// numbers are asserted, and the Excel twin is read back with exceljs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportLines, STATUS_TEXT } from '../../domain/report/monthly-unit-report.ts';
import { renderMonthlyUnitReportPdf } from './monthly-unit-report-pdf.ts';
import { renderMonthlyUnitReportXlsx, XLSX_HEADER_ROW } from './monthly-unit-report-xlsx.ts';
import { largeReportFixture, monthlyReportFixture } from './test-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'woms-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function save(bytes: Buffer): string {
  n += 1;
  const file = join(dir, `r${n}.pdf`);
  writeFileSync(file, bytes);
  return file;
}
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
const pdftotext = (file: string, ...opts: string[]) => run('pdftotext', [...opts, '-layout', file, '-']);
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [file]))?.[1]);

interface FontRow {
  name: string;
  type: string;
  emb: string;
  sub: string;
  uni: string;
}
/** pdffonts' table: name, type (may contain spaces), encoding, emb, sub, uni, object id. */
function pdffonts(file: string): FontRow[] {
  const lines = run('pdffonts', [file]).trim().split('\n').slice(2);
  return lines.map((l) => {
    const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(l.trim());
    if (!m) throw new Error(`unexpected pdffonts line: ${l}`);
    return { name: m[1]!, type: m[2]!, emb: m[4]!, sub: m[5]!, uni: m[6]! };
  });
}

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
function words(file: string, page: number): Word[] {
  const html = run('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-']);
  return [
    ...html.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ),
  ].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: m[5]!,
  }));
}

const MM = 72 / 25.4;
const report = monthlyReportFixture();
let file: string;
let text: string;

beforeAll(async () => {
  file = save(await renderMonthlyUnitReportPdf(report));
  text = pdftotext(file);
});

describe('the monthly unit report PDF', () => {
  it('has the heading of an administrative document: body, motto, number, place and date', () => {
    expect(run('which', ['pdftotext', 'pdffonts'])).toContain('pdffonts');
    expect(text).toContain('ỦY BAN NHÂN DÂN TỈNH');
    expect(text).toContain('ỦY BAN NHÂN DÂN XÃ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('Số: 12/BC-UBND');
    expect(text).toContain('Sơn Hà, ngày 05 tháng 02 năm 2027');
    expect(text).toContain('BÁO CÁO');
    expect(text).toContain('Kết quả thực hiện nhiệm vụ, mục tiêu then chốt');
    // The number and the date line sit on one line, the number left of the date.
    const numberAndDate = text.split('\n').find((l) => l.includes('Số: 12/BC-UBND'));
    expect(numberAndDate).toMatch(/Số: 12\/BC-UBND\s+Sơn Hà, ngày 05 tháng 02 năm 2027/);
  });

  it('renders every Vietnamese letter class from the embedded font (text extracts back exactly)', () => {
    // ă â đ ê ô ơ ư, the five tones, capitals.
    for (const w of [
      'năm',
      'dân',
      'đúng',
      'Yên',
      'công',
      'Sơn',
      'Hưng',
      'Hà',
      'Quảng',
      'kỹ',
      'Ngãi',
      'thực hiện',
    ]) {
      expect(text, w).toContain(w);
    }
    for (const w of ['ĐẠT', 'Ủy ban', 'ỦY BAN', 'Ưu tiên', 'ĐỐI TƯỢNG PHỤC VỤ', 'HỌC HỎI VÀ PHÁT TRIỂN']) {
      expect(text, w).toContain(w);
    }
    // Task rows span the table and read whole; key-result titles start their cells.
    expect(text).toContain('Nâng cao chất lượng phục vụ người dân, doanh nghiệp trên địa bàn Hưng Yên');
    expect(text).toContain('Thực hiện Nghị quyết của Ủy ban nhân dân tỉnh Quảng Ngãi về chuyển đổi số');
    expect(text).toContain('Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức');
    expect(text).toMatch(/1\.1\s+Hồ sơ thủ tục hành chính/);
    expect(text).toMatch(/1\.2\s+Kinh phí chi thường xuyên/);
    expect(text).not.toContain('\uFFFD');
  });

  it('prints numbers, percentages and statuses the Vietnamese way', () => {
    const row = text.split('\n').find((l) => l.includes('Hồ sơ thủ tục hành chính'));
    expect(row).toMatch(/1\.200\s+1\.234,5\s+2\.469\s+102,9%\s+Đúng\s+ĐẠT/);
    expect(text).toMatch(/250\.000\s+187\.654,32\s+1\.234\.567,89\s+75,1%/);
    expect(text).toContain('92,25');
    expect(text).toContain(STATUS_TEXT.on_track.split(' ')[0]!);
    expect(text).toContain('Mức độ hoàn thành kế hoạch tháng: 91,4%.');
    expect(text).toContain('chưa được xác nhận kết quả: 1.');
    expect(text).not.toMatch(/1,234\.5|1234\.5/);
  });

  it('ends with the signature block (right) and the recipients (left)', () => {
    const lines = text.split('\n');
    const first = lines.find((l) => l.includes('Nơi nhận:'));
    expect(first).toMatch(/Nơi nhận:\s+KT\. CHỦ TỊCH/);
    expect(text).toContain('PHÓ CHỦ TỊCH');
    expect(text).toContain('Nguyễn Thị Ngọc Hường');
    expect(text).toContain('- Văn phòng Tỉnh ủy Hưng Yên;');
    expect(text).toContain('- Lưu: VT, VHXH.');
    // The signer's name is below the titles, with room for the signature and the seal.
    const all = Array.from({ length: pageCount(file) }, (_, i) => words(file, i + 1)).at(-1)!;
    const title = all.find((w) => w.text === 'PHÓ')!;
    const name = all.find((w) => w.text === 'Hường')!;
    expect(name.yMin - title.yMax).toBeGreaterThan(60);
    expect(title.xMin).toBeGreaterThan(595.28 / 2);
  });

  it('embeds every font, all DejaVu Serif (regular, bold, italic) as subsets with Unicode maps', () => {
    const fonts = pdffonts(file);
    expect(fonts.length).toBeGreaterThanOrEqual(3);
    for (const f of fonts) {
      expect(f.name).toMatch(/^[A-Z]{6}\+DejaVuSerif/);
      expect(f).toMatchObject({ emb: 'yes', sub: 'yes', uni: 'yes' });
    }
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(expect.arrayContaining(['DejaVuSerif', 'DejaVuSerif-Bold', 'DejaVuSerif-Italic']));
  });

  it('is A4 with the decree margins (top and bottom 20 mm, left 30 mm, right 15 mm)', () => {
    expect(run('pdfinfo', [file])).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    for (let p = 1; p <= pageCount(file); p++) {
      const ws = words(file, p);
      const body = p === 1 ? ws : ws.slice(1); // a later page starts with its number in the top margin
      expect(Math.min(...body.map((w) => w.xMin))).toBeGreaterThanOrEqual(30 * MM - 0.5);
      expect(Math.max(...body.map((w) => w.xMax))).toBeLessThanOrEqual(595.28 - 15 * MM + 0.5);
      expect(Math.min(...body.map((w) => w.yMin))).toBeGreaterThanOrEqual(20 * MM - 0.5);
      expect(Math.max(...body.map((w) => w.yMax))).toBeLessThanOrEqual(841.89 - 20 * MM + 0.5);
    }
    // The motto is in the right column, the issuing body in the left one.
    const first = words(file, 1);
    const motto = first.find((w) => w.text === 'CỘNG')!;
    const unit = first.find((w) => w.text === 'XÃ' && w.xMax < 300)!;
    expect(motto.xMin).toBeGreaterThan(unit.xMax);
    expect(Math.abs(motto.yMin - 20 * MM)).toBeLessThan(1);
  });

  it('renders the same bytes for the same report; its creation date is the report date', async () => {
    const again = await renderMonthlyUnitReportPdf(report);
    const other = await renderMonthlyUnitReportPdf(monthlyReportFixture({ date: '2027-02-06' }));
    const first = await renderMonthlyUnitReportPdf(report);
    expect(again.equals(first)).toBe(true);
    expect(other.equals(first)).toBe(false);
    expect(run('pdfinfo', ['-isodates', file])).toMatch(/CreationDate:\s+2027-02-04T17:00:00Z/);
  });

  it('leaves the number blank for the clerk when the report is not numbered yet', async () => {
    const t = pdftotext(save(await renderMonthlyUnitReportPdf(monthlyReportFixture({ number: null }))));
    expect(t).toMatch(/Số:\s+\/BC-UBND/);
    expect(t).not.toContain('Số: 12/');
  });

  it('numbers pages from page 2 on and repeats the table header on each page (80 key results)', async () => {
    const big = save(await renderMonthlyUnitReportPdf(largeReportFixture(80)));
    const pages = pageCount(big);
    expect(pages).toBeGreaterThanOrEqual(3);
    const firstPage = pdftotext(big, '-f', '1', '-l', '1');
    expect(firstPage.trim().split('\n')[0]).toContain('ỦY BAN NHÂN DÂN');
    for (let p = 2; p <= pages; p++) {
      const ws = words(big, p);
      const top = ws.reduce((a, b) => (b.yMin < a.yMin ? b : a));
      expect(top.text, `page ${p}`).toBe(String(p));
      expect(top.yMax).toBeLessThan(20 * MM); // in the top margin
      expect(Math.abs((top.xMin + top.xMax) / 2 - (30 * MM + (595.28 - 45 * MM) / 2))).toBeLessThan(2);
    }
    const all = pdftotext(big);
    const seen = new Set([...all.matchAll(/Mục tiêu then chốt số (\d+):/g)].map((m) => Number(m[1])));
    expect(seen.size).toBe(80);
    expect(Math.max(...seen)).toBe(80);
    const tablePages = Array.from({ length: pages }, (_, i) =>
      pdftotext(big, '-f', String(i + 1), '-l', String(i + 1)),
    ).filter((t) => /Mục tiêu then chốt số \d+:/.test(t));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const t of tablePages) expect(t).toMatch(/STT\s+Nhiệm vụ \/ Mục tiêu/);
  });
});

describe('the monthly unit report Excel twin', () => {
  it('has the heading lines, a frozen header row and the same rows with typed numbers', async () => {
    const bytes = await renderMonthlyUnitReportXlsx(report);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Báo cáo 01-2027');
    expect(ws.getCell('A1').value).toBe('ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN');
    expect(ws.getCell('A2').value).toBe('ỦY BAN NHÂN DÂN XÃ SƠN HÀ');
    expect(ws.getCell('D1').value).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(ws.getCell('D2').value).toBe('Độc lập - Tự do - Hạnh phúc');
    expect(ws.getCell('A3').value).toBe('Số: 12/BC-UBND');
    expect(ws.getCell('D3').value).toBe('Sơn Hà, ngày 05 tháng 02 năm 2027');
    expect(ws.getCell('A5').value).toBe('BÁO CÁO');
    expect(ws.getCell('A6').value).toBe('Kết quả thực hiện nhiệm vụ, mục tiêu then chốt tháng 01 năm 2027');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: XLSX_HEADER_ROW });
    const header = ws.getRow(XLSX_HEADER_ROW).values as unknown[];
    expect(header.slice(1)).toEqual([
      'STT',
      'Nhiệm vụ / Mục tiêu then chốt',
      'Đơn vị tính',
      'Chỉ tiêu tháng',
      'Kết quả tháng (đã xác nhận)',
      'Lũy kế năm',
      'Tỷ lệ đạt',
      'Đánh giá',
      'Ghi chú',
    ]);
    expect(ws.getColumn(2).width).toBeGreaterThan(40);

    const lines = reportLines(report);
    lines.forEach((line, i) => {
      const row = ws.getRow(XLSX_HEADER_ROW + 1 + i);
      expect(row.getCell(1).value).toBe(line.no);
      if (line.kind !== 'keyResult') {
        expect(row.getCell(2).value).toBe(line.title);
        expect(row.getCell(4).value).toBeNull();
        return;
      }
      const kr = line.row;
      expect(row.getCell(2).value).toBe(kr.title);
      expect(row.getCell(3).value).toBe(kr.unit);
      expect(row.getCell(4).value).toBe(Number(kr.monthTarget));
      expect(row.getCell(6).value).toBe(Number(kr.yearToDate));
      if (kr.verifiedValue === null) expect(row.getCell(5).value).toBe('Chưa xác nhận');
      else expect(row.getCell(5).value).toBe(Number(kr.verifiedValue));
      if (kr.attainment === null) expect(row.getCell(7).value).toBeNull();
      else {
        expect(typeof row.getCell(7).value).toBe('number');
        expect(row.getCell(7).numFmt).toBe('0.0%');
      }
      expect(row.getCell(8).value).toBe(kr.status ? STATUS_TEXT[kr.status] : null);
    });
    // The first key result: 1.200 target, 1.234,5 verified, 2.469 to date, 102,875% attained.
    const first = ws.getRow(XLSX_HEADER_ROW + 3);
    expect(first.getCell(2).value).toBe('Hồ sơ thủ tục hành chính được giải quyết đúng hạn');
    expect([first.getCell(4).value, first.getCell(5).value, first.getCell(6).value]).toEqual([
      1200, 1234.5, 2469,
    ]);
    expect(first.getCell(4).numFmt).toBe('#,##0');
    expect(first.getCell(5).numFmt).toBe('#,##0.0');
    expect(first.getCell(7).value).toBeCloseTo(1.02875, 10);
    const after = ws.getRow(XLSX_HEADER_ROW + 1 + lines.length);
    expect(after.getCell(1).value).toBeNull();
    const values = ws
      .getSheetValues()
      .flat()
      .filter((v): v is string => typeof v === 'string');
    expect(values).toContain('Mức độ hoàn thành kế hoạch tháng: 91,4%.');
    expect(values).toContain('Nguyễn Thị Ngọc Hường');
    expect(values).toContain('KT. CHỦ TỊCH');
    expect(values).toContain('Nơi nhận:');
    expect(values).toContain('- Lưu: VT, VHXH.');
    expect(wb.created?.toISOString()).toBe('2027-02-04T17:00:00.000Z');
  });

  it('holds every one of 80 key results as numeric cells', async () => {
    const big = largeReportFixture(80);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderMonthlyUnitReportXlsx(big)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const lines = reportLines(big);
    let keyResults = 0;
    lines.forEach((line, i) => {
      if (line.kind !== 'keyResult') return;
      keyResults += 1;
      const row = ws.getRow(XLSX_HEADER_ROW + 1 + i);
      expect(typeof row.getCell(4).value).toBe('number');
      expect(typeof row.getCell(6).value).toBe('number');
    });
    expect(keyResults).toBe(80);
  });
});
