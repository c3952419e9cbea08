import { type Kysely, sql } from 'kysely';

// People, job positions and employment periods per unit and position (DESIGN §1: transfers, leavers).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE person (
      id uuid CONSTRAINT person_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      full_name text NOT NULL,
      family_name text,
      middle_name text,
      given_name text,
      email text NOT NULL,
      phone text,
      duty_group text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT person_email_uq UNIQUE (email),
      CONSTRAINT person_email_ck CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
      CONSTRAINT person_name_ck CHECK (length(btrim(full_name)) > 0),
      CONSTRAINT person_duty_group_ck CHECK (duty_group IN ('cadre', 'civil_servant', 'public_employee', 'worker'))
    )`.execute(db);

  await sql`
    CREATE TABLE job_position (
      code text CONSTRAINT job_position_pk PRIMARY KEY,
      title_vi text NOT NULL,
      title_en text NOT NULL,
      is_leader boolean NOT NULL DEFAULT false,
      rank smallint NOT NULL DEFAULT 100,
      CONSTRAINT job_position_code_ck CHECK (code ~ '^[a-z][a-z0-9_]*$')
    )`.execute(db);

  await sql`
    CREATE TABLE employment (
      id uuid CONSTRAINT employment_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL CONSTRAINT employment_person_fk REFERENCES person (id),
      org_unit_id uuid NOT NULL CONSTRAINT employment_org_unit_fk REFERENCES org_unit (id),
      position_code text NOT NULL CONSTRAINT employment_position_fk REFERENCES job_position (code),
      valid_from date NOT NULL,
      valid_to date,
      is_concurrent boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT employment_period_ck CHECK (valid_to IS NULL OR valid_to >= valid_from),
      CONSTRAINT employment_no_overlap_ex EXCLUDE USING gist (
        person_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&
      ) WHERE (NOT is_concurrent)
    )`.execute(db);
  await sql`CREATE INDEX employment_org_unit_ix ON employment (org_unit_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE employment`.execute(db);
  await sql`DROP TABLE job_position`.execute(db);
  await sql`DROP TABLE person`.execute(db);
}
