// Explanation messages: a stable key with raw parameters (decimal strings with a point, ISO dates,
// codes), rendered in Vietnamese (first) and English. The key and the parameters are the structure that
// a frozen ranking is verified against; the vi/en texts are presentation and may improve at any time.
//
// A placeholder is "{name}" (the value as it is) or "{name:format}", where format is one of
//   number  – a decimal in the locale's way, with the fraction digits it has ("80,50" in vi, "80.50" in en)
//   score   – a score with two decimals ("80,00" / "80.00")
//   date    – an ISO date printed dd/mm/yyyy
//   rank    – a rank level (code, or its Vietnamese label in older explanations) by its name
//   form    – a discipline form (DisciplineForm) by its name
//   why     – why a waiver or a quota exception is not valid (a code)
//   group   – a quota group (a duty group code, 'default' or 'party') by its name
//   reason  – why a ranking was forced (ForcedReason), naming the discipline form when there is one
// A value a format cannot read is printed as it is, so a message always renders.

import { fillTemplate, formatDate, formatNumber, isLocalDate } from '../format/index.ts';
import type { Locale } from '../format/locale.ts';
import { RANK_LABELS, RANK_LEVELS, type RankLevel } from '../rulesets/types.ts';
import { DISCIPLINE_FORM_LABELS, FORCED_REASON_LABELS, type ForcedReason } from './records.ts';

export type MessageParams = Record<string, string | number>;

export interface Message {
  key: string;
  params: MessageParams;
  vi: string;
  en: string;
}

const TEMPLATES: Record<string, { vi: string; en: string }> = {
  'attainment.invalidTarget': {
    vi: 'Chỉ tiêu {target:number} phải lớn hơn 0 với hướng {direction}',
    en: 'Target {target:number} must be above 0 for direction {direction}',
  },
  'attainment.baselineNotAboveTarget': {
    vi: 'Giá trị cơ sở {baseline:number} phải lớn hơn chỉ tiêu {target:number} (càng thấp càng tốt)',
    en: 'Baseline {baseline:number} must be above target {target:number} (lower is better)',
  },
  'attainment.negativeActual': {
    vi: 'Giá trị thực hiện {actual:number} không được âm',
    en: 'Actual value {actual:number} must not be negative',
  },
  'attainment.invalidRange': {
    vi: 'Khoảng mục tiêu [{lo:number}; {hi:number}] với dung sai {tolerance:number} không hợp lệ',
    en: 'Target range [{lo:number}, {hi:number}] with tolerance {tolerance:number} is invalid',
  },
  'attainment.invalidBinary': {
    vi: 'Giá trị {actual:number} không hợp lệ cho mốc/không khoan nhượng',
    en: 'Value {actual:number} is invalid for a milestone / zero-tolerance item',
  },
  'weights.noPositiveWeight': {
    vi: 'Không có trọng số dương tại {level}',
    en: 'No positive weight at {level}',
  },
  'weights.negativeWeight': {
    vi: 'Trọng số âm {weight:number} tại {level}',
    en: 'Negative weight {weight:number} at {level}',
  },
  'plan.breakthroughExcluded': {
    vi: 'Nhiệm vụ đột phá {id} không tính vào đánh giá',
    en: 'Breakthrough item {id} is excluded from appraisal',
  },
  'plan.breakthroughBonus': {
    vi: 'Nhiệm vụ đột phá {id}: P = {p:number} ≥ {threshold:number}, cộng {points:number} điểm',
    en: 'Breakthrough item {id}: P = {p:number} ≥ {threshold:number}, adds {points:number} points',
  },
  'plan.breakthroughNoBonus': {
    vi: 'Nhiệm vụ đột phá {id}: P = {p:number} < {threshold:number}, không cộng điểm',
    en: 'Breakthrough item {id}: P = {p:number} < {threshold:number}, no bonus',
  },
  'plan.notDue': { vi: 'Kết quả then chốt {id} chưa đến kỳ', en: 'Key result {id} is not due' },
  'nd335.waiverInvalid': {
    vi: 'Miễn trừ cho {id} không hợp lệ: {reason:why}',
    en: 'Waiver for {id} is not valid: {reason:why}',
  },
  'nd335.lateDeducted': {
    vi: 'Sản phẩm {id} trễ hạn: trừ {rate:number} phần tỷ trọng',
    en: 'Product {id} late: loses {rate:number} of its share',
  },
  'nd335.lateWaived': {
    vi: 'Sản phẩm {id} trễ hạn do nguyên nhân khách quan có minh chứng: không trừ',
    en: 'Product {id} late for an objective cause with evidence: no deduction',
  },
  'nd335.majorErrorDeducted': {
    vi: 'Sản phẩm {id} bị trả lại vì lỗi lớn: trừ {rate:number} phần tỷ trọng mỗi lỗi',
    en: 'Product {id} returned for a major error: loses {rate:number} of its share per error',
  },
  'nd335.generalOverMax': {
    vi: 'Tiêu chí chung {id}: {points:number} vượt mức tối đa {max:number}',
    en: 'General criterion {id}: {points:number} exceeds its maximum {max:number}',
  },
  'nd335.unknownCriterion': {
    vi: 'Tiêu chí chung {id} không có trong cấu hình',
    en: 'Unknown general criterion {id}',
  },
  'nd335.unknownProductType': {
    vi: 'Không có hệ số quy đổi cho loại sản phẩm {productType} (vị trí {jobPosition})',
    en: 'No conversion coefficient for product type {productType} (job position {jobPosition})',
  },
  'nd335.noPeriods': {
    vi: 'Không có kỳ đánh giá nào có thời gian công tác',
    en: 'No assessed period with time worked',
  },
  'ranking.band': {
    vi: '{score:score} điểm thuộc khung {level:rank}',
    en: '{score:score} points fall in the band {level:rank}',
  },
  'ranking.forced': {
    vi: 'Buộc xếp Không hoàn thành nhiệm vụ: {reason:reason} (số {decisionNumber}, ngày {date:date}, {issuer})',
    en: 'Ranked Not completed regardless of the score: {reason:reason} (decision {decisionNumber} of {date:date}, {issuer})',
  },
  'ranking.gate.minOnTimeShare': {
    vi: '{score:score} điểm, nhưng chỉ {value:number}% nhiệm vụ đúng hạn < {threshold:number}%: không đạt {level:rank}',
    en: '{score:score} points, but only {value:number}% of tasks on time < {threshold:number}%: not {level:rank}',
  },
  'ranking.gate.minExceededShare': {
    vi: '{score:score} điểm, nhưng chỉ {value:number}% nhiệm vụ vượt mức < {threshold:number}%: không đạt {level:rank}',
    en: '{score:score} points, but only {value:number}% of tasks exceeded < {threshold:number}%: not {level:rank}',
  },
  'ranking.gate.maxLateShare': {
    vi: '{score:score} điểm, nhưng {value:number}% nhiệm vụ trễ hạn > {threshold:number}%: không đạt {level:rank}',
    en: '{score:score} points, but {value:number}% of tasks late > {threshold:number}%: not {level:rank}',
  },
  'ranking.gate.noDisciplineInUnit': {
    vi: '{score:score} điểm, nhưng có kỷ luật trong năm (quyết định {decisionNumber}): không đạt {level:rank}',
    en: '{score:score} points, but a discipline decision in the year ({decisionNumber}): not {level:rank}',
  },
  'ranking.gate.shortcomingsRemedied': {
    vi: '{score:score} điểm, nhưng chưa khắc phục hạn chế đã chỉ ra: không đạt {level:rank}',
    en: '{score:score} points, but earlier shortcomings not remedied: not {level:rank}',
  },
  /** Explanations frozen before the gate keys above: the failure as text, kept so that they still render. */
  'ranking.gateFailed': {
    vi: '{score:score} điểm, nhưng {detail}: không đạt {level:rank}',
    en: '{score:score} points, but {detailEn}: not {level:rank}',
  },
  'ranking.partyCappedByState': {
    vi: 'Xếp loại Đảng không cao hơn xếp loại chính quyền ({state:rank})',
    en: 'The Party ranking cannot exceed the state ranking ({state:rank})',
  },
  'quota.over': {
    vi: 'Vượt tỷ lệ Xuất sắc {over:number} người tại {agencyId}, {dutyGroup:group} (tối đa {allowed:number} trên {good:number} Tốt)',
    en: 'Over the Excellent-completion quota by {over:number} in {agencyId}, {dutyGroup:group} (at most {allowed:number} for {good:number} Good)',
  },
  'quota.exceptionInvalid': {
    vi: 'Ngoại lệ tỷ lệ tại {agencyId}, {dutyGroup:group} không hợp lệ: {reason:why}',
    en: 'Quota exception for {agencyId}, {dutyGroup:group} is not valid: {reason:why}',
  },
  'flag.qd377': {
    vi: 'Người đứng đầu {personId}: đơn vị hoàn thành {completion:number}% chỉ tiêu năm < {threshold:number}% (QĐ 377)',
    en: 'Head {personId}: unit completed {completion:number}% of the year targets < {threshold:number}% (QĐ 377)',
  },
  'flag.qd377TwoYears': {
    vi: 'Người đứng đầu {personId}: đơn vị dưới {threshold:number}% hai năm liền',
    en: 'Head {personId}: unit below {threshold:number}% two years running',
  },
  'flag.twoYearsNotCompleted': {
    vi: '{subjectId}: Không hoàn thành nhiệm vụ hai năm liên tiếp ({years})',
    en: '{subjectId}: Not completed two consecutive years ({years})',
  },
  'flag.quotaBreach': {
    vi: 'Vượt tỷ lệ Xuất sắc {over:number} tại {agencyId}, {dutyGroup:group}',
    en: 'Excellent-completion quota exceeded by {over:number} in {agencyId}, {dutyGroup:group}',
  },
  'records.invalid': {
    vi: 'Hồ sơ {kind} thiếu trường bắt buộc {field}',
    en: 'Record {kind} lacks the required field {field}',
  },
  'explanation.mismatch': {
    vi: 'Tính lại không khớp tại {path}: {recorded} ≠ {recomputed}',
    en: 'Recomputation differs at {path}: {recorded} ≠ {recomputed}',
  },
};

const RANK_BY_VI_LABEL = new Map(RANK_LEVELS.map((l) => [RANK_LABELS[l].vi, l] as const));

function rankLevel(v: string): RankLevel | undefined {
  return (RANK_LEVELS as readonly string[]).includes(v) ? (v as RankLevel) : RANK_BY_VI_LABEL.get(v);
}

/** Prints a decimal in `locale`, keeping the fraction digits it was written with ("65.00" → "65,00"). */
function asNumber(v: string | number, locale: Locale, minFractionDigits = 0): string {
  const written = typeof v === 'string' ? (v.split('.')[1]?.length ?? 0) : 0;
  try {
    return formatNumber(v, locale, { minFractionDigits: Math.max(minFractionDigits, written) });
  } catch {
    return String(v);
  }
}

/** The quota's groups by name: the general one (a person without a recorded duty group), the Party track's, and
 *  the staff categories of the personnel records; another code of the records prints as it is. */
const DUTY_GROUP_NAMES: Record<string, { vi: string; en: string }> = {
  default: { vi: 'nhóm chung', en: 'the general group' },
  party: { vi: 'nhóm đảng viên', en: 'the Party members' },
  cadre: { vi: 'nhóm cán bộ', en: 'the cadres' },
  civil_servant: { vi: 'nhóm công chức', en: 'the civil servants' },
  public_employee: { vi: 'nhóm viên chức', en: 'the public employees' },
  worker: { vi: 'nhóm người lao động', en: 'the contract workers' },
};

/** Why a waiver or a quota exception is not valid (the codes nd335.ts and quota.ts write). */
const INVALID_BECAUSE: Record<string, { vi: string; en: string }> = {
  none: { vi: 'không có miễn trừ', en: 'none' },
  'no objective cause': { vi: 'thiếu nguyên nhân khách quan', en: 'no objective cause' },
  'no evidence': { vi: 'thiếu minh chứng', en: 'no evidence' },
  'no approver': { vi: 'chưa có người phê duyệt', en: 'no approver' },
  'self-approved': { vi: 'tự phê duyệt', en: 'self-approved' },
  'no justification': { vi: 'thiếu lý do', en: 'no justification' },
  'not approved': { vi: 'chưa được phê duyệt', en: 'not approved' },
};

/** An entry of a label table, never an inherited property ("constructor"). */
function own<T>(table: Record<string, T>, k: string | number): T | undefined {
  return Object.hasOwn(table, k) ? table[k] : undefined;
}

type Format = (v: string | number, locale: Locale, params: MessageParams) => string;

const FORMATS: Record<string, Format> = {
  number: (v, locale) => asNumber(v, locale),
  score: (v, locale) => asNumber(v, locale, 2),
  date: (v) => (typeof v === 'string' && isLocalDate(v) ? formatDate(v) : String(v)),
  rank: (v, locale) => {
    const l = rankLevel(String(v));
    return l ? RANK_LABELS[l][locale] : String(v);
  },
  why: (v, locale) => own(INVALID_BECAUSE, v)?.[locale] ?? String(v),
  group: (v, locale) => own(DUTY_GROUP_NAMES, v)?.[locale] ?? String(v),
  form: (v, locale) => own<{ vi: string; en: string }>(DISCIPLINE_FORM_LABELS, v)?.[locale] ?? String(v),
  reason: (v, locale, params) => {
    const label = own<(typeof FORCED_REASON_LABELS)[ForcedReason]>(FORCED_REASON_LABELS, v);
    if (!label) return String(v);
    const form = params.form === undefined ? undefined : FORMATS.form!(params.form, locale, params);
    return form === undefined ? label.name[locale] : fillTemplate(label.withForm[locale], { form });
  },
};

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;

function fill(template: string, params: MessageParams, locale: Locale): string {
  return template.replace(PLACEHOLDER, (whole, name: string, format: string | undefined) => {
    const v = params[name];
    if (v === undefined) return whole;
    const f = format === undefined ? undefined : FORMATS[format];
    return f ? f(v, locale, params) : String(v);
  });
}

/** Renders a key with its raw parameters in Vietnamese and English. */
export function message(key: string, params: MessageParams = {}): Message {
  const t = TEMPLATES[key];
  if (!t) return { key, params, vi: key, en: key };
  return { key, params, vi: fill(t.vi, params, 'vi'), en: fill(t.en, params, 'en') };
}

/** Renders a stored message again from its key and parameters (the stored texts may be older). */
export function renderMessage(m: Pick<Message, 'key' | 'params'>): Message {
  return message(m.key, m.params);
}

/**
 * A stored message for a reader: rendered again from its key and parameters (so the current wording applies) with
 * every parameter that is a known id (a unit, a person) shown by its name. Key and parameters stay as stored — they
 * are what a frozen ranking is verified on. A message whose key this version no longer knows, or that lacks a
 * parameter its template now names, keeps its stored texts.
 */
export function presentMessage(m: Message, names: ReadonlyMap<string, string> = new Map()): Message {
  const t = TEMPLATES[m.key];
  if (
    !t ||
    [t.vi, t.en].some((tpl) => [...tpl.matchAll(PLACEHOLDER)].some((x) => m.params[x[1]!] === undefined))
  )
    return m;
  const params: MessageParams = {};
  for (const [k, v] of Object.entries(m.params)) params[k] = typeof v === 'string' ? (names.get(v) ?? v) : v;
  return { key: m.key, params: m.params, vi: fill(t.vi, params, 'vi'), en: fill(t.en, params, 'en') };
}
