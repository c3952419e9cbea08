// The rankings of the year start on the opening of 1 December (issue 8 point 1, activities/year-end-rankings.ts
// through activities/check-in-opening.ts openCheckInPage): every unit directly under the province gets its draft
// ranking (computed, revision 1) and its unit-ranking workflow (id ranking:<year>:unit:<unitId>, waiting for the
// head's decision); another province's units get none; another month's opening starts none; a second opening
// starts nothing twice; the head's POST /api/rankings afterwards answers the same ranking (200). Real PostgreSQL
// and a real worker on the dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import { provinceRankingOf } from '../db/queries/province-rankings.ts';
import { rankingOf } from '../db/queries/rankings.ts';
import { TEST_PROFILE } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../test/support/test-worker.ts';
import { provinceRankingWorkflowId } from '../workflows/province-ranking.messages.ts';
import { getRankingState, unitRankingWorkflowId } from '../workflows/unit-ranking.messages.ts';
import { checkInOpeningActivities } from './check-in-opening.ts';
import { startYearEndRankings } from './year-end-rankings.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `year-end-rankings-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue },
  rankings: { taskQueue },
});
let f: OrgFixture;

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue, withClientInActivities: true });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(() => w?.stop());

describe('the opening of 1 December starts the rankings', () => {
  it('starts one ranking workflow per unit under the province, once', async () => {
    const acts = checkInOpeningActivities({ db, temporal: w.client });
    const page = { day: '2026-12-01', provinceId: f.unit.P, taskQueue, pageSize: 500 };
    await acts.openCheckInPage({ ...page, period: '2026-10', day: '2026-11-02' });
    expect(await rankingOf(db, f.unit.A, 2026)).toBeUndefined();

    await acts.openCheckInPage({ ...page, period: '2026-11' });
    const tops = [f.unit.A, f.unit.B, f.unit.M1, f.unit.M2];
    w.started.push(...tops.map((u) => unitRankingWorkflowId(2026, u)));
    const runs = new Map<string, string>();
    for (const u of tops) {
      const row = await rankingOf(db, u, 2026);
      expect(row).toMatchObject({
        status: 'draft',
        revision: 1,
        workflow_id: unitRankingWorkflowId(2026, u),
      });
      const h = w.client.workflow.getHandle(unitRankingWorkflowId(2026, u));
      const d = await h.describe();
      expect(d.status.name).toBe('RUNNING');
      expect(d.taskQueue).toBe(taskQueue);
      expect((await h.query(getRankingState)).phase).toBe('DRAFT');
      runs.set(u, d.runId);
    }
    // The province's ranking of these units and their heads starts with them (the standing committee decides it).
    w.started.push(provinceRankingWorkflowId(2026, f.unit.P));
    const province = await provinceRankingOf(db, f.unit.P, 2026);
    expect(province).toMatchObject({
      status: 'draft',
      workflow_id: provinceRankingWorkflowId(2026, f.unit.P),
    });
    const provinceRun = await w.client.workflow
      .getHandle(provinceRankingWorkflowId(2026, f.unit.P))
      .describe();
    expect(provinceRun.status.name).toBe('RUNNING');
    // A department is not ranked on its own; another province's unit is not started by this province.
    expect(await rankingOf(db, f.unit.AD1, 2026)).toBeUndefined();
    expect(await rankingOf(db, f.unit.QA, 2026)).toBeUndefined();
    const created = await db
      .selectFrom('audit_log')
      .select('actor')
      .where('aggregate_type', '=', 'unit_ranking')
      .where('action', '=', 'ranking.created')
      .execute();
    expect(created.filter((c) => c.actor === 'system:year-end-rankings').length).toBeGreaterThanOrEqual(4);

    // A second opening (and a direct second call) starts nothing twice.
    await acts.openCheckInPage({ ...page, period: '2026-11' });
    const again = await startYearEndRankings(db, w.client, {
      provinceId: f.unit.P,
      year: 2026,
      day: '2026-12-01',
      taskQueue,
    });
    expect(again.started).toEqual(expect.arrayContaining(tops));
    expect(again.province).toBe(true);
    expect(
      (await w.client.workflow.getHandle(provinceRankingWorkflowId(2026, f.unit.P)).describe()).runId,
    ).toBe(provinceRun.runId);
    for (const u of tops) {
      const d = await w.client.workflow.getHandle(unitRankingWorkflowId(2026, u)).describe();
      expect(d.runId).toBe(runs.get(u));
      expect((await rankingOf(db, u, 2026))?.revision).toBe(1);
    }

    // The head's own start answers the ranking the opening started.
    const res = await requestAs(app, f.session.headA, 'POST', '/api/rankings', {
      unitId: f.unit.A,
      year: 2026,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe((await rankingOf(db, f.unit.A, 2026))?.id);
  });

  it('skips a province without a calendar of the year', async () => {
    const r = await startYearEndRankings(db, w.client, {
      provinceId: f.unit.Q,
      year: 2026,
      day: '2026-12-01',
      taskQueue,
    });
    expect(r.started).toEqual([]);
    expect(r.skipped).toEqual([{ unitId: f.unit.QA, reason: 'no-calendar' }]);
    expect(r.province).toBe(false);
    expect(await rankingOf(db, f.unit.QA, 2026)).toBeUndefined();
  });
});
