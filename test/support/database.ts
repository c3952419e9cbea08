import { randomUUID } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { createDb, type Database } from '../../db/connection.ts';
import { dropDatabase, ensureDatabase } from '../../devstack/postgres.ts';

export interface TestDatabase {
  db: Database;
  url: string;
  name: string;
}

/**
 * A database of this test file's own, copied from the migrated template (CREATE DATABASE … TEMPLATE),
 * dropped when the file ends. Call at module level or in beforeAll.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await ensureDatabase(adminUrl, name, inject('pgTemplateDb'));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 5 });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(adminUrl, name);
  });
  return { db, url: url.toString(), name };
}
