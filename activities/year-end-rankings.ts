// The rankings of the year start on the opening of 1 December (issue 8 point 1, DESIGN §3 row 1/12–14/12):
// every unit directly under the province gets its draft ranking, computed on the data of that day (the head
// recomputes it once the supervisors' year scores are in), and its unit-ranking workflow — the head's task due on
// the `year-end.ranking` deadline, escalating when missing — exactly as POST /api/rankings starts it
// (db/queries/ranking-workflow-input.ts); then the province's ranking of those units and their heads
// (activities/province-ranking.ts startProvinceRanking). Idempotent: an existing ranking is found, a running
// workflow found and a closed one never started again. Called from activities/check-in-opening.ts
// openCheckInPage, not from the opening workflow (its commands are unchanged and its recorded histories replay).
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import { startUnitRankingWorkflow, unitRankingStartFor } from '../db/queries/ranking-workflow-input.ts';
import type { RankingSources } from '../db/queries/rankings.ts';
import type { UnitRankingInput } from '../workflows/unit-ranking.messages.ts';
import { startProvinceRanking } from './province-ranking.ts';

const SYSTEM = 'system:year-end-rankings';

export interface YearEndRankingsResult {
  /** Units whose ranking workflow was started or found running. */
  started: string[];
  /** Units left out, with the reason ('no-calendar'). */
  skipped: { unitId: string; reason: string }[];
  /** Whether the province ranking was started or found (false: no plan-year calendar). */
  province?: boolean;
}

const heartbeat = (d: unknown) => {
  try {
    Context.current().heartbeat(d);
  } catch {
    // outside an activity (tests)
  }
};

export async function startYearEndRankings(
  db: Database,
  temporal: Client,
  a: {
    provinceId: string;
    year: number;
    day: string;
    taskQueue?: string;
    /** Tests and demos: the year-end sources and a hook adjusting the workflow input (a time warp). */
    sources?: RankingSources;
    adjustInput?: (input: UnitRankingInput) => UnitRankingInput;
  },
): Promise<YearEndRankingsResult> {
  const units = await db
    .selectFrom('org_unit')
    .select('id')
    .where('parent_id', '=', a.provinceId)
    .where('province_id', '=', a.provinceId)
    .where('active_from', '<=', a.day)
    .where((eb) => eb.or([eb('active_to', 'is', null), eb('active_to', '>=', a.day)]))
    .orderBy('id')
    .execute();
  const out: YearEndRankingsResult = { started: [], skipped: [] };
  for (const { id: unitId } of units) {
    heartbeat({ unitId });
    const s = await unitRankingStartFor(db, {
      unitId,
      year: a.year,
      by: SYSTEM,
      ...(a.sources ? { sources: a.sources } : {}),
    });
    if (!s.ok) {
      out.skipped.push({ unitId, reason: s.reason });
      continue;
    }
    if (s.row.workflow_id) {
      out.started.push(unitId);
      continue;
    }
    await startUnitRankingWorkflow(db, temporal, {
      input: a.adjustInput ? a.adjustInput(s.input) : s.input,
      ...(a.taskQueue ? { taskQueue: a.taskQueue } : {}),
    });
    out.started.push(unitId);
  }
  // the province's ranking of its units and their heads, decided by the standing committee (the heads' superior)
  out.province = await startProvinceRanking(db, temporal, {
    provinceId: a.provinceId,
    year: a.year,
    day: a.day,
    ...(a.taskQueue ? { taskQueue: a.taskQueue } : {}),
  });
  return out;
}
