// Wire contracts of the quarterly unit report workflow (one per unit directly under its province and quarter;
// issue 7 point 1): id helper, Update and Query definitions, input type. The input, results and view are the
// monthly report's (workflows/monthly-unit-report.messages.ts) with a 'YYYY-Qn' period. Names are wire
// contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  MonthlyUnitReportInput,
  MonthlyUnitReportView,
  SendMonthlyReportArgs,
  SendMonthlyReportResult,
} from './monthly-unit-report.messages.ts';

/** The reopen Updates are the monthly report's (one run: runUnitReport). */
/** The deadline-move Update is the monthly report's too (patch 'unit-report-move-deadlines'). */
export {
  decideReportReopen,
  type MoveReportDeadlinesArgs,
  type MoveReportDeadlinesResult,
  moveReportDeadlines,
  requestReportReopen,
} from './monthly-unit-report.messages.ts';

/** One report workflow per unit (directly under its province) and quarter ('YYYY-Qn'). */
export const quarterlyUnitReportWorkflowId = (period: string, unitId: string) =>
  `unit-report:${period}:unit:${unitId}`;

/** The inbox task kind of the quarterly report (the unit head signs and sends it). */
export const QUARTERLY_REPORT_TASK_KIND = 'report.quarterly';

/** The monthly input with `period` a quarter ('YYYY-Qn'); `calendar` is the plan-year calendar of its year,
 *  whose `quarter-report.<period>` deadline is the due date; `dueWorkingDays` is not used. */
export type QuarterlyUnitReportInput = MonthlyUnitReportInput;
export type QuarterlyUnitReportView = MonthlyUnitReportView;
export type SendQuarterlyReportArgs = SendMonthlyReportArgs;
export type SendQuarterlyReportResult = SendMonthlyReportResult;

export const sendQuarterlyReport = defineUpdate<SendQuarterlyReportResult, [SendQuarterlyReportArgs]>(
  'sendQuarterlyReport',
);
export const getQuarterlyReportState = defineQuery<QuarterlyUnitReportView>('getQuarterlyReportState');
