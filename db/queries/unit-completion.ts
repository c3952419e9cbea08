// A top unit's year result from its unit plan in force and the VERIFIED check-in values (the dashboards' reads,
// db/queries/dashboards.ts, and their year-to-date rule, domain/dashboard yearToDateOf): the plan's year score
// (domain/scoring scorePlan under the rule set) and the share of the year's targets met (QĐ 377's 70% rule for
// the head). Breakthrough key results are left out of the share (as in the dashboards' completion); a key result
// without a verified value counts as not met. Values cascaded to sub-plans are not rolled up (as the dashboards).
import { type DashboardKeyResult, indexValues, yearToDateOf } from '../../domain/dashboard/index.ts';
import type { Plan } from '../../domain/plan/model.ts';
import { getRuleSet } from '../../domain/rulesets/catalogue.ts';
import type { RuleSet } from '../../domain/rulesets/types.ts';
import { roundForDisplay, scorePlan } from '../../domain/scoring/index.ts';
import type { Executor } from '../executor.ts';
import { unitPlansInForce, verifiedValuesOfPlans } from './dashboards.ts';

export interface UnitYearResult {
  unitId: string;
  planId: string;
  /** The plan's year score (2 decimals half-up); null without any verified value. */
  score: string | null;
  /** Share of the year's targets met, 0–1 (exact decimal string, at most 4 decimals). */
  completion: string;
  /** Key results counted (breakthrough excluded), met (attainment ≥ 1), exceeded (> 1). */
  keyResults: { total: number; met: number; exceeded: number };
}

const keyResultsOf = (plan: Plan): DashboardKeyResult[] =>
  plan.tasks.flatMap((t) =>
    t.keyResults.map((k) => ({ ...k, perspective: t.perspective, taskTitle: t.title })),
  );

/** The year results of units with a plan in force (a unit without one is absent from the map). */
export async function unitYearResultsOf(
  db: Executor,
  a: { unitIds: readonly string[]; year: number; ruleSet: (unitId: string) => RuleSet },
): Promise<Map<string, UnitYearResult>> {
  const plans = await unitPlansInForce(db, a.unitIds, a.year);
  const values = await verifiedValuesOfPlans(
    db,
    plans.map((p) => p.planId),
    a.year,
    12,
  );
  const out = new Map<string, UnitYearResult>();
  const last = `${a.year}-12`;
  for (const p of plans) {
    const byKr = indexValues(values.filter((v) => v.planId === p.planId));
    const actuals: Record<string, string> = {};
    let total = 0;
    let met = 0;
    let exceeded = 0;
    for (const kr of keyResultsOf(p.content)) {
      const ytd = yearToDateOf(kr, byKr.get(kr.id), last);
      if (ytd) actuals[kr.id] = ytd.value;
      if (kr.breakthrough) continue;
      total += 1;
      if (ytd?.progress != null) {
        const pr = Number(ytd.progress);
        if (pr >= 1) met += 1;
        if (pr > 1) exceeded += 1;
      }
    }
    const score = Object.keys(actuals).length
      ? roundForDisplay(scorePlan(p.content, actuals, a.ruleSet(p.unitId)).total)
      : null;
    const completion = total ? String(Math.round((met / total) * 10_000) / 10_000) : '0';
    out.set(p.unitId, {
      unitId: p.unitId,
      planId: p.planId,
      score,
      completion,
      keyResults: { total, met, exceeded },
    });
  }
  return out;
}

/** The unit's share of the year's targets met (0–1 decimal string), undefined without a unit plan in force. */
export async function unitCompletionOf(
  db: Executor,
  a: { unitId: string; year: number },
): Promise<string | undefined> {
  const rs = getRuleSet(a.year < 2026 ? 'ND90-48-legacy' : 'ND335-2025');
  const r = await unitYearResultsOf(db, { unitIds: [a.unitId], year: a.year, ruleSet: () => rs });
  return r.get(a.unitId)?.completion;
}
