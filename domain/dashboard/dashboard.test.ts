// The dashboards' pure aggregation (domain/dashboard): month attainment from verified values by the key result's
// aggregation rule and month target, unit completion (weighted, breakthrough excluded), year to date against the
// annual target, the 4 perspectives, median and quartiles of comparable units, league ranks.
import { describe, expect, it } from 'vitest';
import {
  type DashboardKeyResult,
  formulaInWords,
  indexValues,
  leagueRanks,
  lightOf,
  monthAttainment,
  monthsThrough,
  peerGroupOf,
  peerPosition,
  perspectiveScores,
  quartiles,
  unitMonthCompletion,
  yearToDateOf,
} from './index.ts';

const kr = (id: string, o: Partial<DashboardKeyResult> = {}): DashboardKeyResult => ({
  id,
  title: `KR ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '1200',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  perspective: 'citizens',
  taskTitle: 'Nhiệm vụ',
  ...o,
});

describe('month attainment', () => {
  it('combines the verified values of the month by the rule and divides by the month target', () => {
    const k = kr('a', { periodTargets: { '2027-03': '100' } });
    const m = monthAttainment(k, '2027-03', ['40', '50']);
    expect(m).toMatchObject({
      value: '90',
      target: '100',
      attainment: '0.9',
      formula: 'a / t',
      light: 'amber',
    });
  });
  it('has none without a target for the month, and caps the display at 1.2', () => {
    expect(monthAttainment(kr('a'), '2027-03', ['40'])).toBeUndefined();
    const k = kr('a', { periodTargets: { '2027-03': '10' } });
    expect(monthAttainment(k, '2027-03', ['30'])?.attainment).toBe('1.2');
  });
  it('lower-is-better with a baseline', () => {
    const k = kr('l', { direction: { kind: 'lower' }, baseline: '20', periodTargets: { '2027-01': '10' } });
    expect(monthAttainment(k, '2027-01', ['15'])?.attainment).toBe('0.5');
  });
});

describe('unit completion', () => {
  const krs = [
    kr('a', { weight: '3', periodTargets: { '2027-02': '100' } }),
    kr('b', { weight: '1', periodTargets: { '2027-02': '10' } }),
    kr('x', { breakthrough: true, periodTargets: { '2027-02': '10' } }),
  ];
  it('is the weighted mean of min(P, 1), breakthrough excluded', () => {
    const byKr = indexValues([
      { keyResultId: 'a', period: '2027-02', values: ['50'] },
      { keyResultId: 'b', period: '2027-02', values: ['20'] }, // P 1.2 counts as 1
      { keyResultId: 'x', period: '2027-02', values: ['0'] },
    ]);
    // (3 × 0.5 + 1 × 1) / 4 = 0.625
    expect(unitMonthCompletion(krs, byKr, '2027-02')?.toFixed()).toBe('0.625');
  });
  it('is undefined in a month with no verified value', () => {
    expect(unitMonthCompletion(krs, indexValues([]), '2027-02')).toBeUndefined();
  });
});

describe('year to date and perspectives', () => {
  it('sums the months against the annual target', () => {
    const k = kr('a', { target: '100' });
    const by = indexValues([
      { keyResultId: 'a', period: '2027-01', values: ['20'] },
      { keyResultId: 'a', period: '2027-02', values: ['30'] },
      { keyResultId: 'a', period: '2027-04', values: ['99'] },
    ]).get('a');
    expect(yearToDateOf(k, by, '2027-03')).toEqual({
      value: '50',
      target: '100',
      progress: '0.5',
      light: 'red',
    });
  });
  it('scores each of the 4 perspectives, null where nothing is measured', () => {
    const s = perspectiveScores([
      { perspective: 'citizens', weight: '1', progress: '0.5', breakthrough: false },
      { perspective: 'citizens', weight: '1', progress: '1.2', breakthrough: false },
      { perspective: 'budget', weight: '1', progress: '0.2', breakthrough: true },
      { perspective: 'learning', weight: '2', progress: '0.8', breakthrough: false },
    ]);
    expect(s).toEqual([
      { perspective: 'citizens', score: '0.75' },
      { perspective: 'budget', score: null },
      { perspective: 'processes', score: null },
      { perspective: 'learning', score: '0.8' },
    ]);
  });
});

describe('comparable units', () => {
  it('median and quartiles by linear interpolation', () => {
    expect(quartiles(['0.2', '0.4', '0.6', '0.8', '1'])).toEqual({
      n: 5,
      q1: '0.4',
      median: '0.6',
      q3: '0.8',
    });
    expect(quartiles(['1', '0'])).toEqual({ n: 2, q1: '0.25', median: '0.5', q3: '0.75' });
    expect(quartiles([])).toBeUndefined();
  });
  it('places a unit among its peers', () => {
    const q = { n: 5, q1: '0.4', median: '0.6', q3: '0.8' };
    expect(['0.9', '0.7', '0.5', '0.1'].map((v) => peerPosition(v, q))).toEqual([
      'top',
      'upper',
      'lower',
      'bottom',
    ]);
  });
  it('groups wards with communes, agencies with agencies', () => {
    expect(peerGroupOf('ward')).toBe('commune');
    expect(peerGroupOf('commune')).toBe('commune');
    expect(peerGroupOf('agency')).toBe('agency');
  });
  it('ranks by completion, ties share a rank, none ranks null', () => {
    const r = leagueRanks([
      { id: 'a', completion: '0.5' },
      { id: 'b', completion: '0.9' },
      { id: 'c', completion: null },
      { id: 'd', completion: '0.5' },
    ]);
    expect(Object.fromEntries(r)).toEqual({ b: 1, a: 2, d: 2, c: null });
  });
});

describe('helpers', () => {
  it('traffic lights and months', () => {
    expect([lightOf('1'), lightOf('0.7'), lightOf('0.69')]).toEqual(['green', 'amber', 'red']);
    expect(monthsThrough(2027, 3)).toEqual(['2027-01', '2027-02', '2027-03']);
  });
  it('says the formula in words in both languages', () => {
    const f = formulaInWords({ direction: { kind: 'lower' }, baseline: '10' });
    expect(f.vi).toContain('giá trị nền');
    expect(f.en).toContain('baseline');
  });
});
