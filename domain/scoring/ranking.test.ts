import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../rulesets/catalogue.ts';
import type { RuleSet } from '../rulesets/types.ts';
import { ScoringError } from './errors.ts';
import { freezeRanking, verifyFrozenRanking } from './freeze.ts';
import { renderMessage } from './messages.ts';
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
      '92.00 points, but only 20% of tasks exceeded < 30%: not Excellent completion',
    );
    expect(r.explanation.gateFailures[0]!.message.vi).toBe(
      '92,00 điểm, nhưng chỉ 20% nhiệm vụ vượt mức < 30%: không đạt Hoàn thành xuất sắc nhiệm vụ',
    );
    // the parameters stay raw: a key, decimal strings with a point and the level code
    expect(r.explanation.gateFailures[0]!.message).toMatchObject({
      key: 'ranking.gate.minExceededShare',
      params: { score: '92.00', value: '20', threshold: '30', level: 'excellent' },
    });
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
    expect(r.explanation.forcedBy[0]!.vi).toBe(
      'Buộc xếp Không hoàn thành nhiệm vụ: kỷ luật (Khiển trách) (số 123/QĐ-SNV, ngày 15/06/2026, Giám đốc Sở Nội vụ)',
    );
    expect(r.explanation.forcedBy[0]!.en).toBe(
      'Ranked Not completed regardless of the score: discipline (Reprimand) (decision 123/QĐ-SNV of 15/06/2026, Giám đốc Sở Nội vụ)',
    );
    expect(r.explanation.forcedBy[0]!.params).toEqual({
      reason: 'discipline',
      form: 'khienTrach',
      decisionNumber: '123/QĐ-SNV',
      date: '2026-06-15',
      issuer: 'Giám đốc Sở Nội vụ',
    });
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
    const forced = rank(subject('96', { leaderOf: 'phong-tai-chinh', conclusions: cases }), ND335);
    expect(forced.level).toBe('notCompleted');
    expect(forced.explanation.forcedBy[0]!.vi).toBe(
      'Buộc xếp Không hoàn thành nhiệm vụ: tham nhũng trong đơn vị trực tiếp quản lý (số 45-KL/UBKTTU, ngày 10/09/2026, Ủy ban Kiểm tra Tỉnh ủy)',
    );
    // the English text is English, without the Vietnamese reason
    expect(forced.explanation.forcedBy[0]!.en).toContain(
      ': corruption in the unit directly managed (decision',
    );
    expect(forced.explanation.forcedBy[0]!.en).not.toMatch(/tham nhũng|Không hoàn thành/);
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

describe('explanation texts in Vietnamese and English', () => {
  it('the band step prints the score the Vietnamese way in vi and the English way in en', () => {
    const r = rank(subject('85.5'), ND335);
    expect(r.explanation.steps[0]).toEqual({
      key: 'ranking.band',
      params: { score: '85.50', level: 'good' },
      vi: '85,50 điểm thuộc khung Hoàn thành tốt nhiệm vụ',
      en: '85.50 points fall in the band Good completion',
    });
  });

  it('a failed gate with a fractional share prints it with a decimal comma in vi', () => {
    const r = rank(subject('94', { taskStats: { total: 3, onTime: 2, late: 1, exceeded: 3 } }), QD366);
    const onTime = r.explanation.gateFailures.find((g) => g.message.key === 'ranking.gate.minOnTimeShare');
    expect(onTime?.message.params).toMatchObject({ value: '66.67', threshold: '100' });
    expect(onTime?.message.vi).toContain('chỉ 66,67% nhiệm vụ đúng hạn < 100%');
    expect(onTime?.message.en).toContain('only 66.67% of tasks on time < 100%');
  });

  it('the Party cap names the state level in each language', () => {
    const party = rankParty(rank(subject('85'), ND335), subject('95'), QD366);
    const cap = party.explanation.steps.at(-1)!;
    expect(cap.params).toEqual({ state: 'good' });
    expect(cap.vi).toBe('Xếp loại Đảng không cao hơn xếp loại chính quyền (Hoàn thành tốt nhiệm vụ)');
    expect(cap.en).toBe('The Party ranking cannot exceed the state ranking (Good completion)');
  });
});

describe('frozen ranking and recomputation', () => {
  it('verification compares keys and raw parameters, not the rendered texts', () => {
    const r = rank(subject('96', { disciplineRecords: [discipline('tran-thi-b')] }), ND335);
    const frozen = freezeRanking(r, ND335, '2026-12-14');
    // texts rendered by an older (or newer) presentation still verify
    const reworded = structuredClone(frozen);
    for (const s of reworded.explanation.steps) {
      s.vi = `(cũ) ${s.vi}`;
      s.en = `(old) ${s.en}`;
    }
    expect(verifyFrozenRanking(reworded)).toBe(true);
    // a changed parameter does not
    const tampered = structuredClone(frozen);
    tampered.explanation.steps[1]!.params.form = 'canhCao';
    expect(verifyFrozenRanking(tampered)).toBe(false);
    // nor does a reordering of the object keys matter (a JSONB round trip sorts them)
    const reordered = structuredClone(frozen);
    reordered.explanation.steps = reordered.explanation.steps.map((s) => ({
      en: s.en,
      vi: s.vi,
      params: Object.fromEntries(Object.entries(s.params).reverse()),
      key: s.key,
    }));
    expect(verifyFrozenRanking(reordered)).toBe(true);
  });

  it('an explanation frozen with the older parameters (Vietnamese labels and phrases) still verifies', () => {
    const forced = rank(
      subject('96', {
        disciplineRecords: [{ ...discipline('tran-thi-b'), form: 'canhCao' }],
        conclusions: [conclusion('degradation', 'tran-thi-b')],
      }),
      ND335,
    );
    const old = freezeRanking(forced, ND335, '2026-12-14');
    old.explanation.steps = [
      {
        key: 'ranking.band',
        params: { score: '96.00', level: 'Hoàn thành xuất sắc nhiệm vụ' },
        vi: '96.00 điểm thuộc khung Hoàn thành xuất sắc nhiệm vụ',
        en: '96.00 points fall in the band Hoàn thành xuất sắc nhiệm vụ',
      },
      {
        key: 'ranking.forced',
        params: {
          reason: 'kỷ luật (canhCao)',
          decisionNumber: '123/QĐ-SNV',
          date: '2026-06-15',
          issuer: 'Giám đốc Sở Nội vụ',
        },
        vi: 'Buộc xếp Không hoàn thành nhiệm vụ: kỷ luật (canhCao) (số 123/QĐ-SNV, ngày 2026-06-15, Giám đốc Sở Nội vụ)',
        en: 'Forced to "Không hoàn thành": kỷ luật (canhCao) (decision 123/QĐ-SNV, 2026-06-15, Giám đốc Sở Nội vụ)',
      },
      {
        key: 'ranking.forced',
        params: {
          reason: 'suy thoái',
          decisionNumber: '45-KL/UBKTTU',
          date: '2026-09-10',
          issuer: 'Ủy ban Kiểm tra Tỉnh ủy',
        },
        vi: 'Buộc xếp Không hoàn thành nhiệm vụ: suy thoái (số 45-KL/UBKTTU, ngày 2026-09-10, Ủy ban Kiểm tra Tỉnh ủy)',
        en: 'Forced to "Không hoàn thành": suy thoái (decision 45-KL/UBKTTU, 2026-09-10, Ủy ban Kiểm tra Tỉnh ủy)',
      },
    ];
    expect(verifyFrozenRanking(old)).toBe(true);
    // the old steps still render from their parameters
    expect(renderMessage(old.explanation.steps[0]!).vi).toBe(
      '96,00 điểm thuộc khung Hoàn thành xuất sắc nhiệm vụ',
    );
    expect(renderMessage(old.explanation.steps[0]!).en).toBe(
      '96.00 points fall in the band Excellent completion',
    );
    // a wrong old phrase does not verify
    old.explanation.steps[1]!.params.reason = 'kỷ luật (khienTrach)';
    expect(verifyFrozenRanking(old)).toBe(false);

    const gated = rank(subject('94', { taskStats: { total: 10, onTime: 9, late: 1, exceeded: 4 } }), QD366);
    const oldGate = freezeRanking(gated, QD366, '2026-12-14');
    expect(oldGate.explanation.steps.map((s) => s.key)).toEqual([
      'ranking.band',
      'ranking.gate.minOnTimeShare',
    ]);
    oldGate.explanation.steps[1] = {
      key: 'ranking.gateFailed',
      params: {
        score: '94.00',
        detail: 'chỉ 90% nhiệm vụ đúng hạn < 100%',
        detailEn: 'only 90% of tasks on time < 100%',
        level: 'Hoàn thành xuất sắc nhiệm vụ',
      },
      vi: '94.00 điểm, nhưng chỉ 90% nhiệm vụ đúng hạn < 100%: không đạt Hoàn thành xuất sắc nhiệm vụ',
      en: '94.00 points, but only 90% of tasks on time < 100%: not Hoàn thành xuất sắc nhiệm vụ',
    };
    expect(verifyFrozenRanking(oldGate)).toBe(true);
    oldGate.explanation.steps[1]!.params.detail = 'chỉ 80% nhiệm vụ đúng hạn < 100%';
    expect(verifyFrozenRanking(oldGate)).toBe(false);
  });

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
