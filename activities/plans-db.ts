import { ApplicationFailure } from '@temporalio/common';
import { sql } from 'kysely';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import { type Executor, inTransaction } from '../db/executor.ts';
import { recordTargetRevisions } from '../db/queries/check-ins.ts';
import '../db/schema-plans.ts';
import type { PlanStatus } from '../db/schema-plans.ts';
import type { Plan } from '../domain/plan/model.ts';
import { failFastOnBadReference } from './notifications.ts';

export interface PlanStatusProjection {
  planId: string;
  ownerKind: 'unit' | 'person';
  unitId?: string;
  personId?: string;
  year: number;
  workflowId: string;
  status: PlanStatus;
  phase: string;
  filed: boolean;
  submittedVersionId?: string;
  inForceVersionId?: string;
  overdueLevel: number;
  nextDeadlineAt?: number;
  /** Monotonic per plan (from the workflow state): an older projection never overwrites a newer one. */
  stateVersion: number;
  /** Audit: who caused the transition and what it was ('plan.submitted' …). */
  actor: string;
  action: string;
  details?: Record<string, unknown>;
}

export interface EffectFailure {
  planId: string;
  workflowId: string;
  effect: string;
  /** The effect's idempotency key. */
  key: string;
  message: string;
}

export function planDbActivities({ db }: { db: Database }) {
  return {
    /**
     * Writes the plan's status read model, guarded by state_version (retries and out-of-order retries
     * converge), and audits the transition it records. Returns applied = false for a stale projection.
     */
    async projectPlanStatus(p: PlanStatusProjection): Promise<{ applied: boolean }> {
      return failFastOnBadReference(`projectPlanStatus ${p.planId}`, () => project(p));
    },

    /**
     * Records that a non-essential effect of a plan workflow (a message) failed for good (a bad reference):
     * an 'effect-failed' audit entry on the plan, once per effect key.
     */
    async recordEffectFailure(f: EffectFailure): Promise<{ recorded: boolean }> {
      return inTransaction(db, async (trx) => {
        const already = await trx
          .selectFrom('audit_log')
          .select('id')
          .where('aggregate_type', '=', 'plan')
          .where('aggregate_id', '=', f.planId)
          .where('action', '=', 'effect-failed')
          .where(sql<boolean>`after->>'key' = ${f.key}`)
          .executeTakeFirst();
        if (already) return { recorded: false };
        await appendAudit(trx, {
          aggregateType: 'plan',
          aggregateId: f.planId,
          actor: 'system:annual-plan',
          action: 'effect-failed',
          after: { workflowId: f.workflowId, effect: f.effect, key: f.key, message: f.message },
        });
        return { recorded: true };
      });
    },
  };

  function project(p: PlanStatusProjection): Promise<{ applied: boolean }> {
    return inTransaction(db, async (trx) => {
      const before = await trx
        .selectFrom('plan')
        .selectAll()
        .where('id', '=', p.planId)
        .forUpdate()
        .executeTakeFirst();
      if (before && before.state_version >= p.stateVersion) return { applied: false };
      const values = {
        status: p.status,
        phase: p.phase,
        filed: p.filed,
        submitted_version_id: p.submittedVersionId ?? null,
        in_force_version_id: p.inForceVersionId ?? null,
        overdue_level: p.overdueLevel,
        next_deadline_at: p.nextDeadlineAt === undefined ? null : new Date(p.nextDeadlineAt),
        state_version: p.stateVersion,
        workflow_id: p.workflowId,
      };
      await trx
        .insertInto('plan')
        .values({
          id: p.planId,
          owner_kind: p.ownerKind,
          unit_id: p.unitId ?? null,
          person_id: p.ownerKind === 'person' ? (p.personId ?? null) : null,
          year: p.year,
          ...values,
        })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ ...values, updated_at: sql`now()` })
            .where('plan.state_version', '<', p.stateVersion),
        )
        .execute();
      if (p.action === 'plan.amended') await recordAmendedTargets(trx, p);
      await appendAudit(trx, {
        aggregateType: 'plan',
        aggregateId: p.planId,
        actor: p.actor,
        action: p.action,
        before: before
          ? { status: before.status, phase: before.phase, stateVersion: before.state_version }
          : null,
        after: {
          status: p.status,
          phase: p.phase,
          filed: p.filed,
          stateVersion: p.stateVersion,
          submittedVersionId: p.submittedVersionId,
          inForceVersionId: p.inForceVersionId,
          ...(p.details ?? {}),
        },
      });
      return { applied: true };
    });
  }
}

/**
 * An approved amendment (issue 6 point 4): every key-result target it changes — annual or of a period — goes to
 * the key result's target history with who approved it, why (the amendment's reason) and the version it came
 * with. Runs inside the projection's transaction, which the state_version guard applies once.
 */
async function recordAmendedTargets(trx: Executor, p: PlanStatusProjection): Promise<void> {
  const d = (p.details ?? {}) as { versionId?: unknown; previousVersionId?: unknown; reason?: unknown };
  if (typeof d.versionId !== 'string' || typeof d.previousVersionId !== 'string') return;
  const versions = await trx
    .selectFrom('plan_version')
    .select(['id', 'content'])
    .where('id', 'in', [d.previousVersionId, d.versionId])
    .execute();
  const from = versions.find((v) => v.id === d.previousVersionId)?.content as unknown as Plan | undefined;
  const to = versions.find((v) => v.id === d.versionId)?.content as unknown as Plan | undefined;
  if (!from || !to)
    throw ApplicationFailure.nonRetryable(
      `projectPlanStatus ${p.planId}: plan.amended names an unknown version (${d.previousVersionId} or ${d.versionId})`,
      'BadReference',
    );
  await recordTargetRevisions(trx, {
    planId: p.planId,
    from,
    to,
    planVersionId: d.versionId,
    by: p.actor,
    reason: typeof d.reason === 'string' && d.reason.trim() ? d.reason : 'Điều chỉnh kế hoạch',
  });
}
