// Carries a calendar change to the province's running plan workflows (workflows/calendar-change.ts): the change
// is written to the calendar_change outbox in the transaction of the calendar write, then its workflow is
// started (with any earlier change of the province still pending). If Temporal is unreachable the write
// stands and the answer is 503; the next calendar write or the daily sweep starts what is pending.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordCalendarChange, startPendingCalendarChanges } from '../../../activities/calendar-change.ts';
import type { Executor } from '../../../db/executor.ts';
import { moveMap } from '../../../db/queries/deadline-moves.ts';
import '../../../db/schema-plans.ts';
import '../../../db/schema-calendar-moves.ts';
import '../../../db/schema-check-ins.ts';
import type { CalendarProfile } from '../../../domain/calendar/profile.ts';
import { calendarChangeWorkflowId } from '../../../workflows/calendar-change.ts';
import type { ApiDeps } from '../../deps.ts';
import { withTemporal } from '../plans/temporal.ts';

/** The plan years with running plan workflows (or open check-ins) in a province. */
export async function runningPlanYears(db: Executor, provinceId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('plan')
    .innerJoin('org_unit', 'org_unit.id', 'plan.unit_id')
    .select('plan.year')
    .distinct()
    .where('org_unit.province_id', '=', provinceId)
    .where('plan.workflow_id', 'is not', null)
    .where('plan.status', '<>', 'CLOSED')
    .orderBy('plan.year')
    .execute();
  // The years of the province's open check-ins too (issue 6: their running workflows follow a moved deadline).
  const checkIns = await db
    .selectFrom('check_in')
    .innerJoin('org_unit', 'org_unit.id', 'check_in.unit_id')
    .select(sql<string>`substr(check_in.period, 1, 4)`.as('year'))
    .distinct()
    .where('org_unit.province_id', '=', provinceId)
    .where('check_in.status', 'in', ['DRAFT', 'SUBMITTED', 'RETURNED'])
    .execute();
  // The years of the province's running period assessments and open unit-report tasks (issue 6: they follow too).
  const assessments = await sql<{ year: string }>`
    SELECT DISTINCT substr(pa.period, 1, 4) AS year
      FROM period_assessment pa JOIN org_unit u ON u.id = pa.unit_id
     WHERE u.province_id = ${provinceId} AND pa.status = 'draft' AND pa.workflow_id IS NOT NULL`.execute(db);
  const reports = await sql<{ year: string }>`
    SELECT DISTINCT substr(split_part(t.subject_id, ':', 2), 1, 4) AS year
      FROM task t JOIN org_unit u ON u.id::text = split_part(t.subject_id, ':', 1)
     WHERE t.subject_type IN ('monthly_unit_report', 'quarterly_unit_report') AND t.status = 'open'
       AND u.province_id = ${provinceId}`.execute(db);
  const years = new Set([
    ...rows.map((r) => r.year),
    ...checkIns.map((r) => Number(r.year)),
    ...[...assessments.rows, ...reports.rows].map((r) => Number(r.year)),
  ]);
  return [...years].sort((a, b) => a - b);
}

/** The moves of each year under the profile (what running plans were computed with, before a change). */
export async function movesByYear(db: Executor, profileId: string, years: number[]) {
  const out: Record<string, Record<string, string>> = {};
  for (const y of years) out[String(y)] = await moveMap(db, profileId, y);
  return out;
}

/** Records a change for the years with running plans (in the caller's transaction); null when there are none. */
export async function recordChange(
  trx: Executor,
  c: {
    provinceId: string;
    years: number[];
    by: string;
    reason: string;
    before: { profile: CalendarProfile; movesByYear: Record<string, Record<string, string>> };
  },
): Promise<string | null> {
  const running = new Set(await runningPlanYears(trx, c.provinceId));
  const years = c.years.filter((y) => running.has(y));
  if (!years.length) return null;
  const changeId = randomUUID();
  await recordCalendarChange(trx, { changeId, ...c, years });
  return calendarChangeWorkflowId(changeId);
}

/** Starts the province's pending changes (after the calendar write committed). */
export async function startPending(deps: ApiDeps, provinceId: string): Promise<void> {
  const pending = await deps.db
    .selectFrom('calendar_change')
    .select('id')
    .where('province_id', '=', provinceId)
    .where('started_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  if (!pending) return;
  await withTemporal(deps.temporal, (client) =>
    startPendingCalendarChanges(deps.db, client, {
      provinceId,
      ...(deps.plans?.taskQueue ? { taskQueue: deps.plans.taskQueue } : {}),
    }),
  );
}
