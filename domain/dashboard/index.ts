// The dashboards leaders steer by (issue 7 point 4): pure aggregation of the read model — verified check-in values
// against the key results of the plans in force — into what the province, unit and personal dashboards show. No
// I/O, no clock: the caller passes the values and the month.
//
// How a number is made (documented here and shown in words on the screens):
// - attainment P of a key result in a month = domain/scoring attainment of the month's verified value (the
//   verified values of the month combined by the key result's aggregation rule) against the month's target
//   (domain/check-in periodTargetOf: the month's period target, a quarterly key result's quarter target, a yearly
//   key result's annual target); a key result without a target for the month has no attainment that month;
// - a unit's completion in a month = the weighted mean (key result weights) of min(P, 1) over its key results with
//   an attainment that month, breakthrough items excluded (DESIGN §4: excluded from appraisal by default);
// - a key result's year to date = its verified values through the month combined by its aggregation rule, and its
//   progress (the gauge) = attainment of that value against the annual target;
// - a perspective's score = the weighted mean of min(progress, 1) of its key results; the unit's year completion =
//   the weighted mean of its monthly completions (each month counts once);
// - comparable units: the same peer group (agencies with agencies, communes with communes and wards, Party bodies
//   with Party bodies); median and quartiles by linear interpolation between the sorted values (type 7).
import { periodTargetOf } from '../check-in/period.ts';
import { aggregate } from '../plan/aggregation.ts';
import { type KeyResult, PERSPECTIVES, type Perspective } from '../plan/model.ts';
import { attainment, statusColour } from '../scoring/attainment.ts';
import { Decimal, ONE, ZERO } from '../scoring/decimal.ts';

export type TrafficLight = 'green' | 'amber' | 'red';

/** A key result as the dashboards need it: the plan's key result with its task and perspective. */
export interface DashboardKeyResult extends KeyResult {
  perspective: Perspective;
  taskTitle: string;
}

/** The verified values of one key result in one month (in the order they were verified). */
export interface VerifiedValues {
  keyResultId: string;
  period: string;
  values: string[];
}

export interface MonthAttainment {
  /** The month's value by the key result's aggregation rule. */
  value: string;
  target: string;
  /** P floored at 0 and capped at the display cap (1.2). */
  attainment: string;
  formula: string;
  light: TrafficLight;
}

const toDec = (s: string | undefined) => {
  if (s === undefined || s === '') return undefined;
  try {
    const d = new Decimal(s);
    return d.isFinite() ? d : undefined;
  } catch {
    return undefined;
  }
};

/** The peer group a unit is compared within (by its org_unit.type_code). */
export function peerGroupOf(typeCode: string): string {
  return typeCode === 'ward' ? 'commune' : typeCode;
}

/** The traffic light of P (display only): domain/scoring statusColour (KPI green at 1, amber from 0.7). */
export function lightOf(p: Decimal.Value, type: KeyResult['type'] = 'KPI'): TrafficLight {
  return statusColour(type, new Decimal(p));
}

/** Attainment of a value against a target by the key result's direction; undefined when the formula refuses the
 *  inputs (no target, a baseline not above the target, …). */
export function attainmentOf(
  kr: Pick<KeyResult, 'direction' | 'baseline' | 'type'>,
  value: string,
  target: string | undefined,
): { attainment: Decimal; formula: string } | undefined {
  if (target === undefined && kr.direction.kind !== 'milestone' && kr.direction.kind !== 'zeroTolerance')
    return undefined;
  try {
    const a = attainment({
      direction: kr.direction,
      actual: value,
      target: target ?? '1',
      baseline: kr.baseline,
    });
    return { attainment: a.value, formula: a.formula };
  } catch {
    return undefined;
  }
}

/** A key result's attainment in a month from its verified values of the month. */
export function monthAttainment(
  kr: DashboardKeyResult,
  period: string,
  values: readonly string[],
): MonthAttainment | undefined {
  const v = aggregate(
    kr.aggregation,
    values.filter((x) => toDec(x) !== undefined),
  );
  if (v === undefined) return undefined;
  const target = periodTargetOf(kr, period);
  const a = attainmentOf(kr, v.toFixed(), target);
  if (!a) return undefined;
  return {
    value: v.toFixed(),
    target: target ?? kr.target,
    attainment: a.attainment.toFixed(),
    formula: a.formula,
    light: lightOf(a.attainment, kr.type),
  };
}

/** Weighted mean of min(P, 1); undefined for no items (or all weights zero). */
export function weightedCompletion(
  items: readonly { weight: string; attainment: string }[],
): Decimal | undefined {
  let sum = ZERO;
  let weights = ZERO;
  for (const i of items) {
    const w = toDec(i.weight) ?? ZERO;
    const p = toDec(i.attainment);
    if (p === undefined || w.lte(0)) continue;
    sum = sum.plus(Decimal.min(p, ONE).times(w));
    weights = weights.plus(w);
  }
  return weights.gt(0) ? sum.div(weights) : undefined;
}

/** A unit's completion in a month: breakthrough items excluded. */
export function unitMonthCompletion(
  krs: readonly DashboardKeyResult[],
  byKr: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>,
  period: string,
): Decimal | undefined {
  const items: { weight: string; attainment: string }[] = [];
  for (const kr of krs) {
    if (kr.breakthrough) continue;
    const vs = byKr.get(kr.id)?.get(period);
    if (!vs?.length) continue;
    const m = monthAttainment(kr, period, vs);
    if (m) items.push({ weight: kr.weight, attainment: m.attainment });
  }
  return weightedCompletion(items);
}

/** Indexes verified values: key result → period → values. */
export function indexValues(rows: readonly VerifiedValues[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const r of rows) {
    const byPeriod = out.get(r.keyResultId) ?? new Map<string, string[]>();
    out.set(r.keyResultId, byPeriod);
    byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), ...r.values]);
  }
  return out;
}

export interface YearToDate {
  value: string;
  target: string;
  /** Attainment of the year-to-date value against the annual target (the gauge). */
  progress: string | null;
  light: TrafficLight | null;
}

/** A key result's year to date through `period` by its aggregation rule, against the annual target. */
export function yearToDateOf(
  kr: DashboardKeyResult,
  byPeriod: ReadonlyMap<string, readonly string[]> | undefined,
  period: string,
): YearToDate | undefined {
  const months = [...(byPeriod?.keys() ?? [])].filter((p) => p <= period).sort();
  const monthValues = months
    .map((p) => aggregate(kr.aggregation, byPeriod?.get(p) ?? []))
    .filter((d): d is Decimal => d !== undefined);
  const v = aggregate(kr.aggregation, monthValues);
  if (v === undefined) return undefined;
  const a = attainmentOf(kr, v.toFixed(), kr.target === '' ? undefined : kr.target);
  return {
    value: v.toFixed(),
    target: kr.target,
    progress: a ? a.attainment.toFixed() : null,
    light: a ? lightOf(a.attainment, kr.type) : null,
  };
}

/** The 4 perspectives' scores (weighted mean of min(progress, 1)); null for a perspective with no progress. */
export function perspectiveScores(
  items: readonly {
    perspective: Perspective;
    weight: string;
    progress: string | null;
    breakthrough: boolean;
  }[],
): { perspective: Perspective; score: string | null }[] {
  return PERSPECTIVES.map((perspective) => {
    const c = weightedCompletion(
      items
        .filter((i) => i.perspective === perspective && !i.breakthrough && i.progress !== null)
        .map((i) => ({ weight: i.weight, attainment: i.progress as string })),
    );
    return { perspective, score: c ? c.toFixed() : null };
  });
}

export interface Quartiles {
  n: number;
  q1: string;
  median: string;
  q3: string;
}

/** Quantile by linear interpolation between the sorted values (R type 7). */
function quantile(sorted: readonly Decimal[], q: number): Decimal {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo] as Decimal;
  const b = sorted[hi] as Decimal;
  return a.plus(b.minus(a).times(h - lo));
}

/** Median and quartiles of the values; undefined for none. */
export function quartiles(values: readonly Decimal.Value[]): Quartiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = values.map((v) => new Decimal(v)).sort((a, b) => a.comparedTo(b));
  return {
    n: sorted.length,
    q1: quantile(sorted, 0.25).toFixed(),
    median: quantile(sorted, 0.5).toFixed(),
    q3: quantile(sorted, 0.75).toFixed(),
  };
}

export type PeerPosition = 'top' | 'upper' | 'lower' | 'bottom';

/** Where a value sits among its peers: top quarter (≥ Q3), above the median, below it, bottom quarter (< Q1). */
export function peerPosition(value: Decimal.Value, q: Quartiles): PeerPosition {
  const v = new Decimal(value);
  if (v.gte(q.q3)) return 'top';
  if (v.gte(q.median)) return 'upper';
  if (v.gte(q.q1)) return 'lower';
  return 'bottom';
}

/** Ranks (1 = best) by completion, descending; equal completions share a rank; no completion ranks last (null). */
export function leagueRanks(
  items: readonly { id: string; completion: string | null }[],
): Map<string, number | null> {
  const ranked = items
    .filter((i) => i.completion !== null)
    .sort((a, b) => new Decimal(b.completion as string).comparedTo(a.completion as string));
  const out = new Map<string, number | null>();
  let rank = 0;
  let prev: string | undefined;
  ranked.forEach((i, idx) => {
    if (prev === undefined || !new Decimal(i.completion as string).eq(prev)) rank = idx + 1;
    prev = i.completion as string;
    out.set(i.id, rank);
  });
  for (const i of items) if (!out.has(i.id)) out.set(i.id, null);
  return out;
}

/** The months of the year through `month`: '2027-01' … */
export function monthsThrough(year: number, month: number): string[] {
  return Array.from({ length: month }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/** The formula of a direction, in words (vi and en), for the key result view. */
export function formulaInWords(kr: Pick<KeyResult, 'direction' | 'baseline'>): { vi: string; en: string } {
  const d = kr.direction;
  switch (d.kind) {
    case 'higher':
      return {
        vi: 'Mức đạt P = giá trị thực hiện a ÷ chỉ tiêu t (càng cao càng tốt).',
        en: 'Attainment P = actual a ÷ target t (higher is better).',
      };
    case 'lower':
      return kr.baseline !== undefined
        ? {
            vi: 'Mức đạt P = (giá trị nền b − thực hiện a) ÷ (giá trị nền b − chỉ tiêu t) (càng thấp càng tốt).',
            en: 'Attainment P = (baseline b − actual a) ÷ (baseline b − target t) (lower is better).',
          }
        : {
            vi: 'Mức đạt P = chỉ tiêu t ÷ thực hiện a (càng thấp càng tốt; a = 0 đạt mức trần).',
            en: 'Attainment P = target t ÷ actual a (lower is better; a = 0 gives the cap).',
          };
    case 'range':
      return {
        vi: 'Mức đạt P = 1 khi giá trị nằm trong khoảng; ngoài khoảng giảm tuyến tính về 0 theo dung sai.',
        en: 'Attainment P = 1 inside the range; outside it falls linearly to 0 at the tolerance.',
      };
    case 'milestone':
      return {
        vi: 'Mức đạt P = 1 khi hoàn thành đúng hạn, ngược lại 0.',
        en: 'Attainment P = 1 when done by the due date, otherwise 0.',
      };
    case 'zeroTolerance':
      return {
        vi: 'Mức đạt P = 1 khi không phát sinh trường hợp nào, ngược lại 0.',
        en: 'Attainment P = 1 with no occurrence, otherwise 0.',
      };
  }
}

/** The common tail of every formula (DESIGN §4). */
export const FORMULA_TAIL = {
  vi: 'P không âm, hiển thị tối đa 1,2 (120%); khi tính mức hoàn thành dùng min(P, 1). Mức hoàn thành của đơn vị trong tháng là bình quân gia quyền (trọng số mục tiêu) các mục tiêu đã được xác nhận, không tính nhiệm vụ đột phá.',
  en: "P is floored at 0 and shown up to 1.2 (120%); completion uses min(P, 1). A unit's completion in a month is the weighted mean (key result weights) over its verified key results, breakthrough items excluded.",
} as const;
