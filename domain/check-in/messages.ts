// The error catalogue of check-in values: one stable code per way an entry is refused, with whole-sentence
// messages in Vietnamese and English (templates filled with named parameters, never concatenated).
import type { LocalizedText } from '../format/locale.ts';
import { fillTemplate } from '../format/template.ts';

export const CHECK_IN_MESSAGES = {
  VALUE_REQUIRED: {
    vi: 'Chưa nhập giá trị cho mục tiêu then chốt "{title}".',
    en: 'No value was entered for the key result "{title}".',
  },
  DONE_REQUIRED: {
    vi: 'Chưa chọn hoàn thành hay chưa hoàn thành cho mốc "{title}".',
    en: 'Choose done or not done for the milestone "{title}".',
  },
  VALUE_KIND_MISMATCH: {
    vi: 'Mục tiêu then chốt "{title}" không nhận kiểu giá trị đã gửi.',
    en: 'The key result "{title}" does not take the kind of value sent.',
  },
  VALUE_INVALID: {
    vi: 'Giá trị "{input}" của "{title}" không phải là số hợp lệ: {reason}',
    en: 'The value "{input}" of "{title}" is not a valid number: {reason}',
  },
  VALUE_AMBIGUOUS: {
    vi: 'Giá trị "{input}" của "{title}" không rõ nghĩa: có thể là số nguyên {whole} hoặc số thập phân {fraction}. Hãy viết {whole} nếu là số nguyên, hoặc {fraction} nếu là số thập phân.',
    en: 'The value "{input}" of "{title}" is ambiguous: it could be the whole number {whole} or the decimal {fraction}. Write {whole} for the whole number, or {fraction} for the decimal.',
  },
  STATUS_REQUIRED: {
    vi: 'Chưa chọn tình trạng (đúng tiến độ, có nguy cơ, chậm tiến độ) cho "{title}".',
    en: 'No status (on track, at risk, off track) was chosen for "{title}".',
  },
  EXPLANATION_REQUIRED: {
    vi: '"{title}" chậm tiến độ: cần ghi rõ lý do và hướng khắc phục.',
    en: '"{title}" is off track: explain why and what will be done.',
  },
  EXPLANATION_TOO_LONG: {
    vi: 'Giải trình của "{title}" dài {length} ký tự, vượt quá {max} ký tự cho phép.',
    en: 'The explanation of "{title}" is {length} characters long, over the {max} allowed.',
  },
  CONFIDENCE_OUT_OF_RANGE: {
    vi: 'Mức tin cậy của "{title}" phải là số nguyên từ 0 đến 100.',
    en: 'The confidence of "{title}" must be a whole number from 0 to 100.',
  },
  EVIDENCE_TOO_MANY: {
    vi: '"{title}" có {count} minh chứng, vượt quá {max} minh chứng cho phép.',
    en: '"{title}" has {count} evidence files, over the {max} allowed.',
  },
  EVIDENCE_UNKNOWN: {
    vi: 'Minh chứng gắn với "{title}" không tồn tại hoặc không phải của bạn hay đơn vị bạn.',
    en: 'Evidence attached to "{title}" does not exist or is not yours or your unit\'s.',
  },
  EVIDENCE_REQUIRED: {
    vi: '"{title}" cần có minh chứng trước khi nộp.',
    en: '"{title}" needs evidence before it is submitted.',
  },
  KR_NOT_IN_PERIOD: {
    vi: 'Mục tiêu then chốt "{keyResultId}" không thuộc các mục tiêu bạn phải báo cáo trong kỳ {period}.',
    en: 'The key result "{keyResultId}" is not one you report in the period {period}.',
  },
  KR_DUPLICATE: {
    vi: 'Mục tiêu then chốt "{keyResultId}" được gửi nhiều lần trong cùng một lần lưu.',
    en: 'The key result "{keyResultId}" was sent more than once in one save.',
  },
} as const satisfies Record<string, LocalizedText>;

export type CheckInErrorCode = keyof typeof CHECK_IN_MESSAGES;

/** VALUE_KIND_MISMATCH worded by what the key result takes (its `expected` parameter), each a whole sentence. */
export const VALUE_KIND_MISMATCH_MESSAGES = {
  number: {
    vi: 'Mục tiêu then chốt "{title}" nhận một số, không nhận hoàn thành / chưa hoàn thành.',
    en: 'The key result "{title}" takes a number, not done / not done.',
  },
  milestone: {
    vi: 'Mốc "{title}" nhận hoàn thành / chưa hoàn thành, không nhận một số.',
    en: 'The milestone "{title}" takes done / not done, not a number.',
  },
} as const satisfies Record<string, LocalizedText>;

/** Why an entry was refused: the key result, the field, a stable code, and the message in both languages. */
export interface CheckInError {
  planId: string;
  keyResultId: string;
  field: 'value' | 'done' | 'status' | 'confidence' | 'explanation' | 'evidenceIds' | 'keyResult';
  code: CheckInErrorCode;
  params: Record<string, string>;
  message: LocalizedText;
}

export function checkInError(
  where: Pick<CheckInError, 'planId' | 'keyResultId' | 'field'>,
  code: CheckInErrorCode,
  params: Record<string, string> = {},
  /** A wording of the code's own in place of its catalogue entry (VALUE_KIND_MISMATCH_MESSAGES). */
  text: LocalizedText = CHECK_IN_MESSAGES[code],
): CheckInError {
  return {
    ...where,
    code,
    params,
    message: { vi: fillTemplate(text.vi, params), en: fillTemplate(text.en, params) },
  };
}
