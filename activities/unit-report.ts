// What the monthly and the quarterly unit report do alike (DESIGN §3; issue 6 point 6, issue 7 point 1),
// parameterised by the report kind (UNIT_REPORT_KINDS): the report workflow's input for a unit and period, the
// freeze a unit head's send makes — the report built from the verified values at that moment (with the unit's
// narrative for a quarter), rendered to PDF and Excel, stored once with the files' sha256 and an audit entry in
// one transaction; idempotent: a retry (or a second send) finds the stored report and answers it unchanged —
// and the start of the report workflows of a period's units (a running one is used, a closed one is left).
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import type { Executor } from '../db/executor.ts';
import { inTransaction } from '../db/executor.ts';
import { provinceCalendarOfYear } from '../db/queries/calendar.ts';
import { buildMonthlyUnitReport, reportUnitOf } from '../db/queries/monthly-reports.ts';
import { holdersOfRole } from '../db/queries/org.ts';
import { narrativeOf } from '../db/queries/quarterly-reports.ts';
import {
  insertSentUnitReport,
  SENT_REPORT_TABLE,
  sentUnitReportOf,
} from '../db/queries/sent-unit-reports.ts';
import type { UnitReportKind } from '../db/schema-unit-report-lock.ts';
import { parseMonthPeriod } from '../domain/check-in/period.ts';
import { TASK_QUEUE } from '../worker/task-queues.ts';
import {
  type MonthlyUnitReportInput,
  monthlyUnitReportWorkflowId,
} from '../workflows/monthly-unit-report.messages.ts';
import { quarterlyUnitReportWorkflowId } from '../workflows/quarterly-unit-report.messages.ts';
import type { AssigneeRef } from './notifications.ts';
import { renderMonthlyUnitReportPdf, renderMonthlyUnitReportXlsx } from './reports/index.ts';

/** How a kind differs: its workflow (type and id), the year of a period, its input's extras, its narrative. */
export const UNIT_REPORT_KINDS = {
  monthly: {
    workflowType: 'monthlyUnitReportWorkflow',
    freezeActivity: 'freezeMonthlyUnitReport',
    workflowId: monthlyUnitReportWorkflowId,
    yearOf: (period: string) => parseMonthPeriod(period).year,
    inputExtras: { dueWorkingDays: 2 },
    narrative: false,
  },
  quarterly: {
    workflowType: 'quarterlyUnitReportWorkflow',
    freezeActivity: 'freezeQuarterlyUnitReport',
    workflowId: quarterlyUnitReportWorkflowId,
    yearOf: (period: string) => Number(period.slice(0, 4)),
    inputExtras: {},
    narrative: true,
  },
} as const satisfies Record<
  UnitReportKind,
  {
    workflowType: string;
    freezeActivity: string;
    workflowId: (period: string, unitId: string) => string;
    yearOf: (period: string) => number;
    inputExtras: Partial<MonthlyUnitReportInput>;
    narrative: boolean;
  }
>;

export interface FreezeUnitReportInput {
  unitId: string;
  period: string;
  /** The day of sending (yyyy-mm-dd, Asia/Ho_Chi_Minh): the date printed. */
  date: string;
  number: string | null;
  workflowId: string;
  by: string;
  onBehalfOf?: string;
}

export interface FrozenUnitReport {
  created: boolean;
  date: string;
  pdfSha256: string;
  xlsxSha256: string;
}

/** The report workflow's input for a unit and period; undefined when the unit is not directly under its province
 *  or the province has no calendar profile. */
export async function unitReportInputFor(
  executor: Executor,
  kind: UnitReportKind,
  q: { unitId: string; period: string; day: string },
): Promise<MonthlyUnitReportInput | undefined> {
  const unit = await reportUnitOf(executor, q.unitId);
  if (!unit) return undefined;
  // the plan-year calendar with the administrator's moves (the same one the screens and the check-ins use)
  const stored = await provinceCalendarOfYear(
    executor,
    unit.provinceId,
    UNIT_REPORT_KINDS[kind].yearOf(q.period),
  );
  if (!stored) return undefined;
  const heads = await holdersOfRole(executor, 'unit_head', unit.id, q.day);
  const unitHead: AssigneeRef =
    heads.length === 1 && heads[0] ? { personId: heads[0].id } : { role: 'unit_head', unitId: unit.id };
  return {
    unitId: unit.id,
    provinceId: unit.provinceId,
    period: q.period,
    unitName: unit.name,
    calendar: stored.calendar,
    profile: stored.profile,
    parties: { unitHead, secretariat: { role: 'secretariat', unitId: unit.provinceId } },
    ...UNIT_REPORT_KINDS[kind].inputExtras,
  };
}

/** Freezes the report a send makes (see the head of this file). */
export async function freezeUnitReport(
  db: Database,
  kind: UnitReportKind,
  f: FreezeUnitReportInput,
): Promise<FrozenUnitReport> {
  const existing = await sentUnitReportOf(db, kind, f.unitId, f.period);
  if (existing)
    return {
      created: false,
      date: existing.report_date,
      pdfSha256: existing.pdf_sha256,
      xlsxSha256: existing.xlsx_sha256,
    };
  const n = UNIT_REPORT_KINDS[kind].narrative ? await narrativeOf(db, f.unitId, f.period) : undefined;
  const built = await buildMonthlyUnitReport(db, {
    unitId: f.unitId,
    period: f.period,
    date: f.date,
    number: f.number,
    ...(n ? { narrative: { results: n.results, difficulties: n.difficulties, nextFocus: n.nextFocus } } : {}),
  });
  if (!built)
    throw new Error(
      `${UNIT_REPORT_KINDS[kind].freezeActivity}: ${f.unitId} is not a unit under its province`,
    );
  const [pdf, xlsx] = [
    await renderMonthlyUnitReportPdf(built.report),
    await renderMonthlyUnitReportXlsx(built.report),
  ];
  return inTransaction(db, async (trx) => {
    const { created, row } = await insertSentUnitReport(trx, kind, {
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
        aggregateType: SENT_REPORT_TABLE[kind],
        aggregateId: `${f.unitId}:${f.period}`,
        actor: f.by,
        action: `report.${kind}.sent`,
        after: {
          unitId: f.unitId,
          period: f.period,
          number: f.number,
          date: f.date,
          planId: built.planId,
          planVersionId: built.planVersionId,
          ...(n ? { narrativeRevision: n.revision } : {}),
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
}

/** Starts the report workflow of each given unit for the period. Idempotent: a running one is used, a closed one
 *  is not started again. Answers how many are running or done. */
export async function startUnitReports(
  db: Executor,
  temporal: Client,
  kind: UnitReportKind,
  q: { period: string; day: string; unitIds: Iterable<string>; taskQueue?: string },
): Promise<number> {
  const spec = UNIT_REPORT_KINDS[kind];
  let n = 0;
  for (const unitId of new Set(q.unitIds)) {
    const input = await unitReportInputFor(db, kind, { unitId, period: q.period, day: q.day });
    if (!input) continue;
    try {
      await temporal.workflow.start(spec.workflowType, {
        taskQueue: q.taskQueue ?? TASK_QUEUE,
        workflowId: spec.workflowId(q.period, unitId),
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
