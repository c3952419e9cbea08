// Pre-checks on the shape of a plan (DESIGN §2): key results per task, measurability, the
// direction's requirements (lower-is-better baseline/target, ranges, milestone dates), weights and
// the breakthrough share.
import { Decimal } from 'decimal.js';
import { isLocalDate } from '../format/date.ts';
import type { KeyResult, Perspective, Plan } from './model.ts';
import { type Finding, finding, plain, toDecimal } from './prechecks-types.ts';

export interface CountRange {
  min: number;
  max: number;
}

export const DEFAULT_KEY_RESULTS_PER_TASK: CountRange = { min: 1, max: 5 };

/** Each task has between 1 and 5 key results (configurable). */
export function checkKeyResultCount(plan: Plan, range: CountRange = DEFAULT_KEY_RESULTS_PER_TASK): Finding[] {
  return plan.tasks
    .filter((t) => t.keyResults.length < range.min || t.keyResults.length > range.max)
    .map((t) =>
      finding('KR_COUNT_OUT_OF_RANGE', 'task', t.id, {
        title: t.title,
        count: String(t.keyResults.length),
        min: String(range.min),
        max: String(range.max),
      }),
    );
}

/** A key result is measurable when it is a milestone or has a numeric target (numeric bounds for a range). */
export function isMeasurable(kr: KeyResult): boolean {
  switch (kr.direction.kind) {
    case 'milestone':
      return true;
    case 'range':
      return toDecimal(kr.direction.lo) !== undefined && toDecimal(kr.direction.hi) !== undefined;
    default:
      return toDecimal(kr.target) !== undefined;
  }
}

/** Every task has at least one measurable key result; a non-milestone key result needs a numeric target. */
export function checkMeasurable(plan: Plan): Finding[] {
  const out: Finding[] = [];
  for (const task of plan.tasks) {
    for (const kr of task.keyResults) {
      if (!isMeasurable(kr) && kr.direction.kind !== 'range') {
        out.push(
          finding('KR_TARGET_NOT_NUMERIC', 'keyResult', kr.id, { title: kr.title, target: kr.target }),
        );
      }
    }
    if (!task.keyResults.some(isMeasurable)) {
      out.push(finding('TASK_NOT_MEASURABLE', 'task', task.id, { title: task.title }));
    }
  }
  return out;
}

/**
 * What each direction needs before attainment can be computed (DESIGN §4): lower-is-better needs
 * baseline > target when a baseline is given and target > 0 when not; a range needs lo ≤ hi and a
 * positive tolerance; a milestone needs a real due date.
 */
export function checkDirections(plan: Plan): Finding[] {
  const out: Finding[] = [];
  for (const kr of plan.tasks.flatMap((t) => t.keyResults)) {
    const d = kr.direction;
    if (d.kind === 'lower') {
      const target = toDecimal(kr.target);
      if (target === undefined) continue; // reported by checkMeasurable
      const baseline = kr.baseline === undefined ? undefined : toDecimal(kr.baseline);
      if (kr.baseline !== undefined && (baseline === undefined || !baseline.gt(target))) {
        out.push(
          finding('LOWER_BASELINE_NOT_ABOVE_TARGET', 'keyResult', kr.id, {
            title: kr.title,
            baseline: kr.baseline,
            target: plain(target),
          }),
        );
      } else if (kr.baseline === undefined && !target.gt(0)) {
        out.push(
          finding('LOWER_TARGET_NOT_POSITIVE', 'keyResult', kr.id, {
            title: kr.title,
            target: plain(target),
          }),
        );
      }
    } else if (d.kind === 'range') {
      const lo = toDecimal(d.lo);
      const hi = toDecimal(d.hi);
      const tolerance = toDecimal(d.tolerance);
      if (lo === undefined || hi === undefined || tolerance === undefined || lo.gt(hi) || !tolerance.gt(0)) {
        out.push(finding('RANGE_INVALID', 'keyResult', kr.id, { title: kr.title }));
      }
    } else if (d.kind === 'milestone' && !isLocalDate(d.dueDate)) {
      out.push(
        finding('MILESTONE_DATE_INVALID', 'keyResult', kr.id, { title: kr.title, dueDate: d.dueDate }),
      );
    }
  }
  return out;
}

function weightFinding(
  weight: string,
  subject: 'task' | 'keyResult' | 'perspective',
  id: string,
  name: string,
): Finding | undefined {
  const w = toDecimal(weight);
  const kind = subject === 'perspective' ? 'perspective' : subject;
  if (w === undefined) return finding('WEIGHT_INVALID', kind, id, { weight, subject, name });
  if (!w.gt(0)) return finding('WEIGHT_NOT_POSITIVE', kind, id, { subject, name });
  return undefined;
}

/**
 * Weights are relative (DESIGN §4): each must be a positive finite number; they need not sum to 100.
 * Messages do not quote valid magnitudes, so scaling every weight leaves the findings unchanged.
 */
export function checkWeights(plan: Plan): Finding[] {
  const out: Finding[] = [];
  for (const [perspective, weight] of Object.entries(plan.perspectiveWeights ?? {}) as [
    Perspective,
    string,
  ][]) {
    const f = weightFinding(weight, 'perspective', perspective, perspective);
    if (f) out.push(f);
  }
  for (const task of plan.tasks) {
    const f = weightFinding(task.weight, 'task', task.id, task.title);
    if (f) out.push(f);
    for (const kr of task.keyResults) {
      const g = weightFinding(kr.weight, 'keyResult', kr.id, kr.title);
      if (g) out.push(g);
    }
  }
  return out;
}

export interface ShareRange {
  /** Percentages, e.g. 30 and 40. */
  min: Decimal.Value;
  max: Decimal.Value;
}

export const DEFAULT_BREAKTHROUGH_SHARE: ShareRange = { min: 30, max: 40 };

/**
 * Breakthrough items (nhiệm vụ đột phá) are encouraged at 30–40% of a plan's key results, counted
 * by number: below → info, above → warning (they are left out of the appraisal by default).
 */
export function checkBreakthroughShare(
  plan: Plan,
  range: ShareRange = DEFAULT_BREAKTHROUGH_SHARE,
): Finding[] {
  const krs = plan.tasks.flatMap((t) => t.keyResults);
  if (krs.length === 0) return [];
  const count = krs.filter((kr) => kr.breakthrough).length;
  const share = new Decimal(count).times(100).div(krs.length);
  const min = new Decimal(range.min);
  const max = new Decimal(range.max);
  const params = {
    share: plain(share, 1),
    count: String(count),
    total: String(krs.length),
    min: plain(min),
    max: plain(max),
  };
  if (share.lt(min)) return [finding('BREAKTHROUGH_SHARE_LOW', 'plan', plan.id, params)];
  if (share.gt(max)) return [finding('BREAKTHROUGH_SHARE_HIGH', 'plan', plan.id, params)];
  return [];
}
