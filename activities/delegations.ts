// The delegation workflow's writes to PostgreSQL (DESIGN §3, §5): the delegation read model, audited, with
// the messages to the principal and the delegate in the same transaction. Idempotent: guarded by
// state_version, so a retry (or an older projection arriving late) changes nothing.
import { sql } from 'kysely';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import { inTransaction } from '../db/executor.ts';
import '../db/schema-delegations.ts';
import type { DelegationStatus } from '../db/schema-delegations.ts';
import { type NotifyInput, notifyInTransaction } from './notifications.ts';

export interface DelegationProjection {
  id: string;
  workflowId: string;
  principalId: string;
  delegateId: string;
  approverId: string;
  unitId: string;
  from: string;
  to: string;
  reason: string;
  requestedBy: string;
  status: DelegationStatus;
  /** Monotonic per delegation (from the workflow state). */
  stateVersion: number;
  decidedBy?: string;
  /** Epoch ms. */
  decidedAt?: number;
  decisionNote?: string;
  revokedBy?: string;
  revokedAt?: number;
  /** Audit: who caused the transition and what it was ('delegation.approved' …). */
  actor: string;
  action: string;
  notify?: NotifyInput;
}

export function delegationActivities({ db, mailDomain }: { db: Database; mailDomain?: string }) {
  return {
    /**
     * Writes the delegation's status, audited, and its messages, in one transaction. A stale or repeated
     * projection answers applied = false. An approval that would overlap another granted delegation of the
     * principal is not written and answers conflict = true (the workflow then records the refusal).
     */
    async projectDelegation(p: DelegationProjection): Promise<{ applied: boolean; conflict?: boolean }> {
      return inTransaction(db, async (trx) => {
        const before = await trx
          .selectFrom('delegation')
          .selectAll()
          .where('id', '=', p.id)
          .forUpdate()
          .executeTakeFirst();
        if (before && before.state_version >= p.stateVersion) return { applied: false };
        if (p.status === 'APPROVED' || p.status === 'ACTIVE') {
          const clash = await trx
            .selectFrom('delegation')
            .select('id')
            .where('principal_id', '=', p.principalId)
            .where('status', 'in', ['APPROVED', 'ACTIVE'])
            .where('id', '<>', p.id)
            .where('from_date', '<=', p.to)
            .where('to_date', '>=', p.from)
            .executeTakeFirst();
          if (clash) return { applied: false, conflict: true };
        }
        const values = {
          status: p.status,
          approver_id: p.approverId,
          decided_by: p.decidedBy ?? null,
          decided_at: p.decidedAt === undefined ? null : new Date(p.decidedAt),
          decision_note: p.decisionNote ?? null,
          revoked_by: p.revokedBy ?? null,
          revoked_at: p.revokedAt === undefined ? null : new Date(p.revokedAt),
          state_version: p.stateVersion,
        };
        await trx
          .insertInto('delegation')
          .values({
            id: p.id,
            principal_id: p.principalId,
            delegate_id: p.delegateId,
            unit_id: p.unitId,
            from_date: p.from,
            to_date: p.to,
            reason: p.reason,
            workflow_id: p.workflowId,
            requested_by: p.requestedBy,
            ...values,
          })
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet({ ...values, updated_at: sql`now()` })
              .where('delegation.state_version', '<', p.stateVersion),
          )
          .execute();
        await appendAudit(trx, {
          aggregateType: 'delegation',
          aggregateId: p.id,
          actor: p.actor,
          action: p.action,
          before: before ? { status: before.status, stateVersion: before.state_version } : null,
          after: {
            status: p.status,
            stateVersion: p.stateVersion,
            ...(p.decidedBy ? { decidedBy: p.decidedBy } : {}),
            ...(p.decisionNote ? { note: p.decisionNote } : {}),
            ...(p.revokedBy ? { revokedBy: p.revokedBy } : {}),
          },
        });
        if (p.notify) await notifyInTransaction(trx, p.notify, mailDomain);
        return { applied: true };
      });
    },
  };
}
