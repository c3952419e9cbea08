// Target revisions between two versions of a plan (DESIGN §2 Amendments: every change stays in history): the
// annual target and each period target of each key result, old → new. Pure; the amendment path records them
// with who, when and why (db/queries/check-ins.ts recordTargetRevisions).
import type { DecimalString, Plan } from '../plan/model.ts';

export interface TargetChange {
  keyResultId: string;
  /** null: the annual target; else the period key ('2026-03', '2026-Q2'). */
  period: string | null;
  oldTarget: DecimalString | null;
  newTarget: DecimalString | null;
}

type Targets = Map<string, { target: string; periodTargets: Record<string, string> }>;
const targetsOf = (p: Pick<Plan, 'tasks'>): Targets =>
  new Map(
    p.tasks.flatMap((t) =>
      t.keyResults.map((k) => [k.id, { target: k.target, periodTargets: k.periodTargets ?? {} }] as const),
    ),
  );
const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

/** The target changes of the key results in both versions (added and removed key results are plan changes,
 *  not target revisions), annual first, then periods in key order. */
export function targetChanges(from: Pick<Plan, 'tasks'>, to: Pick<Plan, 'tasks'>): TargetChange[] {
  const a = targetsOf(from);
  const out: TargetChange[] = [];
  for (const [id, b] of targetsOf(to)) {
    const old = a.get(id);
    if (!old) continue;
    if (orNull(old.target) !== orNull(b.target))
      out.push({ keyResultId: id, period: null, oldTarget: orNull(old.target), newTarget: orNull(b.target) });
    const periods = [...new Set([...Object.keys(old.periodTargets), ...Object.keys(b.periodTargets)])].sort();
    for (const p of periods) {
      const o = orNull(old.periodTargets[p]);
      const n = orNull(b.periodTargets[p]);
      if (o !== n) out.push({ keyResultId: id, period: p, oldTarget: o, newTarget: n });
    }
  }
  return out;
}
