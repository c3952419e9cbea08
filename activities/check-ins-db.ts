// The check-in workflow's writes to the check-in read model (check_in.status, submitted_version_id, workflow_id;
// the verification columns of check_in_value), each in one transaction with its audit entry. Idempotent: a
// retry after success finds the row already in the target state and changes nothing.
import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import { inTransaction } from '../db/executor.ts';
import '../db/schema-check-in-reopen.ts';
import '../db/schema-check-ins.ts';

export interface MarkSubmittedInput {
  checkInId: string;
  versionId: string;
  hash: string;
  workflowId: string;
  by: string;
  onBehalfOf?: string;
  round: number;
}

export interface VerificationInput {
  checkInId: string;
  versionId: string;
  workflowId: string;
  by: string;
  onBehalfOf?: string;
  round: number;
  values: {
    planId: string;
    keyResultId: string;
    verdict: 'verified' | 'returned';
    majorError?: boolean;
    comment?: string;
  }[];
}

export interface LockInput {
  checkInId: string;
  workflowId: string;
  /** The closed window's last day (yyyy-mm-dd). */
  windowClosedOn: string;
}

export interface ReopenRequestInput {
  /** `${workflowId}:reopen:${number}`. */
  id: string;
  checkInId: string;
  workflowId: string;
  number: number;
  by: string;
  onBehalfOf?: string;
  reason: string;
}

export interface ReopenDecisionInput {
  id: string;
  checkInId: string;
  decision: 'approve' | 'reject';
  by: string;
  onBehalfOf?: string;
  comment?: string;
}

/** An administrator's deadline move applied by a running check-in workflow (patch 'check-in-move-deadlines'). */
export interface DeadlineMoveInput {
  /** Idempotency key: `moved:${workflowId}:${move number}`. */
  key: string;
  checkInId: string;
  workflowId: string;
  by: string;
  reason: string;
  before: { submitDate: string; windowClosesOn?: string };
  after: { submitDate: string; windowClosesOn?: string; verifyDate?: string };
  /** The inbox tasks re-dated. */
  redated: { taskId: string; from: string; to: string }[];
}

export const valueKey = (planId: string, keyResultId: string) => `${planId}/${keyResultId}`;

export function checkInDbActivities({ db }: { db: Database }) {
  return {
    /**
     * Sets the check-in SUBMITTED with the frozen version (which must belong to it and carry `hash`), clearing
     * the verdicts of a previous round. Answers the keys ('planId/keyResultId') of the values the version froze.
     */
    async markCheckInSubmitted(m: MarkSubmittedInput): Promise<{ keys: string[]; applied: boolean }> {
      return inTransaction(db, async (trx) => {
        const v = await trx
          .selectFrom('check_in_version')
          .select(['id', 'check_in_id', 'hash', 'content', 'number'])
          .where('id', '=', m.versionId)
          .executeTakeFirst();
        if (!v || v.check_in_id !== m.checkInId || v.hash !== m.hash)
          throw ApplicationFailure.nonRetryable(
            'Phiên bản báo cáo không khớp (versionId/hash)',
            'CheckInVersionMismatch',
          );
        const content = v.content as { values?: { planId: string; keyResultId: string }[] };
        const keys = (content.values ?? []).map((x) => valueKey(x.planId, x.keyResultId));
        const row = await trx
          .selectFrom('check_in')
          .select(['status', 'submitted_version_id'])
          .where('id', '=', m.checkInId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (row.status === 'SUBMITTED' && row.submitted_version_id === m.versionId)
          return { keys, applied: false };
        await trx
          .updateTable('check_in')
          .set({
            status: 'SUBMITTED',
            submitted_version_id: m.versionId,
            workflow_id: m.workflowId,
            updated_at: sql`now()`,
          })
          .where('id', '=', m.checkInId)
          .execute();
        await trx
          .updateTable('check_in_value')
          .set({
            verification: null,
            major_error: null,
            verified_by: null,
            verified_at: null,
            verifier_comment: null,
          })
          .where('check_in_id', '=', m.checkInId)
          .execute();
        await appendAudit(trx, {
          aggregateType: 'check_in',
          aggregateId: m.checkInId,
          actor: m.by,
          action: 'check-in.submitted',
          before: { status: row.status, submittedVersionId: row.submitted_version_id },
          after: {
            status: 'SUBMITTED',
            versionId: m.versionId,
            number: v.number,
            hash: m.hash,
            round: m.round,
            ...(m.onBehalfOf ? { onBehalfOf: m.onBehalfOf } : {}),
          },
        });
        return { keys, applied: true };
      });
    },

    /** Writes the verdicts of a verification round and the check-in's status (VERIFIED or RETURNED). */
    async recordCheckInVerification(r: VerificationInput): Promise<{ applied: boolean; status: string }> {
      const status = r.values.some((v) => v.verdict === 'returned') ? 'RETURNED' : 'VERIFIED';
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('check_in')
          .select(['status', 'submitted_version_id'])
          .where('id', '=', r.checkInId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        // Already applied (a retry): the round's version is still the submitted one and its status is final.
        if (row.submitted_version_id === r.versionId && row.status === status)
          return { applied: false, status };
        for (const v of r.values) {
          await trx
            .updateTable('check_in_value')
            .set({
              verification: v.verdict,
              major_error: v.verdict === 'returned' ? (v.majorError ?? false) : null,
              verified_by: r.by,
              verified_at: sql`now()`,
              verifier_comment: v.comment ?? null,
            })
            .where('check_in_id', '=', r.checkInId)
            .where('plan_id', '=', v.planId)
            .where('key_result_id', '=', v.keyResultId)
            .execute();
        }
        await trx
          .updateTable('check_in')
          .set({ status, updated_at: sql`now()` })
          .where('id', '=', r.checkInId)
          .execute();
        await appendAudit(trx, {
          aggregateType: 'check_in',
          aggregateId: r.checkInId,
          actor: r.by,
          action: status === 'VERIFIED' ? 'check-in.verified' : 'check-in.returned',
          before: { status: row.status },
          after: {
            status,
            versionId: r.versionId,
            round: r.round,
            values: r.values.map((v) => ({ ...v })),
            ...(r.onBehalfOf ? { onBehalfOf: r.onBehalfOf } : {}),
          },
        });
        return { applied: true, status };
      });
    },

    /** The period lock (DESIGN §3): an unsubmitted check-in (DRAFT or RETURNED) becomes LOCKED. */
    async markCheckInLocked(l: LockInput): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        const row = await trx
          .selectFrom('check_in')
          .select(['status'])
          .where('id', '=', l.checkInId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (row.status === 'LOCKED') return { applied: false };
        if (row.status !== 'DRAFT' && row.status !== 'RETURNED')
          throw ApplicationFailure.nonRetryable(
            `Báo cáo đang ở trạng thái ${row.status}; không khóa kỳ`,
            'CheckInNotLockable',
          );
        await trx
          .updateTable('check_in')
          .set({ status: 'LOCKED', workflow_id: l.workflowId, updated_at: sql`now()` })
          .where('id', '=', l.checkInId)
          .execute();
        await appendAudit(trx, {
          aggregateType: 'check_in',
          aggregateId: l.checkInId,
          actor: 'system:check-in',
          action: 'check-in.locked',
          before: { status: row.status },
          after: { status: 'LOCKED', windowClosedOn: l.windowClosedOn, workflowId: l.workflowId },
        });
        return { applied: true };
      });
    },

    /**
     * Audits a deadline move on the check-in ('check-in.deadlines-moved'), once per key: a retry finds the entry
     * (its `after.key`) and writes nothing. The re-dated inbox tasks are written by openTask (task.rescheduled).
     */
    async recordCheckInDeadlineMove(m: DeadlineMoveInput): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        await trx
          .selectFrom('check_in')
          .select('id')
          .where('id', '=', m.checkInId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const done = await trx
          .selectFrom('audit_log')
          .select('id')
          .where('aggregate_type', '=', 'check_in')
          .where('aggregate_id', '=', m.checkInId)
          .where('action', '=', 'check-in.deadlines-moved')
          .where(sql<boolean>`"after"->>'key' = ${m.key}`)
          .executeTakeFirst();
        if (done) return { applied: false };
        await appendAudit(trx, {
          aggregateType: 'check_in',
          aggregateId: m.checkInId,
          actor: m.by,
          action: 'check-in.deadlines-moved',
          before: m.before,
          after: { key: m.key, workflowId: m.workflowId, reason: m.reason, ...m.after, redated: m.redated },
        });
        return { applied: true };
      });
    },

    /** Records a reopen request (idempotent by its id), audited. */
    async recordReopenRequest(r: ReopenRequestInput): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        const inserted = await trx
          .insertInto('check_in_reopen_request')
          .values({
            id: r.id,
            check_in_id: r.checkInId,
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
          aggregateType: 'check_in',
          aggregateId: r.checkInId,
          actor: r.by,
          action: 'check-in.reopen-requested',
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

    /**
     * Records the unit head's decision on a reopen request (once; a retry changes nothing); an approval sets the
     * locked check-in back to DRAFT in the same transaction. Audited.
     */
    async decideReopenRequest(d: ReopenDecisionInput): Promise<{ applied: boolean }> {
      return inTransaction(db, async (trx) => {
        const req = await trx
          .selectFrom('check_in_reopen_request')
          .select(['decision'])
          .where('id', '=', d.id)
          .forUpdate()
          .executeTakeFirst();
        if (!req)
          throw ApplicationFailure.nonRetryable(`Không có yêu cầu mở lại ${d.id}`, 'ReopenRequestMissing');
        if (req.decision !== null) return { applied: false };
        await trx
          .updateTable('check_in_reopen_request')
          .set({
            decision: d.decision,
            decided_by: d.by,
            decided_on_behalf_of: d.onBehalfOf ?? null,
            decided_at: sql`now()`,
            comment: d.comment ?? null,
          })
          .where('id', '=', d.id)
          .execute();
        const row = await trx
          .selectFrom('check_in')
          .select(['status'])
          .where('id', '=', d.checkInId)
          .forUpdate()
          .executeTakeFirstOrThrow();
        if (d.decision === 'approve' && row.status === 'LOCKED')
          await trx
            .updateTable('check_in')
            .set({ status: 'DRAFT', updated_at: sql`now()` })
            .where('id', '=', d.checkInId)
            .execute();
        await appendAudit(trx, {
          aggregateType: 'check_in',
          aggregateId: d.checkInId,
          actor: d.by,
          action: d.decision === 'approve' ? 'check-in.reopened' : 'check-in.reopen-rejected',
          before: { status: row.status },
          after: {
            requestId: d.id,
            decision: d.decision,
            status: d.decision === 'approve' ? 'DRAFT' : row.status,
            ...(d.comment ? { comment: d.comment } : {}),
            ...(d.onBehalfOf ? { onBehalfOf: d.onBehalfOf } : {}),
          },
        });
        return { applied: true };
      });
    },
  };
}
