// Synthetic key-result years for the forecast backtest (domain/forecast/backtest.test.ts; the generator is
// described in docs/forecast.md §Backtest). Seeded: the same seed gives the same series. Each family imitates
// a kind of key result of the plan outlines (Appendix 1 and 2): monthly counts summed over the year, year-to-date
// cumulative figures, rates read at year end, averaged rates, counts to keep low, processing days, a worst-month
// floor. Every year starts off somewhere other than planned, has its own trend and noise, a Tết dip in February,
// a year-end push in December in some units, and, in some, a level shift (a reorganisation, a new procedure, a
// staff change) at a random month. The planner sets the target from last year's level and an ambition, without
// knowing how this year will go — so some years end below target and some above.
import type { AggregationRule } from '../plan/model.ts';
import { normalDraw, seededRandom } from './stats.ts';

export interface SyntheticYear {
  family: string;
  aggregation: Exclude<AggregationRule, 'allDone'>;
  direction: 'higher' | 'lower';
  target: number;
  /** The 12 monthly values as reported (month 1 first). */
  values: number[];
}

const FAMILIES = [
  ['count-sum', 25],
  ['cumulative-last', 15],
  ['rate-last', 15],
  ['rate-average', 15],
  ['incidents-sum-lower', 15],
  ['days-average-lower', 10],
  ['rate-min', 5],
] as const;

/** `count` synthetic years from `seed`. */
export function syntheticYears(count: number, seed: number): SyntheticYear[] {
  const random = seededRandom(seed);
  const u = (a: number, b: number) => a + (b - a) * random();
  const z = () => normalDraw(random);
  const total = FAMILIES.reduce((s, [, w]) => s + w, 0);
  const pick = () => {
    let x = random() * total;
    for (const [name, w] of FAMILIES) {
      x -= w;
      if (x < 0) return name;
    }
    return FAMILIES[0][0];
  };
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

  /** Relative monthly factors of a year: trend, Tết dip, December push, an occasional level shift. */
  const shape = (trendSd: number, trendMean: number) => {
    const slope = trendMean + trendSd * z();
    const tet = 1 - u(0, 0.25);
    const december = random() < 0.3 ? 1 + u(0, 0.2) : 1;
    const shiftAt = random() < 0.25 ? Math.floor(u(3, 11)) : 13;
    const shift = 1 + 0.15 * z();
    return Array.from({ length: 12 }, (_, i) => {
      const month = i + 1;
      let f = 1 + slope * i;
      if (month === 2) f *= tet;
      if (month === 12) f *= december;
      if (month >= shiftAt) f *= shift;
      return Math.max(0.05, f);
    });
  };

  const out: SyntheticYear[] = [];
  for (let s = 0; s < count; s++) {
    const family = pick();
    switch (family) {
      case 'count-sum':
      case 'cumulative-last': {
        // Sessions held, dossiers processed, households reached: last year's monthly level, a planned growth.
        const lastYear = u(10, 200);
        const target = Math.round(12 * lastYear * (1 + u(0, 0.15)));
        const level = lastYear * (1 + 0.03 + 0.1 * z());
        const cv = u(0.05, 0.2);
        const f = shape(0.012, 0.002);
        const monthly = f.map((x) => Math.max(0, Math.round(level * x * (1 + cv * z()))));
        const values =
          family === 'count-sum'
            ? monthly
            : monthly.map((_, i) => monthly.slice(0, i + 1).reduce((a, b) => a + b, 0));
        out.push({
          family,
          aggregation: family === 'count-sum' ? 'sum' : 'last',
          direction: 'higher',
          target,
          values,
        });
        break;
      }
      case 'rate-last': {
        // Share of online applications, of households with X (%), read at year end.
        const baseline = u(30, 85);
        const target = round(Math.min(100, baseline + u(3, 15)), 1);
        const planned = (target - baseline) / 12;
        const slope = planned * u(0.4, 1.4);
        const sd = u(0.5, 2.5);
        const shiftAt = random() < 0.2 ? Math.floor(u(3, 11)) : 13;
        const shift = 3 * z();
        const start = baseline + 0.8 * z();
        const values = Array.from({ length: 12 }, (_, i) =>
          round(clip(start + slope * (i + 1) + (i + 1 >= shiftAt ? shift : 0) + sd * z(), 0, 100), 1),
        );
        out.push({ family, aggregation: 'last', direction: 'higher', target, values });
        break;
      }
      case 'rate-average': {
        // Dossiers settled on time, citizens satisfied (%), averaged over the months.
        const lastYear = u(80, 97);
        const target = round(Math.min(100, lastYear + u(0, 4)), 1);
        const level = lastYear + 0.5 + 2 * z();
        const slope = 0.15 * z();
        const sd = u(0.5, 3);
        const shiftAt = random() < 0.2 ? Math.floor(u(3, 11)) : 13;
        const shift = 2.5 * z();
        const values = Array.from({ length: 12 }, (_, i) =>
          round(clip(level + slope * i + (i + 1 >= shiftAt ? shift : 0) + sd * z(), 0, 100), 1),
        );
        out.push({ family, aggregation: 'average', direction: 'higher', target, values });
        break;
      }
      case 'incidents-sum-lower': {
        // Traffic accidents, complaints, late dossiers: a yearly ceiling below last year's count.
        const lastYear = u(3, 60);
        const target = Math.round(12 * lastYear * (1 - u(0.05, 0.2)));
        const level = lastYear * (1 - 0.05 + 0.12 * z());
        const f = shape(0.01, -0.008);
        const values = f.map((x) => {
          const lambda = level * x;
          return Math.max(0, Math.round(lambda + Math.sqrt(lambda + (0.1 * lambda) ** 2) * z()));
        });
        out.push({ family, aggregation: 'sum', direction: 'lower', target, values });
        break;
      }
      case 'days-average-lower': {
        // Average processing days of a procedure.
        const lastYear = u(5, 20);
        const target = round(lastYear * (1 - u(0.05, 0.15)), 1);
        const level = lastYear * (1 - 0.06 + 0.08 * z());
        const slope = -0.008 + 0.01 * z();
        const cv = u(0.03, 0.1);
        const shiftAt = random() < 0.2 ? Math.floor(u(3, 11)) : 13;
        const shift = 1 + 0.1 * z();
        const values = Array.from({ length: 12 }, (_, i) =>
          round(Math.max(0.5, level * (1 + slope * i) * (i + 1 >= shiftAt ? shift : 1) * (1 + cv * z())), 1),
        );
        out.push({ family, aggregation: 'average', direction: 'lower', target, values });
        break;
      }
      case 'rate-min': {
        // The worst month's on-time rate must stay above a floor.
        const level = u(88, 98);
        const target = round(level - u(2, 7), 1);
        const sd = u(0.5, 2);
        const slope = 0.1 * z();
        const values = Array.from({ length: 12 }, (_, i) =>
          round(clip(level + slope * i + sd * z(), 0, 100), 1),
        );
        out.push({ family, aggregation: 'min', direction: 'higher', target, values });
        break;
      }
    }
  }
  return out;
}
