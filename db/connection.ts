import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

// NUMERIC and BIGINT arrive as strings (exact); DATE stays a 'yyyy-mm-dd' string, never a local-time Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Database = Kysely<DB>;

export function createDb(connectionString: string, opts: { max?: number } = {}): Database {
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString, max: opts.max ?? 10 }) }),
  });
}
