import { type Kysely, sql } from 'kysely';
import { FOLD_TRANSLATION } from '../../domain/format/text.ts';

// The search index of plan content (issue 5, point 4): one row per task and key result of each plan's
// latest version, with its title folded the way domain/format/text.ts folds (no diacritics, lower case),
// under a trigram index so "chuyen doi so" finds "Chuyển đổi số" without reading every plan's content.
// A trigger keeps it in step with plan_version (rows are only ever inserted, and the newest is the latest),
// so every writer of versions — the editor, imports, decomposition — is covered without remembering to.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  // The translation table is data frozen into the function; a change of folding needs a new migration.
  await sql`
    CREATE FUNCTION woms_fold(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
      AS $$ SELECT regexp_replace(btrim(translate(lower(t), ${sql.lit(FOLD_TRANSLATION.from)}, ${sql.lit(FOLD_TRANSLATION.to)})), '\\s+', ' ', 'g') $$`.execute(
    db,
  );
  await sql`
    CREATE TABLE search_entry (
      plan_id text NOT NULL CONSTRAINT search_entry_plan_fk REFERENCES plan (id) ON DELETE CASCADE,
      kind text NOT NULL,
      item_id text NOT NULL,
      title text NOT NULL,
      task_title text,
      folded text NOT NULL,
      CONSTRAINT search_entry_pk PRIMARY KEY (plan_id, kind, item_id),
      CONSTRAINT search_entry_kind_ck CHECK (kind IN ('task', 'keyResult'))
    )`.execute(db);
  await sql`CREATE INDEX search_entry_folded_trgm ON search_entry USING gin (folded gin_trgm_ops)`.execute(
    db,
  );
  await sql`
    CREATE FUNCTION search_entry_refresh(p_plan text, p_content jsonb) RETURNS void LANGUAGE sql AS $$
      DELETE FROM search_entry WHERE plan_id = p_plan;
      INSERT INTO search_entry (plan_id, kind, item_id, title, task_title, folded)
      SELECT p_plan, 'task', t->>'id', t->>'title', NULL, woms_fold(t->>'title')
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_content->'tasks') = 'array' THEN p_content->'tasks' ELSE '[]'::jsonb END) t
       WHERE jsonb_typeof(t->'id') IS NOT NULL AND jsonb_typeof(t->'title') = 'string'
      UNION ALL
      SELECT p_plan, 'keyResult', k->>'id', k->>'title', t->>'title', woms_fold(k->>'title')
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_content->'tasks') = 'array' THEN p_content->'tasks' ELSE '[]'::jsonb END) t,
             jsonb_array_elements(CASE WHEN jsonb_typeof(t->'keyResults') = 'array' THEN t->'keyResults' ELSE '[]'::jsonb END) k
       WHERE jsonb_typeof(k->'id') IS NOT NULL AND jsonb_typeof(k->'title') = 'string'
      ON CONFLICT DO NOTHING;
    $$`.execute(db);
  await sql`
    CREATE FUNCTION search_entry_on_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM search_entry_refresh(NEW.plan_id, NEW.content);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER plan_version_search AFTER INSERT ON plan_version
    FOR EACH ROW EXECUTE FUNCTION search_entry_on_version()`.execute(db);
  // Plans that already have versions.
  await sql`
    SELECT search_entry_refresh(v.plan_id, v.content)
      FROM (SELECT DISTINCT ON (plan_id) plan_id, content FROM plan_version ORDER BY plan_id, number DESC) v`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER plan_version_search ON plan_version`.execute(db);
  await sql`DROP FUNCTION search_entry_on_version()`.execute(db);
  await sql`DROP FUNCTION search_entry_refresh(text, jsonb)`.execute(db);
  await sql`DROP TABLE search_entry`.execute(db);
  await sql`DROP FUNCTION woms_fold(text)`.execute(db);
}
