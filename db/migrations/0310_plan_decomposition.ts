import { type Kysely, sql } from 'kysely';

// Decomposition and cascading (DESIGN §2): a sub-unit's or a person's plan records the plan it was decomposed
// from and the mandatory key results cascaded into it (with each one's share). Written by the content path
// only — the workflow's projection rewrites `details`, so these live in their own columns.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE plan
      ADD COLUMN parent_plan_id text CONSTRAINT plan_parent_fk REFERENCES plan (id),
      ADD COLUMN cascade jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD CONSTRAINT plan_parent_ck CHECK (parent_plan_id IS NULL OR parent_plan_id <> id)`.execute(db);
  await sql`CREATE INDEX plan_parent_ix ON plan (parent_plan_id) WHERE parent_plan_id IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX plan_parent_ix`.execute(db);
  await sql`ALTER TABLE plan DROP CONSTRAINT plan_parent_ck, DROP COLUMN cascade, DROP COLUMN parent_plan_id`.execute(
    db,
  );
}
