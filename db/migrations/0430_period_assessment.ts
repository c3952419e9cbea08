import { type Kysely, sql } from 'kysely';

// Period assessments (DESIGN §3 "each assessment period", RULES.md ND 335): one per person and period
// ('YYYY-MM' or 'YYYY-Qn'), computed by the period-assessment workflow's activity from verified check-ins
// (task points with the engine's explanation, the input snapshot and the rule set's parameters, frozen on
// confirmation), the general-criteria points the direct manager enters, and its status (draft → confirmed,
// the workflow owns the transition). period_assessment_waiver: an approver's record that a late check-in or
// a value returned as a major error had an objective cause, with evidence files (evidence_file rows whose
// subject is the waiver). assessment_cadence: the assessment period of an agency (month by default, quarter
// allowed).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE assessment_cadence (
      unit_id uuid CONSTRAINT assessment_cadence_pk PRIMARY KEY
        CONSTRAINT assessment_cadence_unit_fk REFERENCES org_unit (id),
      cadence text NOT NULL DEFAULT 'month',
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT assessment_cadence_ck CHECK (cadence IN ('month', 'quarter'))
    )`.execute(db);

  await sql`
    CREATE TABLE period_assessment (
      id uuid CONSTRAINT period_assessment_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL CONSTRAINT period_assessment_person_fk REFERENCES person (id),
      unit_id uuid NOT NULL CONSTRAINT period_assessment_unit_fk REFERENCES org_unit (id),
      period text NOT NULL,
      status text NOT NULL DEFAULT 'draft',
      revision integer NOT NULL DEFAULT 0,
      workflow_id text,
      rule_set jsonb,
      computed jsonb,
      task_points numeric(7, 2),
      general_criteria jsonb NOT NULL DEFAULT '{}',
      general_points numeric(7, 2),
      total numeric(7, 2),
      computed_at timestamptz,
      confirmed_by uuid CONSTRAINT period_assessment_confirmer_fk REFERENCES person (id),
      confirmed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT period_assessment_person_period_uq UNIQUE (person_id, period),
      CONSTRAINT period_assessment_period_ck CHECK (period ~ '^[0-9]{4}-(Q[1-4]|0[1-9]|1[0-2])$'),
      CONSTRAINT period_assessment_status_ck CHECK (status IN ('draft', 'confirmed')),
      CONSTRAINT period_assessment_revision_ck CHECK (revision >= 0),
      CONSTRAINT period_assessment_confirmed_ck CHECK (
        (status = 'confirmed') = (confirmed_by IS NOT NULL AND confirmed_at IS NOT NULL)),
      CONSTRAINT period_assessment_self_ck CHECK (confirmed_by IS DISTINCT FROM person_id)
    )`.execute(db);
  await sql`CREATE INDEX period_assessment_unit_period_ix ON period_assessment (unit_id, period, status)`.execute(
    db,
  );

  await sql`
    CREATE TABLE period_assessment_waiver (
      id uuid CONSTRAINT period_assessment_waiver_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      assessment_id uuid NOT NULL CONSTRAINT period_assessment_waiver_assessment_fk REFERENCES period_assessment (id),
      target_kind text NOT NULL,
      target_ref text NOT NULL,
      objective_cause text NOT NULL,
      evidence_ids uuid[] NOT NULL DEFAULT '{}',
      recorded_by uuid NOT NULL CONSTRAINT period_assessment_waiver_recorder_fk REFERENCES person (id),
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT period_assessment_waiver_target_uq UNIQUE (assessment_id, target_kind, target_ref),
      CONSTRAINT period_assessment_waiver_kind_ck CHECK (target_kind IN ('late', 'major-error')),
      CONSTRAINT period_assessment_waiver_ref_ck CHECK (length(target_ref) BETWEEN 1 AND 400),
      CONSTRAINT period_assessment_waiver_cause_ck CHECK (length(btrim(objective_cause)) BETWEEN 1 AND 2000),
      CONSTRAINT period_assessment_waiver_evidence_ck CHECK (cardinality(evidence_ids) BETWEEN 1 AND 20)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE period_assessment_waiver`.execute(db);
  await sql`DROP TABLE period_assessment`.execute(db);
  await sql`DROP TABLE assessment_cadence`.execute(db);
}
