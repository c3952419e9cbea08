import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../rulesets/catalogue.ts';
import type { RankLevel } from '../rulesets/types.ts';
import { qd377Flag, quotaFlags, twoYearsNotCompletedFlag } from './flags.ts';
import { checkQuota, type QuotaException, type RankedEntry } from './quota.ts';

const ND335 = getRuleSet('ND335-2025');

function people(
  agencyId: string,
  dutyGroup: string,
  counts: Partial<Record<RankLevel, number>>,
): RankedEntry[] {
  return Object.entries(counts).flatMap(([level, n]) =>
    Array.from({ length: n ?? 0 }, (_, i) => ({
      subjectId: `${agencyId}-${dutyGroup}-${level}-${i}`,
      agencyId,
      dutyGroup,
      level: level as RankLevel,
    })),
  );
}

const exception: QuotaException = {
  agencyId: 'snv',
  dutyGroup: 'cv',
  extraPlaces: 1,
  justification: 'Hai sáng kiến cấp tỉnh được công nhận',
  approvedBy: 'chu-tich-ubnd-tinh',
  approvalDecision: '88/QĐ-UBND',
  approvedOn: '2026-12-10',
};

describe('quota: Xuất sắc ≤ 20% of the number ranked Tốt, per agency and duty group', () => {
  it('11 Tốt → at most ⌊0.2 × 11⌋ = ⌊2.2⌋ = 2 Xuất sắc; a third is over by 1 and blocks publication', () => {
    const ok = checkQuota(people('snv', 'cv', { good: 11, excellent: 2, completed: 3 }), ND335.quota);
    expect(ok.groups[0]).toMatchObject({ good: 11, excellent: 2, allowed: 2, over: 0 });
    expect(ok.publicationBlocked).toBe(false);

    const over = checkQuota(people('snv', 'cv', { good: 11, excellent: 3 }), ND335.quota);
    expect(over.groups[0]).toMatchObject({ allowed: 2, over: 1 });
    expect(over.publicationBlocked).toBe(true);
    expect(over.warnings[0]!.en).toBe(
      'Over the Excellent-completion quota by 1 in snv/cv (at most 2 for 11 Good)',
    );
    expect(over.warnings[0]!.vi).toContain('Vượt tỷ lệ Xuất sắc 1 người');
    expect(quotaFlags(over).map((f) => f.kind)).toEqual(['quotaBreach']);
  });

  it('floor rounding: 4 Tốt → ⌊0.8⌋ = 0; 10 Tốt → 2', () => {
    expect(checkQuota(people('snv', 'cv', { good: 4, excellent: 1 }), ND335.quota).groups[0]).toMatchObject({
      allowed: 0,
      over: 1,
    });
    expect(checkQuota(people('snv', 'cv', { good: 10, excellent: 2 }), ND335.quota).groups[0]).toMatchObject({
      allowed: 2,
      over: 0,
    });
  });

  it('groups are counted separately per agency and duty group', () => {
    const entries = [
      ...people('snv', 'cv', { good: 5, excellent: 1 }),
      ...people('snv', 'lanh-dao', { good: 2, excellent: 1 }),
    ];
    const q = checkQuota(entries, ND335.quota);
    // cv: ⌊1⌋ = 1 → ok; lanh-dao: ⌊0.4⌋ = 0 → over by 1
    expect(q.groups.map((g) => [g.dutyGroup, g.allowed, g.over])).toEqual([
      ['cv', 1, 0],
      ['lanh-dao', 0, 1],
    ]);
  });

  it('the exception path: justified and approved, capped by the parameter', () => {
    const entries = people('snv', 'cv', { good: 11, excellent: 3 });
    expect(checkQuota(entries, ND335.quota, [exception]).publicationBlocked).toBe(false);
    // unapproved → not applied, warned, still blocked
    const unapproved = checkQuota(entries, ND335.quota, [{ ...exception, approvedBy: '' }]);
    expect(unapproved.publicationBlocked).toBe(true);
    expect(unapproved.warnings.map((w) => w.key)).toEqual(['quota.exceptionInvalid', 'quota.over']);
    // the reason is a code in the parameters, in words in each language
    expect(unapproved.warnings[0]!.params.reason).toBe('not approved');
    expect(unapproved.warnings[0]!.vi).toBe('Ngoại lệ tỷ lệ tại snv/cv không hợp lệ: chưa được phê duyệt');
    expect(unapproved.warnings[0]!.en).toBe('Quota exception for snv/cv is not valid: not approved');
    // 3 extra places asked, cap 1 → 2 + 1 = 3 allowed; 5 Xuất sắc is over by 2
    const capped = checkQuota(people('snv', 'cv', { good: 11, excellent: 5 }), ND335.quota, [
      { ...exception, extraPlaces: 3 },
    ]);
    expect(capped.groups[0]).toMatchObject({ exceptionPlaces: 1, over: 2 });
  });
});

describe('flags', () => {
  it('QĐ 377: a head whose unit completes < 70% of the year targets', () => {
    const f = qd377Flag({ personId: 'giam-doc', unitCompletion: '0.6999' }, ND335.flags);
    expect(f?.kind).toBe('qd377');
    expect(f?.message.en).toBe('Head giam-doc: unit completed 69.99% of the year targets < 70% (QĐ 377)');
    expect(qd377Flag({ personId: 'giam-doc', unitCompletion: '0.7' }, ND335.flags)).toBeUndefined();
  });

  it('seed 001’s stricter option: below 70% two years running', () => {
    const strict = { ...ND335.flags, headTwoYearsRule: true };
    expect(
      qd377Flag({ personId: 'g', unitCompletion: '0.65', previousYearUnitCompletion: '0.75' }, strict),
    ).toBeUndefined();
    expect(qd377Flag({ personId: 'g', unitCompletion: '0.65' }, strict)).toBeUndefined();
    expect(
      qd377Flag({ personId: 'g', unitCompletion: '0.65', previousYearUnitCompletion: '0.69' }, strict)
        ?.message.key,
    ).toBe('flag.qd377TwoYears');
  });

  it('two consecutive years of Không hoàn thành', () => {
    expect(
      twoYearsNotCompletedFlag('a', [
        { year: 2025, level: 'notCompleted' },
        { year: 2026, level: 'notCompleted' },
      ])?.message.en,
    ).toBe('a: Not completed two consecutive years (2025, 2026)');
    expect(
      twoYearsNotCompletedFlag('a', [
        { year: 2024, level: 'notCompleted' },
        { year: 2025, level: 'completed' },
        { year: 2026, level: 'notCompleted' },
      ]),
    ).toBeUndefined();
  });
});
