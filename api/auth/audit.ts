import { appendAudit } from '../../db/audit/index.ts';
import type { Executor } from '../../db/executor.ts';

/** Appends to the account's chain (one per person), in the caller's transaction. */
export function auditAccount(
  db: Executor,
  e: { personId: string; actor: string; action: string; at: Date; before?: unknown; after?: unknown },
) {
  return appendAudit(db, {
    aggregateType: 'account',
    aggregateId: e.personId,
    actor: e.actor,
    action: e.action,
    at: e.at,
    before: e.before,
    after: e.after,
  });
}

export const SYSTEM_AUTH = 'system:auth';
