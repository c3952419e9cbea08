// Formats (DESIGN §5): numbers, percentages and dates in vi and en, and diacritic-insensitive search.
export { daysInMonth, formatDate, isLeapYear, isLocalDate, parseDate } from './date.ts';
export { LOCALES, type Locale, type LocalizedText } from './locale.ts';
export {
  FORMAT_MESSAGES,
  type FormatError,
  type FormatErrorCode,
  formatError,
  type ParseResult,
} from './messages.ts';
export {
  formatNumber,
  formatPercent,
  type NumberFormatOptions,
  parseNumber,
  parsePercent,
  type Separators,
  separators,
} from './number.ts';
export { fillTemplate, templateParams } from './template.ts';
export { foldForSearch, matches } from './text.ts';
