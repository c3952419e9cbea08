import { type Kysely, sql } from 'kysely';

// The Party ranking as a second track of the unit ranking (issue 8 point 3, RULES.md "A person may hold both a
// state and a Party ranking; the state rank feeds the Party one"): every entry names its track ('state' or
// 'party', part of the key), a quota exception names the track whose quota it lifts (the Party quota is a
// separate parameter), and the ranking keeps the Party rule set it computes the Party track with (QĐ 366), so a
// later change of the catalogue leaves a stored ranking unchanged. Rows written before this migration are the
// state track.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE unit_ranking_entry
      ADD COLUMN track text NOT NULL DEFAULT 'state',
      ADD CONSTRAINT unit_ranking_entry_track_ck CHECK (track IN ('state', 'party'))`.execute(db);
  await sql`ALTER TABLE unit_ranking_entry DROP CONSTRAINT unit_ranking_entry_pk`.execute(db);
  await sql`
    ALTER TABLE unit_ranking_entry
      ADD CONSTRAINT unit_ranking_entry_pk PRIMARY KEY (ranking_id, person_id, track)`.execute(db);
  await sql`
    ALTER TABLE unit_ranking_exception
      ADD COLUMN track text NOT NULL DEFAULT 'state',
      ADD CONSTRAINT unit_ranking_exception_track_ck CHECK (track IN ('state', 'party'))`.execute(db);
  await sql`
    ALTER TABLE unit_ranking
      ADD COLUMN party_rule_set_id text NOT NULL DEFAULT 'QD366-2025',
      ADD COLUMN party_rule_set_version integer NOT NULL DEFAULT 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE unit_ranking DROP COLUMN party_rule_set_id, DROP COLUMN party_rule_set_version`.execute(
    db,
  );
  await sql`ALTER TABLE unit_ranking_exception DROP COLUMN track`.execute(db);
  await sql`DELETE FROM unit_ranking_entry WHERE track = 'party'`.execute(db);
  await sql`ALTER TABLE unit_ranking_entry DROP CONSTRAINT unit_ranking_entry_pk`.execute(db);
  await sql`ALTER TABLE unit_ranking_entry DROP COLUMN track`.execute(db);
  await sql`
    ALTER TABLE unit_ranking_entry ADD CONSTRAINT unit_ranking_entry_pk PRIMARY KEY (ranking_id, person_id)`.execute(
    db,
  );
}
