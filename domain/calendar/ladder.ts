// The reminder, grace and escalation ladder (DESIGN §3). Counting working days from the due day D:
// reminders to the assignee at D−3, D−1 and D; D+1 is the grace day (an overdue reminder, no
// escalation); overdue reminders at D+2 and D+3, then they stop; escalation to the supervisor at D+2,
// to the unit head at D+4, to the provincial secretariat at D+6 — the last only for unit-level items
// and heads' items (the tiered rule: an individual's item stays inside the unit). A unit head's own
// items escalate to the level that manages heads. The last level (the standing committee) has no
// level above: the miss is recorded and reminders repeat.
import type { CalendarProfile, LocalDate } from './profile.ts';
import { vnInstant } from './vn-time.ts';
import { workingCalendar } from './working-days.ts';

/** individual: a person's own item; head: a unit head's own item; unit: the unit's plan, reports, its own key results. */
export type ItemScope = 'individual' | 'head' | 'unit';

export type RecipientRole =
  | 'assignee'
  | 'supervisor'
  | 'unit-head'
  | 'heads-manager'
  | 'secretariat'
  | 'standing-committee';

/** Escalation order: a later rung never goes to a lower level than an earlier one. */
export const ESCALATION_RANK: Record<RecipientRole, number> = {
  assignee: 0,
  supervisor: 1,
  'unit-head': 2,
  'heads-manager': 3,
  secretariat: 4,
  'standing-committee': 5,
};

export type LadderAction = 'remind' | 'overdue-remind' | 'escalate' | 'record-miss';

export interface EscalationStep {
  offset: number;
  to: 'supervisor' | 'unit-head' | 'secretariat';
  /** Which items reach this step. */
  scopes: ItemScope[];
}

export interface LadderSettings {
  /** Working-day offsets from D of the reminders to the assignee (≤ 0). */
  reminderOffsets: number[];
  /** Grace days after D: overdue reminder only, no escalation. */
  graceDays: number;
  /** Working-day offsets of the overdue reminders (> 0); none after the last. */
  overdueReminderOffsets: number[];
  escalations: EscalationStep[];
  /** Local hour at which a rung fires on its day. */
  fireAtHour: number;
  /** Top level only: overdue reminders repeat every this many working days after the last one. */
  topLevelRepeatEveryWorkingDays: number;
}

export const DEFAULT_LADDER_SETTINGS: LadderSettings = {
  reminderOffsets: [-3, -1, 0],
  graceDays: 1,
  overdueReminderOffsets: [1, 2, 3],
  escalations: [
    { offset: 2, to: 'supervisor', scopes: ['individual', 'unit', 'head'] }, // a head's: the heads' manager
    { offset: 4, to: 'unit-head', scopes: ['individual', 'unit'] },
    { offset: 6, to: 'secretariat', scopes: ['unit', 'head'] },
  ],
  fireAtHour: 8,
  topLevelRepeatEveryWorkingDays: 1,
};

export interface LadderItem {
  scope: ItemScope;
  /** The assignee is the last level (standing committee): no level above, the miss is recorded. */
  assigneeIsTopLevel?: boolean;
}

export interface Rung {
  /** Working days from D. */
  offset: number;
  date: LocalDate;
  /** When the rung fires (epoch ms, `fireAtHour` VN on `date`). */
  at: number;
  action: LadderAction;
  recipientRole: RecipientRole;
}

export interface Ladder {
  dueDate: LocalDate;
  scope: ItemScope;
  rungs: Rung[];
  /** Top level only: overdue reminders repeat from `fromOffset` every `everyWorkingDays` until done. */
  repeat?: {
    fromOffset: number;
    everyWorkingDays: number;
    action: 'overdue-remind';
    recipientRole: 'assignee';
  };
}

export function validateLadderSettings(s: LadderSettings): void {
  const ints = [...s.reminderOffsets, ...s.overdueReminderOffsets, ...s.escalations.map((e) => e.offset)];
  if (!ints.every(Number.isInteger)) throw new RangeError('ladder offsets must be whole working days');
  if (s.reminderOffsets.some((o) => o > 0)) throw new RangeError('reminders come on or before the due day');
  if (s.overdueReminderOffsets.some((o) => o <= 0))
    throw new RangeError('overdue reminders come after the due day');
  if (!Number.isInteger(s.graceDays) || s.graceDays < 1) throw new RangeError('at least one grace day');
  // The tiered rule is not configurable: an individual's item stays inside the unit.
  const outside = s.escalations.find((e) => e.to === 'secretariat' && e.scopes.includes('individual'));
  if (outside)
    throw new RangeError(`an individual's item cannot escalate to the secretariat (D+${outside.offset})`);
  const early = s.escalations.find((e) => e.offset <= s.graceDays);
  if (early)
    throw new RangeError(
      `escalation at D+${early.offset} is not after the grace day(s) D+1..D+${s.graceDays}`,
    );
  if (!Number.isInteger(s.fireAtHour) || s.fireAtHour < 0 || s.fireAtHour > 23)
    throw new RangeError('fireAtHour 0..23');
  if (!Number.isInteger(s.topLevelRepeatEveryWorkingDays) || s.topLevelRepeatEveryWorkingDays < 1) {
    throw new RangeError('topLevelRepeatEveryWorkingDays ≥ 1');
  }
}

function recipientFor(step: EscalationStep, scope: ItemScope): RecipientRole | undefined {
  if (!step.scopes.includes(scope)) return undefined;
  if (scope === 'head') {
    // Nobody escalates to themselves: a head's supervisor is the level that manages heads.
    if (step.to === 'supervisor') return 'heads-manager';
    if (step.to === 'unit-head') return undefined;
  }
  return step.to;
}

/** The ladder for an item due on `dueDate` (moved to the next working day when it is not one). */
export function escalationLadder(
  profile: CalendarProfile,
  dueDate: LocalDate,
  item: LadderItem,
  settings: LadderSettings = DEFAULT_LADDER_SETTINGS,
): Ladder {
  validateLadderSettings(settings);
  const cal = workingCalendar(profile);
  const d = cal.nextWorkingDay(dueDate);
  const rung = (offset: number, action: LadderAction, recipientRole: RecipientRole): Rung => {
    const date = cal.addWorkingDays(d, offset);
    return { offset, date, at: vnInstant(date, settings.fireAtHour), action, recipientRole };
  };
  const rungs: Rung[] = [];
  for (const o of settings.reminderOffsets) rungs.push(rung(o, 'remind', 'assignee'));
  for (const o of settings.overdueReminderOffsets) rungs.push(rung(o, 'overdue-remind', 'assignee'));

  if (item.assigneeIsTopLevel) {
    rungs.push(rung(1, 'record-miss', 'standing-committee'));
  } else {
    let highest = 0;
    const escalations = [...settings.escalations].sort((a, b) => a.offset - b.offset);
    for (const step of escalations) {
      const to = recipientFor(step, item.scope);
      if (to === undefined) continue;
      if (ESCALATION_RANK[to] <= highest) {
        throw new RangeError(`escalation to ${to} at D+${step.offset} is not above the previous level`);
      }
      highest = ESCALATION_RANK[to];
      rungs.push(rung(step.offset, 'escalate', to));
    }
  }
  const order: Record<LadderAction, number> = {
    remind: 0,
    'overdue-remind': 1,
    'record-miss': 2,
    escalate: 3,
  };
  rungs.sort((a, b) => a.offset - b.offset || order[a.action] - order[b.action]);
  const ladder: Ladder = { dueDate: d, scope: item.scope, rungs };
  if (item.assigneeIsTopLevel) {
    const last = Math.max(settings.graceDays, ...settings.overdueReminderOffsets);
    ladder.repeat = {
      fromOffset: last + settings.topLevelRepeatEveryWorkingDays,
      everyWorkingDays: settings.topLevelRepeatEveryWorkingDays,
      action: 'overdue-remind',
      recipientRole: 'assignee',
    };
  }
  return ladder;
}

/** The next `count` repeated reminders of a top-level ladder (empty for other ladders). */
export function repeatedReminders(
  profile: CalendarProfile,
  ladder: Ladder,
  count: number,
  fireAtHour = DEFAULT_LADDER_SETTINGS.fireAtHour,
): Rung[] {
  const r = ladder.repeat;
  if (!r) return [];
  const cal = workingCalendar(profile);
  return Array.from({ length: count }, (_, i) => {
    const offset = r.fromOffset + i * r.everyWorkingDays;
    const date = cal.addWorkingDays(ladder.dueDate, offset);
    return {
      offset,
      date,
      at: vnInstant(date, fireAtHour),
      action: r.action,
      recipientRole: r.recipientRole,
    };
  });
}

/** The rungs already due at `now` (e.g. a plan created late: fire only the highest past escalation). */
export function rungsDueBy(ladder: Ladder, now: number): Rung[] {
  return ladder.rungs.filter((r) => r.at <= now);
}
