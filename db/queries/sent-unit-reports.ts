// The frozen copy a sent unit report keeps (migrations 0440 monthly_unit_report, 0540 quarterly_unit_report: the
// same columns), read and written once for either kind: its row without the files, one of its files, its model
// with the sender's name, and the write-once insert a retried freeze activity may repeat.
import { toJsonValue } from '../audit/hash.ts';
import type { Executor } from '../executor.ts';
import '../schema-quarterly-reports.ts';
import '../schema-reports.ts';
import type { MonthlyUnitReportRow } from '../schema-reports.ts';
import type { UnitReportKind } from '../schema-unit-report-lock.ts';
import { sha256Of } from './monthly-reports.ts';

/** The table a kind's sent reports are kept in. */
export const SENT_REPORT_TABLE = {
  monthly: 'monthly_unit_report',
  quarterly: 'quarterly_unit_report',
} as const satisfies Record<UnitReportKind, string>;

export type SentReportInfo = Omit<MonthlyUnitReportRow, 'pdf' | 'xlsx' | 'model'>;

const INFO_COLUMNS = [
  'unit_id',
  'period',
  'number',
  'report_date',
  'model_sha256',
  'pdf_sha256',
  'xlsx_sha256',
  'workflow_id',
  'sent_by',
  'on_behalf_of',
  'sent_at',
] as const;

/** The sent report of a unit and period (without its files), if it was sent. */
export function sentUnitReportOf(
  executor: Executor,
  kind: UnitReportKind,
  unitId: string,
  period: string,
): Promise<SentReportInfo | undefined> {
  return executor
    .selectFrom(SENT_REPORT_TABLE[kind])
    .select(INFO_COLUMNS)
    .where('unit_id', '=', unitId)
    .where('period', '=', period)
    .executeTakeFirst();
}

/** One frozen file of a sent report. */
export async function sentUnitReportFile(
  executor: Executor,
  kind: UnitReportKind,
  unitId: string,
  period: string,
  ext: 'pdf' | 'xlsx',
): Promise<{ bytes: Buffer; sha256: string } | undefined> {
  const r = await executor
    .selectFrom(SENT_REPORT_TABLE[kind])
    .select(
      ext === 'pdf' ? ['pdf as bytes', 'pdf_sha256 as sha256'] : ['xlsx as bytes', 'xlsx_sha256 as sha256'],
    )
    .where('unit_id', '=', unitId)
    .where('period', '=', period)
    .executeTakeFirst();
  return r ? { bytes: r.bytes as Buffer, sha256: r.sha256 as string } : undefined;
}

/** The frozen model of a sent report and the name of the person who sent it. */
export function sentUnitReportModel(
  executor: Executor,
  kind: UnitReportKind,
  unitId: string,
  period: string,
): Promise<{ model: unknown; senderName: string }> {
  // Both tables have the same columns: typed as the monthly one for the join.
  const from = `${SENT_REPORT_TABLE[kind]} as r` as 'monthly_unit_report as r';
  return executor
    .selectFrom(from)
    .innerJoin('person as p', 'p.id', 'r.sent_by')
    .select(['r.model as model', 'p.full_name as senderName'])
    .where('r.unit_id', '=', unitId)
    .where('r.period', '=', period)
    .executeTakeFirstOrThrow();
}

export interface SentUnitReportWrite {
  unitId: string;
  period: string;
  number: string | null;
  date: string;
  model: unknown;
  pdf: Buffer;
  xlsx: Buffer;
  workflowId: string;
  sentBy: string;
  onBehalfOf?: string | undefined;
}

/** Writes the frozen report once: a second call (a retried activity) finds the first and writes nothing. */
export async function insertSentUnitReport(
  executor: Executor,
  kind: UnitReportKind,
  r: SentUnitReportWrite,
): Promise<{ created: boolean; row: SentReportInfo }> {
  const table = SENT_REPORT_TABLE[kind];
  const inserted = await executor
    .insertInto(table)
    .values({
      unit_id: r.unitId,
      period: r.period,
      number: r.number,
      report_date: r.date,
      model: JSON.stringify(toJsonValue(r.model)),
      model_sha256: sha256Of(r.model),
      pdf: r.pdf,
      pdf_sha256: sha256Of(r.pdf),
      xlsx: r.xlsx,
      xlsx_sha256: sha256Of(r.xlsx),
      workflow_id: r.workflowId,
      sent_by: r.sentBy,
      on_behalf_of: r.onBehalfOf ?? null,
    })
    .onConflict((oc) => oc.columns(['unit_id', 'period']).doNothing())
    .returning('unit_id')
    .executeTakeFirst();
  const row = await sentUnitReportOf(executor, kind, r.unitId, r.period);
  if (!row) throw new Error(`${table} ${r.unitId} ${r.period} missing after insert`);
  return { created: inserted !== undefined, row };
}
