// Assessment periods and the ND 335 input built from what the check-ins recorded (pure).
import { describe, expect, it } from 'vitest';
import { getRuleSet } from '../rulesets/catalogue.ts';
import { nd335Parameters, scorePeriod } from '../scoring/nd335.ts';
import {
  assessmentInput,
  assessmentPeriodClosedBy,
  isAssessmentPeriod,
  type KeyResultFact,
  lastMonthOf,
  monthsOfAssessmentPeriod,
  STEP_TEXT,
  waivableItems,
} from './period.ts';

const kr = (month: string, id: string, o: Partial<KeyResultFact> = {}): KeyResultFact => ({
  month,
  planId: 'p',
  keyResultId: id,
  title: id,
  delivered: true,
  majorErrorReturns: [],
  ...o,
});
const params = nd335Parameters(getRuleSet('ND335-2025'));

describe('assessment periods', () => {
  it('covers a month or a quarter', () => {
    expect(isAssessmentPeriod('2026-03')).toBe(true);
    expect(isAssessmentPeriod('2026-Q2')).toBe(true);
    expect(isAssessmentPeriod('2026-13')).toBe(false);
    expect(monthsOfAssessmentPeriod('2026-Q2')).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(lastMonthOf('2026-Q4')).toBe('2026-12');
    expect(lastMonthOf('2026-07')).toBe('2026-07');
  });

  it('a month closes its own period, or the quarter in its last month', () => {
    expect(assessmentPeriodClosedBy('2026-05', 'month')).toBe('2026-05');
    expect(assessmentPeriodClosedBy('2026-05', 'quarter')).toBeUndefined();
    expect(assessmentPeriodClosedBy('2026-06', 'quarter')).toBe('2026-Q2');
  });
});

describe('the engine input', () => {
  const months = [
    { month: '2026-04', late: true, dueDate: '2026-05-05', submittedOn: '2026-05-07' },
    { month: '2026-05', late: false },
  ];
  const krs = [
    kr('2026-04', 'a'),
    kr('2026-04', 'b', { majorErrorReturns: ['2026-05-08'] }),
    kr('2026-05', 'a', { delivered: false }),
  ];
  const base = { personId: 'me', period: '2026-Q2', months, keyResults: krs, generalCriteria: {} };

  it('lists the late months and the major-error returns a waiver may name', () => {
    const items = waivableItems(months, krs, [
      {
        id: 'w1',
        kind: 'late',
        ref: '2026-04',
        objectiveCause: 'x',
        evidence: ['e'],
        recordedBy: 'boss',
        recordedOn: '2026-06-01',
      },
    ]);
    expect(items.map((i) => [i.kind, i.ref, i.waiverId ?? null])).toEqual([
      ['late', '2026-04', 'w1'],
      ['major-error', '2026-04/p/b#0', null],
    ]);
  });

  it('a waiver with an objective cause and evidence lifts the deduction; a self-approved one does not', () => {
    const plain = scorePeriod(assessmentInput({ ...base, waivers: [] }), params);
    // quantity 2/3; progress: two late products of 1/3 each at 0.75 → 0.5; quality (1 + 0.75)/2 → 0.875
    expect(plain.progress.toString()).toBe('0.5');
    expect(plain.quality.toString()).toBe('0.875');
    const waiver = (by: string) => ({
      id: 'w',
      kind: 'late' as const,
      ref: '2026-04',
      objectiveCause: 'Mất điện',
      evidence: ['e1'],
      recordedBy: by,
      recordedOn: '2026-07-08',
    });
    const waived = scorePeriod(assessmentInput({ ...base, waivers: [waiver('boss')] }), params);
    expect(waived.progress.toFixed(4)).toBe('0.6667');
    expect(waived.taskPoints.gt(plain.taskPoints)).toBe(true);
    const self = scorePeriod(assessmentInput({ ...base, waivers: [waiver('me')] }), params);
    expect(self.progress.toString()).toBe('0.5');
    expect(self.explanation.notes.map((n) => n.key)).toContain('nd335.waiverInvalid');
  });

  it('explains every step the engine takes in Vietnamese and English', () => {
    const s = scorePeriod(assessmentInput({ ...base, waivers: [] }), params);
    for (const step of s.explanation.steps) {
      expect(STEP_TEXT[step.key]?.vi, step.key).toBeTruthy();
      expect(STEP_TEXT[step.key]?.en, step.key).toBeTruthy();
    }
  });
});
