// The quarterly unit report's activities (issue 7 point 1), the 'quarterly' kind of activities/unit-report.ts.
// freezeQuarterlyUnitReport: what the unit head's send freezes (the report from the verified values of the
// quarter at that moment with the unit's narrative, its PDF and Excel file, stored once and audited;
// idempotent). startQuarterlyUnitReports: the check-in opening of the month after a quarter (01/04/07/10;
// activities/check-in-opening.ts) starts the quarterly report workflow of every unit it starts a monthly one for.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import type { Executor } from '../db/executor.ts';
import type { QuarterlyUnitReportInput } from '../workflows/quarterly-unit-report.messages.ts';
import type { FreezeMonthlyReportInput, FrozenMonthlyReport } from './monthly-unit-report.ts';
import { freezeUnitReport, startUnitReports, unitReportInputFor } from './unit-report.ts';

/** The quarter a month opening starts the report of: the quarter just ended when `month` is 01/04/07/10. */
export function quarterEndedBy(month: string): string | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return undefined;
  const year = Number(m[1]);
  const mm = Number(m[2]);
  if (mm % 3 !== 1) return undefined;
  return mm === 1 ? `${year - 1}-Q4` : `${year}-Q${(mm - 1) / 3}`;
}

/** The quarterly report workflow's input for a unit and quarter; undefined when the unit is not directly under
 *  its province or the province has no calendar profile. */
export const quarterlyUnitReportInputFor = (
  executor: Executor,
  q: { unitId: string; period: string; day: string },
): Promise<QuarterlyUnitReportInput | undefined> => unitReportInputFor(executor, 'quarterly', q);

export function quarterlyUnitReportActivities({ db }: { db: Database }) {
  return {
    freezeQuarterlyUnitReport: (f: FreezeMonthlyReportInput): Promise<FrozenMonthlyReport> =>
      freezeUnitReport(db, 'quarterly', f),
  };
}

/**
 * Starts the quarterly report workflow of each given unit for the quarter that ended before `month` opened (only
 * when `month` is 01/04/07/10; otherwise nothing). Idempotent like startMonthlyUnitReports. Answers how many are
 * running or done.
 */
export async function startQuarterlyUnitReports(
  db: Executor,
  temporal: Client,
  q: { month: string; day: string; unitIds: Iterable<string>; taskQueue?: string },
): Promise<number> {
  const period = quarterEndedBy(q.month);
  if (!period) return 0;
  return startUnitReports(db, temporal, 'quarterly', {
    period,
    day: q.day,
    unitIds: q.unitIds,
    taskQueue: q.taskQueue,
  });
}
