// The standing committee's selection within the heads' quota of the province ranking (mirroring the unit ranking's,
// issue 8, RULES.md "Quotas"): both heads ranked "Xuất sắc" and none "Tốt" — over by 2 while an exception adds at
// most 1 — so the decision is refused (409 RANKING_QUOTA_UNLIFTABLE); the committee places one head at "Tốt" with
// a reason (PUT /province-rankings/{id}/selections/{personId}), can undo it, decides with an exception of one
// place, the chosen level frozen with the engine's result and the selection (verified), and publishes. Real
// PostgreSQL and a real worker on the Temporal dev server; the heads' year scores injected; year 2031.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { type ProvinceRankingSources, provinceEntriesOf } from '../../../db/queries/province-rankings.ts';
import type { SelectedFrozenRanking } from '../../../db/queries/rankings.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { provinceRankingWorkflowId } from '../../../workflows/province-ranking.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `province-selection-${randomUUID()}`;
const YEAR = 2031;
let f: OrgFixture;
const sources: ProvinceRankingSources = {
  yearScores: async (_e, a) =>
    a.unitId === f.unit.A
      ? new Map([[f.person.headA!, '95']])
      : a.unitId === f.unit.B
        ? new Map([[f.person.headB!, '92']])
        : new Map(),
};
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  provinceRankings: { taskQueue, sources },
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const head = (r: Json, personId: string) =>
  (r.entries as Json[]).find((e) => e.subjectKind === 'individual' && e.subjectId === personId)!;

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(async () => {
  await w?.stop();
});

describe("the committee's selection within the heads' quota", () => {
  it('refuses the unliftable decision, places a head at Tốt, decides with one exception place and publishes', async () => {
    const r = await as('secretariatP', 'POST', '/api/province-rankings', {
      provinceId: f.unit.P,
      year: YEAR,
    });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    w.started.push(provinceRankingWorkflowId(YEAR, f.unit.P));
    expect(head(r.body, f.person.headA!)).toMatchObject({
      level: 'excellent',
      selectable: true,
      selection: null,
    });
    expect(head(r.body, f.person.headB!)).toMatchObject({ level: 'excellent', selectable: true });
    expect(r.body.quota).toMatchObject({ excellent: 2, good: 0, over: 2, mustSelect: [{ over: 2, cap: 1 }] });

    const refused = await as('standingP', 'POST', `/api/province-rankings/${id}/decide`, {
      revision: r.body.revision,
      exception: { places: 1, decisionNumber: '31-QĐ/TU', justification: 'Thành tích đột xuất' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('RANKING_QUOTA_UNLIFTABLE');
    expect(JSON.stringify(refused.body)).toContain('ngoại lệ tối đa 1: chọn người xếp Hoàn thành tốt');

    const path = `/api/province-rankings/${id}/selections/${f.person.headB}`;
    expect((await as('secretariatP', 'PUT', path, { reason: 'Giới hạn tỷ lệ' })).status).toBe(403);
    expect((await as('headA', 'PUT', path, { reason: 'Giới hạn tỷ lệ' })).status).toBe(403);
    const placed = await as('standingP', 'PUT', path, { reason: 'Điểm thấp hơn' });
    expect(placed.status).toBe(200);
    expect(head(placed.body, f.person.headB!)).toMatchObject({
      level: 'good',
      engineLevel: 'excellent',
      selection: { reason: 'Điểm thấp hơn', by: f.person.standingP },
    });
    expect(head(placed.body, f.person.headB!).steps.at(-1).vi).toContain('do giới hạn tỷ lệ');
    expect(placed.body.quota).toMatchObject({ excellent: 1, good: 1, over: 1, mustSelect: [] });
    const undone = await as('standingP', 'DELETE', path);
    expect(undone.status).toBe(200);
    expect(head(undone.body, f.person.headB!)).toMatchObject({ level: 'excellent', selection: null });
    const again = await as('standingP', 'PUT', path, { reason: 'Điểm thấp hơn' });
    expect(again.status).toBe(200);

    const d = await as('standingP', 'POST', `/api/province-rankings/${id}/decide`, {
      revision: again.body.revision,
      exception: { places: 1, decisionNumber: '31-QĐ/TU', justification: 'Thành tích đột xuất' },
    });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ phase: 'DECIDED', publicationBlocked: false, over: 0 });
    const decided = await as('standingP', 'GET', `/api/province-rankings/${id}`);
    expect(head(decided.body, f.person.headB!)).toMatchObject({
      level: 'good',
      engineLevel: 'excellent',
      frozen: true,
      verified: true,
      selectable: false,
      selection: { reason: 'Điểm thấp hơn' },
    });
    expect(head(decided.body, f.person.headA!)).toMatchObject({ level: 'excellent', verified: true });
    expect((await as('standingP', 'DELETE', path)).status).toBe(409);
    const frozen = (await provinceEntriesOf(db, id)).find((e) => e.subject_id === f.person.headB)!;
    expect(frozen.level).toBe('good');
    expect((frozen.frozen as unknown as SelectedFrozenRanking).selection?.engineLevel).toBe('excellent');

    const pub = await as('standingP', 'POST', `/api/province-rankings/${id}/publish`, {});
    expect(pub.status).toBe(200);
    expect(pub.body.phase).toBe('PUBLISHED');
    const actions = (
      await db
        .selectFrom('audit_log')
        .select('action')
        .where('aggregate_type', '=', 'province_ranking')
        .where('aggregate_id', '=', id)
        .execute()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['province-ranking.selection.placed', 'province-ranking.selection.undone']),
    );
  });
});
