// Acting on behalf of another person (DESIGN §3 delegation; issue 5): the policy allows a delegate only with
// an approved delegation in force from the assignee, for a delegable plan action the assignee could take,
// never on the delegate's own item.
import { describe, expect, it } from 'vitest';
import { authorize, authorizeOnBehalf, type Resource, type Subject } from './policy.ts';

const P = 'p';
const A = 'a';
const D = 'a.d';
const who = (personId: string, role: Subject['grants'][number]['role'], scope: string): Subject => ({
  personId,
  grants: [{ role, scopeUnitId: scope, provinceId: P, topUnitId: scope === P ? undefined : A }],
});
const personalPlan: Resource = { path: [P, A, D], tier: 'internal', subjectPersonId: 'owner' };
const head = who('head', 'unit_head', A);
const deputy = who('deputy', 'supervisor', D);
const active = { active: true, principalId: 'head', delegateId: 'deputy' } as const;

describe('authorizeOnBehalf', () => {
  it('the delegate alone may not decide; with an active delegation from the unit head they may', () => {
    expect(authorize(deputy, 'plan.decide.internal', personalPlan)).toEqual({
      allowed: false,
      reason: 'NO_GRANT',
    });
    expect(authorizeOnBehalf(deputy, head, 'plan.decide.internal', personalPlan, undefined).allowed).toBe(
      false,
    );
    expect(authorizeOnBehalf(deputy, head, 'plan.decide.internal', personalPlan, active)).toEqual({
      allowed: true,
    });
  });

  it('a delegation for someone else, or from someone who could not act, allows nothing', () => {
    const other = { ...active, delegateId: 'someone' };
    expect(authorizeOnBehalf(deputy, head, 'plan.decide.internal', personalPlan, other).allowed).toBe(false);
    const official = who('head', 'official', D);
    expect(authorizeOnBehalf(deputy, official, 'plan.decide.internal', personalPlan, active).allowed).toBe(
      false,
    );
  });

  it('only plan process actions are delegable, and nobody acts on their own item as a delegate', () => {
    expect(
      authorizeOnBehalf(deputy, head, 'org.unit.update', { path: [P, A, D], tier: 'internal' }, active)
        .allowed,
    ).toBe(false);
    const own = { ...personalPlan, subjectPersonId: 'deputy' };
    expect(authorizeOnBehalf(deputy, head, 'plan.decide.internal', own, active)).toEqual({
      allowed: false,
      reason: 'SELF',
    });
  });
});
