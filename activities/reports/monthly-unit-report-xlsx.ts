// The Excel twin of the monthly unit report (activities/reports/monthly-unit-report-pdf.ts): the same header
// lines (issuing body, national motto, number, place and date, title, subject), one table with the same rows
// (numbers as typed numeric cells with number formats, attainment as a ratio formatted as a percentage),
// the header row frozen and repeated on printed pages, then the summary and the signer.
import ExcelJS from 'exceljs';
import { fillTemplate } from '../../domain/format/template.ts';
import type { DecimalString } from '../../domain/plan/model.ts';
import {
  dateLine,
  type MonthlyUnitReport,
  narrativeParagraphs,
  numberLine,
  QUARTER_TEXT,
  REPORT_TEXT,
  recipientLines,
  reportLines,
  STATUS_TEXT,
  subjectLine,
  summaryLines,
  tableHeaders,
  upper,
} from '../../domain/report/monthly-unit-report.ts';

const FONT = 'Times New Roman';
const COLUMNS: { key: keyof typeof REPORT_TEXT.headers; width: number }[] = [
  { key: 'no', width: 7 },
  { key: 'keyResult', width: 52 },
  { key: 'unit', width: 12 },
  { key: 'monthTarget', width: 14 },
  { key: 'verified', width: 16 },
  { key: 'yearToDate', width: 16 },
  { key: 'attainment', width: 10 },
  { key: 'status', width: 16 },
  { key: 'note', width: 26 },
];
const LAST_COLUMN = 'I';
/** The table's header row (frozen; the rows above it are the document's heading). */
export const XLSX_HEADER_ROW = 8;

/** The number format of a value: as many decimals as it has, at most 2 (the same as the PDF). */
function numberFormat(value: DecimalString): string {
  const decimals = Math.min((value.split('.')[1] ?? '').length, 2);
  return decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
}

function numeric(cell: ExcelJS.Cell, value: DecimalString | null) {
  if (value === null) return;
  cell.value = Number(value);
  cell.numFmt = numberFormat(value);
}

const thin: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

export async function renderMonthlyUnitReportXlsx(report: MonthlyUnitReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const instant = new Date(`${report.date}T00:00:00+07:00`);
  wb.creator = 'WOMS';
  wb.lastModifiedBy = 'WOMS';
  wb.created = instant;
  wb.modified = instant;
  wb.title = fillTemplate('{title} {subject}', { title: REPORT_TEXT.title, subject: subjectLine(report) });
  const month = String(report.period.month).padStart(2, '0');
  const sheet =
    report.period.quarter === undefined
      ? fillTemplate('Báo cáo {month}-{year}', { month, year: report.period.year })
      : fillTemplate('Báo cáo quý {quarter}-{year}', {
          quarter: report.period.quarter,
          year: report.period.year,
        });
  const ws = wb.addWorksheet(sheet, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: XLSX_HEADER_ROW, activeCell: `A${XLSX_HEADER_ROW + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${XLSX_HEADER_ROW}:${XLSX_HEADER_ROW}`,
      margins: { left: 1.18, right: 0.59, top: 0.79, bottom: 0.79, header: 0.3, footer: 0.3 },
    },
    properties: { defaultRowHeight: 18 },
  });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width }));

  const line = (row: number, from: string, to: string, text: string, font: Partial<ExcelJS.Font>) => {
    if (text === '') return;
    ws.mergeCells(`${from}${row}:${to}${row}`);
    const cell = ws.getCell(`${from}${row}`);
    cell.value = text;
    cell.font = { name: FONT, size: 13, ...font };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  };
  // The heading: issuing body (A–C) and national motto (D–I), as in the PDF.
  line(1, 'A', 'C', report.superiorBody ? upper(report.superiorBody) : '', {});
  line(1, 'D', LAST_COLUMN, REPORT_TEXT.motto, { bold: true });
  line(2, 'A', 'C', upper(report.issuingBody), { bold: true });
  line(2, 'D', LAST_COLUMN, REPORT_TEXT.slogan, { bold: true, underline: true });
  line(3, 'A', 'C', numberLine(report.number, report.symbol), {});
  line(3, 'D', LAST_COLUMN, dateLine(report.place, report.date), { italic: true });
  line(5, 'A', LAST_COLUMN, REPORT_TEXT.title, { bold: true, size: 14 });
  line(6, 'A', LAST_COLUMN, subjectLine(report), { bold: true });

  const header = ws.getRow(XLSX_HEADER_ROW);
  const headers = tableHeaders(report);
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = headers[c.key];
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = thin;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
  });
  header.height = 42;

  let r = XLSX_HEADER_ROW + 1;
  for (const l of reportLines(report)) {
    const row = ws.getRow(r);
    row.getCell(1).value = l.no;
    if (l.kind === 'keyResult') {
      const kr = l.row;
      row.getCell(2).value = kr.title;
      row.getCell(3).value = kr.unit;
      numeric(row.getCell(4), kr.monthTarget);
      if (kr.verifiedValue === null) {
        row.getCell(5).value = REPORT_TEXT.unverified;
        row.getCell(5).font = { name: FONT, size: 11, italic: true };
      } else numeric(row.getCell(5), kr.verifiedValue);
      numeric(row.getCell(6), kr.yearToDate);
      if (kr.attainment !== null) {
        row.getCell(7).value = Number(kr.attainment);
        row.getCell(7).numFmt = '0.0%';
      }
      if (kr.status !== null) row.getCell(8).value = STATUS_TEXT[kr.status];
      if (kr.note) row.getCell(9).value = kr.note;
    } else {
      row.getCell(2).value = l.title;
    }
    for (let c = 1; c <= COLUMNS.length; c++) {
      const cell = row.getCell(c);
      cell.border = thin;
      if (!(l.kind === 'keyResult' && c === 5 && l.row.verifiedValue === null)) {
        cell.font = { name: FONT, size: 11, bold: l.kind !== 'keyResult' };
      }
      cell.alignment = {
        vertical: 'top',
        wrapText: true,
        horizontal: c === 1 || c === 3 || c === 8 ? 'center' : c >= 4 && c <= 7 ? 'right' : 'left',
      };
    }
    r += 1;
  }

  // Summary and signer under the table.
  r += 1;
  ws.getCell(`A${r}`).value = REPORT_TEXT.sectionSummary;
  ws.getCell(`A${r}`).font = { name: FONT, size: 13, bold: true };
  const paragraph = (text: string) => {
    r += 1;
    ws.mergeCells(`A${r}:${LAST_COLUMN}${r}`);
    ws.getCell(`A${r}`).value = text;
    ws.getCell(`A${r}`).font = { name: FONT, size: 13 };
    ws.getCell(`A${r}`).alignment = { wrapText: true };
  };
  const quarterly = report.period.quarter !== undefined;
  for (const s of summaryLines(report.summary, quarterly)) paragraph(s);
  // A quarterly report: the unit's narrative (results, difficulties, next quarter's focus) under the summary.
  if (quarterly) {
    const sections: [string, string][] = [
      [REPORT_TEXT.sectionResults, report.narrative?.results ?? ''],
      [QUARTER_TEXT.sectionDifficulties, report.narrative?.difficulties ?? ''],
      [QUARTER_TEXT.sectionNextFocus, report.narrative?.nextFocus ?? ''],
    ];
    for (const [heading, text] of sections) {
      r += 2;
      ws.getCell(`A${r}`).value = heading;
      ws.getCell(`A${r}`).font = { name: FONT, size: 13, bold: true };
      for (const p of narrativeParagraphs(text)) paragraph(p);
    }
  }
  // Recipients (A–C) beside the signer (F–I), as in the PDF.
  r += 2;
  const closingRow = r;
  const recipient = (row: number, text: string, font: Partial<ExcelJS.Font>) => {
    ws.mergeCells(`A${row}:C${row}`);
    ws.getCell(`A${row}`).value = text;
    ws.getCell(`A${row}`).font = { name: FONT, ...font };
  };
  recipient(r, REPORT_TEXT.recipients, { size: 12, bold: true, italic: true });
  for (const l of recipientLines(report.recipients)) recipient(++r, l, { size: 11 });
  let s = closingRow;
  const signer = [report.signer.authority, report.signer.title].filter((t): t is string => !!t).map(upper);
  for (const t of signer) line(s++, 'F', LAST_COLUMN, t, { bold: true });
  line(s + 3, 'F', LAST_COLUMN, report.signer.name, { bold: true });

  const bytes = await wb.xlsx.writeBuffer();
  return Buffer.from(bytes as ArrayBuffer);
}
