// The giao ban's documents built from the read model (issue 7 point 2; docs/notes giaoban-contract): the units a
// province's giao ban reviews, the agenda and each unit's dossier (domain/giao-ban/model.ts). The workflow's
// activity freezes them on the dossier day; the same functions answer the same document for the same data.
//
// What the dossier reuses, so its numbers are the dashboards' and the forecast's:
// - scorecard: the unit plan in force and its VERIFIED values through the reviewed period's last month
//   (db/queries/dashboards.ts), scored by domain/dashboard — a perspective's score is the weighted mean of min(year
//   to date progress, 1), the overall score the mean of the monthly completions; both ×100, one decimal;
// - forecast: the latest key_result_forecast of each key result made after a month up to the reviewed period's end
//   (db/queries/forecasts.ts writes them); the 80% band is p10–p90;
// - red flags: a forecast miss (the forecast's warning, P(miss) ≥ domain/forecast WARNING_PROBABILITY), a key result
//   whose latest verified month of the period is below that month's target (P < 1), values the verifier returned
//   in the period, and key results with a target due in the period (a milestone due by its end) but no value
//   reported for them;
// - overdue: the escalations read's tiered rule (db/queries/escalations.ts) — the unit's individuals' overdue
//   items as one count, the unit-level items (the unit's own, its head's) listed;
// - the quarterly report: quarterly_unit_report against the province calendar's `quarter-report.<period>` deadline;
//   the year-end session looks at the Q3 report (the last one due before it);
// - earlier directions (giao_ban_direction) as recorded: every one still open or in progress, and all of the most
//   recent earlier session (done ones too, so the follow-up shows what was finished).
import { sql } from 'kysely';
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { periodTargetOf } from '../../domain/check-in/period.ts';
import {
  type DashboardKeyResult,
  indexValues,
  monthAttainment,
  perspectiveScores,
  unitMonthCompletion,
  weightedCompletion,
  yearToDateOf,
} from '../../domain/dashboard/index.ts';
import { WARNING_PROBABILITY } from '../../domain/forecast/forecast.ts';
import { formatNumber, formatPercent } from '../../domain/format/index.ts';
import type {
  DirectionFollowUp,
  GiaoBanAgenda,
  GiaoBanSessionKey,
  UnitDossier,
  YearResult,
  YearReview,
} from '../../domain/giao-ban/model.ts';
import { parseSessionKey } from '../../domain/giao-ban/model.ts';
import type { Plan } from '../../domain/plan/model.ts';
import { Decimal } from '../../domain/scoring/decimal.ts';
import type { Executor } from '../executor.ts';
import '../schema-check-ins.ts';
import '../schema-forecast.ts';
import '../schema-giao-ban.ts';
import '../schema-plans.ts';
import '../schema-quarterly-reports.ts';
import { provinceCalendarOfYear } from './calendar.ts';
import { unitPlansInForce, verifiedValuesOfPlans } from './dashboards.ts';
import { escalationCandidates, escalationUnitCounts, headsAmong } from './escalations.ts';
import { type PublishedRankingsOf, yearRankingsOf } from './giao-ban-year-review.ts';

export interface GiaoBanUnit {
  unitId: string;
  name: string;
  typeCode: string;
  headPersonId: string | null;
}

/** The units a province's giao ban reviews: the active units directly under the province on the day of `asOf`
 *  (the same units that send quarterly reports), by code, each with its head on that day. */
export async function giaoBanUnitsOf(
  executor: Executor,
  provinceId: string,
  asOf: Date,
): Promise<GiaoBanUnit[]> {
  const day = vnLocalDate(asOf.getTime());
  const r = await sql<{ id: string; name_vi: string; type_code: string; head: string | null }>`
    SELECT u.id, u.name_vi, u.type_code,
           (SELECT ra.person_id FROM role_assignment ra
             WHERE ra.scope_unit_id = u.id AND ra.role_code = 'unit_head'
               AND ra.valid_from <= ${day}::date AND (ra.valid_to IS NULL OR ra.valid_to >= ${day}::date)
             ORDER BY ra.valid_from DESC, ra.person_id LIMIT 1) AS head
      FROM org_unit u
     WHERE u.parent_id = ${provinceId}::uuid AND u.id <> ${provinceId}::uuid
       AND u.active_from <= ${day}::date AND (u.active_to IS NULL OR u.active_to >= ${day}::date)
     ORDER BY u.code, u.id`.execute(executor);
  return r.rows.map((x) => ({ unitId: x.id, name: x.name_vi, typeCode: x.type_code, headPersonId: x.head }));
}

/** The months a session reviews and the quarterly report it looks at. */
export function sessionScope(
  session: GiaoBanSessionKey,
  asOf: Date,
): { year: number; months: string[]; reportPeriod: string; through: number } {
  const { year, quarter } = parseSessionKey(session);
  const m = (n: number) => `${year}-${String(n).padStart(2, '0')}`;
  if (quarter !== null) {
    const first = 3 * quarter - 2;
    return {
      year,
      months: [m(first), m(first + 1), m(first + 2)],
      reportPeriod: session,
      through: 3 * quarter,
    };
  }
  // the December year-end review: the year through the month it is built in (December at the latest)
  const day = vnLocalDate(asOf.getTime());
  const y = Number(day.slice(0, 4));
  const through = y > year ? 12 : y < year ? 1 : Number(day.slice(5, 7));
  return {
    year,
    months: Array.from({ length: through }, (_, i) => m(i + 1)),
    reportPeriod: `${year}-Q3`,
    through,
  };
}

/** A session's place in time (months since year 0): Qn sits in the month after the quarter, the year-end review in
 *  December, so '2027-year' comes before '2027-Q4' (January 2028). */
export function sessionOrder(session: GiaoBanSessionKey): number {
  const { year, quarter } = parseSessionKey(session);
  return quarter === null ? year * 12 + 12 : year * 12 + 3 * quarter + 1;
}

type ReportStatus = UnitDossier['report'];

/** The units' quarterly reports of `period` as the province sees them at `asOf`. */
async function reportStatuses(
  executor: Executor,
  provinceId: string,
  unitIds: readonly string[],
  period: string,
  asOf: Date,
): Promise<Map<string, ReportStatus>> {
  const year = Number(period.slice(0, 4));
  const cal = await provinceCalendarOfYear(executor, provinceId, year);
  const deadline = cal?.calendar.deadlines.find((d) => d.id === `quarter-report.${period}`);
  const sent = unitIds.length
    ? await executor
        .selectFrom('quarterly_unit_report')
        .select(['unit_id', 'sent_at'])
        .where('period', '=', period)
        .where('unit_id', 'in', [...unitIds])
        .where('sent_at', '<=', asOf)
        .execute()
    : [];
  const sentOf = new Map(sent.map((s) => [s.unit_id, new Date(s.sent_at)]));
  const out = new Map<string, ReportStatus>();
  for (const id of unitIds) {
    const at = sentOf.get(id);
    out.set(id, {
      period,
      status: !at ? 'missing' : deadline && at.getTime() >= deadline.dueAt ? 'late' : 'sent',
      sentAt: at ? at.toISOString() : null,
      dueDate: deadline?.date ?? null,
    });
  }
  return out;
}

/** The agenda: the units in order with their quarterly report's status. */
export async function buildAgenda(
  executor: Executor,
  a: { provinceId: string; session: string; sessionDate: string; asOf: Date },
): Promise<GiaoBanAgenda> {
  const scope = sessionScope(a.session, a.asOf);
  const province = await executor
    .selectFrom('org_unit')
    .select('name_vi')
    .where('id', '=', a.provinceId)
    .executeTakeFirstOrThrow();
  const units = await giaoBanUnitsOf(executor, a.provinceId, a.asOf);
  const reports = await reportStatuses(
    executor,
    a.provinceId,
    units.map((u) => u.unitId),
    scope.reportPeriod,
    a.asOf,
  );
  return {
    provinceId: a.provinceId,
    provinceName: province.name_vi,
    session: a.session,
    sessionDate: a.sessionDate,
    builtAt: a.asOf.toISOString(),
    items: units.map((u, i) => ({
      order: i + 1,
      unitId: u.unitId,
      unitName: u.name,
      reportStatus: reports.get(u.unitId)?.status ?? 'missing',
    })),
  };
}

const keyResultsOf = (plan: Plan | undefined): DashboardKeyResult[] =>
  (plan?.tasks ?? []).flatMap((t) =>
    t.keyResults.map((k) => ({ ...k, perspective: t.perspective, taskTitle: t.title })),
  );

const score = (d: Decimal.Value | null | undefined): string | null =>
  d === null || d === undefined ? null : new Decimal(d).times(100).toDecimalPlaces(1).toFixed();

const num = (v: string) => formatNumber(v, 'vi', { maxFractionDigits: 2 });
const pct = (v: Decimal.Value) => formatPercent(new Decimal(v).toFixed(), 'vi', { maxFractionDigits: 0 });
const monthText = (period: string) => `${Number(period.slice(5, 7))}/${period.slice(0, 4)}`;

/** Vietnamese names of the task kinds a unit-level overdue item can be (the inbox's words); others by their kind. */
const KIND_TITLES: Record<string, string> = {
  'plan.submit': 'Nộp kế hoạch',
  'plan.revise': 'Sửa và nộp lại kế hoạch',
  'plan.appraise': 'Thẩm định kế hoạch',
  'plan.decide': 'Phê duyệt kế hoạch',
  'plan.approve': 'Phê duyệt kế hoạch',
  'plan.decompose': 'Giao kế hoạch cho đơn vị trực thuộc và cá nhân',
  'plan.period-submit': 'Nộp kế hoạch quý/tháng',
  'plan.period-decide': 'Duyệt kế hoạch quý/tháng',
  'check-in.submit': 'Báo cáo kết quả tháng',
  'check-in.revise': 'Sửa và nộp lại báo cáo kết quả tháng',
  'check-in.verify': 'Xác nhận báo cáo kết quả tháng',
  'report.monthly': 'Gửi báo cáo tháng của đơn vị',
  'report.quarterly': 'Gửi báo cáo quý của đơn vị',
  'forecast.warning': 'Cảnh báo nguy cơ không đạt chỉ tiêu',
  'giao-ban.direction': 'Thực hiện kết luận giao ban',
};

/** The 'no person' placeholder the escalation counts exclude nobody with. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** One unit's dossier for the session, as of `asOf`. */
export async function buildUnitDossier(
  executor: Executor,
  a: { provinceId: string; session: string; unitId: string; asOf: Date },
): Promise<UnitDossier> {
  const scope = sessionScope(a.session, a.asOf);
  const day = vnLocalDate(a.asOf.getTime());
  const unit = await executor
    .selectFrom('org_unit')
    .select(['id', 'name_vi', 'type_code'])
    .where('id', '=', a.unitId)
    .executeTakeFirstOrThrow();
  const report = (await reportStatuses(executor, a.provinceId, [a.unitId], scope.reportPeriod, a.asOf)).get(
    a.unitId,
  ) as ReportStatus;

  // scorecard
  const [plan] = await unitPlansInForce(executor, [a.unitId], scope.year);
  const krs = keyResultsOf(plan?.content);
  const byKr = indexValues(
    plan ? await verifiedValuesOfPlans(executor, [plan.planId], scope.year, scope.through) : [],
  );
  const lastMonth = scope.months.at(-1) as string;
  const card = scoreOf(krs, byKr, scope.year, scope.through);

  // forecast: the latest forecast of each key result made after a month of the period at the latest
  const forecastRows = plan
    ? await sql<{
        key_result_id: string;
        kind: string;
        projected: string | null;
        low: string | null;
        high: string | null;
        target: string | null;
        p_miss: string | null;
        warning: boolean;
      }>`
        SELECT DISTINCT ON (key_result_id) key_result_id, kind, projected::text, low::text, high::text,
               target::text, p_miss::text, warning
          FROM key_result_forecast
         WHERE plan_id = ${plan.planId} AND period >= ${`${scope.year}-01`} AND period <= ${lastMonth}
         ORDER BY key_result_id, period DESC`.execute(executor)
    : { rows: [] };
  const forecastOf = new Map(forecastRows.rows.map((f) => [f.key_result_id, f]));

  // values reported in the period, in any state: returned ones counted, the reported key results known
  const reported = plan
    ? await executor
        .selectFrom('check_in_value as v')
        .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
        .select(['v.key_result_id', 'v.verification', 'c.period'])
        .where('v.plan_id', '=', plan.planId)
        .where('c.period', 'in', scope.months)
        .where((eb) => eb.or([eb('v.value', 'is not', null), eb('v.done', 'is not', null)]))
        .execute()
    : [];
  const returnedCount = new Map<string, number>();
  const reportedKrs = new Set<string>();
  for (const r of reported) {
    reportedKrs.add(r.key_result_id);
    if (r.verification === 'returned')
      returnedCount.set(r.key_result_id, (returnedCount.get(r.key_result_id) ?? 0) + 1);
  }

  const redFlags: UnitDossier['redFlags'] = [];
  const forecast: UnitDossier['forecast'] = [];
  const periodEnd = `${lastMonth}-31`;
  for (const kr of krs) {
    const f = forecastOf.get(kr.id);
    if (f && f.kind === 'projection' && f.projected && f.low && f.high && f.target && f.p_miss)
      forecast.push({
        keyResultId: kr.id,
        title: kr.title,
        target: f.target,
        p10: f.low,
        p50: f.projected,
        p90: f.high,
        missProbability: f.p_miss,
      });
    if (f && (f.warning || (f.p_miss !== null && Number(f.p_miss) >= WARNING_PROBABILITY)))
      redFlags.push({
        keyResultId: kr.id,
        title: kr.title,
        reason: 'forecast-miss',
        detail:
          f.projected && f.target && f.p_miss
            ? `Dự báo cuối năm đạt ${num(f.projected)}/${num(f.target)} ${kr.unit}; khả năng không đạt chỉ tiêu ${pct(f.p_miss)}.`
            : 'Dự báo không đạt chỉ tiêu cuối năm.',
      });
    const byPeriod = byKr.get(kr.id);
    const latest = scope.months.filter((p) => byPeriod?.get(p)?.length).at(-1);
    if (latest) {
      const at = monthAttainment(kr, latest, byPeriod?.get(latest) ?? []);
      if (at && new Decimal(at.attainment).lt(1))
        redFlags.push({
          keyResultId: kr.id,
          title: kr.title,
          reason: 'behind-target',
          detail: `Tháng ${monthText(latest)}: đạt ${num(at.value)}/${num(at.target)} ${kr.unit} (${pct(at.attainment)} chỉ tiêu kỳ).`,
        });
    }
    const returned = returnedCount.get(kr.id);
    if (returned)
      redFlags.push({
        keyResultId: kr.id,
        title: kr.title,
        reason: 'returned',
        detail: `${returned} giá trị bị người xác nhận trả lại trong kỳ.`,
      });
    const due =
      kr.direction.kind === 'milestone'
        ? kr.direction.dueDate <= periodEnd && kr.direction.dueDate >= `${scope.months[0]}-01`
        : scope.months.some((p) => periodTargetOf(kr, p) !== undefined);
    if (due && !reportedKrs.has(kr.id))
      redFlags.push({
        keyResultId: kr.id,
        title: kr.title,
        reason: 'not-reported',
        detail: 'Đến hạn báo cáo trong kỳ nhưng chưa có giá trị nào được báo cáo.',
      });
  }

  // overdue items by the tiered rule
  const counts = await escalationUnitCounts(executor, day, { provinceIds: [a.provinceId], me: NOBODY });
  const candidates = await escalationCandidates(executor, day, { provinceIds: [a.provinceId] });
  const heads = await headsAmong(
    executor,
    [...new Set(candidates.map((c) => c.personId).filter((p): p is string => p !== null))],
    day,
  );
  const unitLevel = candidates
    .filter((c) =>
      c.personId !== null && heads.has(c.personId)
        ? heads.get(c.personId) === a.unitId
        : c.personId === null && c.unitId === a.unitId,
    )
    .map((c) => ({
      kind: c.kind,
      title: KIND_TITLES[c.kind] ?? c.kind,
      dueDate: c.dueDate,
      escalationLevel: c.escalationLevel,
    }));

  return {
    provinceId: a.provinceId,
    session: a.session,
    builtAt: a.asOf.toISOString(),
    unit: { id: unit.id, name: unit.name_vi, typeCode: unit.type_code },
    report,
    scorecard: card,
    redFlags,
    overdue: {
      individualCount: counts.find((c) => c.unitId === a.unitId)?.overdue ?? 0,
      unitLevel,
    },
    forecast,
    previousDirections: await previousDirections(executor, a.provinceId, a.unitId, a.session),
    ...(parseSessionKey(a.session).quarter === null
      ? { yearReview: await buildYearReview(executor, { ...a, year: scope.year, through: scope.through }) }
      : {}),
  };
}

/** A unit's scorecard through month `through` of `year` (the dashboards' scoring): a perspective's score is the
 *  weighted mean of min(year-to-date progress, 1), the overall score the mean of the monthly completions; ×100. */
function scoreOf(
  krs: DashboardKeyResult[],
  byKr: ReturnType<typeof indexValues>,
  year: number,
  through: number,
): UnitDossier['scorecard'] {
  const months = Array.from({ length: through }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const lastMonth = months.at(-1) as string;
  const overall = weightedCompletion(
    months
      .map((p) => unitMonthCompletion(krs, byKr, p))
      .filter((x) => x !== undefined)
      .map((x) => ({ weight: '1', attainment: x.toFixed() })),
  );
  const perspectives = perspectiveScores(
    krs.map((kr) => ({
      perspective: kr.perspective,
      weight: kr.weight,
      progress: yearToDateOf(kr, byKr.get(kr.id), lastMonth)?.progress ?? null,
      breakthrough: kr.breakthrough,
    })),
  ).map((p) => ({ perspective: p.perspective, score: score(p.score) }));
  return { overall: score(overall), perspectives };
}

/** The year's results of every unit the giao ban reviews, in agenda order (one query for all plans). */
export async function yearResultsOf(
  executor: Executor,
  a: { provinceId: string; year: number; through: number; asOf: Date },
): Promise<YearResult[]> {
  const units = await giaoBanUnitsOf(executor, a.provinceId, a.asOf);
  const plans = await unitPlansInForce(
    executor,
    units.map((u) => u.unitId),
    a.year,
  );
  const planOf = new Map(plans.map((p) => [p.unitId, p]));
  const byKr = indexValues(
    await verifiedValuesOfPlans(
      executor,
      plans.map((p) => p.planId),
      a.year,
      a.through,
    ),
  );
  return units.map((u) => ({
    unitId: u.unitId,
    unitName: u.name,
    ...scoreOf(keyResultsOf(planOf.get(u.unitId)?.content), byKr, a.year, a.through),
  }));
}

/** The year-end review part of a 'YYYY-year' dossier: the units' year results and the year's rankings. */
export async function buildYearReview(
  executor: Executor,
  a: { provinceId: string; year: number; through: number; asOf: Date },
  rankings?: PublishedRankingsOf,
): Promise<YearReview> {
  return {
    year: a.year,
    through: `${a.year}-${String(a.through).padStart(2, '0')}`,
    results: await yearResultsOf(executor, a),
    rankings: await yearRankingsOf(executor, { provinceId: a.provinceId, year: a.year }, rankings),
  };
}

/** The unit's directions of earlier sessions: every one not done, and all of the latest earlier session. */
async function previousDirections(
  executor: Executor,
  provinceId: string,
  unitId: string,
  session: string,
): Promise<DirectionFollowUp[]> {
  const rows = await executor
    .selectFrom('giao_ban_direction')
    .select(['id', 'session', 'ordinal', 'text', 'due_date', 'status', 'status_note'])
    .where('province_id', '=', provinceId)
    .where('unit_id', '=', unitId)
    .where('session', '!=', session)
    .execute();
  const current = sessionOrder(session);
  const earlier = rows.filter((r) => sessionOrder(r.session) < current);
  const latest = Math.max(-1, ...earlier.map((r) => sessionOrder(r.session)));
  return earlier
    .filter((r) => r.status !== 'done' || sessionOrder(r.session) === latest)
    .sort((x, y) => sessionOrder(x.session) - sessionOrder(y.session) || x.ordinal - y.ordinal)
    .map((r) => ({
      id: r.id,
      session: r.session,
      text: r.text,
      dueDate: r.due_date === null ? null : String(r.due_date).slice(0, 10),
      status: r.status,
      note: r.status_note,
    }));
}
