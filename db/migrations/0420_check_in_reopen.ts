import { type Kysely, sql } from 'kysely';

// Reopen requests of a locked check-in period (DESIGN §3: "a reporting period locks when its window closes and
// reopens only by a request with a reason, approved by the unit head"). One row per request of a check-in,
// numbered 1, 2, … by the check-in workflow (its id is the workflow's business key `${workflowId}:reopen:${n}`,
// so the activity that writes it is idempotent); the decision columns are filled once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE check_in_reopen_request (
      id text CONSTRAINT check_in_reopen_request_pk PRIMARY KEY,
      check_in_id uuid NOT NULL CONSTRAINT check_in_reopen_request_check_in_fk REFERENCES check_in (id),
      number integer NOT NULL,
      workflow_id text NOT NULL,
      requested_by uuid NOT NULL CONSTRAINT check_in_reopen_request_by_fk REFERENCES person (id),
      requested_on_behalf_of uuid CONSTRAINT check_in_reopen_request_for_fk REFERENCES person (id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      decision text,
      decided_by uuid CONSTRAINT check_in_reopen_request_decided_by_fk REFERENCES person (id),
      decided_on_behalf_of uuid CONSTRAINT check_in_reopen_request_decided_for_fk REFERENCES person (id),
      decided_at timestamptz,
      comment text,
      CONSTRAINT check_in_reopen_request_number_uq UNIQUE (check_in_id, number),
      CONSTRAINT check_in_reopen_request_number_ck CHECK (number >= 1),
      CONSTRAINT check_in_reopen_request_reason_ck CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
      CONSTRAINT check_in_reopen_request_decision_ck CHECK (decision IS NULL OR decision IN ('approve', 'reject')),
      CONSTRAINT check_in_reopen_request_decided_ck CHECK (
        (decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL)
      ),
      CONSTRAINT check_in_reopen_request_comment_ck CHECK (comment IS NULL OR length(comment) <= 2000)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE check_in_reopen_request`.execute(db);
}
