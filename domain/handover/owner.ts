// Who reports a key result in a period (DESIGN §1: key results are reassigned with history). The plan
// content names an owner (or, in a personal plan, none: the plan's person); a reassignment hands it to another
// person from a period on. The owner in a period is the latest reassignment effective by then — latest by
// effective period, then by the order they were recorded — else the content's.
import type { Plan } from '../plan/model.ts';

export interface Reassignment {
  keyResultId: string;
  toPersonId: string;
  /** 'YYYY-MM'. */
  effectivePeriod: string;
  /** Recording order (the row id). */
  seq: number;
}

/** The owner the plan content gives a key result: its ownerId, else a personal plan's person. */
export function contentOwner(plan: Pick<Plan, 'owner'>, ownerId: string | undefined): string | undefined {
  if (ownerId !== undefined) return ownerId;
  return plan.owner.kind === 'person' ? plan.owner.personId : undefined;
}

/** The person who reports `keyResultId` in `period` (undefined: nobody in person, e.g. a unit's own key
 *  result without an owner). */
export function ownerInPeriod(
  plan: Pick<Plan, 'owner'>,
  keyResultId: string,
  ownerId: string | undefined,
  reassignments: readonly Reassignment[],
  period: string,
): string | undefined {
  let best: Reassignment | undefined;
  for (const r of reassignments) {
    if (r.keyResultId !== keyResultId || r.effectivePeriod > period) continue;
    if (
      !best ||
      r.effectivePeriod > best.effectivePeriod ||
      (r.effectivePeriod === best.effectivePeriod && r.seq > best.seq)
    )
      best = r;
  }
  return best ? best.toPersonId : contentOwner(plan, ownerId);
}
