// The reopen requests of a locked check-in (migration 0420_check_in_reopen), oldest first, with the names of who
// asked and who decided — for the check-in's detail (api/routes/check-ins/read.ts) and the unit head's
// decision screen.
import type { Executor } from '../executor.ts';
import '../schema-check-in-reopen.ts';

export interface ReopenRequestView {
  id: string;
  number: number;
  requestedBy: { id: string; name: string };
  onBehalfOf: string | null;
  requestedAt: string;
  reason: string;
  decision: 'approve' | 'reject' | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  comment: string | null;
}

export async function reopenRequestsOf(executor: Executor, checkInId: string): Promise<ReopenRequestView[]> {
  const rows = await executor
    .selectFrom('check_in_reopen_request as r')
    .innerJoin('person as p', 'p.id', 'r.requested_by')
    .leftJoin('person as d', 'd.id', 'r.decided_by')
    .select([
      'r.id',
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
    ])
    .where('r.check_in_id', '=', checkInId)
    .orderBy('r.number')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    requestedBy: { id: r.requested_by, name: r.requested_by_name },
    onBehalfOf: r.requested_on_behalf_of,
    requestedAt: new Date(r.requested_at).toISOString(),
    reason: r.reason,
    decision: r.decision,
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name ?? '' } : null,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    comment: r.comment,
  }));
}
