// The Excel twins of the year-end evaluation reports (activities/reports/year-end-pdf.ts): the same heading lines
// (superior and issuing body, national motto, number, place and date, title, subject), the tables with the same
// rows (scores as numeric cells with a Vietnamese-friendly number format, the score's source in its own column),
// the header rows frozen and printed on every page, then the summary, the basis and the signer.
import ExcelJS from 'exceljs';
import {
  dateLine,
  numberLine,
  REPORT_TEXT,
  recipientLines,
  upper,
} from '../../domain/report/monthly-unit-report.ts';
import {
  appealText,
  dutyText,
  levelText,
  type ProvinceRankingReportRow,
  type ProvinceYearEndReport,
  provinceBasisLines,
  provinceParts,
  provinceRowNotes,
  provinceSubject,
  provinceSummaryLines,
  type ReportHeading,
  SOURCE_TEXT,
  type UnitYearEndReport,
  unitBasisLines,
  unitColumns,
  unitRows,
  unitSubject,
  unitSummaryLines,
  YEAR_REPORT_TEXT,
} from './year-end-model.ts';

const FONT = 'Times New Roman';
/** The unit report's table header row (the rows above it are the document's heading); the province report's first
 *  table starts a row lower, under its section title. */
export const YEAR_XLSX_HEADER_ROW = 8;
export const PROVINCE_XLSX_HEADER_ROW = 9;
const H = YEAR_REPORT_TEXT.headers;

const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

const col = (n: number) => String.fromCharCode(64 + n);

function numberFormat(value: string): string {
  const decimals = Math.min((value.split('.')[1] ?? '').length, 2);
  return decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
}

interface Sheet {
  ws: ExcelJS.Worksheet;
  last: string;
  row: number;
}

function workbook(h: ReportHeading, title: string) {
  const wb = new ExcelJS.Workbook();
  const instant = new Date(`${h.date}T00:00:00+07:00`);
  wb.creator = 'WOMS';
  wb.lastModifiedBy = 'WOMS';
  wb.created = instant;
  wb.modified = instant;
  wb.title = title;
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string, widths: number[], headerRow: number): Sheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, activeCell: `A${headerRow + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
      margins: { left: 1.18, right: 0.59, top: 0.79, bottom: 0.79, header: 0.3, footer: 0.3 },
    },
    properties: { defaultRowHeight: 18 },
  });
  ws.columns = widths.map((width) => ({ width }));
  return { ws, last: col(widths.length), row: headerRow };
}

function line(s: Sheet, row: number, from: string, to: string, text: string, font: Partial<ExcelJS.Font>) {
  if (text === '') return;
  s.ws.mergeCells(`${from}${row}:${to}${row}`);
  const cell = s.ws.getCell(`${from}${row}`);
  cell.value = text;
  cell.font = { name: FONT, size: 13, ...font };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
}

/** The heading rows 1–6: issuing body (A–C) beside the motto (D–last), title, subject (and the draft mark). */
function heading(s: Sheet, h: ReportHeading, subject: string, draft: boolean) {
  line(s, 1, 'A', 'C', h.superiorBody ? upper(h.superiorBody) : '', {});
  line(s, 1, 'D', s.last, REPORT_TEXT.motto, { bold: true });
  line(s, 2, 'A', 'C', upper(h.issuingBody), { bold: true });
  line(s, 2, 'D', s.last, REPORT_TEXT.slogan, { bold: true, underline: true });
  line(s, 3, 'A', 'C', numberLine(h.number, h.symbol), {});
  line(s, 3, 'D', s.last, dateLine(h.place, h.date), { italic: true });
  line(s, 5, 'A', s.last, YEAR_REPORT_TEXT.title, { bold: true, size: 14 });
  line(s, 6, 'A', s.last, subject, { bold: true });
  if (draft) line(s, 7, 'A', s.last, YEAR_REPORT_TEXT.draftMark, { italic: true });
}

type Value = string | number | null;
interface Cell {
  value: Value;
  numFmt?: string;
  align?: 'left' | 'center' | 'right';
}

const score = (v: string | null): Cell =>
  v === null
    ? { value: YEAR_REPORT_TEXT.noScore }
    : { value: Number(v), numFmt: numberFormat(v), align: 'right' };

/** A table from the sheet's current row; `merge` spans one text over two adjacent columns on every row. */
function table(s: Sheet, headers: string[], rows: Cell[][], merge?: [number, number]) {
  const spans = () => {
    if (merge) s.ws.mergeCells(`${col(merge[0])}${s.row}:${col(merge[1])}${s.row}`);
  };
  const head = s.ws.getRow(s.row);
  headers.forEach((t, i) => {
    const cell = head.getCell(i + 1);
    cell.value = t;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = thin;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
  });
  head.height = 36;
  spans();
  for (const cells of rows) {
    s.row += 1;
    const row = s.ws.getRow(s.row);
    cells.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.value !== null && c.value !== '') cell.value = c.value;
      if (c.numFmt) cell.numFmt = c.numFmt;
      cell.border = thin;
      cell.font = { name: FONT, size: 11 };
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: c.align ?? 'left' };
    });
    spans();
  }
  s.row += 1;
}

function section(s: Sheet, title: string, lines: string[]) {
  s.row += 1;
  s.ws.getCell(`A${s.row}`).value = title;
  s.ws.getCell(`A${s.row}`).font = { name: FONT, size: 13, bold: true };
  for (const text of lines) {
    s.row += 1;
    s.ws.mergeCells(`A${s.row}:${s.last}${s.row}`);
    const cell = s.ws.getCell(`A${s.row}`);
    cell.value = text;
    cell.font = { name: FONT, size: 13 };
    cell.alignment = { wrapText: true, vertical: 'top' };
    s.ws.getRow(s.row).height = Math.max(18, Math.ceil(text.length / 110) * 18);
  }
}

/** Recipients (A–C) beside the signer (right half), as in the PDF. */
function closing(s: Sheet, h: ReportHeading) {
  s.row += 2;
  const first = s.row;
  const recipient = (row: number, text: string, font: Partial<ExcelJS.Font>) => {
    s.ws.mergeCells(`A${row}:C${row}`);
    s.ws.getCell(`A${row}`).value = text;
    s.ws.getCell(`A${row}`).font = { name: FONT, ...font };
  };
  recipient(first, REPORT_TEXT.recipients, { size: 12, bold: true, italic: true });
  let r = first;
  for (const l of recipientLines(h.recipients)) recipient(++r, l, { size: 11 });
  const from = col(Math.max(4, s.ws.columnCount - 2));
  line(s, first, from, s.last, upper(h.signer.title), { bold: true });
  line(s, first + 4, from, s.last, h.signer.name, { bold: true });
}

async function bytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** (a) The year-end evaluation of a unit's people. */
export async function renderUnitYearEndXlsx(r: UnitYearEndReport): Promise<Buffer> {
  const subject = unitSubject(r);
  const wb = workbook(r, `${YEAR_REPORT_TEXT.title} ${subject}`);
  const cols = unitColumns(r);
  const headers = [
    H.no,
    H.name,
    H.dutyGroup,
    H.score,
    H.source,
    H.level,
    ...(cols.party ? [H.partyLevel] : []),
    ...(cols.appeal ? [H.appeal] : []),
    H.note,
  ];
  const widths = [7, 30, 16, 10, 24, 28, ...(cols.party ? [28] : []), ...(cols.appeal ? [30] : []), 40];
  const s = sheet(wb, `Xếp loại ${r.year}`, widths, YEAR_XLSX_HEADER_ROW);
  heading(s, r, subject, r.status === 'draft');
  table(
    s,
    headers,
    unitRows(r).map((x, i) => [
      { value: i + 1, align: 'center' },
      { value: x.name },
      { value: dutyText(x.dutyGroup) },
      score(x.score),
      { value: SOURCE_TEXT[x.scoreSource] },
      { value: levelText(x.level) },
      ...(cols.party
        ? [{ value: x.partyLevel === undefined ? YEAR_REPORT_TEXT.partyNone : levelText(x.partyLevel) }]
        : []),
      ...(cols.appeal ? [{ value: appealText(x.appeal, x.level) }] : []),
      { value: x.notes.join('; ') },
    ]),
  );
  section(s, YEAR_REPORT_TEXT.sectionSummary, unitSummaryLines(r));
  section(s, YEAR_REPORT_TEXT.sectionBasis, unitBasisLines(r));
  closing(s, r);
  return bytes(wb);
}

/** (b) The year-end evaluation of a province's units (collectives) and their heads. */
export async function renderProvinceYearEndXlsx(r: ProvinceYearEndReport): Promise<Buffer> {
  const subject = provinceSubject(r);
  const wb = workbook(r, `${YEAR_REPORT_TEXT.title} ${subject}`);
  const { collectives, heads, appeal } = provinceParts(r);
  const tailHeaders = [H.score, H.level, ...(appeal ? [H.appeal] : []), H.note];
  const tail = (x: ProvinceRankingReportRow): Cell[] => [
    score(x.score),
    { value: levelText(x.level) },
    ...(appeal ? [{ value: appealText(x.appeal, x.level) }] : []),
    { value: provinceRowNotes(x) },
  ];
  const s = sheet(
    wb,
    `Xếp loại ${r.year}`,
    [7, 30, 30, 10, 28, ...(appeal ? [30] : []), 40],
    PROVINCE_XLSX_HEADER_ROW,
  );
  heading(s, r, subject, r.status === 'draft');
  // Both tables share the columns: STT, unit or name, unit (the heads' table), score, level, [appeal], note; the
  // collectives' unit name spans B–C.
  s.ws.getCell(`A${s.row - 1}`).value = YEAR_REPORT_TEXT.sectionCollectives;
  s.ws.getCell(`A${s.row - 1}`).font = { name: FONT, size: 13, bold: true };
  table(
    s,
    [H.no, H.unit, '', ...tailHeaders],
    collectives.map((x, i) => [
      { value: i + 1, align: 'center' },
      { value: x.unitName },
      { value: null },
      ...tail(x),
    ]),
    [2, 3],
  );
  s.row += 1;
  s.ws.getCell(`A${s.row}`).value = YEAR_REPORT_TEXT.sectionHeads;
  s.ws.getCell(`A${s.row}`).font = { name: FONT, size: 13, bold: true };
  s.row += 1;
  table(
    s,
    [H.no, H.name, H.unit, ...tailHeaders],
    heads.map((x, i) => [
      { value: i + 1, align: 'center' },
      { value: x.personName ?? '' },
      { value: x.unitName },
      ...tail(x),
    ]),
  );
  section(s, YEAR_REPORT_TEXT.sectionProvinceSummary, provinceSummaryLines(r));
  section(s, YEAR_REPORT_TEXT.sectionProvinceBasis, provinceBasisLines(r));
  closing(s, r);
  return bytes(wb);
}
