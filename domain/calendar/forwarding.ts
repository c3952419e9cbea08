// Forwarding when an approver or verifier misses a deadline (DESIGN §1, §3): the item goes to the next
// level of the approval chain (data, configured per unit type) and the miss is recorded against them.
// Nobody approves their own item. The last level has no level above: the miss is recorded and
// reminders repeat.
import type { CalendarProfile, LocalDate } from './profile.ts';
import { endOfVnDay, vnLocalDate } from './vn-time.ts';
import { workingCalendar } from './working-days.ts';

export interface ApprovalLevel {
  /** e.g. 'supervisor', 'unit-head', 'secretariat', 'standing-committee'. */
  role: string;
  /** The person holding the level for this item, when known. */
  actorId?: string;
}

/** Who decides a kind of step, lowest level first. */
export interface ApprovalChain {
  step: string; // 'plan-approval', 'check-in-verification', 'period-reopening', …
  levels: ApprovalLevel[];
}

export interface MissRecord {
  step: string;
  levelIndex: number;
  role: string;
  actorId?: string;
  /** The deadline that was missed (exclusive end of the due day). */
  dueAt: number;
  /** When the miss was noticed (passed in; the domain reads no clock). */
  recordedAt: number;
}

export type ForwardResult =
  | {
      kind: 'forwarded';
      miss: MissRecord;
      toLevelIndex: number;
      to: ApprovalLevel;
      /** The new level's due day: `forwardWorkingDays` working days after the day the miss was recorded. */
      dueDate: LocalDate;
      dueAt: number;
    }
  | { kind: 'top-level-miss'; miss: MissRecord; remindAgainDate: LocalDate };

export interface ForwardArgs {
  /** The item's owner: a level held by the owner is skipped. */
  ownerId?: string;
  dueAt: number;
  now: number;
  forwardWorkingDays?: number;
}

/** The first level at or above `from` that the owner does not hold, or undefined. */
export function firstEligibleLevel(chain: ApprovalChain, from: number, ownerId?: string): number | undefined {
  for (let i = from; i < chain.levels.length; i++) {
    const l = chain.levels[i];
    if (l && (ownerId === undefined || l.actorId !== ownerId)) return i;
  }
  return undefined;
}

export function forwardOnMiss(
  profile: CalendarProfile,
  chain: ApprovalChain,
  levelIndex: number,
  args: ForwardArgs,
): ForwardResult {
  const level = chain.levels[levelIndex];
  if (!level) throw new RangeError(`${chain.step}: no level ${levelIndex}`);
  if (args.now < args.dueAt) throw new RangeError(`${chain.step}: the deadline has not passed yet`);
  const miss: MissRecord = {
    step: chain.step,
    levelIndex,
    role: level.role,
    ...(level.actorId !== undefined ? { actorId: level.actorId } : {}),
    dueAt: args.dueAt,
    recordedAt: args.now,
  };
  const cal = workingCalendar(profile);
  const gap = args.forwardWorkingDays ?? 2;
  const next = firstEligibleLevel(chain, levelIndex + 1, args.ownerId);
  const today = vnLocalDate(args.now);
  if (next === undefined) {
    return {
      kind: 'top-level-miss',
      miss,
      remindAgainDate: cal.addWorkingDays(cal.previousWorkingDay(today), 1),
    };
  }
  const dueDate = cal.addWorkingDays(cal.previousWorkingDay(today), gap);
  return {
    kind: 'forwarded',
    miss,
    toLevelIndex: next,
    to: chain.levels[next]!,
    dueDate,
    dueAt: endOfVnDay(dueDate),
  };
}
