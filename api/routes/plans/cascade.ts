// Cascading (DESIGN §2): a parent plan's key results marked for cascade go to the plans decomposed from it —
// 'mandatory' ones are copied into the child's first draft (with parentKeyResultId) and may not be removed
// or lowered below their share there; 'suggested' ones are listed and may be adopted. Pure, apart from the
// problem it throws.
import { Decimal } from 'decimal.js';
import type { PlanRow } from '../../../db/schema-plans.ts';
import type { KeyResult, Task } from '../../../domain/plan/model.ts';
import { toDecimal } from '../../../domain/plan/prechecks-types.ts';
import { ApiProblem } from '../../problem.ts';
import type { PlanContent } from './content.ts';

/** A mandatory key result cascaded into a child plan (kept in the child plan's details). */
export interface MandatoryShare {
  parentKeyResultId: string;
  keyResultId: string;
  title: string;
  /** The child's share of the parent's target; absent when the drafter sets it (a sum with no listed owners). */
  share?: string;
  /** 'lower' key results may not go above their share; every other one not below. */
  lowerIsBetter: boolean;
}

export interface CascadeItem {
  keyResultId: string;
  taskId: string;
  taskTitle: string;
  title: string;
  target: string;
  unit: string;
  aggregation: KeyResult['aggregation'];
  mode: 'mandatory' | 'suggested';
}

/** A decomposed plan's cascade facts: its parent and the mandatory shares (plan.parent_plan_id, plan.cascade). */
export interface ChildDetails {
  parentPlanId?: string;
  mandatory?: MandatoryShare[];
}

export const childDetailsOf = (p: Pick<PlanRow, 'parent_plan_id' | 'cascade'>): ChildDetails => ({
  ...(p.parent_plan_id ? { parentPlanId: p.parent_plan_id } : {}),
  mandatory: ((p.cascade ?? {}) as { mandatory?: MandatoryShare[] }).mandatory ?? [],
});

/** The id a cascaded key result gets in the child plan (distinct from the parent's, as coverage needs). */
export const childKeyResultId = (parentId: string) => `c-${parentId}`.slice(0, 100);

const goesTo = (kr: KeyResult, ownerId: string) => !kr.cascade?.to || kr.cascade.to.includes(ownerId);

/** The parent's key results cascaded to `ownerId` (a sub-unit or a person), mandatory then suggested. */
export function cascadedTo(parent: PlanContent, ownerId: string): CascadeItem[] {
  const out: CascadeItem[] = [];
  for (const t of parent.tasks)
    for (const k of t.keyResults)
      if (k.cascade && goesTo(k, ownerId))
        out.push({
          keyResultId: k.id,
          taskId: t.id,
          taskTitle: t.title,
          title: k.title,
          target: k.target,
          unit: k.unit,
          aggregation: k.aggregation,
          mode: k.cascade.mode,
        });
  return out;
}

/** The child's share of a parent key result: a sum is split evenly between the listed owners (the drafter
 * sets it when no owners are listed); every other rule asks each child for the parent's target. */
function shareOf(k: KeyResult): string | undefined {
  const target = toDecimal(k.target);
  if (target === undefined) return undefined;
  if (k.aggregation !== 'sum') return target.toFixed();
  const n = k.cascade?.to?.length;
  if (!n) return undefined;
  return target.div(n).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed();
}

function copyOf(k: KeyResult, ownerId: string, personal: boolean): KeyResult {
  const { cascade: _cascade, ownerId: _owner, ...rest } = k;
  const share = shareOf(k);
  return {
    ...rest,
    id: childKeyResultId(k.id),
    target: share ?? '',
    parentKeyResultId: k.id,
    ...(personal ? { ownerId } : {}),
  };
}

/** The child's first draft: the parent's mandatory key results for it, under copies of their tasks. */
export function childFirstDraft(
  parent: PlanContent,
  child: Pick<PlanContent, 'id' | 'year' | 'owner'>,
  ownerId: string,
): { content: PlanContent; mandatory: MandatoryShare[]; suggested: CascadeItem[] } {
  const personal = child.owner.kind === 'person';
  const tasks: Task[] = [];
  const mandatory: MandatoryShare[] = [];
  for (const t of parent.tasks) {
    const krs = t.keyResults.filter((k) => k.cascade?.mode === 'mandatory' && goesTo(k, ownerId));
    if (!krs.length) continue;
    tasks.push({
      id: t.id,
      title: t.title,
      perspective: t.perspective,
      weight: t.weight,
      keyResults: krs.map((k) => copyOf(k, ownerId, personal)),
    });
    for (const k of krs) {
      const share = shareOf(k);
      mandatory.push({
        parentKeyResultId: k.id,
        keyResultId: childKeyResultId(k.id),
        title: k.title,
        ...(share !== undefined ? { share } : {}),
        lowerIsBetter: k.direction.kind === 'lower',
      });
    }
  }
  return {
    content: { ...child, sections: [], tasks },
    mandatory,
    suggested: cascadedTo(parent, ownerId).filter((x) => x.mode === 'suggested'),
  };
}

/** The parent's suggested key results for the child not yet in the child's draft. */
export function suggestedNotAdopted(parent: PlanContent, child: PlanContent, ownerId: string): CascadeItem[] {
  const adopted = new Set(
    child.tasks.flatMap((t) =>
      t.keyResults.flatMap((k) => (k.parentKeyResultId ? [k.parentKeyResultId] : [])),
    ),
  );
  return cascadedTo(parent, ownerId).filter((x) => x.mode === 'suggested' && !adopted.has(x.keyResultId));
}

/** The child's draft with a suggested key result adopted: under `taskId`, else under the copy of the parent's
 * task (created when missing). Undefined when `taskId` is not a task of the child. */
export function adoptInto(
  parent: PlanContent,
  child: PlanContent,
  keyResultId: string,
  ownerId: string,
  taskId?: string,
): PlanContent | undefined {
  const t = parent.tasks.find((x) => x.keyResults.some((k) => k.id === keyResultId));
  const k = t?.keyResults.find((x) => x.id === keyResultId);
  if (!t || !k) return undefined;
  const copy = copyOf(k, ownerId, child.owner.kind === 'person');
  const target = taskId ?? t.id;
  if (!child.tasks.some((x) => x.id === target)) {
    if (taskId !== undefined) return undefined;
    return {
      ...child,
      tasks: [
        ...child.tasks,
        { id: t.id, title: t.title, perspective: t.perspective, weight: t.weight, keyResults: [copy] },
      ],
    };
  }
  if (child.tasks.some((x) => x.keyResults.some((y) => y.id === copy.id)))
    copy.id = `${copy.id}-2`.slice(0, 100);
  return {
    ...child,
    tasks: child.tasks.map((x) => (x.id === target ? { ...x, keyResults: [...x.keyResults, copy] } : x)),
  };
}

/** A child draft keeps every mandatory key result cascaded to it, at or beyond its share (422 otherwise). */
export function checkMandatoryCascade(
  p: Pick<PlanRow, 'parent_plan_id' | 'cascade'>,
  content: PlanContent,
): void {
  const mandatory = childDetailsOf(p).mandatory ?? [];
  if (!mandatory.length) return;
  const krs = content.tasks.flatMap((t) => t.keyResults);
  const removed: string[] = [];
  const lowered: { keyResultId: string; share: string; target: string }[] = [];
  for (const m of mandatory) {
    const k = krs.find((x) => x.parentKeyResultId === m.parentKeyResultId);
    if (!k) {
      removed.push(m.parentKeyResultId);
      continue;
    }
    const share = toDecimal(m.share);
    if (share === undefined) continue;
    const target = toDecimal(k.target);
    if (target === undefined || (m.lowerIsBetter ? target.gt(share) : target.lt(share)))
      lowered.push({ keyResultId: k.id, share: m.share ?? '', target: k.target });
  }
  if (!removed.length && !lowered.length) return;
  const titles = mandatory
    .filter(
      (m) => removed.includes(m.parentKeyResultId) || lowered.some((l) => l.keyResultId === m.keyResultId),
    )
    .map((m) => m.title)
    .join('; ');
  throw new ApiProblem({
    status: 422,
    code: 'CASCADE_MANDATORY_VIOLATED',
    vi: `Kết quả then chốt bắt buộc được giao từ kế hoạch cấp trên không được xóa hoặc hạ chỉ tiêu dưới phần được giao: ${titles}. Chưa lưu gì.`,
    en: `A mandatory key result cascaded from the parent plan cannot be removed or given a target below its share: ${titles}. Nothing was saved.`,
    details: { removed, lowered },
  });
}
