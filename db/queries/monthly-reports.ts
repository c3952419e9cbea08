// The monthly unit report's data (DESIGN §3 "The unit's monthly result is a report to print, sign and stamp";
// issue 6 point 6): the MonthlyUnitReport model (domain/report) of a unit directly under its province and a month,
// built from VERIFIED check-in values only — check_in_value.verification = 'verified' of the check-ins of the
// unit and everything inside it. Each key result of the unit's plan in force that falls due in the month is a
// row; the values reported on it directly, and on the key results cascaded from it in sub-plans (sub-units' and
// persons' plans, through parentKeyResultId), are combined by its aggregation rule (domain/plan/aggregation),
// period by period, and the year to date by the same rule (domain/check-in/ytd). A value not verified yet is
// not counted: a row with no verified value is printed "Chưa xác nhận" and counted as unverified in the summary,
// and a row with some values still waiting says how many in its note. The frozen copy a sent report keeps
// (migration 0440) is read and written by db/queries/sent-unit-reports.ts.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { cadenceDueIn, monthPeriod, parseMonthPeriod, periodTargetOf } from '../../domain/check-in/period.ts';
import { yearToDate } from '../../domain/check-in/ytd.ts';
import { aggregate } from '../../domain/plan/aggregation.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import {
  type KeyResultStatus,
  type MonthlyUnitReport,
  type ReportKeyResultRow,
  type ReportNarrative,
  type ReportPerspective,
  summarize,
} from '../../domain/report/monthly-unit-report.ts';
import { attainment, statusColour } from '../../domain/scoring/attainment.ts';
import { canonicalJson, toJsonValue } from '../audit/hash.ts';
import type { Executor } from '../executor.ts';
import '../schema-check-ins.ts';
import '../schema-plans.ts';
import '../schema-reports.ts';
import { holdersOfRole } from './org.ts';

/** The symbol of a monthly report (ký hiệu): "BC-" and the unit's short code ("P12.SNV" → "BC-SNV"). */
export function reportSymbol(unit: { code: string; short_name_vi?: string | null }): string {
  const code = (unit.code.split('.').at(-1) ?? unit.code).trim().toLocaleUpperCase('vi');
  return `BC-${code}`;
}

/** The province's place name (địa danh) without its kind ("Tỉnh Hưng Yên" → "Hưng Yên"). */
export function placeOf(provinceName: string): string {
  return provinceName.replace(/^\s*(tỉnh|thành phố)\s+/iu, '').trim();
}

export interface ReportUnit {
  id: string;
  code: string;
  name: string;
  provinceId: string;
  provinceName: string;
  isParty: boolean;
}

/** The unit a monthly report is about: a unit directly under its province (the tiered rule: a unit-level item). */
export async function reportUnitOf(executor: Executor, unitId: string): Promise<ReportUnit | undefined> {
  const r = await executor
    .selectFrom('org_unit as u')
    .innerJoin('org_unit as p', 'p.id', 'u.province_id')
    .innerJoin('org_unit_type as t', 't.code', 'u.type_code')
    .select([
      'u.id',
      'u.code',
      'u.name_vi',
      'u.parent_id',
      'u.province_id',
      'p.name_vi as province_name',
      't.is_party',
    ])
    .where('u.id', '=', unitId)
    .executeTakeFirst();
  if (!r || r.parent_id !== r.province_id || r.id === r.province_id) return undefined;
  return {
    id: r.id,
    code: r.code,
    name: r.name_vi,
    provinceId: r.province_id,
    provinceName: r.province_name,
    isParty: r.is_party,
  };
}

/** The unit and every unit inside it. */
async function subtreeOf(executor: Executor, unitId: string): Promise<string[]> {
  const r = await sql<{ id: string }>`
    WITH RECURSIVE down AS (
      SELECT id, 0 AS depth FROM org_unit WHERE id = ${unitId}::uuid
      UNION ALL
      SELECT u.id, down.depth + 1 FROM org_unit u JOIN down ON u.parent_id = down.id WHERE down.depth < 64
    )
    SELECT id FROM down`.execute(executor);
  return r.rows.map((x) => x.id);
}

export interface ReportSignerInfo {
  personId: string;
  name: string;
  /** The head's position ("Giám đốc"), else "Thủ trưởng đơn vị". */
  title: string;
}

/** The unit's head on `day` (the signer of the report and the assignee of its task): one holder of unit_head. */
export async function unitHeadOf(
  executor: Executor,
  unitId: string,
  day: string,
): Promise<ReportSignerInfo | undefined> {
  const [head] = await holdersOfRole(executor, 'unit_head', unitId, day);
  if (!head) return undefined;
  const position = await executor
    .selectFrom('employment as e')
    .innerJoin('job_position as j', 'j.code', 'e.position_code')
    .select('j.title_vi')
    .where('e.person_id', '=', head.id)
    .where('e.org_unit_id', '=', unitId)
    .where('e.valid_from', '<=', day)
    .where((eb) => eb.or([eb('e.valid_to', 'is', null), eb('e.valid_to', '>=', day)]))
    .orderBy('j.rank', 'desc')
    .executeTakeFirst();
  return { personId: head.id, name: head.full_name, title: position?.title_vi ?? 'Thủ trưởng đơn vị' };
}

interface ValueRow {
  period: string;
  plan_id: string;
  plan_version_id: string;
  key_result_id: string;
  value: string | null;
  done: boolean | null;
  kr_status: string | null;
  verification: string | null;
}

const STATUS_OF: Record<string, KeyResultStatus> = {
  'on-track': 'on_track',
  'at-risk': 'at_risk',
  'off-track': 'off_track',
};
const WORST: KeyResultStatus[] = ['off_track', 'at_risk', 'on_track'];
const COLOUR: Record<string, KeyResultStatus> = { green: 'on_track', amber: 'at_risk', red: 'off_track' };

const numberOf = (v: { value: string | null; done: boolean | null }) =>
  v.value !== null ? v.value : v.done !== null ? (v.done ? '1' : '0') : undefined;

export interface BuiltMonthlyReport {
  report: MonthlyUnitReport;
  /** The unit's plan whose version in force gave the rows (null: no plan in force). */
  planId: string | null;
  planVersionId: string | null;
  /** Verified values counted in the month. */
  countedValues: number;
  /** Values of the month reported but not verified (left out). */
  unverifiedValues: number;
}

const QUARTER_PERIOD = /^(\d{4})-Q([1-4])$/;

/** A report period: a month 'YYYY-MM' or a quarter 'YYYY-Qn' (its months in order). */
export function reportPeriodOf(period: string): { year: number; quarter?: number; months: string[] } {
  const q = QUARTER_PERIOD.exec(period);
  if (q) {
    const year = Number(q[1]);
    const quarter = Number(q[2]);
    return { year, quarter, months: [1, 2, 3].map((i) => monthPeriod(year, (quarter - 1) * 3 + i)) };
  }
  const { year } = parseMonthPeriod(period);
  return { year, months: [period] };
}

/**
 * The report of a unit (directly under its province) and a month — or a quarter ('YYYY-Qn': the quarterly
 * report, issue 7 point 1) — from the verified values as they are now. A quarter's value of a key result is
 * its verified month values of the quarter combined by its aggregation rule (a quarterly key result's value is
 * the one reported in the quarter's last month); its target is the plan's quarter target, else the quarter's
 * month targets combined by the same rule when all three are set; every key result due in one of the quarter's
 * months is a row. `narrative` is the quarterly report's text the unit wrote.
 * For a month: the report of a unit (directly under its province) and a month from the verified values as they are now;
 * undefined when the unit is not such a unit. `date` is the date printed (the day of sending, or today for the
 * live draft); `number` the document number (null leaves the blank for the clerk).
 */
export async function buildMonthlyUnitReport(
  executor: Executor,
  q: { unitId: string; period: string; date: string; number?: string | null; narrative?: ReportNarrative },
): Promise<BuiltMonthlyReport | undefined> {
  const unit = await reportUnitOf(executor, q.unitId);
  if (!unit) return undefined;
  const { year, quarter, months } = reportPeriodOf(q.period);
  const last = months[months.length - 1] as string;
  const month = parseMonthPeriod(last).month;
  const inReport = (period: string) => months.includes(period);
  const plan = await executor
    .selectFrom('plan as p')
    .innerJoin('plan_version as v', 'v.id', 'p.in_force_version_id')
    .select(['p.id', 'v.id as version_id', 'v.content'])
    .where('p.owner_kind', '=', 'unit')
    .where('p.unit_id', '=', q.unitId)
    .where('p.year', '=', year)
    .executeTakeFirst();
  const content = plan?.content as unknown as Plan | undefined;
  const unitKrs = new Map<string, KeyResult>();
  for (const t of content?.tasks ?? []) for (const kr of t.keyResults) unitKrs.set(kr.id, kr);

  const units = await subtreeOf(executor, q.unitId);
  const rows: ValueRow[] = plan
    ? await executor
        .selectFrom('check_in_value as v')
        .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
        .select([
          'c.period',
          'v.plan_id',
          'v.plan_version_id',
          'v.key_result_id',
          'v.value',
          'v.done',
          'v.kr_status',
          'v.verification',
        ])
        .where('c.unit_id', 'in', units)
        .where('c.period', 'like', `${year}-%`)
        .where('c.period', '<=', last)
        .orderBy('c.period')
        .orderBy('v.updated_at')
        .orderBy('v.id')
        .execute()
    : [];

  // Which key result of the unit's plan a value counts for: its own, or the one its key result cascades from.
  const contents = new Map<string, Plan | null>();
  const contentOf = async (versionId: string) => {
    if (!contents.has(versionId)) {
      const v = await executor
        .selectFrom('plan_version')
        .select('content')
        .where('id', '=', versionId)
        .executeTakeFirst();
      contents.set(versionId, (v?.content as unknown as Plan | undefined) ?? null);
    }
    return contents.get(versionId) ?? null;
  };
  // The key results of the sub-plans in force (sub-units' and persons' plans inside the unit), by id: a cascade
  // may pass through an intermediate plan (a person's key result → a department's → the unit's).
  const subPlanKrs = new Map<string, KeyResult>();
  if (plan) {
    const subs = await executor
      .selectFrom('plan as p')
      .innerJoin('plan_version as v', 'v.id', 'p.in_force_version_id')
      .select('v.content')
      .where('p.year', '=', year)
      .where('p.unit_id', 'in', units)
      .where('p.id', '!=', plan.id)
      .orderBy('p.id')
      .execute();
    for (const s of subs)
      for (const t of (s.content as unknown as Plan).tasks ?? [])
        for (const k of t.keyResults) if (!subPlanKrs.has(k.id)) subPlanKrs.set(k.id, k);
  }
  const targetOf = async (r: ValueRow): Promise<string | undefined> => {
    if (r.plan_id === plan?.id) return unitKrs.has(r.key_result_id) ? r.key_result_id : undefined;
    const c = await contentOf(r.plan_version_id);
    const krs = new Map((c?.tasks ?? []).flatMap((t) => t.keyResults).map((k) => [k.id, k]));
    let kr = krs.get(r.key_result_id);
    for (let depth = 0; kr && depth < 8; depth++) {
      const parent = kr.parentKeyResultId;
      if (parent === undefined || parent === kr.id) return undefined;
      if (unitKrs.has(parent)) return parent;
      kr = krs.get(parent) ?? subPlanKrs.get(parent);
    }
    return undefined;
  };

  // krId → period → verified numbers; krId → this month's reported statuses and unverified count
  const verified = new Map<string, Map<string, string[]>>();
  const statuses = new Map<string, KeyResultStatus[]>();
  const waiting = new Map<string, number>();
  let countedValues = 0;
  let unverifiedValues = 0;
  for (const r of rows) {
    const krId = await targetOf(r);
    if (krId === undefined) continue;
    const n = numberOf(r);
    if (n === undefined) continue;
    if (r.verification !== 'verified') {
      if (inReport(r.period)) {
        waiting.set(krId, (waiting.get(krId) ?? 0) + 1);
        unverifiedValues++;
      }
      continue;
    }
    const byPeriod = verified.get(krId) ?? new Map<string, string[]>();
    verified.set(krId, byPeriod);
    byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), n]);
    if (inReport(r.period)) {
      countedValues++;
      const s = r.kr_status ? STATUS_OF[r.kr_status] : undefined;
      if (s) statuses.set(krId, [...(statuses.get(krId) ?? []), s]);
    }
  }

  const quarterTargetOf = (kr: KeyResult): string | null => {
    const own = kr.periodTargets?.[`${year}-Q${quarter}`];
    if (own !== undefined && own !== '') return own;
    if (kr.cadence === 'quarter' || kr.cadence === 'year') return periodTargetOf(kr, last) ?? null;
    const ts = months.map((m) => kr.periodTargets?.[m]);
    if (ts.some((t) => t === undefined || t === '')) return null;
    return aggregate(kr.aggregation, ts as string[])?.toFixed() ?? null;
  };

  const rowOf = (kr: KeyResult): ReportKeyResultRow => {
    const byPeriod = verified.get(kr.id) ?? new Map<string, string[]>();
    const periodValues = [...byPeriod.entries()].map(([period, ns]) => ({
      period,
      value: aggregate(kr.aggregation, ns)?.toFixed() ?? null,
      done: null,
    }));
    const monthValue =
      quarter === undefined
        ? (periodValues.find((p) => p.period === q.period)?.value ?? null)
        : (aggregate(
            kr.aggregation,
            periodValues.filter((p) => inReport(p.period) && p.value !== null).map((p) => p.value as string),
          )?.toFixed() ?? null);
    const monthTarget = quarter === undefined ? (periodTargetOf(kr, q.period) ?? null) : quarterTargetOf(kr);
    let ratio: string | null = null;
    let status: KeyResultStatus | null = null;
    if (monthValue !== null) {
      if (monthTarget !== null) {
        try {
          const a = attainment({
            direction: kr.direction,
            actual: monthValue,
            target: monthTarget,
            baseline: kr.baseline,
          });
          ratio = a.value.toFixed();
          status = COLOUR[statusColour(kr.type, a.value)] ?? null;
        } catch {
          ratio = null;
        }
      }
      if (status === null) {
        const reported = statuses.get(kr.id) ?? [];
        status = WORST.find((s) => reported.includes(s)) ?? null;
      }
    }
    const pending = waiting.get(kr.id) ?? 0;
    return {
      title: kr.title,
      unit: kr.unit,
      monthTarget,
      verifiedValue: monthValue,
      yearToDate: yearToDate(kr.aggregation, periodValues, last) ?? null,
      attainment: ratio,
      status,
      ...(pending > 0 && monthValue !== null
        ? { note: `Còn ${pending} giá trị chưa xác nhận, chưa tính` }
        : {}),
    };
  };

  const perspectives: ReportPerspective[] = [];
  for (const t of content?.tasks ?? []) {
    const due = t.keyResults.filter((kr) => months.some((m) => cadenceDueIn(kr.cadence, m)));
    if (!due.length) continue;
    let p = perspectives.find((x) => x.perspective === t.perspective);
    if (!p) {
      p = { perspective: t.perspective, tasks: [] };
      perspectives.push(p);
    }
    p.tasks.push({ title: t.title, keyResults: due.map(rowOf) });
  }

  const head = await unitHeadOf(executor, q.unitId, q.date);
  const place = placeOf(unit.provinceName);
  const report: MonthlyUnitReport = {
    superiorBody: unit.isParty ? `Tỉnh ủy ${place}` : `Ủy ban nhân dân tỉnh ${place}`,
    issuingBody: unit.name,
    number: q.number ?? null,
    symbol: reportSymbol(unit),
    place,
    date: q.date,
    period: quarter === undefined ? { year, month } : { year, month, quarter },
    perspectives,
    summary: summarize(perspectives),
    signer: { title: (head?.title ?? 'Thủ trưởng đơn vị').toLocaleUpperCase('vi'), name: head?.name ?? '' },
    recipients: ['Văn phòng Tỉnh ủy', 'Lãnh đạo đơn vị', 'Lưu: VT'],
    ...(q.narrative ? { narrative: q.narrative } : {}),
  };
  return {
    report,
    planId: plan?.id ?? null,
    planVersionId: plan?.version_id ?? null,
    countedValues,
    unverifiedValues,
  };
}

/** sha256 (hex) of bytes or of the canonical JSON of a model. */
export function sha256Of(data: Buffer | unknown): string {
  const h = createHash('sha256');
  if (Buffer.isBuffer(data)) h.update(data);
  else h.update(canonicalJson(toJsonValue(data)), 'utf8');
  return h.digest('hex');
}
