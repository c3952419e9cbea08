// The error catalogue of the format parsers: one stable code per way an input can be rejected, with
// its message in Vietnamese and English as whole-sentence templates.
import type { LocalizedText } from './locale.ts';
import { fillTemplate } from './template.ts';

export const FORMAT_MESSAGES = {
  NUMBER_EMPTY: {
    vi: 'Chưa nhập số.',
    en: 'No number was entered.',
  },
  NUMBER_INVALID_CHARACTERS: {
    vi: '"{input}" có ký tự không phải chữ số, dấu chấm hoặc dấu phẩy.',
    en: '"{input}" contains characters other than digits, dots and commas.',
  },
  NUMBER_MISSING_DIGITS: {
    vi: '"{input}" thiếu chữ số trước hoặc sau dấu thập phân "{decimal}".',
    en: '"{input}" is missing digits before or after the decimal separator "{decimal}".',
  },
  NUMBER_MULTIPLE_DECIMAL_SEPARATORS: {
    vi: '"{input}" có nhiều hơn một dấu thập phân "{decimal}".',
    en: '"{input}" has more than one decimal separator "{decimal}".',
  },
  NUMBER_SEPARATORS_WRONG_ORDER: {
    vi: '"{input}" có dấu phân cách hàng nghìn "{group}" nằm sau dấu thập phân "{decimal}". Ví dụ đúng: {example}.',
    en: '"{input}" has the thousands separator "{group}" after the decimal separator "{decimal}". A correct example: {example}.',
  },
  NUMBER_INVALID_GROUPING: {
    vi: '"{input}": dấu "{group}" chỉ dùng để tách nhóm ba chữ số hàng nghìn; phần thập phân dùng dấu "{decimal}". Ví dụ đúng: {example}.',
    en: '"{input}": "{group}" only separates groups of three digits; the decimal separator is "{decimal}". A correct example: {example}.',
  },
  NUMBER_AMBIGUOUS_SEPARATOR: {
    vi: '"{input}" không rõ nghĩa: có thể là số thập phân hoặc số hàng nghìn. Hãy viết {asThousands} nếu là số hàng nghìn, hoặc thêm số 0 ở cuối ({withZero}) nếu là số thập phân.',
    en: '"{input}" is ambiguous: it could be a decimal or a number in the thousands. Write {asThousands} for the thousands, or add a trailing zero ({withZero}) for the decimal.',
  },
  PERCENT_EMPTY: {
    vi: 'Chưa nhập tỷ lệ phần trăm.',
    en: 'No percentage was entered.',
  },
  DATE_EMPTY: {
    vi: 'Chưa nhập ngày.',
    en: 'No date was entered.',
  },
  DATE_INVALID_FORMAT: {
    vi: '"{input}" không đúng dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 30/11/2026.',
    en: '"{input}" is not a date in the form day/month/year (dd/mm/yyyy), e.g. 30/11/2026.',
  },
  DATE_INVALID_YEAR: {
    vi: '"{input}": năm {year} không hợp lệ.',
    en: '"{input}": the year {year} is not valid.',
  },
  DATE_INVALID_MONTH: {
    vi: '"{input}": tháng {month} không tồn tại; tháng phải từ 1 đến 12.',
    en: '"{input}": there is no month {month}; the month must be from 1 to 12.',
  },
  DATE_INVALID_DAY: {
    vi: '"{input}": tháng {month}/{year} không có ngày {day} (tháng này có {daysInMonth} ngày).',
    en: '"{input}": {month}/{year} has no day {day} (that month has {daysInMonth} days).',
  },
} as const satisfies Record<string, LocalizedText>;

export type FormatErrorCode = keyof typeof FORMAT_MESSAGES;

/** Why an input was rejected: a stable code, its parameters and the message in both languages. */
export interface FormatError {
  code: FormatErrorCode;
  params: Record<string, string>;
  message: LocalizedText;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: FormatError };

export function formatError(code: FormatErrorCode, params: Record<string, string> = {}): FormatError {
  const t = FORMAT_MESSAGES[code];
  return { code, params, message: { vi: fillTemplate(t.vi, params), en: fillTemplate(t.en, params) } };
}

export function fail<T>(code: FormatErrorCode, params: Record<string, string> = {}): ParseResult<T> {
  return { ok: false, error: formatError(code, params) };
}
