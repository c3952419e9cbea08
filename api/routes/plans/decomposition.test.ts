// Plans after approval through the API (issue 5; DESIGN §2 Cascading and Amendments, §3): decomposition into
// sub-unit and person plans with cascaded key results and the coverage report, adopting suggested key
// results, bad input answered with stable problem codes and nothing saved, and — with a real worker on the
// Temporal dev server — a personal plan approved by the unit head, the decomposition declared done, an
// amendment approved (the version in force changes) and a Q1 plan approved.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { versionsOfPlan } from '../../../db/queries/plan-content.ts';
import { getPlan } from '../../../db/queries/plans.ts';
import { workingCalendar } from '../../../domain/calendar/working-days.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import type { AnnualPlanInput } from '../../../workflows/annual-plan.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `plans-decomposition-${randomUUID()}`;
const inputs = new Map<string, AnnualPlanInput>();
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: {
    taskQueue,
    adjustInput: (i) => {
      inputs.set(i.planId, i);
      return { ...i, timeWarp: warpFrom('2026-11-24', 5000) };
    },
  },
});
let f: OrgFixture;

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
});
afterAll(() => w?.stop());

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
type Who = keyof OrgFixture['session'];
async function as(
  who: Who,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await requestAs(app, f.session[who], method, path, body, headers);
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Json };
}
const enc = encodeURIComponent;
const planPath = (id: string) => `/api/plans/${enc(id)}`;

const kr = (id: string, title: string, extra: Json) => ({
  id,
  title,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '100',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: true,
  ...extra,
});
/** The parent's content: k1 (sum, mandatory to A.D1 and A.D2 → 50 each), k2 (average, mandatory to every
 * child → 95), k3 (suggested to every child). */
const parentContent = () => ({
  tasks: [
    {
      id: 't1',
      title: 'Giải quyết thủ tục hành chính',
      perspective: 'citizens',
      weight: '1',
      keyResults: [
        kr('k1', 'Số hồ sơ giải quyết', { cascade: { mode: 'mandatory', to: [f.unit.AD1, f.unit.AD2] } }),
        kr('k2', 'Tỷ lệ hồ sơ đúng hạn', {
          unit: '%',
          target: '95',
          aggregation: 'average',
          cascade: { mode: 'mandatory' },
        }),
        kr('k3', 'Số sáng kiến cải cách', { target: '4', cascade: { mode: 'suggested' } }),
      ],
    },
  ],
});

async function newUnitPlan(year: number) {
  const r = await as('officialA', 'POST', '/api/plans', { ownerKind: 'unit', unitId: f.unit.A, year });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  w.started.push(r.body.id);
  const path = planPath(r.body.id);
  const v2 = await as('officialA', 'PUT', `${path}/draft`, { baseVersion: 1, content: parentContent() });
  expect(v2.status, JSON.stringify(v2.body)).toBe(201);
  return { id: r.body.id as string, path, versionId: v2.body.version.id as string };
}

/** The read model says approved with this version in force (what the workflow's projection writes). */
async function markApproved(id: string, versionId: string) {
  await db
    .updateTable('plan')
    .set({
      status: 'APPROVED',
      phase: 'APPROVED',
      in_force_version_id: versionId,
      submitted_version_id: versionId,
      // ahead of the workflow's own projections, which would set it back to drafting
      state_version: 1_000_000,
    })
    .where('id', '=', id)
    .execute();
}

async function approveThroughWorkflow(p: { id: string; path: string; versionId: string }) {
  const s = await as('officialA', 'POST', `${p.path}/submit`, { versionId: p.versionId });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  const a = await as('secretariatP', 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  const d = await as('standingP', 'POST', `${p.path}/decide`, { decision: 'approve' });
  expect(d.status, JSON.stringify(d.body)).toBe(200);
  expect((await getPlan(db, p.id))?.in_force_version_id).toBe(p.versionId);
}

const planCount = async () =>
  Number(
    (
      await db
        .selectFrom('plan')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('plans: decomposition, cascading and bad input', () => {
  it("a unit's own plan starts with decomposition and period plans; the chains come from approval_chain", async () => {
    // the province configures the amendment chain of its departments' type: the unit head of the parent,
    // then the standing committee
    const typeOfA = (
      await db.selectFrom('org_unit').select('type_code').where('id', '=', f.unit.A).executeTakeFirstOrThrow()
    ).type_code;
    const chain = await db
      .insertInto('approval_chain')
      .values({ province_id: f.unit.P, unit_type_code: typeOfA, subject: 'amendment' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('approval_chain_step')
      .values([
        { chain_id: chain.id, step_no: 1, role_code: 'secretariat', scope: 'province' },
        { chain_id: chain.id, step_no: 2, role_code: 'standing_committee', scope: 'province' },
      ])
      .execute();
    const p = await newUnitPlan(2040);
    // the content schema checks the cascade marks: a mode it does not know, or targets that are not ids
    for (const cascade of [
      { mode: 'maybe' },
      { mode: 'suggested', to: ['A.D1'] },
      { mode: 'suggested', to: [] },
    ]) {
      const c = parentContent();
      (c.tasks[0]!.keyResults[2] as Json).cascade = cascade;
      const bad = await as('officialA', 'PUT', `${p.path}/draft`, { baseVersion: 2, content: c });
      expect([bad.status, bad.body.code], JSON.stringify(cascade)).toEqual([400, 'VALIDATION_FAILED']);
    }
    const input = inputs.get(p.id);
    expect(input).toMatchObject({
      decompose: true,
      periodPlans: true,
      chain: { levels: [{ role: 'secretariat' }, { role: 'standing-committee' }] },
      amendmentChain: {
        step: 'amendment-approval',
        levels: [{ role: 'secretariat' }, { role: 'standing-committee' }],
      },
    });
    expect(input?.parentPlanId).toBeUndefined();
    // a configured plan chain replaces the default; the organisation department is a level of its own (every
    // role approval_chain_step allows maps to a workflow level)
    const planChain = await db
      .insertInto('approval_chain')
      .values({ province_id: f.unit.P, unit_type_code: typeOfA, subject: 'plan' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('approval_chain_step')
      .values([
        { chain_id: planChain.id, step_no: 1, role_code: 'organisation_department', scope: 'province' },
        { chain_id: planChain.id, step_no: 2, role_code: 'standing_committee', scope: 'province' },
      ])
      .execute();
    try {
      const q = await newUnitPlan(2039);
      expect(inputs.get(q.id)?.chain).toEqual({
        step: 'plan-approval',
        levels: [{ role: 'organisation-department' }, { role: 'standing-committee' }],
      });
      expect(inputs.get(q.id)?.parties.organisationDepartment).toEqual({
        role: 'organisation_department',
        unitId: f.unit.P,
      });
    } finally {
      await db.deleteFrom('approval_chain').where('id', '=', planChain.id).execute();
    }
  });

  it('children: wrong phase, unknown ids, a unit not under the plan, a person not in it → problems, nothing saved', async () => {
    const p = await newUnitPlan(2041);
    const before = await planCount();
    const child = (owner: Json, id = p.id) => as('officialA', 'POST', `${planPath(id)}/children`, { owner });
    // the plan is still drafting
    const early = await child({ kind: 'unit', unitId: f.unit.AD1 });
    expect([early.status, early.body.code]).toEqual([409, 'PLAN_NOT_IN_FORCE']);
    expect(early.body.message.vi).toContain('DRAFTING');
    await markApproved(p.id, p.versionId);
    const unknownPlan = await child({ kind: 'unit', unitId: f.unit.AD1 }, `plan:2041:unit:${randomUUID()}`);
    expect([unknownPlan.status, unknownPlan.body.code]).toEqual([404, 'PLAN_NOT_FOUND']);
    const unknownUnit = await child({ kind: 'unit', unitId: randomUUID() });
    expect([unknownUnit.status, unknownUnit.body.code]).toEqual([404, 'ORG_UNIT_NOT_FOUND']);
    const notUnder = await child({ kind: 'unit', unitId: f.unit.BD1 });
    expect([notUnder.status, notUnder.body.code]).toEqual([422, 'CHILD_UNIT_NOT_UNDER_PARENT']);
    const itself = await child({ kind: 'unit', unitId: f.unit.A });
    expect(itself.body.code).toBe('CHILD_UNIT_NOT_UNDER_PARENT');
    const unknownPerson = await child({ kind: 'person', personId: randomUUID() });
    expect([unknownPerson.status, unknownPerson.body.code]).toEqual([404, 'PERSON_NOT_FOUND']);
    const outsider = await child({ kind: 'person', personId: f.person.staffB });
    expect([outsider.status, outsider.body.code]).toEqual([422, 'PERSON_NOT_IN_UNIT']);
    expect(outsider.body.message).toMatchObject({ vi: expect.any(String), en: expect.any(String) });
    // another province's administrator may not decompose A's plan
    const foreign = await as('adminQ', 'POST', `${planPath(p.id)}/children`, {
      owner: { kind: 'unit', unitId: f.unit.AD1 },
    });
    expect(foreign.status).toBe(403);
    expect(await planCount()).toBe(before);
  });

  it('a child plan gets the mandatory key results (with its share), lists the suggested ones, and may not drop or lower them', async () => {
    const p = await newUnitPlan(2042);
    await markApproved(p.id, p.versionId);
    const r = await as('officialA', 'POST', `${p.path}/children`, {
      owner: { kind: 'unit', unitId: f.unit.AD1 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    w.started.push(r.body.id);
    expect(r.body.id).toBe(`plan:2042:unit:${f.unit.AD1}`);
    expect(r.body.parentPlanId).toBe(p.id);
    expect((await as('headA', 'GET', planPath(r.body.id))).body.parentPlanId).toBe(p.id);
    expect(r.body.content.tasks).toHaveLength(1);
    const krs = r.body.content.tasks[0].keyResults;
    expect(krs.map((k: Json) => [k.id, k.parentKeyResultId, k.target, k.cascade])).toEqual([
      ['c-k1', 'k1', '50', undefined],
      ['c-k2', 'k2', '95', undefined],
    ]);
    expect(r.body.mandatory.map((m: Json) => [m.parentKeyResultId, m.share])).toEqual([
      ['k1', '50'],
      ['k2', '95'],
    ]);
    expect(r.body.suggested.map((s: Json) => [s.keyResultId, s.mode])).toEqual([['k3', 'suggested']]);
    // its workflow runs: decided by the unit's leadership, due before the Q1 plan date, with its parent
    const input = inputs.get(r.body.id);
    expect(input).toMatchObject({
      parentPlanId: p.id,
      scope: 'individual',
      chain: { levels: [{ role: 'unit-head' }] },
      parties: { unitHead: { personId: f.person.headA } },
    });
    const dl = (id: string) => input?.calendar.deadlines.find((d) => d.id === id)?.date;
    expect(dl('plan.approve')).toBe(dl('plan.q1'));
    // a department: 2 working days before the Q1 plan date (persons 4)
    expect(dl('plan.submit')).toBe(workingCalendar(TEST_PROFILE).addWorkingDays(dl('plan.q1') ?? '', -2));
    expect((await w.client.workflow.getHandle(r.body.id).describe()).status.name).toBe('RUNNING');

    const path = planPath(r.body.id);
    const content = (tasks: Json[]) => ({ tasks });
    const t = r.body.content.tasks[0];
    // dropping k1 (mandatory) → 422, nothing saved
    const dropped = await as('officialA', 'PUT', `${path}/draft`, {
      baseVersion: 1,
      content: content([{ ...t, keyResults: [krs[1]] }]),
    });
    expect([dropped.status, dropped.body.code]).toEqual([422, 'CASCADE_MANDATORY_VIOLATED']);
    expect(dropped.body.details.removed).toEqual(['k1']);
    expect(dropped.body.message.vi).toContain('Số hồ sơ giải quyết');
    expect(dropped.body.message.en).toContain('Nothing was saved');
    // lowering k2 below its 95% share → 422
    const lowered = await as('officialA', 'PUT', `${path}/draft`, {
      baseVersion: 1,
      content: content([{ ...t, keyResults: [krs[0], { ...krs[1], target: '90' }] }]),
    });
    expect(lowered.body.code).toBe('CASCADE_MANDATORY_VIOLATED');
    expect(lowered.body.details.lowered).toEqual([{ keyResultId: 'c-k2', share: '95', target: '90' }]);
    expect((await versionsOfPlan(db, r.body.id)).map((v) => v.number)).toEqual([1]);
    // raising it is fine
    const raised = await as('officialA', 'PUT', `${path}/draft`, {
      baseVersion: 1,
      content: content([{ ...t, keyResults: [krs[0], { ...krs[1], target: '97' }] }]),
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);

    // the suggested k3: listed, adopted (a new version, audited), then no longer listed
    const sug = await as('officialA', 'GET', `${path}/cascade`);
    expect(sug.status).toBe(200);
    expect(sug.body).toMatchObject({ parentPlanId: p.id, items: [{ keyResultId: 'k3', taskId: 't1' }] });
    const badTask = await as('officialA', 'POST', `${path}/cascade/adopt`, {
      keyResultId: 'k3',
      taskId: 'nope',
    });
    expect([badTask.status, badTask.body.code]).toEqual([422, 'TASK_NOT_FOUND']);
    const notSuggested = await as('officialA', 'POST', `${path}/cascade/adopt`, { keyResultId: 'k1' });
    expect([notSuggested.status, notSuggested.body.code]).toEqual([404, 'CASCADE_ITEM_NOT_FOUND']);
    const adopt = await as('officialA', 'POST', `${path}/cascade/adopt`, { keyResultId: 'k3' });
    expect(adopt.status, JSON.stringify(adopt.body)).toBe(201);
    expect(adopt.body.version.number).toBe(3);
    expect((await as('officialA', 'GET', `${path}/cascade`)).body.items).toEqual([]);
    const again = await as('officialA', 'POST', `${path}/cascade/adopt`, { keyResultId: 'k3' });
    expect(again.body.code).toBe('CASCADE_ITEM_NOT_FOUND');
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', r.body.id)
      .where('actor', '=', f.person.officialA)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['plan.created', 'plan.draft-saved', 'plan.cascade-adopted']);
    // a plan with no parent has nothing cascaded to it
    const none = await as('officialA', 'GET', `${p.path}/cascade`);
    expect([none.status, none.body.code]).toEqual([409, 'PLAN_HAS_NO_PARENT']);
  });

  it('children and coverage: the children add up to the parent by each rule; gaps block completion', async () => {
    const p = await newUnitPlan(2043);
    await markApproved(p.id, p.versionId);
    const none = await as('officialA', 'POST', `${p.path}/decomposition/complete`);
    expect([none.status, none.body.code]).toEqual([409, 'DECOMPOSITION_EMPTY']);
    const d1 = await as('officialA', 'POST', `${p.path}/children`, {
      owner: { kind: 'unit', unitId: f.unit.AD1 },
    });
    expect(d1.status, JSON.stringify(d1.body)).toBe(201);
    w.started.push(d1.body.id);
    const me = await as('headA', 'POST', `${p.path}/children`, {
      owner: { kind: 'person', personId: f.person.officialA },
    });
    expect(me.status, JSON.stringify(me.body)).toBe(201);
    w.started.push(me.body.id);
    // k1 goes to the departments only; k2 to everyone
    expect(me.body.content.tasks[0].keyResults.map((k: Json) => [k.id, k.ownerId])).toEqual([
      ['c-k2', f.person.officialA],
    ]);
    const mine = inputs.get(me.body.id);
    expect(mine).toMatchObject({
      owner: { kind: 'person', personId: f.person.officialA, unitId: f.unit.AD1 },
      scope: 'individual',
    });
    const pdl = (id: string) => mine?.calendar.deadlines.find((d) => d.id === id)?.date;
    expect(pdl('plan.submit')).toBe(workingCalendar(TEST_PROFILE).addWorkingDays(pdl('plan.q1') ?? '', -4));
    const list = await as('officialA', 'GET', `${p.path}/children`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: Json) => [x.id, x.status, x.latestVersion])).toEqual([
      [d1.body.id, 'DRAFTING', 1],
      [me.body.id, 'DRAFTING', 1],
    ]);
    // k1: 50 of 100 (A.D2 has no plan yet); k2: average 95 → covered
    expect(list.body.coverage).toMatchObject({ checked: 2, gaps: 1 });
    expect(list.body.coverage.findings).toEqual([
      expect.objectContaining({
        code: 'CHILDREN_DO_NOT_COVER_PARENT',
        target: 'k1',
        params: expect.objectContaining({ combined: '50', target: '100' }),
        message: { vi: expect.any(String), en: expect.any(String) },
      }),
    ]);
    const gaps = await as('officialA', 'POST', `${p.path}/decomposition/complete`);
    expect([gaps.status, gaps.body.code]).toEqual([409, 'DECOMPOSITION_GAPS']);
    expect(gaps.body.details.findings[0].code).toBe('CHILDREN_DO_NOT_COVER_PARENT');
    expect(gaps.body.message.en).toContain('1 gaps');
    const d2 = await as('officialA', 'POST', `${p.path}/children`, {
      owner: { kind: 'unit', unitId: f.unit.AD2 },
    });
    expect(d2.status).toBe(201);
    w.started.push(d2.body.id);
    const covered = await as('officialA', 'GET', `${p.path}/children`);
    expect(covered.body.coverage).toMatchObject({ checked: 2, gaps: 0, findings: [] });
    // a child twice → 409, nothing saved
    const twice = await as('officialA', 'POST', `${p.path}/children`, {
      owner: { kind: 'unit', unitId: f.unit.AD2 },
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'PLAN_EXISTS']);
  });

  it('amendments: an empty reason, a foreign version, no change, a drafting plan → problems; saving on an approved plan keeps the version in force', async () => {
    const p = await newUnitPlan(2044);
    const drafting = await as('officialA', 'POST', `${p.path}/amendments`, {
      versionId: p.versionId,
      reason: 'x',
    });
    expect([drafting.status, drafting.body.code]).toEqual([409, 'PLAN_NOT_IN_FORCE']);
    await markApproved(p.id, p.versionId);
    const empty = await as('officialA', 'POST', `${p.path}/amendments`, {
      versionId: p.versionId,
      reason: '   ',
    });
    expect([empty.status, empty.body.code]).toEqual([422, 'AMENDMENT_REASON_REQUIRED']);
    const same = await as('officialA', 'POST', `${p.path}/amendments`, {
      versionId: p.versionId,
      reason: 'Lý do',
    });
    expect([same.status, same.body.code]).toEqual([422, 'AMENDMENT_NO_CHANGES']);
    const other = await newUnitPlan(2045);
    const foreign = await as('officialA', 'POST', `${p.path}/amendments`, {
      versionId: other.versionId,
      reason: 'Lý do',
    });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'PLAN_VERSION_NOT_FOUND']);
    // the amendment draft is saved; the version in force stays
    const c = parentContent();
    c.tasks[0]!.keyResults[0]!.target = '120';
    const v3 = await as('officialA', 'PUT', `${p.path}/draft`, { baseVersion: 2, content: c });
    expect(v3.status, JSON.stringify(v3.body)).toBe(201);
    expect((await getPlan(db, p.id))?.in_force_version_id).toBe(p.versionId);
    const detail = await as('officialA', 'GET', p.path);
    expect(detail.body).toMatchObject({ status: 'APPROVED', editable: true, inForceVersionId: p.versionId });
    // period plans: a wrong period key is refused by the contract
    const badPeriod = await as('officialA', 'POST', `${p.path}/period-plans/2027-Q5/submit`, {
      versionId: p.versionId,
    });
    expect([badPeriod.status, badPeriod.body.code], JSON.stringify(badPeriod.body)).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    expect(
      await db
        .selectFrom('audit_log')
        .select('id')
        .where('aggregate_id', '=', p.id)
        .where('action', 'like', 'plan.amend%')
        .execute(),
    ).toEqual([]);
  });
});

describe('plans: the process after approval through workflow Updates', () => {
  it('a personal plan is submitted by its owner and approved by the unit head', async () => {
    const r = await as('officialA', 'POST', '/api/plans', {
      ownerKind: 'person',
      personId: f.person.officialA,
      year: 2046,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    w.started.push(r.body.id);
    expect(r.body.workflowId).toBe(r.body.id);
    const path = planPath(r.body.id);
    const s = await as('officialA', 'POST', `${path}/submit`, { versionId: r.body.version.id });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.phase).toBe('SUBMITTED');
    // the province does not decide a plan inside a unit; the supervisor is not the unit's head
    expect((await as('standingP', 'POST', `${path}/decide`, { decision: 'approve' })).status).toBe(403);
    expect((await as('supervisorA', 'POST', `${path}/decide`, { decision: 'approve' })).status).toBe(403);
    const d = await as('headA', 'POST', `${path}/decide`, { decision: 'approve' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ phase: 'APPROVED', status: 'APPROVED' });
    expect(await getPlan(db, r.body.id)).toMatchObject({
      status: 'APPROVED',
      in_force_version_id: r.body.version.id,
    });
  });

  it('a unit head away delegates: the delegate decides a personal plan on their behalf (waits on H1: onBehalfOf)', async () => {
    const r = await as('officialA', 'POST', '/api/plans', {
      ownerKind: 'person',
      personId: f.person.officialA,
      year: 2047,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    w.started.push(r.body.id);
    const path = planPath(r.body.id);
    expect((await as('officialA', 'POST', `${path}/submit`, { versionId: r.body.version.id })).status).toBe(
      200,
    );
    // no delegation yet: the supervisor may not decide
    expect((await as('supervisorA', 'POST', `${path}/decide`, { decision: 'approve' })).status).toBe(403);
    await waitForTask(r.body.id, 'plan.decide');
    const today = new Date().toISOString().slice(0, 10);
    await db
      .insertInto('delegation')
      .values({
        id: `delegation:${f.person.headA}:${today}`,
        principal_id: f.person.headA,
        delegate_id: f.person.supervisorA,
        unit_id: f.unit.A,
        from_date: '2026-01-01',
        to_date: '2099-12-31',
        reason: 'Đi công tác',
        status: 'APPROVED',
        approver_id: null,
        decided_by: null,
        decided_at: null,
        decision_note: null,
        revoked_by: null,
        revoked_at: null,
        workflow_id: `delegation:${f.person.headA}:${today}`,
        requested_by: f.person.headA,
      })
      .execute();
    const d = await as('supervisorA', 'POST', `${path}/decide`, { decision: 'approve' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body.phase).toBe('APPROVED');
    const task = await db
      .selectFrom('task')
      .select(['closed_by'])
      .where('subject_id', '=', r.body.id)
      .where('kind', '=', 'plan.decide')
      .executeTakeFirstOrThrow();
    expect(task.closed_by).toBe(f.person.supervisorA);
  });

  it('decomposition done: children created from an approved plan, covered, then completed (waits on H1: completeDecomposition)', async () => {
    const p = await newUnitPlan(2048);
    await approveThroughWorkflow(p);
    for (const unitId of [f.unit.AD1, f.unit.AD2]) {
      const ch = await as('officialA', 'POST', `${p.path}/children`, { owner: { kind: 'unit', unitId } });
      expect(ch.status, JSON.stringify(ch.body)).toBe(201);
      w.started.push(ch.body.id);
    }
    const done = await as('headA', 'POST', `${p.path}/decomposition/complete`, undefined, {
      'idempotency-key': `decomp-${randomUUID()}`,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const view = await as('officialA', 'GET', `${p.path}/process`);
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.decomposition).toMatchObject({ status: 'done' });
    expect(view.body.decomposition.childPlanIds).toHaveLength(2);
  });

  it('an amendment is proposed, endorsed and approved: the version in force changes (waits on H1: proposeAmendment)', async () => {
    const p = await newUnitPlan(2049);
    await approveThroughWorkflow(p);
    const c = parentContent();
    c.tasks[0]!.keyResults[0]!.target = '120';
    c.tasks[0]!.keyResults.pop(); // drop k3
    const v3 = await as('officialA', 'PUT', `${p.path}/draft`, { baseVersion: 2, content: c });
    expect(v3.status, JSON.stringify(v3.body)).toBe(201);
    const key = { 'idempotency-key': `amend-${randomUUID()}` };
    const body = { versionId: v3.body.version.id, reason: 'Bổ sung chỉ tiêu theo chỉ đạo mới' };
    const [a1, a2] = await Promise.all([
      as('officialA', 'POST', `${p.path}/amendments`, body, key),
      as('officialA', 'POST', `${p.path}/amendments`, body, key),
    ]);
    expect(a1.status, JSON.stringify(a1.body)).toBe(200);
    expect(a2.body).toEqual(a1.body);
    expect(a1.body.changes).toEqual({ added: 0, adjusted: 1, dropped: 1 });
    expect((await getPlan(db, p.id))?.in_force_version_id).toBe(p.versionId);
    const e = await as('secretariatP', 'POST', `${p.path}/amendments/review`, { decision: 'endorse' });
    expect(e.status, JSON.stringify(e.body)).toBe(200);
    const ap = await as('standingP', 'POST', `${p.path}/amendments/review`, { decision: 'approve' });
    expect(ap.status, JSON.stringify(ap.body)).toBe(200);
    await expect.poll(async () => (await getPlan(db, p.id))?.in_force_version_id).toBe(v3.body.version.id);
    const view = await as('officialA', 'GET', `${p.path}/process`);
    expect(view.body.amendments).toEqual([
      expect.objectContaining({ number: 1, versionId: v3.body.version.id, status: 'approved' }),
    ]);
  });

  it('the Q1 plan is submitted and approved by the unit head (waits on H1: submitPeriodPlan)', async () => {
    const p = await newUnitPlan(2050);
    await approveThroughWorkflow(p);
    const s = await as('officialA', 'POST', `${p.path}/period-plans/2050-Q1/submit`, {
      versionId: p.versionId,
    });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(
      (await as('standingP', 'POST', `${p.path}/period-plans/2050-Q1/decide`, { decision: 'approve' }))
        .status,
    ).toBe(403);
    const d = await as('headA', 'POST', `${p.path}/period-plans/2050-Q1/decide`, { decision: 'approve' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const view = await as('officialA', 'GET', `${p.path}/process`);
    expect(view.body.periodPlans).toEqual(
      expect.arrayContaining([expect.objectContaining({ period: '2050-Q1', status: 'approved' })]),
    );
  });
});

async function waitForTask(planId: string, kind: string) {
  await expect
    .poll(
      async () =>
        (
          await db
            .selectFrom('task')
            .select('id')
            .where('subject_id', '=', planId)
            .where('kind', '=', kind)
            .where('status', '=', 'open')
            .executeTakeFirst()
        )?.id,
      { timeout: 15_000 },
    )
    .toBeDefined();
}
