// The problems a unit report's routes answer alike for the monthly and the quarterly report, worded by its kind
// (WORD: "tháng" / "monthly", "quý" / "quarterly"). The kind's own ones (the send window) are in monthly.ts and
// quarterly.ts; the lock's and the reopen requests' in reopen.ts.
import type { UnitReportKind } from '../../../db/schema-unit-report-lock.ts';
import { ApiProblem } from '../../problem.ts';
import { rule } from '../admin/common.ts';

export const WORD = {
  monthly: { vi: 'tháng', en: 'monthly', En: 'Monthly' },
  quarterly: { vi: 'quý', en: 'quarterly', En: 'Quarterly' },
} as const satisfies Record<UnitReportKind, { vi: string; en: string; En: string }>;

export const reportUnitNotFound = (kind: UnitReportKind) =>
  rule(
    404,
    'REPORT_UNIT_NOT_FOUND',
    `Báo cáo ${WORD[kind].vi} chỉ có cho đơn vị trực thuộc tỉnh.`,
    `${WORD[kind].En} reports exist only for units directly under the province.`,
  );
export const reportAlreadySent = (kind: UnitReportKind, sentAt: string) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_ALREADY_SENT',
    vi: `Báo cáo ${WORD[kind].vi} của đơn vị đã được gửi; bản đã gửi không thay đổi được.`,
    en: `The unit's ${WORD[kind].en} report has already been sent; the sent copy cannot change.`,
    details: { sentAt },
  });
export const reportNotUnitHead = (kind: UnitReportKind) =>
  new ApiProblem({
    status: 403,
    code: 'REPORT_NOT_UNIT_HEAD',
    vi: `Chỉ thủ trưởng đơn vị ký và gửi báo cáo ${WORD[kind].vi}.`,
    en: `Only the unit's head signs and sends the ${WORD[kind].en} report.`,
  });
export const calendarMissing = () =>
  rule(
    422,
    'CALENDAR_PROFILE_MISSING',
    'Tỉnh chưa có hồ sơ lịch làm việc.',
    'The province has no calendar profile yet.',
  );
