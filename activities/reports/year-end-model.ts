// The year-end evaluation reports (issue 8 point 5): plain, serialisable models of (a) the evaluation of a unit's
// people (from the unit ranking) and (b) the evaluation of a province's units and their heads (from the province
// ranking's rows), with the documents' fixed Vietnamese texts and the lines both renderers (year-end-pdf.ts,
// year-end-xlsx.ts) share. Pure: no I/O, no clock.
//
// Forms: the rule sets in force (NĐ 335/2025, QĐ 366) name no report form the repository holds — RULES.md and
// /work/shared/seeds carry no "Mẫu"/"biểu mẫu" of a year-end evaluation report (seed 004's "Phụ lục 1–2" are
// outlines of the annual plan; seed 003 only mentions digitising the Party's forms of QĐ 124/HD 21), so the
// reports use the administrative "BÁO CÁO" of Nghị định 30/2020 with a table of results [U].
import type { LocalDate } from '../../domain/calendar/profile.ts';
import { formatDate } from '../../domain/format/index.ts';
import { fillTemplate } from '../../domain/format/template.ts';
import type { DecimalString } from '../../domain/plan/model.ts';
import { formatValue } from '../../domain/report/monthly-unit-report.ts';
import { RANK_LABELS, type RankLevel } from '../../domain/rulesets/types.ts';

export const LEVEL_ORDER: readonly RankLevel[] = ['excellent', 'good', 'completed', 'notCompleted'];

/** An appeal's outcome when the level above changed or upheld the level (helper N's appealOutcomesOf). */
export interface AppealOutcome {
  level: RankLevel;
  decisionNumber: string | null;
}

export interface RuleSetInfo {
  id: string;
  version: number;
  title: string;
  legalBasis: { ref: string; verification: 'V' | 'U' }[];
}

/** One person of the unit ranking. */
export interface YearEndPersonRow {
  name: string;
  /** Duty group code (cadre, civil_servant, public_employee, worker) or a free code. */
  dutyGroup: string;
  score: DecimalString | null;
  /** supervisor: the year-end supervisor score; periods: the mean of the confirmed periods (provisional). */
  scoreSource: 'supervisor' | 'periods' | 'none';
  /** The state level (the frozen one once decided). */
  level: RankLevel | null;
  /** The Party level; undefined for a person without a Party ranking. */
  partyLevel?: RankLevel | null;
  /** The appeal's outcome on the state level, when decided. */
  appeal?: AppealOutcome | null;
  /** The failed gates and forcing records in plain Vietnamese. */
  notes: string[];
}

export interface QuotaLine {
  dutyGroup: string;
  good: number;
  excellent: number;
  allowed: number;
  exceptionPlaces: number;
  over: number;
}

export interface ApprovedException {
  dutyGroup: string;
  extraPlaces: number;
  decisionNumber: string | null;
  decidedOn: LocalDate | null;
}

export interface ReportHeading {
  /** The superior body (upper line, regular), e.g. "Ủy ban nhân dân tỉnh Bắc Ninh"; empty for none. */
  superiorBody: string;
  issuingBody: string;
  number: string | null;
  symbol: string;
  place: string;
  date: LocalDate;
  signer: { title: string; name: string };
  recipients: string[];
}

/** (a) The year-end evaluation of a unit's people. */
export interface UnitYearEndReport extends ReportHeading {
  unitName: string;
  year: number;
  status: 'draft' | 'decided' | 'published';
  ruleSet: RuleSetInfo;
  rows: YearEndPersonRow[];
  quota: QuotaLine[];
  exceptions: ApprovedException[];
  decidedBy: string | null;
  decidedOn: LocalDate | null;
  publishedOn: LocalDate | null;
  /** The unit's heads, ranked by the superior body (not in their own unit's ranking). */
  headsRankedAbove: string[];
}

/** A row of the province ranking (helper V's provinceRankingEntriesOf), plus the appeal's outcome. */
export interface ProvinceRankingReportRow {
  subjectKind: 'collective' | 'individual';
  subjectId: string;
  unitId: string;
  unitName: string;
  personName: string | null;
  score: string | null;
  level: RankLevel | null;
  frozen: boolean;
  explanation: unknown;
  appeal?: AppealOutcome | null;
}

/** (b) The year-end evaluation of a province's units (collectives) and their heads. */
export interface ProvinceYearEndReport extends ReportHeading {
  provinceName: string;
  year: number;
  status: 'draft' | 'decided' | 'published';
  ruleSet: RuleSetInfo | null;
  rows: ProvinceRankingReportRow[];
  decidedBy: string | null;
  decidedOn: LocalDate | null;
}

/** The documents' fixed texts (whole sentences with named parameters). */
export const YEAR_REPORT_TEXT = {
  title: 'BÁO CÁO',
  unitSubject: 'Kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {year}',
  provinceSubject: 'Kết quả đánh giá, xếp loại chất lượng cơ quan, đơn vị và người đứng đầu năm {year}',
  draftMark: '(Dự thảo - chưa được quyết định)',
  unitIntro:
    'Căn cứ {basis}; căn cứ kết quả đánh giá năm {year} đã được xác nhận trên hệ thống, {unit} báo cáo kết quả đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm {year} như sau:',
  provinceIntro:
    'Căn cứ kết quả thực hiện nhiệm vụ năm {year} của các cơ quan, đơn vị đã được xác nhận trên hệ thống, {body} báo cáo kết quả đánh giá, xếp loại chất lượng các cơ quan, đơn vị và người đứng đầu năm {year} như sau:',
  sectionResults: 'I. KẾT QUẢ XẾP LOẠI',
  sectionCollectives: 'I. XẾP LOẠI TẬP THỂ CÁC CƠ QUAN, ĐƠN VỊ',
  sectionHeads: 'II. XẾP LOẠI NGƯỜI ĐỨNG ĐẦU',
  sectionSummary: 'II. TỔNG HỢP',
  sectionProvinceSummary: 'III. TỔNG HỢP',
  sectionBasis: 'III. CĂN CỨ VÀ QUYẾT ĐỊNH',
  sectionProvinceBasis: 'IV. CĂN CỨ VÀ QUYẾT ĐỊNH',
  countLine:
    'Tổng số {total} người; Hoàn thành xuất sắc nhiệm vụ: {excellent}; Hoàn thành tốt nhiệm vụ: {good}; Hoàn thành nhiệm vụ: {completed}; Không hoàn thành nhiệm vụ: {notCompleted}; chưa xếp loại: {none}.',
  partyCountLine:
    'Xếp loại đảng viên ({total} người): Hoàn thành xuất sắc nhiệm vụ: {excellent}; Hoàn thành tốt nhiệm vụ: {good}; Hoàn thành nhiệm vụ: {completed}; Không hoàn thành nhiệm vụ: {notCompleted}; chưa xếp loại: {none}.',
  collectiveCountLine:
    'Tập thể ({total} cơ quan, đơn vị): Hoàn thành xuất sắc nhiệm vụ: {excellent}; Hoàn thành tốt nhiệm vụ: {good}; Hoàn thành nhiệm vụ: {completed}; Không hoàn thành nhiệm vụ: {notCompleted}; chưa xếp loại: {none}.',
  headCountLine:
    'Người đứng đầu ({total} người): Hoàn thành xuất sắc nhiệm vụ: {excellent}; Hoàn thành tốt nhiệm vụ: {good}; Hoàn thành nhiệm vụ: {completed}; Không hoàn thành nhiệm vụ: {notCompleted}; chưa xếp loại: {none}.',
  quotaLine:
    'Nhóm {group}: {excellent} Hoàn thành xuất sắc nhiệm vụ trên {good} Hoàn thành tốt nhiệm vụ trở lên; tỷ lệ cho phép {allowed} (trong đó {exceptionPlaces} do ngoại lệ được phê duyệt); trong tỷ lệ.',
  quotaOverLine:
    'Nhóm {group}: {excellent} Hoàn thành xuất sắc nhiệm vụ trên {good} Hoàn thành tốt nhiệm vụ trở lên; tỷ lệ cho phép {allowed} (trong đó {exceptionPlaces} do ngoại lệ được phê duyệt); vượt {over}.',
  exceptionLine:
    'Ngoại lệ được phê duyệt cho nhóm {group}: thêm {places} chỉ tiêu, Quyết định số {decision} ngày {date}.',
  provisionalNote:
    'Ghi chú: điểm đánh dấu "(tạm tính)" lấy từ trung bình các kỳ đánh giá đã được xác nhận do chưa có điểm đánh giá cuối năm của người quản lý.',
  headsAbove:
    'Người đứng đầu cơ quan, đơn vị do cấp trên đánh giá, xếp loại (không xếp loại trong đơn vị): {names}.',
  ruleSet: 'Quy định áp dụng: {title} (mã {id}, phiên bản {version}).',
  legalBasis: 'Căn cứ pháp lý: {refs}.',
  unverified: '{ref} (chưa xác minh)',
  decided: 'Quyết định xếp loại: {name}, ngày {date}.',
  notDecided: 'Bảng xếp loại chưa được quyết định; kết quả trên là dự thảo, có thể thay đổi.',
  published: 'Công bố kết quả ngày {date}.',
  provinceProvisional: 'Ghi chú: các dòng có ghi chú "Tạm tính" chưa được quyết định (chưa đóng băng).',
  notFrozen: 'Tạm tính',
  appealChanged: '{level} (QĐ {decision})',
  appealUpheld: 'Giữ nguyên (QĐ {decision})',
  noDecisionNumber: 'chưa có số',
  provisionalScore: '{score} (tạm tính)',
  noScore: 'Chưa có điểm',
  partyNone: '-',
  headers: {
    no: 'STT',
    name: 'Họ và tên',
    unit: 'Cơ quan, đơn vị',
    dutyGroup: 'Nhóm chức trách',
    score: 'Điểm',
    source: 'Nguồn điểm',
    level: 'Xếp loại',
    partyLevel: 'Xếp loại đảng viên',
    appeal: 'Kết quả kiến nghị',
    note: 'Ghi chú',
  },
} as const;

export const SOURCE_TEXT: Record<YearEndPersonRow['scoreSource'], string> = {
  supervisor: 'Đánh giá cuối năm của người quản lý',
  periods: 'Tạm tính từ các kỳ đánh giá',
  none: 'Chưa có điểm',
};

const DUTY_TEXT: Record<string, string> = {
  cadre: 'Cán bộ',
  civil_servant: 'Công chức',
  public_employee: 'Viên chức',
  worker: 'Người lao động',
  default: 'Chung',
  // the Party track's quota group (QĐ 366: the Party members' ranking)
  party: 'Đảng viên',
};
export const dutyText = (code: string) => DUTY_TEXT[code] ?? code;
export const levelText = (l: RankLevel | null | undefined) => (l ? RANK_LABELS[l].vi : '');

export function unitSubject(r: Pick<UnitYearEndReport, 'year'>): string {
  return fillTemplate(YEAR_REPORT_TEXT.unitSubject, { year: r.year });
}
export function provinceSubject(r: Pick<ProvinceYearEndReport, 'year'>): string {
  return fillTemplate(YEAR_REPORT_TEXT.provinceSubject, { year: r.year });
}

const refText = (b: RuleSetInfo['legalBasis'][number]) =>
  b.verification === 'U' ? fillTemplate(YEAR_REPORT_TEXT.unverified, { ref: b.ref }) : b.ref;

export function unitIntro(r: UnitYearEndReport): string {
  return fillTemplate(YEAR_REPORT_TEXT.unitIntro, {
    basis: r.ruleSet.legalBasis.map((b) => b.ref).join('; ') || r.ruleSet.title,
    year: r.year,
    unit: r.unitName,
  });
}
export function provinceIntro(r: ProvinceYearEndReport): string {
  return fillTemplate(YEAR_REPORT_TEXT.provinceIntro, { year: r.year, body: r.issuingBody });
}

/** The score as printed: Vietnamese separators, "(tạm tính)" when from the periods. */
export function scoreText(
  score: string | null,
  source: YearEndPersonRow['scoreSource'] = 'supervisor',
): string {
  if (score === null) return YEAR_REPORT_TEXT.noScore;
  const s = formatValue(score);
  return source === 'periods' ? fillTemplate(YEAR_REPORT_TEXT.provisionalScore, { score: s }) : s;
}

export function appealText(a: AppealOutcome | null | undefined, level: RankLevel | null): string {
  if (!a) return '';
  const decision = a.decisionNumber ?? YEAR_REPORT_TEXT.noDecisionNumber;
  return a.level === level
    ? fillTemplate(YEAR_REPORT_TEXT.appealUpheld, { decision })
    : fillTemplate(YEAR_REPORT_TEXT.appealChanged, { level: levelText(a.level), decision });
}

/** The rows in the document's order: by level (Xuất sắc first, unranked last), then by name. */
export function orderedRows<T extends { level: RankLevel | null }>(
  rows: readonly T[],
  name: (r: T) => string,
): T[] {
  const rank = (l: RankLevel | null) => (l ? LEVEL_ORDER.indexOf(l) : LEVEL_ORDER.length);
  return [...rows].sort((a, b) => rank(a.level) - rank(b.level) || name(a).localeCompare(name(b), 'vi'));
}

export function unitRows(r: UnitYearEndReport): YearEndPersonRow[] {
  return orderedRows(r.rows, (x) => x.name);
}

/** Whether the unit report shows the Party column (someone holds a Party ranking) and the appeal column. */
export function unitColumns(r: UnitYearEndReport): { party: boolean; appeal: boolean } {
  return {
    party: r.rows.some((x) => x.partyLevel !== undefined),
    appeal: r.rows.some((x) => !!x.appeal),
  };
}

function counts(levels: readonly (RankLevel | null | undefined)[]) {
  const c = { total: levels.length, excellent: 0, good: 0, completed: 0, notCompleted: 0, none: 0 };
  for (const l of levels) {
    if (l) c[l] += 1;
    else c.none += 1;
  }
  return c;
}

const dayText = (d: LocalDate | null) => (d ? formatDate(d) : '');

export function unitSummaryLines(r: UnitYearEndReport): string[] {
  const lines = [fillTemplate(YEAR_REPORT_TEXT.countLine, counts(r.rows.map((x) => x.level)))];
  const party = r.rows.filter((x) => x.partyLevel !== undefined);
  if (party.length > 0)
    lines.push(fillTemplate(YEAR_REPORT_TEXT.partyCountLine, counts(party.map((x) => x.partyLevel))));
  for (const q of r.quota)
    lines.push(
      fillTemplate(q.over > 0 ? YEAR_REPORT_TEXT.quotaOverLine : YEAR_REPORT_TEXT.quotaLine, {
        group: dutyText(q.dutyGroup),
        excellent: q.excellent,
        good: q.good,
        allowed: q.allowed,
        exceptionPlaces: q.exceptionPlaces,
        over: q.over,
      }),
    );
  for (const x of r.exceptions)
    lines.push(
      fillTemplate(YEAR_REPORT_TEXT.exceptionLine, {
        group: dutyText(x.dutyGroup),
        places: x.extraPlaces,
        decision: x.decisionNumber ?? YEAR_REPORT_TEXT.noDecisionNumber,
        date: dayText(x.decidedOn),
      }),
    );
  if (r.headsRankedAbove.length > 0)
    lines.push(fillTemplate(YEAR_REPORT_TEXT.headsAbove, { names: r.headsRankedAbove.join(', ') }));
  if (r.rows.some((x) => x.scoreSource === 'periods')) lines.push(YEAR_REPORT_TEXT.provisionalNote);
  return lines;
}

function basisLines(
  ruleSet: RuleSetInfo | null,
  a: {
    status: string;
    decidedBy: string | null;
    decidedOn: LocalDate | null;
    publishedOn?: LocalDate | null;
  },
): string[] {
  const lines: string[] = [];
  if (ruleSet) {
    lines.push(
      fillTemplate(YEAR_REPORT_TEXT.ruleSet, {
        title: ruleSet.title,
        id: ruleSet.id,
        version: ruleSet.version,
      }),
    );
    if (ruleSet.legalBasis.length > 0)
      lines.push(
        fillTemplate(YEAR_REPORT_TEXT.legalBasis, { refs: ruleSet.legalBasis.map(refText).join('; ') }),
      );
  }
  if (a.status === 'draft' || !a.decidedOn) lines.push(YEAR_REPORT_TEXT.notDecided);
  else
    lines.push(
      fillTemplate(YEAR_REPORT_TEXT.decided, { name: a.decidedBy ?? '', date: dayText(a.decidedOn) }),
    );
  if (a.publishedOn) lines.push(fillTemplate(YEAR_REPORT_TEXT.published, { date: dayText(a.publishedOn) }));
  return lines;
}

export const unitBasisLines = (r: UnitYearEndReport) => basisLines(r.ruleSet, r);
export const provinceBasisLines = (r: ProvinceYearEndReport) =>
  basisLines(r.ruleSet, { ...r, publishedOn: null });

/** The failed gates and forcing records of a province row's explanation, in plain Vietnamese, when it has them
 *  (the engine's RankingExplanation shape: gateFailures[].message.vi, forcedBy[].vi). */
export function explanationNotes(explanation: unknown): string[] {
  if (!explanation || typeof explanation !== 'object') return [];
  const e = explanation as { gateFailures?: unknown; forcedBy?: unknown };
  const vi = (m: unknown) =>
    m && typeof m === 'object' && typeof (m as { vi?: unknown }).vi === 'string'
      ? [(m as { vi: string }).vi]
      : [];
  const gates = Array.isArray(e.gateFailures)
    ? e.gateFailures.flatMap((g) => vi((g as { message?: unknown } | null)?.message))
    : [];
  const forced = Array.isArray(e.forcedBy) ? e.forcedBy.flatMap(vi) : [];
  return [...forced, ...gates];
}

export function provinceRowNotes(row: ProvinceRankingReportRow): string {
  return [...(row.frozen ? [] : [YEAR_REPORT_TEXT.notFrozen]), ...explanationNotes(row.explanation)].join(
    '; ',
  );
}

export function provinceParts(r: ProvinceYearEndReport): {
  collectives: ProvinceRankingReportRow[];
  heads: ProvinceRankingReportRow[];
  appeal: boolean;
} {
  return {
    collectives: orderedRows(
      r.rows.filter((x) => x.subjectKind === 'collective'),
      (x) => x.unitName,
    ),
    heads: orderedRows(
      r.rows.filter((x) => x.subjectKind === 'individual'),
      (x) => x.personName ?? '',
    ),
    appeal: r.rows.some((x) => !!x.appeal),
  };
}

export function provinceSummaryLines(r: ProvinceYearEndReport): string[] {
  const { collectives, heads } = provinceParts(r);
  const lines = [
    fillTemplate(YEAR_REPORT_TEXT.collectiveCountLine, counts(collectives.map((x) => x.level))),
    fillTemplate(YEAR_REPORT_TEXT.headCountLine, counts(heads.map((x) => x.level))),
  ];
  if (r.rows.some((x) => !x.frozen)) lines.push(YEAR_REPORT_TEXT.provinceProvisional);
  return lines;
}

/** The file name of a report ("Xep loai 2026 - So Noi vu.pdf" is the ASCII fallback of the attachment). */
export function reportFileName(subjectName: string, year: number, ext: 'pdf' | 'xlsx'): string {
  return fillTemplate('Xếp loại năm {year} - {name}.{ext}', { year, name: subjectName, ext });
}

/** The province report's model from the province ranking (helper V's provinceRankingEntriesOf rows and the
 *  ranking's status and decision), with the appeal outcomes keyed `${rankingId}:${subjectId}:${track}` (helper N's
 *  appealOutcomesOf; the state track). The route that serves it only maps the rows it reads. */
export function provinceYearEndReportFrom(a: {
  rankingId: string;
  provinceName: string;
  year: number;
  date: LocalDate;
  status: ProvinceYearEndReport['status'];
  ruleSet: RuleSetInfo | null;
  decidedBy: string | null;
  decidedOn: LocalDate | null;
  rows: readonly Omit<ProvinceRankingReportRow, 'appeal'>[];
  appeals?: ReadonlyMap<string, AppealOutcome>;
  issuingBody?: string;
  signer?: { title: string; name: string };
}): ProvinceYearEndReport {
  const place = a.provinceName.replace(/^(Tỉnh ủy|Tỉnh|Thành phố|Thành ủy|UBND tỉnh)\s+/iu, '').trim();
  return {
    superiorBody: '',
    issuingBody: a.issuingBody ?? a.provinceName,
    number: null,
    symbol: 'BC',
    place: place || a.provinceName,
    date: a.date,
    signer: a.signer ?? { title: 'Thay mặt Ban Thường vụ', name: a.decidedBy ?? '' },
    recipients: ['Ban Tổ chức Trung ương', 'Bộ Nội vụ', 'Các cơ quan, đơn vị trực thuộc', 'Lưu: VT'],
    provinceName: a.provinceName,
    year: a.year,
    status: a.status,
    ruleSet: a.ruleSet,
    decidedBy: a.decidedBy,
    decidedOn: a.decidedOn,
    rows: a.rows.map((r) => ({
      ...r,
      appeal: a.appeals?.get(`${a.rankingId}:${r.subjectId}:state`) ?? null,
    })),
  };
}
