import { type Kysely, sql } from 'kysely';

// A person's employments are read by person everywhere (their unit on a day: the opening of a month, the check-in
// and assessment inputs, the escalation placement, the access rules). The only index with person_id was the
// overlap exclusion's, partial (NOT is_concurrent) and GiST, which a plain `person_id = $1` cannot use: at scale 1
// (20,000 persons) each lookup scanned the whole table, 408,119 scans in one bench run, and the province's
// escalation counts took 34 s (issue 9, docs/benchmarks/).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX employment_person_ix ON employment (person_id, valid_from)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX employment_person_ix`.execute(db);
}
