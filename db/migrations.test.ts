import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { NO_MIGRATIONS } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../test/support/database.ts';
import { migrateToLatest, migrator } from './migrate.ts';

const { db } = await freshDatabase();

const files = readdirSync(new URL('./migrations', import.meta.url))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

async function tables(): Promise<string[]> {
  const r = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' ORDER BY table_name`.execute(db);
  return r.rows.map((x) => x.table_name);
}

describe('migrations', () => {
  it('are sortable, numbered files, all applied to the template', async () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) expect(f).toMatch(/^\d{4}_[a-z_]+$/);
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(files);
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'org_unit',
        'person',
        'employment',
        'role_assignment',
        'approval_chain_step',
        'calendar_profile',
        'audit_log',
        'audit_anchor',
        'mail_outbox',
        'notification',
      ]),
    );
  });

  it('find a person’s employment on a day by index, as the escalation placement and the openings look it up', async () => {
    const plan = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const r = await sql<{ 'QUERY PLAN': string }>`EXPLAIN
        SELECT e.org_unit_id FROM employment e
         WHERE e.person_id = ${'00000000-0000-4000-8000-000000000001'}::uuid
         ORDER BY (e.valid_from <= DATE '2027-01-11' AND (e.valid_to IS NULL OR e.valid_to >= DATE '2027-01-11')) DESC,
                  e.is_concurrent, e.valid_from DESC
         LIMIT 1`.execute(trx);
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('employment_person_ix');
  });

  it('go all the way down and up again', async () => {
    const before = await tables();
    const down = await migrator(db).migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toEqual([...files].reverse());
    expect(await tables()).toEqual([]);
    const fns = await sql<{ proname: string }>`
      SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND proname IN ('org_unit_tree_check', 'audit_append_only')`.execute(db);
    expect(fns.rows).toEqual([]);
    expect(await migrateToLatest(db)).toEqual(files);
    expect(await tables()).toEqual(before);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('each step down and up again one at a time', async () => {
    for (let i = 0; i < files.length; i++) {
      const r = await migrator(db).migrateDown();
      expect(r.error).toBeUndefined();
    }
    expect(await tables()).toEqual([]);
    for (let i = 0; i < files.length; i++) {
      const r = await migrator(db).migrateUp();
      expect(r.error).toBeUndefined();
      expect(r.results?.[0]?.migrationName).toBe(files[i]);
    }
  });
});
