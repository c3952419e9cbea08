import { type Kysely, sql } from 'kysely';

// In-app notifications (DESIGN §3: the notification centre lists what the system sent a person).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE notification (
      id uuid CONSTRAINT notification_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL CONSTRAINT notification_person_fk REFERENCES person (id),
      idempotency_key text,
      kind text NOT NULL,
      title_vi text NOT NULL,
      title_en text NOT NULL,
      body_vi text,
      body_en text,
      link text,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz,
      CONSTRAINT notification_idempotency_key_uq UNIQUE (idempotency_key),
      CONSTRAINT notification_read_ck CHECK (read_at IS NULL OR read_at >= created_at)
    )`.execute(db);
  await sql`CREATE INDEX notification_person_ix ON notification (person_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX notification_unread_ix ON notification (person_id) WHERE read_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE notification`.execute(db);
}
