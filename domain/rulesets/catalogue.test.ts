import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { getRuleSet, PERSPECTIVE_PRESETS, RULE_SETS } from './catalogue.ts';

describe('rule sets as versioned data', () => {
  it('ships ND335-2025, QD366-2025, ND90-48-legacy and a provincial preset, each id+version unique', () => {
    expect(RULE_SETS.map((r) => r.id)).toEqual([
      'ND335-2025',
      'QD366-2025',
      'ND90-48-legacy',
      'ND335-2025-province-good80',
    ]);
    expect(new Set(RULE_SETS.map((r) => `${r.id}@${r.version}`)).size).toBe(RULE_SETS.length);
    expect(getRuleSet('QD366-2025', 1).id).toBe('QD366-2025');
    expect(() => getRuleSet('ND999')).toThrow(/unknown rule set/);
    expect(() => getRuleSet('ND335-2025', 7)).toThrow(/unknown rule set/);
  });

  it('every rule set is consistent: 70 + 30 points, general sub-criteria within 30, bands descending', () => {
    for (const r of RULE_SETS) {
      expect(new Decimal(r.nd335.taskPointsMax).plus(r.nd335.generalPointsMax).toString()).toBe('100');
      const sub = r.nd335.generalCriteria.reduce((s, c) => s.plus(c.maxPoints), new Decimal(0));
      expect(sub.lte(r.nd335.generalPointsMax)).toBe(true);
      expect(new Decimal(r.bands.excellent.min).gt(r.bands.good.min)).toBe(true);
      expect(new Decimal(r.bands.good.min).gt(r.bands.completed.min)).toBe(true);
      expect(r.legalBasis.length).toBeGreaterThan(0);
      // JSON round trip: plain data, storable and freezable
      expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    }
  });

  it('the gates of RULES.md are where they belong', () => {
    const qd = getRuleSet('QD366-2025');
    expect(qd.gates.map((g) => [g.kind, g.level, g.threshold ?? null])).toEqual([
      ['minOnTimeShare', 'excellent', '1'],
      ['minExceededShare', 'excellent', '0.3'],
      ['noDisciplineInUnit', 'excellent', null],
      ['shortcomingsRemedied', 'excellent', null],
      ['maxLateShare', 'completed', '0.2'],
    ]);
    expect(getRuleSet('ND90-48-legacy').gates.map((g) => g.threshold)).toEqual(['0.5']);
    expect(getRuleSet('ND335-2025-province-good80').bands.good).toEqual({ min: '80', inclusive: false });
    expect(getRuleSet('ND335-2025').quota).toMatchObject({ excellentShareOfGood: '0.2', rounding: 'floor' });
  });

  it('perspective presets: equal by default, seed 001’s 40/30/30 for heads', () => {
    const h = PERSPECTIVE_PRESETS.seed001Heads!;
    expect(
      Object.values(h)
        .reduce((s, w) => s.plus(w), new Decimal(0))
        .toString(),
    ).toBe('100');
    expect(new Decimal(h.budget!).plus(h.processes!).toString()).toBe('40');
  });
});
