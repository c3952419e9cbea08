import { type Kysely, sql } from 'kysely';

// The per-agency assessment cadence takes effect from the next assessment period (issue 6 loose ends): a change
// keeps the cadence in force until then (`previous_cadence`) and names the first month of the new cadence
// (`effective_from`, 'YYYY-MM', always the first month of a quarter, so no month is assessed twice or never).
// Rows written before this migration have both NULL: their cadence is in force for every month.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE assessment_cadence
      ADD COLUMN previous_cadence text NULL,
      ADD COLUMN effective_from text NULL,
      ADD CONSTRAINT assessment_cadence_previous_ck CHECK (previous_cadence IN ('month', 'quarter')),
      ADD CONSTRAINT assessment_cadence_effective_ck CHECK (
        (previous_cadence IS NULL) = (effective_from IS NULL)
        AND (effective_from IS NULL OR effective_from ~ '^2[0-9]{3}-(01|04|07|10)$'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE assessment_cadence
      DROP CONSTRAINT assessment_cadence_effective_ck,
      DROP CONSTRAINT assessment_cadence_previous_ck,
      DROP COLUMN effective_from,
      DROP COLUMN previous_cadence`.execute(db);
}
