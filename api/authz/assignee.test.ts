// assigneeMay (issue 5): the open item's assignee may take a process step — the person it is assigned to, or
// a holder of its role at its unit (the workflow's hyphenated level roles match underscored grants) — never
// on their own plan, never for an action outside the plan process; and a delegate acts for such an assignee.
import { describe, expect, it } from 'vitest';
import { assigneeMay, authorizeOnBehalf, itemBindsRole, type Resource, type Subject } from './policy.ts';

const P = 'p0000000-0000-0000-0000-000000000000';
const A = 'a0000000-0000-0000-0000-000000000000';
const plan: Resource = { path: [P, A], tier: 'unit', subjectPersonId: 'drafter' };
const head: Subject = {
  personId: 'head',
  grants: [{ role: 'unit_head', scopeUnitId: A, provinceId: P, topUnitId: A }],
};
const committee: Subject = {
  personId: 'member',
  grants: [{ role: 'standing_committee', scopeUnitId: P, provinceId: P }],
};

describe('assigneeMay', () => {
  it('allows the person the item is assigned to', () => {
    expect(assigneeMay(head, 'plan.appraise', plan, { personId: 'head' }).allowed).toBe(true);
    expect(assigneeMay(committee, 'plan.appraise', plan, { personId: 'head' }).allowed).toBe(false);
  });
  it('allows a holder of the role at the unit, whichever way the role is spelled', () => {
    for (const role of ['unit_head', 'unit-head'])
      expect(assigneeMay(head, 'plan.appraise', plan, { role, unitId: A }).allowed, role).toBe(true);
    for (const role of ['standing-committee', 'standing_committee'])
      expect(assigneeMay(committee, 'plan.decide', plan, { role, unitId: P }).allowed, role).toBe(true);
    // the role at another unit, or another role
    expect(assigneeMay(head, 'plan.appraise', plan, { role: 'unit_head', unitId: P }).allowed).toBe(false);
    expect(assigneeMay(head, 'plan.appraise', plan, { role: 'secretariat', unitId: A }).allowed).toBe(false);
  });
  it('never on their own plan, never outside the process, never without an item', () => {
    const own = { ...plan, subjectPersonId: 'head' };
    expect(assigneeMay(head, 'plan.appraise', own, { personId: 'head' })).toEqual({
      allowed: false,
      reason: 'SELF',
    });
    expect(assigneeMay(head, 'plan.read', plan, { personId: 'head' }).allowed).toBe(false);
    expect(assigneeMay(head, 'role.grant', plan, { personId: 'head' }).allowed).toBe(false);
    expect(assigneeMay(head, 'plan.appraise', plan, undefined).allowed).toBe(false);
  });
  it("lets a delegate act for the assignee (not for a non-assignee), never on the delegate's own plan", () => {
    const delegate: Subject = { personId: 'deputy', grants: [] };
    const d = { active: true as const, principalId: 'head', delegateId: 'deputy' };
    expect(authorizeOnBehalf(delegate, head, 'plan.appraise', plan, d).allowed).toBe(false);
    expect(authorizeOnBehalf(delegate, head, 'plan.appraise', plan, d, { personId: 'head' }).allowed).toBe(
      true,
    );
    expect(authorizeOnBehalf(delegate, head, 'plan.appraise', plan, d, { personId: 'other' }).allowed).toBe(
      false,
    );
    const deputysOwn = { ...plan, subjectPersonId: 'deputy' };
    expect(authorizeOnBehalf(delegate, head, 'plan.appraise', deputysOwn, d, { personId: 'head' })).toEqual({
      allowed: false,
      reason: 'SELF',
    });
  });
  it('a review item assigned to a role binds the step; a person-assigned one is left to the workflow', () => {
    expect(itemBindsRole('plan.appraise', { role: 'unit_head', unitId: A })).toBe(true);
    expect(itemBindsRole('plan.amendment.review', { role: 'secretariat', unitId: P })).toBe(true);
    expect(itemBindsRole('plan.appraise', { personId: 'head' })).toBe(false);
    expect(itemBindsRole('plan.submit', { role: 'unit_head', unitId: A })).toBe(false);
    expect(itemBindsRole('plan.decompose', { role: 'unit_head', unitId: A })).toBe(false);
    expect(itemBindsRole('plan.decide', undefined)).toBe(false);
  });
});
