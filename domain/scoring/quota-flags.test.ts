import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../rulesets/catalogue.ts';
import type { RankLevel } from '../rulesets/types.ts';
import { qd377Flag, quotaFlags, twoYearsNotCompletedFlag } from './flags.ts';
import { message, presentMessage } from './messages.ts';
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
      'Over the Excellent-completion quota by 1 in snv, cv (at most 2 for 11 Good)',
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
    expect(unapproved.warnings[0]!.vi).toBe('Ngoại lệ tỷ lệ tại snv, cv không hợp lệ: chưa được phê duyệt');
    expect(unapproved.warnings[0]!.en).toBe('Quota exception for snv, cv is not valid: not approved');
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

describe('a stored message for a reader (presentMessage)', () => {
  it('names units, people and quota groups, in the current wording, keeping key and parameters as stored', () => {
    const stored = checkQuota(people('u-1', 'default', { good: 5, excellent: 2 }), ND335.quota).warnings[0]!;
    expect(stored.vi).toContain('tại u-1, nhóm chung');
    const older = { ...stored, vi: 'an older wording', en: 'an older wording' };
    const shown = presentMessage(older, new Map([['u-1', 'Sở Nội vụ']]));
    expect(shown.vi).toBe('Vượt tỷ lệ Xuất sắc 1 người tại Sở Nội vụ, nhóm chung (tối đa 1 trên 5 Tốt)');
    expect(shown.en).toBe(
      'Over the Excellent-completion quota by 1 in Sở Nội vụ, the general group (at most 1 for 5 Good)',
    );
    expect({ key: shown.key, params: shown.params }).toEqual({ key: stored.key, params: stored.params });
    const head = presentMessage(
      message('flag.qd377', { personId: 'p-9', completion: '65.00', threshold: '70' }),
      new Map([['p-9', 'Nguyễn Văn An']]),
    );
    expect(head.vi).toBe(
      'Người đứng đầu Nguyễn Văn An: đơn vị hoàn thành 65,00% chỉ tiêu năm < 70% (QĐ 377)',
    );
    expect(
      presentMessage(message('flag.quotaBreach', { over: 1, agencyId: 'a', dutyGroup: 'party' })).en,
    ).toBe('Excellent-completion quota exceeded by 1 in a, the Party members');
  });

  it('keeps the stored texts of a key this version does not know, or of parameters its template no longer has', () => {
    const unknown = { key: 'gone.key', params: {}, vi: 'văn bản cũ', en: 'old text' };
    expect(presentMessage(unknown)).toEqual(unknown);
    const lacking = { key: 'quota.over', params: { over: 1 }, vi: 'văn bản cũ', en: 'old text' };
    expect(presentMessage(lacking)).toEqual(lacking);
  });
});
