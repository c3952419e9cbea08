// The monthly unit report's activities (DESIGN §3; issue 6 point 6). freezeMonthlyUnitReport: what the unit
// head's send freezes — the report built from the verified values at that moment (db/queries/monthly-reports),
// rendered to PDF and Excel (activities/reports), stored once with the files' sha256 and an audit entry, in one
// transaction. Idempotent: a retry (or a second send) finds the stored report and answers it unchanged.
// startMonthlyUnitReports: the monthly opening (activities/check-in-opening.ts) starts the report workflow of
// every unit (directly under its province) that has persons reporting in the month; a workflow already running
// or closed is left alone.
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import { calendarProfileOfProvince } from '../db/queries/calendar.ts';
import {
  buildMonthlyUnitReport,
  insertSentReport,
  reportUnitOf,
  sentReportOf,
} from '../db/queries/monthly-reports.ts';
import { holdersOfRole } from '../db/queries/org.ts';
import { computePlanYearCalendar } from '../domain/calendar/plan-year.ts';
import { parseMonthPeriod } from '../domain/check-in/period.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import {
  type MonthlyUnitReportInput,
  monthlyUnitReportWorkflowId,
} from '../workflows/monthly-unit-report.messages.ts';
import type { AssigneeRef } from './notifications.ts';
import { renderMonthlyUnitReportPdf, renderMonthlyUnitReportXlsx } from './reports/index.ts';

export interface FreezeMonthlyReportInput {
  unitId: string;
  period: string;
  /** The day of sending (yyyy-mm-dd, Asia/Ho_Chi_Minh): the date printed. */
  date: string;
  number: string | null;
  workflowId: string;
  by: string;
  onBehalfOf?: string;
}

export interface FrozenMonthlyReport {
  created: boolean;
  date: string;
  pdfSha256: string;
  xlsxSha256: string;
}

/** The report workflow's input for a unit and month; undefined when the unit is not directly under its province
 *  or the province has no calendar profile. */
export async function monthlyUnitReportInputFor(
  executor: Executor,
  q: { unitId: string; period: string; day: string },
): Promise<MonthlyUnitReportInput | undefined> {
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
    calendar: computePlanYearCalendar(stored.profile, parseMonthPeriod(q.period).year),
    profile: stored.profile,
    parties: { unitHead, secretariat: { role: 'secretariat', unitId: unit.provinceId } },
    dueWorkingDays: 2,
  };
}

export function monthlyUnitReportActivities({ db }: { db: Database }) {
  return {
    async freezeMonthlyUnitReport(f: FreezeMonthlyReportInput): Promise<FrozenMonthlyReport> {
      const existing = await sentReportOf(db, f.unitId, f.period);
      if (existing)
        return {
          created: false,
          date: existing.report_date,
          pdfSha256: existing.pdf_sha256,
          xlsxSha256: existing.xlsx_sha256,
        };
      const built = await buildMonthlyUnitReport(db, {
        unitId: f.unitId,
        period: f.period,
        date: f.date,
        number: f.number,
      });
      if (!built) throw new Error(`freezeMonthlyUnitReport: ${f.unitId} is not a unit under its province`);
      const [pdf, xlsx] = [
        await renderMonthlyUnitReportPdf(built.report),
        await renderMonthlyUnitReportXlsx(built.report),
      ];
      return inTransaction(db, async (trx) => {
        const { created, row } = await insertSentReport(trx, {
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
            aggregateType: 'monthly_unit_report',
            aggregateId: `${f.unitId}:${f.period}`,
            actor: f.by,
            action: 'report.monthly.sent',
            after: {
              unitId: f.unitId,
              period: f.period,
              number: f.number,
              date: f.date,
              planId: built.planId,
              planVersionId: built.planVersionId,
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
 * Starts the report workflow of each given unit for the period (the monthly opening: units directly under their
 * province with persons reporting). Idempotent: a running one is used, a closed one is not started again.
 * Answers how many are running or done.
 */
export async function startMonthlyUnitReports(
  db: Executor,
  temporal: Client,
  q: { period: string; day: string; unitIds: Iterable<string>; taskQueue?: string },
): Promise<number> {
  let n = 0;
  for (const unitId of new Set(q.unitIds)) {
    const input = await monthlyUnitReportInputFor(db, { unitId, period: q.period, day: q.day });
    if (!input) continue;
    try {
      await temporal.workflow.start('monthlyUnitReportWorkflow', {
        taskQueue: q.taskQueue ?? TASK_QUEUE,
        workflowId: monthlyUnitReportWorkflowId(q.period, unitId),
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
