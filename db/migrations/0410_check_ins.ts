import { type Kysely, sql } from 'kysely';

// Monthly check-ins (DESIGN §3 monthly row, §5 content path). check_in: one per person per month, its draft
// revision (optimistic concurrency of the content path) and its status, whose transitions the check-in
// workflow owns. check_in_value: the value of one key result of one plan in the check-in, with the columns the
// verification fills. check_in_value_history: every saved change of a value (who, when, old → new), append-only.
// check_in_version: a submission's frozen snapshot (number + sha256), immutable like plan_version.
// key_result_target_revision: every change of a key result's annual or period target (who, when, why).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE check_in (
      id uuid CONSTRAINT check_in_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL CONSTRAINT check_in_person_fk REFERENCES person (id),
      unit_id uuid NOT NULL CONSTRAINT check_in_unit_fk REFERENCES org_unit (id),
      period text NOT NULL,
      status text NOT NULL DEFAULT 'DRAFT',
      revision integer NOT NULL DEFAULT 0,
      workflow_id text,
      submitted_version_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT check_in_person_period_uq UNIQUE (person_id, period),
      CONSTRAINT check_in_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      CONSTRAINT check_in_status_ck CHECK (status IN ('DRAFT', 'SUBMITTED', 'VERIFIED', 'RETURNED', 'LOCKED')),
      CONSTRAINT check_in_revision_ck CHECK (revision >= 0)
    )`.execute(db);
  await sql`CREATE INDEX check_in_unit_period_ix ON check_in (unit_id, period, status)`.execute(db);

  await sql`
    CREATE TABLE check_in_value (
      id uuid CONSTRAINT check_in_value_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      check_in_id uuid NOT NULL CONSTRAINT check_in_value_check_in_fk REFERENCES check_in (id),
      plan_id text NOT NULL CONSTRAINT check_in_value_plan_fk REFERENCES plan (id),
      plan_version_id uuid NOT NULL CONSTRAINT check_in_value_plan_version_fk REFERENCES plan_version (id),
      key_result_id text NOT NULL,
      value text,
      done boolean,
      input text,
      kr_status text,
      confidence integer,
      explanation text,
      evidence_ids uuid[] NOT NULL DEFAULT '{}',
      revision integer NOT NULL DEFAULT 1,
      updated_by uuid NOT NULL CONSTRAINT check_in_value_updated_by_fk REFERENCES person (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      verification text,
      major_error boolean,
      verified_by uuid CONSTRAINT check_in_value_verifier_fk REFERENCES person (id),
      verified_at timestamptz,
      verifier_comment text,
      CONSTRAINT check_in_value_kr_uq UNIQUE (check_in_id, plan_id, key_result_id),
      CONSTRAINT check_in_value_kr_ck CHECK (length(key_result_id) BETWEEN 1 AND 100),
      CONSTRAINT check_in_value_value_ck CHECK (value IS NULL OR value ~ '^-?[0-9]+(\\.[0-9]+)?$'),
      CONSTRAINT check_in_value_one_kind_ck CHECK (value IS NULL OR done IS NULL),
      CONSTRAINT check_in_value_input_ck CHECK (input IS NULL OR length(input) <= 100),
      CONSTRAINT check_in_value_status_ck CHECK (kr_status IS NULL OR kr_status IN ('on-track', 'at-risk', 'off-track')),
      CONSTRAINT check_in_value_confidence_ck CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 100),
      CONSTRAINT check_in_value_explanation_ck CHECK (explanation IS NULL OR length(explanation) BETWEEN 1 AND 2000),
      CONSTRAINT check_in_value_off_track_ck CHECK (kr_status IS DISTINCT FROM 'off-track' OR explanation IS NOT NULL),
      CONSTRAINT check_in_value_evidence_ck CHECK (cardinality(evidence_ids) <= 20),
      CONSTRAINT check_in_value_revision_ck CHECK (revision >= 1),
      CONSTRAINT check_in_value_verification_ck CHECK (verification IS NULL OR verification IN ('verified', 'returned')),
      CONSTRAINT check_in_value_verifier_ck CHECK ((verification IS NULL) = (verified_by IS NULL AND verified_at IS NULL)),
      CONSTRAINT check_in_value_major_error_ck CHECK (major_error IS NULL OR verification = 'returned'),
      CONSTRAINT check_in_value_comment_ck CHECK (verifier_comment IS NULL OR length(verifier_comment) <= 2000)
    )`.execute(db);
  await sql`CREATE INDEX check_in_value_kr_ix ON check_in_value (plan_id, key_result_id)`.execute(db);

  await sql`
    CREATE TABLE check_in_value_history (
      id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT check_in_value_history_pk PRIMARY KEY,
      check_in_value_id uuid NOT NULL CONSTRAINT check_in_value_history_value_fk REFERENCES check_in_value (id),
      check_in_id uuid NOT NULL CONSTRAINT check_in_value_history_check_in_fk REFERENCES check_in (id),
      plan_id text NOT NULL,
      key_result_id text NOT NULL,
      period text NOT NULL,
      revision integer NOT NULL,
      old_value jsonb,
      new_value jsonb NOT NULL,
      changed_by uuid NOT NULL CONSTRAINT check_in_value_history_by_fk REFERENCES person (id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT check_in_value_history_rev_uq UNIQUE (check_in_value_id, revision),
      CONSTRAINT check_in_value_history_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
    )`.execute(db);
  await sql`CREATE INDEX check_in_value_history_kr_ix ON check_in_value_history (plan_id, key_result_id, period, id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE check_in_version (
      id uuid CONSTRAINT check_in_version_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      check_in_id uuid NOT NULL CONSTRAINT check_in_version_check_in_fk REFERENCES check_in (id),
      number integer NOT NULL,
      content jsonb NOT NULL,
      hash text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT check_in_version_number_uq UNIQUE (check_in_id, number),
      CONSTRAINT check_in_version_number_ck CHECK (number >= 1),
      CONSTRAINT check_in_version_hash_ck CHECK (hash ~ '^[0-9a-f]{64}$')
    )`.execute(db);
  await sql`
    ALTER TABLE check_in ADD CONSTRAINT check_in_submitted_version_fk
      FOREIGN KEY (submitted_version_id) REFERENCES check_in_version (id)`.execute(db);

  await sql`
    CREATE TABLE key_result_target_revision (
      id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT key_result_target_revision_pk PRIMARY KEY,
      plan_id text NOT NULL CONSTRAINT key_result_target_revision_plan_fk REFERENCES plan (id),
      key_result_id text NOT NULL,
      period text,
      old_target text,
      new_target text,
      plan_version_id uuid CONSTRAINT key_result_target_revision_version_fk REFERENCES plan_version (id),
      changed_by text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      CONSTRAINT key_result_target_revision_period_ck CHECK (period IS NULL OR period ~ '^[0-9]{4}-(Q[1-4]|0[1-9]|1[0-2])$'),
      CONSTRAINT key_result_target_revision_old_ck CHECK (old_target IS NULL OR old_target ~ '^[-+]?[0-9]+(\\.[0-9]+)?$'),
      CONSTRAINT key_result_target_revision_new_ck CHECK (new_target IS NULL OR new_target ~ '^[-+]?[0-9]+(\\.[0-9]+)?$'),
      CONSTRAINT key_result_target_revision_changed_ck CHECK (old_target IS DISTINCT FROM new_target),
      CONSTRAINT key_result_target_revision_reason_ck CHECK (length(btrim(reason)) BETWEEN 1 AND 2000)
    )`.execute(db);
  await sql`CREATE INDEX key_result_target_revision_kr_ix ON key_result_target_revision (plan_id, key_result_id, id)`.execute(
    db,
  );

  // Frozen and append-only: versions, value history and target revisions are never changed or deleted.
  await sql`
    CREATE FUNCTION check_in_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME; END $$`.execute(db);
  for (const t of ['check_in_version', 'check_in_value_history', 'key_result_target_revision'])
    await sql`
      CREATE TRIGGER ${sql.id(`${t}_no_change`)} BEFORE UPDATE OR DELETE ON ${sql.id(t)}
      FOR EACH ROW EXECUTE FUNCTION check_in_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE key_result_target_revision`.execute(db);
  await sql`ALTER TABLE check_in DROP CONSTRAINT check_in_submitted_version_fk`.execute(db);
  await sql`DROP TABLE check_in_version`.execute(db);
  await sql`DROP TABLE check_in_value_history`.execute(db);
  await sql`DROP TABLE check_in_value`.execute(db);
  await sql`DROP TABLE check_in`.execute(db);
  await sql`DROP FUNCTION check_in_append_only() CASCADE`.execute(db);
}
