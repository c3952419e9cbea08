// Which two versions the approval screen compares (issue 5, point 6). Pure.
import type { PlanDetail } from './content.ts';

/**
 * The versions a reviewer compares (issue 5 point 6): the submitted version against the one submitted
 * before it (a resubmission: the version the decider returned); a returned draft against the returned
 * version. Null when there is nothing earlier to compare with.
 */
export function diffRange(
  plan: Pick<PlanDetail, 'status' | 'version' | 'versions'> & {
    submittedVersionId?: string | null;
    /** From the API: the versions submitted so far, oldest first. */
    submittedVersionIds?: string[];
  },
): { from: number; to: number } | null {
  const numberOf = (id: string | null | undefined) => plan.versions.find((v) => v.id === id)?.number;
  const submitted = numberOf(plan.submittedVersionId);
  if (plan.status === 'DRAFTING') {
    // a returned plan: what changed since the version the decider returned
    if (submitted === undefined || submitted === plan.version.number) return null;
    return { from: submitted, to: plan.version.number };
  }
  if (submitted === undefined) return null;
  const earlier = (plan.submittedVersionIds ?? [])
    .map((id) => numberOf(id))
    .filter((n): n is number => n !== undefined && n < submitted);
  if (earlier.length) return { from: Math.max(...earlier), to: submitted };
  if (plan.submittedVersionIds) return null; // the first submission: nothing submitted before it
  return submitted > 1 ? { from: submitted - 1, to: submitted } : null;
}
