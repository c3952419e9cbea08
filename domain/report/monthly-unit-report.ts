// The monthly unit report (DESIGN §3 "The unit's monthly result is a report to print, sign and stamp"):
// a plain, serialisable model built from verified check-in values, rendered to PDF and Excel by
// activities/reports. Pure: no I/O, no clock. The document is Vietnamese (an administrative document
// per Nghị định 30/2020/NĐ-CP), so its fixed texts are Vietnamese only.
import type { LocalDate } from '../calendar/profile.ts';
import { formatNumber, formatPercent, isLocalDate } from '../format/index.ts';
import { fillTemplate } from '../format/template.ts';
import { type DecimalString, PERSPECTIVES, type Perspective } from '../plan/model.ts';

/** How a key result stands this month (traffic light). */
export const KEY_RESULT_STATUSES = ['on_track', 'at_risk', 'off_track'] as const;
export type KeyResultStatus = (typeof KEY_RESULT_STATUSES)[number];

export interface ReportKeyResultRow {
  /** Display number inside its task ("1.2"); the renderer numbers rows when absent. */
  code?: string;
  title: string;
  /** Unit of measure (đơn vị tính), e.g. "hồ sơ", "%", "lớp". */
  unit: string;
  monthTarget: DecimalString | null;
  /** The verified value of the month; null while the supervisor has not verified it. */
  verifiedValue: DecimalString | null;
  /** The year-to-date value by the key result's aggregation rule. */
  yearToDate: DecimalString | null;
  /** Attainment as a ratio (0.925 = 92,5%), already capped for display by the scoring rules. */
  attainment: DecimalString | null;
  status: KeyResultStatus | null;
  note?: string;
}

export interface ReportTask {
  title: string;
  keyResults: ReportKeyResultRow[];
}

export interface ReportPerspective {
  perspective: Perspective;
  tasks: ReportTask[];
}

export interface ReportSummary {
  keyResults: number;
  onTrack: number;
  atRisk: number;
  offTrack: number;
  /** Key results due this month whose value is not verified yet. */
  unverified: number;
  /** Plan completion (weighted, from domain/scoring) as a ratio; null when not computed. */
  completion: DecimalString | null;
}

export interface ReportSigner {
  /** The authority line: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", "Q. GIÁM ĐỐC"; absent when the head signs. */
  authority?: string;
  /** The signer's title: "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC". */
  title: string;
  name: string;
}

export interface MonthlyUnitReport {
  /** The issuing body's superior (cơ quan chủ quản), e.g. "Ủy ban nhân dân tỉnh Hưng Yên"; null for none. */
  superiorBody: string | null;
  /** The issuing body (cơ quan ban hành): the unit, e.g. "Sở Nội vụ". */
  issuingBody: string;
  /** The document number (số); null leaves a blank for the clerk to number it by hand. */
  number: string | null;
  /** The symbol (ký hiệu), e.g. "BC-SNV". */
  symbol: string;
  /** Place name (địa danh) of the date line, e.g. "Hưng Yên". */
  place: string;
  /** The date the report is issued (yyyy-mm-dd). */
  date: LocalDate;
  /** The month reported; for a quarterly report (`quarter` 1–4) the quarter's last month. */
  period: { year: number; month: number; quarter?: number };
  perspectives: ReportPerspective[];
  summary: ReportSummary;
  signer: ReportSigner;
  /** Nơi nhận, one recipient a line, e.g. "Văn phòng Tỉnh ủy", "Lưu: VT". */
  recipients: string[];
  /** The quarterly report's narrative, written by the unit (absent in a monthly report). */
  narrative?: ReportNarrative;
}

/** The three sections of a quarterly report the unit writes (plain text; paragraphs separated by new lines). */
export interface ReportNarrative {
  results: string;
  difficulties: string;
  nextFocus: string;
}

/** Vietnamese names of the four perspectives as printed in the report. */
export const PERSPECTIVE_TITLES: Record<Perspective, string> = {
  citizens: 'Đối tượng phục vụ',
  budget: 'Ngân sách và hiệu quả sử dụng nguồn lực',
  processes: 'Quy chế, quy trình nội bộ',
  learning: 'Học hỏi và phát triển',
};

export const STATUS_TEXT: Record<KeyResultStatus, string> = {
  on_track: 'Đúng tiến độ',
  at_risk: 'Có nguy cơ chậm',
  off_track: 'Chậm tiến độ',
};

/** Fixed texts of the document (whole sentences with named parameters). */
export const REPORT_TEXT = {
  motto: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  slogan: 'Độc lập - Tự do - Hạnh phúc',
  numberLine: 'Số: {number}/{symbol}',
  dateLine: '{place}, ngày {day} tháng {month} năm {year}',
  title: 'BÁO CÁO',
  subject: 'Kết quả thực hiện nhiệm vụ, mục tiêu then chốt tháng {month} năm {year}',
  introduction:
    'Căn cứ kế hoạch công tác năm {year} đã được phê duyệt, {unit} báo cáo kết quả thực hiện các mục tiêu then chốt tháng {month} năm {year} (số liệu đã được xác nhận) như sau:',
  sectionResults: 'I. KẾT QUẢ THỰC HIỆN',
  sectionSummary: 'II. TỔNG HỢP',
  summaryCount:
    'Tổng số mục tiêu then chốt đến kỳ báo cáo: {total}; đúng tiến độ: {onTrack}; có nguy cơ chậm: {atRisk}; chậm tiến độ: {offTrack}.',
  summaryUnverified: 'Số mục tiêu then chốt chưa được xác nhận kết quả: {unverified}.',
  summaryCompletion: 'Mức độ hoàn thành kế hoạch tháng: {completion}.',
  recipients: 'Nơi nhận:',
  recipient: '- {recipient};',
  lastRecipient: '- {recipient}.',
  pageNumber: '{page}',
  unverified: 'Chưa xác nhận',
  headers: {
    no: 'STT',
    keyResult: 'Nhiệm vụ / Mục tiêu then chốt',
    unit: 'Đơn vị tính',
    monthTarget: 'Chỉ tiêu tháng',
    verified: 'Kết quả tháng (đã xác nhận)',
    yearToDate: 'Lũy kế năm',
    attainment: 'Tỷ lệ đạt',
    status: 'Đánh giá',
    note: 'Ghi chú',
  },
} as const;

/** The quarterly report's texts where they differ from the monthly one (same document layout). */
export const QUARTER_TEXT = {
  subject: 'Kết quả thực hiện nhiệm vụ quý {quarter} năm {year}',
  introduction:
    'Căn cứ kế hoạch công tác năm {year} đã được phê duyệt, {unit} báo cáo kết quả thực hiện nhiệm vụ, mục tiêu then chốt quý {quarter} năm {year} (số liệu đã được xác nhận) như sau:',
  sectionResults: 'I. KẾT QUẢ THỰC HIỆN',
  sectionSummary: 'II. TỔNG HỢP',
  sectionDifficulties: 'III. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN',
  sectionNextFocus: 'IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM QUÝ TIẾP THEO',
  summaryCompletion: 'Mức độ hoàn thành kế hoạch quý: {completion}.',
  headers: {
    monthTarget: 'Chỉ tiêu quý',
    verified: 'Kết quả quý (đã xác nhận)',
  },
} as const;

/** The table's column headers of a report (a quarterly one names the quarter's target and value). */
export function tableHeaders(
  report: Pick<MonthlyUnitReport, 'period'>,
): Record<keyof typeof REPORT_TEXT.headers, string> {
  return report.period.quarter === undefined
    ? REPORT_TEXT.headers
    : { ...REPORT_TEXT.headers, ...QUARTER_TEXT.headers };
}

/** A narrative section's paragraphs: its non-empty lines, trimmed. */
export function narrativeParagraphs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * The day and month as an administrative document writes them (NĐ 30/2020, Phụ lục I): a day below 10
 * and the months 1 and 2 take a leading zero ("ngày 05 tháng 02", "ngày 15 tháng 3", "tháng 12").
 */
export function administrativeDayMonth(date: LocalDate): { day: string; month: string; year: string } {
  if (!isLocalDate(date)) throw new RangeError(`administrativeDayMonth: "${date}" is not a calendar date`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { day: pad2(d), month: m <= 2 ? pad2(m) : String(m), year: String(y) };
}

/** "Sơn Hà, ngày 05 tháng 02 năm 2027". */
export function dateLine(place: string, date: LocalDate): string {
  return fillTemplate(REPORT_TEXT.dateLine, { place, ...administrativeDayMonth(date) });
}

/**
 * "Số: 12/BC-SNV" ("Số: 05/BC-SNV": a number below 10 takes a leading zero, NĐ 30/2020), or "Số:      /BC-SNV"
 * with a blank for the clerk when the number is not given.
 */
export function numberLine(number: string | null, symbol: string): string {
  const n = number === null ? '\u00a0'.repeat(6) : /^[1-9]$/.test(number) ? `0${number}` : number;
  return fillTemplate(REPORT_TEXT.numberLine, { number: n, symbol });
}

/** "- Văn phòng Tỉnh ủy;" … "- Lưu: VT." (NĐ 30/2020: each line ends with ";", the last one with "."). */
export function recipientLines(recipients: readonly string[]): string[] {
  return recipients.map((r, i) => {
    const bare = r.trim().replace(/[.;,]+$/, '');
    return fillTemplate(i === recipients.length - 1 ? REPORT_TEXT.lastRecipient : REPORT_TEXT.recipient, {
      recipient: bare,
    });
  });
}

/** The month as the subject line writes it ("01", "02", "3" … "12", per the date rule). */
function periodMonth(period: { year: number; month: number }): string {
  return administrativeDayMonth(`${period.year}-${pad2(period.month)}-01`).month;
}

export function subjectLine(report: Pick<MonthlyUnitReport, 'period'>): string {
  if (report.period.quarter !== undefined)
    return fillTemplate(QUARTER_TEXT.subject, {
      quarter: roman(report.period.quarter),
      year: report.period.year,
    });
  return fillTemplate(REPORT_TEXT.subject, {
    month: periodMonth(report.period),
    year: report.period.year,
  });
}

export function introduction(report: Pick<MonthlyUnitReport, 'period' | 'issuingBody'>): string {
  if (report.period.quarter !== undefined)
    return fillTemplate(QUARTER_TEXT.introduction, {
      unit: report.issuingBody,
      quarter: roman(report.period.quarter),
      year: report.period.year,
    });
  return fillTemplate(REPORT_TEXT.introduction, {
    unit: report.issuingBody,
    month: periodMonth(report.period),
    year: report.period.year,
  });
}

export function summaryLines(summary: ReportSummary, quarterly = false): string[] {
  const lines = [
    fillTemplate(REPORT_TEXT.summaryCount, {
      total: summary.keyResults,
      onTrack: summary.onTrack,
      atRisk: summary.atRisk,
      offTrack: summary.offTrack,
    }),
    fillTemplate(REPORT_TEXT.summaryUnverified, { unverified: summary.unverified }),
  ];
  if (summary.completion !== null) {
    lines.push(
      fillTemplate(quarterly ? QUARTER_TEXT.summaryCompletion : REPORT_TEXT.summaryCompletion, {
        completion: formatRatio(summary.completion),
      }),
    );
  }
  return lines;
}

/** Upper case the Vietnamese way (every diacritic kept: "Ủy ban" → "ỦY BAN", "đ" → "Đ"). */
export function upper(text: string): string {
  return text.toLocaleUpperCase('vi');
}

/** A value as printed in the report: Vietnamese separators, at most 2 decimals ("1.234,5"). */
export function formatValue(value: DecimalString | null): string {
  return value === null ? '' : formatNumber(value, 'vi', { maxFractionDigits: 2 });
}

/** A ratio as printed in the report: "92,5%". */
export function formatRatio(ratio: DecimalString | null): string {
  return ratio === null ? '' : formatPercent(ratio, 'vi', { maxFractionDigits: 1 });
}

/** Roman numerals for the perspective rows (I–IV, more if ever needed). */
export function roman(n: number): string {
  const table: [number, string][] = [
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let out = '';
  let rest = n;
  for (const [v, s] of table) {
    while (rest >= v) {
      out += s;
      rest -= v;
    }
  }
  return out;
}

/**
 * The report's rows in print order: perspectives in their fixed order (I–IV), their tasks (1, 2, …), the
 * key results ("1.1", "1.2", …, unless the model numbers them).
 */
export type ReportLine =
  | { kind: 'perspective'; no: string; title: string }
  | { kind: 'task'; no: string; title: string }
  | { kind: 'keyResult'; no: string; row: ReportKeyResultRow };

export function reportLines(report: Pick<MonthlyUnitReport, 'perspectives'>): ReportLine[] {
  const lines: ReportLine[] = [];
  const ordered = [...report.perspectives].sort(
    (a, b) => PERSPECTIVES.indexOf(a.perspective) - PERSPECTIVES.indexOf(b.perspective),
  );
  let p = 0;
  for (const perspective of ordered) {
    p += 1;
    lines.push({
      kind: 'perspective',
      no: roman(p),
      title: upper(PERSPECTIVE_TITLES[perspective.perspective]),
    });
    perspective.tasks.forEach((task, t) => {
      lines.push({ kind: 'task', no: String(t + 1), title: task.title });
      task.keyResults.forEach((row, k) => {
        lines.push({ kind: 'keyResult', no: row.code ?? `${t + 1}.${k + 1}`, row });
      });
    });
  }
  return lines;
}

/** Counts the rows into a summary (completion comes from scoring, so the caller passes it). */
export function summarize(
  perspectives: ReportPerspective[],
  completion: DecimalString | null = null,
): ReportSummary {
  const summary: ReportSummary = {
    keyResults: 0,
    onTrack: 0,
    atRisk: 0,
    offTrack: 0,
    unverified: 0,
    completion,
  };
  for (const p of perspectives)
    for (const t of p.tasks)
      for (const kr of t.keyResults) {
        summary.keyResults += 1;
        if (kr.verifiedValue === null) summary.unverified += 1;
        if (kr.status === 'on_track') summary.onTrack += 1;
        else if (kr.status === 'at_risk') summary.atRisk += 1;
        else if (kr.status === 'off_track') summary.offTrack += 1;
      }
  return summary;
}
