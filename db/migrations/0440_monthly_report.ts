import { type Kysely, sql } from 'kysely';

// The monthly unit report (DESIGN §3 "The unit's monthly result is a report to print, sign and stamp"; issue 6
// point 6): one row per unit (directly under the province) and month, written once when the unit head sends the
// report (the monthly-unit-report workflow's Update). It keeps the frozen model (the verified values at that
// moment), the rendered PDF and Excel files with their sha256 (checked by the database), who sent it and when.
// Immutable: a sent report is never changed or deleted.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE monthly_unit_report (
      unit_id uuid NOT NULL CONSTRAINT monthly_unit_report_unit_fk REFERENCES org_unit (id),
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
      sent_by uuid NOT NULL CONSTRAINT monthly_unit_report_sent_by_fk REFERENCES person (id),
      on_behalf_of uuid CONSTRAINT monthly_unit_report_on_behalf_fk REFERENCES person (id),
      sent_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT monthly_unit_report_pk PRIMARY KEY (unit_id, period),
      CONSTRAINT monthly_unit_report_period_ck CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      CONSTRAINT monthly_unit_report_number_ck CHECK (number IS NULL OR length(btrim(number)) BETWEEN 1 AND 20),
      CONSTRAINT monthly_unit_report_model_sha_ck CHECK (model_sha256 ~ '^[0-9a-f]{64}$'),
      CONSTRAINT monthly_unit_report_pdf_ck
        CHECK (octet_length(pdf) > 0 AND pdf_sha256 = encode(sha256(pdf), 'hex')),
      CONSTRAINT monthly_unit_report_xlsx_ck
        CHECK (octet_length(xlsx) > 0 AND xlsx_sha256 = encode(sha256(xlsx), 'hex'))
    )`.execute(db);
  await sql`CREATE INDEX monthly_unit_report_period_ix ON monthly_unit_report (period)`.execute(db);
  await sql`
    CREATE FUNCTION monthly_unit_report_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'monthly_unit_report rows are immutable'; END $$`.execute(db);
  await sql`
    CREATE TRIGGER monthly_unit_report_no_change BEFORE UPDATE OR DELETE ON monthly_unit_report
    FOR EACH ROW EXECUTE FUNCTION monthly_unit_report_immutable()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE monthly_unit_report`.execute(db);
  await sql`DROP FUNCTION monthly_unit_report_immutable()`.execute(db);
}
