// The unit head's selection within the quota through the API and the unit-ranking workflow (issue 8, RULES.md
// "Quotas"): a draft over the quota of "Hoàn thành xuất sắc nhiệm vụ" by more than the exception cap cannot be
// decided (409 RANKING_QUOTA_UNLIFTABLE, "vượt N, ngoại lệ tối đa C"); the head places the lowest-scored
// 'excellent' entry at 'good' with a reason (PUT /rankings/{id}/selections/{personId}), can undo it (DELETE), the
// quota counts the chosen level; the decision freezes the chosen level with the engine's result and the selection,
// the explanation says so in Vietnamese and English; an exception within the cap lifts the rest; the published
// level, the notice and the year's published rankings carry the chosen level. Real PostgreSQL and a real worker
// on the Temporal dev server; year 2031 (workflow ids are business keys on the shared dev server).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { publishedRankingsOf, type RankingSources } from '../../../db/queries/rankings.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, employ, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { unitRankingWorkflowId } from '../../../workflows/unit-ranking.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `ranking-selection-${randomUUID()}`;
const YEAR = 2031;
const sources: RankingSources = {
  dutyGroupsOf: async (_e, a) => new Map(a.personIds.map((p) => [p, 'default'])),
  partyMembersOf: async () => new Set<string>(),
};
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  rankings: { taskQueue, sources },
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const entry = (r: Json, personId: string) =>
  (r.entries as Json[]).find((e) => e.personId === personId && e.track === 'state')!;

async function person(name: string, total: string) {
  const p = await db
    .insertInto('person')
    .values({
      full_name: name,
      email: `${randomUUID().slice(0, 8)}@test.woms.vn`,
      duty_group: 'civil_servant',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await employ(db, p.id, f.unit.AD2);
  await db
    .insertInto('period_assessment')
    .values({
      person_id: p.id,
      unit_id: f.unit.A,
      period: `${YEAR}-06`,
      status: 'confirmed',
      total,
      task_points: total,
      general_points: '0',
      confirmed_by: f.person.headA,
      confirmed_at: new Date(),
    })
    .execute();
  return p.id;
}

let top = '';
let second = '';
let lowest = '';
const goods: string[] = [];

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  // 3 Xuất sắc for 5 Tốt: 1 allowed, over by 2 while an exception adds at most 1
  top = await person('Nguyễn Văn An', '96');
  second = await person('Phạm Thị Bình', '93');
  lowest = await person('Lê Văn Xuân', '90.5');
  for (const [n, s] of [
    ['Trần Thị Giao', '80'],
    ['Hoàng Văn Hải', '82'],
    ['Vũ Thị Lan', '84'],
    ['Đặng Văn Minh', '86'],
    ['Bùi Thị Nga', '88'],
  ] as const)
    goods.push(await person(n, s));
});
afterAll(async () => {
  await w?.stop();
});

describe("the head's selection within the quota", () => {
  let id = '';

  it('refuses to decide a draft over the quota by more than the exception cap', async () => {
    const r = await as('headA', 'POST', '/api/rankings', { unitId: f.unit.A, year: YEAR });
    expect(r.status).toBe(201);
    id = r.body.id;
    w.started.push(unitRankingWorkflowId(YEAR, f.unit.A));
    expect(r.body.quota.mustSelect).toEqual([
      { track: 'state', agencyId: f.unit.A, dutyGroup: 'default', over: 2, cap: 1 },
    ]);
    expect(entry(r.body, lowest)).toMatchObject({
      level: 'excellent',
      engineLevel: 'excellent',
      selection: null,
      selectable: true,
    });
    expect(entry(r.body, goods[4]!)).toMatchObject({ level: 'good', selectable: false });
    const refused = await as('headA', 'POST', `/api/rankings/${id}/decide`, { revision: r.body.revision });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('RANKING_QUOTA_UNLIFTABLE');
    expect(JSON.stringify(refused.body)).toContain(
      'Vượt 2 chỉ tiêu \\"Hoàn thành xuất sắc nhiệm vụ\\", ngoại lệ tối đa 1: chọn người xếp Hoàn thành tốt trước khi quyết định.',
    );
    expect(JSON.stringify(refused.body)).toContain('exceptions at most 1');
  });

  it('places an excellent entry at Tốt with a reason, undoes it, and never raises or touches other levels', async () => {
    const path = `/api/rankings/${id}/selections/${lowest}`;
    expect((await as('supervisorA', 'PUT', path, { reason: 'Giới hạn tỷ lệ' })).status).toBe(403);
    expect((await as('headA', 'PUT', path, { reason: '' })).status).toBe(400);
    const good = await as('headA', 'PUT', `/api/rankings/${id}/selections/${goods[4]}`, { reason: 'x' });
    expect(good.status).toBe(422);
    expect(good.body.code).toBe('RANKING_SELECTION_NOT_EXCELLENT');

    const placed = await as('headA', 'PUT', path, { reason: 'Điểm thấp nhất trong nhóm Xuất sắc' });
    expect(placed.status).toBe(200);
    const e = entry(placed.body, lowest);
    expect(e).toMatchObject({
      level: 'good',
      engineLevel: 'excellent',
      label: { vi: 'Hoàn thành tốt nhiệm vụ' },
      selection: { reason: 'Điểm thấp nhất trong nhóm Xuất sắc', by: f.person.headA },
    });
    expect(e.selection.byName).not.toBe('');
    expect(e.steps.at(-1).vi).toContain(
      'Kết quả tính của hệ thống là "Hoàn thành xuất sắc nhiệm vụ"; người đứng đầu xếp "Hoàn thành tốt nhiệm vụ" do giới hạn tỷ lệ',
    );
    expect(e.steps.at(-1).en).toContain("The engine's level was");
    expect(placed.body.quota.mustSelect).toEqual([]);
    expect(placed.body.quota.groups[0]).toMatchObject({ excellent: 2, good: 6, over: 1 });

    const undone = await as('headA', 'DELETE', path);
    expect(undone.status).toBe(200);
    expect(entry(undone.body, lowest)).toMatchObject({ level: 'excellent', selection: null });
    expect(undone.body.quota.mustSelect).toHaveLength(1);
    expect((await as('headA', 'DELETE', path)).body.code).toBe('RANKING_SELECTION_NOT_FOUND');
    const again = await as('headA', 'PUT', path, { reason: 'Giới hạn tỷ lệ 20%' });
    expect(again.status).toBe(200);
    expect(again.body.revision).toBeGreaterThan(undone.body.revision);
  });

  it('decides with the chosen level frozen, lifts the rest with an exception, and publishes the chosen level', async () => {
    const r = await as('headA', 'GET', `/api/rankings/${id}`);
    const d = await as('headA', 'POST', `/api/rankings/${id}/decide`, { revision: r.body.revision });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ phase: 'DECIDED', publicationBlocked: true, over: 1 });
    const decided = await as('headA', 'GET', `/api/rankings/${id}`);
    expect(entry(decided.body, lowest)).toMatchObject({
      level: 'good',
      engineLevel: 'excellent',
      frozen: true,
      verified: true,
      selectable: false,
      selection: { reason: 'Giới hạn tỷ lệ 20%' },
    });
    expect(entry(decided.body, lowest).steps.at(-1).vi).toContain('do giới hạn tỷ lệ');
    expect(entry(decided.body, top)).toMatchObject({ level: 'excellent', frozen: true, verified: true });
    const late = await as('headA', 'PUT', `/api/rankings/${id}/selections/${second}`, { reason: 'x' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('RANKING_DECIDED');
    expect((await as('headA', 'DELETE', `/api/rankings/${id}/selections/${lowest}`)).status).toBe(409);

    const req = await as('headA', 'POST', `/api/rankings/${id}/exceptions`, {
      dutyGroup: 'default',
      extraPlaces: 1,
      justification: 'Thành tích đột xuất được UBND tỉnh khen thưởng',
    });
    expect(req.status).toBe(201);
    const ok = await as(
      'standingP',
      'POST',
      `/api/rankings/${id}/exceptions/${req.body.exceptionId}/decision`,
      {
        approve: true,
        decisionNumber: '31/QĐ-UBND',
      },
    );
    expect(ok.body).toMatchObject({ publicationBlocked: false, over: 0 });
    const pub = await as('headA', 'POST', `/api/rankings/${id}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body.phase).toBe('PUBLISHED');

    const published = await publishedRankingsOf(db, { provinceId: f.unit.P, year: YEAR });
    expect(published.find((p) => p.subjectId === lowest)?.level).toBe('good');
    expect(
      published
        .filter((p) => p.level === 'excellent')
        .map((p) => p.subjectId)
        .sort(),
    ).toEqual([top, second].sort());
    const notice = await db
      .selectFrom('ranking_notice')
      .select(['level'])
      .where('ranking_id', '=', id)
      .where('subject_id', '=', lowest)
      .executeTakeFirstOrThrow();
    expect(notice.level).toBe('good');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('aggregate_type', '=', 'unit_ranking')
      .where('aggregate_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['ranking.selection.placed', 'ranking.selection.undone', 'ranking.decided']),
    );
    expect(audit.find((a) => a.action === 'ranking.decided')?.after).toMatchObject({ selected: 1 });
  });
});
