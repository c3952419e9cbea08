// The unit reports' period lock and reopen requests (DESIGN §3: a unit item's period reopens only by a request
// with a reason approved by the secretariat; issue 6 point 3), written by runUnitReport
// (workflows/monthly-unit-report.ts, patch 'unit-report-period-lock') for the monthly and the quarterly report.
// Each write is one transaction with its audit entry (aggregate: the report, `${unitId}:${period}`), idempotent
// by the workflow's business key: a retry finds the row and changes nothing.
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import { inTransaction } from '../db/executor.ts';
import type { UnitReportKind } from '../db/schema-unit-report-lock.ts';
import '../db/schema-unit-report-lock.ts';

interface ReportRef {
  kind: UnitReportKind;
  unitId: string;
  period: string;
  workflowId: string;
}

export interface UnitReportLockInput extends ReportRef {
  /** `${workflowId}:lock:${number}`. */
  id: string;
  number: number;
  /** The closed window's last day (yyyy-mm-dd). */
  windowClosedOn: string;
}

export interface UnitReportReopenRequestInput extends ReportRef {
  /** `${workflowId}:reopen:${number}`. */
  id: string;
  number: number;
  by: string;
  onBehalfOf?: string;
  reason: string;
}

export interface UnitReportReopenDecisionInput extends ReportRef {
  id: string;
  approve: boolean;
  by: string;
  onBehalfOf?: string;
  comment?: string;
  /** An approval: the new send task's due date. */
  newDueDate?: string;
}

const aggregate = (r: ReportRef) => ({
  aggregateType: `${r.kind}_unit_report`,
  aggregateId: `${r.unitId}:${r.period}`,
});

export function unitReportLockActivities({ db }: { db: Database }) {
  return {
    /** Records a lock of the report's period (the window closed with the report unsent), audited. */
    async markUnitReportLocked(l: UnitReportLockInput): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        const inserted = await trx
          .insertInto('unit_report_lock')
          .values({
            id: l.id,
            report_kind: l.kind,
            unit_id: l.unitId,
            period: l.period,
            number: l.number,
            workflow_id: l.workflowId,
            window_closed_on: l.windowClosedOn,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return { applied: false };
        await appendAudit(trx, {
          ...aggregate(l),
          actor: `system:${l.kind}-report`,
          action: `report.${l.kind}.locked`,
          after: {
            status: 'LOCKED',
            number: l.number,
            windowClosedOn: l.windowClosedOn,
            workflowId: l.workflowId,
          },
        });
        return { applied: true };
      });
    },

    /** Records a reopen request of a locked report (idempotent by its id), audited. */
    async recordUnitReportReopenRequest(r: UnitReportReopenRequestInput): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        const inserted = await trx
          .insertInto('unit_report_reopen_request')
          .values({
            id: r.id,
            report_kind: r.kind,
            unit_id: r.unitId,
            period: r.period,
            number: r.number,
            workflow_id: r.workflowId,
            requested_by: r.by,
            requested_on_behalf_of: r.onBehalfOf ?? null,
            reason: r.reason,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return { applied: false };
        await appendAudit(trx, {
          ...aggregate(r),
          actor: r.by,
          action: `report.${r.kind}.reopen-requested`,
          after: {
            requestId: r.id,
            number: r.number,
            reason: r.reason,
            ...(r.onBehalfOf ? { onBehalfOf: r.onBehalfOf } : {}),
          },
        });
        return { applied: true };
      });
    },

    /** Records the decision on a reopen request (once; a retry changes nothing), audited. */
    async decideUnitReportReopen(d: UnitReportReopenDecisionInput): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        const req = await trx
          .selectFrom('unit_report_reopen_request')
          .select(['decision'])
          .where('id', '=', d.id)
          .forUpdate()
          .executeTakeFirst();
        if (!req)
          throw ApplicationFailure.nonRetryable(
            `Không có yêu cầu mở lại ${d.id}`,
            'UnitReportReopenRequestMissing',
          );
        if (req.decision !== null) return { applied: false };
        const decision = d.approve ? ('approve' as const) : ('reject' as const);
        await trx
          .updateTable('unit_report_reopen_request')
          .set({
            decision,
            decided_by: d.by,
            decided_on_behalf_of: d.onBehalfOf ?? null,
            decided_at: sql`now()`,
            comment: d.comment ?? null,
            new_due_date: d.approve ? (d.newDueDate ?? null) : null,
          })
          .where('id', '=', d.id)
          .execute();
        await appendAudit(trx, {
          ...aggregate(d),
          actor: d.by,
          action: d.approve ? `report.${d.kind}.reopened` : `report.${d.kind}.reopen-rejected`,
          before: { status: 'LOCKED' },
          after: {
            requestId: d.id,
            decision,
            status: d.approve ? 'OPEN' : 'LOCKED',
            ...(d.newDueDate && d.approve ? { dueDate: d.newDueDate } : {}),
            ...(d.comment ? { comment: d.comment } : {}),
            ...(d.onBehalfOf ? { onBehalfOf: d.onBehalfOf } : {}),
          },
        });
        return { applied: true };
      });
    },
  };
}
