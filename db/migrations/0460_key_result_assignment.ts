import { type Kysely, sql } from 'kysely';

// Key results change hands during the year (DESIGN §1: transfers, leavers): a reassignment names the key
// result of a plan, the person who reports it from a period on, the person who reported it before (null: the
// plan content's owner), why, who decided and when. Append-only: the history of who reported what is never
// rewritten; the owner of a key result in a period is the latest reassignment effective by then, else the
// plan content's (domain/handover).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE key_result_assignment (
      id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT key_result_assignment_pk PRIMARY KEY,
      plan_id text NOT NULL CONSTRAINT key_result_assignment_plan_fk REFERENCES plan (id),
      key_result_id text NOT NULL,
      from_person_id uuid CONSTRAINT key_result_assignment_from_fk REFERENCES person (id),
      to_person_id uuid NOT NULL CONSTRAINT key_result_assignment_to_fk REFERENCES person (id),
      effective_period text NOT NULL,
      reason text NOT NULL,
      changed_by uuid NOT NULL CONSTRAINT key_result_assignment_by_fk REFERENCES person (id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT key_result_assignment_kr_ck CHECK (length(key_result_id) BETWEEN 1 AND 100),
      CONSTRAINT key_result_assignment_period_ck CHECK (effective_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      CONSTRAINT key_result_assignment_change_ck CHECK (from_person_id IS DISTINCT FROM to_person_id),
      CONSTRAINT key_result_assignment_reason_ck CHECK (length(btrim(reason)) BETWEEN 1 AND 2000)
    )`.execute(db);
  await sql`CREATE INDEX key_result_assignment_plan_ix ON key_result_assignment (plan_id, key_result_id, id)`.execute(
    db,
  );
  await sql`CREATE INDEX key_result_assignment_to_ix ON key_result_assignment (to_person_id)`.execute(db);
  await sql`
    CREATE FUNCTION key_result_assignment_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'key_result_assignment rows are immutable'; END $$`.execute(db);
  await sql`
    CREATE TRIGGER key_result_assignment_no_change BEFORE UPDATE OR DELETE ON key_result_assignment
    FOR EACH ROW EXECUTE FUNCTION key_result_assignment_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE key_result_assignment`.execute(db);
  await sql`DROP FUNCTION key_result_assignment_append_only()`.execute(db);
}
