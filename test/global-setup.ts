import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { freePort } from '../devstack/ports.ts';
import {
  ensureDatabase,
  externalPostgres,
  type RunningPostgres,
  startEmbeddedPostgres,
} from '../devstack/postgres.ts';
import { startTemporalDevServer } from '../devstack/temporal.ts';

export const TEMPLATE_DB = 'woms_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDb: string;
    temporalAddress: string;
  }
}

/**
 * One PostgreSQL and one Temporal dev server per test run. The template database is migrated once;
 * each test file copies it (test/support/database.ts).
 */
export default async function setup(project: TestProject) {
  const root = join(import.meta.dirname, '..');
  await mkdir(join(root, '.tools', 'tmp'), { recursive: true });
  const tmp = await mkdtemp(join(root, '.tools', 'tmp', 'test-'));
  await chmod(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const pg: RunningPostgres = process.env.DATABASE_URL
    ? externalPostgres(process.env.DATABASE_URL)
    : await startEmbeddedPostgres({ dataDir: join(tmp, 'pg'), port: await freePort(), persistent: false });
  await ensureDatabase(pg.adminUrl, TEMPLATE_DB);
  const db = createDb(pg.urlFor(TEMPLATE_DB), { max: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  const temporal = process.env.TEMPORAL_ADDRESS
    ? undefined
    : await startTemporalDevServer({
        cli: process.env.TEMPORAL_CLI ?? join(root, '.tools', 'bin', 'temporal'),
        port: await freePort(),
      });
  project.provide('pgAdminUrl', pg.adminUrl);
  project.provide('pgTemplateDb', TEMPLATE_DB);
  project.provide('temporalAddress', process.env.TEMPORAL_ADDRESS ?? temporal!.address);
  return async () => {
    await temporal?.stop();
    await pg.stop();
    await rm(tmp, { recursive: true, force: true });
  };
}
