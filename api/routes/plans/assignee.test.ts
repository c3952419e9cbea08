// Process steps authorized by the open item's assignee (issue 5): a province's approval chain for agencies
// configured as [the unit's head, the standing committee] — the unit head appraises (no role rule lets a unit
// head appraise), the secretariat (whose role rule still reaches the plan) is refused by the workflow's
// validator with its reason, other people are refused 403, nobody appraises a plan they drafted, the
// assignee's delegate acts on their behalf, and the committee decides; the decomposition picker lists the
// unit's sub-units and the people without a plan of the year. With a real worker on the Temporal dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, grant, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `plans-assignee-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  plans: { taskQueue, adjustInput: (i) => ({ ...i, timeWarp: warpFrom('2026-11-24', 5000) }) },
});
let f: OrgFixture;

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  // the province's chain for agencies' plans: the unit's head appraises, the standing committee decides
  const chain = await db
    .insertInto('approval_chain')
    .values({ province_id: f.unit.P, unit_type_code: 'agency', subject: 'plan' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('approval_chain_step')
    .values([
      { chain_id: chain.id, step_no: 1, role_code: 'unit_head', scope: 'unit' },
      { chain_id: chain.id, step_no: 2, role_code: 'standing_committee', scope: 'province' },
    ])
    .execute();
});
afterAll(() => w?.stop());

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
type Who = keyof OrgFixture['session'];
async function as(who: Who, method: string, path: string, body?: unknown) {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}

async function submitted(year: number, drafter: Who = 'officialA') {
  const r = await as(drafter, 'POST', '/api/plans', { ownerKind: 'unit', unitId: f.unit.A, year });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  w.started.push(r.body.id);
  const path = `/api/plans/${encodeURIComponent(r.body.id)}`;
  const s = await as(drafter, 'POST', `${path}/submit`, { versionId: r.body.version.id });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  expect(s.body.phase).toBe('SUBMITTED');
  return { id: r.body.id as string, path };
}

const appraiseTask = async (planId: string) =>
  (await tasksOfSubject(db, 'plan', planId)).find((t) => t.kind === 'plan.appraise');

describe('process steps by the open item of a configured approval chain', () => {
  it('the unit head appraises, the secretariat is refused by the workflow, others 403, the committee decides', async () => {
    const p = await submitted(2027);
    const open = await appraiseTask(p.id);
    expect(open).toMatchObject({ status: 'open', assignee_person_id: f.person.headA });

    // the secretariat's role rule still reaches a unit's plan; the workflow's level is the unit head's
    const bySecretariat = await as('secretariatP', 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
    expect(bySecretariat.status, JSON.stringify(bySecretariat.body)).toBe(422);
    expect(bySecretariat.body.code).toBe('UPDATE_REJECTED');
    // neither the role rule nor the item: refused before the workflow
    for (const who of ['supervisorA', 'orgdeptP', 'adminA'] as const) {
      const r = await as(who, 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
      expect([who, r.status, r.body.code]).toEqual([who, 403, 'FORBIDDEN']);
    }
    // the committee may not skip the unit head's level
    const early = await as('standingP', 'POST', `${p.path}/decide`, { decision: 'approve' });
    expect(early.status).toBe(422);

    const a = await as('headA', 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.phase).toBe('APPRAISED');
    // the unit head's item is done; the decision is the committee's (role at the province)
    const tasks = await tasksOfSubject(db, 'plan', p.id);
    expect(tasks.find((t) => t.kind === 'plan.appraise')).toMatchObject({
      status: 'done',
      closed_by: f.person.headA,
    });
    expect(tasks.find((t) => t.kind === 'plan.decide')).toMatchObject({
      status: 'open',
      assignee_role: 'standing_committee',
      assignee_unit_id: f.unit.P,
    });
    // the unit head's item is closed: deciding is still not theirs
    expect((await as('headA', 'POST', `${p.path}/decide`, { decision: 'approve' })).status).toBe(403);
    const d = await as('standingP', 'POST', `${p.path}/decide`, { decision: 'approve' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ phase: 'APPROVED', status: 'APPROVED' });
  });

  it('nobody appraises a plan they drafted, even as its assignee', async () => {
    const p = await submitted(2028, 'headA');
    expect((await appraiseTask(p.id))?.assignee_person_id).toBe(f.person.headA);
    const r = await as('headA', 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    expect((await appraiseTask(p.id))?.status).toBe('open');
  });

  it("the assignee's delegate appraises on their behalf", async () => {
    const p = await submitted(2029);
    expect((await as('supervisorA', 'POST', `${p.path}/appraise`, { opinion: 'endorse' })).status).toBe(403);
    const id = `delegation:${f.person.headA}:2026-01-01`;
    await db
      .insertInto('delegation')
      .values({
        id,
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
        workflow_id: id,
        requested_by: f.person.headA,
      })
      .execute();
    const a = await as('supervisorA', 'POST', `${p.path}/appraise`, { opinion: 'concerns' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.phase).toBe('APPRAISED');
    expect(await appraiseTask(p.id)).toMatchObject({ status: 'done', closed_by: f.person.supervisorA });
  });

  it("an item assigned to the unit heads' role binds the step to them (and their delegates): the secretariat is refused 403", async () => {
    // a second head of A: the workflow's unit-head party is the role at A, which its validator cannot check
    await grant(db, f.person.auditorA, 'unit_head', f.unit.A);
    const p = await submitted(2031);
    expect(await appraiseTask(p.id)).toMatchObject({
      status: 'open',
      assignee_person_id: null,
      assignee_role: 'unit_head',
      assignee_unit_id: f.unit.A,
    });
    const bySecretariat = await as('secretariatP', 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
    expect([bySecretariat.status, bySecretariat.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await as('officialA', 'POST', `${p.path}/appraise`, { opinion: 'endorse' })).status).toBe(403);
    const a = await as('auditorA', 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(await appraiseTask(p.id)).toMatchObject({ status: 'done', closed_by: f.person.auditorA });
    // the decide item is the committee's role at the province: a unit head is refused, the committee decides
    expect((await as('auditorA', 'POST', `${p.path}/decide`, { decision: 'approve' })).status).toBe(403);
    expect((await as('standingP', 'POST', `${p.path}/decide`, { decision: 'approve' })).status).toBe(200);

    // headA's delegate (the delegation of the test above) acts for a holder of the role
    const q = await submitted(2032);
    const byDelegate = await as('supervisorA', 'POST', `${q.path}/appraise`, { opinion: 'endorse' });
    expect(byDelegate.status, JSON.stringify(byDelegate.body)).toBe(200);
    expect(await appraiseTask(q.id)).toMatchObject({ status: 'done', closed_by: f.person.supervisorA });
  });
});

describe('the decomposition picker', () => {
  it("lists the unit's direct sub-units and the people of its subtree without a plan of the year", async () => {
    const r = await as('officialA', 'POST', '/api/plans', {
      ownerKind: 'unit',
      unitId: f.unit.A,
      year: 2030,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    w.started.push(r.body.id);
    const path = `/api/plans/${encodeURIComponent(r.body.id)}/assignable`;
    const a = await as('supervisorA', 'GET', path);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.units.map((u: Json) => u.code)).toEqual(['A.D1', 'A.D2', 'A.M1', 'A.M2']);
    expect(a.body.units.every((u: Json) => u.hasPlan === false)).toBe(true);
    const ids = a.body.persons.map((x: Json) => x.id);
    for (const k of ['headA', 'supervisorA', 'officialA', 'adminA', 'auditorA', 'staffA', 'leaverA'] as const)
      expect(ids, k).toContain(f.person[k]);
    // people of B, of the province and of Q are not the unit's
    for (const k of ['staffB', 'headB', 'secretariatP', 'staffQ'] as const)
      expect(ids, k).not.toContain(f.person[k]);
    const head = a.body.persons.find((x: Json) => x.id === f.person.headA);
    expect(head).toMatchObject({
      unitId: f.unit.A,
      unitCode: 'A',
      position: { vi: 'Giám đốc', en: 'Director' },
    });
    // a person with a plan of the year is left out
    await db
      .insertInto('plan')
      .values({
        id: `plan:2030:person:${f.person.staffA}`,
        owner_kind: 'person',
        unit_id: f.unit.AD1,
        person_id: f.person.staffA,
        year: 2030,
        workflow_id: null,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
        details: JSON.stringify({}),
        parent_plan_id: null,
        cascade: JSON.stringify({}),
      })
      .execute();
    const again = await as('supervisorA', 'GET', path);
    expect(again.body.persons.map((x: Json) => x.id)).not.toContain(f.person.staffA);
    expect(again.body.persons.map((x: Json) => x.id)).toContain(f.person.leaverA);
    // the province reads the plan but does not decompose it
    expect((await as('secretariatP', 'GET', path)).status).toBe(403);
  });
});
