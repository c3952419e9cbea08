import { type Kysely, sql } from 'kysely';

// An administrator's move of one deadline of one plan year (DESIGN §3: every date is configurable per
// province): the calendar profile's plan-year calendar uses `to_date` for `deadline_id` instead of the rule's
// date. One row per deadline (a new move replaces the old one; the audit log keeps every move and its reason).
// calendar_change is the outbox of changes still to be carried to running plan workflows: written in the
// same transaction as the change, marked started once its workflow (workflows/calendar-change.ts) runs, so a
// change saved while Temporal was unreachable is started by the next calendar write or the daily sweep.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE deadline_move (
      profile_id text NOT NULL CONSTRAINT deadline_move_profile_fk REFERENCES calendar_profile (id) ON DELETE CASCADE,
      plan_year integer NOT NULL,
      deadline_id text NOT NULL,
      to_date date NOT NULL,
      reason text NOT NULL,
      moved_by text NOT NULL,
      moved_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT deadline_move_pk PRIMARY KEY (profile_id, plan_year, deadline_id),
      CONSTRAINT deadline_move_year_ck CHECK (plan_year BETWEEN 2000 AND 2200),
      CONSTRAINT deadline_move_reason_ck CHECK (btrim(reason) <> ''),
      CONSTRAINT deadline_move_id_ck CHECK (deadline_id ~ '^[a-z][a-z0-9.-]*$')
    )`.execute(db);
  await sql`
    CREATE TABLE calendar_change (
      id uuid CONSTRAINT calendar_change_pk PRIMARY KEY,
      province_id uuid NOT NULL CONSTRAINT calendar_change_province_fk REFERENCES org_unit (id),
      input jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      CONSTRAINT calendar_change_input_ck CHECK (jsonb_typeof(input) = 'object')
    )`.execute(db);
  await sql`CREATE INDEX calendar_change_pending_ix ON calendar_change (created_at) WHERE started_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE calendar_change`.execute(db);
  await sql`DROP TABLE deadline_move`.execute(db);
}
