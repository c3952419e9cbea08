// The rungs of a unit head's own item (PATCH_HEAD_ITEMS_ESCALATE_UP, item.scope 'head'): pure, on the test
// profile; the dev-server behaviour is in annual-plan-head-items.test.ts.
import { describe, expect, it } from 'vitest';
import { ESCALATION_RANK } from '../domain/calendar/ladder.ts';
import { TEST_PROFILE } from '../test/support/annual-plan.ts';
import type { OpenItem } from './annual-plan.messages.ts';
import { type LadderContext, type PlanRung, rungAt } from './annual-plan-ladder.ts';

const item = (over: Partial<OpenItem> = {}): OpenItem => ({
  taskId: 't',
  step: 'decompose',
  kind: 'decompose',
  party: { personId: 'head' },
  partyRole: 'unit-head',
  dueDate: '2027-01-11', // a Monday
  dueAt: 0,
  topLevel: false,
  fired: 0,
  escalation: 0,
  ...over,
});
const ctx = (over: Partial<LadderContext> = {}): LadderContext => ({
  profile: TEST_PROFILE,
  approveDate: '2026-12-25',
  scope: 'unit',
  ...over,
});
const all = (i: OpenItem, c: LadderContext): PlanRung[] => {
  const out: PlanRung[] = [];
  for (let k = 0; k < 40; k++) {
    const r = rungAt(i, c, k);
    if (!r) break;
    out.push(r);
  }
  return out;
};
const show = (rs: PlanRung[]) =>
  rs.map((r) => `D${r.offset >= 0 ? '+' : ''}${r.offset} ${r.action} ${r.recipientRole}`);

describe('the ladder of a unit head’s own item', () => {
  it('before the patch (no item scope): the plan’s unit scope escalates to the supervisor and to the head', () => {
    const esc = all(item(), ctx()).filter((r) => r.action === 'escalate');
    expect(esc.map((r) => r.recipientRole)).toEqual(['supervisor', 'unit-head', 'secretariat']);
  });

  it('head scope, no heads’ manager of its own: reminders to the head, one escalation to the secretariat at D+6', () => {
    expect(show(all(item({ scope: 'head' }), ctx()))).toEqual([
      'D-3 remind assignee',
      'D-1 remind assignee',
      'D+0 remind assignee',
      'D+1 overdue-remind assignee',
      'D+2 overdue-remind assignee',
      'D+3 overdue-remind assignee',
      'D+6 escalate secretariat',
    ]);
    const six = all(item({ scope: 'head' }), ctx()).at(-1)!;
    expect(six.date).toBe('2027-01-19');
  });

  it('the same for an individual-scoped plan (a child plan) and for a top-level decide by the head', () => {
    const decide = item({ kind: 'decide', step: 'decide:1', topLevel: true, scope: 'head' });
    for (const c of [ctx({ scope: 'individual' }), ctx({ scope: 'unit' })]) {
      const rs = all(decide, c);
      expect(rs.filter((r) => r.action === 'escalate').map((r) => `${r.offset}:${r.recipientRole}`)).toEqual([
        '6:secretariat',
      ]);
      expect(rs.some((r) => r.action === 'record-miss')).toBe(false);
      expect(rs.length).toBe(7); // no repeated top-level reminders after the ladder
    }
  });

  it('with a heads’ manager of its own: the head-scope ladder (heads’ manager at D+2, secretariat at D+6)', () => {
    const rs = all(item({ scope: 'head' }), ctx({ headsManager: true })).filter(
      (r) => r.action === 'escalate',
    );
    expect(rs.map((r) => `${r.offset}:${r.recipientRole}`)).toEqual(['2:heads-manager', '6:secretariat']);
  });

  it('never escalates to the supervisor or to the unit head, and never to a lower level than before', () => {
    for (const c of [ctx(), ctx({ headsManager: true }), ctx({ scope: 'individual' })]) {
      for (const kind of ['decompose', 'period-decide', 'decide', 'amend-decide'] as const) {
        const rs = all(item({ kind, scope: 'head', topLevel: kind.endsWith('decide') }), c);
        const ranks = rs.filter((r) => r.action === 'escalate').map((r) => ESCALATION_RANK[r.recipientRole]);
        expect(ranks.length).toBeGreaterThan(0);
        expect(ranks.every((k) => k > ESCALATION_RANK['unit-head'])).toBe(true);
        expect([...ranks].sort()).toEqual(ranks);
      }
    }
  });

  it('an appraising level naming the head keeps the forward on the grace day (the chain moves on)', () => {
    const rs = all(item({ kind: 'amend-appraise', step: 'amend:1:L0', scope: 'head' }), ctx());
    expect(rs.map((r) => r.action)).toEqual(['remind', 'remind', 'remind', 'forward']);
  });

  it('anyone else’s item keeps today’s ladder', () => {
    const submit = item({ kind: 'period-submit', party: { personId: 'drafter' }, partyRole: 'drafter' });
    expect(
      all(submit, ctx())
        .filter((r) => r.action === 'escalate')
        .map((r) => `${r.offset}:${r.recipientRole}`),
    ).toEqual(['2:supervisor', '4:unit-head', '6:secretariat']);
  });
});
