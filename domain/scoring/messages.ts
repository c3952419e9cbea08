// Explanation messages: a stable key with parameters, rendered in Vietnamese (first) and English.

export type MessageParams = Record<string, string | number>;

export interface Message {
  key: string;
  params: MessageParams;
  vi: string;
  en: string;
}

const TEMPLATES: Record<string, { vi: string; en: string }> = {
  'attainment.invalidTarget': {
    vi: 'Chỉ tiêu {target} phải lớn hơn 0 với hướng {direction}',
    en: 'Target {target} must be above 0 for direction {direction}',
  },
  'attainment.baselineNotAboveTarget': {
    vi: 'Giá trị cơ sở {baseline} phải lớn hơn chỉ tiêu {target} (càng thấp càng tốt)',
    en: 'Baseline {baseline} must be above target {target} (lower is better)',
  },
  'attainment.negativeActual': {
    vi: 'Giá trị thực hiện {actual} không được âm',
    en: 'Actual value {actual} must not be negative',
  },
  'attainment.invalidRange': {
    vi: 'Khoảng mục tiêu [{lo}; {hi}] với dung sai {tolerance} không hợp lệ',
    en: 'Target range [{lo}, {hi}] with tolerance {tolerance} is invalid',
  },
  'attainment.invalidBinary': {
    vi: 'Giá trị {actual} không hợp lệ cho mốc/không khoan nhượng',
    en: 'Value {actual} is invalid for a milestone / zero-tolerance item',
  },
  'weights.noPositiveWeight': {
    vi: 'Không có trọng số dương tại {level}',
    en: 'No positive weight at {level}',
  },
  'weights.negativeWeight': {
    vi: 'Trọng số âm {weight} tại {level}',
    en: 'Negative weight {weight} at {level}',
  },
  'plan.breakthroughExcluded': {
    vi: 'Nhiệm vụ đột phá {id} không tính vào đánh giá',
    en: 'Breakthrough item {id} is excluded from appraisal',
  },
  'plan.breakthroughBonus': {
    vi: 'Nhiệm vụ đột phá {id}: P = {p} ≥ {threshold}, cộng {points} điểm',
    en: 'Breakthrough item {id}: P = {p} ≥ {threshold}, adds {points} points',
  },
  'plan.breakthroughNoBonus': {
    vi: 'Nhiệm vụ đột phá {id}: P = {p} < {threshold}, không cộng điểm',
    en: 'Breakthrough item {id}: P = {p} < {threshold}, no bonus',
  },
  'plan.notDue': { vi: 'Kết quả then chốt {id} chưa đến kỳ', en: 'Key result {id} is not due' },
  'nd335.waiverInvalid': {
    vi: 'Miễn trừ cho {id} không hợp lệ: {reason}',
    en: 'Waiver for {id} is not valid: {reason}',
  },
  'nd335.lateDeducted': {
    vi: 'Sản phẩm {id} trễ hạn: trừ {rate} phần tỷ trọng',
    en: 'Product {id} late: loses {rate} of its share',
  },
  'nd335.lateWaived': {
    vi: 'Sản phẩm {id} trễ hạn do nguyên nhân khách quan có minh chứng: không trừ',
    en: 'Product {id} late for an objective cause with evidence: no deduction',
  },
  'nd335.majorErrorDeducted': {
    vi: 'Sản phẩm {id} bị trả lại vì lỗi lớn: trừ {rate} phần tỷ trọng mỗi lỗi',
    en: 'Product {id} returned for a major error: loses {rate} of its share per error',
  },
  'nd335.generalOverMax': {
    vi: 'Tiêu chí chung {id}: {points} vượt mức tối đa {max}',
    en: 'General criterion {id}: {points} exceeds its maximum {max}',
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
  'ranking.band': { vi: '{score} điểm thuộc khung {level}', en: '{score} points fall in the band {level}' },
  'ranking.forced': {
    vi: 'Buộc xếp Không hoàn thành nhiệm vụ: {reason} (số {decisionNumber}, ngày {date}, {issuer})',
    en: 'Forced to "Không hoàn thành": {reason} (decision {decisionNumber}, {date}, {issuer})',
  },
  'ranking.gateFailed': {
    vi: '{score} điểm, nhưng {detail}: không đạt {level}',
    en: '{score} points, but {detailEn}: not {level}',
  },
  'ranking.partyCappedByState': {
    vi: 'Xếp loại Đảng không cao hơn xếp loại chính quyền ({state})',
    en: 'The Party ranking cannot exceed the state ranking ({state})',
  },
  'quota.over': {
    vi: 'Vượt tỷ lệ Xuất sắc {over} người tại {agencyId}/{dutyGroup} (tối đa {allowed} trên {good} Tốt)',
    en: 'Over the Xuất sắc quota by {over} in {agencyId}/{dutyGroup} (at most {allowed} for {good} Tốt)',
  },
  'quota.exceptionInvalid': {
    vi: 'Ngoại lệ tỷ lệ tại {agencyId}/{dutyGroup} không hợp lệ: {reason}',
    en: 'Quota exception for {agencyId}/{dutyGroup} is not valid: {reason}',
  },
  'flag.qd377': {
    vi: 'Người đứng đầu {personId}: đơn vị hoàn thành {completion}% chỉ tiêu năm < {threshold}% (QĐ 377)',
    en: 'Head {personId}: unit completed {completion}% of the year targets < {threshold}% (QĐ 377)',
  },
  'flag.qd377TwoYears': {
    vi: 'Người đứng đầu {personId}: đơn vị dưới {threshold}% hai năm liền',
    en: 'Head {personId}: unit below {threshold}% two years running',
  },
  'flag.twoYearsNotCompleted': {
    vi: '{subjectId}: Không hoàn thành nhiệm vụ hai năm liên tiếp ({years})',
    en: '{subjectId}: Không hoàn thành two consecutive years ({years})',
  },
  'flag.quotaBreach': {
    vi: 'Vượt tỷ lệ Xuất sắc {over} tại {agencyId}/{dutyGroup}',
    en: 'Xuất sắc quota exceeded by {over} in {agencyId}/{dutyGroup}',
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

function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

export function message(key: string, params: MessageParams = {}): Message {
  const t = TEMPLATES[key];
  if (!t) return { key, params, vi: key, en: key };
  return { key, params, vi: fill(t.vi, params), en: fill(t.en, params) };
}
