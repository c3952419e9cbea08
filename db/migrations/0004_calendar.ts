import { type Kysely, sql } from 'kysely';

// Calendar profiles (DESIGN §3): weekend days, public holidays (vi/en), make-up working days and
// deadline settings, linked to a province.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE calendar_profile (
      id text CONSTRAINT calendar_profile_pk PRIMARY KEY,
      province_id uuid CONSTRAINT calendar_profile_province_fk REFERENCES org_unit (id),
      name text NOT NULL,
      time_zone text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
      weekend_days smallint[] NOT NULL DEFAULT '{6,7}',
      deadline_settings jsonb NOT NULL DEFAULT '{}',
      source text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT calendar_profile_time_zone_ck CHECK (time_zone = 'Asia/Ho_Chi_Minh'),
      CONSTRAINT calendar_profile_weekend_ck CHECK (weekend_days <@ ARRAY[1,2,3,4,5,6,7]::smallint[]
                                                    AND cardinality(weekend_days) < 7),
      CONSTRAINT calendar_profile_deadline_settings_ck CHECK (jsonb_typeof(deadline_settings) = 'object')
    )`.execute(db);
  await sql`CREATE INDEX calendar_profile_province_ix ON calendar_profile (province_id)`.execute(db);
  await sql`
    CREATE TABLE calendar_holiday (
      profile_id text NOT NULL CONSTRAINT calendar_holiday_profile_fk REFERENCES calendar_profile (id) ON DELETE CASCADE,
      day date NOT NULL,
      name_vi text NOT NULL,
      name_en text NOT NULL,
      CONSTRAINT calendar_holiday_pk PRIMARY KEY (profile_id, day)
    )`.execute(db);
  await sql`
    CREATE TABLE calendar_make_up_day (
      profile_id text NOT NULL CONSTRAINT calendar_make_up_day_profile_fk REFERENCES calendar_profile (id) ON DELETE CASCADE,
      day date NOT NULL,
      CONSTRAINT calendar_make_up_day_pk PRIMARY KEY (profile_id, day)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE calendar_make_up_day`.execute(db);
  await sql`DROP TABLE calendar_holiday`.execute(db);
  await sql`DROP TABLE calendar_profile`.execute(db);
}
