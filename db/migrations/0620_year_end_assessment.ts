import { type Kysely, sql } from 'kysely';

// The year-end assessment of each person (DESIGN §3 evaluation timeline, issue 8 points 1–2): one row per
// person and year, written by the year-end assessment workflow's activities and the content routes. It holds
// the data through November with the provisional December estimate (the engine's year score of the confirmed
// period assessments, frozen when the self-assessment task opens), the person's self-assessment content
// (unplanned work, initiatives, certificates or self-study with evidence ids, the criterion-1 rubric) and its
// score, the supervisor's points per criterion with the proposed level and the engine's explanation, the
// organisation department's appraisal where the unit type requires it, and the status the ranking reads.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE year_end_assessment (
      id uuid CONSTRAINT year_end_assessment_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL CONSTRAINT year_end_assessment_person_fk REFERENCES person (id),
      unit_id uuid NOT NULL CONSTRAINT year_end_assessment_unit_fk REFERENCES org_unit (id),
      year integer NOT NULL,
      status text NOT NULL DEFAULT 'self-open',
      revision integer NOT NULL DEFAULT 0,
      workflow_id text,
      needs_appraisal boolean NOT NULL DEFAULT false,
      estimate jsonb,
      self_content jsonb NOT NULL DEFAULT '{}',
      self_score numeric(7, 2),
      self_explanation jsonb,
      self_submitted_by uuid CONSTRAINT year_end_assessment_self_by_fk REFERENCES person (id),
      self_submitted_at timestamptz,
      supervisor_content jsonb,
      supervisor_score numeric(7, 2),
      proposed_level text,
      explanation jsonb,
      supervisor_by uuid CONSTRAINT year_end_assessment_supervisor_fk REFERENCES person (id),
      supervisor_at timestamptz,
      appraisal jsonb,
      appraised_by uuid CONSTRAINT year_end_assessment_appraiser_fk REFERENCES person (id),
      appraised_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT year_end_assessment_person_year_uq UNIQUE (person_id, year),
      CONSTRAINT year_end_assessment_year_ck CHECK (year BETWEEN 2000 AND 2200),
      CONSTRAINT year_end_assessment_status_ck CHECK (
        status IN ('self-open', 'self-submitted', 'supervisor-done', 'appraised', 'ready')),
      CONSTRAINT year_end_assessment_revision_ck CHECK (revision >= 0),
      CONSTRAINT year_end_assessment_level_ck CHECK (
        proposed_level IS NULL OR proposed_level IN ('excellent', 'good', 'completed', 'notCompleted')),
      CONSTRAINT year_end_assessment_supervisor_self_ck CHECK (supervisor_by IS DISTINCT FROM person_id),
      CONSTRAINT year_end_assessment_appraiser_self_ck CHECK (appraised_by IS DISTINCT FROM person_id)
    )`.execute(db);
  await sql`CREATE INDEX year_end_assessment_unit_year_ix ON year_end_assessment (unit_id, year, status)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE year_end_assessment`.execute(db);
}
