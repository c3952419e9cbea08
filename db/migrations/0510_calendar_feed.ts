import { type Kysely, sql } from 'kysely';

// My calendar's private feed (issue 7 point 5): one revocable subscription token per person. Only the token's
// sha256 is kept (hex); the token itself is shown once, when it is created or rotated. Rotating replaces the
// row (the old token stops working at once); revoking deletes it. `language` is the one the feed is written
// in (the person's choice when the link was made).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE calendar_feed_token (
      person_id uuid CONSTRAINT calendar_feed_token_pk PRIMARY KEY
        CONSTRAINT calendar_feed_token_person_fk REFERENCES person (id),
      token_sha256 text NOT NULL CONSTRAINT calendar_feed_token_hash_uq UNIQUE,
      language text NOT NULL DEFAULT 'vi',
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT calendar_feed_token_hash_ck CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
      CONSTRAINT calendar_feed_token_language_ck CHECK (language IN ('vi', 'en'))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE calendar_feed_token`.execute(db);
}
