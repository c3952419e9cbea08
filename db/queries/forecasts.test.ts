// The forecast read model's batched writes (activities/forecast-warnings.ts stores a unit's month in a few
// statements): every row stored across statement boundaries, a rerun of the month replaces each row in place.
import { describe, expect, it } from 'vitest';
import type { KeyResultForecast } from '../../domain/forecast/forecast.ts';
import { seedPlanPeople } from '../../test/support/annual-plan.ts';
import { dashKr, seedUnitPlan } from '../../test/support/dashboard-seed.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { forecastsOf, upsertForecasts } from './forecasts.ts';

const { db } = await freshDatabase();

const projection = (through: string, projected: string): KeyResultForecast =>
  ({
    kind: 'projection',
    through,
    method: 'trend',
    observations: 3,
    projected,
    low: '90',
    high: '130',
    target: '120',
    pMiss: '0.4',
    warning: true,
  }) as KeyResultForecast;

describe('upsertForecasts', () => {
  it('stores more rows than one statement holds and replaces them on a rerun', async () => {
    const p = await seedPlanPeople(db);
    const { planId } = await seedUnitPlan(db, {
      unitId: p.unitId,
      year: 2027,
      createdBy: p.head,
      tasks: [{ perspective: 'citizens', keyResults: [dashKr('kr-1')] }],
    });
    // 1,201 rows: three statements (500, 500, 201) — the key results need not be in the plan's content.
    const rows = Array.from({ length: 1201 }, (_, i) => ({
      planId,
      keyResultId: `kr-${i}`,
      forecast: projection('2027-06', String(100 + (i % 7))),
    }));
    await upsertForecasts(db, rows);
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('key_result_forecast')
            .select(({ fn }) => fn.countAll().as('n'))
            .where('plan_id', '=', planId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(1201);
    const before = await forecastsOf(db, planId, 'kr-1200');
    expect(before.map((f) => [f.period, f.kind, f.projected, f.warning])).toEqual([
      ['2027-06', 'projection', '103', true],
    ]);

    // The month run again with other figures (one key result now without a forecast): replaced, not added.
    await upsertForecasts(
      db,
      rows.map((r) => ({ ...r, forecast: projection('2027-06', '150') })),
    );
    await upsertForecasts(db, [
      {
        planId,
        keyResultId: 'kr-0',
        forecast: { kind: 'none', through: '2027-06', reason: 'too-few-values' } as KeyResultForecast,
      },
    ]);
    expect(await count()).toBe(1201);
    const after = await forecastsOf(db, planId, 'kr-1200');
    expect(after.map((f) => [f.kind, f.projected, f.warning])).toEqual([['projection', '150', true]]);
    const none = await forecastsOf(db, planId, 'kr-0');
    expect(none.map((f) => [f.kind, f.projected, f.warning])).toEqual([['none', null, false]]);
    // A next month is a new row beside the first.
    await upsertForecasts(db, [{ planId, keyResultId: 'kr-5', forecast: projection('2027-07', '111') }]);
    expect((await forecastsOf(db, planId, 'kr-5')).map((f) => f.period)).toEqual(['2027-06', '2027-07']);
  });
});
