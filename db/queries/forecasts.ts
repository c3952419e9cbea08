// Reads and writes of the forecast and early warning (issue 7 point 3; docs/forecast.md): the plans in force of a
// unit and its people, their verified values of the year, the forecast read model (migration 0500) and the open
// 'forecast.warning' inbox tasks.
import { sql } from 'kysely';
import type { KeyResultForecast } from '../../domain/forecast/forecast.ts';
import type { Reassignment } from '../../domain/handover/owner.ts';
import type { Plan } from '../../domain/plan/model.ts';
import type { Executor } from '../executor.ts';
import '../schema-check-ins.ts';
import '../schema-forecast.ts';
import '../schema-plans.ts';
import { reassignmentsOf } from './check-ins.ts';

export const FORECAST_TASK_KIND = 'forecast.warning';
export const FORECAST_SUBJECT_TYPE = 'key_result';

export interface ForecastPlan {
  planId: string;
  content: Plan;
  reassignments: Reassignment[];
}

/**
 * The plans of `year` with a version in force that belong to `unitId` or a unit below it, or to a person employed
 * there on `day` (their personal plans), by plan id.
 */
export async function forecastPlansOfUnit(
  executor: Executor,
  q: { unitId: string; year: number; day: string },
): Promise<ForecastPlan[]> {
  const r = await sql<{ id: string; content: Plan }>`
    WITH RECURSIVE tree AS (
      SELECT id, 0 AS depth FROM org_unit WHERE id = ${q.unitId}::uuid
      UNION ALL
      SELECT u.id, tree.depth + 1 FROM org_unit u JOIN tree ON u.parent_id = tree.id WHERE tree.depth < 64
    ), people AS (
      SELECT DISTINCT e.person_id FROM employment e JOIN tree ON tree.id = e.org_unit_id
       WHERE e.valid_from <= ${q.day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${q.day}::date)
    )
    SELECT p.id, v.content
      FROM plan p JOIN plan_version v ON v.id = p.in_force_version_id
     WHERE p.year = ${q.year}
       AND ((p.owner_kind = 'unit' AND p.unit_id IN (SELECT id FROM tree))
         OR (p.owner_kind = 'person' AND p.person_id IN (SELECT person_id FROM people)))
     ORDER BY p.id`.execute(executor);
  const reassignments = await reassignmentsOf(
    executor,
    r.rows.map((p) => p.id),
  );
  return r.rows.map((p) => ({
    planId: p.id,
    content: p.content,
    reassignments: reassignments.get(p.id) ?? [],
  }));
}

export interface VerifiedValue {
  planId: string;
  keyResultId: string;
  period: string;
  value: string | null;
  done: boolean | null;
}

/** The verified values of the plans' key results in `year` up to and including `through` ('YYYY-MM'): one per
 *  key result and month (the latest verified, when a month has several). */
export async function verifiedValuesOf(
  executor: Executor,
  q: { planIds: readonly string[]; year: number; through: string },
): Promise<VerifiedValue[]> {
  if (!q.planIds.length) return [];
  const rows = await executor
    .selectFrom('check_in_value as v')
    .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
    .select(['v.plan_id', 'v.key_result_id', 'c.period', 'v.value', 'v.done', 'v.verified_at'])
    .where('v.plan_id', 'in', [...new Set(q.planIds)])
    .where('v.verification', '=', 'verified')
    .where('c.period', '>=', `${q.year}-01`)
    .where('c.period', '<=', q.through)
    .orderBy('v.verified_at')
    .execute();
  const byKey = new Map<string, VerifiedValue>();
  for (const r of rows)
    byKey.set(`${r.plan_id}\u0000${r.key_result_id}\u0000${r.period}`, {
      planId: r.plan_id,
      keyResultId: r.key_result_id,
      period: r.period,
      value: r.value,
      done: r.done,
    });
  return [...byKey.values()];
}

export interface ForecastRow {
  planId: string;
  keyResultId: string;
  forecast: KeyResultForecast;
}

/** Rows a statement holds: a unit's monthly run writes thousands of forecasts, a few statements instead of one each. */
const FORECAST_ROWS_PER_STATEMENT = 500;

/** Stores (or replaces) the forecasts of key results for their month, many rows a statement. */
export async function upsertForecasts(executor: Executor, forecasts: readonly ForecastRow[]): Promise<void> {
  for (let i = 0; i < forecasts.length; i += FORECAST_ROWS_PER_STATEMENT) {
    const rows = forecasts.slice(i, i + FORECAST_ROWS_PER_STATEMENT).map((f) => {
      const p = f.forecast.kind === 'projection' ? f.forecast : undefined;
      return {
        plan_id: f.planId,
        key_result_id: f.keyResultId,
        period: f.forecast.through,
        kind: f.forecast.kind,
        projected: p?.projected ?? null,
        low: p?.low ?? null,
        high: p?.high ?? null,
        target: p?.target ?? null,
        p_miss: p?.pMiss ?? null,
        warning: f.forecast.kind !== 'none' && f.forecast.warning,
        details: JSON.stringify(f.forecast),
      };
    });
    await executor
      .insertInto('key_result_forecast')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['plan_id', 'key_result_id', 'period']).doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          projected: eb.ref('excluded.projected'),
          low: eb.ref('excluded.low'),
          high: eb.ref('excluded.high'),
          target: eb.ref('excluded.target'),
          p_miss: eb.ref('excluded.p_miss'),
          warning: eb.ref('excluded.warning'),
          details: eb.ref('excluded.details'),
          computed_at: sql`now()`,
        })),
      )
      .execute();
  }
}

/** Stores (or replaces) the forecast of a key result for a month. */
export function upsertForecast(executor: Executor, f: ForecastRow): Promise<void> {
  return upsertForecasts(executor, [f]);
}

/** The forecasts of a plan's key result, oldest month first. */
export function forecastsOf(executor: Executor, planId: string, keyResultId: string) {
  return executor
    .selectFrom('key_result_forecast')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('key_result_id', '=', keyResultId)
    .orderBy('period')
    .execute();
}

/** The open warning tasks of the plans' key results: by subject id (`<planId>/<krId>`), then by assignee (person
 *  id, or 'role:<role>:<unit>'). */
export async function openWarningTasksOf(
  executor: Executor,
  planIds: readonly string[],
): Promise<Map<string, Map<string, { id: string; details: unknown }>>> {
  const out = new Map<string, Map<string, { id: string; details: unknown }>>();
  if (!planIds.length) return out;
  const rows = await executor
    .selectFrom('task')
    .select(['id', 'subject_id', 'details', 'assignee_person_id', 'assignee_role', 'assignee_unit_id'])
    .where('kind', '=', FORECAST_TASK_KIND)
    .where('subject_type', '=', FORECAST_SUBJECT_TYPE)
    .where('status', '=', 'open')
    .where(sql<string>`details->>'planId'`, 'in', [...new Set(planIds)])
    .execute();
  for (const r of rows) {
    const bySubject = out.get(r.subject_id) ?? new Map<string, { id: string; details: unknown }>();
    bySubject.set(r.assignee_person_id ?? `role:${r.assignee_role}:${r.assignee_unit_id}`, {
      id: r.id,
      details: r.details,
    });
    out.set(r.subject_id, bySubject);
  }
  return out;
}

export const keyResultSubjectId = (planId: string, keyResultId: string) => `${planId}/${keyResultId}`;

export function forecastRunOf(executor: Executor, unitId: string, period: string) {
  return executor
    .selectFrom('forecast_run')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('period', '=', period)
    .executeTakeFirst();
}

export async function recordForecastRun(
  executor: Executor,
  r: { unitId: string; period: string; plans: number; warnings: number },
): Promise<void> {
  await executor
    .insertInto('forecast_run')
    .values({ unit_id: r.unitId, period: r.period, plans: r.plans, warnings: r.warnings })
    .onConflict((oc) => oc.columns(['unit_id', 'period']).doNothing())
    .execute();
}
