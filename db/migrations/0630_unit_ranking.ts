import { type Kysely, sql } from 'kysely';

// The ranking of a unit's people for a year (issue 8 points 2–3, RULES.md "Ranking bands", "Quotas"): one row
// per top unit and year (draft → decided → published, the unit-ranking workflow owns the transitions), one entry
// per person (the engine's draft result with its explanation; on decision the frozen ranking: rule set id and
// version, legal basis, parameters, input snapshot, result), and the quota exceptions (extra places per agency
// and duty group with a justification, approved or rejected by the competent body with a decision number).
// result and frozen are json, not jsonb: the text is kept as written, so a frozen explanation recomputes to the
// very same steps (jsonb would reorder the keys of every message).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE unit_ranking (
      id uuid CONSTRAINT unit_ranking_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      unit_id uuid NOT NULL CONSTRAINT unit_ranking_unit_fk REFERENCES org_unit (id),
      year integer NOT NULL,
      status text NOT NULL DEFAULT 'draft',
      revision integer NOT NULL DEFAULT 0,
      workflow_id text,
      rule_set_id text NOT NULL,
      rule_set_version integer NOT NULL,
      deadline date NOT NULL,
      decided_by uuid CONSTRAINT unit_ranking_decider_fk REFERENCES person (id),
      decided_on date,
      decided_at timestamptz,
      published_by uuid CONSTRAINT unit_ranking_publisher_fk REFERENCES person (id),
      published_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT unit_ranking_unit_year_uq UNIQUE (unit_id, year),
      CONSTRAINT unit_ranking_status_ck CHECK (status IN ('draft', 'decided', 'published')),
      CONSTRAINT unit_ranking_year_ck CHECK (year BETWEEN 2000 AND 2200),
      CONSTRAINT unit_ranking_decided_ck CHECK ((status = 'draft') = (decided_at IS NULL)),
      CONSTRAINT unit_ranking_published_ck CHECK ((status = 'published') = (published_at IS NOT NULL))
    )`.execute(db);

  await sql`
    CREATE TABLE unit_ranking_entry (
      ranking_id uuid NOT NULL CONSTRAINT unit_ranking_entry_ranking_fk REFERENCES unit_ranking (id),
      person_id uuid NOT NULL CONSTRAINT unit_ranking_entry_person_fk REFERENCES person (id),
      agency_id uuid NOT NULL,
      duty_group text NOT NULL,
      is_head boolean NOT NULL DEFAULT false,
      score numeric(7, 2),
      score_source text NOT NULL,
      level text,
      result json,
      frozen json,
      CONSTRAINT unit_ranking_entry_pk PRIMARY KEY (ranking_id, person_id),
      CONSTRAINT unit_ranking_entry_source_ck CHECK (score_source IN ('supervisor', 'periods', 'none')),
      CONSTRAINT unit_ranking_entry_level_ck CHECK (
        level IS NULL OR level IN ('excellent', 'good', 'completed', 'notCompleted'))
    )`.execute(db);

  await sql`
    CREATE TABLE unit_ranking_exception (
      id uuid CONSTRAINT unit_ranking_exception_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      ranking_id uuid NOT NULL CONSTRAINT unit_ranking_exception_ranking_fk REFERENCES unit_ranking (id),
      agency_id uuid NOT NULL,
      duty_group text NOT NULL,
      extra_places integer NOT NULL,
      justification text NOT NULL,
      status text NOT NULL DEFAULT 'requested',
      requested_by uuid NOT NULL CONSTRAINT unit_ranking_exception_requester_fk REFERENCES person (id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by uuid CONSTRAINT unit_ranking_exception_decider_fk REFERENCES person (id),
      decision_number text,
      decided_on date,
      CONSTRAINT unit_ranking_exception_places_ck CHECK (extra_places BETWEEN 1 AND 100),
      CONSTRAINT unit_ranking_exception_justification_ck CHECK (length(btrim(justification)) BETWEEN 1 AND 4000),
      CONSTRAINT unit_ranking_exception_status_ck CHECK (status IN ('requested', 'approved', 'rejected')),
      CONSTRAINT unit_ranking_exception_decided_ck CHECK (
        (status = 'requested') = (decided_by IS NULL)
        AND (status <> 'approved' OR (decision_number IS NOT NULL AND length(btrim(decision_number)) > 0))),
      CONSTRAINT unit_ranking_exception_self_ck CHECK (decided_by IS DISTINCT FROM requested_by)
    )`.execute(db);
  await sql`CREATE INDEX unit_ranking_exception_ranking_ix ON unit_ranking_exception (ranking_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE unit_ranking_exception`.execute(db);
  await sql`DROP TABLE unit_ranking_entry`.execute(db);
  await sql`DROP TABLE unit_ranking`.execute(db);
}
