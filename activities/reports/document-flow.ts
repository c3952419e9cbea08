// A running administrative document (Nghị định 30/2020, Phụ lục I) for the renderers that lay out sections rather
// than one fixed page — the giao ban's dossier and minutes (giao-ban-pdf.ts) and the year-end reports
// (year-end-pdf.ts): headings, paragraphs and tables moving to the next page when they do not fit (a table's
// header row repeated on every page), the signature block with "Nơi nhận:" kept together, page numbers from page 2
// on, and the document itself with deterministic bytes (the creation date is the document's date at 00:00
// Asia/Ho_Chi_Minh).
import PDFDocument from 'pdfkit';
import { REPORT_TEXT, recipientLines } from '../../domain/report/monthly-unit-report.ts';
import { REPORT_FONTS } from './fonts.ts';
import {
  type Align,
  BOTTOM,
  type Doc,
  height,
  LEFT,
  MARGINS,
  put,
  DOCUMENT_STYLES as S,
  type Style,
  use,
  WIDTH,
} from './pdf-layout.ts';

export interface Column {
  title: string;
  /** 0: the remaining width. */
  width: number;
  align: Align;
}

/** A running document: headings, paragraphs and tables that move to the next page when they do not fit. */
export class DocumentFlow {
  y: number;
  readonly doc: Doc;
  readonly cells: { cell: Style; cellBold: Style };
  constructor(doc: Doc, y: number, cells: { cell: Style; cellBold: Style }) {
    this.doc = doc;
    this.y = y;
    this.cells = cells;
  }
  protected room(h: number) {
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
  /** A table with its header row repeated on every page. */
  table(columns: Column[], rows: string[][]) {
    const { cell, cellBold } = this.cells;
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
    this.room(rowHeight(head, cellBold) + (rows[0] ? rowHeight(rows[0], cell) : 0));
    draw(head, cellBold, headAligns);
    for (const r of rows) {
      if (this.y + rowHeight(r, cell) > BOTTOM) {
        this.doc.addPage();
        this.y = MARGINS.top;
        draw(head, cellBold, headAligns);
      }
      draw(r, cell, aligns);
    }
    this.y += 8;
  }
  /** The signature block (right) and the recipients (left), kept together on one page. */
  closing(signLines: string[], name: string, recipients: string[]) {
    const half = WIDTH / 2;
    const lines = recipientLines(recipients);
    const signHeight = signLines.reduce((s, l) => s + height(this.doc, l, S.signer, half), 0) + 80 + 20;
    const recHeight =
      height(this.doc, REPORT_TEXT.recipients, S.recipientsLabel, half) +
      lines.reduce((s, l) => s + height(this.doc, l, S.recipient, half - 10), 0);
    this.y += 6;
    this.room(Math.max(signHeight, recHeight));
    let sy = this.y;
    for (const l of signLines) sy = put(this.doc, l, S.signer, LEFT + half, sy, half, 'center');
    if (name) put(this.doc, name, S.signer, LEFT + half, sy + 80, half, 'center');
    let ry = put(this.doc, REPORT_TEXT.recipients, S.recipientsLabel, LEFT, this.y, half - 10);
    for (const l of lines) ry = put(this.doc, l, S.recipient, LEFT, ry, half - 10);
  }
}

/** Page numbers from page 2 on, centred in the top margin (ND 30: the first page shows none). */
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

/** An A4 document with the report fonts: `draw` lays out its pages, then the page numbers are added. */
export async function renderDocument(
  info: { title: string; author: string; date: string },
  draw: (doc: Doc) => void,
): Promise<Buffer> {
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
