// The index of the year's rankings (GET /api/ranking-index, tiered) and the December check-in after the ranking
// (DESIGN §3 "by 5/01"; db/queries/ranking-differences.ts through activities/period-assessment.ts): rankings
// started as on 1 December; the province's levels see every unit of their province, the unit's head their own,
// an official and another province's administrator none of them; after the head's decision (the real
// unit-ranking workflow), a December assessment confirmed with a result that moves the year score across a band
// records a flagged difference — the frozen entry unchanged, the head and the secretariat notified in-app,
// audited, once — while one that keeps the level records nothing; the index counts the difference and
// GET /api/ranking-differences lists it. Real PostgreSQL and a worker on the Temporal dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodAssessmentActivities } from '../../../activities/period-assessment.ts';
import { startYearEndRankings } from '../../../activities/year-end-rankings.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { recordDecemberDifference } from '../../../db/queries/ranking-differences.ts';
import { rankingOf } from '../../../db/queries/rankings.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { unitRankingWorkflowId } from '../../../workflows/unit-ranking.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `ranking-index-${randomUUID()}`;
const YEAR = 2026;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  rankings: { taskQueue },
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};

async function confirmed(personId: string, unitId: string, period: string, total: string) {
  await db
    .insertInto('period_assessment')
    .values({
      person_id: personId,
      unit_id: unitId,
      period,
      status: 'confirmed',
      total,
      task_points: total,
      general_points: '0',
      confirmed_by: f.person.supervisorA,
      confirmed_at: new Date(),
    })
    .execute();
}
/** December's assessment computed and waiting for its confirmation (as the period-assessment workflow leaves it). */
async function decemberDraft(personId: string, total: string) {
  const r = await db
    .insertInto('period_assessment')
    .values({
      person_id: personId,
      unit_id: f.unit.AD1,
      period: `${YEAR}-12`,
      status: 'draft',
      revision: 1,
      computed: JSON.stringify({ ok: true }),
      total,
      task_points: total,
      general_points: '0',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
const unitsOf = (b: Json) => (b.units as Json[]).map((u) => u.unitId as string);

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  for (const p of [f.person.officialA, f.person.staffA]) {
    await confirmed(p, f.unit.AD1, `${YEAR}-06`, '80');
    await confirmed(p, f.unit.AD1, `${YEAR}-07`, '80');
  }
  await startYearEndRankings(db, w.client, {
    provinceId: f.unit.P,
    year: YEAR,
    day: `${YEAR}-12-01`,
    taskQueue,
  });
  w.started.push(...[f.unit.A, f.unit.B, f.unit.M1, f.unit.M2].map((u) => unitRankingWorkflowId(YEAR, u)));
});
afterAll(() => w?.stop());

describe('the index of rankings', () => {
  it('lists every unit of the province for its levels, their own unit for a head, nothing for others', async () => {
    const sec = await as('secretariatP', 'GET', `/api/ranking-index?year=${YEAR}`);
    expect(sec.status).toBe(200);
    expect(sec.body.provinceWide).toBe(true);
    expect(unitsOf(sec.body)).toEqual(expect.arrayContaining([f.unit.A, f.unit.B, f.unit.M1, f.unit.M2]));
    expect(unitsOf(sec.body)).not.toContain(f.unit.QA);
    expect(unitsOf(sec.body)).not.toContain(f.unit.AD1);
    const a = (sec.body.units as Json[]).find((u) => u.unitId === f.unit.A)!;
    expect(a).toMatchObject({ status: 'draft', differences: 0, unitName: 'Đơn vị A' });
    expect(a.deadline).toMatch(/^2026-12-1[0-4]$/);
    expect(a.entries).toBeGreaterThanOrEqual(2);

    const head = await as('headA', 'GET', `/api/ranking-index?year=${YEAR}`);
    expect(head.status).toBe(200);
    expect(head.body.provinceWide).toBe(false);
    expect(unitsOf(head.body)).toEqual([f.unit.A]);

    const official = await as('officialA', 'GET', `/api/ranking-index?year=${YEAR}`);
    expect(official.body.units).toEqual([]);
    const other = await as('adminQ', 'GET', `/api/ranking-index?year=${YEAR}`);
    expect(unitsOf(other.body)).not.toContain(f.unit.A);

    // Another year: not started yet.
    const next = await as('secretariatP', 'GET', `/api/ranking-index?year=${YEAR + 1}`);
    expect((next.body.units as Json[]).find((u) => u.unitId === f.unit.A)).toMatchObject({
      status: 'none',
      rankingId: null,
    });
    expect((await requestAs(app, undefined, 'GET', `/api/ranking-index?year=${YEAR}`)).status).toBe(401);
  });
});

describe('the December check-in after the ranking', () => {
  it('records a difference that changes the level, never the signed entry, once', async () => {
    const row = (await rankingOf(db, f.unit.A, YEAR))!;
    // A December assessment not yet confirmed: nothing is compared.
    const early = await decemberDraft(f.person.staffA, '85');
    expect((await recordDecemberDifference(db, { assessmentId: early, day: `${YEAR}-12-20` })).outcome).toBe(
      'not-confirmed',
    );

    const decided = await as('headA', 'POST', `/api/rankings/${row.id}/decide`, { revision: row.revision });
    expect(decided.status).toBe(200);
    expect(decided.body.phase).toBe('DECIDED');
    const entryOf = (personId: string) =>
      db
        .selectFrom('unit_ranking_entry')
        .select(['level', 'score', 'frozen'])
        .where('ranking_id', '=', row.id)
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow();
    const before = await entryOf(f.person.officialA);
    expect(before.level).toBe('good');
    expect(before.frozen).not.toBeNull();

    // officialA: (80 + 80 + 40) / 3 = 66.67 → "Hoàn thành nhiệm vụ" instead of the signed "Hoàn thành tốt".
    const acts = periodAssessmentActivities({ db });
    const dec = await decemberDraft(f.person.officialA, '40');
    const first = await acts.confirmPeriodAssessment({
      assessmentId: dec,
      by: f.person.supervisorA,
      revision: 1,
    });
    expect(first).toMatchObject({ status: 'confirmed', applied: true });
    const diffs = await db.selectFrom('ranking_difference').selectAll().execute();
    expect(diffs).toHaveLength(1);
    expect(diffs[0]).toMatchObject({
      ranking_id: row.id,
      person_id: f.person.officialA,
      period_assessment_id: dec,
      frozen_level: 'good',
      frozen_score: '80.00',
      new_level: 'completed',
      new_score: '66.67',
    });
    const after = await entryOf(f.person.officialA);
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    expect((await rankingOf(db, f.unit.A, YEAR))?.status).toBe('decided');

    const notes = await db
      .selectFrom('notification')
      .select(['person_id', 'title_vi', 'link'])
      .where('kind', '=', 'ranking.difference')
      .execute();
    expect(notes.map((n) => n.person_id).sort()).toEqual([f.person.headA, f.person.secretariatP].sort());
    expect(notes[0]?.title_vi).toContain('Người officialA');
    expect(notes[0]?.link).toBe(`/evaluation/ranking/${f.unit.A}/${YEAR}`);
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('aggregate_id', '=', row.id)
      .where('action', '=', 'ranking.difference.recorded')
      .execute();
    expect(audit).toHaveLength(1);

    // A repeated confirmation (a retried activity) records and notifies nothing more.
    const again = await acts.confirmPeriodAssessment({
      assessmentId: dec,
      by: f.person.supervisorA,
      revision: 1,
    });
    expect(again.applied).toBe(false);
    expect(await db.selectFrom('ranking_difference').selectAll().execute()).toHaveLength(1);
    expect(
      await db.selectFrom('notification').select('id').where('kind', '=', 'ranking.difference').execute(),
    ).toHaveLength(2);

    // staffA: (80 + 80 + 85) / 3 = 81.67 keeps "Hoàn thành tốt": no difference.
    await acts.confirmPeriodAssessment({ assessmentId: early, by: f.person.supervisorA, revision: 1 });
    expect(
      await db
        .selectFrom('ranking_difference')
        .select('id')
        .where('person_id', '=', f.person.staffA)
        .execute(),
    ).toHaveLength(0);

    // The index counts it; the list for the ranking screen shows it to who may read the ranking.
    const idx = await as('secretariatP', 'GET', `/api/ranking-index?year=${YEAR}`);
    expect((idx.body.units as Json[]).find((u) => u.unitId === f.unit.A)).toMatchObject({
      status: 'decided',
      differences: 1,
    });
    const list = await as('headA', 'GET', `/api/ranking-differences?unitId=${f.unit.A}&year=${YEAR}`);
    expect(list.status).toBe(200);
    expect(list.body.differences).toEqual([
      expect.objectContaining({
        personId: f.person.officialA,
        personName: 'Người officialA',
        frozenLevel: 'good',
        newLevel: 'completed',
        newScore: '66.67',
      }),
    ]);
    expect(
      (await as('officialA', 'GET', `/api/ranking-differences?unitId=${f.unit.A}&year=${YEAR}`)).status,
    ).toBe(403);
  });
});
