// The plan phase of the scripted year (issue 8 point 6) on the dev server with a compressed calendar: one unit of
// the demo province and a sample of its people. The unit's plan through the annual-plan workflow (submitted by the
// plan officer, returned once with comments, resubmitted as a new version, appraised and approved by the chain's
// parties), decomposed into the people's personal plans (one returned once), each approved in its own workflow;
// then January's check-ins on those plans (simulateYear with `plans: 'scripted'`), so the hand-off to the months
// is proven. Its own year (2032): the plan workflow ids are business keys on the shared dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { getAnnualPlan } from '../../workflows/annual-plan.messages.ts';
import { peopleOfUnit, simulateYear, smallestUnitWith, summaryTable } from './engine.ts';
import { endOpenRuns } from './open-runs.ts';
import { PERSONAL_KR_ID, UNIT_KR_ID } from './plan-phase.ts';

const { db } = await freshDatabase();
const YEAR = 2032;
const PEOPLE = 4;
let w: TestWorker;
let provinceId = '';
let unitId = '';

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue: `simulate-plans-${randomUUID()}` });
  provinceId = (await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE })).provinceId;
  unitId = (await smallestUnitWith(db, { provinceId, year: YEAR, minPeople: 3 })) ?? '';
  expect(unitId).not.toBe('');
}, 300_000);
afterAll(async () => {
  if (w) await endOpenRuns(w.client, w.taskQueue).catch(() => 0);
  await w?.stop();
});

describe('the plan phase through the plan workflows, then a month on the plans in force', () => {
  it("the unit's plan returned once and approved, its people's plans in force, January's check-ins on them", async () => {
    const people = (await peopleOfUnit(db, unitId, YEAR)).slice(0, PEOPLE);
    const run = await simulateYear({
      db,
      client: w.client,
      taskQueue: w.taskQueue,
      provinceId,
      year: YEAR,
      unitIds: [unitId],
      months: [`${YEAR}-01`],
      msPerDay: 800,
      seed: 11,
      peoplePerUnit: PEOPLE,
      plans: 'scripted',
      giaoBanSessions: [],
      log: (e) => {
        if (e.kind === 'plan' || e.kind === 'error') console.log(`${e.date} ${e.kind} ${e.text}`);
      },
    });
    const [u] = run.units;
    const planErrors = run.timeline.filter((e) => e.kind === 'error' && e.text.startsWith('kế hoạch'));
    expect(planErrors).toEqual([]);

    // The unit's plan: two versions, the first submitted and returned with comments, the second approved.
    const unitPlanId = `plan:${YEAR}:unit:${unitId}`;
    const plan = await db
      .selectFrom('plan')
      .selectAll()
      .where('id', '=', unitPlanId)
      .executeTakeFirstOrThrow();
    expect(plan.workflow_id).toBe(unitPlanId);
    expect(plan.status).toBe('APPROVED');
    const versions = await db
      .selectFrom('plan_version')
      .select(['id', 'number', 'content'])
      .where('plan_id', '=', unitPlanId)
      .orderBy('number')
      .execute();
    expect(versions.map((v) => v.number)).toEqual([1, 2]);
    expect(plan.in_force_version_id).toBe(versions[1]!.id);
    const view = await w.client.workflow.getHandle(unitPlanId).query(getAnnualPlan);
    expect(view.phase).toBe('APPROVED');
    expect(view.round).toBe(2);
    expect(view.submitted?.versionId).toBe(versions[1]!.id);
    expect(view.decomposition?.status).toBe('done');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('aggregate_type', '=', 'plan')
      .where('aggregate_id', '=', unitPlanId)
      .orderBy('seq')
      .execute();
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['plan.created', 'plan.submitted', 'plan.returned', 'plan.approved']),
    );
    expect(actions.filter((a) => a === 'plan.submitted')).toHaveLength(2);
    const returnedEntry = audit.find((a) => a.action === 'plan.returned')!;
    expect(JSON.stringify(returnedEntry.after)).toContain(UNIT_KR_ID);
    expect(JSON.stringify(returnedEntry.after)).toContain('Ghi rõ cách đo chỉ tiêu');

    // The people's plans: decomposed from the unit's plan, each in force through its own workflow; one returned.
    const personal = await db
      .selectFrom('plan')
      .selectAll()
      .where('parent_plan_id', '=', unitPlanId)
      .execute();
    const ids = people.map((p) => p.person_id);
    const decomposed = personal.map((p) => p.person_id);
    // everyone but the unit's leadership (who would approve their own plan) has one
    expect(decomposed.length).toBeGreaterThanOrEqual(ids.length - 1);
    expect(view.decomposition?.childPlanIds.sort()).toEqual(personal.map((p) => p.id).sort());
    for (const p of personal) {
      expect(p.status).toBe('APPROVED');
      expect(p.in_force_version_id).not.toBeNull();
      expect(p.workflow_id).toBe(p.id);
      const v = await db
        .selectFrom('plan_version')
        .select('content')
        .where('id', '=', p.in_force_version_id!)
        .executeTakeFirstOrThrow();
      const kr = (
        v.content as { tasks: { keyResults: { id: string; parentKeyResultId?: string; target: string }[] }[] }
      ).tasks[0]!.keyResults[0]!;
      expect(kr).toMatchObject({ id: PERSONAL_KR_ID, parentKeyResultId: UNIT_KR_ID, target: '120' });
    }
    const twice = [];
    for (const p of personal) {
      const n = await db
        .selectFrom('plan_version')
        .select(({ fn }) => fn.countAll<string>().as('n'))
        .where('plan_id', '=', p.id)
        .executeTakeFirstOrThrow();
      if (Number(n.n) === 2) twice.push(p.id);
    }
    expect(twice).toHaveLength(1);
    const personalAudit = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('aggregate_type', '=', 'plan')
      .where('aggregate_id', '=', twice[0]!)
      .orderBy('seq')
      .execute();
    expect(personalAudit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['plan.created', 'plan.returned', 'plan.draft-saved', 'plan.approved']),
    );
    expect(JSON.stringify(personalAudit.find((a) => a.action === 'plan.returned')!.after)).toContain(
      PERSONAL_KR_ID,
    );
    const personalView = await w.client.workflow.getHandle(twice[0]!).query(getAnnualPlan);
    expect(personalView).toMatchObject({ phase: 'APPROVED', round: 2 });
    // The one left out is the unit's leadership (they would approve their own plan): written directly.
    const left = ids.filter((id) => !decomposed.includes(id));
    expect(
      run.timeline.some(
        (e) => e.kind === 'plan' && e.text === `${left.length} kế hoạch cá nhân có hiệu lực (ghi trực tiếp)`,
      ),
    ).toBe(left.length > 0);
    expect(u!.plansReturned).toBe(2);
    expect(summaryTable(run.units)).toContain('KH trả lại');

    // The timeline: every step of the plan phase, dated before the year.
    const planEvents = run.timeline.filter((e) => e.kind === 'plan');
    for (const step of ['Nộp kế hoạch', 'Trả lại kế hoạch: ', 'Phê duyệt kế hoạch', 'Giao kế hoạch cá nhân'])
      expect(planEvents.some((e) => e.text.startsWith(step))).toBe(true);
    expect(planEvents.filter((e) => e.text.startsWith('Trả lại kế hoạch: '))).toHaveLength(2);
    // in order: the unit's approval, the assignment of the people's plans, then their submissions
    const approvedUnit = planEvents.find((e) =>
      e.text.startsWith(`Phê duyệt kế hoạch: kế hoạch năm ${YEAR}`),
    )!;
    const assigned = planEvents.find((e) => e.text.startsWith('Giao kế hoạch cá nhân'))!;
    const personalSteps = planEvents.filter((e) => e.text.includes('kế hoạch cá nhân của'));
    expect(personalSteps.length).toBeGreaterThanOrEqual(2 * decomposed.length + 2);
    expect(approvedUnit.date <= assigned.date).toBe(true);
    expect(personalSteps.every((e) => e.date >= assigned.date)).toBe(true);
    expect(
      planEvents.filter((e) => e.text.startsWith('Nộp kế hoạch')).every((e) => e.date < `${YEAR}-02-01`),
    ).toBe(true);

    // The hand-off: January's check-ins report on the key result of each person's plan in force.
    const values = await db
      .selectFrom('check_in_value as v')
      .innerJoin('check_in as c', 'c.id', 'v.check_in_id')
      .select(['c.person_id', 'v.plan_id', 'v.plan_version_id', 'v.key_result_id', 'c.status'])
      .where(
        'c.person_id',
        'in',
        decomposed.filter((x): x is string => !!x),
      )
      .where('c.period', '=', `${YEAR}-01`)
      .execute();
    expect(values).toHaveLength(decomposed.length);
    for (const v of values) {
      const p = personal.find((x) => x.person_id === v.person_id)!;
      expect(v).toMatchObject({
        plan_id: p.id,
        plan_version_id: p.in_force_version_id,
        key_result_id: PERSONAL_KR_ID,
        status: 'VERIFIED',
      });
    }
    expect(u!.checkIns).toBe(people.length);
  }, 900_000);
});
