import { type Kysely, sql } from 'kysely';

// The period lock and the reopen requests of the unit-level reports (DESIGN §3: "a reporting period locks when its
// window closes and reopens only by a request with a reason, approved by … the secretariat (unit items)"; issue 6
// point 3). The monthly and the quarterly unit report (workflows/monthly-unit-report.ts runUnitReport, patch
// 'unit-report-period-lock') write them through idempotent activities:
// - unit_report_lock: one row per lock of a report run (a report reopened and missed again locks again), id the
//   workflow's business key `${workflowId}:lock:${n}`;
// - unit_report_reopen_request: one row per reopen request, id `${workflowId}:reopen:${n}`; the decision columns
//   are filled once (by the province's secretariat, or the standing committee it escalated to).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE unit_report_lock (
      id text CONSTRAINT unit_report_lock_pk PRIMARY KEY,
      report_kind text NOT NULL,
      unit_id uuid NOT NULL CONSTRAINT unit_report_lock_unit_fk REFERENCES org_unit (id),
      period text NOT NULL,
      number integer NOT NULL,
      workflow_id text NOT NULL,
      window_closed_on date NOT NULL,
      locked_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT unit_report_lock_kind_ck CHECK (report_kind IN ('monthly', 'quarterly')),
      CONSTRAINT unit_report_lock_number_ck CHECK (number >= 1),
      CONSTRAINT unit_report_lock_number_uq UNIQUE (report_kind, unit_id, period, number)
    )`.execute(db);
  await sql`
    CREATE TABLE unit_report_reopen_request (
      id text CONSTRAINT unit_report_reopen_request_pk PRIMARY KEY,
      report_kind text NOT NULL,
      unit_id uuid NOT NULL CONSTRAINT unit_report_reopen_request_unit_fk REFERENCES org_unit (id),
      period text NOT NULL,
      number integer NOT NULL,
      workflow_id text NOT NULL,
      requested_by uuid NOT NULL CONSTRAINT unit_report_reopen_request_by_fk REFERENCES person (id),
      requested_on_behalf_of uuid CONSTRAINT unit_report_reopen_request_for_fk REFERENCES person (id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      decision text,
      decided_by uuid CONSTRAINT unit_report_reopen_request_decided_by_fk REFERENCES person (id),
      decided_on_behalf_of uuid CONSTRAINT unit_report_reopen_request_decided_for_fk REFERENCES person (id),
      decided_at timestamptz,
      comment text,
      new_due_date date,
      CONSTRAINT unit_report_reopen_request_kind_ck CHECK (report_kind IN ('monthly', 'quarterly')),
      CONSTRAINT unit_report_reopen_request_number_uq UNIQUE (report_kind, unit_id, period, number),
      CONSTRAINT unit_report_reopen_request_number_ck CHECK (number >= 1),
      CONSTRAINT unit_report_reopen_request_reason_ck CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
      CONSTRAINT unit_report_reopen_request_decision_ck
        CHECK (decision IS NULL OR decision IN ('approve', 'reject')),
      CONSTRAINT unit_report_reopen_request_decided_ck CHECK (
        (decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL)
      ),
      CONSTRAINT unit_report_reopen_request_due_ck CHECK (new_due_date IS NULL OR decision = 'approve'),
      CONSTRAINT unit_report_reopen_request_comment_ck CHECK (comment IS NULL OR length(comment) <= 2000)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE unit_report_reopen_request`.execute(db);
  await sql`DROP TABLE unit_report_lock`.execute(db);
}
