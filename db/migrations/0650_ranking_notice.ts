import { type Kysely, sql } from 'kysely';

// The notice of a published ranking to each ranked person and their appeal (issue 8 point 4, RULES.md):
// one notice per ranking (a unit ranking or the province ranking: no foreign key on ranking_id), person and
// track (state / Party), with the frozen level and score, the day issued and the last day of the appeal window;
// at most one appeal per notice, filed by its subject within the window, decided by the level above with a
// decision number: 'upheld' (the level is kept) or 'changed' (new_level). A changed level never rewrites the
// frozen ranking entry: the appeal row carries it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE ranking_notice (
      id uuid CONSTRAINT ranking_notice_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      ranking_kind text NOT NULL,
      ranking_id uuid NOT NULL,
      subject_id uuid NOT NULL CONSTRAINT ranking_notice_subject_fk REFERENCES person (id),
      track text NOT NULL DEFAULT 'state',
      unit_id uuid NOT NULL CONSTRAINT ranking_notice_unit_fk REFERENCES org_unit (id),
      province_id uuid NOT NULL CONSTRAINT ranking_notice_province_fk REFERENCES org_unit (id),
      year integer NOT NULL,
      level text NOT NULL,
      score numeric(7, 2),
      issued_on date NOT NULL,
      appeal_until date NOT NULL,
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ranking_notice_uq UNIQUE (ranking_kind, ranking_id, subject_id, track),
      CONSTRAINT ranking_notice_kind_ck CHECK (ranking_kind IN ('unit', 'province')),
      CONSTRAINT ranking_notice_track_ck CHECK (track IN ('state', 'party')),
      CONSTRAINT ranking_notice_level_ck CHECK (level IN ('excellent', 'good', 'completed', 'notCompleted')),
      CONSTRAINT ranking_notice_window_ck CHECK (appeal_until >= issued_on)
    )`.execute(db);
  await sql`CREATE INDEX ranking_notice_subject_ix ON ranking_notice (subject_id, year)`.execute(db);

  await sql`
    CREATE TABLE ranking_appeal (
      id uuid CONSTRAINT ranking_appeal_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      notice_id uuid NOT NULL CONSTRAINT ranking_appeal_notice_fk REFERENCES ranking_notice (id),
      filed_by uuid NOT NULL CONSTRAINT ranking_appeal_filer_fk REFERENCES person (id),
      reason text NOT NULL,
      filed_on date NOT NULL,
      status text NOT NULL DEFAULT 'filed',
      workflow_id text,
      decided_by uuid CONSTRAINT ranking_appeal_decider_fk REFERENCES person (id),
      decision_number text,
      decided_on date,
      outcome text,
      new_level text,
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ranking_appeal_notice_uq UNIQUE (notice_id),
      CONSTRAINT ranking_appeal_reason_ck CHECK (length(btrim(reason)) BETWEEN 1 AND 4000),
      CONSTRAINT ranking_appeal_status_ck CHECK (status IN ('filed', 'decided')),
      CONSTRAINT ranking_appeal_outcome_ck CHECK (outcome IS NULL OR outcome IN ('upheld', 'changed')),
      CONSTRAINT ranking_appeal_decided_ck CHECK (
        (status = 'decided') = (decided_by IS NOT NULL AND outcome IS NOT NULL AND decided_on IS NOT NULL
          AND decision_number IS NOT NULL AND length(btrim(decision_number)) > 0)),
      CONSTRAINT ranking_appeal_new_level_ck CHECK (
        (outcome = 'changed') = (new_level IS NOT NULL)
        AND (new_level IS NULL OR new_level IN ('excellent', 'good', 'completed', 'notCompleted'))),
      CONSTRAINT ranking_appeal_self_ck CHECK (decided_by IS DISTINCT FROM filed_by)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE ranking_appeal`.execute(db);
  await sql`DROP TABLE ranking_notice`.execute(db);
}
