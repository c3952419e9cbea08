import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LADDER_SETTINGS,
  ESCALATION_RANK,
  escalationLadder,
  type ItemScope,
  type Ladder,
  type LadderSettings,
  repeatedReminders,
  rungsDueBy,
} from './ladder.ts';
import { VN_2026 } from './profiles/vn-2026.ts';
import { localDateArb, profileArb } from './test-support.ts';
import { endOfVnDay, vnInstant } from './vn-time.ts';
import { workingCalendar } from './working-days.ts';

const summary = (l: Ladder) =>
  l.rungs.map((r) => `D${r.offset >= 0 ? '+' : ''}${r.offset} ${r.date} ${r.action} ${r.recipientRole}`);

// Due Thursday 12/2/2026, the last working day before Tết (14/2–22/2 off, 13/2 is a Friday).
// Working days around it: Mon 9/2 (D−3), Wed 11/2 (D−1), Thu 12/2 (D), Fri 13/2 (D+1, grace),
// Mon 23/2 (D+2), Tue 24/2 (D+3), Wed 25/2 (D+4), Thu 26/2 (D+5), Fri 27/2 (D+6).
describe('escalation ladder: worked examples across Tết 2026', () => {
  it("an individual's item: reminders, grace, overdue reminders to D+3, supervisor at D+2, unit head at D+4, no secretariat", () => {
    const l = escalationLadder(VN_2026, '2026-02-12', { scope: 'individual' });
    expect(summary(l)).toEqual([
      'D-3 2026-02-09 remind assignee',
      'D-1 2026-02-11 remind assignee',
      'D+0 2026-02-12 remind assignee',
      'D+1 2026-02-13 overdue-remind assignee',
      'D+2 2026-02-23 overdue-remind assignee',
      'D+2 2026-02-23 escalate supervisor',
      'D+3 2026-02-24 overdue-remind assignee',
      'D+4 2026-02-25 escalate unit-head',
    ]);
    // rungs fire at 08:00 VN = 01:00Z
    expect(new Date(l.rungs[5]!.at).toISOString()).toBe('2026-02-23T01:00:00.000Z');
    expect(l.repeat).toBeUndefined();
  });

  it('a unit-level item also reaches the provincial secretariat at D+6', () => {
    const l = escalationLadder(VN_2026, '2026-02-12', { scope: 'unit' });
    expect(summary(l).filter((s) => s.includes('escalate'))).toEqual([
      'D+2 2026-02-23 escalate supervisor',
      'D+4 2026-02-25 escalate unit-head',
      'D+6 2026-02-27 escalate secretariat',
    ]);
  });

  it("a unit head's own item goes to the level that manages heads, never to the head themself", () => {
    const l = escalationLadder(VN_2026, '2026-02-12', { scope: 'head' });
    expect(summary(l).filter((s) => s.includes('escalate'))).toEqual([
      'D+2 2026-02-23 escalate heads-manager',
      'D+6 2026-02-27 escalate secretariat',
    ]);
  });

  it('the standing committee has no level above: the miss is recorded at D+1 and reminders repeat', () => {
    const l = escalationLadder(VN_2026, '2026-02-12', { scope: 'unit', assigneeIsTopLevel: true });
    expect(summary(l).filter((s) => !s.includes(' remind '))).toEqual([
      'D+1 2026-02-13 overdue-remind assignee',
      'D+1 2026-02-13 record-miss standing-committee',
      'D+2 2026-02-23 overdue-remind assignee',
      'D+3 2026-02-24 overdue-remind assignee',
    ]);
    expect(l.rungs.some((r) => r.action === 'escalate')).toBe(false);
    expect(repeatedReminders(VN_2026, l, 3).map((r) => `D+${r.offset} ${r.date}`)).toEqual([
      'D+4 2026-02-25',
      'D+5 2026-02-26',
      'D+6 2026-02-27',
    ]);
  });

  it('a due date on a holiday first moves to the next working day (17/2 → 23/2)', () => {
    const l = escalationLadder(VN_2026, '2026-02-17', { scope: 'individual' });
    expect(l.dueDate).toBe('2026-02-23');
    expect(l.rungs[0]).toMatchObject({ offset: -3, date: '2026-02-11' }); // 23/2 − 3: 13/2, 12/2, 11/2
  });

  it('a plan created late sees which rungs are already due', () => {
    const l = escalationLadder(VN_2026, '2026-02-12', { scope: 'individual' });
    const due = rungsDueBy(l, vnInstant('2026-02-23', 9));
    expect(due.map((r) => r.offset)).toEqual([-3, -1, 0, 1, 2, 2]);
  });

  it('refuses settings that escalate during the grace day or take an individual item outside the unit', () => {
    const early: LadderSettings = {
      ...DEFAULT_LADDER_SETTINGS,
      escalations: [{ offset: 1, to: 'supervisor', scopes: ['unit'] }],
    };
    expect(() => escalationLadder(VN_2026, '2026-03-02', { scope: 'unit' }, early)).toThrow(/grace/);
    const leaky: LadderSettings = {
      ...DEFAULT_LADDER_SETTINGS,
      escalations: [{ offset: 6, to: 'secretariat', scopes: ['individual', 'unit'] }],
    };
    expect(() => escalationLadder(VN_2026, '2026-03-02', { scope: 'individual' }, leaky)).toThrow(
      /individual/,
    );
  });
});

/** Valid ladder settings with random offsets. */
const settingsArb: fc.Arbitrary<LadderSettings> = fc
  .record({
    reminders: fc.uniqueArray(fc.integer({ min: -6, max: 0 }), { maxLength: 4 }),
    grace: fc.integer({ min: 1, max: 3 }),
    overdue: fc.uniqueArray(fc.integer({ min: 1, max: 8 }), { maxLength: 5 }),
    gaps: fc.tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
    ),
    hour: fc.integer({ min: 0, max: 23 }),
  })
  .map(({ reminders, grace, overdue, gaps, hour }) => {
    const s = grace + gaps[0];
    const h = s + gaps[1];
    return {
      reminderOffsets: reminders,
      graceDays: grace,
      overdueReminderOffsets: overdue,
      escalations: [
        { offset: h + gaps[2], to: 'secretariat' as const, scopes: ['unit', 'head'] as ItemScope[] },
        { offset: s, to: 'supervisor' as const, scopes: ['individual', 'unit', 'head'] as ItemScope[] },
        { offset: h, to: 'unit-head' as const, scopes: ['individual', 'unit'] as ItemScope[] },
      ],
      fireAtHour: hour,
      topLevelRepeatEveryWorkingDays: 1,
    };
  });
const scopeArb = fc.constantFrom<ItemScope>('individual', 'unit', 'head');

describe('escalation ladder: properties', () => {
  it('property "no escalation happens before the grace day has passed"', () => {
    fc.assert(
      fc.property(profileArb, localDateArb, scopeArb, settingsArb, (p, due, scope, s) => {
        const l = escalationLadder(p, due, { scope }, s);
        const graceEnds = endOfVnDay(workingCalendar(p).addWorkingDays(l.dueDate, s.graceDays));
        return l.rungs
          .filter((r) => r.action === 'escalate')
          .every((r) => r.offset > s.graceDays && r.at >= graceEnds);
      }),
    );
  });

  it('property "escalation levels come in order, and rungs in time order"', () => {
    fc.assert(
      fc.property(profileArb, localDateArb, scopeArb, settingsArb, (p, due, scope, s) => {
        const l = escalationLadder(p, due, { scope }, s);
        const ranks = l.rungs
          .filter((r) => r.action === 'escalate')
          .map((r) => ESCALATION_RANK[r.recipientRole]);
        const inOrder = ranks.every((r, i) => i === 0 || r > ranks[i - 1]!);
        const timed = l.rungs.every((r, i) => i === 0 || r.at >= l.rungs[i - 1]!.at);
        return inOrder && timed && l.rungs.every((r) => workingCalendar(p).isWorkingDay(r.date));
      }),
    );
  });

  it('property "an individual\'s item never reaches the secretariat; a head\'s never goes to a unit head"', () => {
    fc.assert(
      fc.property(profileArb, localDateArb, settingsArb, (p, due, s) => {
        const ind = escalationLadder(p, due, { scope: 'individual' }, s);
        const head = escalationLadder(p, due, { scope: 'head' }, s);
        return (
          ind.rungs.every((r) => ESCALATION_RANK[r.recipientRole] < ESCALATION_RANK['heads-manager']) &&
          head.rungs.every((r) => r.recipientRole !== 'unit-head' && r.recipientRole !== 'supervisor')
        );
      }),
    );
  });

  it('property "overdue reminders stop after the last configured offset (except at the top level)"', () => {
    fc.assert(
      fc.property(profileArb, localDateArb, scopeArb, settingsArb, (p, due, scope, s) => {
        const l = escalationLadder(p, due, { scope }, s);
        const last = Math.max(0, ...s.overdueReminderOffsets);
        return (
          l.repeat === undefined &&
          l.rungs.filter((r) => r.action === 'overdue-remind').every((r) => r.offset <= last)
        );
      }),
    );
  });
});
