import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

const migrationFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export function migrator(db: Kysely<any>): Migrator {
  // Migrations are numbered by area (0100 auth, 0300 plans, 0600 history…), so a new one in an earlier area
  // sorts before one a database has already run: apply it instead of refusing the whole list.
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
    allowUnorderedMigrations: true,
  });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error)
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  return (results ?? []).map((r) => r.migrationName);
}
