import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../rulesets/catalogue.ts';
import type { RuleSet } from '../rulesets/types.ts';
import { ScoringError } from './errors.ts';
import { freezeRanking, verifyFrozenRanking } from './freeze.ts';
import { type RankingInput, rank, rankParty, recomputeRanking } from './ranking.ts';
import type { ConclusionRecord, DisciplineRecord } from './records.ts';

const ND335 = getRuleSet('ND335-2025');
const QD366 = getRuleSet('QD366-2025');
const LEGACY = getRuleSet('ND90-48-legacy');
const PROVINCE = getRuleSet('ND335-2025-province-good80');

function subject(score: string, extra: Partial<RankingInput> = {}): RankingInput {
  return {
    subjectId: 'tran-thi-b',
    subjectKind: 'individual',
    agencyId: 'so-noi-vu',
    dutyGroup: 'chuyen-vien',
    year: 2026,
    score,
    taskStats: { total: 10, onTime: 10, late: 0, exceeded: 4 },
    disciplineRecords: [],
    conclusions: [],
    ...extra,
  };
}

const discipline = (subjectId: string, date = '2026-06-15'): DisciplineRecord => ({
  subjectId,
  type: 'state',
  form: 'khienTrach',
  decisionNumber: '123/QĐ-SNV',
  date,
  issuer: 'Giám đốc Sở Nội vụ',
});
const conclusion = (kind: ConclusionRecord['kind'], subjectId: string): ConclusionRecord => ({
  kind,
  subjectId,
  decisionNumber: '45-KL/UBKTTU',
  date: '2026-09-10',
  issuer: 'Ủy ban Kiểm tra Tỉnh ủy',
});

describe('bands (lower bounds inclusive, on the score rounded half-up)', () => {
  it.each([
    ['90', 'excellent'],
    ['89.995', 'excellent'], // rounds to 90.00
    ['89.994', 'good'], // rounds to 89.99
    ['70', 'good'],
    ['69.99', 'completed'],
    ['50', 'completed'],
    ['49.99', 'notCompleted'],
  ])('ND 335: %s → %s', (score, level) => {
    expect(rank(subject(score), ND335).level).toBe(level);
  });

  it('provincial preset: Tốt only above 80', () => {
    expect(rank(subject('80'), PROVINCE).level).toBe('completed');
    expect(rank(subject('80.01'), PROVINCE).level).toBe('good');
    expect(rank(subject('80'), ND335).level).toBe('good');
  });
});

describe('gates', () => {
  it('QĐ 366: 92 points but only 20% of tasks exceeded < 30% → Tốt, and says why', () => {
    const r = rank(subject('92', { taskStats: { total: 10, onTime: 10, late: 0, exceeded: 2 } }), QD366);
    expect(r.level).toBe('good');
    expect(r.explanation.bandLevel).toBe('excellent');
    expect(r.explanation.gateFailures.map((g) => g.gateId)).toEqual(['qd366.exceeded']);
    expect(r.explanation.gateFailures[0]!.message.en).toBe(
      '92.00 points, but only 20% of tasks exceeded < 30%: not Hoàn thành xuất sắc nhiệm vụ',
    );
    expect(r.explanation.gateFailures[0]!.message.vi).toContain('chỉ 20% nhiệm vụ vượt mức < 30%');
    // 3 of 10 exceeded = 30% meets the gate
    expect(
      rank(subject('92', { taskStats: { total: 10, onTime: 10, late: 0, exceeded: 3 } }), QD366).level,
    ).toBe('excellent');
    // ND 335 alone has no such gate
    expect(
      rank(subject('92', { taskStats: { total: 10, onTime: 10, late: 0, exceeded: 2 } }), ND335).level,
    ).toBe('excellent');
  });

  it('QĐ 366: Xuất sắc needs 100% on time', () => {
    const r = rank(subject('95', { taskStats: { total: 10, onTime: 9, late: 1, exceeded: 5 } }), QD366);
    expect(r.level).toBe('good');
    expect(r.explanation.gateFailures[0]!.message.en).toContain('only 90% of tasks on time < 100%');
  });

  it('QĐ 366: no discipline in the unit or its leadership (collective)', () => {
    const unit = subject('95', {
      subjectId: 'so-noi-vu',
      subjectKind: 'collective',
      disciplineRecords: [discipline('pho-giam-doc-c')],
    });
    const r = rank(unit, QD366);
    expect(r.level).toBe('good');
    expect(r.explanation.forcedBy).toEqual([]);
    expect(r.explanation.gateFailures[0]!.gateId).toBe('qd366.noDiscipline');
    // a discipline decision of an earlier year does not count
    expect(
      rank({ ...unit, disciplineRecords: [discipline('pho-giam-doc-c', '2025-11-01')] }, QD366).level,
    ).toBe('excellent');
  });

  it('QĐ 366: earlier shortcomings must be remedied', () => {
    expect(rank(subject('95', { earlierShortcomingsRemedied: false }), QD366).level).toBe('good');
  });

  it('QĐ 366 collectives: Hoàn thành needs ≤ 20% of tasks late', () => {
    // 65 points, 3 of 10 late = 30% > 20% → Không hoàn thành
    const c = (score: string, late: number) =>
      subject(score, {
        subjectId: 'ubnd-xa-x',
        subjectKind: 'collective',
        taskStats: { total: 10, onTime: 10 - late, late, exceeded: 0 },
      });
    const r = rank(c('65', 3), QD366);
    expect(r.level).toBe('notCompleted');
    expect(r.explanation.gateFailures[0]!.message.en).toContain('30% of tasks late > 20%');
    // 2 of 10 = 20% is allowed
    expect(rank(c('65', 2), QD366).level).toBe('completed');
    // the gate guards every level above too: 75 points with 30% late is not Tốt either
    expect(rank(c('75', 3), QD366).level).toBe('notCompleted');
    // it does not apply to individuals
    expect(
      rank(subject('65', { taskStats: { total: 10, onTime: 7, late: 3, exceeded: 0 } }), QD366).level,
    ).toBe('completed');
  });

  it('legacy ND 90/48: Xuất sắc needs ≥ 50% exceeded', () => {
    expect(
      rank(subject('95', { taskStats: { total: 10, onTime: 10, late: 0, exceeded: 4 } }), LEGACY).level,
    ).toBe('good');
    expect(
      rank(subject('95', { taskStats: { total: 10, onTime: 10, late: 0, exceeded: 5 } }), LEGACY).level,
    ).toBe('excellent');
  });
});

describe('forced "Không hoàn thành" from structured records', () => {
  it('a discipline decision in the year', () => {
    const r = rank(subject('96', { disciplineRecords: [discipline('tran-thi-b')] }), ND335);
    expect(r.level).toBe('notCompleted');
    expect(r.explanation.forcedBy[0]!.vi).toContain('123/QĐ-SNV');
    expect(r.explanation.forcedBy[0]!.vi).toContain('Giám đốc Sở Nội vụ');
    // last year's decision does not force this year's rank
    expect(
      rank(subject('96', { disciplineRecords: [discipline('tran-thi-b', '2025-12-20')] }), ND335).level,
    ).toBe('excellent');
  });

  it('a conclusion of degradation, or of a breach of the duty to set an example', () => {
    expect(rank(subject('96', { conclusions: [conclusion('degradation', 'tran-thi-b')] }), ND335).level).toBe(
      'notCompleted',
    );
    expect(
      rank(subject('96', { conclusions: [conclusion('exampleBreach', 'tran-thi-b')] }), QD366).level,
    ).toBe('notCompleted');
    // a conclusion about someone else does not
    expect(
      rank(subject('96', { conclusions: [conclusion('degradation', 'someone-else')] }), ND335).level,
    ).toBe('excellent');
  });

  it('a corruption or waste case in the unit a leader directly manages', () => {
    const cases = [conclusion('corruptionInUnit', 'phong-tai-chinh')];
    expect(rank(subject('96', { leaderOf: 'phong-tai-chinh', conclusions: cases }), ND335).level).toBe(
      'notCompleted',
    );
    expect(
      rank(
        subject('96', {
          leaderOf: 'phong-tai-chinh',
          conclusions: [conclusion('wasteInUnit', 'phong-tai-chinh')],
        }),
        ND335,
      ).level,
    ).toBe('notCompleted');
    // not a leader of that unit → not forced
    expect(rank(subject('96', { conclusions: cases }), ND335).level).toBe('excellent');
    expect(rank(subject('96', { leaderOf: 'phong-khac', conclusions: cases }), ND335).level).toBe(
      'excellent',
    );
  });

  it('records must be complete (never free text)', () => {
    const bad = { ...discipline('tran-thi-b'), decisionNumber: '' };
    expect(() => rank(subject('96', { disciplineRecords: [bad] }), ND335)).toThrow(ScoringError);
    expect(() =>
      rank(
        subject('96', { conclusions: [{ ...conclusion('degradation', 'tran-thi-b'), date: '10/09/2026' }] }),
        ND335,
      ),
    ).toThrow(/date/);
  });
});

describe('state and Party rankings', () => {
  it('the state rank feeds the Party one: the Party rank is never above it', () => {
    const state = rank(subject('85'), ND335); // good
    const party = rankParty(state, subject('95'), QD366);
    expect(party.ownLevel).toBe('excellent');
    expect(party.level).toBe('good');
    expect(party.explanation.steps.at(-1)?.key).toBe('ranking.partyCappedByState');
    expect(recomputeRanking(JSON.parse(JSON.stringify(party.explanation)))).toBe('good');
    // a Party gate can still lower it below the state rank
    const state2 = rank(subject('95'), ND335);
    const party2 = rankParty(
      state2,
      subject('95', { taskStats: { total: 10, onTime: 10, late: 0, exceeded: 1 } }),
      QD366,
    );
    expect([state2.level, party2.level]).toEqual(['excellent', 'good']);
  });
});

describe('frozen ranking and recomputation', () => {
  it('the explanation recomputes the rank; a tampered one does not', () => {
    const r = rank(subject('92', { taskStats: { total: 10, onTime: 10, late: 0, exceeded: 2 } }), QD366);
    expect(recomputeRanking(JSON.parse(JSON.stringify(r.explanation)))).toBe('good');
    const t = structuredClone(r.explanation);
    t.input.taskStats.exceeded = 5;
    expect(() => recomputeRanking(t)).toThrow(ScoringError);
  });

  it('a later change of the rule set never alters a signed ranking', () => {
    const ruleSet: RuleSet = structuredClone(ND335);
    const frozen = freezeRanking(rank(subject('91'), ruleSet), ruleSet, '2026-12-14');
    expect(frozen.ruleSet).toMatchObject({ id: 'ND335-2025', version: 1 });
    expect(frozen.explanation.parameters.bands.excellent.min).toBe('90');
    // the rule set is edited afterwards (a new threshold): the frozen ranking keeps its own snapshot
    ruleSet.bands.excellent.min = '95';
    expect(rank(subject('91'), ruleSet).level).toBe('good');
    expect(verifyFrozenRanking(frozen)).toBe(true);
    expect(frozen.level).toBe('excellent');
    // a frozen ranking whose level was edited fails verification
    expect(verifyFrozenRanking({ ...frozen, level: 'good' })).toBe(false);
    expect(
      verifyFrozenRanking({
        ...frozen,
        explanation: { ...frozen.explanation, input: { ...frozen.explanation.input, score: '88' } },
      }),
    ).toBe(false);
  });
});
