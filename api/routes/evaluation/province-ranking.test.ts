// The province ranking of its top units and their heads through the API and the province-ranking workflow
// (issue 8): the secretariat compiles it (each top unit's level from its unit plan's year score computed from the
// verified check-in values, each head's from the head's year-end supervisor score or, without one, the unit's
// result — provisional), the QĐ 377 flag from the unit's share of targets met, the heads' quota warning; the
// standing committee decides (frozen), publication is refused over the heads' quota without an approved
// exception, the committee records one and publishes. Refusals: not the committee, not the secretariat, a unit
// head, a stale revision, publishing undecided. Real PostgreSQL and a real worker on the Temporal dev server; the
// plans and values are seeded in the read model; only the heads' supervisor scores and one discipline record of
// a unit are injected (the year-end modules are other helpers').
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import {
  type ProvinceRankingSources,
  provinceRankingEntriesOf,
  provinceRankingOf,
} from '../../../db/queries/province-rankings.ts';
import { unitCompletionOf } from '../../../db/queries/unit-completion.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { dashKr, seedUnitPlan, seedVerifiedValue } from '../../../test/support/dashboard-seed.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { provinceRankingWorkflowId } from '../../../workflows/province-ranking.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `province-ranking-api-${randomUUID()}`;
const YEAR = 2027;
let f: OrgFixture;
const sources: ProvinceRankingSources = {
  yearScores: async (_e, a) => (a.unitId === f.unit.A ? new Map([[f.person.headA!, '95']]) : new Map()),
  disciplineRecordsOf: async (_e, a) =>
    a.unitIds?.includes(f.unit.B)
      ? [
          {
            subjectId: f.unit.B,
            type: 'state' as const,
            form: 'canhCao' as const,
            decisionNumber: '7/QĐ-UBND',
            date: `${YEAR}-04-02`,
            issuer: 'UBND tỉnh',
          },
        ]
      : [],
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
const entry = (r: Json, kind: string, subjectId: string) =>
  (r.entries as Json[]).find((e) => e.subjectKind === kind && e.subjectId === subjectId)!;
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
  const by = f.person.headA!;
  // unit A: one target exceeded (1300 of 1200), one half met (600 of 1200) → 50% of the targets met
  const a = await seedUnitPlan(db, {
    unitId: f.unit.A,
    year: YEAR,
    createdBy: by,
    tasks: [{ perspective: 'budget', keyResults: [dashKr('a1'), dashKr('a2')] }],
  });
  for (const [kr, value] of [
    ['a1', '1300'],
    ['a2', '600'],
  ] as const)
    await seedVerifiedValue(db, {
      personId: f.person.staffA!,
      unitId: f.unit.AD1,
      period: `${YEAR}-06`,
      plan: a,
      krId: kr,
      value,
      verifiedBy: f.person.supervisorA!,
    });
  // unit B: 960 of 1200 → 80% attainment, no target fully met
  const b = await seedUnitPlan(db, {
    unitId: f.unit.B,
    year: YEAR,
    createdBy: f.person.headB!,
    tasks: [{ perspective: 'budget', keyResults: [dashKr('b1')] }],
  });
  await seedVerifiedValue(db, {
    personId: f.person.staffB!,
    unitId: f.unit.BD1,
    period: `${YEAR}-06`,
    plan: b,
    krId: 'b1',
    value: '960',
    verifiedBy: f.person.headB!,
  });
});
afterAll(async () => {
  await w?.stop();
});

describe('the province ranking of units and their heads', () => {
  let id = '';

  it('is compiled by the secretariat only: units from their plans, heads from their scores', async () => {
    expect(await unitCompletionOf(db, { unitId: f.unit.A, year: YEAR })).toBe('0.5');
    expect(await unitCompletionOf(db, { unitId: f.unit.B, year: YEAR })).toBe('0');
    expect(await unitCompletionOf(db, { unitId: f.unit.M2, year: YEAR })).toBeUndefined();
    const body = { provinceId: f.unit.P, year: YEAR };
    expect((await as('standingP', 'POST', '/api/province-rankings', body)).status).toBe(403);
    expect((await as('headA', 'POST', '/api/province-rankings', body)).status).toBe(403);
    const notProvince = await as('secretariatP', 'POST', '/api/province-rankings', {
      provinceId: f.unit.A,
      year: YEAR,
    });
    expect(notProvince.status).toBe(403); // unit A is not the secretariat's province-level document
    const r = await as('secretariatP', 'POST', '/api/province-rankings', body);
    expect(r.status).toBe(201);
    id = r.body.id;
    w.started.push(provinceRankingWorkflowId(YEAR, f.unit.P));
    expect(r.body).toMatchObject({ status: 'draft', revision: 1, provisional: true, canCompile: true });
    expect(r.body.ruleSet).toMatchObject({ id: 'ND335-2025' });
    // one collective per top unit (A, B, M1, M2), one entry per unit head (A, B)
    expect((r.body.entries as Json[]).filter((e) => e.subjectKind === 'collective')).toHaveLength(4);
    expect((r.body.entries as Json[]).filter((e) => e.subjectKind === 'individual')).toHaveLength(2);
    const unitA = entry(r.body, 'collective', f.unit.A);
    expect(unitA.scoreSource).toBe('plan');
    expect(unitA.score).not.toBeNull();
    expect(entry(r.body, 'collective', f.unit.M2)).toMatchObject({ score: null, level: null });
    // B's own discipline decision forces its collective rank whatever its plan's score
    const unitB = entry(r.body, 'collective', f.unit.B);
    expect(unitB.level).toBe('notCompleted');
    expect(unitB.forcedBy[0].vi).toContain('7/QĐ-UBND');
    // the head of A: the supervisor's 95; the head of B: derived from B's result (provisional)
    expect(entry(r.body, 'individual', f.person.headA!)).toMatchObject({
      score: '95.00',
      scoreSource: 'supervisor',
      level: 'excellent',
      provisional: false,
      personName: expect.any(String),
    });
    const headB = entry(r.body, 'individual', f.person.headB!);
    expect(headB).toMatchObject({ scoreSource: 'unit', provisional: true, level: 'good' });
    expect(headB.score).toBe(entry(r.body, 'collective', f.unit.B).score);
    // the heads' quota: 1 Tốt → no Xuất sắc place; 1 → over by 1
    expect(r.body.quota).toMatchObject({
      good: 1,
      excellent: 1,
      allowed: 0,
      over: 1,
      publicationBlocked: true,
    });
    expect(r.body.quota.warning.vi).toContain('Vượt tỷ lệ Xuất sắc 1 người');
    // QĐ 377: A met 50% of its targets, B 0%
    const qd377 = (r.body.flags as Json[]).filter((x) => x.kind === 'qd377').map((x) => x.subjectId);
    expect(qd377.sort()).toEqual([f.person.headA, f.person.headB].sort());
    const headAFlag = (r.body.flags as Json[]).find((x) => x.subjectId === f.person.headA)!;
    expect(headAFlag.text.vi).toContain('đơn vị hoàn thành 50,00% chỉ tiêu năm');
    expect(headAFlag.text.en).toContain('unit completed 50.00% of the year targets');
    // the committee's task, due on the calendar's year-end.ranking deadline
    const task = await waitFor(async () =>
      db
        .selectFrom('task')
        .selectAll()
        .where('kind', '=', 'year-end.province-ranking')
        .where('status', '=', 'open')
        .executeTakeFirst(),
    );
    expect(task).toMatchObject({ assignee_role: 'standing_committee', assignee_unit_id: f.unit.P });
    expect(task.subject_id).toBe(id);
    // idempotent: a second POST answers the same ranking
    const again = await as('secretariatP', 'POST', '/api/province-rankings', body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    // readers: the province's levels, not a unit head
    expect((await as('standingP', 'GET', `/api/province-rankings/${id}`)).body.canDecide).toBe(true);
    expect(
      (await as('orgdeptP', 'GET', `/api/province-rankings?provinceId=${f.unit.P}&year=${YEAR}`)).status,
    ).toBe(200);
    expect((await as('headA', 'GET', `/api/province-rankings/${id}`)).status).toBe(403);
  });

  it('audits the creation and the compilation', async () => {
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'province_ranking')
      .where('aggregate_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action).filter((a) => a.startsWith('province-ranking.'))).toEqual([
      'province-ranking.created',
      'province-ranking.compiled',
    ]);
  });

  it('is decided by the committee, blocked over quota, unblocked by an approved exception, then published', async () => {
    expect(
      (await as('secretariatP', 'POST', `/api/province-rankings/${id}/decide`, { revision: 1 })).status,
    ).toBe(403);
    const early = await as('standingP', 'POST', `/api/province-rankings/${id}/publish`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('RANKING_NOT_DECIDED');
    const stale = await as('standingP', 'POST', `/api/province-rankings/${id}/decide`, { revision: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('RANKING_REVISION_CONFLICT');
    const d = await as('standingP', 'POST', `/api/province-rankings/${id}/decide`, { revision: 1 });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ phase: 'DECIDED', publicationBlocked: true, over: 1 });
    const decided = await as('standingP', 'GET', `/api/province-rankings/${id}`);
    expect(decided.body.status).toBe('decided');
    const scored = (decided.body.entries as Json[]).filter((e) => e.score !== null);
    expect(scored.length).toBeGreaterThan(0);
    expect(scored.every((e) => e.frozen && e.verified)).toBe(true);
    // recompiling a decided ranking is refused: it is frozen
    const recompute = await as('secretariatP', 'POST', `/api/province-rankings/${id}/recompute`);
    expect(recompute.status).toBe(409);
    expect(recompute.body.code).toBe('RANKING_DECIDED');
    // the committee's task is done
    expect(
      await db
        .selectFrom('task')
        .select('id')
        .where('kind', '=', 'year-end.province-ranking')
        .where('status', '=', 'open')
        .execute(),
    ).toHaveLength(0);

    const blocked = await as('standingP', 'POST', `/api/province-rankings/${id}/publish`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('RANKING_QUOTA_BLOCKED');
    expect(JSON.stringify(blocked.body)).toContain('Vượt 1');

    const noNumber = await as('standingP', 'POST', `/api/province-rankings/${id}/exception`, {
      places: 1,
      decisionNumber: '',
      justification: 'Thành tích đột xuất',
    });
    expect(noNumber.status).toBe(400);
    expect(
      (
        await as('secretariatP', 'POST', `/api/province-rankings/${id}/exception`, {
          places: 1,
          decisionNumber: '21-QĐ/TU',
          justification: 'Thành tích đột xuất',
        })
      ).status,
    ).toBe(403);
    const x = await as('standingP', 'POST', `/api/province-rankings/${id}/exception`, {
      places: 1,
      decisionNumber: '21-QĐ/TU',
      justification: 'Thành tích đột xuất',
    });
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ phase: 'DECIDED', publicationBlocked: false, over: 0 });

    const p = await as('standingP', 'POST', `/api/province-rankings/${id}/publish`);
    expect(p.status).toBe(200);
    expect(p.body.phase).toBe('PUBLISHED');
    const row = await provinceRankingOf(db, f.unit.P, YEAR);
    expect(row).toMatchObject({
      status: 'published',
      exception_decision_number: '21-QĐ/TU',
      exception_places: 1,
    });
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'province_ranking')
      .where('aggregate_id', '=', id)
      .execute();
    expect(audit.map((a) => a.action).filter((a) => a.startsWith('province-ranking.'))).toEqual([
      'province-ranking.created',
      'province-ranking.compiled',
      'province-ranking.decided',
      'province-ranking.exception.approved',
      'province-ranking.published',
    ]);
    // the workflow ends once published
    const handle = w.client.workflow.getHandle(provinceRankingWorkflowId(YEAR, f.unit.P));
    expect((await handle.result()).phase).toBe('PUBLISHED');
    // the reports' read: frozen levels with their explanation
    const rows = await provinceRankingEntriesOf(db, { provinceId: f.unit.P, year: YEAR });
    expect(rows).toHaveLength(6);
    expect(rows[0]!.subjectKind).toBe('collective');
    const head = rows.find((r) => r.subjectId === f.person.headA)!;
    expect(head).toMatchObject({
      subjectKind: 'individual',
      level: 'excellent',
      frozen: true,
      score: '95.00',
    });
    expect(head.personName).not.toBeNull();
    expect(head.explanation).toBeTruthy();
    // each ranked head receives their notice (the units, as collectives, read the published ranking)
    const notices = await db
      .selectFrom('ranking_notice')
      .select(['subject_id', 'level'])
      .where('ranking_kind', '=', 'province')
      .where('ranking_id', '=', id)
      .execute();
    expect(notices.map((n) => n.subject_id).sort()).toEqual(
      rows
        .filter((r) => r.subjectKind === 'individual')
        .map((r) => r.subjectId)
        .sort(),
    );
    expect(notices.find((n) => n.subject_id === f.person.headA)?.level).toBe('excellent');
    // the year-end evaluation of the province's units and heads as files: the province's levels read them
    const pdf = await requestAs(
      app,
      f.session.secretariatP,
      'GET',
      `/api/province-rankings/${f.unit.P}/${YEAR}/report.pdf`,
    );
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(await pdf.arrayBuffer(), { mode: 'raw' });
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain(head.personName!);
    expect(text).toContain('Hoàn thành xuất sắc nhiệm vụ');
    const xlsx = await requestAs(
      app,
      f.session.standingP,
      'GET',
      `/api/province-rankings/${f.unit.P}/${YEAR}/report.xlsx`,
    );
    expect(xlsx.status).toBe(200);
    expect(
      (await requestAs(app, f.session.headA, 'GET', `/api/province-rankings/${f.unit.P}/${YEAR}/report.pdf`))
        .status,
    ).toBe(403);
    expect(
      (
        await requestAs(
          app,
          f.session.secretariatP,
          'GET',
          `/api/province-rankings/${f.unit.P}/${YEAR + 1}/report.pdf`,
        )
      ).status,
    ).toBe(404);
  });
});
