// The forecast band on the year-to-date trend (issue 7 point 4): a cone from the year value so far at the month the
// forecast was made after to the projection's 80% band and median at December.
import { describe, expect, it } from 'vitest';
import { forecastBandOf } from './forecast-band.ts';
import type { DashboardKeyResult } from './index.ts';

const kr = (o: Partial<DashboardKeyResult> = {}): DashboardKeyResult => ({
  id: 'k',
  title: 'Hồ sơ số hóa',
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
const projection = {
  through: '2026-08',
  projected: '1250',
  low: '1130',
  high: '1370',
  target: '1200',
  pMiss: '0.28',
  warning: false,
};
const months = [
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
  '2026-09',
];

describe('forecastBandOf', () => {
  it('widens from the year-to-date value at the forecast month to the band at December', () => {
    const byPeriod = new Map(months.slice(0, 8).map((p) => [p, ['100']]));
    const b = forecastBandOf(kr(), byPeriod, projection, months);
    expect(b.anchor).toBe('800');
    expect(b.band.map((x) => x.period)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(b.band[0]).toEqual({ period: '2026-08', low: '800', median: '800', high: '800' });
    expect(b.band[2]).toEqual({ period: '2026-10', low: '965', median: '1025', high: '1085' });
    expect(b.band.at(-1)).toEqual({ period: '2026-12', low: '1130', median: '1250', high: '1370' });
    expect(b.yearToDate.map((x) => x.value)).toEqual([
      '100',
      '200',
      '300',
      '400',
      '500',
      '600',
      '700',
      '800',
    ]);
    expect(b).toMatchObject({ projected: '1250', low: '1130', high: '1370', target: '1200' });
  });

  it('a year-end reading (last value) starts from the latest value; no values: only the December band', () => {
    const last = kr({ aggregation: 'last', unit: '%', target: '95' });
    const byPeriod = new Map([
      ['2026-01', ['10']],
      ['2026-02', ['18.5']],
    ]);
    const p = { ...projection, through: '2026-02', projected: '90', low: '80', high: '100' };
    const b = forecastBandOf(last, byPeriod, p, months.slice(0, 3));
    expect(b.anchor).toBe('18.5');
    expect(b.band).toHaveLength(11);
    expect(b.band[5]).toEqual({ period: '2026-07', low: '49.25', median: '54.25', high: '59.25' });
    expect(forecastBandOf(last, undefined, p, months).band).toEqual([
      { period: '2026-12', low: '80', median: '90', high: '100' },
    ]);
  });
});
