// The rungs of an open plan item, computed from the calendar profile by domain/calendar (pure, so the
// workflow recomputes them on every wake-up instead of carrying them): reminders, grace, overdue reminders
// and escalations of DESIGN §3; the forward of an approver's missed deadline; the top level's recorded
// miss and repeated reminders; and, for a plan with nothing submitted by the approval deadline, the
// repeated escalation to the standing committee.
import {
  DEFAULT_LADDER_SETTINGS,
  escalationLadder,
  type ItemScope,
  type LadderSettings,
  type RecipientRole,
  repeatedReminders,
} from '../domain/calendar/ladder.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import { vnInstant } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import type { OpenItem } from './annual-plan.messages.ts';

export type PlanRungAction =
  | 'remind'
  | 'overdue-remind'
  | 'escalate'
  | 'record-miss'
  | 'forward'
  | 'committee-escalate';

export interface PlanRung {
  index: number;
  action: PlanRungAction;
  recipientRole: RecipientRole;
  /** Working days from the due day. */
  offset: number;
  date: LocalDate;
  at: number;
}

export interface LadderContext {
  profile: CalendarProfile;
  settings?: LadderSettings;
  /** The approval deadline's date (25/12): the nothing-submitted escalations start after it. */
  approveDate: LocalDate;
  /** Whose item it is (the tiered rule): 'unit' for a unit's plan, 'individual' or 'head' for personal plans. */
  scope?: ItemScope;
  /**
   * The plan names a level that manages heads of its own (parties.headsManager). Without one the heads'
   * manager is the province's secretariat (a unit directly under the province): a unit head's item then
   * escalates once, to the secretariat, at the ladder's unit/head escalation offset (D+6 by default).
   */
  headsManager?: boolean;
}

/**
 * An item whose party is the unit head, opened under PATCH_HEAD_ITEMS_ESCALATE_UP (item.scope 'head'):
 * the 'head' scope of domain/calendar (no rung to the supervisor or to the unit head, whatever the plan's
 * scope), never treated as the top level of an approval chain (the unit head has the heads' manager above).
 */
export const isHeadItem = (item: OpenItem) => item.scope === 'head';

/**
 * The rungs of a head's item: reminders to the head stay; the escalations go to the level that manages
 * heads. When that level is the secretariat (no heads' manager of its own) the domain ladder's rungs to
 * 'heads-manager' and 'secretariat' name the same people: only the last one is kept, as 'secretariat'.
 */
export function headItemRungs(
  item: OpenItem,
  ctx: LadderContext,
  settings: LadderSettings = ctx.settings ?? DEFAULT_LADDER_SETTINGS,
): Omit<PlanRung, 'index'>[] {
  const ladder = escalationLadder(ctx.profile, item.dueDate, { scope: 'head' }, settings);
  const rungs: Omit<PlanRung, 'index'>[] = ladder.rungs.map((r) => ({ ...r }));
  if (ctx.headsManager) return rungs;
  const last = rungs.filter((r) => r.action === 'escalate').at(-1);
  return rungs
    .filter((r) => r.action !== 'escalate' || r === last)
    .map((r) => (r === last ? { ...r, recipientRole: 'secretariat' as const } : r));
}

function baseRungs(item: OpenItem, ctx: LadderContext): PlanRung[] {
  const settings = ctx.settings ?? DEFAULT_LADDER_SETTINGS;
  const ladder = escalationLadder(
    ctx.profile,
    item.dueDate,
    { scope: ctx.scope ?? 'unit', assigneeIsTopLevel: item.topLevel },
    settings,
  );
  const rungs: Omit<PlanRung, 'index'>[] = isHeadItem(item)
    ? headItemRungs(item, ctx, settings)
    : ladder.rungs.map((r) => ({ ...r }));
  if ((item.kind === 'appraise' || item.kind === 'amend-appraise') && !item.topLevel) {
    // An approver gets the reminders only; the missed deadline is forwarded to the next level of the chain
    // on the grace day (domain/calendar/forwarding.ts) and the miss is recorded against them.
    const date = workingCalendar(ctx.profile).addWorkingDays(ladder.dueDate, settings.graceDays);
    const forward = {
      offset: settings.graceDays,
      date,
      at: vnInstant(date, settings.fireAtHour),
      action: 'forward' as const,
      recipientRole: 'assignee' as const,
    };
    return [...rungs.filter((r) => r.action === 'remind'), forward].map((r, index) => ({ ...r, index }));
  }
  return rungs.map((r, index) => ({ ...r, index }));
}

/** The i-th rung of an item, or undefined when its ladder has ended. */
export function rungAt(item: OpenItem, ctx: LadderContext, i: number): PlanRung | undefined {
  const base = baseRungs(item, ctx);
  if (i < base.length) return base[i];
  const k = i - base.length;
  const settings = ctx.settings ?? DEFAULT_LADDER_SETTINGS;
  if (item.topLevel && !isHeadItem(item)) {
    const ladder = escalationLadder(
      ctx.profile,
      item.dueDate,
      { scope: 'unit', assigneeIsTopLevel: true },
      settings,
    );
    const r = repeatedReminders(ctx.profile, ladder, k + 1, settings.fireAtHour)[k];
    return (
      r && {
        index: i,
        action: 'overdue-remind',
        recipientRole: r.recipientRole,
        offset: r.offset,
        date: r.date,
        at: r.at,
      }
    );
  }
  if (item.kind === 'submit' && ctx.scope !== 'individual') {
    // Nothing submitted: keep escalating to the standing committee after the approval deadline.
    const cal = workingCalendar(ctx.profile);
    const last = base.at(-1)?.date ?? item.dueDate;
    const from = [last, ctx.approveDate].sort()[1]!; // the later local date (yyyy-mm-dd sorts)
    const date = cal.addWorkingDays(from, 1 + k * settings.topLevelRepeatEveryWorkingDays);
    return {
      index: i,
      action: 'committee-escalate',
      recipientRole: 'standing-committee',
      offset: cal.workingDaysBetween(item.dueDate, date),
      date,
      at: vnInstant(date, settings.fireAtHour),
    };
  }
  return undefined;
}

/**
 * The rung to fire first when an item opens at `now` after its due date (late start, PATCH_LATE_START):
 * the latest rung already past, fired once as a catch-up so the inbox shows the item at its escalation
 * level; the earlier ones are skipped. Undefined when no rung has passed yet.
 */
export function catchUpRung(item: OpenItem, ctx: LadderContext, now: number): number | undefined {
  const first = firstRungAfter(item, ctx, now);
  return first > 0 ? first - 1 : undefined;
}

/** The index of the first rung after `now` (rungs already past when a ladder is (re)started are skipped). */
export function firstRungAfter(item: OpenItem, ctx: LadderContext, now: number): number {
  for (let i = 0; ; i++) {
    const r = rungAt(item, ctx, i);
    if (!r || r.at > now) return i;
  }
}
