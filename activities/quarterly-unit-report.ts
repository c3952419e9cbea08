// The quarterly unit report's activities (issue 7 point 1). freezeQuarterlyUnitReport: what the unit head's send
// freezes — the report built from the verified values of the quarter at that moment with the unit's narrative
// (db/queries/monthly-reports.ts with a 'YYYY-Qn' period; db/queries/quarterly-reports.ts), rendered to PDF and
// Excel (activities/reports), stored once with the files' sha256 and an audit entry, in one transaction.
// Idempotent: a retry (or a second send) finds the stored report and answers it unchanged.
// startQuarterlyUnitReports: the check-in opening of the month after a quarter (01/04/07/10;
// activities/check-in-opening.ts) starts the quarterly report workflow of every unit it starts a monthly one for.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import { calendarProfileOfProvince } from '../db/queries/calendar.ts';
import { buildMonthlyUnitReport, reportUnitOf } from '../db/queries/monthly-reports.ts';
import { holdersOfRole } from '../db/queries/org.ts';
import {
  insertSentQuarterlyReport,
  narrativeOf,
  sentQuarterlyReportOf,
} from '../db/queries/quarterly-reports.ts';
import { computePlanYearCalendar } from '../domain/calendar/plan-year.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import {
  type QuarterlyUnitReportInput,
  quarterlyUnitReportWorkflowId,
} from '../workflows/quarterly-unit-report.messages.ts';
import type { FreezeMonthlyReportInput, FrozenMonthlyReport } from './monthly-unit-report.ts';
import type { AssigneeRef } from './notifications.ts';
import { renderMonthlyUnitReportPdf, renderMonthlyUnitReportXlsx } from './reports/index.ts';

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
export async function quarterlyUnitReportInputFor(
  executor: Executor,
  q: { unitId: string; period: string; day: string },
): Promise<QuarterlyUnitReportInput | undefined> {
  const unit = await reportUnitOf(executor, q.unitId);
  if (!unit) return undefined;
  const stored = await calendarProfileOfProvince(executor, unit.provinceId);
  if (!stored) return undefined;
  const heads = await holdersOfRole(executor, 'unit_head', unit.id, q.day);
  const unitHead: AssigneeRef =
    heads.length === 1 && heads[0] ? { personId: heads[0].id } : { role: 'unit_head', unitId: unit.id };
  return {
    unitId: unit.id,
    provinceId: unit.provinceId,
    period: q.period,
    unitName: unit.name,
    calendar: computePlanYearCalendar(stored.profile, Number(q.period.slice(0, 4))),
    profile: stored.profile,
    parties: { unitHead, secretariat: { role: 'secretariat', unitId: unit.provinceId } },
  };
}

export function quarterlyUnitReportActivities({ db }: { db: Database }) {
  return {
    async freezeQuarterlyUnitReport(f: FreezeMonthlyReportInput): Promise<FrozenMonthlyReport> {
      const existing = await sentQuarterlyReportOf(db, f.unitId, f.period);
      if (existing)
        return {
          created: false,
          date: existing.report_date,
          pdfSha256: existing.pdf_sha256,
          xlsxSha256: existing.xlsx_sha256,
        };
      const n = await narrativeOf(db, f.unitId, f.period);
      const built = await buildMonthlyUnitReport(db, {
        unitId: f.unitId,
        period: f.period,
        date: f.date,
        number: f.number,
        narrative: { results: n.results, difficulties: n.difficulties, nextFocus: n.nextFocus },
      });
      if (!built) throw new Error(`freezeQuarterlyUnitReport: ${f.unitId} is not a unit under its province`);
      const [pdf, xlsx] = [
        await renderMonthlyUnitReportPdf(built.report),
        await renderMonthlyUnitReportXlsx(built.report),
      ];
      return inTransaction(db, async (trx) => {
        const { created, row } = await insertSentQuarterlyReport(trx, {
          unitId: f.unitId,
          period: f.period,
          number: f.number,
          date: f.date,
          model: built.report,
          pdf,
          xlsx,
          workflowId: f.workflowId,
          sentBy: f.by,
          onBehalfOf: f.onBehalfOf,
        });
        if (created)
          await appendAudit(trx, {
            aggregateType: 'quarterly_unit_report',
            aggregateId: `${f.unitId}:${f.period}`,
            actor: f.by,
            action: 'report.quarterly.sent',
            after: {
              unitId: f.unitId,
              period: f.period,
              number: f.number,
              date: f.date,
              planId: built.planId,
              planVersionId: built.planVersionId,
              narrativeRevision: n.revision,
              countedValues: built.countedValues,
              unverifiedValues: built.unverifiedValues,
              modelSha256: row.model_sha256,
              pdfSha256: row.pdf_sha256,
              xlsxSha256: row.xlsx_sha256,
              ...(f.onBehalfOf ? { onBehalfOf: f.onBehalfOf } : {}),
            },
          });
        return { created, date: row.report_date, pdfSha256: row.pdf_sha256, xlsxSha256: row.xlsx_sha256 };
      });
    },
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
  let n = 0;
  for (const unitId of new Set(q.unitIds)) {
    const input = await quarterlyUnitReportInputFor(db, { unitId, period, day: q.day });
    if (!input) continue;
    try {
      await temporal.workflow.start('quarterlyUnitReportWorkflow', {
        taskQueue: q.taskQueue ?? TASK_QUEUE,
        workflowId: quarterlyUnitReportWorkflowId(period, unitId),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
    n++;
  }
  return n;
}
