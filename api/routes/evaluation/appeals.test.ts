// The notice of a published ranking and the appeal against it, through the API and the appeal workflow (issue 8
// point 4): on publication every frozen entry gets exactly one notice (+ in-app notification and e-mail) with
// the appeal window's last day from the province's setting; the PDF is served to the person and the ranking's
// readers only; an appeal within the window opens the organisation department's task, a late one is refused;
// the decision (changed / upheld) is recorded, audited and told to the person, and the frozen entry is never
// rewritten. Real PostgreSQL and a real worker on the Temporal dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unitRankingActivities } from '../../../activities/unit-ranking.ts';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { appealOutcomesOf, issueRankingNotices } from '../../../db/queries/ranking-notices.ts';
import { workingCalendar } from '../../../domain/calendar/working-days.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { appealWorkflowId } from '../../../workflows/appeal.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `appeal-api-${randomUUID()}`;
const YEAR = 2026;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  rankings: { taskQueue },
});
let f: OrgFixture;
let rankingId = '';

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
async function waitFor<T>(fn: () => Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + 20_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
const noticeOf = (personId: string) =>
  db.selectFrom('ranking_notice').selectAll().where('subject_id', '=', personId).executeTakeFirstOrThrow();
const frozen = (level: string, score: string) =>
  JSON.stringify({
    ruleSet: {
      id: 'ND335-2025',
      version: 1,
      legalBasis: [{ ref: 'Nghị định 335/2025/NĐ-CP', verification: 'V' }],
    },
    decidedOn: '2026-12-10',
    level,
    score,
    explanation: {
      steps: [{ vi: `Điểm năm ${score} thuộc khung xếp loại`, en: `Year score ${score} is in the band` }],
      gateFailures:
        level === 'good'
          ? [
              {
                gateId: 'excellent.onTime',
                level: 'excellent',
                message: { vi: 'Chưa đạt: 100% nhiệm vụ đúng hạn', en: 'Not met: all tasks on time' },
              },
            ]
          : [],
      forcedBy: [],
    },
  });

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(
    db,
    { ...TEST_PROFILE, id: `cal-${randomUUID()}` },
    { provinceId: f.unit.P, deadlineSettings: { appealWorkingDays: 5 } },
  );
  // a decided ranking of unit A (the engine and the ranking workflow are another helper's and tested there)
  const r = await db
    .insertInto('unit_ranking')
    .values({
      unit_id: f.unit.A,
      year: YEAR,
      status: 'decided',
      revision: 1,
      rule_set_id: 'ND335-2025',
      rule_set_version: 1,
      deadline: `${YEAR}-12-14`,
      decided_by: f.person.headA,
      decided_on: `${YEAR}-12-10`,
      decided_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  rankingId = r.id;
  const p = f.person;
  for (const [id, level, score] of [
    [p.officialA, 'good', '88.00'],
    [p.supervisorA, 'good', '85.00'],
    [p.auditorA, 'completed', '72.00'],
    [p.staffA, null, null],
  ] as const)
    await db
      .insertInto('unit_ranking_entry')
      .values({
        ranking_id: rankingId,
        person_id: id,
        agency_id: f.unit.A,
        duty_group: 'default',
        score,
        score_source: score ? 'periods' : 'none',
        level,
        frozen: level && score ? frozen(level, score) : null,
      })
      .execute();
});
afterAll(async () => {
  await w?.stop();
});

describe('ranking notices and appeals', () => {
  it('issues one notice per frozen entry on publication, exactly once, with the notification and e-mail', async () => {
    const acts = unitRankingActivities({ db });
    expect(await acts.publishUnitRanking({ rankingId, by: f.person.headA })).toEqual({ applied: true });
    expect(await acts.publishUnitRanking({ rankingId, by: f.person.headA })).toEqual({ applied: false });
    const notices = await db
      .selectFrom('ranking_notice')
      .selectAll()
      .where('ranking_id', '=', rankingId)
      .execute();
    expect(notices.map((n) => n.subject_id).sort()).toEqual(
      [f.person.officialA, f.person.supervisorA, f.person.auditorA].sort(),
    );
    const n = await noticeOf(f.person.officialA);
    expect(n).toMatchObject({
      ranking_kind: 'unit',
      track: 'state',
      level: 'good',
      score: '88.00',
      year: YEAR,
    });
    // the province's setting: 5 working days
    expect(n.appeal_until).toBe(workingCalendar(TEST_PROFILE).addWorkingDays(n.issued_on, 5));
    const inApp = await db
      .selectFrom('notification')
      .selectAll()
      .where('person_id', '=', f.person.officialA)
      .where('kind', '=', 'ranking.notice')
      .execute();
    expect(inApp).toHaveLength(1);
    expect(inApp[0]!.title_vi).toContain('Thông báo kết quả xếp loại năm 2026');
    expect(inApp[0]!.body_vi).toContain(
      `đến hết ngày ${n.appeal_until.slice(8, 10)}/${n.appeal_until.slice(5, 7)}`,
    );
    const mail = await db
      .selectFrom('mail_outbox')
      .select('id')
      .where('person_id', '=', f.person.officialA)
      .where('subject', 'like', '%Thông báo kết quả xếp loại%')
      .execute();
    expect(mail).toHaveLength(1);
    const audits = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'ranking.notice.issued')
      .execute();
    expect(audits).toHaveLength(3);
  });

  it('lists my notices and serves the PDF to the person and the ranking’s readers only', async () => {
    const mine = await as('officialA', 'GET', `/api/ranking-notices?year=${YEAR}`);
    expect(mine.status).toBe(200);
    expect(mine.body.notices).toHaveLength(1);
    expect(mine.body.notices[0]).toMatchObject({ level: 'good', canAppeal: true, appeal: null });
    expect(mine.body.notices[0].label.vi).toBe('Hoàn thành tốt nhiệm vụ');
    expect((await as('headA', 'GET', `/api/ranking-notices?year=${YEAR}`)).body.notices).toHaveLength(0);

    const n = await noticeOf(f.person.officialA);
    const pdf = await requestAs(app, f.session.officialA, 'GET', `/api/ranking-notices/${n.id}/notice.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(await pdf.arrayBuffer(), { mode: 'raw' });
    expect(text).toContain('THÔNG BÁO');
    expect(text).toContain('Kết quả đánh giá, xếp loại chất lượng năm 2026');
    expect(text).toContain('Mức xếp loại: Hoàn thành tốt nhiệm vụ');
    expect(text).toContain('Điểm đánh giá: 88,00');
    expect(text).toContain('Chưa đạt: 100% nhiệm vụ đúng hạn');
    expect(text).toContain('Căn cứ:');
    expect(text).toContain('Nghị định 335/2025/NĐ-CP');
    expect(text).toContain(
      `trong thời hạn 5 ngày làm việc kể từ ngày nhận thông báo, hạn cuối ngày ${n.appeal_until.slice(8, 10)}/${n.appeal_until.slice(5, 7)}/${n.appeal_until.slice(0, 4)}`,
    );
    // the ranking's readers (the unit head, the province's levels), not another person of the unit
    expect(
      (await requestAs(app, f.session.headA, 'GET', `/api/ranking-notices/${n.id}/notice.pdf`)).status,
    ).toBe(200);
    expect(
      (await requestAs(app, f.session.orgdeptP, 'GET', `/api/ranking-notices/${n.id}/notice.pdf`)).status,
    ).toBe(200);
    expect((await as('supervisorA', 'GET', `/api/ranking-notices/${n.id}/notice.pdf`)).status).toBe(403);
    expect((await as('adminQ', 'GET', `/api/ranking-notices/${n.id}/notice.pdf`)).status).toBe(403);
  });

  it('refuses a late appeal and someone else’s', async () => {
    const n = await noticeOf(f.person.auditorA);
    await db
      .updateTable('ranking_notice')
      .set({ issued_on: `${YEAR}-01-02`, appeal_until: `${YEAR}-01-05` })
      .where('id', '=', n.id)
      .execute();
    const late = await as('auditorA', 'POST', `/api/ranking-notices/${n.id}/appeal`, {
      reason: 'Chưa tính đủ',
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('RANKING_APPEAL_LATE');
    expect(late.body.detail ?? late.body.title).toBeDefined();
    expect(JSON.stringify(late.body)).toContain('Đã hết thời hạn kiến nghị');
    expect(JSON.stringify(late.body)).toContain('05/01/2026');
    const other = await as('officialA', 'POST', `/api/ranking-notices/${n.id}/appeal`, { reason: 'Thay' });
    expect(other.status).toBe(403);
    expect(await db.selectFrom('ranking_appeal').select('id').execute()).toHaveLength(0);
  });

  it('files an appeal in the window; the organisation department decides it changed', async () => {
    const n = await noticeOf(f.person.officialA);
    const filed = await as('officialA', 'POST', `/api/ranking-notices/${n.id}/appeal`, {
      reason: 'Sáng kiến cấp tỉnh chưa được tính',
    });
    expect(filed.status).toBe(201);
    w.started.push(appealWorkflowId(n.id));
    expect(filed.body).toMatchObject({ status: 'filed', reason: 'Sáng kiến cấp tỉnh chưa được tính' });
    const again = await as('officialA', 'POST', `/api/ranking-notices/${n.id}/appeal`, { reason: 'Lần hai' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(filed.body.id);
    // the level above: the province's organisation department
    const task = await waitFor(() =>
      db
        .selectFrom('task')
        .selectAll()
        .where('kind', '=', 'year-end.appeal')
        .where('status', '=', 'open')
        .executeTakeFirst(),
    );
    expect(task).toMatchObject({ assignee_role: 'organisation_department', assignee_unit_id: f.unit.P });

    const queue = await as('orgdeptP', 'GET', `/api/ranking-appeals?year=${YEAR}`);
    expect(queue.status).toBe(200);
    expect(queue.body.appeals).toHaveLength(1);
    expect(queue.body.appeals[0]).toMatchObject({ level: 'good', subject: { id: f.person.officialA } });
    // the unit head does not decide appeals
    expect((await as('headA', 'GET', `/api/ranking-appeals?year=${YEAR}`)).status).toBe(403);

    const needsLevel = await as('orgdeptP', 'POST', `/api/ranking-appeals/${filed.body.id}/decision`, {
      outcome: 'changed',
      decisionNumber: '15-QĐ/BTCTU',
    });
    expect(needsLevel.status).toBe(422);
    expect(
      (
        await as('headA', 'POST', `/api/ranking-appeals/${filed.body.id}/decision`, {
          outcome: 'upheld',
          decisionNumber: '1',
        })
      ).status,
    ).toBe(403);
    const d = await as('orgdeptP', 'POST', `/api/ranking-appeals/${filed.body.id}/decision`, {
      outcome: 'changed',
      newLevel: 'excellent',
      decisionNumber: '15-QĐ/BTCTU',
      note: 'Bổ sung sáng kiến',
    });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ phase: 'DECIDED', outcome: 'changed', newLevel: 'excellent' });
    const row = await db
      .selectFrom('ranking_appeal')
      .selectAll()
      .where('id', '=', filed.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'decided',
      outcome: 'changed',
      new_level: 'excellent',
      decision_number: '15-QĐ/BTCTU',
      decided_by: f.person.orgdeptP,
    });
    // the frozen entry is unchanged; the outcome is read from the appeal
    const entry = await db
      .selectFrom('unit_ranking_entry')
      .select(['level', 'frozen'])
      .where('ranking_id', '=', rankingId)
      .where('person_id', '=', f.person.officialA)
      .executeTakeFirstOrThrow();
    expect(entry.level).toBe('good');
    expect((entry.frozen as Json).level).toBe('good');
    const outcomes = await appealOutcomesOf(db, { rankingKind: 'unit', rankingIds: [rankingId] });
    expect(outcomes.get(`${rankingId}:${f.person.officialA}:state`)).toEqual({
      level: 'excellent',
      decisionNumber: '15-QĐ/BTCTU',
    });
    expect(outcomes.size).toBe(1);
    // the task closed, the audit trail, the person told
    expect(
      await db
        .selectFrom('task')
        .select('status')
        .where('kind', '=', 'year-end.appeal')
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'done' });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('aggregate_id', '=', n.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'ranking.notice.issued',
      'ranking.appeal.filed',
      'ranking.appeal.decided',
    ]);
    const told = await db
      .selectFrom('notification')
      .select('title_vi')
      .where('person_id', '=', f.person.officialA)
      .where('kind', '=', 'ranking.appeal.decided')
      .execute();
    expect(told).toEqual([
      { title_vi: 'Kiến nghị xếp loại năm 2026 được chấp nhận: Hoàn thành xuất sắc nhiệm vụ' },
    ]);
    const mine = await as('officialA', 'GET', `/api/ranking-notices?year=${YEAR}`);
    expect(mine.body.notices[0]).toMatchObject({
      canAppeal: false,
      appeal: { status: 'decided', newLevel: 'excellent' },
    });
    // a second decider is refused
    const twice = await as('standingP', 'POST', `/api/ranking-appeals/${filed.body.id}/decision`, {
      outcome: 'upheld',
      decisionNumber: '16-QĐ/TU',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('RANKING_APPEAL_DECIDED');
  });

  it('decides an appeal upheld: the level is kept', async () => {
    const n = await noticeOf(f.person.supervisorA);
    const filed = await as('supervisorA', 'POST', `/api/ranking-notices/${n.id}/appeal`, {
      reason: 'Đề nghị xem xét',
    });
    expect(filed.status).toBe(201);
    w.started.push(appealWorkflowId(n.id));
    const d = await as('standingP', 'POST', `/api/ranking-appeals/${filed.body.id}/decision`, {
      outcome: 'upheld',
      decisionNumber: '20-QĐ/TU',
    });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ outcome: 'upheld', newLevel: null });
    const outcomes = await appealOutcomesOf(db, { rankingKind: 'unit', rankingIds: [rankingId] });
    expect(outcomes.get(`${rankingId}:${f.person.supervisorA}:state`)).toEqual({
      level: 'good',
      decisionNumber: '20-QĐ/TU',
    });
    const pdf = await requestAs(app, f.session.supervisorA, 'GET', `/api/ranking-notices/${n.id}/notice.pdf`);
    const text = pdfText(await pdf.arrayBuffer(), { mode: 'raw' });
    expect(text).toContain(
      'Kết quả giải quyết kiến nghị: giữ nguyên mức Hoàn thành tốt nhiệm vụ (Quyết định số 20-QĐ/TU',
    );
  });

  it('takes the appeal window from the province setting the administrator changes (audited)', async () => {
    const put = await as('adminP', 'PUT', '/api/admin/calendar-profiles/appeal-window', {
      provinceId: f.unit.P,
      name: 'Lịch tỉnh (thời hạn kiến nghị 3 ngày)',
      weekendDays: TEST_PROFILE.weekendDays,
      holidays: TEST_PROFILE.holidays,
      makeUpWorkingDays: [],
      deadlineSettings: { appealWorkingDays: 3 },
    });
    expect(put.status).toBe(200);
    expect(
      (
        await as('adminP', 'PUT', '/api/admin/calendar-profiles/appeal-window', {
          provinceId: f.unit.P,
          name: 'x',
          weekendDays: [6, 7],
          holidays: [],
          makeUpWorkingDays: [],
          deadlineSettings: { appealWorkingDays: 0 },
        })
      ).status,
    ).toBe(400);
    const audited = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', 'appeal-window')
      .execute();
    expect(audited.length).toBeGreaterThan(0);
    const rankingId = randomUUID();
    const issued = await issueRankingNotices(db, {
      rankingKind: 'province',
      rankingId,
      issuedOn: '2026-12-18',
      year: YEAR,
      provinceId: f.unit.P,
      entries: [
        { subjectId: f.person.headA, track: 'state', level: 'good', score: '90.00', unitId: f.unit.A },
      ],
    });
    expect(issued).toBe(1);
    const n = await db
      .selectFrom('ranking_notice')
      .selectAll()
      .where('ranking_id', '=', rankingId)
      .executeTakeFirstOrThrow();
    // Friday 18/12 + 3 working days = Wednesday 23/12
    expect(n.appeal_until).toBe('2026-12-23');
  });
});
