import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

// NUMERIC and BIGINT arrive as strings (exact); DATE stays a 'yyyy-mm-dd' string, never a local-time Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Database = Kysely<DB>;

export function createDb(connectionString: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  // An idle connection closed by the server (a restart, a failover, a test database dropped at teardown) must
  // not crash the process: the pool replaces it on next use. 57P01 = terminated by an administrator command.
  pool.on('error', (e: Error & { code?: string }) => {
    if (e.code !== '57P01') console.warn(`[db] idle connection lost: ${e.message}`);
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
