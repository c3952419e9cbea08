import { type Kysely, sql } from 'kysely';

// Plans, their immutable content versions, and the task inbox (DESIGN §2, §3, §5). The plan row is a
// read model written by the annual-plan workflow's activities (state_version makes upserts order-
// independent); plan_version rows are frozen content written by the content path; task is the inbox of
// every human step, keyed by a stable business key; task_event records reminders, escalations, forwards
// and misses (who, when, what).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE plan (
      id text CONSTRAINT plan_pk PRIMARY KEY,
      owner_kind text NOT NULL,
      unit_id uuid CONSTRAINT plan_unit_fk REFERENCES org_unit (id),
      person_id uuid CONSTRAINT plan_person_fk REFERENCES person (id),
      year integer NOT NULL,
      status text NOT NULL DEFAULT 'DRAFTING',
      phase text NOT NULL DEFAULT 'DRAFTING',
      filed boolean NOT NULL DEFAULT false,
      submitted_version_id uuid,
      in_force_version_id uuid,
      overdue_level integer NOT NULL DEFAULT 0,
      next_deadline_at timestamptz,
      state_version integer NOT NULL DEFAULT 0,
      workflow_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT plan_owner_ck CHECK (
        (owner_kind = 'unit' AND unit_id IS NOT NULL AND person_id IS NULL)
        OR (owner_kind = 'person' AND person_id IS NOT NULL)),
      CONSTRAINT plan_year_ck CHECK (year BETWEEN 2000 AND 2200),
      CONSTRAINT plan_status_ck CHECK (status IN ('DRAFTING', 'SUBMITTED', 'APPRAISED', 'FILED', 'APPROVED', 'CLOSED')),
      CONSTRAINT plan_state_version_ck CHECK (state_version >= 0)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX plan_unit_year_uq ON plan (unit_id, year) WHERE owner_kind = 'unit'`.execute(
    db,
  );
  await sql`CREATE UNIQUE INDEX plan_person_year_uq ON plan (person_id, year) WHERE owner_kind = 'person'`.execute(
    db,
  );

  await sql`
    CREATE TABLE plan_version (
      id uuid CONSTRAINT plan_version_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      plan_id text NOT NULL CONSTRAINT plan_version_plan_fk REFERENCES plan (id),
      number integer NOT NULL,
      content jsonb NOT NULL,
      hash text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT plan_version_number_uq UNIQUE (plan_id, number),
      CONSTRAINT plan_version_number_ck CHECK (number >= 1),
      CONSTRAINT plan_version_hash_ck CHECK (hash ~ '^[0-9a-f]{64}$')
    )`.execute(db);
  // Immutable: a version is frozen once written.
  await sql`
    CREATE FUNCTION plan_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'plan_version rows are immutable'; END $$`.execute(db);
  await sql`
    CREATE TRIGGER plan_version_no_change BEFORE UPDATE OR DELETE ON plan_version
    FOR EACH ROW EXECUTE FUNCTION plan_version_immutable()`.execute(db);

  await sql`
    CREATE TABLE task (
      id text CONSTRAINT task_pk PRIMARY KEY,
      workflow_id text NOT NULL,
      update_name text,
      kind text NOT NULL,
      subject_type text NOT NULL,
      subject_id text NOT NULL,
      assignee_person_id uuid CONSTRAINT task_assignee_fk REFERENCES person (id),
      assignee_role text,
      assignee_unit_id uuid CONSTRAINT task_assignee_unit_fk REFERENCES org_unit (id),
      due_at timestamptz NOT NULL,
      logical_due_date date NOT NULL,
      status text NOT NULL DEFAULT 'open',
      escalation_level integer NOT NULL DEFAULT 0,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      closed_by text,
      CONSTRAINT task_status_ck CHECK (status IN ('open', 'done', 'cancelled')),
      CONSTRAINT task_closed_ck CHECK ((status = 'open') = (closed_at IS NULL)),
      CONSTRAINT task_assignee_ck CHECK (
        assignee_person_id IS NOT NULL OR (assignee_role IS NOT NULL AND assignee_unit_id IS NOT NULL)),
      CONSTRAINT task_escalation_ck CHECK (escalation_level >= 0)
    )`.execute(db);
  await sql`CREATE INDEX task_person_open_ix ON task (assignee_person_id, due_at) WHERE status = 'open'`.execute(
    db,
  );
  await sql`CREATE INDEX task_role_open_ix ON task (assignee_unit_id, assignee_role, due_at) WHERE status = 'open'`.execute(
    db,
  );
  await sql`CREATE INDEX task_subject_ix ON task (subject_type, subject_id)`.execute(db);

  await sql`
    CREATE TABLE task_event (
      id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT task_event_pk PRIMARY KEY,
      idempotency_key text NOT NULL,
      task_id text NOT NULL CONSTRAINT task_event_task_fk REFERENCES task (id),
      kind text NOT NULL,
      actor text NOT NULL,
      recipient_role text,
      recipient_person_id uuid,
      logical_date date,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT task_event_key_uq UNIQUE (idempotency_key),
      CONSTRAINT task_event_kind_ck CHECK (kind IN
        ('opened', 'reminded', 'overdue-reminded', 'escalated', 'forwarded', 'missed', 'deadline-moved', 'closed', 'filed'))
    )`.execute(db);
  await sql`CREATE INDEX task_event_task_ix ON task_event (task_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE task_event`.execute(db);
  await sql`DROP TABLE task`.execute(db);
  await sql`DROP TABLE plan_version`.execute(db);
  await sql`DROP FUNCTION plan_version_immutable() CASCADE`.execute(db);
  await sql`DROP TABLE plan`.execute(db);
}
