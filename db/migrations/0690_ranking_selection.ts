import { type Kysely, sql } from 'kysely';

// The unit head's selection within the quota (RULES.md "Quotas", issue 8): in a DRAFT ranking over the quota of
// "Hoàn thành xuất sắc nhiệm vụ", the head places an entry the engine ranked 'excellent' at 'good' ("xếp Hoàn
// thành tốt do giới hạn tỷ lệ") with a short reason; undone by deleting the row while the draft stands. A
// recompute keeps the rows of the entries still ranked 'excellent' and drops the others; the decision copies the
// selection into the frozen entry (engine level, chosen level, who, when, reason) and the rows stay as the record
// of the draft. One row per ranking, person and track (the entry's key); never a level raised (only
// excellent → good).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE unit_ranking_selection (
      ranking_id uuid NOT NULL CONSTRAINT unit_ranking_selection_ranking_fk REFERENCES unit_ranking (id),
      person_id uuid NOT NULL CONSTRAINT unit_ranking_selection_person_fk REFERENCES person (id),
      track text NOT NULL DEFAULT 'state',
      engine_level text NOT NULL DEFAULT 'excellent',
      level text NOT NULL DEFAULT 'good',
      reason text NOT NULL,
      selected_by uuid NOT NULL CONSTRAINT unit_ranking_selection_by_fk REFERENCES person (id),
      selected_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT unit_ranking_selection_pk PRIMARY KEY (ranking_id, person_id, track),
      CONSTRAINT unit_ranking_selection_track_ck CHECK (track IN ('state', 'party')),
      CONSTRAINT unit_ranking_selection_levels_ck CHECK (engine_level = 'excellent' AND level = 'good'),
      CONSTRAINT unit_ranking_selection_reason_ck CHECK (length(btrim(reason)) BETWEEN 1 AND 1000)
    )`.execute(db);
  // the same in the province ranking: the standing committee places a head the engine ranked 'excellent' at
  // 'good' within the heads' quota (one row per ranking and head: the individual entries)
  await sql`
    CREATE TABLE province_ranking_selection (
      ranking_id uuid NOT NULL CONSTRAINT province_ranking_selection_ranking_fk REFERENCES province_ranking (id),
      person_id uuid NOT NULL CONSTRAINT province_ranking_selection_person_fk REFERENCES person (id),
      engine_level text NOT NULL DEFAULT 'excellent',
      level text NOT NULL DEFAULT 'good',
      reason text NOT NULL,
      selected_by uuid NOT NULL CONSTRAINT province_ranking_selection_by_fk REFERENCES person (id),
      selected_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT province_ranking_selection_pk PRIMARY KEY (ranking_id, person_id),
      CONSTRAINT province_ranking_selection_levels_ck CHECK (engine_level = 'excellent' AND level = 'good'),
      CONSTRAINT province_ranking_selection_reason_ck CHECK (length(btrim(reason)) BETWEEN 1 AND 1000)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE province_ranking_selection`.execute(db);
  await sql`DROP TABLE unit_ranking_selection`.execute(db);
}
