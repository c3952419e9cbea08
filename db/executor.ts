import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

/** What query functions take first, so callers compose them in one transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Runs `fn` in the caller's transaction, or in a new one when given the plain database. */
export function inTransaction<T>(executor: Executor, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (executor.isTransaction) return fn(executor as Transaction<DB>);
  return executor.transaction().execute(fn);
}
