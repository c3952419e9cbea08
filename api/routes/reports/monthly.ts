// The monthly unit report (DESIGN §3 "The unit's monthly result is a report to print, sign and stamp"; issue 6
// point 6): the 'monthly' kind of the unit report routes (unit-report-routes.ts) — a 'YYYY-MM' period, files
// named "Báo cáo tháng MM-YYYY", sendable once the month's verification window has closed (windowClosesOn in
// its status); the unit head's active delegate reads it too. Sending is the Update `sendMonthlyReport` of the
// report's workflow (workflows/monthly-unit-report.ts).

import { sendMonthlyReport } from '../../../workflows/monthly-unit-report.messages.ts';
import { reportDates } from '../../../workflows/monthly-unit-report.ts';
import { z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { unitReportRoutes } from './unit-report-routes.ts';

export { attachmentDisposition, PDF_TYPE, XLSX_TYPE } from './attachment.ts';

const PERIOD = /^(20\d{2}|21\d{2}|2200)-(0[1-9]|1[0-2])$/;
const FILE = /^((?:20\d{2}|21\d{2}|2200)-(?:0[1-9]|1[0-2]))\.(pdf|xlsx)$/;

export const reportWindowOpen = (closesOn: string) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_WINDOW_NOT_CLOSED',
    vi: `Chưa hết thời hạn xác nhận kết quả của tháng (đến hết ngày ${closesOn}); chưa thể gửi báo cáo.`,
    en: `The month's verification window is still open (until the end of ${closesOn}); the report cannot be sent yet.`,
    details: { windowClosesOn: closesOn },
  });

export function monthlyReportRoutes(deps: ApiDeps) {
  return unitReportRoutes(deps, {
    kind: 'monthly',
    period: z.string().regex(PERIOD, { message: 'PERIOD_INVALID' }).openapi({ example: '2026-04' }),
    file: FILE,
    fileExample: '2026-04.pdf',
    periodInName: (period) => `${period.slice(5, 7)}-${period.slice(0, 4)}`,
    summaries: {
      status:
        "A unit's monthly report: draft (built from the verified values now) or sent (who, when, the files' sha256), its summary counts and the links of its files",
      file: "A unit's monthly report as a file: {period}.pdf (to print, sign and stamp; Nghị định 30/2020 layout, fonts embedded) or {period}.xlsx (its Excel twin) — the live draft from the verified values, or the frozen copy once sent; always an attachment",
      send: "The unit head signs and sends the unit's monthly report: freezes the PDF and the Excel file from the verified values now and notifies the province's secretariat. 409 REPORT_WINDOW_NOT_CLOSED before the month's verification window has closed, 409 REPORT_ALREADY_SENT, 403 for anyone but the unit head or their active delegate (onBehalfOf; outside the delegation window 403); a repeated Idempotency-Key is applied once",
    },
    dates: reportDates,
    sendUpdate: sendMonthlyReport,
    windowOpen: (dates) => reportWindowOpen(dates.windowClosesOn),
    delegateReads: true,
    statusShape: {
      windowClosesOn: z
        .string()
        .nullable()
        .openapi({ description: 'The last day of the verification window' }),
    },
    statusExtras: async ({ dates }) => ({ windowClosesOn: dates?.windowClosesOn ?? null }),
  });
}
