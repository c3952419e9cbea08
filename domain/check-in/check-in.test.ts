import { describe, expect, it } from 'vitest';
import type { KeyResult, Plan } from '../plan/model.ts';
import {
  cadenceDueIn,
  dueKeyResults,
  isPeriodOpen,
  lastValueBefore,
  parseValueText,
  periodOpensAt,
  periodTargetOf,
  submitBlockers,
  targetChanges,
  validateEntries,
  yearToDate,
} from './index.ts';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const UNIT = '33333333-3333-4333-8333-333333333333';

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `KR ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

const unitPlan: Plan = {
  id: 'plan:2026:unit:u',
  year: 2026,
  owner: { kind: 'unit', unitId: UNIT },
  tasks: [
    {
      id: 't1',
      title: 'Giải quyết hồ sơ',
      perspective: 'citizens',
      weight: '1',
      keyResults: [
        kr('m', { ownerId: ME, periodTargets: { '2026-03': '10' } }),
        kr('q', { ownerId: ME, cadence: 'quarter', periodTargets: { '2026-Q1': '30' } }),
        kr('y', { ownerId: ME, cadence: 'year', target: '5' }),
        kr('w', { ownerId: ME, cadence: 'week' }),
        kr('someone', { ownerId: OTHER }),
        kr('nobody'),
      ],
    },
  ],
};
const personalPlan: Plan = {
  id: 'plan:2026:person:me',
  year: 2026,
  owner: { kind: 'person', personId: ME },
  tasks: [
    {
      id: 'p1',
      title: 'Việc cá nhân',
      perspective: 'learning',
      weight: '1',
      keyResults: [
        kr('ms', { direction: { kind: 'milestone', dueDate: '2026-06-30' }, aggregation: 'allDone' }),
      ],
    },
  ],
};
const plans = [
  { planId: unitPlan.id, planVersionId: 'v1', content: unitPlan },
  { planId: personalPlan.id, planVersionId: 'v2', content: personalPlan },
];

describe('which key results fall due', () => {
  it('month/week/day every month, quarter at quarter ends, year in December', () => {
    expect(['01', '02', '03', '12'].map((m) => cadenceDueIn('quarter', `2026-${m}`))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(cadenceDueIn('year', '2026-11')).toBe(false);
    expect(cadenceDueIn('year', '2026-12')).toBe(true);
    expect(cadenceDueIn('day', '2026-02')).toBe(true);
  });

  it('lists only my key results of the in-force plans, with the period target', () => {
    const feb = dueKeyResults(ME, plans, '2026-02').map((d) => d.keyResult.id);
    expect(feb).toEqual(['m', 'w', 'ms']);
    const mar = dueKeyResults(ME, plans, '2026-03');
    expect(mar.map((d) => [d.keyResult.id, d.periodTarget])).toEqual([
      ['m', '10'],
      ['q', '30'],
      ['w', undefined],
      ['ms', undefined],
    ]);
    expect(dueKeyResults(ME, plans, '2026-12').map((d) => d.keyResult.id)).toEqual([
      'm',
      'q',
      'y',
      'w',
      'ms',
    ]);
    expect(dueKeyResults(ME, plans, '2027-03')).toEqual([]);
    expect(dueKeyResults(OTHER, plans, '2026-01').map((d) => d.keyResult.id)).toEqual(['someone']);
    expect(periodTargetOf(kr('y', { cadence: 'year', target: '5' }), '2026-12')).toBe('5');
  });

  it('a period opens at 00:00 of its first day in Hà Nội', () => {
    expect(new Date(periodOpensAt('2026-03')).toISOString()).toBe('2026-02-28T17:00:00.000Z');
    expect(isPeriodOpen('2026-03', Date.parse('2026-02-28T16:59:59Z'))).toBe(false);
    expect(isPeriodOpen('2026-03', Date.parse('2026-02-28T17:00:00Z'))).toBe(true);
  });
});

describe('numbers as typed', () => {
  it('reads Vietnamese and English when the locale is certain', () => {
    expect(parseValueText('1.234,5', 'vi', true)).toEqual({ ok: true, value: '1234.5' });
    expect(parseValueText('1.234', 'vi', true)).toEqual({ ok: true, value: '1234' });
    expect(parseValueText('1,234.5', 'en', true)).toEqual({ ok: true, value: '1234.5' });
    const amb = parseValueText('1,234', 'vi', true);
    expect(amb).toMatchObject({ ok: false, code: 'VALUE_AMBIGUOUS', whole: '1234', fraction: '1,2340' });
    expect(parseValueText('12a', 'vi', true)).toMatchObject({ ok: false, code: 'VALUE_INVALID' });
  });

  it('refuses a number that reads differently in the two languages when the locale is a guess', () => {
    expect(parseValueText('1.234', 'vi', false)).toMatchObject({ ok: false, code: 'VALUE_AMBIGUOUS' });
    expect(parseValueText('1,234', 'en', false)).toMatchObject({ ok: false, code: 'VALUE_AMBIGUOUS' });
    // one reading only: accepted
    expect(parseValueText('1,5', 'en', false)).toEqual({ ok: true, value: '1.5' });
    expect(parseValueText('1.234,5', 'en', false)).toEqual({ ok: true, value: '1234.5' });
    expect(parseValueText('42', 'vi', false)).toEqual({ ok: true, value: '42' });
  });
});

describe('validating entries', () => {
  const due = dueKeyResults(ME, plans, '2026-03');
  const ctx = { period: '2026-03', locale: 'vi' as const, localeCertain: true };

  it('accepts a valid save and stores canonical decimals', () => {
    const r = validateEntries(
      due,
      [
        { planId: unitPlan.id, keyResultId: 'm', value: '1.234,5', status: 'on-track', confidence: 80 },
        {
          planId: personalPlan.id,
          keyResultId: 'ms',
          done: true,
          status: 'at-risk',
          evidenceIds: ['e1', 'e1'],
        },
      ],
      ctx,
    );
    expect(r).toEqual({
      ok: true,
      values: [
        {
          planId: unitPlan.id,
          keyResultId: 'm',
          value: '1234.5',
          done: null,
          input: '1.234,5',
          status: 'on-track',
          confidence: 80,
          explanation: null,
          evidenceIds: [],
        },
        {
          planId: personalPlan.id,
          keyResultId: 'ms',
          value: null,
          done: true,
          input: null,
          status: 'at-risk',
          confidence: null,
          explanation: null,
          evidenceIds: ['e1'],
        },
      ],
    });
  });

  it('answers every refusal with a stable code and both languages', () => {
    const r = validateEntries(
      due,
      [
        { planId: unitPlan.id, keyResultId: 'm', value: '', status: 'on-track' },
        { planId: unitPlan.id, keyResultId: 'q', value: '7', status: 'off-track', explanation: '  ' },
        { planId: unitPlan.id, keyResultId: 'w', value: '3', confidence: 101 },
        { planId: unitPlan.id, keyResultId: 'y', value: '3' },
        { planId: unitPlan.id, keyResultId: 'someone', value: '3' },
        { planId: personalPlan.id, keyResultId: 'ms', value: '1' },
      ],
      ctx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.keyResultId, e.code])).toEqual([
      ['m', 'VALUE_REQUIRED'],
      ['q', 'EXPLANATION_REQUIRED'],
      ['w', 'CONFIDENCE_OUT_OF_RANGE'],
      ['y', 'KR_NOT_IN_PERIOD'],
      ['someone', 'KR_NOT_IN_PERIOD'],
      ['ms', 'VALUE_KIND_MISMATCH'],
    ]);
    for (const e of r.errors) {
      expect(e.message.vi).not.toMatch(/\{/);
      expect(e.message.en).not.toMatch(/\{/);
      expect(e.message.vi).not.toBe(e.message.en);
    }
  });

  it('words a value of the wrong kind by what the key result takes, each language whole', () => {
    for (const locale of ['vi', 'en'] as const) {
      const r = validateEntries(
        due,
        [
          { planId: unitPlan.id, keyResultId: 'm', done: true, status: 'on-track' },
          { planId: personalPlan.id, keyResultId: 'ms', value: '1' },
        ],
        { ...ctx, locale },
      );
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors.map((e) => [e.keyResultId, e.code, e.params.expected])).toEqual([
        ['m', 'VALUE_KIND_MISMATCH', 'number'],
        ['ms', 'VALUE_KIND_MISMATCH', 'milestone'],
      ]);
      const [number, milestone] = r.errors;
      // the English sentence carries no Vietnamese words whatever the locale the numbers were typed in
      expect(number!.message.en).toMatch(/takes a number/);
      expect(milestone!.message.en).toMatch(/takes done \/ not done/);
      expect(number!.message.vi).toMatch(/nhận một số/);
      expect(milestone!.message.vi).toMatch(/nhận hoàn thành \/ chưa hoàn thành/);
      for (const e of r.errors) expect(e.message.en).not.toMatch(/một|hoàn thành/);
    }
  });

  it('refuses an ambiguous number and a too-long explanation, and duplicates', () => {
    const r = validateEntries(
      due,
      [
        { planId: unitPlan.id, keyResultId: 'm', value: '1.234' },
        { planId: unitPlan.id, keyResultId: 'q', value: '1', explanation: 'x'.repeat(2001) },
        { planId: unitPlan.id, keyResultId: 'q', value: '1' },
      ],
      { ...ctx, localeCertain: false },
    );
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual([
      'VALUE_AMBIGUOUS',
      'EXPLANATION_TOO_LONG',
      'KR_DUPLICATE',
    ]);
  });

  it('refuses evidence the person may not attach, when the known set is given', () => {
    const entry = { planId: unitPlan.id, keyResultId: 'm', value: '1', evidenceIds: ['e-mine', 'e-other'] };
    const r = validateEntries(due, [entry], { ...ctx, knownEvidenceIds: new Set(['e-mine']) });
    expect(r.ok ? [] : r.errors.map((e) => [e.field, e.code])).toEqual([['evidenceIds', 'EVIDENCE_UNKNOWN']]);
    expect(validateEntries(due, [entry], ctx).ok).toBe(true);
  });

  it('lists what blocks a submission', () => {
    const dueE = dueKeyResults(ME, plans, '2026-02').map((d) =>
      d.keyResult.id === 'w' ? { ...d, keyResult: { ...d.keyResult, evidenceRequired: true } } : d,
    );
    const blockers = submitBlockers(dueE, [
      { planId: unitPlan.id, keyResultId: 'm', value: '1', done: null, status: null, evidenceIds: [] },
      { planId: unitPlan.id, keyResultId: 'w', value: '1', done: null, status: 'on-track', evidenceIds: [] },
    ]);
    expect(blockers.map((b) => [b.keyResultId, b.code])).toEqual([
      ['m', 'STATUS_REQUIRED'],
      ['w', 'EVIDENCE_REQUIRED'],
      ['ms', 'DONE_REQUIRED'],
    ]);
  });
});

describe('year to date', () => {
  const vals = [
    { period: '2026-03', value: '5', done: null },
    { period: '2026-01', value: '10', done: null },
    { period: '2026-02', value: null, done: null },
    { period: '2025-12', value: '100', done: null },
    { period: '2026-04', value: '7', done: null },
  ];
  it('combines the periods of the year through the period by the aggregation rule', () => {
    expect(yearToDate('sum', vals, '2026-03')).toBe('15');
    expect(yearToDate('average', vals, '2026-03')).toBe('7.5');
    expect(yearToDate('last', vals, '2026-03')).toBe('5');
    expect(yearToDate('max', vals, '2026-04')).toBe('10');
    expect(yearToDate('min', vals, '2026-04')).toBe('5');
    expect(yearToDate('sum', vals, '2027-01')).toBeUndefined();
    expect(
      yearToDate(
        'allDone',
        [
          { period: '2026-01', value: null, done: true },
          { period: '2026-02', value: null, done: false },
        ],
        '2026-02',
      ),
    ).toBe('0');
    expect(lastValueBefore(vals, '2026-03')?.period).toBe('2026-01');
    expect(lastValueBefore(vals, '2026-01')).toBeUndefined();
  });
});

describe('target revisions', () => {
  it('lists annual and period target changes of key results in both versions', () => {
    const to: Plan = structuredClone(unitPlan);
    const t = to.tasks[0]!;
    t.keyResults[0] = {
      ...t.keyResults[0]!,
      target: '150',
      periodTargets: { '2026-03': '12', '2026-04': '9' },
    };
    t.keyResults.push(kr('new'));
    expect(targetChanges(unitPlan, to)).toEqual([
      { keyResultId: 'm', period: null, oldTarget: '120', newTarget: '150' },
      { keyResultId: 'm', period: '2026-03', oldTarget: '10', newTarget: '12' },
      { keyResultId: 'm', period: '2026-04', oldTarget: null, newTarget: '9' },
    ]);
    expect(targetChanges(unitPlan, unitPlan)).toEqual([]);
  });
});
