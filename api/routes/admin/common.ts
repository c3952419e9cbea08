// Helpers shared by the administration sub-apps.
import type { Context } from 'hono';
import type { Selectable, Transaction, Updateable } from 'kysely';
import { appendAudit } from '../../../db/audit/index.ts';
import type { Executor } from '../../../db/executor.ts';
import type { DB } from '../../../db/schema.ts';
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

/** The tables whose rows are addressed by their `id`. */
type TableWithId = { [T in keyof DB]: DB[T] extends { id: unknown } ? T : never }[keyof DB];

export interface AuditedUpdate<T extends TableWithId, V> {
  table: T;
  id: string;
  /** The problem thrown when there is no such row. */
  notFound: () => Error;
  /** Refuses the change by throwing, given the locked row; runs before the update. */
  check?: (before: Selectable<DB[T]>) => void | Promise<void>;
  set: Updateable<DB[T]>;
  /** The audit entry on the row (the aggregate type is the table): its action and the view recorded. */
  audit: { action: string; view: (row: Selectable<DB[T]>) => V };
}

/**
 * Updates one row under lock, audited, in the caller's transaction: selects it FOR UPDATE (missing:
 * `notFound()`), runs `check`, sets `set` and appends an audit entry with the view of the row before and
 * after. Answers both rows.
 */
export async function updateRowAudited<T extends TableWithId, V>(
  trx: Transaction<DB>,
  c: Context<AuthzEnv>,
  u: AuditedUpdate<T, V>,
): Promise<{ before: Selectable<DB[T]>; after: Selectable<DB[T]> }> {
  type Row = Selectable<DB[T]>;
  // Kysely cannot resolve column names of a generic table; every TableWithId has `id`.
  const tx = trx as unknown as Transaction<Record<string, { id: string }>>;
  const table: string = u.table;
  const before = (await tx
    .selectFrom(table)
    .selectAll()
    .where('id', '=', u.id)
    .forUpdate()
    .executeTakeFirst()) as Row | undefined;
  if (!before) throw u.notFound();
  await u.check?.(before);
  const after = (await tx
    .updateTable(table)
    .set(u.set as Updateable<{ id: string }>)
    .where('id', '=', u.id)
    .returningAll()
    .executeTakeFirstOrThrow()) as Row;
  await audit(trx, c, u.table, u.id, u.audit.action, u.audit.view(before), u.audit.view(after));
  return { before, after };
}

/**
 * The column patch of a partial update: for each column, the body field named against it when the body
 * carries it (null included), in the order listed.
 */
export function columnPatch<B extends object, M extends Record<string, keyof B>>(
  body: B,
  columns: M,
): { [C in keyof M]?: Exclude<B[M[C]], undefined> } {
  const patch: Record<string, unknown> = {};
  for (const [column, field] of Object.entries(columns) as [string, keyof B][])
    if (body[field] !== undefined) patch[column] = body[field];
  return patch as { [C in keyof M]?: Exclude<B[M[C]], undefined> };
}

export function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export const rule = (status: 404 | 409 | 422, code: string, vi: string, en: string) =>
  new ApiProblem({ status, code, vi, en });
