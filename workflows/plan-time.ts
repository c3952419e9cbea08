// Virtual time for plan workflows. In production a plan runs on real time (no warp). Tests and demos pass
// a warp so a year's calendar (whose logical dates and instants come unchanged from domain/calendar)
// plays out in seconds: virtual = virtualEpoch + (real − realEpoch) × speed. Every deadline decision in
// the workflow compares virtual instants; only the wait is converted back to real milliseconds.
// Deterministic: Date.now() inside a workflow is the workflow task time.

export interface TimeWarp {
  realEpoch: number;
  virtualEpoch: number;
  /** Virtual milliseconds per real millisecond (86 400 = one day per second). */
  speed: number;
}

export function virtualNow(warp: TimeWarp | undefined, realNow = Date.now()): number {
  if (!warp) return realNow;
  return warp.virtualEpoch + (realNow - warp.realEpoch) * warp.speed;
}

/** Real milliseconds to wait until the virtual instant `at` (at least 1: `condition(fn, 0)` means no timeout). */
export function realDelayUntil(warp: TimeWarp | undefined, at: number, realNow = Date.now()): number {
  const v = virtualNow(warp, realNow);
  const speed = warp?.speed ?? 1;
  return Math.max(1, Math.ceil((at - v) / speed));
}
