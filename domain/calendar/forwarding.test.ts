import { describe, expect, it } from 'vitest';
import { type ApprovalChain, forwardOnMiss } from './forwarding.ts';
import { VN_2026 } from './profiles/vn-2026.ts';
import { endOfVnDay, vnInstant } from './vn-time.ts';

const verification: ApprovalChain = {
  step: 'check-in-verification',
  levels: [
    { role: 'supervisor', actorId: 'sup-1' },
    { role: 'unit-head', actorId: 'head-1' },
    { role: 'secretariat' },
  ],
};

describe('forwarding when an approver or verifier misses a deadline', () => {
  it('the supervisor misses the January verification (due Tue 10/2/2026): the unit head gets it, due Fri 13/2', () => {
    const r = forwardOnMiss(VN_2026, verification, 0, {
      dueAt: endOfVnDay('2026-02-10'),
      now: vnInstant('2026-02-11', 8),
    });
    expect(r).toEqual({
      kind: 'forwarded',
      miss: {
        step: 'check-in-verification',
        levelIndex: 0,
        role: 'supervisor',
        actorId: 'sup-1',
        dueAt: endOfVnDay('2026-02-10'),
        recordedAt: vnInstant('2026-02-11', 8),
      },
      toLevelIndex: 1,
      to: { role: 'unit-head', actorId: 'head-1' },
      dueDate: '2026-02-13', // Wed 11/2 + 2 working days: Thu 12, Fri 13
      dueAt: endOfVnDay('2026-02-13'),
    });
  });

  it('a miss noticed during Tết counts from the last working day: Fri 13/2 + 2 = Tue 24/2', () => {
    const r = forwardOnMiss(VN_2026, verification, 0, {
      dueAt: endOfVnDay('2026-02-12'),
      now: vnInstant('2026-02-16', 8),
    });
    expect(r.kind === 'forwarded' && r.dueDate).toBe('2026-02-24');
  });

  it('nobody approves their own item: a level the owner holds is skipped', () => {
    const r = forwardOnMiss(VN_2026, verification, 0, {
      ownerId: 'head-1',
      dueAt: endOfVnDay('2026-02-10'),
      now: vnInstant('2026-02-11', 8),
    });
    expect(r.kind === 'forwarded' && r.to.role).toBe('secretariat');
  });

  it('the last level has no level above: the miss is recorded and a reminder comes the next working day', () => {
    const approval: ApprovalChain = {
      step: 'plan-approval',
      levels: [{ role: 'standing-committee', actorId: 'btv' }],
    };
    const r = forwardOnMiss(VN_2026, approval, 0, {
      dueAt: endOfVnDay('2025-12-25'),
      now: vnInstant('2025-12-26', 8),
    });
    expect(r).toMatchObject({
      kind: 'top-level-miss',
      miss: { role: 'standing-committee', actorId: 'btv' },
      remindAgainDate: '2025-12-29',
    });
  });

  it('refuses to record a miss before the deadline has passed', () => {
    expect(() =>
      forwardOnMiss(VN_2026, verification, 0, {
        dueAt: endOfVnDay('2026-02-10'),
        now: endOfVnDay('2026-02-10') - 1,
      }),
    ).toThrow(/not passed/);
  });
});
