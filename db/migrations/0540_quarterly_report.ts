import { type Kysely, sql } from 'kysely';

// The quarterly unit report (issue 7 point 1): each unit directly under its province reports its quarter from
// its verified values with a narrative it writes. quarterly_report_narrative keeps that narrative — three plain
// text sections (results, difficulties and causes, next quarter's focus), bounded in length — edited on the
// content path with an optimistic revision. quarterly_unit_report is the frozen copy written once when the unit
// head sends the report (like monthly_unit_report, migration 0440): the model, the PDF and Excel files with their
// sha256 (checked by the database), who sent it and when; immutable.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE quarterly_report_narrative (
      unit_id uuid NOT NULL CONSTRAINT quarterly_report_narrative_unit_fk REFERENCES org_unit (id),
      period text NOT NULL,
      results text NOT NULL DEFAULT '',
      difficulties text NOT NULL DEFAULT '',
      next_focus text NOT NULL DEFAULT '',
      revision integer NOT NULL DEFAULT 1,
      updated_by uuid NOT NULL CONSTRAINT quarterly_report_narrative_by_fk REFERENCES person (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT quarterly_report_narrative_pk PRIMARY KEY (unit_id, period),
      CONSTRAINT quarterly_report_narrative_period_ck CHECK (period ~ '^[0-9]{4}-Q[1-4]$'),
      CONSTRAINT quarterly_report_narrative_length_ck
        CHECK (length(results) <= 8000 AND length(difficulties) <= 8000 AND length(next_focus) <= 8000),
      CONSTRAINT quarterly_report_narrative_revision_ck CHECK (revision >= 1)
    )`.execute(db);
  await sql`
    CREATE TABLE quarterly_unit_report (
      unit_id uuid NOT NULL CONSTRAINT quarterly_unit_report_unit_fk REFERENCES org_unit (id),
      period text NOT NULL,
      number text,
      report_date date NOT NULL,
      model jsonb NOT NULL,
      model_sha256 text NOT NULL,
      pdf bytea NOT NULL,
      pdf_sha256 text NOT NULL,
      xlsx bytea NOT NULL,
      xlsx_sha256 text NOT NULL,
      workflow_id text NOT NULL,
      sent_by uuid NOT NULL CONSTRAINT quarterly_unit_report_sent_by_fk REFERENCES person (id),
      on_behalf_of uuid CONSTRAINT quarterly_unit_report_on_behalf_fk REFERENCES person (id),
      sent_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT quarterly_unit_report_pk PRIMARY KEY (unit_id, period),
      CONSTRAINT quarterly_unit_report_period_ck CHECK (period ~ '^[0-9]{4}-Q[1-4]$'),
      CONSTRAINT quarterly_unit_report_number_ck CHECK (number IS NULL OR length(btrim(number)) BETWEEN 1 AND 20),
      CONSTRAINT quarterly_unit_report_model_sha_ck CHECK (model_sha256 ~ '^[0-9a-f]{64}$'),
      CONSTRAINT quarterly_unit_report_pdf_ck
        CHECK (octet_length(pdf) > 0 AND pdf_sha256 = encode(sha256(pdf), 'hex')),
      CONSTRAINT quarterly_unit_report_xlsx_ck
        CHECK (octet_length(xlsx) > 0 AND xlsx_sha256 = encode(sha256(xlsx), 'hex'))
    )`.execute(db);
  await sql`CREATE INDEX quarterly_unit_report_period_ix ON quarterly_unit_report (period)`.execute(db);
  await sql`
    CREATE FUNCTION quarterly_unit_report_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'quarterly_unit_report rows are immutable'; END $$`.execute(db);
  await sql`
    CREATE TRIGGER quarterly_unit_report_no_change BEFORE UPDATE OR DELETE ON quarterly_unit_report
    FOR EACH ROW EXECUTE FUNCTION quarterly_unit_report_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE quarterly_unit_report`.execute(db);
  await sql`DROP FUNCTION quarterly_unit_report_immutable()`.execute(db);
  await sql`DROP TABLE quarterly_report_narrative`.execute(db);
}
