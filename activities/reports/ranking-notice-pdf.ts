// The written notice of a person's year-end ranking (issue 8 point 4) as a PDF to print: laid out as a
// Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I; activities/reports/pdf-layout.ts):
// the issuing unit top-left with a short rule, the national motto top-right, the place and date line, the title
// "THÔNG BÁO" and its subject, then the person, unit, year, score and level, the rule set and its legal basis,
// the engine's explanation and every failed gate in plain Vietnamese, and the appeal window with its last day.
// DejaVu Serif embedded; deterministic bytes (the creation date is the notice's day at 00:00 Asia/Ho_Chi_Minh).
import PDFDocument from 'pdfkit';
import { dateLine, REPORT_TEXT, upper } from '../../domain/report/monthly-unit-report.ts';
import { REPORT_FONTS } from './fonts.ts';
import {
  BOTTOM,
  type Doc,
  height,
  LEFT,
  MARGINS,
  put,
  rule,
  DOCUMENT_STYLES as S,
  type Style,
  use,
  WIDTH,
} from './pdf-layout.ts';

export interface RankingNoticeDoc {
  issuingBody: string;
  place: string;
  /** yyyy-mm-dd: the notice's day. */
  issuedOn: string;
  personName: string;
  unitName: string;
  year: number;
  track: 'state' | 'party';
  /** "92,50" or null without a score. */
  score: string | null;
  levelVi: string;
  ruleSetTitle: string;
  legalBasis: string[];
  steps: string[];
  gateFailures: string[];
  forcedBy: string[];
  /** yyyy-mm-dd: the last day of the appeal window. */
  appealUntil: string;
  appealWorkingDays: number;
  /** The decided appeal, when there is one. */
  appeal?: { outcomeVi: string; decisionNumber: string; decidedOn: string } | undefined;
}

const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

export function renderRankingNoticePdf(n: RankingNoticeDoc): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    autoFirstPage: false,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `Thông báo kết quả xếp loại năm ${n.year} — ${n.personName}`,
      Author: n.issuingBody,
      Creator: 'WOMS',
      Producer: 'WOMS (PDFKit)',
      CreationDate: new Date(`${n.issuedOn}T00:00:00+07:00`),
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
  draw(doc, n);
  doc.end();
  return done;
}

function draw(doc: Doc, n: RankingNoticeDoc) {
  const leftWidth = WIDTH * 0.42;
  const rightX = LEFT + leftWidth;
  const rightWidth = WIDTH - leftWidth;
  const top = MARGINS.top;
  const body = upper(n.issuingBody);
  let y = put(doc, body, S.body, LEFT, top, leftWidth, 'center');
  rule(doc, LEFT + leftWidth / 2, y + 2, Math.min(use(doc, S.body).widthOfString(body), leftWidth) / 3);
  let mottoSize: number = S.motto.size;
  while (
    mottoSize > 9 &&
    use(doc, { ...S.motto, size: mottoSize }).widthOfString(REPORT_TEXT.motto) > rightWidth
  )
    mottoSize -= 0.5;
  let r = put(doc, REPORT_TEXT.motto, { ...S.motto, size: mottoSize }, rightX, top, rightWidth, 'center');
  r = put(doc, REPORT_TEXT.slogan, S.slogan, rightX, r, rightWidth, 'center');
  rule(doc, rightX + rightWidth / 2, r + 2, use(doc, S.slogan).widthOfString(REPORT_TEXT.slogan));
  y = Math.max(y, r) + 10;
  y = put(doc, dateLine(n.place, n.issuedOn), S.date, rightX, y, rightWidth, 'center');
  y = put(doc, 'THÔNG BÁO', S.title, LEFT, y + 22, WIDTH, 'center');
  const subject =
    n.track === 'party'
      ? `Kết quả đánh giá, xếp loại chất lượng đảng viên năm ${n.year}`
      : `Kết quả đánh giá, xếp loại chất lượng năm ${n.year}`;
  y = put(doc, subject, S.subject, LEFT, y + 2, WIDTH, 'center');
  rule(doc, LEFT + WIDTH / 2, y + 3, use(doc, S.subject).widthOfString(subject) / 3);
  y += 16;
  const para = (text: string, style: Style = S.text, indent = 28.35) => {
    if (y + height(doc, text, style, WIDTH - indent) > BOTTOM) {
      doc.addPage();
      y = MARGINS.top;
    }
    use(doc, style).text(text, LEFT, y, { width: WIDTH, align: 'justify', indent, lineGap: 2 });
    y = doc.y + 4;
  };
  para(`Họ và tên: ${n.personName}`);
  para(`Cơ quan, đơn vị: ${n.unitName}`);
  para(`Năm đánh giá: ${n.year}`);
  para(`Điểm đánh giá: ${n.score ?? 'chưa có điểm'}`);
  para(`Mức xếp loại: ${n.levelVi}`, S.heading);
  // the legal basis usually names the rule set's own instrument first: then it is not repeated in brackets
  const basis = n.legalBasis.some((b) => b.startsWith(n.ruleSetTitle))
    ? n.legalBasis.join('; ')
    : `${n.ruleSetTitle}${n.legalBasis.length ? ` (${n.legalBasis.join('; ')})` : ''}`;
  para(`Căn cứ: ${basis}.`);
  if (n.steps.length) {
    para('Giải thích kết quả:', S.heading);
    for (const s of n.steps) para(`- ${s}`);
  }
  if (n.forcedBy.length) for (const s of n.forcedBy) para(`- ${s}`);
  if (n.gateFailures.length) {
    para('Các điều kiện chưa đạt:', S.heading);
    for (const s of n.gateFailures) para(`- ${s}`);
  }
  para(
    `Trường hợp không đồng ý với kết quả xếp loại, đồng chí có quyền kiến nghị lên cấp trên trong thời hạn ${n.appealWorkingDays} ngày làm việc kể từ ngày nhận thông báo, hạn cuối ngày ${dmy(n.appealUntil)}.`,
  );
  if (n.appeal)
    para(
      `Kết quả giải quyết kiến nghị: ${n.appeal.outcomeVi} (Quyết định số ${n.appeal.decisionNumber} ngày ${dmy(n.appeal.decidedOn)}).`,
      S.heading,
    );
}
