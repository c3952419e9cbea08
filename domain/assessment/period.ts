// Period assessments (DESIGN §3 "each assessment period", RULES.md ND 335): assessment periods ('YYYY-MM' or
// 'YYYY-Qn'), the ND 335 input built from what the check-ins recorded, and the plain-language explanation of
// each step of the engine (domain/scoring/nd335.ts). Pure: no I/O, safe inside workflow code.
import type { ConversionCatalogue } from '../rulesets/conversion.ts';
import type { PeriodAssessmentInput, Product, Waiver } from '../scoring/nd335.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isAssessmentPeriod(p: string): boolean {
  const m = MONTH.exec(p) ?? QUARTER.exec(p);
  return m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 2200;
}

/** The month periods an assessment period covers, in order ('2026-Q2' → 2026-04, 2026-05, 2026-06). */
export function monthsOfAssessmentPeriod(p: string): string[] {
  const m = MONTH.exec(p);
  if (m) return [p];
  const q = QUARTER.exec(p);
  if (!q) throw new RangeError(`not an assessment period (YYYY-MM or YYYY-Qn): ${p}`);
  const first = (Number(q[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${q[1]}-${String(first + i).padStart(2, '0')}`);
}

export const lastMonthOf = (p: string): string => monthsOfAssessmentPeriod(p).at(-1)!;

/** The assessment period a month closes under a cadence, or undefined (a quarter closes in its last month). */
export function assessmentPeriodClosedBy(month: string, cadence: 'month' | 'quarter'): string | undefined {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month period (YYYY-MM): ${month}`);
  if (cadence === 'month') return month;
  const n = Number(m[2]);
  return n % 3 === 0 ? `${m[1]}-Q${n / 3}` : undefined;
}

/** Every product of a period is a key result due in one of its months, converted with coefficient 1. */
export const KEY_RESULT_CATALOGUE: ConversionCatalogue = {
  id: 'woms-key-result',
  version: 1,
  agencyId: '*',
  approvedBy: 'system',
  approvedOn: '2026-01-01',
  coefficients: { default: { keyResult: '1' } },
};

/** One key result due in one month of the period, as the check-ins recorded it. */
export interface KeyResultFact {
  month: string;
  planId: string;
  keyResultId: string;
  title: string;
  /** Its value was verified (delivered). */
  delivered: boolean;
  /** The days it was returned for a major error (yyyy-mm-dd, one per return). */
  majorErrorReturns: string[];
}

export interface MonthFact {
  month: string;
  /** The month's check-in was submitted after its deadline. */
  late: boolean;
  /** When it was submitted (yyyy-mm-dd), if it was. */
  submittedOn?: string;
  dueDate?: string;
}

export interface WaiverFact {
  id: string;
  kind: 'late' | 'major-error';
  ref: string;
  objectiveCause: string;
  evidence: string[];
  recordedBy: string;
  recordedOn: string;
}

/** An item a waiver may name: a late month, or one return of a key result for a major error. */
export interface WaivableItem {
  kind: 'late' | 'major-error';
  ref: string;
  month: string;
  productId?: string;
  title?: string;
  /** The due date and submission day (late), or the day of the return (major error). */
  dueDate?: string;
  date?: string;
  waiverId?: string;
}

export const productIdOf = (k: Pick<KeyResultFact, 'month' | 'planId' | 'keyResultId'>) =>
  `${k.month}/${k.planId}/${k.keyResultId}`;

/** The items a waiver may name, in order: each late month, then each major-error return. */
export function waivableItems(
  months: readonly MonthFact[],
  krs: readonly KeyResultFact[],
  waivers: readonly WaiverFact[],
): WaivableItem[] {
  const w = (kind: string, ref: string) => waivers.find((x) => x.kind === kind && x.ref === ref)?.id;
  const out: WaivableItem[] = [];
  for (const m of months)
    if (m.late) {
      const waiverId = w('late', m.month);
      out.push({
        kind: 'late',
        ref: m.month,
        month: m.month,
        ...(m.dueDate ? { dueDate: m.dueDate } : {}),
        ...(m.submittedOn ? { date: m.submittedOn } : {}),
        ...(waiverId ? { waiverId } : {}),
      });
    }
  for (const k of krs)
    k.majorErrorReturns.forEach((date, n) => {
      const ref = `${productIdOf(k)}#${n}`;
      const waiverId = w('major-error', ref);
      out.push({
        kind: 'major-error',
        ref,
        month: k.month,
        productId: productIdOf(k),
        title: k.title,
        date,
        ...(waiverId ? { waiverId } : {}),
      });
    });
  return out;
}

/** The engine's input: one product per key result due; a late month makes its products late. */
export function assessmentInput(c: {
  personId: string;
  period: string;
  months: readonly MonthFact[];
  keyResults: readonly KeyResultFact[];
  waivers: readonly WaiverFact[];
  generalCriteria: Record<string, string>;
}): PeriodAssessmentInput {
  const toWaiver = (f: WaiverFact | undefined): Waiver | undefined =>
    f && {
      objectiveCause: f.objectiveCause,
      evidence: [...f.evidence],
      approvedBy: f.recordedBy,
      approvedOn: f.recordedOn,
    };
  const lateOf = new Map(c.months.map((m) => [m.month, m.late]));
  const products: Product[] = c.keyResults.map((k) => {
    const id = productIdOf(k);
    const late = lateOf.get(k.month) === true;
    const lateWaiver = late
      ? toWaiver(c.waivers.find((w) => w.kind === 'late' && w.ref === k.month))
      : undefined;
    const majorErrors = k.majorErrorReturns.map((returnedOn, n) => {
      const waiver = toWaiver(c.waivers.find((w) => w.kind === 'major-error' && w.ref === `${id}#${n}`));
      return { returnedOn, ...(waiver ? { waiver } : {}) };
    });
    return {
      id,
      productType: 'keyResult',
      assigned: '1',
      completed: k.delivered ? '1' : '0',
      late,
      ...(lateWaiver ? { lateWaiver } : {}),
      ...(majorErrors.length ? { majorErrors } : {}),
    };
  });
  return {
    personId: c.personId,
    periodKey: c.period,
    jobPosition: 'default',
    catalogue: KEY_RESULT_CATALOGUE,
    products,
    generalCriteria: { ...c.generalCriteria },
  };
}

/** Each step of the engine in plain words, Vietnamese first. */
export const STEP_TEXT: Record<string, { vi: string; en: string }> = {
  assignedUnits: {
    vi: 'Số sản phẩm được giao (mỗi kết quả then chốt đến kỳ là một sản phẩm, hệ số 1)',
    en: 'Products assigned (each key result due in the period is one product, coefficient 1)',
  },
  quantity: {
    vi: 'Số lượng: sản phẩm đã hoàn thành và được xác nhận / sản phẩm được giao',
    en: 'Quantity: products completed and verified / products assigned',
  },
  progress: {
    vi: 'Tiến độ: mỗi sản phẩm đúng hạn (hoặc trễ có lý do khách quan được ghi nhận) tính đủ tỷ trọng; trễ hạn bị trừ 25% tỷ trọng; chưa hoàn thành tính 0',
    en: 'Progress: each product on time (or late with a recorded objective cause) counts its full share; a late one loses 25% of its share; one not delivered counts 0',
  },
  quality: {
    vi: 'Chất lượng: mỗi lần bị trả lại do sai sót lớn (không có lý do khách quan được ghi nhận) trừ 25% tỷ trọng của sản phẩm đó',
    en: 'Quality: each return for a major error (without a recorded objective cause) takes 25% off that product’s share',
  },
  ownTaskFraction: {
    vi: 'Tỷ lệ hoàn thành nhiệm vụ = (số lượng + tiến độ + chất lượng) / 3',
    en: 'Task completion = (quantity + progress + quality) / 3',
  },
  leaderUnitComponent: {
    vi: 'Thành phần kết quả của đơn vị (lãnh đạo)',
    en: 'Unit results component (leaders)',
  },
  leaderOrganising: { vi: 'Năng lực tổ chức (lãnh đạo)', en: 'Organising capacity (leaders)' },
  leaderTaskFraction: {
    vi: 'Tỷ lệ nhiệm vụ của lãnh đạo (bình quân có trọng số)',
    en: 'Leader’s task completion (weighted mean)',
  },
  taskFraction: {
    vi: 'Tỷ lệ hoàn thành nhiệm vụ, tối đa 100%',
    en: 'Task completion, at most 100%',
  },
  taskPoints: {
    vi: 'Điểm kết quả nhiệm vụ = 70 × tỷ lệ hoàn thành',
    en: 'Task points = 70 × task completion',
  },
  generalPoints: {
    vi: 'Điểm tiêu chí chung (người quản lý trực tiếp chấm), tối đa 30',
    en: 'General-criteria points (entered by the direct manager), at most 30',
  },
  score: {
    vi: 'Tổng điểm = điểm nhiệm vụ + điểm tiêu chí chung',
    en: 'Total = task points + general-criteria points',
  },
};
