// Helpers shared by the administration sub-apps.
import type { Context } from 'hono';
import { appendAudit } from '../../../db/audit/index.ts';
import type { Executor } from '../../../db/executor.ts';
import type { AuthzEnv } from '../../authz/middleware.ts';
import { unauthenticated } from '../../authz/middleware.ts';
import { ApiProblem } from '../../problem.ts';

/** The acting person's id for the audit trail. */
export function actorId(c: Context<AuthzEnv>): string {
  const a = c.get('actor');
  if (!a) throw unauthenticated();
  return a.personId;
}

export function audit(
  trx: Executor,
  c: Context<AuthzEnv>,
  aggregateType: string,
  aggregateId: string,
  action: string,
  before: unknown,
  after: unknown,
) {
  return appendAudit(trx, { aggregateType, aggregateId, actor: actorId(c), action, before, after });
}

export function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export const rule = (status: 404 | 409 | 422, code: string, vi: string, en: string) =>
  new ApiProblem({ status, code, vi, en });
