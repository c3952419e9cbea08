// The pure parts of workflows/human-steps.ts: the rung shapes an item climbs (from domain/calendar's individual
// ladder) and the acting checks of the Update validators. The machine itself (items, effects, the main loop)
// runs inside the check-in and period-assessment workflows and is tested there and by the replay fixtures.
import { describe, expect, it } from 'vitest';
import { vnInstant } from '../domain/calendar/vn-time.ts';
import { TEST_PROFILE } from '../test/support/annual-plan.ts';
import { checkActing, individualRungs, principal } from './human-steps.ts';

// check-in.2027-03 of the test calendar: due Monday 5/4/2027.
const DUE = '2027-04-05';
const shape = (rs: ReturnType<typeof individualRungs>) =>
  rs.map((r) => `${r.index}:${r.offset}:${r.action}:${r.recipientRole}`);

describe('individualRungs', () => {
  it('ladder: reminders, overdue reminders and the escalations inside the unit (never the secretariat)', () => {
    expect(shape(individualRungs(TEST_PROFILE, DUE, undefined, 'ladder'))).toEqual([
      '0:-3:remind:assignee',
      '1:-1:remind:assignee',
      '2:0:remind:assignee',
      '3:1:overdue-remind:assignee',
      '4:2:overdue-remind:assignee',
      '5:2:escalate:supervisor',
      '6:3:overdue-remind:assignee',
      '7:4:escalate:unit-head',
    ]);
  });

  it('reminders: the reminders and overdue reminders only', () => {
    expect(shape(individualRungs(TEST_PROFILE, DUE, undefined, 'reminders'))).toEqual([
      '0:-3:remind:assignee',
      '1:-1:remind:assignee',
      '2:0:remind:assignee',
      '3:1:overdue-remind:assignee',
      '4:2:overdue-remind:assignee',
      '5:3:overdue-remind:assignee',
    ]);
  });

  it('forward: the reminders, then the forward to the unit head on the grace day at the firing hour', () => {
    const rungs = individualRungs(TEST_PROFILE, DUE, undefined, 'forward');
    expect(shape(rungs)).toEqual([
      '0:-3:remind:assignee',
      '1:-1:remind:assignee',
      '2:0:remind:assignee',
      '3:1:forward:unit-head',
    ]);
    const grace = individualRungs(TEST_PROFILE, DUE, undefined, 'ladder').find((r) => r.offset === 1)!;
    const forward = rungs[3]!;
    expect(forward.date).toBe(grace.date);
    expect(forward.at).toBe(vnInstant(grace.date, 8));
    expect(forward.at).toBeGreaterThan(rungs[2]!.at);
  });
});

describe('acting', () => {
  it('the principal is the assignee a delegate acts for, else the actor', () => {
    expect(principal({ by: 'delegate', onBehalfOf: 'boss' })).toBe('boss');
    expect(principal({ by: 'boss' })).toBe('boss');
  });

  it('rejects a missing actor or an empty onBehalfOf, in Vietnamese', () => {
    expect(() => checkActing(undefined)).toThrow('Thiếu người thực hiện (by)');
    expect(() => checkActing({ by: ' ' })).toThrow('Thiếu người thực hiện (by)');
    expect(() => checkActing({ by: 'a', onBehalfOf: '' })).toThrow(
      'Người được ủy quyền không hợp lệ (onBehalfOf)',
    );
    expect(() => checkActing({ by: 'a', onBehalfOf: 'b' })).not.toThrow();
  });
});
