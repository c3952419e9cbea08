import { type Kysely, sql } from 'kysely';

// GET /metrics counts the outbox's pending and failed messages on every scrape (api/metrics); pending ones have
// their partial index (0006), failed ones had none and the count scanned the whole outbox, which only grows.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX mail_outbox_failed_ix ON mail_outbox (created_at) WHERE status = 'FAILED'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX mail_outbox_failed_ix`.execute(db);
}
