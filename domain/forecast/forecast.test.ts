import { describe, expect, it } from 'vitest';
import type { KeyResult } from '../plan/model.ts';
import { forecastKeyResult, remainingReportingMonths, unreportedMonths } from './forecast.ts';
import { studentTCdf, studentTQuantile } from './stats.ts';

const kr = (over: Partial<KeyResult>): KeyResult => ({
  id: 'kr-1',
  title: 't',
  type: 'KPI',
  breakthrough: false,
  unit: '',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...over,
});
const monthly = (values: (string | null)[], year = 2026) =>
  values.map((value, i) => ({ period: `${year}-${String(i + 1).padStart(2, '0')}`, value, done: null }));

describe('Student t', () => {
  it('matches tabulated quantiles', () => {
    expect(studentTQuantile(0.9, 1)).toBeCloseTo(3.0777, 3);
    expect(studentTQuantile(0.9, 5)).toBeCloseTo(1.4759, 3);
    expect(studentTQuantile(0.1, 30)).toBeCloseTo(-1.3104, 3);
    expect(studentTCdf(0, 4)).toBeCloseTo(0.5, 10);
    expect(studentTCdf(2.015, 5)).toBeCloseTo(0.95, 3);
  });
});

describe('forecastKeyResult', () => {
  it('needs three verified values', () => {
    expect(
      forecastKeyResult({ keyResult: kr({}), values: monthly(['10', '10']), through: '2026-02' }),
    ).toEqual({
      kind: 'none',
      through: '2026-02',
      reason: 'too-few-values',
    });
  });

  it('a key result without a usable target is not projected', () => {
    for (const target of ['', 'abc'])
      expect(
        forecastKeyResult({
          keyResult: kr({ target }),
          values: monthly(['1', '2', '3']),
          through: '2026-03',
        }),
      ).toMatchObject({ kind: 'none', reason: 'no-target' });
  });

  it('a sum on pace for its target is not warned; one far behind is', () => {
    const onPace = forecastKeyResult({
      keyResult: kr({}),
      values: monthly(['10', '11', '9', '10', '10', '11']),
      through: '2026-06',
    });
    expect(onPace.kind).toBe('projection');
    if (onPace.kind !== 'projection') return;
    expect(Number(onPace.low)).toBeLessThan(120);
    expect(Number(onPace.high)).toBeGreaterThan(120);
    // 61 so far and a slight upward trend: ≈ 10.6 a month for 6 more months.
    expect(Number(onPace.projected)).toBeCloseTo(125.09, 2);
    expect(onPace.warning).toBe(false);
    const behind = forecastKeyResult({
      keyResult: kr({}),
      values: monthly(['6', '7', '6', '5', '6', '6']),
      through: '2026-06',
    });
    expect(behind.kind === 'projection' && behind.warning).toBe(true);
    expect(behind.kind === 'projection' && Number(behind.pMiss)).toBeGreaterThanOrEqual(0.8);
    expect(behind.kind === 'projection' && Number(behind.high)).toBeLessThan(120);
  });

  it('ignores values after the forecast month and of other years', () => {
    const values = [...monthly(['10', '10', '10', '10', '0', '0']), ...monthly(['99', '99', '99'], 2025)];
    const f = forecastKeyResult({ keyResult: kr({}), values, through: '2026-04' });
    expect(f.kind === 'projection' && f.observations).toBe(4);
    expect(f.kind === 'projection' && Number(f.projected)).toBeCloseTo(120, 0);
  });

  it('lower is better: a count running above its ceiling is warned', () => {
    const f = forecastKeyResult({
      keyResult: kr({ direction: { kind: 'lower' }, target: '60' }),
      values: monthly(['8', '7', '9', '8', '8']),
      through: '2026-05',
    });
    expect(f.kind === 'projection' && f.warning).toBe(true);
    const ok = forecastKeyResult({
      keyResult: kr({ direction: { kind: 'lower' }, target: '60' }),
      values: monthly(['3', '4', '3', '2', '3']),
      through: '2026-05',
    });
    expect(ok.kind === 'projection' && ok.warning).toBe(false);
  });

  it('last: a year-to-date figure is projected from its increments', () => {
    const f = forecastKeyResult({
      keyResult: kr({ aggregation: 'last', target: '1200' }),
      values: monthly(['100', '200', '300', '400', '500', '600']),
      through: '2026-06',
    });
    expect(f.kind === 'projection' && f.method).toBe('drift');
    expect(f.kind === 'projection' && Number(f.projected)).toBeCloseTo(1200, 6);
  });

  it('average and quarterly cadence: the remaining quarters only', () => {
    expect(remainingReportingMonths('quarter', 6)).toEqual([9, 12]);
    expect(remainingReportingMonths('year', 9)).toEqual([12]);
    expect(remainingReportingMonths('month', 9)).toEqual([10, 11, 12]);
    // A month not verified yet still has a value to come (not zero); `last` only looks ahead of its latest value.
    expect(unreportedMonths('sum', 'month', [1, 2, 3, 5])).toEqual([4, 6, 7, 8, 9, 10, 11, 12]);
    expect(unreportedMonths('last', 'month', [1, 2, 3, 5])).toEqual([6, 7, 8, 9, 10, 11, 12]);
    const f = forecastKeyResult({
      keyResult: kr({ aggregation: 'average', cadence: 'quarter', target: '95' }),
      values: [
        { period: '2026-03', value: '90', done: null },
        { period: '2026-06', value: '90.5', done: null },
        { period: '2026-09', value: '90', done: null },
      ],
      through: '2026-09',
    });
    expect(f.kind === 'projection' && f.observations).toBe(3);
    expect(f.kind === 'projection' && f.warning).toBe(true);
  });

  it('min and max are simulated deterministically', () => {
    const input = {
      keyResult: kr({ aggregation: 'min' as const, target: '85' }),
      values: monthly(['92', '91', '93', '92', '90']),
      through: '2026-05',
    };
    const a = forecastKeyResult(input);
    expect(a).toEqual(forecastKeyResult(input));
    expect(a.kind === 'projection' && a.method).toBe('trend-simulated');
    expect(a.kind === 'projection' && Number(a.high)).toBeLessThanOrEqual(90);
    expect(a.kind === 'projection' && a.warning).toBe(false);
  });

  it('range: the probability of ending outside the range', () => {
    const f = forecastKeyResult({
      keyResult: kr({
        direction: { kind: 'range', lo: '40', hi: '60', tolerance: '10' },
        aggregation: 'average',
      }),
      values: monthly(['80', '82', '81', '80']),
      through: '2026-04',
    });
    expect(f.kind === 'projection' && f.target).toBe('40–60');
    expect(f.kind === 'projection' && f.warning).toBe(true);
  });

  it('milestones: missed only once the due date has passed undone', () => {
    const m = kr({ direction: { kind: 'milestone', dueDate: '2026-06-30' }, aggregation: 'allDone' });
    const undone = [{ period: '2026-05', value: null, done: false }];
    expect(forecastKeyResult({ keyResult: m, values: undone, through: '2026-05' })).toMatchObject({
      kind: 'milestone',
      warning: false,
    });
    expect(forecastKeyResult({ keyResult: m, values: undone, through: '2026-06' })).toMatchObject({
      kind: 'milestone',
      done: false,
      warning: true,
    });
    const done = [{ period: '2026-06', value: null, done: true }];
    expect(forecastKeyResult({ keyResult: m, values: done, through: '2026-07' })).toMatchObject({
      done: true,
      warning: false,
    });
  });

  it('zero tolerance: any occurrence is a miss', () => {
    const z = kr({ direction: { kind: 'zeroTolerance' } });
    expect(
      forecastKeyResult({ keyResult: z, values: monthly(['0', '0']), through: '2026-02' }),
    ).toMatchObject({
      warning: false,
    });
    expect(
      forecastKeyResult({ keyResult: z, values: monthly(['0', '1']), through: '2026-02' }),
    ).toMatchObject({
      occurrences: '1',
      warning: true,
    });
  });

  it('a key result with nothing left to report is known exactly', () => {
    const f = forecastKeyResult({
      keyResult: kr({}),
      values: monthly(['10', '10', '10', '10', '10', '10', '10', '10', '10', '10', '10', '9']),
      through: '2026-12',
    });
    expect(f).toMatchObject({ kind: 'projection', method: 'final', projected: '119.00', pMiss: '1.00' });
  });
});

describe('forecast is pure', () => {
  it('has no I/O, clock or randomness', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    for (const f of readdirSync(import.meta.dirname).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    ))
      expect(readFileSync(`${import.meta.dirname}/${f}`, 'utf8'), f).not.toMatch(
        /from 'node:|require\(|process\.env|Date\.now|new Date\(|Math\.random/,
      );
  });
});
