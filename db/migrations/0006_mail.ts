import { type Kysely, sql } from 'kysely';

// The outbound mail log / outbox (DESIGN §5: at-least-once, one stable Message-ID per idempotency key).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE mail_outbox (
      id uuid CONSTRAINT mail_outbox_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      idempotency_key text NOT NULL,
      message_id text NOT NULL,
      person_id uuid CONSTRAINT mail_outbox_person_fk REFERENCES person (id),
      to_addresses text[] NOT NULL,
      subject text NOT NULL,
      body_text text NOT NULL,
      body_html text,
      status text NOT NULL DEFAULT 'PENDING',
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      CONSTRAINT mail_outbox_idempotency_key_uq UNIQUE (idempotency_key),
      CONSTRAINT mail_outbox_message_id_uq UNIQUE (message_id),
      CONSTRAINT mail_outbox_message_id_ck CHECK (message_id ~ '^<[^<>@\\s]+@[^<>@\\s]+>$'),
      CONSTRAINT mail_outbox_to_ck CHECK (cardinality(to_addresses) >= 1),
      CONSTRAINT mail_outbox_status_ck CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
      CONSTRAINT mail_outbox_attempts_ck CHECK (attempts >= 0),
      CONSTRAINT mail_outbox_sent_ck CHECK ((status = 'SENT') = (sent_at IS NOT NULL))
    )`.execute(db);
  await sql`CREATE INDEX mail_outbox_pending_ix ON mail_outbox (next_attempt_at) WHERE status = 'PENDING'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE mail_outbox`.execute(db);
}
