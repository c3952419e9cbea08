// The pre-check catalogue (DESIGN §2): for each stable finding code, its severity and its message in
// Vietnamese and English as whole-sentence templates with named parameters.
import type { Locale, LocalizedText } from '../format/locale.ts';
import { formatNumber } from '../format/number.ts';
import { fillTemplate } from '../format/template.ts';

export type Severity = 'error' | 'warning' | 'info';

interface CatalogueEntry extends LocalizedText {
  severity: Severity;
  /** Parameters holding decimal strings, printed in the reader's number format. */
  numeric?: readonly string[];
}

export const PRECHECK_CATALOGUE = {
  KR_COUNT_OUT_OF_RANGE: {
    severity: 'error',
    vi: 'Nhiệm vụ "{title}" có {count} mục tiêu then chốt; mỗi nhiệm vụ cần từ {min} đến {max} mục tiêu then chốt.',
    en: 'Task "{title}" has {count} key results; each task needs {min} to {max} key results.',
  },
  TASK_NOT_MEASURABLE: {
    severity: 'error',
    vi: 'Nhiệm vụ "{title}" chưa có mục tiêu then chốt nào đo được (chỉ tiêu bằng số hoặc mốc hoàn thành).',
    en: 'Task "{title}" has no measurable key result (a numeric target or a milestone).',
  },
  KR_TARGET_NOT_NUMERIC: {
    severity: 'error',
    vi: 'Chỉ tiêu "{target}" của mục tiêu then chốt "{title}" không phải là số.',
    en: 'The target "{target}" of key result "{title}" is not a number.',
  },
  LOWER_BASELINE_NOT_ABOVE_TARGET: {
    severity: 'error',
    vi: 'Mục tiêu then chốt "{title}" càng thấp càng tốt nên giá trị nền ({baseline}) phải lớn hơn chỉ tiêu ({target}).',
    en: 'Key result "{title}" is lower-is-better, so its baseline ({baseline}) must be above its target ({target}).',
    numeric: ['baseline', 'target'],
  },
  LOWER_TARGET_NOT_POSITIVE: {
    severity: 'error',
    vi: 'Mục tiêu then chốt "{title}" càng thấp càng tốt và không có giá trị nền nên chỉ tiêu ({target}) phải lớn hơn 0.',
    en: 'Key result "{title}" is lower-is-better without a baseline, so its target ({target}) must be above 0.',
    numeric: ['target'],
  },
  RANGE_INVALID: {
    severity: 'error',
    vi: 'Khoảng chỉ tiêu của mục tiêu then chốt "{title}" không hợp lệ: cần cận dưới ≤ cận trên và dung sai là số dương.',
    en: 'The target range of key result "{title}" is invalid: it needs lower bound ≤ upper bound and a positive tolerance.',
  },
  MILESTONE_DATE_INVALID: {
    severity: 'error',
    vi: 'Mốc hoàn thành "{dueDate}" của mục tiêu then chốt "{title}" không phải là ngày hợp lệ.',
    en: 'The due date "{dueDate}" of milestone key result "{title}" is not a valid date.',
  },
  PERIOD_KEY_INVALID: {
    severity: 'error',
    vi: 'Kỳ "{period}" trong chỉ tiêu theo kỳ của mục tiêu then chốt "{title}" không thuộc năm {year} (dạng {year}-Q1 hoặc {year}-01).',
    en: 'The period "{period}" in the period targets of key result "{title}" is not a period of {year} (use {year}-Q1 or {year}-01).',
  },
  PERIOD_TARGET_NOT_NUMERIC: {
    severity: 'error',
    vi: 'Chỉ tiêu kỳ {period} của mục tiêu then chốt "{title}" ("{value}") không phải là số.',
    en: 'The {period} target of key result "{title}" ("{value}") is not a number.',
  },
  PERIOD_TARGETS_DO_NOT_COVER_ANNUAL: {
    severity: 'error',
    vi: 'Chỉ tiêu theo {granularity} của mục tiêu then chốt "{title}", gộp theo quy tắc {rule}, là {combined}; chưa đạt chỉ tiêu năm {annual}.',
    en: 'The {granularity} targets of key result "{title}", combined by {rule}, give {combined}, which does not reach the annual target {annual}.',
    numeric: ['combined', 'annual'],
  },
  PERIOD_LAST_NOT_EQUAL_ANNUAL: {
    severity: 'warning',
    vi: 'Mục tiêu then chốt "{title}" lấy giá trị kỳ cuối làm giá trị năm, nhưng chỉ tiêu kỳ {period} ({combined}) khác chỉ tiêu năm ({annual}).',
    en: 'Key result "{title}" takes the last period as the year, but the {period} target ({combined}) differs from the annual target ({annual}).',
    numeric: ['combined', 'annual'],
  },
  PERIOD_TARGETS_INCOMPLETE: {
    severity: 'warning',
    vi: 'Mục tiêu then chốt "{title}" mới có chỉ tiêu cho {present}/{expected} {granularity} của năm.',
    en: 'Key result "{title}" has targets for only {present} of the {expected} {granularity} periods of the year.',
  },
  MONTHS_DO_NOT_COVER_QUARTER: {
    severity: 'warning',
    vi: 'Chỉ tiêu các tháng của {period} cho mục tiêu then chốt "{title}", gộp theo quy tắc {rule}, là {combined}; chưa đạt chỉ tiêu quý {quarterTarget}.',
    en: 'The monthly targets of {period} for key result "{title}", combined by {rule}, give {combined}, which does not reach the quarter target {quarterTarget}.',
    numeric: ['combined', 'quarterTarget'],
  },
  CHILDREN_DO_NOT_COVER_PARENT: {
    severity: 'warning',
    vi: 'Chỉ tiêu của {count} mục tiêu then chốt cấp dưới của "{title}", gộp theo quy tắc {rule}, là {combined}; chưa đạt chỉ tiêu {target} của cấp trên.',
    en: 'The targets of the {count} child key results of "{title}", combined by {rule}, give {combined}, which does not reach the parent target {target}.',
    numeric: ['combined', 'target'],
  },
  PERSONS_DO_NOT_COVER_UNIT: {
    severity: 'warning',
    vi: 'Kế hoạch của {count} cá nhân nhận mục tiêu then chốt "{title}", gộp theo quy tắc {rule}, có chỉ tiêu {combined}; chưa đạt chỉ tiêu {target} của đơn vị.',
    en: 'The plans of the {count} persons given key result "{title}", combined by {rule}, target {combined}, which does not reach the unit target {target}.',
    numeric: ['combined', 'target'],
  },
  CHILD_TARGET_NOT_NUMERIC: {
    severity: 'warning',
    vi: 'Mục tiêu then chốt cấp dưới {childId} của "{title}" có chỉ tiêu không phải là số; chưa kiểm tra được mức bao phủ.',
    en: 'Child key result {childId} of "{title}" has a non-numeric target; coverage could not be checked.',
  },
  BREAKTHROUGH_SHARE_LOW: {
    severity: 'info',
    vi: 'Nhiệm vụ đột phá chiếm {share}% số mục tiêu then chốt ({count}/{total}); nên từ {min}% đến {max}%.',
    en: 'Breakthrough items are {share}% of the key results ({count}/{total}); {min}% to {max}% is encouraged.',
    numeric: ['share', 'min', 'max'],
  },
  BREAKTHROUGH_SHARE_HIGH: {
    severity: 'warning',
    vi: 'Nhiệm vụ đột phá chiếm {share}% số mục tiêu then chốt ({count}/{total}), vượt mức {max}% khuyến nghị; các mục tiêu này không tính vào thẩm định.',
    en: 'Breakthrough items are {share}% of the key results ({count}/{total}), above the recommended {max}%; they are left out of the appraisal.',
    numeric: ['share', 'max'],
  },
  WEIGHT_INVALID: {
    severity: 'error',
    vi: 'Trọng số "{weight}" của {subject} "{name}" không phải là số.',
    en: 'The weight "{weight}" of {subject} "{name}" is not a number.',
  },
  WEIGHT_NOT_POSITIVE: {
    severity: 'error',
    vi: 'Trọng số của {subject} "{name}" phải là số dương.',
    en: 'The weight of {subject} "{name}" must be positive.',
  },
  VALUE_ANOMALY: {
    severity: 'warning',
    vi: 'Giá trị {value} kỳ {period} của mục tiêu then chốt "{title}" lệch {deviations} lần độ lệch tuyệt đối trung vị so với trung vị {median} của các kỳ trước (ngưỡng {k}).',
    en: 'The {period} value {value} of key result "{title}" is {deviations} median absolute deviations from the median {median} of its history (threshold {k}).',
    numeric: ['value', 'deviations', 'median', 'k'],
  },
  VALUE_ANOMALY_CONSTANT_HISTORY: {
    severity: 'warning',
    vi: 'Các kỳ trước của mục tiêu then chốt "{title}" đều bằng {median}, nhưng giá trị kỳ {period} là {value}.',
    en: 'Every earlier value of key result "{title}" was {median}, but the {period} value is {value}.',
    numeric: ['value', 'median'],
  },
} as const satisfies Record<string, CatalogueEntry>;

export type PrecheckCode = keyof typeof PRECHECK_CATALOGUE;

/** Values of enumerated parameters, translated (an aggregation rule, a period granularity, a subject). */
export const PARAM_VALUES: Record<string, Record<string, LocalizedText>> = {
  rule: {
    sum: { vi: 'tổng', en: 'sum' },
    average: { vi: 'trung bình', en: 'average' },
    last: { vi: 'giá trị kỳ cuối', en: 'last value' },
    min: { vi: 'giá trị nhỏ nhất', en: 'minimum' },
    max: { vi: 'giá trị lớn nhất', en: 'maximum' },
    allDone: { vi: 'tất cả hoàn thành', en: 'all done' },
  },
  granularity: {
    quarter: { vi: 'quý', en: 'quarterly' },
    month: { vi: 'tháng', en: 'monthly' },
  },
  subject: {
    task: { vi: 'nhiệm vụ', en: 'task' },
    keyResult: { vi: 'mục tiêu then chốt', en: 'key result' },
    perspective: { vi: 'phương diện', en: 'perspective' },
  },
};

export interface FindingLike {
  code: PrecheckCode;
  params: Readonly<Record<string, string>>;
}

/** The message of a finding in `locale`, numbers printed the way that locale writes them. */
export function renderFinding(finding: FindingLike, locale: Locale): string {
  const entry: CatalogueEntry = PRECHECK_CATALOGUE[finding.code];
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(finding.params)) {
    const translated = PARAM_VALUES[name]?.[value]?.[locale];
    if (translated !== undefined) params[name] = translated;
    else if (entry.numeric?.includes(name) && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) {
      params[name] = formatNumber(value, locale);
    } else params[name] = value;
  }
  return fillTemplate(entry[locale], params);
}
