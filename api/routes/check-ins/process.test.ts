// Check-ins, the process path through the API (issue 6): a submit with something missing is refused with the
// list (422 CHECK_IN_INCOMPLETE) and nothing changes; a complete submit freezes the draft, starts the person's
// check-in workflow and sets the check-in SUBMITTED; a double click with one Idempotency-Key is applied once;
// the supervisor verifies (the person cannot, nor someone outside the unit). Real PostgreSQL and a real worker
// on the Temporal dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { createPlanVersion } from '../../../db/queries/plans.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import { TEST_PROFILE } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { checkInWorkflowId } from '../../../workflows/check-in.messages.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `checkins-api-${randomUUID()}`;
// Tuesday 10 March 2026, 10:00 in Hà Nội (people sign in on the real clock first).
const NOW = new Date('2026-03-10T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  clock: () => now,
  plans: { taskQueue },
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (
  who: keyof OrgFixture['session'],
  method: string,
  path: string,
  body?: unknown,
  headers = {},
) => {
  const res = await requestAs(app, f.session[who], method, path, body, headers);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});
let planId = '';

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  now = NOW;
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: f.unit.P });
  const me = f.person.officialA;
  planId = `plan:2026:person:${me}`;
  await db
    .insertInto('plan')
    .values({
      id: planId,
      owner_kind: 'person',
      unit_id: f.unit.AD1,
      person_id: me,
      year: 2026,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id: planId,
    year: 2026,
    owner: { kind: 'person', personId: me },
    tasks: [
      {
        id: 't1',
        title: 'Giải quyết thủ tục hành chính',
        perspective: 'citizens',
        weight: '1',
        keyResults: [kr('k-a'), kr('k-b')],
      },
    ],
  };
  const v = await createPlanVersion(db, { planId, content: { ...content, sections: [] }, createdBy: 'test' });
  await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', planId).execute();
});
afterAll(() => w?.stop());

const checkInOf = () =>
  db
    .selectFrom('check_in')
    .selectAll()
    .where('person_id', '=', f.person.officialA)
    .where('period', '=', '2026-03')
    .executeTakeFirst();
const versionsOf = (checkInId: string) =>
  db.selectFrom('check_in_version').select('id').where('check_in_id', '=', checkInId).execute();
const auditCount = async (checkInId: string) =>
  (
    await db
      .selectFrom('audit_log')
      .select('id')
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', checkInId)
      .execute()
  ).length;

describe('check-ins: the process path', () => {
  it('refuses a submit with a blocker, with the list, and changes nothing', async () => {
    const saved = await as('officialA', 'PUT', '/api/check-ins/mine/2026-03/values', {
      baseRevision: 0,
      locale: 'vi',
      values: [{ planId, keyResultId: 'k-a', value: '5', status: 'on-track' }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const before = (await checkInOf())!;
    const audits = await auditCount(before.id);

    const r = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit');
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.code).toBe('CHECK_IN_INCOMPLETE');
    expect(r.body.details.errors.map((e: Json) => [e.keyResultId, e.code])).toEqual([
      ['k-b', 'VALUE_REQUIRED'],
    ]);

    const after = (await checkInOf())!;
    expect([after.status, after.revision, after.submitted_version_id, after.workflow_id]).toEqual([
      'DRAFT',
      before.revision,
      null,
      null,
    ]);
    expect(await versionsOf(before.id)).toEqual([]);
    expect(await auditCount(before.id)).toBe(audits);
    // Someone with nothing due in the month is told so.
    const none = await as('supervisorA', 'POST', '/api/check-ins/mine/2026-03/submit');
    expect(none.body.code).toBe('CHECK_IN_NOTHING_DUE');
    // Nothing is submitted: nothing to verify.
    const v = await as('supervisorA', 'POST', `/api/check-ins/${before.id}/verify`, {
      values: [{ planId, keyResultId: 'k-a', verdict: 'verified' }],
    });
    expect(v.body.code).toBe('CHECK_IN_NOT_SUBMITTED');
  });

  it('submits once per Idempotency-Key, then the supervisor verifies', async () => {
    const cur = (await checkInOf())!;
    const fill = await as('officialA', 'PUT', '/api/check-ins/mine/2026-03/values', {
      baseRevision: cur.revision,
      locale: 'vi',
      values: [{ planId, keyResultId: 'k-b', value: '7', status: 'at-risk' }],
    });
    expect(fill.status, JSON.stringify(fill.body)).toBe(200);
    w.started.push(checkInWorkflowId('2026-03', f.person.officialA));
    const key = { 'idempotency-key': `submit-${randomUUID()}` };
    const [a, b] = await Promise.all([
      as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit', undefined, key),
      as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit', undefined, key),
    ]);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    expect(a.body).toMatchObject({ phase: 'SUBMITTED', round: 1 });
    expect(b.body.round).toBe(1);
    const again = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit', undefined, key);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.round).toBe(1);

    const row = (await checkInOf())!;
    expect(row.status).toBe('SUBMITTED');
    expect(row.workflow_id).toBe(checkInWorkflowId('2026-03', f.person.officialA));
    expect(await versionsOf(row.id)).toHaveLength(1);
    const submitted = await db
      .selectFrom('audit_log')
      .select('id')
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', row.id)
      .where('action', '=', 'check-in.submitted')
      .execute();
    expect(submitted).toHaveLength(1);
    const verifyTasks = (await tasksOfSubject(db, 'check_in', row.id)).filter(
      (t) => t.kind === 'check-in.verify',
    );
    expect(verifyTasks.map((t) => t.assignee_person_id)).toEqual([f.person.supervisorA]);

    const values = [
      { planId, keyResultId: 'k-a', verdict: 'verified' },
      { planId, keyResultId: 'k-b', verdict: 'verified' },
    ];
    expect((await as('officialA', 'POST', `/api/check-ins/${row.id}/verify`, { values })).status).toBe(403);
    expect((await as('adminA', 'POST', `/api/check-ins/${row.id}/verify`, { values })).status).toBe(403);
    // A return needs a comment: the workflow's validator refuses, nothing changes.
    const bad = await as('supervisorA', 'POST', `/api/check-ins/${row.id}/verify`, {
      values: [values[0], { ...values[1], verdict: 'returned' }],
    });
    expect([bad.status, bad.body.code]).toEqual([422, 'UPDATE_REJECTED']);
    expect((await checkInOf())!.status).toBe('SUBMITTED');
    const v = await as('supervisorA', 'POST', `/api/check-ins/${row.id}/verify`, { values });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.phase).toBe('VERIFIED');
    expect((await checkInOf())!.status).toBe('VERIFIED');
  });
});
