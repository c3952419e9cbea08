// The period lock of a unit report (monthly or quarterly) and its reopen requests (migration 0560_unit_report_lock),
// read back for the report's status (api/routes/reports/reopen.ts) and its screens: the state derived from the
// rows the report workflow writes — every lock is undone only by an approved request, so the period is locked
// while it has more locks than approvals.
import type { Executor } from '../executor.ts';
import type { UnitReportKind } from '../schema-unit-report-lock.ts';
import '../schema-unit-report-lock.ts';

export type ReportLockState = 'open' | 'locked' | 'reopen-requested' | 'reopened';

export interface UnitReportReopenRequestView {
  number: number;
  requestedBy: { id: string; name: string };
  onBehalfOf: string | null;
  requestedAt: string;
  reason: string;
  decision: 'approve' | 'reject' | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  comment: string | null;
  newDueDate: string | null;
}

export interface UnitReportLockView {
  state: ReportLockState;
  /** The last lock's closed window (its last day). */
  lockedOn: string | null;
  locks: number;
  /** When reopened: the new send task's due date. */
  reopenDueDate: string | null;
  requests: UnitReportReopenRequestView[];
}

export async function unitReportLockOf(
  executor: Executor,
  kind: UnitReportKind,
  unitId: string,
  period: string,
): Promise<UnitReportLockView> {
  const locks = await executor
    .selectFrom('unit_report_lock')
    .select(['number', 'window_closed_on'])
    .where('report_kind', '=', kind)
    .where('unit_id', '=', unitId)
    .where('period', '=', period)
    .orderBy('number')
    .execute();
  const rows = await executor
    .selectFrom('unit_report_reopen_request as r')
    .innerJoin('person as p', 'p.id', 'r.requested_by')
    .leftJoin('person as d', 'd.id', 'r.decided_by')
    .select([
      'r.number',
      'r.requested_by',
      'p.full_name as requested_by_name',
      'r.requested_on_behalf_of',
      'r.requested_at',
      'r.reason',
      'r.decision',
      'r.decided_by',
      'd.full_name as decided_by_name',
      'r.decided_at',
      'r.comment',
      'r.new_due_date',
    ])
    .where('r.report_kind', '=', kind)
    .where('r.unit_id', '=', unitId)
    .where('r.period', '=', period)
    .orderBy('r.number')
    .execute();
  const requests: UnitReportReopenRequestView[] = rows.map((r) => ({
    number: r.number,
    requestedBy: { id: r.requested_by, name: r.requested_by_name },
    onBehalfOf: r.requested_on_behalf_of,
    requestedAt: new Date(r.requested_at).toISOString(),
    reason: r.reason,
    decision: r.decision,
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    comment: r.comment,
    newDueDate: r.new_due_date,
  }));
  const approved = requests.filter((r) => r.decision === 'approve');
  const last = requests.at(-1);
  const state: ReportLockState =
    locks.length > approved.length
      ? last && last.decision === null
        ? 'reopen-requested'
        : 'locked'
      : approved.length > 0
        ? 'reopened'
        : 'open';
  return {
    state,
    lockedOn: locks.at(-1)?.window_closed_on ?? null,
    locks: locks.length,
    reopenDueDate: state === 'reopened' ? (approved.at(-1)?.newDueDate ?? null) : null,
    requests,
  };
}
