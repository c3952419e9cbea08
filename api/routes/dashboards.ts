// The dashboards leaders steer by (issue 7 point 4), read from the read model (db/queries/dashboards.ts) and
// aggregated by domain/dashboard: the province (heatmap of units × months, league table, traffic lights, overdue
// counts and reporting completion as counts per unit), a unit (the 4 perspectives, gauges, trends with the goal
// line and the year-end forecast band of domain/dashboard/forecast-band.ts, compared with the median and quartiles of comparable units), one key result of a unit (values, who
// reported them, evidence, the formula in words) and one's own. Authorized by the tiered rule: the province's
// levels see units and counts, a unit's leadership its unit, a person their own. Reads only: nothing to audit.
import { createRoute } from '@hono/zod-openapi';
import {
  type DashboardUnit,
  latestProjectionsOf,
  overdueCountsOf,
  personValuesOf,
  plansInForceById,
  reportingCountsOf,
  type StoredForecast,
  topUnitsOf,
  unitPlansInForce,
  verifiedValueDetails,
  verifiedValuesOfPlans,
} from '../../db/queries/dashboards.ts';
import { readEvidenceBytes } from '../../db/queries/evidence.ts';
import { provincesOf, todayVn } from '../../db/queries/org-tree.ts';
import { forecastBandOf } from '../../domain/dashboard/forecast-band.ts';
import {
  type DashboardKeyResult,
  FORMULA_TAIL,
  formulaInWords,
  indexValues,
  leagueRanks,
  lightOf,
  monthAttainment,
  monthsThrough,
  type PeerPosition,
  peerGroupOf,
  peerPosition,
  perspectiveScores,
  type Quartiles,
  quartiles,
  unitMonthCompletion,
  weightedCompletion,
  yearToDateOf,
} from '../../domain/dashboard/index.ts';
import { PERSPECTIVES, type Plan } from '../../domain/plan/model.ts';
import { check, markChecked, requires } from '../authz/middleware.ts';
import type { Resource } from '../authz/policy.ts';
import { loadPath } from '../authz/resources.ts';
import { contentApp, errorResponses, jsonOk, uuid, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { servedEvidenceType } from '../security/served-type.ts';
import { actorId, rule } from './admin/common.ts';
import { attachmentDisposition } from './reports/monthly.ts';

const tags = ['dashboards'];
const LIGHTS = ['green', 'amber', 'red'] as const;
const POSITIONS = ['top', 'upper', 'lower', 'bottom'] as const;

const Year = z.coerce.number().int().min(2000).max(2200).openapi({ example: 2027 });
const Month = z.coerce
  .number()
  .int()
  .min(1)
  .max(12)
  .optional()
  .openapi({ description: 'The last month shown (default: this month in the current year, else December)' });

const Light = z.enum(LIGHTS).nullable();
const QuartilesOut = z
  .object({ n: z.number().int(), q1: z.string(), median: z.string(), q3: z.string() })
  .openapi('DashboardQuartiles');
const Reporting = z.object({
  people: z.number().int(),
  reported: z.number().int(),
  verified: z.number().int(),
});
const ProvinceUnit = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  typeCode: z.string(),
  group: z.string().openapi({ description: 'The peer group it is compared within' }),
  planId: z.string().nullable(),
  filed: z.boolean().openapi({ description: 'The plan in force is filed, not approved' }),
  cells: z.array(
    z.object({
      period: z.string(),
      completion: z
        .string()
        .nullable()
        .openapi({ description: 'Ratio (0.925 = 92.5%); null: nothing verified' }),
      light: Light,
    }),
  ),
  completion: z.string().nullable().openapi({ description: 'Weighted mean of the monthly completions' }),
  light: Light,
  rank: z.number().int().nullable(),
  peerPosition: z.enum(POSITIONS).nullable(),
  overdue: z.number().int().openapi({ description: 'Open items past due (counts only)' }),
  reporting: Reporting,
});
const ProvinceDashboard = z
  .object({
    provinceId: z.string(),
    provinceName: z.string(),
    year: z.number().int(),
    month: z.number().int(),
    months: z.array(z.string()),
    peers: z.array(QuartilesOut.extend({ group: z.string() })),
    units: z.array(ProvinceUnit),
  })
  .openapi('ProvinceDashboard');

const MonthPoint = z.object({
  period: z.string(),
  value: z.string().nullable(),
  target: z.string().nullable(),
  attainment: z.string().nullable(),
  light: Light,
});
const Formula = z.object({ code: z.string(), vi: z.string(), en: z.string() });
const YearToDate = z
  .object({ value: z.string(), target: z.string(), progress: z.string().nullable(), light: Light })
  .nullable();
const UnitKeyResult = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.string(),
  type: z.enum(['KPI', 'OKR']),
  breakthrough: z.boolean(),
  perspective: z.enum(PERSPECTIVES),
  taskTitle: z.string(),
  target: z.string(),
  weight: z.string(),
  aggregation: z.string(),
  formula: Formula,
  yearToDate: YearToDate,
  months: z.array(MonthPoint),
});
const ForecastBandOut = z
  .object({
    through: z
      .string()
      .openapi({ description: "The verified month the forecast was made after ('YYYY-MM')" }),
    projected: z.string().openapi({ description: 'The median projected year-end value' }),
    low: z.string().openapi({ description: 'The 80% band at year end: its 10th percentile' }),
    high: z.string().openapi({ description: 'The 80% band at year end: its 90th percentile' }),
    target: z.string().nullable(),
    pMiss: z.string().nullable().openapi({ description: 'Probability of missing the target (0.85 = 85%)' }),
    warning: z.boolean(),
    anchor: z.string().nullable().openapi({ description: 'The year value so far at `through`' }),
    band: z
      .array(z.object({ period: z.string(), low: z.string(), median: z.string(), high: z.string() }))
      .openapi({
        description:
          'The band drawn from `through` (zero width at the year value so far) to December (the 80% band and the median)',
      }),
    yearToDate: z
      .array(z.object({ period: z.string(), value: z.string() }))
      .openapi({ description: 'The year value so far at each month with a verified value (the trend)' }),
  })
  .openapi('DashboardForecastBand');
const UnitDashboard = z
  .object({
    unit: z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      typeCode: z.string(),
      group: z.string(),
    }),
    year: z.number().int(),
    month: z.number().int(),
    months: z.array(z.string()),
    planId: z.string().nullable(),
    filed: z.boolean(),
    completion: z.string().nullable(),
    light: Light,
    peers: QuartilesOut.nullable(),
    peerPosition: z.enum(POSITIONS).nullable(),
    perspectives: z.array(z.object({ perspective: z.enum(PERSPECTIVES), score: z.string().nullable() })),
    keyResults: z.array(
      UnitKeyResult.extend({
        forecast: ForecastBandOut.nullable().openapi({
          description:
            "The latest year-end projection made after a month no later than the month shown (docs/forecast.md), on the key result's year-to-date trend; null when there is none",
        }),
      }),
    ),
  })
  .openapi('UnitDashboard');
const KeyResultDashboard = z
  .object({
    unit: z.object({ id: z.string(), name: z.string() }),
    year: z.number().int(),
    planId: z.string(),
    keyResult: UnitKeyResult,
    formulaTail: z.object({ vi: z.string(), en: z.string() }),
    values: z.array(
      z.object({
        period: z.string(),
        value: z.string().nullable(),
        done: z.boolean().nullable(),
        verifiedAt: z.string().nullable(),
        person: z.object({ id: z.string(), name: z.string() }),
        evidence: z.array(
          z.object({ id: z.string(), fileName: z.string(), type: z.string(), size: z.number() }),
        ),
      }),
    ),
  })
  .openapi('KeyResultDashboard');
const MyDashboard = z
  .object({
    personId: z.string(),
    year: z.number().int(),
    month: z.number().int(),
    months: z.array(z.string()),
    completion: z.string().nullable(),
    keyResults: z.array(
      UnitKeyResult.extend({
        planId: z.string(),
        months: z.array(MonthPoint.extend({ verified: z.boolean() })),
      }),
    ),
  })
  .openapi('MyDashboard');

const noProvince = () =>
  rule(404, 'DASHBOARD_PROVINCE_NOT_FOUND', 'Không xác định được tỉnh.', 'No province to show.');
const noUnit = () =>
  rule(
    404,
    'DASHBOARD_UNIT_NOT_FOUND',
    'Bảng điều hành chỉ có cho đơn vị, không cho cấp tỉnh.',
    'Unit dashboards exist for units, not for the province itself.',
  );
const noKeyResult = () =>
  rule(
    404,
    'DASHBOARD_KEY_RESULT_NOT_FOUND',
    'Không tìm thấy mục tiêu then chốt trong kế hoạch đang có hiệu lực của đơn vị.',
    "The key result is not in the unit's plan in force.",
  );

const noEvidence = () =>
  rule(
    404,
    'DASHBOARD_EVIDENCE_NOT_FOUND',
    'Không tìm thấy minh chứng của giá trị đã xác nhận của mục tiêu này.',
    'No such evidence of a verified value of this key result.',
  );

/** The key results of a plan with their task and perspective. */
export function keyResultsOf(plan: Plan | undefined): DashboardKeyResult[] {
  return (plan?.tasks ?? []).flatMap((t) =>
    t.keyResults.map((k) => ({ ...k, perspective: t.perspective, taskTitle: t.title })),
  );
}

function keyResultView(
  kr: DashboardKeyResult,
  byPeriod: ReadonlyMap<string, readonly string[]> | undefined,
  months: readonly string[],
) {
  const words = formulaInWords(kr);
  return {
    id: kr.id,
    title: kr.title,
    unit: kr.unit,
    type: kr.type,
    breakthrough: kr.breakthrough,
    perspective: kr.perspective,
    taskTitle: kr.taskTitle,
    target: kr.target,
    weight: kr.weight,
    aggregation: kr.aggregation,
    formula: { code: kr.direction.kind, ...words },
    yearToDate: yearToDateOf(kr, byPeriod, months.at(-1) ?? '') ?? null,
    months: months.map((period) => {
      const vs = byPeriod?.get(period);
      const m = vs?.length ? monthAttainment(kr, period, vs) : undefined;
      return {
        period,
        value: m?.value ?? (vs?.length ? (vs.at(-1) ?? null) : null),
        target: m?.target ?? null,
        attainment: m?.attainment ?? null,
        light: m?.light ?? null,
      };
    }),
  };
}

interface UnitScore {
  unit: DashboardUnit;
  planId: string | null;
  filed: boolean;
  cells: { period: string; completion: string | null; light: 'green' | 'amber' | 'red' | null }[];
  completion: string | null;
}

/** Every top unit's monthly completions and year completion (one statement each for units, plans, values). */
async function provinceScores(deps: ApiDeps, provinceId: string, year: number, month: number) {
  const units = await topUnitsOf(deps.db, provinceId, year);
  const plans = await unitPlansInForce(
    deps.db,
    units.map((u) => u.id),
    year,
  );
  const values = await verifiedValuesOfPlans(
    deps.db,
    plans.map((p) => p.planId),
    year,
    month,
  );
  const months = monthsThrough(year, month);
  const planOf = new Map(plans.map((p) => [p.unitId, p]));
  const valuesOf = new Map<string, typeof values>();
  for (const v of values) valuesOf.set(v.planId, [...(valuesOf.get(v.planId) ?? []), v]);
  const scores: UnitScore[] = units.map((unit) => {
    const plan = planOf.get(unit.id);
    const krs = keyResultsOf(plan?.content);
    const byKr = indexValues(plan ? (valuesOf.get(plan.planId) ?? []) : []);
    const cells = months.map((period) => {
      const c = unitMonthCompletion(krs, byKr, period);
      return { period, completion: c ? c.toFixed() : null, light: c ? lightOf(c) : null };
    });
    const year = weightedCompletion(
      cells
        .filter((c) => c.completion !== null)
        .map((c) => ({ weight: '1', attainment: c.completion as string })),
    );
    return {
      unit,
      planId: plan?.planId ?? null,
      filed: plan?.filed ?? false,
      cells,
      completion: year ? year.toFixed() : null,
    };
  });
  const peers = new Map<string, Quartiles>();
  const groups = new Set(units.map((u) => peerGroupOf(u.typeCode)));
  for (const g of groups) {
    const q = quartiles(
      scores
        .filter((s) => peerGroupOf(s.unit.typeCode) === g && s.completion !== null)
        .map((s) => s.completion as string),
    );
    if (q) peers.set(g, q);
  }
  return { months, scores, peers, valuesOf, planOf };
}

const positionOf = (completion: string | null, q: Quartiles | undefined): PeerPosition | null =>
  completion !== null && q ? peerPosition(completion, q) : null;

export function dashboardRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const monthOf = (year: number, month: number | undefined) => {
    if (month !== undefined) return month;
    const today = todayVn(now());
    return Number(today.slice(0, 4)) === year ? Number(today.slice(5, 7)) : 12;
  };
  const dayOf = (year: number, month: number) => {
    const today = todayVn(now());
    // the month's last day, or today while the month runs (ISO dates compare as text)
    const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    return [end, today].sort()[0] as string;
  };

  /** A unit's dashboard resource: a unit directly under the province is unit-level, anything deeper internal. */
  async function unitResource(unitId: string): Promise<{ resource: Resource; path: string[] }> {
    const path = (await loadPath(db, unitId)).map((n) => n.id);
    return { path, resource: { path, tier: path.length <= 2 ? 'unit' : 'internal' } };
  }

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/dashboards/province',
        tags,
        summary:
          "The province dashboard: each unit's completion per month (heatmap), the league table, traffic lights, overdue items and reporting completion as counts per unit, and the median and quartiles of comparable units",
        middleware: [requires('dashboard.province.read')],
        request: {
          query: z.object({
            provinceId: uuid
              .optional()
              .openapi({ description: "Default: the province of the caller's grants" }),
            year: Year,
            month: Month,
          }),
        },
        responses: { 200: jsonOk(ProvinceDashboard), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        let provinceId = q.provinceId;
        if (!provinceId) {
          const grants = c.get('actor')?.grants ?? [];
          const provinces = await provincesOf(
            db,
            grants.map((g) => g.scopeUnitId),
          );
          provinceId = [...provinces.values()][0];
        }
        if (!provinceId) {
          markChecked(c);
          throw noProvince();
        }
        const path = (await loadPath(db, provinceId)).map((n) => n.id);
        if (path.length !== 1) {
          markChecked(c);
          throw noProvince();
        }
        await check(c, db, { path, tier: 'unit' });
        const month = monthOf(q.year, q.month);
        const day = dayOf(q.year, month);
        const { months, scores, peers } = await provinceScores(deps, provinceId, q.year, month);
        const overdue = await overdueCountsOf(db, provinceId, todayVn(now()));
        const reporting = await reportingCountsOf(db, provinceId, months.at(-1) as string, day);
        const ranks = leagueRanks(scores.map((s) => ({ id: s.unit.id, completion: s.completion })));
        const province = await db
          .selectFrom('org_unit')
          .select('name_vi')
          .where('id', '=', provinceId)
          .executeTakeFirst();
        return c.json(
          {
            provinceId,
            provinceName: province?.name_vi ?? '',
            year: q.year,
            month,
            months,
            peers: [...peers.entries()].map(([group, p]) => ({ group, ...p })),
            units: scores.map((s) => {
              const group = peerGroupOf(s.unit.typeCode);
              return {
                id: s.unit.id,
                code: s.unit.code,
                name: s.unit.name,
                typeCode: s.unit.typeCode,
                group,
                planId: s.planId,
                filed: s.filed,
                cells: s.cells,
                completion: s.completion,
                light: s.completion !== null ? lightOf(s.completion) : null,
                rank: ranks.get(s.unit.id) ?? null,
                peerPosition: positionOf(s.completion, peers.get(group)),
                overdue: overdue.get(s.unit.id) ?? 0,
                reporting: reporting.get(s.unit.id) ?? { people: 0, reported: 0, verified: 0 },
              };
            }),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/dashboards/unit/{unitId}',
        tags,
        summary:
          "A unit's dashboard: its 4 perspectives (spider chart), each key result's progress to its annual target (gauges), monthly trend with the goal line and year-end forecast band, compared with the median and quartiles of comparable units",
        middleware: [requires('dashboard.unit.read')],
        request: {
          params: z.object({ unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }) }),
          query: z.object({ year: Year, month: Month }),
        },
        responses: { 200: jsonOk(UnitDashboard), ...errorResponses },
      }),
      async (c) => {
        const { unitId } = c.req.valid('param');
        const q = c.req.valid('query');
        const { path, resource } = await unitResource(unitId);
        if (path.length < 2) {
          markChecked(c);
          throw noUnit();
        }
        await check(c, db, resource);
        const month = monthOf(q.year, q.month);
        const provinceId = path[0] as string;
        const unitRow = await db
          .selectFrom('org_unit')
          .select(['id', 'code', 'name_vi', 'type_code'])
          .where('id', '=', unitId)
          .executeTakeFirstOrThrow();
        const group = peerGroupOf(unitRow.type_code);
        const months = monthsThrough(q.year, month);
        let plan: Awaited<ReturnType<typeof unitPlansInForce>>[number] | undefined;
        let byKr: ReturnType<typeof indexValues>;
        let completion: string | null = null;
        let peers: Quartiles | undefined;
        if (path.length === 2) {
          // a unit under the province: its scores come with its peers' (one pass over the province)
          const s = await provinceScores(deps, provinceId, q.year, month);
          plan = s.planOf.get(unitId);
          byKr = indexValues(plan ? (s.valuesOf.get(plan.planId) ?? []) : []);
          completion = s.scores.find((x) => x.unit.id === unitId)?.completion ?? null;
          peers = s.peers.get(group);
        } else {
          [plan] = await unitPlansInForce(db, [unitId], q.year);
          byKr = indexValues(plan ? await verifiedValuesOfPlans(db, [plan.planId], q.year, month) : []);
          const krs = keyResultsOf(plan?.content);
          const c = weightedCompletion(
            months
              .map((p) => unitMonthCompletion(krs, byKr, p))
              .filter((x) => x !== undefined)
              .map((x) => ({ weight: '1', attainment: x.toFixed() })),
          );
          completion = c ? c.toFixed() : null;
        }
        const krs = keyResultsOf(plan?.content);
        const projections = plan
          ? await latestProjectionsOf(db, plan.planId, months.at(-1) ?? `${q.year}-12`)
          : new Map<string, StoredForecast>();
        const views = krs.map((kr) => {
          const p = projections.get(kr.id);
          return {
            ...keyResultView(kr, byKr.get(kr.id), months),
            forecast: p ? forecastBandOf(kr, byKr.get(kr.id), p, months) : null,
          };
        });
        return c.json(
          {
            unit: {
              id: unitRow.id,
              code: unitRow.code,
              name: unitRow.name_vi,
              typeCode: unitRow.type_code,
              group,
            },
            year: q.year,
            month,
            months,
            planId: plan?.planId ?? null,
            filed: plan?.filed ?? false,
            completion,
            light: completion !== null ? lightOf(completion) : null,
            peers: peers ?? null,
            peerPosition: positionOf(completion, peers),
            perspectives: perspectiveScores(
              views.map((v) => ({
                perspective: v.perspective,
                weight: v.weight,
                progress: v.yearToDate?.progress ?? null,
                breakthrough: v.breakthrough,
              })),
            ),
            keyResults: views,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/dashboards/unit/{unitId}/key-results/{krId}',
        tags,
        summary:
          "One key result of a unit's plan in force: its monthly values and attainment, each verified value with who reported it and its evidence files, and its formula in words",
        middleware: [requires('dashboard.unit.read')],
        request: {
          params: z.object({
            unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
            krId: z
              .string()
              .min(1)
              .max(100)
              .openapi({ param: { name: 'krId', in: 'path' } }),
          }),
          query: z.object({ year: Year, month: Month }),
        },
        responses: { 200: jsonOk(KeyResultDashboard), ...errorResponses },
      }),
      async (c) => {
        const { unitId, krId } = c.req.valid('param');
        const q = c.req.valid('query');
        const { path, resource } = await unitResource(unitId);
        if (path.length < 2) {
          markChecked(c);
          throw noUnit();
        }
        await check(c, db, resource);
        const month = monthOf(q.year, q.month);
        const [plan] = await unitPlansInForce(db, [unitId], q.year);
        const kr = keyResultsOf(plan?.content).find((k) => k.id === krId);
        if (!plan || !kr) throw noKeyResult();
        const months = monthsThrough(q.year, month);
        const byKr = indexValues(await verifiedValuesOfPlans(db, [plan.planId], q.year, month));
        const details = await verifiedValueDetails(db, plan.planId, krId, q.year);
        const unit = await db
          .selectFrom('org_unit')
          .select('name_vi')
          .where('id', '=', unitId)
          .executeTakeFirst();
        return c.json(
          {
            unit: { id: unitId, name: unit?.name_vi ?? '' },
            year: q.year,
            planId: plan.planId,
            keyResult: keyResultView(kr, byKr.get(kr.id), months),
            formulaTail: { ...FORMULA_TAIL },
            values: details
              .filter((d) => d.period <= (months.at(-1) as string))
              .map((d) => ({
                period: d.period,
                value: d.value,
                done: d.done,
                verifiedAt: d.verifiedAt ? new Date(d.verifiedAt).toISOString() : null,
                person: { id: d.personId, name: d.personName },
                evidence: d.evidence,
              })),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/dashboards/unit/{unitId}/key-results/{krId}/evidence/{evidenceId}',
        tags,
        summary:
          "An evidence file of a verified value of a unit's key result (a unit-level item: the province's levels and the unit's leadership read it), always as an attachment (the sniffed type, nosniff, CSP sandbox)",
        middleware: [requires('dashboard.unit.read')],
        request: {
          params: z.object({
            unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
            krId: z
              .string()
              .min(1)
              .max(100)
              .openapi({ param: { name: 'krId', in: 'path' } }),
            evidenceId: uuid.openapi({ param: { name: 'evidenceId', in: 'path' } }),
          }),
          query: z.object({ year: Year }),
        },
        responses: {
          200: {
            description: 'The file',
            content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { unitId, krId, evidenceId } = c.req.valid('param');
        const q = c.req.valid('query');
        const { path, resource } = await unitResource(unitId);
        if (path.length < 2) {
          markChecked(c);
          throw noUnit();
        }
        await check(c, db, resource);
        const [plan] = await unitPlansInForce(db, [unitId], q.year);
        // only a file attached to a verified value of this key result of the unit's plan in force
        const attached = plan
          ? (await verifiedValueDetails(db, plan.planId, krId, q.year)).some((v) =>
              v.evidence.some((f) => f.id === evidenceId),
            )
          : false;
        const got = attached ? await readEvidenceBytes(db, evidenceId) : undefined;
        if (!got) throw noEvidence();
        return c.body(new Uint8Array(got.bytes), 200, {
          'Content-Type': servedEvidenceType(got.file.sniffedType),
          'Content-Length': String(got.bytes.byteLength),
          'Content-Disposition': attachmentDisposition(got.file.fileName),
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
          'Cache-Control': 'private, no-store',
          'Cross-Origin-Resource-Policy': 'same-origin',
          ETag: `"${got.file.sha256}"`,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/dashboards/me',
        tags,
        summary:
          'My dashboard: the key results I reported this year with each month’s value, whether it is verified and its attainment, and my completion from the verified ones',
        middleware: [requires('dashboard.own.read')],
        request: { query: z.object({ year: Year, month: Month }) },
        responses: { 200: jsonOk(MyDashboard), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        const q = c.req.valid('query');
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const month = monthOf(q.year, q.month);
        const months = monthsThrough(q.year, month);
        const rows = (await personValuesOf(db, me, q.year)).filter(
          (r) => r.period <= (months.at(-1) as string),
        );
        const plans = new Map(
          (await plansInForceById(db, [...new Set(rows.map((r) => r.planId))])).map((p) => [p.planId, p]),
        );
        const keys = [...new Set(rows.map((r) => `${r.planId}\u0000${r.keyResultId}`))];
        const verifiedItems: { weight: string; attainment: string }[] = [];
        const keyResults = keys.flatMap((key) => {
          const [planId, krId] = key.split('\u0000') as [string, string];
          const kr = keyResultsOf(plans.get(planId)?.content).find((k) => k.id === krId);
          if (!kr) return [];
          const mine = rows.filter((r) => r.planId === planId && r.keyResultId === krId);
          const verifiedOnly = indexValues(mine.filter((r) => r.verified)).get(krId);
          const all = indexValues(mine).get(krId);
          const view = keyResultView(kr, all, months);
          for (const p of months) {
            const vs = verifiedOnly?.get(p);
            const m = vs?.length ? monthAttainment(kr, p, vs) : undefined;
            if (m && !kr.breakthrough) verifiedItems.push({ weight: kr.weight, attainment: m.attainment });
          }
          return [
            {
              ...view,
              planId,
              yearToDate: yearToDateOf(kr, verifiedOnly, months.at(-1) as string) ?? null,
              months: view.months.map((m) => ({
                ...m,
                verified: mine.some((r) => r.period === m.period && r.verified),
              })),
            },
          ];
        });
        const completion = weightedCompletion(verifiedItems);
        return c.json(
          {
            personId: me,
            year: q.year,
            month,
            months,
            completion: completion ? completion.toFixed() : null,
            keyResults,
          },
          200,
        );
      },
    );
}
