// The monthly unit report as a PDF to print, sign and stamp (DESIGN §3), laid out as a Vietnamese
// administrative document per Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 portrait; margins top 20 mm,
// bottom 20 mm, left 30 mm, right 15 mm; the issuing body top-left (its superior above, the unit's name in
// bold below with a short rule), the national motto top-right (the motto in bold, the slogan in bold with a
// rule as long as it), the number and symbol under the body, place and date in italics under the motto, the
// title "BÁO CÁO" and the subject line, the table, the signature block bottom-right and "Nơi nhận:"
// bottom-left; page numbers centred in the top margin from page 2 on.
//
// Every text is set in DejaVu Serif (embedded as subsets), so every Vietnamese letter comes from the
// embedded font. The output is deterministic: the document's creation date is the report's date (00:00
// Asia/Ho_Chi_Minh) and pdfkit derives the file ID from the document info, so the same report gives the
// same bytes.
import PDFDocument from 'pdfkit';
import { fillTemplate } from '../../domain/format/template.ts';
import {
  dateLine,
  formatRatio,
  formatValue,
  introduction,
  type MonthlyUnitReport,
  narrativeParagraphs,
  numberLine,
  QUARTER_TEXT,
  REPORT_TEXT,
  type ReportLine,
  recipientLines,
  reportLines,
  STATUS_TEXT,
  subjectLine,
  summaryLines,
  tableHeaders,
  upper,
} from '../../domain/report/monthly-unit-report.ts';
import { REPORT_FONTS } from './fonts.ts';
import {
  type Align,
  BOTTOM,
  DOCUMENT_STYLES,
  type Doc,
  height,
  LEFT,
  MARGINS,
  put,
  rule,
  type Style,
  use,
  WIDTH,
} from './pdf-layout.ts';

export { REPORT_MARGINS_MM } from './pdf-layout.ts';

const S = {
  ...DOCUMENT_STYLES,
  cell: { font: 'table', size: 8.5 },
  cellBold: { font: 'tableBold', size: 8.5 },
  cellItalic: { font: 'tableItalic', size: 8.5 },
} as const satisfies Record<string, Style>;

/** The two header columns (ND 30 Phụ lục I, ô 1–5). Answers the y below them. */
function header(doc: Doc, report: MonthlyUnitReport): number {
  const leftWidth = WIDTH * 0.38;
  const rightX = LEFT + leftWidth;
  const rightWidth = WIDTH - leftWidth;
  const leftCentre = LEFT + leftWidth / 2;
  const rightCentre = rightX + rightWidth / 2;
  const top = MARGINS.top;

  // Issuing body: superior (upper case, regular), unit (upper case, bold), a rule a third of its line.
  let y = top;
  if (report.superiorBody) y = put(doc, upper(report.superiorBody), S.superior, LEFT, y, leftWidth, 'center');
  const body = upper(report.issuingBody);
  y = put(doc, body, S.body, LEFT, y, leftWidth, 'center');
  const bodyWidth = Math.min(use(doc, S.body).widthOfString(body), leftWidth);
  rule(doc, leftCentre, y + 2, bodyWidth / 3);
  const leftEnd = y + 2;

  // National motto: motto (bold, on one line: its size shrinks to fit the column), slogan (bold) with a rule
  // as long as the slogan.
  let mottoSize: number = S.motto.size;
  while (
    mottoSize > 9 &&
    use(doc, { ...S.motto, size: mottoSize }).widthOfString(REPORT_TEXT.motto) > rightWidth
  )
    mottoSize -= 0.5;
  let r = put(doc, REPORT_TEXT.motto, { ...S.motto, size: mottoSize }, rightX, top, rightWidth, 'center');
  r = put(doc, REPORT_TEXT.slogan, S.slogan, rightX, r, rightWidth, 'center');
  const sloganWidth = use(doc, S.slogan).widthOfString(REPORT_TEXT.slogan);
  rule(doc, rightCentre, r + 2, sloganWidth);
  const rightEnd = r + 2;

  // Number and symbol under the body; place and date (italics) under the motto, on one line.
  const lineY = Math.max(leftEnd, rightEnd) + 8;
  const numberEnd = put(
    doc,
    numberLine(report.number, report.symbol),
    S.number,
    LEFT,
    lineY,
    leftWidth,
    'center',
  );
  const dateEnd = put(doc, dateLine(report.place, report.date), S.date, rightX, lineY, rightWidth, 'center');
  return Math.max(numberEnd, dateEnd);
}

/** Title and subject (ô 5b), centred, with a short rule under the subject. */
function title(doc: Doc, report: MonthlyUnitReport, y0: number): number {
  let y = put(doc, REPORT_TEXT.title, S.title, LEFT, y0 + 22, WIDTH, 'center');
  const subjectWidth = WIDTH * 0.8;
  y = put(
    doc,
    subjectLine(report),
    S.subject,
    LEFT + (WIDTH - subjectWidth) / 2,
    y + 2,
    subjectWidth,
    'center',
  );
  const subject = Math.min(use(doc, S.subject).widthOfString(subjectLine(report)), subjectWidth);
  rule(doc, LEFT + WIDTH / 2, y + 3, subject / 3);
  return y + 14;
}

function paragraph(doc: Doc, text: string, y: number, style: Style = S.text): number {
  use(doc, style).text(text, LEFT, y, { width: WIDTH, align: 'justify', indent: 1 * 28.35, lineGap: 2 });
  return doc.y + 4;
}

// The table.
interface Column {
  key: keyof typeof REPORT_TEXT.headers;
  width: number;
  align: Align;
}
const COLUMN_WIDTHS: [Column['key'], number, Align][] = [
  ['no', 25, 'center'],
  ['keyResult', 113, 'left'],
  ['unit', 36, 'center'],
  ['monthTarget', 50, 'right'],
  ['verified', 54, 'right'],
  ['yearToDate', 60, 'right'],
  ['attainment', 40, 'right'],
  ['status', 44, 'center'],
  ['note', 0, 'left'],
];
const COLUMNS: Column[] = (() => {
  const fixed = COLUMN_WIDTHS.reduce((s, [, w]) => s + w, 0);
  return COLUMN_WIDTHS.map(([key, width, align]) => ({ key, width: width || WIDTH - fixed, align }));
})();
const PAD = 3;

interface Cell {
  text: string;
  style: Style;
  align: Align;
  width: number;
  x: number;
}

function cellsOf(line: ReportLine): Cell[] {
  let x = LEFT;
  const at = (i: number) => {
    const c = COLUMNS[i]!;
    const cx = x;
    x += c.width;
    return { x: cx, width: c.width, align: c.align };
  };
  if (line.kind !== 'keyResult') {
    const style = S.cellBold;
    const no = { text: line.no, style, ...at(0) };
    const rest = COLUMNS.slice(1).reduce((s, c) => s + c.width, 0);
    return [no, { text: line.title, style, x, width: rest, align: 'left' }];
  }
  const r = line.row;
  const values: string[] = [
    line.no,
    r.title,
    r.unit,
    formatValue(r.monthTarget),
    r.verifiedValue === null ? REPORT_TEXT.unverified : formatValue(r.verifiedValue),
    formatValue(r.yearToDate),
    formatRatio(r.attainment),
    r.status === null ? '' : STATUS_TEXT[r.status],
    r.note ?? '',
  ];
  return values.map((text, i) => ({
    text,
    style: i === 4 && r.verifiedValue === null ? S.cellItalic : S.cell,
    ...at(i),
  }));
}

function headerCells(report: MonthlyUnitReport): Cell[] {
  const headers = tableHeaders(report);
  let x = LEFT;
  return COLUMNS.map((c) => {
    const cell = {
      text: headers[c.key],
      style: S.cellBold,
      align: 'center' as Align,
      width: c.width,
      x,
    };
    x += c.width;
    return cell;
  });
}

function rowHeight(doc: Doc, cells: Cell[]): number {
  return Math.max(...cells.map((c) => height(doc, c.text, c.style, c.width - 2 * PAD))) + 2 * PAD;
}

function drawRow(doc: Doc, cells: Cell[], y: number, h: number) {
  doc.lineWidth(0.5);
  for (const c of cells) {
    doc.rect(c.x, y, c.width, h).stroke();
    if (c.text !== '') put(doc, c.text, c.style, c.x + PAD, y + PAD, c.width - 2 * PAD, c.align);
  }
}

function newPage(doc: Doc): number {
  doc.addPage();
  return MARGINS.top;
}

/** Draws the table, repeating its header row on every page; answers the y below it. */
function table(doc: Doc, report: MonthlyUnitReport, y0: number): number {
  const head = headerCells(report);
  const headHeight = rowHeight(doc, head);
  let y = y0;
  const lines = reportLines(report);
  const first = lines[0] ? rowHeight(doc, cellsOf(lines[0])) : 0;
  if (y + headHeight + first > BOTTOM) y = newPage(doc);
  drawRow(doc, head, y, headHeight);
  y += headHeight;
  const heights = lines.map((line) => rowHeight(doc, cellsOf(line)));
  for (const [i, line] of lines.entries()) {
    const cells = cellsOf(line);
    const h = heights[i]!;
    // A perspective or task row stays with the rows under it down to its first key result.
    let keep = h;
    for (let j = i + 1; line.kind !== 'keyResult' && j < lines.length; j++) {
      keep += heights[j]!;
      if (lines[j]!.kind === 'keyResult') break;
    }
    if (y + keep > BOTTOM) {
      y = newPage(doc);
      drawRow(doc, head, y, headHeight);
      y += headHeight;
    }
    drawRow(doc, cells, y, h);
    y += h;
  }
  return y + 10;
}

/** The signature block (right) and the recipients (left), side by side; kept together on one page. */
function closing(doc: Doc, report: MonthlyUnitReport, y0: number): number {
  const half = WIDTH / 2;
  const signX = LEFT + half;
  const signLines = [report.signer.authority, report.signer.title].filter(
    (s): s is string => s !== undefined && s !== '',
  );
  const recipients = recipientLines(report.recipients);
  const signHeight =
    signLines.reduce((s, l) => s + height(doc, upper(l), S.signer, half), 0) +
    80 +
    height(doc, report.signer.name, S.signer, half);
  const recipientsHeight =
    height(doc, REPORT_TEXT.recipients, S.recipientsLabel, half) +
    recipients.reduce((s, l) => s + height(doc, l, S.recipient, half - 10), 0);
  let y = y0 + 6;
  if (y + Math.max(signHeight, recipientsHeight) > BOTTOM) y = newPage(doc);

  let sy = y;
  for (const l of signLines) sy = put(doc, upper(l), S.signer, signX, sy, half, 'center');
  sy = put(doc, report.signer.name, S.signer, signX, sy + 80, half, 'center');

  let ry = put(doc, REPORT_TEXT.recipients, S.recipientsLabel, LEFT, y, half - 10);
  for (const l of recipients) ry = put(doc, l, S.recipient, LEFT, ry, half - 10);
  return Math.max(sy, ry);
}

/** Page numbers from page 2 on, centred in the top margin (ND 30: the first page shows none). */
function pageNumbers(doc: Doc) {
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const text = fillTemplate(REPORT_TEXT.pageNumber, { page: i + 1 });
    use(doc, S.page).text(text, LEFT, MARGINS.top / 2 - 6, {
      width: WIDTH,
      align: 'center',
      lineBreak: false,
    });
  }
}

/** Midnight of the report's date in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
function reportInstant(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

export function renderMonthlyUnitReportPdf(report: MonthlyUnitReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    autoFirstPage: false,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: fillTemplate('{title} {subject}', { title: REPORT_TEXT.title, subject: subjectLine(report) }),
      Author: report.issuingBody,
      Subject: subjectLine(report),
      Creator: 'WOMS',
      Producer: 'WOMS (PDFKit)',
      CreationDate: reportInstant(report.date),
    },
  });
  for (const [name, file] of Object.entries(REPORT_FONTS)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.addPage();
  let y = header(doc, report);
  y = title(doc, report, y);
  y = paragraph(doc, introduction(report), y);
  const quarterly = report.period.quarter !== undefined;
  /** A heading and its paragraphs, a paragraph moved to the next page when it does not fit. */
  const section = (heading: string, lines: string[]) => {
    if (y + 3 * 20 > BOTTOM) y = newPage(doc);
    y = put(doc, heading, S.heading, LEFT, y, WIDTH) + 4;
    for (const line of lines) {
      if (y + height(doc, line, S.text, WIDTH) > BOTTOM) y = newPage(doc);
      y = paragraph(doc, line, y);
    }
  };
  y = put(doc, REPORT_TEXT.sectionResults, S.heading, LEFT, y + 2, WIDTH) + 6;
  // A quarterly report: the unit's own account of the quarter's results before the table.
  for (const line of narrativeParagraphs(report.narrative?.results ?? '')) {
    if (y + height(doc, line, S.text, WIDTH) > BOTTOM) y = newPage(doc);
    y = paragraph(doc, line, y);
  }
  y = table(doc, report, y);
  section(REPORT_TEXT.sectionSummary, summaryLines(report.summary, quarterly));
  if (quarterly) {
    section(QUARTER_TEXT.sectionDifficulties, narrativeParagraphs(report.narrative?.difficulties ?? ''));
    section(QUARTER_TEXT.sectionNextFocus, narrativeParagraphs(report.narrative?.nextFocus ?? ''));
  }
  closing(doc, report, y + 6);
  pageNumbers(doc);
  doc.end();
  return done;
}
