import { type Kysely, sql } from 'kysely';

// Year-end evaluation inputs (issue 8 point 3, RULES.md): structured discipline decisions and conclusions (type,
// form or kind, decision number, date, issuer; about a person or a unit), never free text and never deleted — a
// record is revoked with a reason and stays in the history; the duty group of a person (nhóm chức trách tương tự,
// per agency, from a date: the quota group) and whether a person also holds a Party ranking (from a date).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE evaluation_record (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      record_kind text NOT NULL CHECK (record_kind IN ('discipline', 'conclusion')),
      subject_kind text NOT NULL CHECK (subject_kind IN ('person', 'unit')),
      person_id uuid NULL REFERENCES person (id),
      unit_id uuid NOT NULL REFERENCES org_unit (id),
      discipline_type text NULL CHECK (discipline_type IN ('party', 'state')),
      discipline_form text NULL CHECK (discipline_form IN
        ('khienTrach', 'canhCao', 'haBac', 'giangChuc', 'cachChuc', 'buocThoiViec', 'khaiTru', 'other')),
      conclusion_kind text NULL CHECK (conclusion_kind IN
        ('degradation', 'exampleBreach', 'corruptionInUnit', 'wasteInUnit')),
      decision_number text NOT NULL CHECK (btrim(decision_number) <> ''),
      decided_on date NOT NULL,
      issuer text NOT NULL CHECK (btrim(issuer) <> ''),
      created_by uuid NOT NULL REFERENCES person (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz NULL,
      revoked_by uuid NULL REFERENCES person (id),
      revoke_reason text NULL,
      CONSTRAINT evaluation_record_subject_ck CHECK ((subject_kind = 'person') = (person_id IS NOT NULL)),
      CONSTRAINT evaluation_record_shape_ck CHECK (
        (record_kind = 'discipline' AND discipline_type IS NOT NULL AND discipline_form IS NOT NULL
          AND conclusion_kind IS NULL)
        OR (record_kind = 'conclusion' AND conclusion_kind IS NOT NULL AND discipline_type IS NULL
          AND discipline_form IS NULL)),
      CONSTRAINT evaluation_record_revoke_ck CHECK (
        (revoked_at IS NULL AND revoked_by IS NULL AND revoke_reason IS NULL)
        OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL AND btrim(revoke_reason) <> ''))
    )`.execute(db);
  await sql`CREATE INDEX evaluation_record_person_idx ON evaluation_record (person_id, decided_on)`.execute(
    db,
  );
  await sql`CREATE INDEX evaluation_record_unit_idx ON evaluation_record (unit_id, decided_on)`.execute(db);

  await sql`
    CREATE TABLE person_duty_group (
      person_id uuid NOT NULL REFERENCES person (id),
      effective_from date NOT NULL,
      unit_id uuid NOT NULL REFERENCES org_unit (id),
      duty_group text NOT NULL CHECK (duty_group ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
      set_by uuid NOT NULL REFERENCES person (id),
      set_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (person_id, effective_from)
    )`.execute(db);

  await sql`
    CREATE TABLE person_party_membership (
      person_id uuid NOT NULL REFERENCES person (id),
      effective_from date NOT NULL,
      is_member boolean NOT NULL,
      set_by uuid NOT NULL REFERENCES person (id),
      set_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (person_id, effective_from)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE person_party_membership`.execute(db);
  await sql`DROP TABLE person_duty_group`.execute(db);
  await sql`DROP TABLE evaluation_record`.execute(db);
}
