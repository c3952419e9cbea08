// The year-end evaluation reports as PDFs to print, sign and stamp (issue 8 point 5): (a) a unit's people and (b) a
// province's units and heads (activities/reports/year-end-model.ts). Laid out like the monthly unit report and the
// giao ban's documents as Vietnamese administrative documents per Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 portrait,
// margins 20/20/30/15 mm, the superior and issuing body top-left with a short rule, the national motto top-right,
// the number and the place and date lines, the title "BÁO CÁO" and the subject, the sections with the table of
// results (its header row repeated on every page), the signature block bottom-right and "Nơi nhận:" bottom-left;
// page numbers centred in the top margin from page 2 on. DejaVu Serif embedded as subsets; deterministic bytes
// (the creation date is the report's date at 00:00 Asia/Ho_Chi_Minh).
import PDFDocument from 'pdfkit';
import {
  dateLine,
  numberLine,
  REPORT_TEXT,
  recipientLines,
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
import {
  appealText,
  dutyText,
  levelText,
  type ProvinceYearEndReport,
  provinceBasisLines,
  provinceIntro,
  provinceParts,
  provinceRowNotes,
  provinceSubject,
  provinceSummaryLines,
  type ReportHeading,
  scoreText,
  type UnitYearEndReport,
  unitBasisLines,
  unitColumns,
  unitIntro,
  unitRows,
  unitSubject,
  unitSummaryLines,
  YEAR_REPORT_TEXT,
} from './year-end-model.ts';

const S = {
  ...DOCUMENT_STYLES,
  mark: { font: 'serifItalic', size: 12 },
  cell: { font: 'table', size: 8.5 },
  cellBold: { font: 'tableBold', size: 8.5 },
} as const satisfies Record<string, Style>;

/** The issuing body, the motto, the number and date lines, the title, subject and draft mark (ND 30 ô 1–5b). */
function header(doc: Doc, h: ReportHeading, subject: string, draft: boolean): number {
  const leftWidth = WIDTH * 0.4;
  const rightX = LEFT + leftWidth;
  const rightWidth = WIDTH - leftWidth;
  const top = MARGINS.top;
  let y = top;
  if (h.superiorBody) y = put(doc, upper(h.superiorBody), S.superior, LEFT, y, leftWidth, 'center');
  const body = upper(h.issuingBody);
  y = put(doc, body, S.body, LEFT, y, leftWidth, 'center');
  rule(doc, LEFT + leftWidth / 2, y + 2, Math.min(use(doc, S.body).widthOfString(body), leftWidth) / 3);
  const leftEnd = y + 2;
  let mottoSize: number = S.motto.size;
  while (
    mottoSize > 9 &&
    use(doc, { ...S.motto, size: mottoSize }).widthOfString(REPORT_TEXT.motto) > rightWidth
  )
    mottoSize -= 0.5;
  let r = put(doc, REPORT_TEXT.motto, { ...S.motto, size: mottoSize }, rightX, top, rightWidth, 'center');
  r = put(doc, REPORT_TEXT.slogan, S.slogan, rightX, r, rightWidth, 'center');
  rule(doc, rightX + rightWidth / 2, r + 2, use(doc, S.slogan).widthOfString(REPORT_TEXT.slogan));
  const lineY = Math.max(leftEnd, r + 2) + 8;
  const n = put(doc, numberLine(h.number, h.symbol), S.number, LEFT, lineY, leftWidth, 'center');
  const d = put(doc, dateLine(h.place, h.date), S.date, rightX, lineY, rightWidth, 'center');
  y = Math.max(n, d);
  y = put(doc, YEAR_REPORT_TEXT.title, S.title, LEFT, y + 22, WIDTH, 'center');
  const subjectWidth = WIDTH * 0.85;
  y = put(doc, subject, S.subject, LEFT + (WIDTH - subjectWidth) / 2, y + 2, subjectWidth, 'center');
  if (draft) y = put(doc, YEAR_REPORT_TEXT.draftMark, S.mark, LEFT, y + 2, WIDTH, 'center');
  rule(doc, LEFT + WIDTH / 2, y + 3, Math.min(use(doc, S.subject).widthOfString(subject), subjectWidth) / 3);
  return y + 14;
}

interface Column {
  title: string;
  /** 0: the remaining width. */
  width: number;
  align: Align;
}

/** A running document: headings, paragraphs and tables that move to the next page when they do not fit. */
class Flow {
  y: number;
  readonly doc: Doc;
  constructor(doc: Doc, y: number) {
    this.doc = doc;
    this.y = y;
  }
  private room(h: number) {
    if (this.y + h > BOTTOM) {
      this.doc.addPage();
      this.y = MARGINS.top;
    }
  }
  heading(text: string) {
    this.room(3 * 20);
    this.y = put(this.doc, text, S.heading, LEFT, this.y + 2, WIDTH) + 4;
  }
  paragraph(text: string, style: Style = S.text, indent = 28.35) {
    this.room(height(this.doc, text, style, WIDTH - indent));
    use(this.doc, style).text(text, LEFT, this.y, { width: WIDTH, align: 'justify', indent, lineGap: 2 });
    this.y = this.doc.y + 4;
  }
  table(columns: Column[], rows: string[][]) {
    const fixed = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => c.width || WIDTH - fixed);
    const pad = 3;
    const rowHeight = (cells: string[], style: Style) =>
      Math.max(...cells.map((t, i) => height(this.doc, t, style, widths[i]! - 2 * pad))) + 2 * pad;
    const draw = (cells: string[], style: Style, aligns: Align[]) => {
      const h = rowHeight(cells, style);
      let x = LEFT;
      this.doc.lineWidth(0.5);
      for (const [i, t] of cells.entries()) {
        this.doc.rect(x, this.y, widths[i]!, h).stroke();
        if (t !== '') put(this.doc, t, style, x + pad, this.y + pad, widths[i]! - 2 * pad, aligns[i]);
        x += widths[i]!;
      }
      this.y += h;
    };
    const head = columns.map((c) => c.title);
    const headAligns = columns.map(() => 'center' as Align);
    const aligns = columns.map((c) => c.align);
    this.room(rowHeight(head, S.cellBold) + (rows[0] ? rowHeight(rows[0], S.cell) : 0));
    draw(head, S.cellBold, headAligns);
    for (const r of rows) {
      if (this.y + rowHeight(r, S.cell) > BOTTOM) {
        this.doc.addPage();
        this.y = MARGINS.top;
        draw(head, S.cellBold, headAligns);
      }
      draw(r, S.cell, aligns);
    }
    this.y += 8;
  }
  /** The signature block (right) and the recipients (left), kept together on one page. */
  closing(h: ReportHeading) {
    const half = WIDTH / 2;
    const lines = recipientLines(h.recipients);
    const signLines = [upper(h.signer.title)].filter((l) => l !== '');
    const signHeight = signLines.reduce((s, l) => s + height(this.doc, l, S.signer, half), 0) + 80 + 20;
    const recHeight =
      height(this.doc, REPORT_TEXT.recipients, S.recipientsLabel, half) +
      lines.reduce((s, l) => s + height(this.doc, l, S.recipient, half - 10), 0);
    this.y += 6;
    this.room(Math.max(signHeight, recHeight));
    let sy = this.y;
    for (const l of signLines) sy = put(this.doc, l, S.signer, LEFT + half, sy, half, 'center');
    if (h.signer.name) put(this.doc, h.signer.name, S.signer, LEFT + half, sy + 80, half, 'center');
    let ry = put(this.doc, REPORT_TEXT.recipients, S.recipientsLabel, LEFT, this.y, half - 10);
    for (const l of lines) ry = put(this.doc, l, S.recipient, LEFT, ry, half - 10);
  }
}

function pageNumbers(doc: Doc) {
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    use(doc, S.page).text(String(i + 1), LEFT, MARGINS.top / 2 - 6, {
      width: WIDTH,
      align: 'center',
      lineBreak: false,
    });
  }
}

async function render(info: { title: string; author: string; date: string }, draw: (doc: Doc) => void) {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    autoFirstPage: false,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: info.title,
      Author: info.author,
      Subject: info.title,
      Creator: 'WOMS',
      Producer: 'WOMS (PDFKit)',
      CreationDate: new Date(`${info.date}T00:00:00+07:00`),
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
  draw(doc);
  pageNumbers(doc);
  doc.end();
  return done;
}

const H = YEAR_REPORT_TEXT.headers;

/** (a) The year-end evaluation of a unit's people. */
export function renderUnitYearEndPdf(r: UnitYearEndReport): Promise<Buffer> {
  const subject = unitSubject(r);
  return render(
    { title: `${YEAR_REPORT_TEXT.title} ${subject}`, author: r.issuingBody, date: r.date },
    (doc) => {
      const f = new Flow(doc, header(doc, r, subject, r.status === 'draft'));
      f.paragraph(unitIntro(r));
      f.heading(YEAR_REPORT_TEXT.sectionResults);
      const cols = unitColumns(r);
      const columns: Column[] = [
        { title: H.no, width: 24, align: 'center' },
        { title: H.name, width: 0, align: 'left' },
        { title: H.dutyGroup, width: 50, align: 'left' },
        { title: H.score, width: 46, align: 'right' },
        { title: H.level, width: 68, align: 'left' },
        ...(cols.party ? [{ title: H.partyLevel, width: 68, align: 'left' as Align }] : []),
        ...(cols.appeal ? [{ title: H.appeal, width: 68, align: 'left' as Align }] : []),
        { title: H.note, width: cols.party && cols.appeal ? 60 : 90, align: 'left' },
      ];
      const rows = unitRows(r).map((x, i) => [
        String(i + 1),
        x.name,
        dutyText(x.dutyGroup),
        scoreText(x.score, x.scoreSource),
        levelText(x.level),
        ...(cols.party
          ? [x.partyLevel === undefined ? YEAR_REPORT_TEXT.partyNone : levelText(x.partyLevel)]
          : []),
        ...(cols.appeal ? [appealText(x.appeal, x.level)] : []),
        x.notes.join('; '),
      ]);
      f.table(columns, rows);
      f.heading(YEAR_REPORT_TEXT.sectionSummary);
      for (const l of unitSummaryLines(r)) f.paragraph(l);
      f.heading(YEAR_REPORT_TEXT.sectionBasis);
      for (const l of unitBasisLines(r)) f.paragraph(l);
      f.closing(r);
    },
  );
}

/** (b) The year-end evaluation of a province's units (collectives) and their heads. */
export function renderProvinceYearEndPdf(r: ProvinceYearEndReport): Promise<Buffer> {
  const subject = provinceSubject(r);
  return render(
    { title: `${YEAR_REPORT_TEXT.title} ${subject}`, author: r.issuingBody, date: r.date },
    (doc) => {
      const f = new Flow(doc, header(doc, r, subject, r.status === 'draft'));
      f.paragraph(provinceIntro(r));
      const { collectives, heads, appeal } = provinceParts(r);
      const tail: Column[] = [
        { title: H.score, width: 46, align: 'right' },
        { title: H.level, width: 72, align: 'left' },
        ...(appeal ? [{ title: H.appeal, width: 72, align: 'left' as Align }] : []),
        { title: H.note, width: 100, align: 'left' },
      ];
      const tailCells = (x: (typeof r.rows)[number]) => [
        scoreText(x.score),
        levelText(x.level),
        ...(appeal ? [appealText(x.appeal, x.level)] : []),
        provinceRowNotes(x),
      ];
      f.heading(YEAR_REPORT_TEXT.sectionCollectives);
      f.table(
        [{ title: H.no, width: 24, align: 'center' }, { title: H.unit, width: 0, align: 'left' }, ...tail],
        collectives.map((x, i) => [String(i + 1), x.unitName, ...tailCells(x)]),
      );
      f.heading(YEAR_REPORT_TEXT.sectionHeads);
      f.table(
        [
          { title: H.no, width: 24, align: 'center' },
          { title: H.name, width: 0, align: 'left' },
          { title: H.unit, width: 80, align: 'left' },
          ...tail,
        ],
        heads.map((x, i) => [String(i + 1), x.personName ?? '', x.unitName, ...tailCells(x)]),
      );
      f.heading(YEAR_REPORT_TEXT.sectionProvinceSummary);
      for (const l of provinceSummaryLines(r)) f.paragraph(l);
      f.heading(YEAR_REPORT_TEXT.sectionProvinceBasis);
      for (const l of provinceBasisLines(r)) f.paragraph(l);
      f.closing(r);
    },
  );
}
