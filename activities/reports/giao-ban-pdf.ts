import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { formatDate } from '../../domain/format/index.ts';
import { fillTemplate } from '../../domain/format/template.ts';
import {
  type CompletionLevel,
  type GiaoBanAgenda,
  type GiaoBanMinutes,
  parseSessionKey,
  type UnitDossier,
  type YearReview,
} from '../../domain/giao-ban/model.ts';
import {
  dateLine,
  formatRatio,
  formatValue,
  numberLine,
  PERSPECTIVE_TITLES,
  REPORT_TEXT,
  roman,
  upper,
} from '../../domain/report/monthly-unit-report.ts';
import { RANK_LABELS } from '../../domain/rulesets/types.ts';
import { DocumentFlow, renderDocument } from './document-flow.ts';
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

const S = {
  ...DOCUMENT_STYLES,
  italic: { font: 'serifItalic', size: 13 },
  cell: { font: 'table', size: 9.5 },
  cellBold: { font: 'tableBold', size: 9.5 },
} as const satisfies Record<string, Style>;

/** The documents' fixed texts (whole sentences with named parameters). */
export const GIAO_BAN_TEXT = {
  quarterSession: 'phiên giao ban quý {quarter} năm {year}',
  yearSession: 'hội nghị tổng kết năm {year}',
  dossierTitle: 'HỒ SƠ GIAO BAN',
  dossierSubject: '{unit} - {session}',
  dossierSymbol: 'HSGB',
  dossierIntro:
    'Hồ sơ được lập ngày {date} từ số liệu đã được xác nhận trên hệ thống, phục vụ {session} ngày {sessionDate}.',
  agenda: 'I. CHƯƠNG TRÌNH GIAO BAN',
  agendaLine: '{order}. {unit} - báo cáo quý: {status}',
  report: 'II. BÁO CÁO QUÝ CỦA ĐƠN VỊ',
  reportSent: 'Báo cáo {period} đã gửi ngày {sentOn} (hạn {due}).',
  reportLate: 'Báo cáo {period} gửi muộn ngày {sentOn} (hạn {due}).',
  reportMissing: 'Chưa gửi báo cáo {period} (hạn {due}).',
  scorecard: 'III. BẢNG ĐIỂM',
  overall: 'Điểm hoàn thành chung',
  noScore: 'Chưa có số liệu',
  redFlags: 'IV. CÁC VẤN ĐỀ CẦN LƯU Ý',
  none: 'Không có.',
  overdue: 'V. VIỆC QUÁ HẠN',
  individualCount: 'Số việc quá hạn của cán bộ, công chức trong đơn vị: {count}.',
  unitLevelItem: '- {title}: hạn {due}{escalated}.',
  escalated: ', đã chuyển cấp {level}',
  forecast: 'VI. DỰ BÁO CUỐI NĂM',
  directions: 'VII. THỰC HIỆN KẾT LUẬN CÁC PHIÊN TRƯỚC',
  directionLine: '{no}. {text} ({session}{due}): {status}{note}',
  directionDue: ', hạn {due}',
  yearResults: 'VIII. KẾT QUẢ NĂM {year} CỦA CÁC ĐƠN VỊ',
  yearResultsIntro:
    'Điểm (0-100) tính từ số liệu đã được xác nhận đến hết tháng {through}, theo cùng cách tính của bảng điều hành.',
  yearUnitColumn: 'Đơn vị',
  yearRankings: 'IX. KẾT QUẢ XẾP LOẠI NĂM {year}',
  yearRankingsNotDecided:
    'Kết quả xếp loại năm {year} chưa được quyết định; kết quả sẽ được công bố khi có quyết định xếp loại.',
  yearRankingsIntro: 'Kết quả xếp loại năm {year} đã được quyết định và công bố:',
  rankingCollective: 'Tập thể',
  rankingIndividual: 'Cá nhân',
  minutesTitle: 'THÔNG BÁO',
  minutesSubject: 'Kết luận {session}',
  minutesSymbol: 'TB-GB',
  minutesIntro:
    'Ngày {sessionDate}, {province} tổ chức {session}. Trên cơ sở hồ sơ giao ban và ý kiến tại phiên họp, kết luận đối với từng đơn vị như sau:',
  completion: 'Mức độ hoàn thành: {level}.',
  planApproved: 'Kế hoạch quý tiếp theo của đơn vị: thống nhất thông qua.',
  planAdjusted: 'Kế hoạch quý tiếp theo của đơn vị: điều chỉnh - {note}',
  directionsLabel: 'Chỉ đạo:',
  directionItem: '{letter}) {text}{due}.',
  directionItemDue: ' (hạn {due})',
  signerDossier: 'THƯ KÝ GIAO BAN',
  signerMinutesAuthority: 'TM. THƯỜNG TRỰC GIAO BAN',
  signerMinutesTitle: 'THƯ KÝ GIAO BAN',
  recipientsDossier: ['Thành viên dự giao ban', 'Lưu: hồ sơ giao ban'],
  recipientsMinutes: ['Thường trực', 'Các đơn vị', 'Lưu: hồ sơ giao ban'],
} as const;

export const REPORT_STATUS_TEXT: Record<'sent' | 'late' | 'missing', string> = {
  sent: 'đã gửi đúng hạn',
  late: 'gửi muộn',
  missing: 'chưa gửi',
};

export const RED_FLAG_TEXT: Record<UnitDossier['redFlags'][number]['reason'], string> = {
  'forecast-miss': 'Dự báo không đạt chỉ tiêu',
  'behind-target': 'Chậm so với chỉ tiêu kỳ',
  returned: 'Số liệu bị trả lại',
  'not-reported': 'Đến hạn nhưng chưa báo cáo',
};

export const COMPLETION_TEXT: Record<CompletionLevel, string> = {
  excellent: 'Hoàn thành xuất sắc nhiệm vụ',
  good: 'Hoàn thành tốt nhiệm vụ',
  fulfilled: 'Hoàn thành nhiệm vụ',
  'not-fulfilled': 'Không hoàn thành nhiệm vụ',
};

export const DIRECTION_STATUS_TEXT = {
  open: 'chưa thực hiện',
  'in-progress': 'đang thực hiện',
  done: 'đã hoàn thành',
} as const;

/** "phiên giao ban quý I năm 2027" or "hội nghị tổng kết năm 2027". */
export function sessionName(session: string): string {
  const { year, quarter } = parseSessionKey(session);
  return quarter === null
    ? fillTemplate(GIAO_BAN_TEXT.yearSession, { year })
    : fillTemplate(GIAO_BAN_TEXT.quarterSession, { quarter: roman(quarter), year });
}

/** The place of the date line: the province's name without "Tỉnh"/"Thành phố". */
function placeOf(provinceName: string): string {
  return provinceName.replace(/^(Tỉnh ủy|Tỉnh|Thành phố|Thành ủy|UBND tỉnh)\s+/iu, '').trim() || provinceName;
}

const capitalised = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
const day = (d: string | null) => (d ? formatDate(d.slice(0, 10)) : '');
const instantDay = (iso: string) => vnLocalDate(new Date(iso).getTime());

interface Head {
  body: string;
  number: string | null;
  symbol: string;
  place: string;
  date: string;
  title: string;
  subject: string;
}

/** The issuing body, the motto, the number and date lines, the title and subject (ND 30 ô 1–5b). */
function header(doc: Doc, h: Head): number {
  const leftWidth = WIDTH * 0.38;
  const rightX = LEFT + leftWidth;
  const rightWidth = WIDTH - leftWidth;
  const top = MARGINS.top;
  const body = upper(h.body);
  let y = put(doc, body, S.body, LEFT, top, leftWidth, 'center');
  const bodyWidth = Math.min(use(doc, S.body).widthOfString(body), leftWidth);
  rule(doc, LEFT + leftWidth / 2, y + 2, bodyWidth / 3);
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
  y = put(doc, h.title, S.title, LEFT, y + 22, WIDTH, 'center');
  const subjectWidth = WIDTH * 0.8;
  y = put(doc, h.subject, S.subject, LEFT + (WIDTH - subjectWidth) / 2, y + 2, subjectWidth, 'center');
  rule(
    doc,
    LEFT + WIDTH / 2,
    y + 3,
    Math.min(use(doc, S.subject).widthOfString(h.subject), subjectWidth) / 3,
  );
  return y + 14;
}

const render = async (info: { title: string; author: string; date: string }, draw: (doc: Doc) => void) =>
  new Uint8Array(await renderDocument(info, draw));

const scoreText = (s: string | null) => (s === null ? GIAO_BAN_TEXT.noScore : formatValue(s));

/** A unit's dossier: the agenda, its quarterly report, scorecard, red flags, overdue items, forecast and the
 *  follow-up of earlier directions. */
export function renderUnitDossierPdf(d: UnitDossier, agenda: GiaoBanAgenda): Promise<Uint8Array> {
  const date = instantDay(d.builtAt);
  const session = sessionName(d.session);
  const subject = fillTemplate(GIAO_BAN_TEXT.dossierSubject, {
    unit: d.unit.name,
    session: capitalised(session),
  });
  return render(
    { title: `${GIAO_BAN_TEXT.dossierTitle} ${subject}`, author: agenda.provinceName, date },
    (doc) => {
      const f = new DocumentFlow(
        doc,
        header(doc, {
          body: agenda.provinceName,
          number: null,
          symbol: GIAO_BAN_TEXT.dossierSymbol,
          place: placeOf(agenda.provinceName),
          date,
          title: GIAO_BAN_TEXT.dossierTitle,
          subject,
        }),
        S,
      );
      f.paragraph(
        fillTemplate(GIAO_BAN_TEXT.dossierIntro, {
          date: day(date),
          session,
          sessionDate: day(agenda.sessionDate),
        }),
      );
      f.heading(GIAO_BAN_TEXT.agenda);
      for (const i of agenda.items)
        f.paragraph(
          fillTemplate(GIAO_BAN_TEXT.agendaLine, {
            order: i.order,
            unit: i.unitName,
            status: REPORT_STATUS_TEXT[i.reportStatus],
          }),
          i.unitId === d.unit.id ? S.heading : S.text,
        );

      f.heading(GIAO_BAN_TEXT.report);
      const r = d.report;
      const params = {
        period: r.period,
        sentOn: r.sentAt ? day(instantDay(r.sentAt)) : '',
        due: day(r.dueDate),
      };
      f.paragraph(
        fillTemplate(
          r.status === 'sent'
            ? GIAO_BAN_TEXT.reportSent
            : r.status === 'late'
              ? GIAO_BAN_TEXT.reportLate
              : GIAO_BAN_TEXT.reportMissing,
          params,
        ),
      );

      f.heading(GIAO_BAN_TEXT.scorecard);
      f.table(
        [
          { title: 'STT', width: 30, align: 'center' },
          { title: 'Nội dung', width: 0, align: 'left' },
          { title: 'Điểm (0-100)', width: 90, align: 'right' },
        ],
        [
          ...d.scorecard.perspectives.map((p, i) => [
            roman(i + 1),
            PERSPECTIVE_TITLES[p.perspective],
            scoreText(p.score),
          ]),
          ['', GIAO_BAN_TEXT.overall, scoreText(d.scorecard.overall)],
        ],
      );

      f.heading(GIAO_BAN_TEXT.redFlags);
      if (!d.redFlags.length) f.paragraph(GIAO_BAN_TEXT.none);
      else
        f.table(
          [
            { title: 'STT', width: 30, align: 'center' },
            { title: 'Mục tiêu then chốt', width: 125, align: 'left' },
            { title: 'Vấn đề', width: 125, align: 'left' },
            { title: 'Chi tiết', width: 0, align: 'left' },
          ],
          d.redFlags.map((x, i) => [String(i + 1), x.title, RED_FLAG_TEXT[x.reason], x.detail]),
        );

      f.heading(GIAO_BAN_TEXT.overdue);
      f.paragraph(fillTemplate(GIAO_BAN_TEXT.individualCount, { count: d.overdue.individualCount }));
      for (const u of d.overdue.unitLevel)
        f.paragraph(
          fillTemplate(GIAO_BAN_TEXT.unitLevelItem, {
            title: u.title,
            due: day(u.dueDate),
            escalated:
              u.escalationLevel > 0
                ? fillTemplate(GIAO_BAN_TEXT.escalated, { level: u.escalationLevel })
                : '',
          }),
        );

      f.heading(GIAO_BAN_TEXT.forecast);
      if (!d.forecast.length) f.paragraph(GIAO_BAN_TEXT.none);
      else
        f.table(
          [
            { title: 'STT', width: 30, align: 'center' },
            { title: 'Mục tiêu then chốt', width: 0, align: 'left' },
            { title: 'Chỉ tiêu năm', width: 58, align: 'right' },
            { title: 'Dự báo (thấp)', width: 58, align: 'right' },
            { title: 'Dự báo', width: 58, align: 'right' },
            { title: 'Dự báo (cao)', width: 58, align: 'right' },
            { title: 'Khả năng không đạt', width: 58, align: 'right' },
          ],
          d.forecast.map((x, i) => [
            String(i + 1),
            x.title,
            formatValue(x.target),
            formatValue(x.p10),
            formatValue(x.p50),
            formatValue(x.p90),
            formatRatio(x.missProbability),
          ]),
        );

      f.heading(GIAO_BAN_TEXT.directions);
      if (!d.previousDirections.length) f.paragraph(GIAO_BAN_TEXT.none);
      for (const [i, x] of d.previousDirections.entries())
        f.paragraph(
          fillTemplate(GIAO_BAN_TEXT.directionLine, {
            no: i + 1,
            text: x.text,
            session: sessionName(x.session),
            due: x.dueDate ? fillTemplate(GIAO_BAN_TEXT.directionDue, { due: day(x.dueDate) }) : '',
            status: DIRECTION_STATUS_TEXT[x.status],
            note: x.note ? ` - ${x.note}` : '',
          }),
        );
      if (d.yearReview) yearReviewSections(f, d.yearReview);
      f.closing([GIAO_BAN_TEXT.signerDossier], '', [...GIAO_BAN_TEXT.recipientsDossier]);
    },
  );
}

/** The year-end review session's sections: every unit's year results, then the year's rankings (or that they are
 *  not decided yet). */
function yearReviewSections(f: DocumentFlow, y: YearReview) {
  const year = y.year;
  f.heading(fillTemplate(GIAO_BAN_TEXT.yearResults, { year }));
  f.paragraph(
    fillTemplate(GIAO_BAN_TEXT.yearResultsIntro, {
      through: `${Number(y.through.slice(5, 7))}/${y.through.slice(0, 4)}`,
    }),
  );
  const perspectives = y.results[0]?.perspectives.map((p) => p.perspective) ?? [
    'citizens' as const,
    'budget' as const,
    'processes' as const,
    'learning' as const,
  ];
  f.table(
    [
      { title: 'STT', width: 26, align: 'center' },
      { title: GIAO_BAN_TEXT.yearUnitColumn, width: 0, align: 'left' },
      ...perspectives.map((p) => ({ title: PERSPECTIVE_TITLES[p], width: 62, align: 'right' as Align })),
      { title: GIAO_BAN_TEXT.overall, width: 58, align: 'right' },
    ],
    y.results.map((r, i) => [
      String(i + 1),
      r.unitName,
      ...perspectives.map((p) => scoreText(r.perspectives.find((x) => x.perspective === p)?.score ?? null)),
      scoreText(r.overall),
    ]),
  );
  f.heading(fillTemplate(GIAO_BAN_TEXT.yearRankings, { year }));
  if (y.rankings.status === 'not-decided') {
    f.paragraph(fillTemplate(GIAO_BAN_TEXT.yearRankingsNotDecided, { year }));
    return;
  }
  f.paragraph(fillTemplate(GIAO_BAN_TEXT.yearRankingsIntro, { year }));
  f.table(
    [
      { title: 'STT', width: 26, align: 'center' },
      { title: GIAO_BAN_TEXT.yearUnitColumn, width: 100, align: 'left' },
      { title: 'Tập thể, cá nhân', width: 0, align: 'left' },
      { title: 'Xếp loại', width: 150, align: 'left' },
      { title: 'Ngày quyết định', width: 62, align: 'center' },
    ],
    y.rankings.items.map((r, i) => [
      String(i + 1),
      r.unitName,
      `${r.subjectKind === 'collective' ? GIAO_BAN_TEXT.rankingCollective : GIAO_BAN_TEXT.rankingIndividual}: ${r.subjectName}`,
      RANK_LABELS[r.level]?.vi ?? r.level,
      day(r.decidedOn),
    ]),
  );
}

const LETTERS = 'abcdefghiklmnopqrstuvxy';

/** The minutes: the conclusion of each unit (completion level, summary, the next quarter plan decision, the
 *  directions) in the agenda's order. */
export function renderMinutesPdf(m: GiaoBanMinutes): Promise<Uint8Array> {
  const session = sessionName(m.session);
  const subject = fillTemplate(GIAO_BAN_TEXT.minutesSubject, { session });
  return render(
    { title: `${GIAO_BAN_TEXT.minutesTitle} ${subject}`, author: m.provinceName, date: m.publishedOn },
    (doc) => {
      const f = new DocumentFlow(
        doc,
        header(doc, {
          body: m.provinceName,
          number: null,
          symbol: GIAO_BAN_TEXT.minutesSymbol,
          place: placeOf(m.provinceName),
          date: m.publishedOn,
          title: GIAO_BAN_TEXT.minutesTitle,
          subject,
        }),
        S,
      );
      f.paragraph(
        fillTemplate(GIAO_BAN_TEXT.minutesIntro, {
          sessionDate: day(m.sessionDate),
          province: m.provinceName,
          session,
        }),
      );
      for (const [i, c] of m.conclusions.entries()) {
        f.heading(`${i + 1}. ${c.unitName}`);
        f.paragraph(fillTemplate(GIAO_BAN_TEXT.completion, { level: COMPLETION_TEXT[c.completionLevel] }));
        for (const line of c.summary
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean))
          f.paragraph(line);
        if (c.planDecision === 'approved') f.paragraph(GIAO_BAN_TEXT.planApproved);
        if (c.planDecision === 'adjusted')
          f.paragraph(fillTemplate(GIAO_BAN_TEXT.planAdjusted, { note: c.planNote ?? '' }));
        if (c.directions.length) {
          f.paragraph(GIAO_BAN_TEXT.directionsLabel, S.italic);
          for (const x of c.directions)
            f.paragraph(
              fillTemplate(GIAO_BAN_TEXT.directionItem, {
                letter: LETTERS[(x.ordinal - 1) % LETTERS.length] ?? String(x.ordinal),
                text: x.text.replace(/[.;\s]+$/u, ''),
                due: x.dueDate ? fillTemplate(GIAO_BAN_TEXT.directionItemDue, { due: day(x.dueDate) }) : '',
              }),
            );
        }
      }
      f.closing([GIAO_BAN_TEXT.signerMinutesAuthority, GIAO_BAN_TEXT.signerMinutesTitle], m.publishedBy, [
        ...GIAO_BAN_TEXT.recipientsMinutes,
      ]);
    },
  );
}
