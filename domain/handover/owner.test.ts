// Who reports a key result in a period once it changes hands (DESIGN §1: transfers and leavers).
import { describe, expect, it } from 'vitest';
import { dueKeyResults } from '../check-in/due.ts';
import type { KeyResult, Plan } from '../plan/model.ts';
import { contentOwner, ownerInPeriod, type Reassignment } from './owner.ts';

const LEAVER = '11111111-1111-4111-8111-111111111111';
const SUCCESSOR = '22222222-2222-4222-8222-222222222222';
const THIRD = '44444444-4444-4444-8444-444444444444';
const UNIT = '33333333-3333-4333-8333-333333333333';

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `KR ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

const personal: Plan = {
  id: 'plan:2026:person:leaver',
  year: 2026,
  owner: { kind: 'person', personId: LEAVER },
  tasks: [{ id: 't', title: 'Việc', perspective: 'citizens', weight: '1', keyResults: [kr('a'), kr('b')] }],
};
const unitPlan: Plan = {
  id: 'plan:2026:unit:u',
  year: 2026,
  owner: { kind: 'unit', unitId: UNIT },
  tasks: [
    {
      id: 't',
      title: 'Việc',
      perspective: 'citizens',
      weight: '1',
      keyResults: [kr('u', { ownerId: LEAVER }), kr('n')],
    },
  ],
};
const r = (keyResultId: string, toPersonId: string, effectivePeriod: string, seq: number): Reassignment => ({
  keyResultId,
  toPersonId,
  effectivePeriod,
  seq,
});

describe('ownerInPeriod', () => {
  it('is the content owner until a reassignment takes effect, then the latest one effective', () => {
    const rs = [r('a', SUCCESSOR, '2026-04', 1), r('a', THIRD, '2026-09', 2)];
    expect(contentOwner(personal, undefined)).toBe(LEAVER);
    expect(ownerInPeriod(personal, 'a', undefined, rs, '2026-03')).toBe(LEAVER);
    expect(ownerInPeriod(personal, 'a', undefined, rs, '2026-04')).toBe(SUCCESSOR);
    expect(ownerInPeriod(personal, 'a', undefined, rs, '2026-08')).toBe(SUCCESSOR);
    expect(ownerInPeriod(personal, 'a', undefined, rs, '2026-09')).toBe(THIRD);
    // another key result of the same plan is untouched
    expect(ownerInPeriod(personal, 'b', undefined, rs, '2026-12')).toBe(LEAVER);
  });

  it('lets a later record for the same period correct an earlier one', () => {
    const rs = [r('u', THIRD, '2026-05', 7), r('u', SUCCESSOR, '2026-05', 9)];
    expect(ownerInPeriod(unitPlan, 'u', LEAVER, rs, '2026-05')).toBe(SUCCESSOR);
    expect(ownerInPeriod(unitPlan, 'u', LEAVER, [...rs].reverse(), '2026-05')).toBe(SUCCESSOR);
  });

  it('gives a unit key result without an owner to nobody until it is assigned', () => {
    expect(ownerInPeriod(unitPlan, 'n', undefined, [], '2026-05')).toBeUndefined();
    expect(ownerInPeriod(unitPlan, 'n', undefined, [r('n', THIRD, '2026-05', 1)], '2026-05')).toBe(THIRD);
  });
});

describe('dueKeyResults after a handover', () => {
  const plans = (rs: Reassignment[]) => [
    {
      planId: unitPlan.id,
      planVersionId: 'v1',
      content: unitPlan,
      reassignments: rs.filter((x) => x.keyResultId === 'u'),
    },
    {
      planId: personal.id,
      planVersionId: 'v2',
      content: personal,
      reassignments: rs.filter((x) => x.keyResultId !== 'u'),
    },
  ];
  const rs = [r('a', SUCCESSOR, '2026-04', 1), r('u', SUCCESSOR, '2026-04', 2)];
  const ids = (person: string, period: string) =>
    dueKeyResults(person, plans(rs), period).map((d) => `${d.planId}/${d.keyResult.id}`);

  it('keeps the leaver reporting the month before the handover and the successor from its period', () => {
    expect(ids(LEAVER, '2026-03')).toEqual([`${unitPlan.id}/u`, `${personal.id}/a`, `${personal.id}/b`]);
    expect(ids(SUCCESSOR, '2026-03')).toEqual([]);
    expect(ids(LEAVER, '2026-04')).toEqual([`${personal.id}/b`]);
    expect(ids(SUCCESSOR, '2026-04')).toEqual([`${unitPlan.id}/u`, `${personal.id}/a`]);
  });
});
