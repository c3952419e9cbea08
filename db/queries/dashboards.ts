// The dashboards' reads (issue 7 point 4), from the read model only: units, the unit plans in force, VERIFIED
// check-in values, open tasks and check-ins. Each function is one SQL statement whatever the number of units (no
// N+1), so the province view is a fixed handful of statements at province scale (≈ 200 units):
// - topUnitsOf: org_unit_parent_ix (parent_id);
// - unitPlansInForce: plan_unit_year_uq (unit_id, year) WHERE owner_kind = 'unit', plan_version pk;
// - verifiedValuesOfPlans: check_in_value_kr_ix (plan_id, key_result_id), then check_in pk for the period;
// - overdueCountsOf: the recursive walk down the tree by org_unit_parent_ix, task rows by task_subject_ix
//   (subject_type, subject_id) joined to check_in / plan pks; the open tasks are few (a partial scan);
// - reportingCountsOf: employment_org_unit_ix for the staff of the subtree, check_in's (person_id, period) key.
// Values reported on a unit plan's key results directly are counted; values of sub-plans cascaded to them are not
// rolled up here (the monthly unit report does that, db/queries/monthly-reports.ts).
import { sql } from 'kysely';
import type { VerifiedValues } from '../../domain/dashboard/index.ts';
import type { Plan } from '../../domain/plan/model.ts';
import type { Executor } from '../executor.ts';
import '../schema-check-ins.ts';
import '../schema-evidence.ts';
import '../schema-forecast.ts';
import '../schema-plans.ts';

export interface DashboardUnit {
  id: string;
  code: string;
  name: string;
  typeCode: string;
}

/** The units directly under the province (the units the province manages) not closed before the year began, by
 *  code (a unit opened later in the year is listed and simply has no figures before it existed). */
export async function topUnitsOf(
  executor: Executor,
  provinceId: string,
  year: number,
): Promise<DashboardUnit[]> {
  const rows = await executor
    .selectFrom('org_unit')
    .select(['id', 'code', 'name_vi', 'type_code'])
    .where('parent_id', '=', provinceId)
    .where('id', '!=', provinceId)
    .where((eb) => eb.or([eb('active_to', 'is', null), eb('active_to', '>=', `${year}-01-01`)]))
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name_vi, typeCode: r.type_code }));
}

export interface PlanInForce {
  planId: string;
  unitId: string;
  versionId: string;
  filed: boolean;
  content: Plan;
}

/** The unit plans in force of the year for the given units. */
export async function unitPlansInForce(
  executor: Executor,
  unitIds: readonly string[],
  year: number,
): Promise<PlanInForce[]> {
  if (!unitIds.length) return [];
  const rows = await executor
    .selectFrom('plan as p')
    .innerJoin('plan_version as v', 'v.id', 'p.in_force_version_id')
    .select(['p.id', 'p.unit_id', 'p.filed', 'v.id as version_id', 'v.content'])
    .where('p.owner_kind', '=', 'unit')
    .where('p.year', '=', year)
    .where('p.unit_id', 'in', unitIds)
    .execute();
  return rows.map((r) => ({
    planId: r.id,
    unitId: r.unit_id as string,
    versionId: r.version_id,
    filed: r.filed,
    content: r.content as unknown as Plan,
  }));
}

export interface PlanVerifiedValues extends VerifiedValues {
  planId: string;
}

/** The verified values of the plans' key results per month of the year through `month` (a milestone's done as 1
 *  or 0), in the order they were verified. */
export async function verifiedValuesOfPlans(
  executor: Executor,
  planIds: readonly string[],
  year: number,
  month: number,
): Promise<PlanVerifiedValues[]> {
  if (!planIds.length) return [];
  const last = `${year}-${String(month).padStart(2, '0')}`;
  const r = await sql<{ plan_id: string; key_result_id: string; period: string; vals: string[] }>`
    SELECT v.plan_id, v.key_result_id, c.period,
           array_agg(COALESCE(v.value, CASE WHEN v.done THEN '1' WHEN NOT v.done THEN '0' END)
                     ORDER BY v.verified_at, v.id) AS vals
      FROM check_in_value v
      JOIN check_in c ON c.id = v.check_in_id
     WHERE v.plan_id IN (${sql.join(planIds.map((p) => sql`${p}`))})
       AND v.verification = 'verified'
       AND (v.value IS NOT NULL OR v.done IS NOT NULL)
       AND c.period >= ${`${year}-01`} AND c.period <= ${last}
     GROUP BY v.plan_id, v.key_result_id, c.period
     ORDER BY v.plan_id, v.key_result_id, c.period`.execute(executor);
  return r.rows.map((x) => ({
    planId: x.plan_id,
    keyResultId: x.key_result_id,
    period: x.period,
    values: x.vals,
  }));
}

export interface ValueDetail {
  period: string;
  value: string | null;
  done: boolean | null;
  verifiedAt: Date | null;
  personId: string;
  personName: string;
  checkInId: string;
  evidence: { id: string; fileName: string; type: string; size: number }[];
}

/** One key result's verified values of the year with who reported them and their evidence files (names, types,
 *  sizes): check_in_value_kr_ix, evidence_file pk. */
export async function verifiedValueDetails(
  executor: Executor,
  planId: string,
  keyResultId: string,
  year: number,
): Promise<ValueDetail[]> {
  const r = await sql<{
    period: string;
    value: string | null;
    done: boolean | null;
    verified_at: Date | null;
    person_id: string;
    full_name: string;
    check_in_id: string;
    evidence: { id: string; fileName: string; type: string; size: number }[] | null;
  }>`
    SELECT c.period, v.value, v.done, v.verified_at, c.person_id, p.full_name, c.id AS check_in_id,
           (SELECT json_agg(json_build_object('id', f.id, 'fileName', f.file_name, 'type', f.sniffed_type,
                                              'size', f.size_bytes) ORDER BY f.file_name, f.id)
              FROM evidence_file f WHERE f.id = ANY (v.evidence_ids)) AS evidence
      FROM check_in_value v
      JOIN check_in c ON c.id = v.check_in_id
      JOIN person p ON p.id = c.person_id
     WHERE v.plan_id = ${planId} AND v.key_result_id = ${keyResultId}
       AND v.verification = 'verified'
       AND c.period >= ${`${year}-01`} AND c.period <= ${`${year}-12`}
     ORDER BY c.period, v.verified_at, v.id`.execute(executor);
  return r.rows.map((x) => ({
    period: x.period,
    value: x.value,
    done: x.done,
    verifiedAt: x.verified_at,
    personId: x.person_id,
    personName: x.full_name,
    checkInId: x.check_in_id,
    evidence: x.evidence ?? [],
  }));
}

/** Open items past their due day per unit directly under the province (counts only: the tiered rule), each item
 *  placed by its check-in's unit, its plan's unit, else its assignee unit. */
export async function overdueCountsOf(
  executor: Executor,
  provinceId: string,
  day: string,
): Promise<Map<string, number>> {
  const r = await sql<{ top: string; n: string }>`
    WITH RECURSIVE tree AS (
      SELECT id, id AS top, 0 AS depth FROM org_unit WHERE parent_id = ${provinceId}::uuid AND id <> ${provinceId}::uuid
      UNION ALL
      SELECT u.id, tree.top, tree.depth + 1 FROM org_unit u JOIN tree ON u.parent_id = tree.id WHERE tree.depth < 64
    ), items AS (
      SELECT COALESCE(ci.unit_id, pl.unit_id, t.assignee_unit_id) AS unit_id
        FROM task t
        LEFT JOIN check_in ci ON t.subject_type = 'check_in' AND ci.id::text = t.subject_id
        LEFT JOIN plan pl ON t.subject_type = 'plan' AND pl.id = t.subject_id
       WHERE t.status = 'open' AND t.logical_due_date < ${day}::date
    )
    SELECT tree.top, count(*) AS n FROM items JOIN tree ON tree.id = items.unit_id GROUP BY tree.top`.execute(
    executor,
  );
  return new Map(r.rows.map((x) => [x.top, Number(x.n)]));
}

export interface ReportingCounts {
  /** People employed in the unit and inside it on `day`. */
  people: number;
  /** Of them, who submitted the month's check-in (submitted, verified or locked after submission). */
  reported: number;
  /** Of them, whose check-in is verified. */
  verified: number;
}

/** Who reported the month, as counts per unit directly under the province. */
export async function reportingCountsOf(
  executor: Executor,
  provinceId: string,
  period: string,
  day: string,
): Promise<Map<string, ReportingCounts>> {
  const r = await sql<{ top: string; people: string; reported: string; verified: string }>`
    WITH RECURSIVE tree AS (
      SELECT id, id AS top, 0 AS depth FROM org_unit WHERE parent_id = ${provinceId}::uuid AND id <> ${provinceId}::uuid
      UNION ALL
      SELECT u.id, tree.top, tree.depth + 1 FROM org_unit u JOIN tree ON u.parent_id = tree.id WHERE tree.depth < 64
    ), staff AS (
      SELECT DISTINCT ON (e.person_id) e.person_id, tree.top
        FROM employment e JOIN tree ON tree.id = e.org_unit_id
       WHERE e.valid_from <= ${day}::date AND (e.valid_to IS NULL OR e.valid_to >= ${day}::date)
       ORDER BY e.person_id, e.is_concurrent, e.valid_from DESC
    )
    SELECT s.top, count(*) AS people,
           count(*) FILTER (WHERE c.status IN ('SUBMITTED', 'VERIFIED')) AS reported,
           count(*) FILTER (WHERE c.status = 'VERIFIED') AS verified
      FROM staff s
      LEFT JOIN check_in c ON c.person_id = s.person_id AND c.period = ${period}
     GROUP BY s.top`.execute(executor);
  return new Map(
    r.rows.map((x) => [
      x.top,
      { people: Number(x.people), reported: Number(x.reported), verified: Number(x.verified) },
    ]),
  );
}

/** A person's own values of the year (every verification state: the personal dashboard shows what waits too),
 *  by plan, key result and month: check_in's (person_id, period) key. */
export async function personValuesOf(
  executor: Executor,
  personId: string,
  year: number,
): Promise<(PlanVerifiedValues & { verified: boolean })[]> {
  const r = await sql<{
    plan_id: string;
    key_result_id: string;
    period: string;
    vals: string[];
    verified: boolean;
  }>`
    SELECT v.plan_id, v.key_result_id, c.period,
           array_agg(COALESCE(v.value, CASE WHEN v.done THEN '1' WHEN NOT v.done THEN '0' END)
                     ORDER BY v.updated_at, v.id) AS vals,
           bool_and(v.verification IS NOT DISTINCT FROM 'verified') AS verified
      FROM check_in c
      JOIN check_in_value v ON v.check_in_id = c.id
     WHERE c.person_id = ${personId}::uuid
       AND c.period >= ${`${year}-01`} AND c.period <= ${`${year}-12`}
       AND (v.value IS NOT NULL OR v.done IS NOT NULL)
     GROUP BY v.plan_id, v.key_result_id, c.period
     ORDER BY v.plan_id, v.key_result_id, c.period`.execute(executor);
  return r.rows.map((x) => ({
    planId: x.plan_id,
    keyResultId: x.key_result_id,
    period: x.period,
    values: x.vals,
    verified: x.verified,
  }));
}

/** The plan versions in force of the given plans. */
export async function plansInForceById(
  executor: Executor,
  planIds: readonly string[],
): Promise<PlanInForce[]> {
  if (!planIds.length) return [];
  const rows = await executor
    .selectFrom('plan as p')
    .innerJoin('plan_version as v', 'v.id', 'p.in_force_version_id')
    .select(['p.id', 'p.unit_id', 'p.filed', 'v.id as version_id', 'v.content'])
    .where('p.id', 'in', planIds)
    .execute();
  return rows.map((r) => ({
    planId: r.id,
    unitId: r.unit_id as string,
    versionId: r.version_id,
    filed: r.filed,
    content: r.content as unknown as Plan,
  }));
}

export interface StoredForecast {
  keyResultId: string;
  /** The verified month the forecast was made after ('YYYY-MM'). */
  through: string;
  projected: string;
  low: string;
  high: string;
  target: string | null;
  pMiss: string | null;
  warning: boolean;
}

/** The latest year-end projection (docs/forecast.md, key_result_forecast) of each key result of the plan made after
 *  a month no later than `through` ('YYYY-MM'), by key result (key_result_forecast's primary key serves it). */
export async function latestProjectionsOf(
  executor: Executor,
  planId: string,
  through: string,
): Promise<Map<string, StoredForecast>> {
  const rows = await executor
    .selectFrom('key_result_forecast')
    .select(['key_result_id', 'period', 'projected', 'low', 'high', 'target', 'p_miss', 'warning'])
    .distinctOn('key_result_id')
    .where('plan_id', '=', planId)
    .where('period', '<=', through)
    .where('period', '>=', `${through.slice(0, 4)}-01`)
    .where('kind', '=', 'projection')
    .where('projected', 'is not', null)
    .where('low', 'is not', null)
    .where('high', 'is not', null)
    .orderBy('key_result_id')
    .orderBy('period', 'desc')
    .execute();
  return new Map(
    rows.map((r) => [
      r.key_result_id,
      {
        keyResultId: r.key_result_id,
        through: r.period,
        projected: r.projected as string,
        low: r.low as string,
        high: r.high as string,
        target: r.target,
        pMiss: r.p_miss,
        warning: r.warning,
      },
    ]),
  );
}
