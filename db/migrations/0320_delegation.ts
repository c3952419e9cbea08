import { type Kysely, sql } from 'kysely';

// Delegations (DESIGN §3): a person on leave names a delegate, approved by the approver of the
// 'delegation' chain (default: the supervisor). The row is the read model of the delegation workflow;
// its window is local dates in Asia/Ho_Chi_Minh, both inclusive. A principal never has two granted
// (APPROVED or ACTIVE) delegations whose windows overlap.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE delegation (
      id text CONSTRAINT delegation_pk PRIMARY KEY,
      principal_id uuid NOT NULL CONSTRAINT delegation_principal_fk REFERENCES person (id),
      delegate_id uuid NOT NULL CONSTRAINT delegation_delegate_fk REFERENCES person (id),
      unit_id uuid NOT NULL CONSTRAINT delegation_unit_fk REFERENCES org_unit (id),
      from_date date NOT NULL,
      to_date date NOT NULL,
      reason text NOT NULL,
      status text NOT NULL DEFAULT 'REQUESTED',
      approver_id uuid CONSTRAINT delegation_approver_fk REFERENCES person (id),
      decided_by text,
      decided_at timestamptz,
      decision_note text,
      revoked_by text,
      revoked_at timestamptz,
      workflow_id text NOT NULL,
      state_version integer NOT NULL DEFAULT 0,
      requested_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT delegation_not_self_ck CHECK (principal_id <> delegate_id),
      CONSTRAINT delegation_period_ck CHECK (to_date >= from_date),
      CONSTRAINT delegation_reason_ck CHECK (length(btrim(reason)) > 0),
      CONSTRAINT delegation_status_ck CHECK (status IN ('REQUESTED', 'APPROVED', 'REJECTED', 'ACTIVE', 'ENDED', 'REVOKED')),
      CONSTRAINT delegation_approver_not_principal_ck CHECK (approver_id IS NULL OR approver_id <> principal_id),
      CONSTRAINT delegation_state_version_ck CHECK (state_version >= 0),
      CONSTRAINT delegation_no_overlap_ex EXCLUDE USING gist (
        principal_id WITH =, daterange(from_date, to_date, '[]') WITH &&
      ) WHERE (status IN ('APPROVED', 'ACTIVE'))
    )`.execute(db);
  await sql`CREATE INDEX delegation_delegate_ix ON delegation (delegate_id, from_date)`.execute(db);
  await sql`CREATE INDEX delegation_principal_ix ON delegation (principal_id, from_date)`.execute(db);
  await sql`CREATE INDEX delegation_approver_ix ON delegation (approver_id) WHERE status = 'REQUESTED'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE delegation`.execute(db);
}
