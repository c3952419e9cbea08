// The policy on its own: grants, scope through the tree, the tiered rule, read-only auditors, no self.
import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action, authorize, type Resource, type Subject } from './policy.ts';

const P = 'p';
const A = 'a';
const D = 'a.d';
const Q = 'q';
const who = (role: Subject['grants'][number]['role'], scope: string, province = P): Subject => ({
  personId: 'me',
  grants: [{ role, scopeUnitId: scope, provinceId: province }],
});
const unitA: Resource = { path: [P, A], tier: 'unit' };
const insideA: Resource = { path: [P, A, D], tier: 'internal' };
const province: Resource = { path: [P], tier: 'province' };

describe('authorize', () => {
  it('lets the province manage units but not what is inside them', () => {
    expect(authorize(who('administrator', P), 'org.unit.update', unitA).allowed).toBe(true);
    expect(authorize(who('administrator', P), 'org.unit.update', insideA)).toEqual({
      allowed: false,
      reason: 'TIER',
    });
  });

  it("lets a unit's administrator and head manage inside it, read but not change the unit itself", () => {
    for (const role of ['administrator', 'unit_head'] as const) {
      expect(authorize(who(role, A), 'org.unit.update', insideA).allowed).toBe(true);
      expect(authorize(who(role, A), 'org.unit.update', unitA).allowed).toBe(false);
      expect(authorize(who(role, A), 'org.unit.read', unitA).allowed).toBe(true);
    }
  });

  it('keeps auditors read-only and scoped', () => {
    expect(authorize(who('auditor', A), 'person.read', insideA).allowed).toBe(true);
    expect(authorize(who('auditor', A), 'person.update', insideA)).toEqual({
      allowed: false,
      reason: 'READ_ONLY',
    });
    expect(
      authorize(who('auditor', A), 'audit.read', { path: [P, 'b', 'b.d'], tier: 'internal' }).allowed,
    ).toBe(false);
  });

  it('refuses acting on oneself where the action says so', () => {
    expect(authorize(who('administrator', A), 'role.grant', { ...insideA, subjectPersonId: 'me' })).toEqual({
      allowed: false,
      reason: 'SELF',
    });
    expect(
      authorize(who('administrator', A), 'person.read', { ...insideA, subjectPersonId: 'me' }).allowed,
    ).toBe(true);
  });

  it('never reaches another province', () => {
    for (const action of Object.keys(ACTIONS) as Action[]) {
      expect(authorize(who('administrator', Q, Q), action, province).allowed).toBe(false);
      expect(authorize(who('administrator', Q, Q), action, unitA).allowed).toBe(false);
    }
  });

  it('refuses the anonymous and the grant-less', () => {
    expect(authorize(undefined, 'org.unit.read', unitA).allowed).toBe(false);
    expect(
      authorize({ personId: 'x', grants: [] }, 'role.catalogue.read', { path: [], tier: 'province' }).allowed,
    ).toBe(false);
  });
});
