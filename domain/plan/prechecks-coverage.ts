// Coverage pre-checks (DESIGN §2): period targets cover the annual target, monthly targets cover their
// quarter, and children (sub-units' or persons' cascaded key results) cover their parent — each under
// the key result's own aggregation rule and direction, never by a blind sum.
import { Decimal } from 'decimal.js';
import { aggregate } from './aggregation.ts';
import type { Direction, KeyResult, Plan } from './model.ts';
import { type Finding, finding, plain, toDecimal } from './prechecks-types.ts';

/**
 * Whether a combined value reaches the target in the key result's direction: at least the target for
 * higher-is-better and milestones (1 = done), at most the target for lower-is-better and
 * zero-tolerance, inside [lo, hi] for a range. Undefined when it cannot be decided (non-numeric input).
 */
export function reaches(
  direction: Direction,
  combined: Decimal,
  target: Decimal | undefined,
): boolean | undefined {
  switch (direction.kind) {
    case 'higher':
    case 'milestone':
      return target === undefined ? undefined : combined.gte(target);
    case 'lower':
    case 'zeroTolerance':
      return target === undefined ? undefined : combined.lte(target);
    case 'range': {
      const lo = toDecimal(direction.lo);
      const hi = toDecimal(direction.hi);
      return lo === undefined || hi === undefined ? undefined : combined.gte(lo) && combined.lte(hi);
    }
  }
}

function combine(kr: KeyResult, values: Decimal[]): Decimal | undefined {
  const result = aggregate(kr.aggregation, values);
  return result === undefined ? undefined : new Decimal(result);
}

type Granularity = 'quarter' | 'month';

interface PeriodTarget {
  key: string;
  index: number;
  value: Decimal;
}

const periodLabel = (year: number, g: Granularity, index: number) =>
  g === 'quarter' ? `${year}-Q${index}` : `${year}-${String(index).padStart(2, '0')}`;

/**
 * Period targets ("2026-Q1", "2026-03") of each key result: keys belong to the plan year; quarters and
 * months are checked separately against the annual target (a month plan and a quarter plan for the
 * same time are two views, not two amounts); a quarter whose three months all have targets is
 * checked against them; a partial set of periods is a warning.
 */
export function checkPeriodCoverage(plan: Plan): Finding[] {
  const out: Finding[] = [];
  for (const kr of plan.tasks.flatMap((t) => t.keyResults)) {
    const entries = Object.entries(kr.periodTargets ?? {});
    if (entries.length === 0) continue;
    const byGranularity: Record<Granularity, PeriodTarget[]> = { quarter: [], month: [] };
    let broken = false;
    for (const [key, raw] of entries) {
      const q = /^([0-9]{4})-Q([1-4])$/.exec(key);
      const m = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(key);
      const match = q ?? m;
      if (!match || Number(match[1]) !== plan.year) {
        out.push(
          finding('PERIOD_KEY_INVALID', 'keyResult', kr.id, {
            title: kr.title,
            period: key,
            year: String(plan.year),
          }),
        );
        broken = true;
        continue;
      }
      const value = toDecimal(raw);
      if (value === undefined) {
        out.push(
          finding('PERIOD_TARGET_NOT_NUMERIC', 'keyResult', kr.id, {
            title: kr.title,
            period: key,
            value: raw,
          }),
        );
        broken = true;
        continue;
      }
      byGranularity[q ? 'quarter' : 'month'].push({ key, index: Number(match[2]), value });
    }
    if (broken) continue;
    const annual = toDecimal(kr.target);
    for (const g of ['quarter', 'month'] as const) {
      const periods = byGranularity[g].sort((a, b) => a.index - b.index);
      if (periods.length === 0) continue;
      const expected = g === 'quarter' ? 4 : 12;
      if (periods.length < expected) {
        out.push(
          finding('PERIOD_TARGETS_INCOMPLETE', 'keyResult', kr.id, {
            title: kr.title,
            granularity: g,
            present: String(periods.length),
            expected: String(expected),
          }),
        );
      }
      const combined = combine(
        kr,
        periods.map((p) => p.value),
      );
      if (combined === undefined) continue;
      const ok = reaches(kr.direction, combined, annual);
      if (ok === false) {
        out.push(
          finding('PERIOD_TARGETS_DO_NOT_COVER_ANNUAL', 'keyResult', kr.id, {
            title: kr.title,
            granularity: g,
            rule: kr.aggregation,
            combined: plain(combined),
            annual: annual === undefined ? kr.target : plain(annual),
          }),
        );
      } else if (ok && kr.aggregation === 'last' && annual !== undefined && !combined.eq(annual)) {
        out.push(
          finding('PERIOD_LAST_NOT_EQUAL_ANNUAL', 'keyResult', kr.id, {
            title: kr.title,
            period: periods[periods.length - 1]?.key ?? '',
            combined: plain(combined),
            annual: plain(annual),
          }),
        );
      }
    }
    if (kr.direction.kind === 'range') continue; // a range bounds the year's value, not a quarter's
    for (const quarter of byGranularity.quarter) {
      const months = byGranularity.month.filter((p) => Math.ceil(p.index / 3) === quarter.index);
      if (months.length !== 3) continue;
      const combined = combine(
        kr,
        months.map((p) => p.value),
      );
      if (combined !== undefined && reaches(kr.direction, combined, quarter.value) === false) {
        out.push(
          finding('MONTHS_DO_NOT_COVER_QUARTER', 'keyResult', kr.id, {
            title: kr.title,
            period: periodLabel(plan.year, 'quarter', quarter.index),
            rule: kr.aggregation,
            combined: plain(combined),
            quarterTarget: plain(quarter.value),
          }),
        );
      }
    }
  }
  return out;
}

/**
 * Children cover the parent: for each key result of `plan` that has cascaded children (in the plan
 * itself or in `childPlans` — sub-units' or persons' plans), the children's targets combined by the
 * parent's aggregation rule must reach the parent's target in the parent's direction. When the parent
 * plan is a unit's and every child sits in a person's plan, the finding is PERSONS_DO_NOT_COVER_UNIT.
 */
export function checkChildrenCoverage(plan: Plan, childPlans: readonly Plan[] = []): Finding[] {
  const out: Finding[] = [];
  const sources = [
    { ownerKind: 'self' as const, plan },
    ...childPlans.map((p) => ({ ownerKind: p.owner.kind, plan: p })),
  ];
  for (const parent of plan.tasks.flatMap((t) => t.keyResults)) {
    const children = sources.flatMap((s) =>
      s.plan.tasks
        .flatMap((t) => t.keyResults)
        .filter((kr) => kr.parentKeyResultId === parent.id && kr.id !== parent.id)
        .map((kr) => ({ kr, ownerKind: s.ownerKind })),
    );
    if (children.length === 0) continue;
    const targets: Decimal[] = [];
    for (const c of children) {
      const t = toDecimal(c.kr.target);
      if (t === undefined) {
        out.push(
          finding('CHILD_TARGET_NOT_NUMERIC', 'keyResult', parent.id, {
            title: parent.title,
            childId: c.kr.id,
          }),
        );
      } else targets.push(t);
    }
    if (targets.length !== children.length) continue;
    const combined = combine(parent, targets);
    if (combined === undefined) continue;
    const target = toDecimal(parent.target);
    if (reaches(parent.direction, combined, target) !== false) continue;
    const persons = plan.owner.kind === 'unit' && children.every((c) => c.ownerKind === 'person');
    out.push(
      finding(
        persons ? 'PERSONS_DO_NOT_COVER_UNIT' : 'CHILDREN_DO_NOT_COVER_PARENT',
        'keyResult',
        parent.id,
        {
          title: parent.title,
          count: String(children.length),
          rule: parent.aggregation,
          combined: plain(combined),
          target: target === undefined ? parent.target : plain(target),
        },
      ),
    );
  }
  return out;
}
