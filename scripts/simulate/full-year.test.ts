// The full-year test (issue 8 point 7, first bullet): one unit of the demo province and its people through the
// year on the dev server with a compressed calendar, driven by the same scripted engine as `npm run simulate`
// (scripts/simulate/engine.ts): check-ins submitted (one late, escalated first; one returned and corrected) and
// verified through the check-in workflow's Updates, each month's assessment confirmed through its workflow, the
// year-end self-assessment and the supervisor's assessment, then the rankings started by the real 1 December start
// (startYearEndRankings: every top unit and the province ranking), the unit head's draft recomputed, decided and
// published through the unit-ranking workflow, the notices issued, one person's appeal decided by the province's
// organisation department through the appeal workflow, and the year-end review session (giao ban) with its
// conclusions published. Real PostgreSQL, a real worker; the plan phase first (the unit's plan returned once, then
// approved and decomposed into the people's plans through their workflows: scripts/simulate/plan-phase.ts), the
// twelve months of the year, the quarterly giao ban sessions (Q1–Q3) between them, December's check-in after the
// ranking.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { entriesOf, rankingById } from '../../db/queries/rankings.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { peopleOfUnit, simulateYear, smallestUnitWith, summaryTable } from './engine.ts';
import { endOpenRuns, openRunsOf } from './open-runs.ts';

const { db } = await freshDatabase();
const YEAR = 2027;
let w: TestWorker;
let provinceId = '';
let unitId = '';

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue: `simulate-${randomUUID()}` });
  provinceId = (await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE })).provinceId;
  // The smallest unit directly under the province with a head and at least three people.
  unitId = (await smallestUnitWith(db, { provinceId, year: YEAR, minPeople: 3 })) ?? '';
  expect(unitId).not.toBe('');
}, 300_000);
afterAll(async () => {
  await w?.stop();
});

describe('a full year of one unit through ranking (dev server, compressed calendar)', () => {
  it('check-ins, assessments, year-end and the published ranking, each through its workflow', async () => {
    const lines: string[] = [];
    const people = await peopleOfUnit(db, unitId, YEAR);
    const run = await simulateYear({
      db,
      client: w.client,
      taskQueue: w.taskQueue,
      provinceId,
      year: YEAR,
      unitIds: [unitId],
      msPerDay: 800,
      seed: 7,
      plans: 'scripted',
      log: (e) => lines.push(`${e.date} ${e.kind} ${e.text}`),
    });
    const [u] = run.units;
    expect(u!.people).toBe(people.length);
    expect(run.timeline.filter((e) => e.kind === 'error')).toEqual([]);
    expect(u!.failures).toBe(0);

    // The plan phase through the plan workflows: the unit's plan returned once and approved (two versions, the
    // second in force), decomposed into the people's plans, each in force; the months report on those plans.
    const unitPlan = await db
      .selectFrom('plan')
      .select(['id', 'status', 'in_force_version_id'])
      .where('id', '=', `plan:${YEAR}:unit:${unitId}`)
      .executeTakeFirstOrThrow();
    expect(unitPlan.status).toBe('APPROVED');
    const unitVersions = await db
      .selectFrom('plan_version')
      .select(['id', 'number'])
      .where('plan_id', '=', unitPlan.id)
      .orderBy('number')
      .execute();
    expect(unitVersions.length).toBe(2);
    expect(unitPlan.in_force_version_id).toBe(unitVersions[1]!.id);
    expect(u!.plansReturned).toBeGreaterThanOrEqual(1);
    const personal = await db
      .selectFrom('plan')
      .select(['person_id', 'in_force_version_id'])
      .where('owner_kind', '=', 'person')
      .where('year', '=', YEAR)
      .where(
        'person_id',
        'in',
        people.map((p) => p.person_id),
      )
      .execute();
    expect(personal.length).toBe(people.length);
    expect(personal.every((x) => x.in_force_version_id !== null)).toBe(true);
    const planSteps = run.timeline.filter((e) => e.kind === 'plan').map((e) => e.text);
    expect(planSteps.some((t) => t.startsWith('Trả lại kế hoạch'))).toBe(true);
    expect(planSteps.some((t) => t.startsWith('Phê duyệt kế hoạch'))).toBe(true);
    const reportedOn = await db
      .selectFrom('check_in_value as v')
      .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
      .select('v.plan_id')
      .distinct()
      .where(
        'c.person_id',
        'in',
        people.map((p) => p.person_id),
      )
      .execute();
    expect(reportedOn.length).toBe(people.length);
    expect(reportedOn.every((r) => r.plan_id.startsWith(`plan:${YEAR}:person:`))).toBe(true);
    expect(u!.checkIns).toBe(people.length * 12);
    expect(u!.assessmentsConfirmed).toBe(people.length * 12);
    expect(u!.yearEndReady).toBe(people.length);
    expect(u!.rankingStatus).toBe('published');
    expect(u!.appeal).not.toBeNull();
    // The scripted people: a late check-in escalated before it was submitted, a returned one corrected, a late
    // self-assessment reminded.
    expect(u!.late).toBeGreaterThanOrEqual(1);
    expect(u!.returned).toBeGreaterThanOrEqual(1);
    expect(u!.escalations).toBeGreaterThanOrEqual(2);
    const escalated = await db
      .selectFrom('task_event as e')
      .innerJoin('task as t', 't.id', 'e.task_id')
      .select(['t.subject_type', 'e.recipient_role'])
      .where('e.kind', '=', 'escalated')
      .where('t.subject_type', '=', 'check_in')
      .execute();
    expect(escalated.length).toBeGreaterThanOrEqual(1);
    const returned = await db
      .selectFrom('check_in_version as v')
      .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
      .select(({ fn }) => ['c.id', fn.countAll<number>().as('n')])
      .where(
        'c.person_id',
        'in',
        people.map((p) => p.person_id),
      )
      .groupBy('c.id')
      .having(({ fn }) => fn.countAll(), '>', 1)
      .execute();
    expect(returned.length).toBeGreaterThanOrEqual(1);

    // The process state the workflows wrote: verified check-ins, confirmed assessments, ready year-end rows.
    const ids = people.map((p) => p.person_id);
    const checkIns = await db.selectFrom('check_in').select('status').where('person_id', 'in', ids).execute();
    expect(checkIns.map((x) => x.status)).toEqual(Array(ids.length * 12).fill('VERIFIED'));
    const assessments = await db
      .selectFrom('period_assessment')
      .select(['status', 'total'])
      .where('person_id', 'in', ids)
      .execute();
    expect(assessments.every((a) => a.status === 'confirmed' && a.total !== null)).toBe(true);
    const yearEnd = await db
      .selectFrom('year_end_assessment')
      .select('status')
      .where('person_id', 'in', ids)
      .execute();
    expect(yearEnd.map((x) => x.status)).toEqual(Array(ids.length).fill('ready'));

    // The ranking: decided and published through the workflow, every person ranked and frozen.
    const ranking = (await rankingById(db, u!.rankingId!))!;
    expect(ranking.status).toBe('published');
    expect(ranking.workflow_id).toBe(`ranking:${YEAR}:unit:${unitId}`);
    const entries = await entriesOf(db, ranking.id);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.level !== null)).toBe(true);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', ranking.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['ranking.decided', 'ranking.published']),
    );

    const published = run.timeline.find((e) => e.kind === 'ranking' && e.text.startsWith('Công bố'))!;
    // The rankings started as on 1 December (startYearEndRankings): every top unit's ranking with its workflow, and
    // the province's ranking of the units and their heads.
    const topUnits = await db
      .selectFrom('org_unit')
      .select('id')
      .where('parent_id', '=', provinceId)
      .where('province_id', '=', provinceId)
      .where('active_from', '<=', `${YEAR}-12-01`)
      .where((eb) => eb.or([eb('active_to', 'is', null), eb('active_to', '>=', `${YEAR}-12-01`)]))
      .execute();
    const rankings = await db.selectFrom('unit_ranking').select(['unit_id', 'workflow_id']).execute();
    expect(rankings.length).toBe(topUnits.length);
    expect(rankings.every((x) => x.workflow_id === `ranking:${YEAR}:unit:${x.unit_id}`)).toBe(true);
    const prov = await db.selectFrom('province_ranking').select('workflow_id').execute();
    expect(prov.map((x) => x.workflow_id)).toEqual([`ranking:${YEAR}:province:${provinceId}`]);
    const opened = run.timeline.filter((e) => e.kind === 'ranking' && e.text.startsWith('Mở xếp loại'));
    expect(opened.map((e) => e.date)).toEqual([`${YEAR}-12-01`, `${YEAR}-12-01`]);

    // Notices issued on publication, one per ranked person (state track); the scripted appeal filed against one of
    // them and decided by the province's organisation department through the appeal workflow.
    const notices = await db
      .selectFrom('ranking_notice')
      .selectAll()
      .where('ranking_id', '=', ranking.id)
      .where('track', '=', 'state')
      .execute();
    expect(notices.length).toBe(entries.filter((e) => (e.track ?? 'state') === 'state').length);
    const appeals = await db
      .selectFrom('ranking_appeal as a')
      .innerJoin('ranking_notice as n', 'n.id', 'a.notice_id')
      .select([
        'a.status',
        'a.outcome',
        'a.new_level',
        'a.decided_by',
        'a.workflow_id',
        'n.subject_id',
        'n.level',
        'n.id',
      ])
      .execute();
    expect(appeals.length).toBe(1);
    const ap = appeals[0]!;
    expect(ap.status).toBe('decided');
    expect(ap.workflow_id).toBe(`appeal:${ap.id}`);
    expect(ap.outcome).toBe(ap.level === 'completed' || ap.level === 'notCompleted' ? 'changed' : 'upheld');
    const orgDept = await db
      .selectFrom('role_assignment')
      .select('person_id')
      .where('role_code', '=', 'organisation_department')
      .where('scope_unit_id', '=', provinceId)
      .execute();
    expect(orgDept.map((x) => x.person_id)).toContain(ap.decided_by);
    expect(ap.decided_by).not.toBe(ap.subject_id);
    // The frozen entry keeps its level (the appeal row carries a changed one).
    const appealed = entries.find((e) => e.person_id === ap.subject_id && (e.track ?? 'state') === 'state')!;
    expect(appealed.level).toBe(ap.level);
    const filed = run.timeline.findIndex((e) => e.kind === 'appeal' && e.text.includes('kiến nghị về mức'));
    const decidedAt = run.timeline.findIndex((e) => e.kind === 'appeal' && e.text.startsWith('Ban Tổ chức'));
    expect(filed).toBeGreaterThanOrEqual(0);
    expect(decidedAt).toBeGreaterThan(filed);
    expect(run.timeline[filed]!.date).toBe(published.date);

    // The year-end review session (giao ban) through its workflow: the dossiers frozen, a conclusion for every unit
    // on the agenda, published; the unit's conclusion announces its published ranking.
    // The quarterly sessions Q1–Q3 held and published through the same workflow, each with a conclusion for the unit.
    expect(run.giaoBan.map((g) => g.session)).toEqual([
      `${YEAR}-Q1`,
      `${YEAR}-Q2`,
      `${YEAR}-Q3`,
      `${YEAR}-year`,
    ]);
    for (const q of [1, 2, 3]) {
      const held = await db
        .selectFrom('giao_ban_session')
        .select('phase')
        .where('session', '=', `${YEAR}-Q${q}`)
        .executeTakeFirstOrThrow();
      expect(['PUBLISHED', 'CLOSED']).toContain(held.phase);
      const c = await db
        .selectFrom('giao_ban_conclusion')
        .select('unit_id')
        .where('session', '=', `${YEAR}-Q${q}`)
        .where('unit_id', '=', unitId)
        .execute();
      expect(c.length).toBe(1);
    }
    const yearSession = run.giaoBan.find((g) => g.session === `${YEAR}-year`)!;
    const session = await db
      .selectFrom('giao_ban_session')
      .select(['phase', 'session_date'])
      .where('session', '=', `${YEAR}-year`)
      .executeTakeFirstOrThrow();
    // (its follow-up ends on the next session's dossier day: the compressed calendar may have closed it already)
    expect(['PUBLISHED', 'CLOSED']).toContain(session.phase);
    const conclusions = await db
      .selectFrom('giao_ban_conclusion')
      .select(['unit_id', 'summary'])
      .where('session', '=', `${YEAR}-year`)
      .execute();
    expect(conclusions.length).toBe(yearSession.units);
    const own = conclusions.find((x) => x.unit_id === unitId)!;
    expect(own.summary).toContain('xếp loại cá nhân đã công bố');
    const gbLines = run.timeline.filter((e) => e.kind === 'giao-ban');
    expect(gbLines.some((e) => e.text.startsWith('Kết luận giao ban tổng kết năm'))).toBe(true);
    const gbPublished = gbLines.find((e) => e.text.startsWith('Công bố kết luận giao ban tổng kết năm'))!;
    expect(gbPublished.date >= session.session_date).toBe(true);
    // (its date is not compared with the ranking's: on the compressed calendar each workflow has a clock of its own,
    // and a loaded machine moves the ranking's further; the session follows the publication in the run — its
    // conclusion announces the published ranking, above — and real-calendar.test.ts checks the order on one clock)

    // The timeline is dated in the compressed calendar: January's check-ins from early February, the ranking in
    // December, December's check-ins in January after it; the escalation of a late check-in (the first person's
    // December) comes before its submission.
    const sub = run.timeline.filter((e) => e.kind === 'check-in');
    expect(sub.length).toBe(people.length * 12);
    expect(sub.every((e) => e.date >= `${YEAR}-02-01`)).toBe(true);
    const december = sub.filter((e) => e.text.includes(`tháng ${YEAR}-12`));
    expect(december.length).toBe(people.length);
    expect(december.every((e) => e.date > published.date)).toBe(true);
    // Not before December (the rankings start on the 1 December opening); how far into it depends on the
    // machine's load on the compressed calendar (a loaded run has published it in early January).
    expect(published.date >= `${YEAR}-12-01`).toBe(true);
    expect(summaryTable(run.units)).toContain(u!.unitName.slice(0, 20));
    expect(lines.length).toBe(run.timeline.length);
    const lateEsc = run.timeline.findIndex((e) => e.kind === 'escalation');
    const lateSub = run.timeline.findIndex((e) => e.kind === 'check-in' && e.text.includes('(muộn)'));
    expect(lateEsc).toBeGreaterThanOrEqual(0);
    expect(run.timeline[lateEsc]!.date <= run.timeline[lateSub]!.date).toBe(true);
    console.log(`${lines.join('\n')}\n${summaryTable(run.units)}`);

    // The end of the run (as `npm run simulate` ends it): the workflows left open on its task queue — the rankings
    // of the units outside the sample first of all — are terminated, none is left running.
    const ended = await endOpenRuns(w.client, w.taskQueue);
    expect(ended).toBeGreaterThanOrEqual(topUnits.length - 1);
    await expect
      .poll(async () => (await openRunsOf(w.client, w.taskQueue)).length, { timeout: 30_000, interval: 1000 })
      .toBe(0);
    const other = await w.client.workflow
      .getHandle(rankings.find((x) => x.unit_id !== unitId)!.workflow_id!)
      .describe();
    expect(other.status.name).toBe('TERMINATED');
  }, 600_000);
});
