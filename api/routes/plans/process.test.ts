// The plan's process path through the API (issue 5, point 3): submit → appraise → approve with a real
// worker on the Temporal dev server (the calendar played with a time warp), the read model showing the
// status; a double submit with one Idempotency-Key applied once; a rejected Update → 422 with the
// workflow's reason; Temporal unreachable → 503; a workflow already running → 409.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { getPlan } from '../../../db/queries/plans.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { annualPlanWorkflow } from '../../../workflows/annual-plan.ts';
import { SA } from '../../../workflows/search-attributes.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `plans-api-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  // one virtual day per 5 s from 24/11/2026: the steps below happen before the 30/11 deadline
  plans: { taskQueue, adjustInput: (i) => ({ ...i, timeWarp: warpFrom('2026-11-24', 5000) }) },
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

async function newPlan(year: number) {
  const r = await as('officialA', 'POST', '/api/plans', { ownerKind: 'unit', unitId: f.unit.A, year });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  w.started.push(r.body.id);
  return {
    id: r.body.id as string,
    path: `/api/plans/${enc(r.body.id)}`,
    versionId: r.body.version.id as string,
  };
}

describe('plans: the process path through workflow Updates', () => {
  it('submit → appraise → approve; the read model shows each status', async () => {
    const p = await newPlan(2027);
    // The run carries the ids administrators filter by.
    const sa = (await w.client.workflow.getHandle(p.id).describe()).typedSearchAttributes;
    expect(sa.get(SA.PlanYear)).toBe(2027);
    expect(sa.get(SA.UnitId)).toBe(f.unit.A);
    const s = await as('officialA', 'POST', `${p.path}/submit`, { versionId: p.versionId });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body).toMatchObject({ planId: p.id, phase: 'SUBMITTED', status: 'SUBMITTED', round: 1 });
    expect((await getPlan(db, p.id))?.status).toBe('SUBMITTED');
    expect((await as('officialA', 'GET', p.path)).body).toMatchObject({
      status: 'SUBMITTED',
      editable: false,
    });
    // a submitted plan's draft is frozen
    const edit = await as('officialA', 'PUT', `${p.path}/draft`, { baseVersion: 1, content: { tasks: [] } });
    expect(edit.body.code).toBe('PLAN_NOT_EDITABLE');
    const a = await as('secretariatP', 'POST', `${p.path}/appraise`, { opinion: 'endorse' });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.phase).toBe('APPRAISED');
    const d = await as('standingP', 'POST', `${p.path}/decide`, { decision: 'approve' });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ phase: 'APPROVED', status: 'APPROVED' });
    const plan = await getPlan(db, p.id);
    expect(plan).toMatchObject({
      status: 'APPROVED',
      in_force_version_id: p.versionId,
      submitted_version_id: p.versionId,
    });
    // (after approval the decomposition and period-plan steps open: api/routes/plans/decomposition.test.ts)
    const approval = ['plan.submit', 'plan.appraise', 'plan.decide'];
    const tasks = (await tasksOfSubject(db, 'plan', p.id)).filter((t) => approval.includes(t.kind));
    expect(tasks.map((t) => [t.kind, t.status, t.closed_by])).toEqual([
      ['plan.submit', 'done', f.person.officialA],
      ['plan.appraise', 'done', f.person.secretariatP],
      ['plan.decide', 'done', f.person.standingP],
    ]);
  });

  it('return with item comments → drafting again → fix and resubmit (round 2)', async () => {
    const p = await newPlan(2039);
    const kr = {
      id: 'k1',
      title: 'Tỷ lệ hồ sơ đúng hạn',
      type: 'KPI',
      breakthrough: false,
      unit: '%',
      direction: { kind: 'higher' },
      target: '90',
      weight: '1',
      cadence: 'month',
      aggregation: 'average',
      evidenceRequired: true,
    };
    const content = {
      tasks: [
        { id: 't1', title: 'Giải quyết hồ sơ', perspective: 'citizens', weight: '1', keyResults: [kr] },
      ],
    };
    const v2 = await as('officialA', 'PUT', `${p.path}/draft`, { baseVersion: 1, content });
    expect(v2.status).toBe(201);
    expect(
      (await as('officialA', 'POST', `${p.path}/submit`, { versionId: v2.body.version.id })).status,
    ).toBe(200);
    expect((await as('secretariatP', 'POST', `${p.path}/appraise`, { opinion: 'concerns' })).status).toBe(
      200,
    );
    const unknownItem = await as('standingP', 'POST', `${p.path}/decide`, {
      decision: 'return',
      comments: [{ itemId: 'nope', text: 'Không rõ' }],
    });
    expect(unknownItem.status).toBe(422);
    expect(unknownItem.body.code).toBe('COMMENT_ITEM_UNKNOWN');
    const noComment = await as('standingP', 'POST', `${p.path}/decide`, { decision: 'return' });
    expect(noComment.status).toBe(422);
    expect(noComment.body.message.vi).toBe('Trả lại phải kèm ý kiến');
    const ret = await as('standingP', 'POST', `${p.path}/decide`, {
      decision: 'return',
      comments: [{ itemId: 'k1', text: 'Chỉ tiêu 90% thấp hơn năm trước, đề nghị nâng lên 95%' }],
    });
    expect(ret.status, JSON.stringify(ret.body)).toBe(200);
    expect(ret.body).toMatchObject({ phase: 'DRAFTING', round: 2 });
    expect((await getPlan(db, p.id))?.status).toBe('DRAFTING');
    kr.target = '95';
    const v3 = await as('officialA', 'PUT', `${p.path}/draft`, { baseVersion: 2, content });
    expect(v3.status).toBe(201);
    const diff = await as('standingP', 'GET', `${p.path}/diff?from=2&to=3`);
    expect(diff.body.keyResults.changed).toEqual([
      { id: 'k1', title: kr.title, taskId: 't1', changes: [{ field: 'target', from: '90', to: '95' }] },
    ]);
    const again = await as('officialA', 'POST', `${p.path}/submit`, { versionId: v3.body.version.id });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ phase: 'SUBMITTED', round: 2 });
    expect((await getPlan(db, p.id))?.submitted_version_id).toBe(v3.body.version.id);
  });

  it('a double submit with one Idempotency-Key is applied once; another key is refused with the reason', async () => {
    const p = await newPlan(2028);
    const key = { 'idempotency-key': `click-${randomUUID()}` };
    const [r1, r2] = await Promise.all([
      as('officialA', 'POST', `${p.path}/submit`, { versionId: p.versionId }, key),
      as('officialA', 'POST', `${p.path}/submit`, { versionId: p.versionId }, key),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r2.body).toEqual(r1.body);
    const r3 = await as('officialA', 'POST', `${p.path}/submit`, { versionId: p.versionId }, key);
    expect(r3.body).toEqual(r1.body);
    const submitted = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', p.id)
      .where('action', '=', 'plan.submitted')
      .execute();
    expect(submitted).toHaveLength(1);
    const other = await as(
      'officialA',
      'POST',
      `${p.path}/submit`,
      { versionId: p.versionId },
      {
        'idempotency-key': `click-${randomUUID()}`,
      },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('UPDATE_REJECTED');
    expect(other.body.message.vi).toBe('Kế hoạch đang ở giai đoạn SUBMITTED, không thể nộp');
    expect(other.body.message.en).toBe(other.body.message.vi);
  });

  it('the workflow validator re-checks: a supervisor may not submit, a decision before appraisal is refused', async () => {
    const p = await newPlan(2029);
    const bySupervisor = await as('supervisorA', 'POST', `${p.path}/submit`, { versionId: p.versionId });
    expect(bySupervisor.status).toBe(422);
    expect(bySupervisor.body.message.vi).toBe('Người thực hiện không có quyền nộp kế hoạch');
    const early = await as('standingP', 'POST', `${p.path}/decide`, { decision: 'approve' });
    expect(early.status).toBe(422);
    expect(early.body.message.vi).toContain('chưa thể quyết định');
    // a version of another plan is not this plan's
    const other = await newPlan(2030);
    const wrong = await as('officialA', 'POST', `${p.path}/submit`, { versionId: other.versionId });
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('PLAN_VERSION_NOT_FOUND');
    expect((await getPlan(db, p.id))?.status).toBe('DRAFTING');
  });

  it('Temporal unreachable → 503 with Retry-After; a workflow already running → 409, nothing saved', async () => {
    const p = await newPlan(2036);
    const down = createApp({ db, temporal: () => Promise.reject(new Error('unavailable')), version: 'test' });
    const res = await requestAs(down, f.session.officialA, 'POST', `${p.path}/submit`, {
      versionId: p.versionId,
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as Json).code).toBe('DEPENDENCY_UNAVAILABLE');
    // someone started B's workflow outside the API: the API's start is refused, the plan rolled back
    const wid = `plan:2037:unit:${f.unit.B}`;
    w.started.push(wid);
    await w.client.workflow.start(annualPlanWorkflow, {
      taskQueue: `nobody-${randomUUID()}`,
      workflowId: wid,
      args: [{} as never],
    });
    await db
      .insertInto('role_assignment')
      .values({
        person_id: f.person.officialA,
        role_code: 'official',
        scope_unit_id: f.unit.B,
        valid_from: '2025-07-01',
      })
      .execute();
    const dup = await as('officialA', 'POST', '/api/plans', {
      ownerKind: 'unit',
      unitId: f.unit.B,
      year: 2037,
    });
    expect(dup.status, JSON.stringify(dup.body)).toBe(409);
    expect(dup.body.code).toBe('WORKFLOW_ALREADY_STARTED');
    expect(await getPlan(db, wid)).toBeUndefined();
  });
});
