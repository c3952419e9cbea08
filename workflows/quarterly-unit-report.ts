// The quarterly unit report of one unit (directly under its province) and one quarter (issue 7 point 1: "each
// unit's report is generated from its verified values with a narrative the unit writes, sent by the 10th of the
// month after the quarter"), a unit-level item (DESIGN §1). The unit head's 'report.quarterly' task ("Ký và gửi
// báo cáo quý") opens when the month after the quarter opens (00:00 of its 1st day, Asia/Ho_Chi_Minh; the
// check-in opening of months 01/04/07/10 starts this workflow) and is due on the plan-year calendar's
// `quarter-report.<YYYY-Qn>` deadline: the profile's quarterReportDay (the 10th) of the month after the quarter,
// moved to a working day by the profile's roll, or the administrator's override. The run is the monthly
// report's (runUnitReport in workflows/monthly-unit-report.ts): the unit-level ladder to the secretariat, the
// Update `sendQuarterlyReport` by the unit head (or their delegate) freezing the PDF and the Excel file with
// their sha256 (quarterly_unit_report, audited) and notifying the secretariat, and its period lock and reopen
// requests (patch 'unit-report-period-lock': locked the working day after the ladder's last rung; the Updates
// `requestReportReopen` / `decideReportReopen`; a 'report.quarterly.reopen' task for the secretariat).
//
// Deadline moves (patch 'unit-report-move-deadlines', issue 6): the shared `moveReportDeadlines` Update re-dates the
// task to a moved `quarter-report.<period>` (runUnitReport; its opening, the month after the quarter, does not move).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { vnInstant, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { runUnitReport } from './monthly-unit-report.ts';
import {
  getQuarterlyReportState,
  QUARTERLY_REPORT_TASK_KIND,
  type QuarterlyUnitReportInput,
  type QuarterlyUnitReportView,
  sendQuarterlyReport,
} from './quarterly-unit-report.messages.ts';

export * from './quarterly-unit-report.messages.ts';

const render = proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

/** The first day of the month after the quarter ('2026-Q2' → '2026-07-01'; '2026-Q4' → '2027-01-01'). */
export function quarterAfterStart(period: string): LocalDate {
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!m) throw new RangeError(`not a quarter period (YYYY-Qn): ${period}`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  return q === 4 ? `${year + 1}-01-01` : `${year}-${String(3 * q + 1).padStart(2, '0')}-01`;
}

/** When the task opens (the month after the quarter opens) and its due date (`quarter-report.<period>`). */
export function quarterlyReportDates(input: QuarterlyUnitReportInput): {
  opensAt: number;
  opensOn: LocalDate;
  dueDate: LocalDate;
} {
  const opensAt = vnInstant(quarterAfterStart(input.period));
  return {
    opensAt,
    opensOn: vnLocalDate(opensAt),
    dueDate: deadlineById(input.calendar, `quarter-report.${input.period}`).date,
  };
}

export async function quarterlyUnitReportWorkflow(
  input: QuarterlyUnitReportInput,
): Promise<QuarterlyUnitReportView> {
  return runUnitReport(input, {
    dates: quarterlyReportDates(input),
    datesOf: quarterlyReportDates,
    taskKind: QUARTERLY_REPORT_TASK_KIND,
    subjectType: 'quarterly_unit_report',
    screen: '/reports/quarterly',
    system: 'system:quarterly-report',
    updateName: 'sendQuarterlyReport',
    update: sendQuarterlyReport,
    query: getQuarterlyReportState,
    freeze: (f) => render.freezeQuarterlyUnitReport(f),
    word: { vi: 'quý', en: 'quarterly', En: 'Quarterly' },
    refusals: {
      windowOpen: 'Quý chưa kết thúc',
      alreadySent: 'Báo cáo quý đã được gửi',
      notUnitHead: 'Chỉ thủ trưởng đơn vị ký và gửi báo cáo',
    },
  });
}
