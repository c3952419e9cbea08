// The ranking of a unit's people through the API and the unit-ranking workflow (issue 8 points 2–3): the draft
// with each person's level and explanation (a discipline record forcing "Không hoàn thành", QĐ 366's gates on a
// Party body), the quota warning, the head's decision freezing it, publication blocked while over quota, the
// standing committee's approval of an exception unblocking it, the publication, and a frozen ranking unchanged
// after a later change of parameters. Real PostgreSQL and a real worker on the Temporal dev server; the year
// scores come from confirmed period assessments seeded here, the records and task statistics from sources the
// test injects (the year-end records module is another helper's). Party members (an injected partyMembersOf) also
// hold a Party ranking (QĐ 366) with its own quota; the unit head is not ranked in their own unit; the QĐ 366
// "exceeded" statistic comes from the real source (key results whose year value exceeds the target).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { yearRankingsOf } from '../../../db/queries/giao-ban-year-review.ts';
import {
  flagsOf,
  periodTaskStats,
  publishedRankingsOf,
  type RankingSources,
  rankingById,
  verifyRanking,
} from '../../../db/queries/rankings.ts';
import { getRuleSet } from '../../../domain/rulesets/catalogue.ts';
import { type FrozenRanking, rankingParameters, rankWith } from '../../../domain/scoring/index.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { inForcePlan, keyResult } from '../../../test/support/check-in-plans.ts';
import { seedVerifiedValue } from '../../../test/support/dashboard-seed.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, employ, grant, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { unitRankingWorkflowId } from '../../../workflows/unit-ranking.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `ranking-api-${randomUUID()}`;
const YEAR = 2027;
const discipline: { subjectId: string; decisionNumber: string }[] = [];
const stats = new Map<string, { total: number; onTime: number; late: number; exceeded: number }>();
const partyMembers = new Set<string>();
const sources: RankingSources = {
  disciplineRecordsOf: async (_e, a) =>
    discipline
      .filter((d) => a.personIds?.includes(d.subjectId))
      .map((d) => ({
        subjectId: d.subjectId,
        type: 'state' as const,
        form: 'canhCao' as const,
        decisionNumber: d.decisionNumber,
        date: `${YEAR}-05-20`,
        issuer: 'UBND tỉnh',
      })),
  // the real statistics (the exceeded share from key results and check-in values), overridden where a test sets them
  taskStatsOf: async (e, a) => {
    const real = await periodTaskStats(e, a.personIds, a.year);
    for (const p of a.personIds) if (stats.has(p)) real.set(p, stats.get(p)!);
    return real;
  },
  partyMembersOf: async (_e, a) => new Set(a.personIds.filter((p) => partyMembers.has(p))),
  unitCompletionOf: async (_e, a) => (a.year === YEAR ? '0.65' : undefined),
};
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  rankings: { taskQueue, sources, adjustInput: (i) => (warp ? { ...i, timeWarp: warp } : i) },
});
let warp: ReturnType<typeof warpFrom> | undefined;
let f: OrgFixture;
let extra = '';
let extra2 = '';

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};

async function person(name: string, unitId: string) {
  const p = await db
    .insertInto('person')
    .values({
      full_name: name,
      email: `${randomUUID().slice(0, 8)}@test.woms.vn`,
      duty_group: 'civil_servant',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await employ(db, p.id, unitId);
  return p.id;
}

async function score(personId: string, unitId: string, total: string, computed?: unknown) {
  await db
    .insertInto('period_assessment')
    .values({
      person_id: personId,
      unit_id: unitId,
      period: `${YEAR}-06`,
      ...(computed ? { computed: JSON.stringify(computed) } : {}),
      status: 'confirmed',
      total,
      task_points: total,
      general_points: '0',
      confirmed_by: f.person.headA === personId ? f.person.supervisorA : f.person.headA,
      confirmed_at: new Date(),
    })
    .execute();
}

const entry = (r: Json, personId: string) => (r.entries as Json[]).find((e) => e.personId === personId)!;

async function openTasks(kind: string) {
  return db.selectFrom('task').selectAll().where('kind', '=', kind).where('status', '=', 'open').execute();
}
async function waitFor<T>(fn: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + 20_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  extra = await person('Đỗ Thị Giang', f.unit.AD2);
  extra2 = await person('Bùi Văn Khoa', f.unit.AD2);
  const p = f.person;
  // unit A: 2 Xuất sắc for 5 Tốt → 1 allowed, over by 1; the auditor's 75 points forced by a discipline record
  for (const [id, unit, total] of [
    [p.officialA, f.unit.AD1, '95'],
    [p.staffA, f.unit.AD1, '92'],
    [p.headA, f.unit.A, '85'],
    [extra, f.unit.AD2, '88'],
    [extra2, f.unit.AD2, '83'],
    [p.supervisorA, f.unit.AD1, '80'],
    [p.adminA, f.unit.A, '78'],
    [p.leaverA, f.unit.AD2, '71'],
    [p.auditorA, f.unit.A, '75'],
  ] as const)
    await score(id!, unit, total);
  discipline.push({ subjectId: p.auditorA!, decisionNumber: '45/QĐ-UBND' });
  // Party members of unit A (and the head, who is not ranked here at all)
  for (const id of [p.officialA!, p.staffA!, p.adminA!, p.supervisorA!, extra, p.headA!])
    partyMembers.add(id);
  stats.set(p.officialA!, { total: 10, onTime: 10, late: 0, exceeded: 4 });
  stats.set(p.staffA!, { total: 10, onTime: 10, late: 0, exceeded: 1 });
});
afterAll(async () => {
  await w?.stop();
});

describe('ranking of a unit’s people', () => {
  let id = '';

  it('drafts each person’s level with its explanation, the quota warning and the flags', async () => {
    expect((await as('supervisorA', 'POST', '/api/rankings', { unitId: f.unit.A, year: YEAR })).status).toBe(
      403,
    );
    const r = await as('headA', 'POST', '/api/rankings', { unitId: f.unit.A, year: YEAR });
    expect(r.status).toBe(201);
    id = r.body.id;
    w.started.push(unitRankingWorkflowId(YEAR, f.unit.A));
    expect(r.body).toMatchObject({ status: 'draft', revision: 1, provisional: true });
    expect(r.body.ruleSet).toMatchObject({ id: 'ND335-2025', version: 1 });
    const state = (r.body.entries as Json[]).filter((e) => e.track === 'state');
    expect(state.filter((e) => e.score !== null)).toHaveLength(8);
    // nobody approves their own evaluation: the head is not ranked in their own unit, but shown as ranked above
    expect((r.body.entries as Json[]).some((e) => e.personId === f.person.headA)).toBe(false);
    expect(r.body.rankedAbove).toEqual([{ personId: f.person.headA, name: expect.any(String) }]);
    expect(entry(r.body, f.person.officialA)).toMatchObject({
      level: 'excellent',
      score: '95.00',
      provisional: true,
    });
    expect(entry(r.body, f.person.adminA).level).toBe('good');
    // a forced "Không hoàn thành": 75 points, but a discipline decision in the year
    const forced = entry(r.body, f.person.auditorA);
    expect(forced.level).toBe('notCompleted');
    expect(forced.forcedBy[0].vi).toBe(
      `Buộc xếp Không hoàn thành nhiệm vụ: kỷ luật (Cảnh cáo) (số 45/QĐ-UBND, ngày 20/05/${YEAR}, UBND tỉnh)`,
    );
    expect(forced.forcedBy[0].en).toBe(
      `Ranked Not completed regardless of the score: discipline (Warning) (decision 45/QĐ-UBND of 20/05/${YEAR}, UBND tỉnh)`,
    );
    expect(forced.forcedBy[0].en).not.toContain('kỷ luật');
    // the Party track: one Party entry per Party member, QĐ 366's gates on the same inputs, capped by the state
    expect(r.body.partyRuleSet).toMatchObject({ id: 'QD366-2025', version: 1, quotaVerification: 'U' });
    const party = (r.body.entries as Json[]).filter((e) => e.track === 'party');
    expect(party.map((e) => e.personId).sort()).toEqual(
      [f.person.officialA, f.person.staffA, f.person.adminA, f.person.supervisorA, extra].sort(),
    );
    expect(party.find((e) => e.personId === f.person.officialA)).toMatchObject({
      level: 'excellent',
      stateLevel: 'excellent',
      dutyGroup: 'party',
    });
    const staffParty = party.find((e) => e.personId === f.person.staffA)!;
    expect(staffParty).toMatchObject({ level: 'good', stateLevel: 'excellent' });
    expect(staffParty.gateFailures[0]).toMatchObject({ gateId: 'qd366.exceeded' });
    expect(entry(r.body, f.person.staffA)).toMatchObject({ track: 'state', level: 'excellent' });
    // the quota: 5 Tốt → at most 1 Xuất sắc; 2 → over by 1 (state); Party: 4 Tốt → none allowed, 1 → over by 1
    expect(r.body.quota).toMatchObject({ publicationBlocked: true, over: 2 });
    expect(r.body.quota.groups[0]).toMatchObject({
      track: 'state',
      good: 5,
      excellent: 2,
      allowed: 1,
      over: 1,
    });
    expect(r.body.quota.groups[1]).toMatchObject({
      track: 'party',
      dutyGroup: 'party',
      good: 4,
      excellent: 1,
      allowed: 0,
      over: 1,
    });
    expect(r.body.quota.partyFormula).toContain('0.2');
    expect(r.body.quota.groups[0].warning.vi).toContain('Vượt tỷ lệ Xuất sắc 1 người');
    expect(r.body.quota.groups[0].warning.en).toContain('by 1');
    const kinds = (r.body.flags as Json[]).map((x) => x.kind).sort();
    // QĐ 377 on the head (not ranked here, still flagged), a quota breach on each track
    expect(kinds).toEqual(['qd377', 'quotaBreach', 'quotaBreach']);
    const qd377 = (r.body.flags as Json[]).find((x) => x.kind === 'qd377')!;
    expect(qd377.text.vi).toContain('65,00% chỉ tiêu năm < 70%');
    expect(qd377.text.en).toContain('65.00% of the year targets < 70%');
    // the head's task, due on the calendar's year-end.ranking deadline
    const task = await waitFor(async () => (await openTasks('year-end.ranking'))[0]);
    expect(task.assignee_person_id).toBe(f.person.headA);
    // readers: the province's levels, not a supervisor inside the unit
    expect((await as('standingP', 'GET', `/api/rankings/${id}`)).status).toBe(200);
    expect((await as('supervisorA', 'GET', `/api/rankings/${id}`)).status).toBe(403);
  });

  it("shows the organisation department's appraisal beside an entry, marking a proposed level that differs", async () => {
    const unitOf = async (personId: string) =>
      (
        await db
          .selectFrom('employment')
          .select('org_unit_id')
          .where('person_id', '=', personId)
          .executeTakeFirstOrThrow()
      ).org_unit_id;
    const appraised = async (personId: string, appraisal: unknown) =>
      db
        .insertInto('year_end_assessment')
        .values({
          person_id: personId,
          unit_id: await unitOf(personId),
          year: YEAR,
          needs_appraisal: true,
          appraisal: JSON.stringify(appraisal),
        })
        .execute();
    await appraised(f.person.officialA!, {
      agrees: false,
      level: 'good',
      comment: 'Chưa có sáng kiến cấp tỉnh',
    });
    await appraised(f.person.adminA!, { agrees: true, level: null, comment: '' });
    const r = await as('headA', 'GET', `/api/rankings/${id}`);
    expect(r.status).toBe(200);
    expect(entry(r.body, f.person.officialA)).toMatchObject({
      level: 'excellent',
      appraisal: { agrees: false, level: 'good', comment: 'Chưa có sáng kiến cấp tỉnh' },
      appraisalDiffers: true,
    });
    expect(entry(r.body, f.person.adminA)).toMatchObject({
      appraisal: { agrees: true },
      appraisalDiffers: false,
    });
    expect(entry(r.body, f.person.staffA)).toMatchObject({ appraisal: null, appraisalDiffers: false });
    // the Party entry does not repeat the state appraisal
    const party = (r.body.entries as Json[]).find(
      (e) => e.track === 'party' && e.personId === f.person.officialA,
    )!;
    expect(party.appraisal).toBeNull();
    await db.deleteFrom('year_end_assessment').where('year', '=', YEAR).execute();
  });

  it('decides (freezing), blocks publication over quota, and publishes after an approved exception', async () => {
    const stale = await as('headA', 'POST', `/api/rankings/${id}/decide`, { revision: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('RANKING_REVISION_CONFLICT');
    const d = await as('headA', 'POST', `/api/rankings/${id}/decide`, { revision: 1 });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ phase: 'DECIDED', publicationBlocked: true, over: 2 });
    expect(await openTasks('year-end.ranking')).toHaveLength(0);
    const after = await as('headA', 'GET', `/api/rankings?unitId=${f.unit.A}&year=${YEAR}`);
    expect(after.body.status).toBe('decided');
    expect(
      (after.body.entries as Json[]).filter((e) => e.score !== null).every((e) => e.frozen && e.verified),
    ).toBe(true);
    // both tracks frozen, the Party entries with the Party rule set
    const frozenParty = await db
      .selectFrom('unit_ranking_entry')
      .select(['person_id', 'frozen'])
      .where('ranking_id', '=', id)
      .where('track', '=', 'party')
      .execute();
    expect(frozenParty).toHaveLength(5);
    for (const e of frozenParty)
      expect((e.frozen as unknown as FrozenRanking).ruleSet).toMatchObject({ id: 'QD366-2025', version: 1 });

    const blocked = await as('headA', 'POST', `/api/rankings/${id}/publish`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('RANKING_QUOTA_BLOCKED');
    expect(JSON.stringify(blocked.body)).toContain('Vượt 2');

    const req = await as('headA', 'POST', `/api/rankings/${id}/exceptions`, {
      dutyGroup: 'default',
      extraPlaces: 1,
      justification: 'Hai đồng chí có thành tích đột xuất được UBND tỉnh khen thưởng',
    });
    expect(req.status).toBe(201);
    const exceptionId = req.body.exceptionId as string;
    const committeeTask = await waitFor(async () => (await openTasks('year-end.quota-exception'))[0]);
    expect(committeeTask).toMatchObject({ assignee_role: 'standing_committee', assignee_unit_id: f.unit.P });

    const path = `/api/rankings/${id}/exceptions/${exceptionId}/decision`;
    expect((await as('headA', 'POST', path, { approve: true, decisionNumber: '1/QĐ' })).status).toBe(403);
    const noNumber = await as('standingP', 'POST', path, { approve: true });
    expect(noNumber.status).toBe(422);
    const ok = await as('standingP', 'POST', path, { approve: true, decisionNumber: '12-QĐ/TU' });
    expect(ok.status).toBe(200);
    // the state quota is lifted; the Party quota is separate and still over
    expect(ok.body).toMatchObject({ publicationBlocked: true, over: 1, exceptionStatus: 'approved' });
    expect(await openTasks('year-end.quota-exception')).toHaveLength(0);
    expect((await as('headA', 'POST', `/api/rankings/${id}/publish`)).body.code).toBe(
      'RANKING_QUOTA_BLOCKED',
    );
    const unknown = await as('headA', 'POST', `/api/rankings/${id}/exceptions`, {
      dutyGroup: 'default',
      extraPlaces: 1,
      justification: 'Nhóm không có trong xếp loại Đảng',
      track: 'party',
    });
    expect(unknown.status).toBe(422);
    const partyReq = await as('headA', 'POST', `/api/rankings/${id}/exceptions`, {
      dutyGroup: 'party',
      extraPlaces: 1,
      justification: 'Đảng viên có thành tích đột xuất được Tỉnh ủy khen thưởng',
      track: 'party',
    });
    expect(partyReq.status).toBe(201);
    const partyOk = await as(
      'standingP',
      'POST',
      `/api/rankings/${id}/exceptions/${partyReq.body.exceptionId}/decision`,
      { approve: true, decisionNumber: '13-QĐ/TU' },
    );
    expect(partyOk.body).toMatchObject({ publicationBlocked: false, over: 0, exceptionStatus: 'approved' });
    const withParty = await as('headA', 'GET', `/api/rankings/${id}`);
    expect((withParty.body.exceptions as Json[]).map((x) => x.track).sort()).toEqual(['party', 'state']);

    const pub = await as('headA', 'POST', `/api/rankings/${id}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body.phase).toBe('PUBLISHED');
    const published = await publishedRankingsOf(db, { provinceId: f.unit.P, year: YEAR });
    expect(published.find((p) => p.subjectId === f.person.officialA)).toMatchObject({
      level: 'excellent',
      unitId: f.unit.A,
      subjectKind: 'individual',
      track: 'state',
    });
    expect(published.find((p) => p.subjectId === f.person.staffA && p.track === 'party')?.level).toBe('good');
    expect(published.filter((p) => p.track === 'party')).toHaveLength(5);
    expect(published.some((p) => p.subjectId === f.person.headA)).toBe(false);
    // the year review session (giao ban) announces the state rankings: one row per person
    const review = await yearRankingsOf(db, { provinceId: f.unit.P, year: YEAR });
    expect(review.status).toBe('published');
    const staffRows =
      review.status === 'published' ? review.items.filter((i) => i.subjectId === f.person.staffA) : [];
    expect(staffRows.map((i) => i.level)).toEqual(['excellent']);
    expect(published.find((p) => p.subjectId === f.person.auditorA)?.level).toBe('notCompleted');
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'unit_ranking')
      .where('aggregate_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'ranking.created',
        'ranking.drafted',
        'ranking.decided',
        'ranking.exception.requested',
        'ranking.exception.approved',
        'ranking.published',
      ]),
    );
  });

  it('keeps a decided ranking unchanged after a later change of parameters', async () => {
    // the province later adopts its preset "Tốt from above 80": 78 points would now be "Hoàn thành"
    const preset = getRuleSet('ND335-2025-province-good80');
    await db
      .updateTable('unit_ranking')
      .set({ rule_set_id: preset.id, rule_set_version: preset.version })
      .where('id', '=', id)
      .execute();
    const frozen = (
      await db
        .selectFrom('unit_ranking_entry')
        .select('frozen')
        .where('ranking_id', '=', id)
        .where('person_id', '=', f.person.adminA)
        .where('track', '=', 'state')
        .executeTakeFirstOrThrow()
    ).frozen as unknown as FrozenRanking;
    expect(rankWith(frozen.explanation.input, rankingParameters(preset)).level).toBe('completed');
    const again = await as('headA', 'POST', `/api/rankings/${id}/recompute`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('RANKING_DECIDED');
    const r = await as('headA', 'GET', `/api/rankings/${id}`);
    expect(entry(r.body, f.person.adminA)).toMatchObject({ level: 'good', frozen: true, verified: true });
    expect(frozen.ruleSet).toMatchObject({ id: 'ND335-2025', version: 1 });
    expect(await verifyRanking(db, id)).toBe(true);
    expect((await rankingById(db, id))?.status).toBe('published');
  });

  it("applies QĐ 366's gates to a Party body's people through the workflow", async () => {
    const pb = await db
      .insertInto('org_unit')
      .values({
        type_code: 'party_body',
        province_id: f.unit.P,
        parent_id: f.unit.P,
        code: `PB-${randomUUID().slice(0, 6)}`,
        name_vi: 'Ban Tuyên giáo Tỉnh ủy',
        active_from: '2025-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await grant(db, f.person.headA!, 'unit_head', pb.id);
    const late = await person('Vũ Văn Hải', pb.id);
    const few = await person('Phan Thị Lan', pb.id);
    const best = await person('Lý Văn Minh', pb.id);
    const punished = await person('Trịnh Thị Nga', pb.id);
    for (const [p, s] of [
      [late, { total: 10, onTime: 9, late: 1, exceeded: 5 }],
      [few, { total: 10, onTime: 10, late: 0, exceeded: 2 }],
      [best, { total: 10, onTime: 10, late: 0, exceeded: 4 }],
      [punished, { total: 10, onTime: 10, late: 0, exceeded: 5 }],
    ] as const) {
      stats.set(p, s);
      await score(p, pb.id, '94');
    }
    discipline.push({ subjectId: punished, decisionNumber: '07-QĐ/UBKTTU' });
    const r = await as('headA', 'POST', '/api/rankings', { unitId: pb.id, year: YEAR });
    expect(r.status).toBe(201);
    w.started.push(unitRankingWorkflowId(YEAR, pb.id));
    expect(r.body.ruleSet.id).toBe('QD366-2025');
    expect(entry(r.body, late)).toMatchObject({ level: 'good' });
    expect(entry(r.body, late).gateFailures[0]).toMatchObject({ gateId: 'qd366.onTime', level: 'excellent' });
    expect(entry(r.body, late).gateFailures[0].text.vi).toBe(
      '94,00 điểm, nhưng chỉ 90% nhiệm vụ đúng hạn < 100%: không đạt Hoàn thành xuất sắc nhiệm vụ',
    );
    expect(entry(r.body, few).gateFailures[0].gateId).toBe('qd366.exceeded');
    expect(entry(r.body, few).gateFailures[0].text.en).toContain('only 20% of tasks exceeded < 30%');
    expect(entry(r.body, best)).toMatchObject({ level: 'excellent', gateFailures: [] });
    expect(entry(r.body, punished).level).toBe('notCompleted');
    expect(entry(r.body, punished).forcedBy[0].vi).toContain('07-QĐ/UBKTTU');

    const d = await as('headA', 'POST', `/api/rankings/${r.body.id}/decide`, { revision: r.body.revision });
    expect(d.status).toBe(200);
    // 2 Tốt → no Xuất sắc allowed: over by 1
    expect(d.body).toMatchObject({ phase: 'DECIDED', publicationBlocked: true, over: 1 });
    const frozen = await as('headA', 'GET', `/api/rankings/${r.body.id}`);
    expect(entry(frozen.body, late)).toMatchObject({ level: 'good', frozen: true, verified: true });
    expect(entry(frozen.body, late).gateFailures[0].gateId).toBe('qd366.onTime');
    // the exception is rejected: publication stays blocked
    const x = await as('headA', 'POST', `/api/rankings/${r.body.id}/exceptions`, {
      dutyGroup: 'default',
      extraPlaces: 1,
      justification: 'Đề nghị thêm một suất',
    });
    expect(x.status).toBe(201);
    const no = await as(
      'standingP',
      'POST',
      `/api/rankings/${r.body.id}/exceptions/${x.body.exceptionId}/decision`,
      {
        approve: false,
      },
    );
    expect(no.body).toMatchObject({ exceptionStatus: 'rejected', publicationBlocked: true, over: 1 });
    expect((await as('headA', 'POST', `/api/rankings/${r.body.id}/publish`)).body.code).toBe(
      'RANKING_QUOTA_BLOCKED',
    );
  });
  it('takes QĐ 366’s exceeded share from key results whose year value exceeds the target', async () => {
    const pb = await db
      .insertInto('org_unit')
      .values({
        type_code: 'party_body',
        province_id: f.unit.P,
        parent_id: f.unit.P,
        code: `PB-${randomUUID().slice(0, 6)}`,
        name_vi: 'Ban Dân vận Tỉnh ủy',
        active_from: '2025-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await grant(db, f.person.headA!, 'unit_head', pb.id);
    const over = await person('Hà Văn Quang', pb.id);
    const under = await person('Tạ Thị Rạng', pb.id);
    // each has one monthly key result "hồ sơ" (sum, target 120) of their own plan, due in June and July
    for (const [who, values] of [
      [over, ['80', '70']],
      [under, ['50', '40']],
    ] as const) {
      const planId = `plan:${YEAR}:person:${who}`;
      const versionId = await inForcePlan(db, YEAR, planId, { kind: 'person', personId: who }, pb.id, [
        keyResult('k1', { target: '120', ownerId: who }),
      ]);
      for (const [i, value] of values.entries())
        await seedVerifiedValue(db, {
          personId: who,
          unitId: pb.id,
          period: `${YEAR}-0${6 + i}`,
          plan: { planId, versionId },
          krId: 'k1',
          value,
          verifiedBy: f.person.headA!,
        });
      await score(who, pb.id, '95', {
        ok: true,
        keyResults: [
          { month: `${YEAR}-06`, planId, keyResultId: 'k1', title: 'Mục tiêu k1', delivered: true },
          { month: `${YEAR}-07`, planId, keyResultId: 'k1', title: 'Mục tiêu k1', delivered: true },
        ],
        items: [],
      });
    }
    // 80 + 70 = 150 > 120: both tasks exceeded; 50 + 40 = 90 ≤ 120: none
    const real = await periodTaskStats(db, [over, under], YEAR);
    expect(real.get(over)).toEqual({ total: 2, onTime: 2, late: 0, exceeded: 2 });
    expect(real.get(under)).toEqual({ total: 2, onTime: 2, late: 0, exceeded: 0 });
    const r = await as('headA', 'POST', '/api/rankings', { unitId: pb.id, year: YEAR });
    expect(r.status).toBe(201);
    w.started.push(unitRankingWorkflowId(YEAR, pb.id));
    expect(r.body.ruleSet.id).toBe('QD366-2025');
    expect(entry(r.body, over)).toMatchObject({ level: 'excellent', gateFailures: [] });
    expect(entry(r.body, under).level).toBe('good');
    expect(entry(r.body, under).gateFailures[0]).toMatchObject({ gateId: 'qd366.exceeded' });
    expect(entry(r.body, under).gateFailures[0].text.vi).toBe(
      '95,00 điểm, nhưng chỉ 0% nhiệm vụ vượt mức < 30%: không đạt Hoàn thành xuất sắc nhiệm vụ',
    );
    // the head of the body (headA) is not ranked here
    expect((r.body.entries as Json[]).map((e) => e.personId).sort()).toEqual([over, under].sort());
    const d = await as('headA', 'POST', `/api/rankings/${r.body.id}/decide`, { revision: r.body.revision });
    expect(d.status).toBe(200);
    const frozen = await as('headA', 'GET', `/api/rankings/${r.body.id}`);
    expect(entry(frozen.body, over)).toMatchObject({ level: 'excellent', frozen: true, verified: true });
    const snap = (
      await db
        .selectFrom('unit_ranking_entry')
        .select('frozen')
        .where('ranking_id', '=', r.body.id)
        .where('person_id', '=', over)
        .executeTakeFirstOrThrow()
    ).frozen as unknown as FrozenRanking;
    expect(snap.explanation.input.taskStats).toEqual({ total: 2, onTime: 2, late: 0, exceeded: 2 });
  });

  it("escalates a ranking still missing after its deadline to the province's secretariat", async () => {
    // unit B, with A's head also heading B (two heads: the task goes to B's unit heads as a role); the run starts
    // on 10/12/2027 and a virtual day lasts 300 ms
    await grant(db, f.person.headA!, 'unit_head', f.unit.B);
    await score(f.person.staffB!, f.unit.BD1, '82');
    warp = warpFrom(`${YEAR}-12-10`, 300);
    const r = await as('headA', 'POST', '/api/rankings', { unitId: f.unit.B, year: YEAR });
    warp = undefined;
    expect(r.status).toBe(201);
    w.started.push(unitRankingWorkflowId(YEAR, f.unit.B));
    const task = await waitFor(async () =>
      (await openTasks('year-end.ranking')).find((t) => t.subject_id === r.body.id),
    );
    expect(task).toMatchObject({ assignee_role: 'unit_head', assignee_unit_id: f.unit.B });
    expect(task.logical_due_date).toBe(r.body.deadline);
    const escalated = await waitFor(async () =>
      db
        .selectFrom('task_event')
        .selectAll()
        .where('task_id', '=', task.id)
        .where('kind', '=', 'escalated')
        .executeTakeFirst(),
    );
    expect(escalated.recipient_role).toBe('supervisor');
    const note = await waitFor(async () =>
      db
        .selectFrom('notification')
        .selectAll()
        .where('person_id', '=', f.person.secretariatP!)
        .where('kind', '=', 'ranking.escalated')
        .executeTakeFirst(),
    );
    expect(note.title_vi).toContain(`Xếp loại năm ${YEAR}`);
    // the flag of a ranking missing near its deadline (3 days before it), not earlier
    const row = (await rankingById(db, r.body.id))!;
    const near = await flagsOf(db, row, '2027-12-11');
    expect(near.find((x) => x.kind === 'missingNearDeadline')?.message.vi).toBe(
      `Chưa quyết định xếp loại; hạn ${row.deadline.split('-').reverse().join('/')} còn 3 ngày`,
    );
    expect((await flagsOf(db, row, '2027-11-01')).some((x) => x.kind === 'missingNearDeadline')).toBe(false);
  });
});
