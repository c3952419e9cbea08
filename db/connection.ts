import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

// NUMERIC and BIGINT arrive as strings (exact); DATE stays a 'yyyy-mm-dd' string, never a local-time Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Database = Kysely<DB>;

/** How long a query waits for a connection — a new one to the server, or a free one of a full pool — before it
 *  fails (DATABASE_CONNECT_TIMEOUT_MS, 10 s by default): a request never waits forever for PostgreSQL, and the API
 *  answers the failure 503 DEPENDENCY_UNAVAILABLE (api/errors.ts). */
export function connectTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.DATABASE_CONNECT_TIMEOUT_MS;
  if (text === undefined || text === '') return 10_000;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 100)
    throw new Error(
      `DATABASE_CONNECT_TIMEOUT_MS must be a whole number of milliseconds ≥ 100, not '${text}'`,
    );
  return n;
}

export function createDb(
  connectionString: string,
  opts: { max?: number; connectTimeoutMs?: number } = {},
): Database {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? connectTimeoutMs(),
    // a connection whose server vanished without a word (a failover, a cut network) is noticed
    keepAlive: true,
  });
  // An idle connection closed by the server (a restart, a failover, a test database dropped at teardown) must
  // not crash the process: the pool replaces it on next use. 57P01 = terminated by an administrator command.
  pool.on('error', (e: Error & { code?: string }) => {
    if (e.code !== '57P01') console.warn(`[db] idle connection lost: ${e.message}`);
  });
  // A connection lost while checked out (a transaction between two statements when PostgreSQL stops) emits
  // 'error' on its client, which pg-pool listens to only while the client is idle: unheard, it would end the
  // process. Heard here, the statement that uses the client next fails ("not queryable": the API answers 503)
  // and the pool drops the client when it is released. Nothing to log: the failing statement says it.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
