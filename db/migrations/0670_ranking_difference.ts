import { type Kysely, sql } from 'kysely';

// The December check-in after the ranking (DESIGN §3 row "by 5/01", issue 8 point 1): when a December period
// assessment is confirmed after the unit's ranking was decided, the person's year score is recomputed with it;
// if the engine, under the frozen parameters and input snapshot, yields another level than the signed one, a
// difference is recorded here — the frozen entry is never changed. One row per ranking and person (the state
// ranking), written once (idempotent); the head and the secretariat are notified in-app.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE ranking_difference (
      id uuid CONSTRAINT ranking_difference_pk PRIMARY KEY DEFAULT gen_random_uuid(),
      ranking_id uuid NOT NULL CONSTRAINT ranking_difference_ranking_fk REFERENCES unit_ranking (id),
      person_id uuid NOT NULL CONSTRAINT ranking_difference_person_fk REFERENCES person (id),
      period_assessment_id uuid NOT NULL
        CONSTRAINT ranking_difference_assessment_fk REFERENCES period_assessment (id),
      frozen_level text NOT NULL,
      frozen_score numeric(7, 2) NOT NULL,
      new_level text NOT NULL,
      new_score numeric(7, 2) NOT NULL,
      detail json NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ranking_difference_uq UNIQUE (ranking_id, person_id),
      CONSTRAINT ranking_difference_levels_ck CHECK (
        frozen_level IN ('excellent', 'good', 'completed', 'notCompleted')
        AND new_level IN ('excellent', 'good', 'completed', 'notCompleted')
        AND new_level <> frozen_level)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE ranking_difference`.execute(db);
}
