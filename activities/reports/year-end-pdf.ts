import { dateLine, numberLine, REPORT_TEXT, upper } from '../../domain/report/monthly-unit-report.ts';
import { type Column, DocumentFlow, renderDocument } from './document-flow.ts';
import {
  type Align,
  DOCUMENT_STYLES,
  type Doc,
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

/** The signature block of a report: the signer's title (upper case) and name, and its recipients. */
function closing(f: DocumentFlow, h: ReportHeading) {
  f.closing(
    [upper(h.signer.title)].filter((l) => l !== ''),
    h.signer.name,
    h.recipients,
  );
}

const H = YEAR_REPORT_TEXT.headers;

/** (a) The year-end evaluation of a unit's people. */
export function renderUnitYearEndPdf(r: UnitYearEndReport): Promise<Buffer> {
  const subject = unitSubject(r);
  return renderDocument(
    { title: `${YEAR_REPORT_TEXT.title} ${subject}`, author: r.issuingBody, date: r.date },
    (doc) => {
      const f = new DocumentFlow(doc, header(doc, r, subject, r.status === 'draft'), S);
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
      closing(f, r);
    },
  );
}

/** (b) The year-end evaluation of a province's units (collectives) and their heads. */
export function renderProvinceYearEndPdf(r: ProvinceYearEndReport): Promise<Buffer> {
  const subject = provinceSubject(r);
  return renderDocument(
    { title: `${YEAR_REPORT_TEXT.title} ${subject}`, author: r.issuingBody, date: r.date },
    (doc) => {
      const f = new DocumentFlow(doc, header(doc, r, subject, r.status === 'draft'), S);
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
      closing(f, r);
    },
  );
}
