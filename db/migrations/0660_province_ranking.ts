import { type Kysely, sql } from 'kysely';

// The province ranking of its top units as collectives and of their heads (issue 8 points 1–3, RULES.md: the
// superior body ranks the heads; nobody approves their own evaluation): one row per province and year (draft →
// decided → published; compiled by the secretariat as content, decided and published by the standing committee
// through workflows/province-ranking.ts), one entry per top unit ('collective', the year score of the unit's plan)
// and one per unit head ('individual'), frozen on decision like the unit ranking (rule set, parameters, input
// snapshot, result). The committee may record an approved quota exception (decision number + justification) on
// the decision; without it a ranking over the heads' quota cannot be published. json, not jsonb (as 0630): a
// frozen explanation keeps its text as written.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE province_ranking (
      id uuid CONSTRAINT province_ranking_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      province_id uuid NOT NULL CONSTRAINT province_ranking_province_fk REFERENCES org_unit (id),
      year integer NOT NULL,
      status text NOT NULL DEFAULT 'draft',
      revision integer NOT NULL DEFAULT 0,
      workflow_id text,
      rule_set_id text NOT NULL,
      rule_set_version integer NOT NULL,
      deadline date NOT NULL,
      decided_by uuid CONSTRAINT province_ranking_decider_fk REFERENCES person (id),
      decided_on date,
      decided_at timestamptz,
      exception_places integer,
      exception_decision_number text,
      exception_justification text,
      published_by uuid CONSTRAINT province_ranking_publisher_fk REFERENCES person (id),
      published_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT province_ranking_province_year_uq UNIQUE (province_id, year),
      CONSTRAINT province_ranking_status_ck CHECK (status IN ('draft', 'decided', 'published')),
      CONSTRAINT province_ranking_year_ck CHECK (year BETWEEN 2000 AND 2200),
      CONSTRAINT province_ranking_decided_ck CHECK ((status = 'draft') = (decided_at IS NULL)),
      CONSTRAINT province_ranking_published_ck CHECK ((status = 'published') = (published_at IS NOT NULL)),
      CONSTRAINT province_ranking_exception_ck CHECK (
        exception_places IS NULL
        OR (exception_places BETWEEN 1 AND 100
            AND length(btrim(coalesce(exception_decision_number, ''))) > 0
            AND length(btrim(coalesce(exception_justification, ''))) BETWEEN 1 AND 4000))
    )`.execute(db);

  await sql`
    CREATE TABLE province_ranking_entry (
      ranking_id uuid NOT NULL CONSTRAINT province_ranking_entry_ranking_fk REFERENCES province_ranking (id),
      subject_kind text NOT NULL,
      subject_id uuid NOT NULL,
      unit_id uuid NOT NULL CONSTRAINT province_ranking_entry_unit_fk REFERENCES org_unit (id),
      person_id uuid CONSTRAINT province_ranking_entry_person_fk REFERENCES person (id),
      score numeric(7, 2),
      score_source text NOT NULL,
      level text,
      result json,
      frozen json,
      CONSTRAINT province_ranking_entry_pk PRIMARY KEY (ranking_id, subject_kind, subject_id),
      CONSTRAINT province_ranking_entry_kind_ck CHECK (subject_kind IN ('collective', 'individual')),
      CONSTRAINT province_ranking_entry_person_ck CHECK ((subject_kind = 'individual') = (person_id IS NOT NULL)),
      CONSTRAINT province_ranking_entry_source_ck CHECK (score_source IN ('plan', 'supervisor', 'unit', 'none')),
      CONSTRAINT province_ranking_entry_level_ck CHECK (
        level IS NULL OR level IN ('excellent', 'good', 'completed', 'notCompleted'))
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE province_ranking_entry`.execute(db);
  await sql`DROP TABLE province_ranking`.execute(db);
}
