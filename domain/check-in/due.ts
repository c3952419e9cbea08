// Which key results a person reports in a month (DESIGN §3): in the versions in force of the plans they
// belong to (their personal plan and their unit's plans), the key results they own in the month — the
// content's owner unless reassigned (domain/handover) — whose cadence falls due in the month. A personal
// plan's key results without an owner are the person's.
import { contentOwner, ownerInPeriod, type Reassignment } from '../handover/owner.ts';
import type { Plan } from '../plan/model.ts';
import type { DueKeyResult } from './model.ts';
import { cadenceDueIn, periodTargetOf } from './period.ts';

export interface PlanInForce {
  planId: string;
  planVersionId: string;
  content: Pick<Plan, 'owner' | 'tasks' | 'year'>;
  /** Key results handed to another person during the year (domain/handover); none when absent. */
  reassignments?: readonly Reassignment[];
}

/** Whether the plan content makes `personId` the owner of a key result (reassignments aside). */
export function ownsKeyResult(personId: string, plan: PlanInForce['content'], ownerId: string | undefined) {
  return contentOwner(plan, ownerId) === personId;
}

/** The key results `personId` reports in `period`, plan by plan in the order given, tasks and key results in
 *  plan order. Plans of another year are left out. */
export function dueKeyResults(
  personId: string,
  plans: readonly PlanInForce[],
  period: string,
): DueKeyResult[] {
  const year = Number(period.slice(0, 4));
  const out: DueKeyResult[] = [];
  for (const p of plans) {
    if (p.content.year !== year) continue;
    for (const t of p.content.tasks)
      for (const kr of t.keyResults) {
        if (ownerInPeriod(p.content, kr.id, kr.ownerId, p.reassignments ?? [], period) !== personId) continue;
        if (!cadenceDueIn(kr.cadence, period)) continue;
        out.push({
          planId: p.planId,
          planVersionId: p.planVersionId,
          ownerKind: p.content.owner.kind,
          taskId: t.id,
          taskTitle: t.title,
          keyResult: kr,
          cadence: kr.cadence,
          periodTarget: periodTargetOf(kr, period),
        });
      }
  }
  return out;
}
