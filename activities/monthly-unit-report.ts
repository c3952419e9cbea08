// The monthly unit report's activities (DESIGN §3; issue 6 point 6), the 'monthly' kind of activities/unit-report.ts.
// freezeMonthlyUnitReport: what the unit head's send freezes (the report from the verified values at that moment,
// its PDF and Excel file, stored once and audited; idempotent). startMonthlyUnitReports: the monthly opening
// (activities/check-in-opening.ts) starts the report workflow of every unit (directly under its province) that
// has persons reporting in the month; a workflow already running or closed is left alone.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import type { Executor } from '../db/executor.ts';
import type { MonthlyUnitReportInput } from '../workflows/monthly-unit-report.messages.ts';
import {
  type FreezeUnitReportInput,
  type FrozenUnitReport,
  freezeUnitReport,
  startUnitReports,
  unitReportInputFor,
} from './unit-report.ts';

export type FreezeMonthlyReportInput = FreezeUnitReportInput;
export type FrozenMonthlyReport = FrozenUnitReport;

/** The report workflow's input for a unit and month; undefined when the unit is not directly under its province
 *  or the province has no calendar profile. */
export const monthlyUnitReportInputFor = (
  executor: Executor,
  q: { unitId: string; period: string; day: string },
): Promise<MonthlyUnitReportInput | undefined> => unitReportInputFor(executor, 'monthly', q);

export function monthlyUnitReportActivities({ db }: { db: Database }) {
  return {
    freezeMonthlyUnitReport: (f: FreezeMonthlyReportInput): Promise<FrozenMonthlyReport> =>
      freezeUnitReport(db, 'monthly', f),
  };
}

/** Starts the report workflow of each given unit for the month (the monthly opening: units directly under their
 *  province with persons reporting). Answers how many are running or done. */
export const startMonthlyUnitReports = (
  db: Executor,
  temporal: Client,
  q: { period: string; day: string; unitIds: Iterable<string>; taskQueue?: string },
): Promise<number> => startUnitReports(db, temporal, 'monthly', q);
