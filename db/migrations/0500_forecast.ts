import { type Kysely, sql } from 'kysely';

// The forecast and early warning (issue 7 point 3; docs/forecast.md). key_result_forecast: the year-end
// projection of each key result after each verified month (the through month), as computed then — the read
// model dashboards and giao ban dossiers read the band from; recomputing the same month replaces the row.
// forecast_run: that a unit's forecast for a month has been made (the monthly opening makes it once per unit and
// month, whichever page of persons reaches the unit first).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE key_result_forecast (
      plan_id text NOT NULL CONSTRAINT key_result_forecast_plan_fk REFERENCES plan (id),
      key_result_id text NOT NULL,
      period text NOT NULL,
      kind text NOT NULL,
      projected text,
      low text,
      high text,
      target text,
      p_miss text,
      warning boolean NOT NULL,
      details jsonb NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT key_result_forecast_pk PRIMARY KEY (plan_id, key_result_id, period),
      CONSTRAINT key_result_forecast_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      CONSTRAINT key_result_forecast_kind_ck
        CHECK (kind IN ('projection', 'milestone', 'zeroTolerance', 'none'))
    )`.execute(db);
  await sql`CREATE INDEX key_result_forecast_period_ix ON key_result_forecast (period) WHERE warning`.execute(
    db,
  );
  await sql`
    CREATE TABLE forecast_run (
      unit_id uuid NOT NULL CONSTRAINT forecast_run_unit_fk REFERENCES org_unit (id),
      period text NOT NULL,
      plans integer NOT NULL,
      warnings integer NOT NULL,
      computed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT forecast_run_pk PRIMARY KEY (unit_id, period),
      CONSTRAINT forecast_run_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE forecast_run`.execute(db);
  await sql`DROP TABLE key_result_forecast`.execute(db);
}
