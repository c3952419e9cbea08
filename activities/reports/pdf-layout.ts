// The page and type of the administrative documents the reports render (Nghị định 30/2020: A4, margins 20/20/30/15
// mm, Times-like serif at 12–14 pt): geometry, the styles every document shares, and the small layout primitives
// of pdfkit the renderers build on (activities/reports/monthly-unit-report-pdf.ts, document-flow.ts).
import type { ReportFont } from './fonts.ts';

const MM = 72 / 25.4;
/** A4 in points. */
const PAGE = { width: 595.28, height: 841.89 } as const;
export const REPORT_MARGINS_MM = { top: 20, bottom: 20, left: 30, right: 15 } as const;
export const MARGINS = {
  top: REPORT_MARGINS_MM.top * MM,
  bottom: REPORT_MARGINS_MM.bottom * MM,
  left: REPORT_MARGINS_MM.left * MM,
  right: REPORT_MARGINS_MM.right * MM,
};
export const LEFT = MARGINS.left;
export const WIDTH = PAGE.width - MARGINS.left - MARGINS.right;
export const BOTTOM = PAGE.height - MARGINS.bottom;

export type Doc = PDFKit.PDFDocument;
export type Align = 'left' | 'center' | 'right' | 'justify';

export interface Style {
  font: ReportFont;
  size: number;
}

/** The heading, text and signature styles of every document (ND 30 Phụ lục I); tables add their own cells. */
export const DOCUMENT_STYLES = {
  superior: { font: 'serif', size: 12 },
  body: { font: 'serifBold', size: 12 },
  motto: { font: 'serifBold', size: 12 },
  slogan: { font: 'serifBold', size: 13 },
  number: { font: 'serif', size: 13 },
  date: { font: 'serifItalic', size: 13 },
  title: { font: 'serifBold', size: 14 },
  subject: { font: 'serifBold', size: 13 },
  text: { font: 'serif', size: 13 },
  heading: { font: 'serifBold', size: 13 },
  signer: { font: 'serifBold', size: 13 },
  recipientsLabel: { font: 'serifBoldItalic', size: 12 },
  recipient: { font: 'serif', size: 11 },
  page: { font: 'serif', size: 13 },
} as const satisfies Record<string, Style>;

export function use(doc: Doc, style: Style): Doc {
  return doc.font(style.font).fontSize(style.size);
}

/** Writes `text` in a box; answers the y below it. */
export function put(
  doc: Doc,
  text: string,
  style: Style,
  x: number,
  y: number,
  width: number,
  align: Align = 'left',
) {
  use(doc, style).text(text, x, y, { width, align, lineGap: 1 });
  return doc.y;
}

export function height(doc: Doc, text: string, style: Style, width: number): number {
  return use(doc, style).heightOfString(text, { width, lineGap: 1 });
}

/** A horizontal rule centred on `xCentre`. */
export function rule(doc: Doc, xCentre: number, y: number, length: number) {
  doc
    .moveTo(xCentre - length / 2, y)
    .lineTo(xCentre + length / 2, y)
    .lineWidth(0.6)
    .stroke();
}
