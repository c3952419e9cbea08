import { type Kysely, sql } from 'kysely';

// The quarterly giao ban (issue 7 point 2, DESIGN §3): one session per province and session key ('2027-Q1' for
// the review of a quarter, '2027-year' for the December year-end review session), run by giaoBanWorkflow. The
// tables are its read model, written only by the workflow's activities:
// - giao_ban_session: the session's dates, phase and the frozen agenda and minutes (PDF with sha256);
// - giao_ban_dossier: the dossier of each unit, frozen with its PDF when the dossiers are sent;
// - giao_ban_conclusion: the conclusion per unit (completion level, summary, the decision on the unit's next
//   quarter draft plan, the directions as drafted: [{ text, dueDate }]), recorded by the secretariat and revised
//   until published;
// - giao_ban_direction: the directions of a session to a unit; each becomes a task of the unit and its status is
//   reported by the unit until the next session, whose dossier lists it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE giao_ban_session (
      province_id uuid NOT NULL CONSTRAINT giao_ban_session_province_fk REFERENCES org_unit (id),
      session text NOT NULL,
      workflow_id text NOT NULL,
      phase text NOT NULL,
      session_date date NOT NULL,
      dossier_date date NOT NULL,
      conclusions_due date NOT NULL,
      agenda jsonb,
      dossiers_sent_at timestamptz,
      minutes jsonb,
      minutes_pdf bytea,
      minutes_sha256 text,
      published_at timestamptz,
      published_by uuid CONSTRAINT giao_ban_session_published_by_fk REFERENCES person (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT giao_ban_session_pk PRIMARY KEY (province_id, session),
      CONSTRAINT giao_ban_session_key_ck CHECK (session ~ '^[0-9]{4}-(Q[1-4]|year)$'),
      CONSTRAINT giao_ban_session_phase_ck
        CHECK (phase IN ('REPORTING', 'DOSSIERS_SENT', 'IN_SESSION', 'PUBLISHED', 'CLOSED')),
      CONSTRAINT giao_ban_session_minutes_ck
        CHECK (minutes_pdf IS NULL OR (octet_length(minutes_pdf) > 0 AND minutes_sha256 = encode(sha256(minutes_pdf), 'hex')))
    )`.execute(db);
  await sql`
    CREATE TABLE giao_ban_dossier (
      province_id uuid NOT NULL,
      session text NOT NULL,
      unit_id uuid NOT NULL CONSTRAINT giao_ban_dossier_unit_fk REFERENCES org_unit (id),
      model jsonb NOT NULL,
      pdf bytea NOT NULL,
      pdf_sha256 text NOT NULL,
      built_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT giao_ban_dossier_pk PRIMARY KEY (province_id, session, unit_id),
      CONSTRAINT giao_ban_dossier_session_fk FOREIGN KEY (province_id, session)
        REFERENCES giao_ban_session (province_id, session),
      CONSTRAINT giao_ban_dossier_pdf_ck CHECK (octet_length(pdf) > 0 AND pdf_sha256 = encode(sha256(pdf), 'hex'))
    )`.execute(db);
  await sql`
    CREATE TABLE giao_ban_conclusion (
      province_id uuid NOT NULL,
      session text NOT NULL,
      unit_id uuid NOT NULL CONSTRAINT giao_ban_conclusion_unit_fk REFERENCES org_unit (id),
      completion_level text NOT NULL,
      summary text NOT NULL,
      plan_decision text,
      plan_note text,
      directions jsonb NOT NULL DEFAULT '[]'::jsonb,
      revision integer NOT NULL DEFAULT 1,
      recorded_by uuid NOT NULL CONSTRAINT giao_ban_conclusion_by_fk REFERENCES person (id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT giao_ban_conclusion_pk PRIMARY KEY (province_id, session, unit_id),
      CONSTRAINT giao_ban_conclusion_session_fk FOREIGN KEY (province_id, session)
        REFERENCES giao_ban_session (province_id, session),
      CONSTRAINT giao_ban_conclusion_level_ck
        CHECK (completion_level IN ('excellent', 'good', 'fulfilled', 'not-fulfilled')),
      CONSTRAINT giao_ban_conclusion_summary_ck CHECK (length(btrim(summary)) BETWEEN 1 AND 8000),
      CONSTRAINT giao_ban_conclusion_plan_ck
        CHECK (plan_decision IS NULL OR plan_decision IN ('approved', 'adjusted')),
      CONSTRAINT giao_ban_conclusion_plan_note_ck
        CHECK (plan_decision IS DISTINCT FROM 'adjusted' OR length(btrim(coalesce(plan_note, ''))) > 0)
    )`.execute(db);
  await sql`
    CREATE TABLE giao_ban_direction (
      id uuid CONSTRAINT giao_ban_direction_pk PRIMARY KEY,
      province_id uuid NOT NULL,
      session text NOT NULL,
      unit_id uuid NOT NULL CONSTRAINT giao_ban_direction_unit_fk REFERENCES org_unit (id),
      ordinal integer NOT NULL,
      text text NOT NULL,
      due_date date,
      status text NOT NULL DEFAULT 'open',
      status_note text,
      task_id text,
      updated_by uuid CONSTRAINT giao_ban_direction_by_fk REFERENCES person (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT giao_ban_direction_session_fk FOREIGN KEY (province_id, session)
        REFERENCES giao_ban_session (province_id, session),
      CONSTRAINT giao_ban_direction_ordinal_uq UNIQUE (province_id, session, unit_id, ordinal),
      CONSTRAINT giao_ban_direction_text_ck CHECK (length(btrim(text)) BETWEEN 1 AND 2000),
      CONSTRAINT giao_ban_direction_status_ck CHECK (status IN ('open', 'in-progress', 'done'))
    )`.execute(db);
  await sql`CREATE INDEX giao_ban_direction_unit_ix ON giao_ban_direction (unit_id, status)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE giao_ban_direction`.execute(db);
  await sql`DROP TABLE giao_ban_conclusion`.execute(db);
  await sql`DROP TABLE giao_ban_dossier`.execute(db);
  await sql`DROP TABLE giao_ban_session`.execute(db);
}
