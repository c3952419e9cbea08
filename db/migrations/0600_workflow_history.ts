import { type Kysely, sql } from 'kysely';

// Exported Temporal histories (DESIGN §5, TEMPORAL.md §8): Temporal deletes a closed run's history after
// the namespace retention (and every continue-as-new closes a run), so the exporter (activities/
// history-export.ts) stores each closed run here, one row per run, keyed by (workflow_id, run_id) so a
// re-export changes nothing. The history is the JSON of historyToJSON, gzipped; sha256 is of that JSON.
// The watermark is the latest close time an exporter has covered.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE workflow_history (
      workflow_id text NOT NULL,
      run_id text NOT NULL,
      workflow_type text NOT NULL,
      status text NOT NULL,
      task_queue text,
      start_time timestamptz NOT NULL,
      close_time timestamptz NOT NULL,
      unit_id text,
      plan_year integer,
      search_attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
      history_gz bytea NOT NULL,
      event_count integer NOT NULL,
      sha256 text NOT NULL,
      exported_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT workflow_history_pk PRIMARY KEY (workflow_id, run_id),
      CONSTRAINT workflow_history_sha256_ck CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      CONSTRAINT workflow_history_event_count_ck CHECK (event_count > 0),
      CONSTRAINT workflow_history_times_ck CHECK (close_time >= start_time)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX workflow_history_run_uq ON workflow_history (run_id)`.execute(db);
  await sql`CREATE INDEX workflow_history_start_ix ON workflow_history (start_time DESC)`.execute(db);
  await sql`CREATE INDEX workflow_history_unit_ix ON workflow_history (unit_id, plan_year)`.execute(db);
  await sql`
    CREATE TABLE workflow_history_watermark (
      exporter text CONSTRAINT workflow_history_watermark_pk PRIMARY KEY,
      close_time timestamptz NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE workflow_history_watermark`.execute(db);
  await sql`DROP TABLE workflow_history`.execute(db);
}
