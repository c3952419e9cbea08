// The quarterly unit report's narrative (issue 7 point 1; migration 0540): the three sections the unit writes —
// the quarter's results, difficulties and causes, next quarter's focus — saved on the content path with an
// optimistic revision (a save names the revision it was edited on; 0 for the first) and audited. The report
// itself is built by db/queries/monthly-reports.ts (buildMonthlyUnitReport with a 'YYYY-Qn' period).
import { sql } from 'kysely';
import type { ReportNarrative } from '../../domain/report/monthly-unit-report.ts';
import { appendAudit } from '../audit/index.ts';
import type { Executor } from '../executor.ts';
import { inTransaction } from '../executor.ts';
import '../schema-quarterly-reports.ts';

/** The longest a narrative section may be (characters; the database checks it too). */
export const NARRATIVE_MAX_CHARS = 8000;

export const QUARTER_PERIOD = /^(20\d{2}|21\d{2}|2200)-Q([1-4])$/;

export interface StoredNarrative extends ReportNarrative {
  revision: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

const EMPTY: StoredNarrative = {
  results: '',
  difficulties: '',
  nextFocus: '',
  revision: 0,
  updatedBy: null,
  updatedAt: null,
};

/** The unit's narrative of the quarter (revision 0 and empty sections while nothing is saved). */
export async function narrativeOf(
  executor: Executor,
  unitId: string,
  period: string,
): Promise<StoredNarrative> {
  const r = await executor
    .selectFrom('quarterly_report_narrative')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('period', '=', period)
    .executeTakeFirst();
  if (!r) return { ...EMPTY };
  return {
    results: r.results,
    difficulties: r.difficulties,
    nextFocus: r.next_focus,
    revision: r.revision,
    updatedBy: r.updated_by,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/**
 * Saves the narrative edited on `baseRevision`; answers the stored one, or `{ conflict }` with the current one
 * when another save came in between (nothing is written then).
 */
export async function saveNarrative(
  db: Executor,
  q: { unitId: string; period: string; baseRevision: number; narrative: ReportNarrative; by: string },
): Promise<{ saved: StoredNarrative } | { conflict: StoredNarrative }> {
  return inTransaction(db, async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`quarterly-narrative:${q.unitId}:${q.period}`}))`.execute(
      trx,
    );
    const before = await narrativeOf(trx, q.unitId, q.period);
    if (before.revision !== q.baseRevision) return { conflict: before };
    const values = {
      results: q.narrative.results,
      difficulties: q.narrative.difficulties,
      next_focus: q.narrative.nextFocus,
      revision: before.revision + 1,
      updated_by: q.by,
      updated_at: new Date(),
    };
    if (before.revision === 0)
      await trx
        .insertInto('quarterly_report_narrative')
        .values({ unit_id: q.unitId, period: q.period, ...values })
        .execute();
    else
      await trx
        .updateTable('quarterly_report_narrative')
        .set(values)
        .where('unit_id', '=', q.unitId)
        .where('period', '=', q.period)
        .execute();
    const saved = await narrativeOf(trx, q.unitId, q.period);
    await appendAudit(trx, {
      aggregateType: 'quarterly_unit_report',
      aggregateId: `${q.unitId}:${q.period}`,
      actor: q.by,
      action: 'report.quarterly.narrative.saved',
      before:
        before.revision === 0
          ? null
          : {
              results: before.results,
              difficulties: before.difficulties,
              nextFocus: before.nextFocus,
              revision: before.revision,
            },
      after: { ...q.narrative, revision: saved.revision },
    });
    return { saved };
  });
}
