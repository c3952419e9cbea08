// Check-ins, the process path through the API (issue 6): a submit with something missing is refused with the
// list (422 CHECK_IN_INCOMPLETE) and nothing changes; a complete submit freezes the draft, starts the person's
// check-in workflow and sets the check-in SUBMITTED; a double click with one Idempotency-Key is applied once;
// the supervisor verifies (the person cannot, nor someone outside the unit). Real PostgreSQL and a real worker
// on the Temporal dev server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../../../db/queries/calendar.ts';
import { checkInInputFor } from '../../../db/queries/check-in-workflow-input.ts';
import { createPlanVersion } from '../../../db/queries/plans.ts';
import { tasksOfSubject } from '../../../db/queries/tasks.ts';
import { workingCalendar } from '../../../domain/calendar/working-days.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import { TEST_PROFILE, warpFrom } from '../../../test/support/annual-plan.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../../test/support/test-worker.ts';
import { checkInWorkflowId, getCheckInState } from '../../../workflows/check-in.messages.ts';
import { createApp } from '../../app.ts';
import { loadPath } from '../../authz/resources.ts';

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

const checkInOf = (period = '2026-03') =>
  db
    .selectFrom('check_in')
    .selectAll()
    .where('person_id', '=', f.person.officialA)
    .where('period', '=', period)
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

const fillBoth = async (period: string) => {
  const cur = await checkInOf(period);
  const r = await as('officialA', 'PUT', `/api/check-ins/mine/${period}/values`, {
    baseRevision: cur?.revision ?? 0,
    locale: 'vi',
    values: [
      { planId, keyResultId: 'k-a', value: '3', status: 'on-track' },
      { planId, keyResultId: 'k-b', value: '4', status: 'on-track' },
    ],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};
const delegate = async (principal: string, to: string, from: string, until: string) => {
  const id = `delegation:${principal}:${from}`;
  await db
    .insertInto('delegation')
    .values({
      id,
      principal_id: principal,
      delegate_id: to,
      unit_id: f.unit.A,
      from_date: from,
      to_date: until,
      reason: 'Đi công tác',
      status: 'APPROVED',
      approver_id: null,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      revoked_by: null,
      revoked_at: null,
      workflow_id: id,
      requested_by: principal,
    })
    .execute();
};
const openTasks = async (checkInId: string) =>
  (await tasksOfSubject(db, 'check_in', checkInId)).filter((t) => t.status === 'open');

describe('check-ins: double clicks, role-assigned verification', () => {
  it('a double-clicked submit without a key is applied once; a verify item assigned to the role binds it to its holders; a second verification answers 409', async () => {
    await fillBoth('2026-02');
    // Two supervisors in A.D1 today: the verify item goes to the role.
    const extra = await db
      .insertInto('role_assignment')
      .values({
        person_id: f.person.staffA,
        role_code: 'supervisor',
        scope_unit_id: f.unit.AD1,
        valid_from: '2020-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    w.started.push(checkInWorkflowId('2026-02', f.person.officialA));
    const [a, b] = await Promise.all([
      as('officialA', 'POST', '/api/check-ins/mine/2026-02/submit'),
      as('officialA', 'POST', '/api/check-ins/mine/2026-02/submit'),
    ]);
    await db.deleteFrom('role_assignment').where('id', '=', extra.id).execute();
    expect([a.status, b.status], JSON.stringify([a.body, b.body])).toEqual([200, 200]);
    expect([a.body.round, b.body.round]).toEqual([1, 1]);
    expect(b.body.versionId).toBe(a.body.versionId);
    const row = (await checkInOf('2026-02'))!;
    expect(row.status).toBe('SUBMITTED');
    expect(await versionsOf(row.id)).toHaveLength(1);
    const verify = (await tasksOfSubject(db, 'check_in', row.id)).filter((t) => t.kind === 'check-in.verify');
    expect(verify.map((t) => [t.assignee_person_id, t.assignee_role, t.assignee_unit_id])).toEqual([
      [null, 'supervisor', f.unit.AD1],
    ]);

    const values = [
      { planId, keyResultId: 'k-a', verdict: 'verified' },
      { planId, keyResultId: 'k-b', verdict: 'verified' },
    ];
    // The unit head holds no supervisor role at A.D1: the role-bound item refuses them (and the person).
    const head = await as('headA', 'POST', `/api/check-ins/${row.id}/verify`, { values });
    expect([head.status, head.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await as('officialA', 'POST', `/api/check-ins/${row.id}/verify`, { values })).status).toBe(403);
    expect((await as('auditorA', 'POST', `/api/check-ins/${row.id}/verify`, { values })).status).toBe(403);
    const key = { 'idempotency-key': `verify-${randomUUID()}` };
    const [v1, v2] = await Promise.all([
      as('supervisorA', 'POST', `/api/check-ins/${row.id}/verify`, { values }, key),
      as('supervisorA', 'POST', `/api/check-ins/${row.id}/verify`, { values }, key),
    ]);
    expect([v1.status, v2.status], JSON.stringify([v1.body, v2.body])).toEqual([200, 200]);
    expect(v1.body).toEqual(v2.body);
    expect(v1.body.phase).toBe('VERIFIED');
    // A new verification of a verified check-in: 409 with the state's code, nothing more written.
    const again = await as('supervisorA', 'POST', `/api/check-ins/${row.id}/verify`, { values });
    expect([again.status, again.body.code]).toEqual([409, 'CHECK_IN_NOT_SUBMITTED']);
    const other = await as(
      'supervisorA',
      'POST',
      `/api/check-ins/${row.id}/verify`,
      { values },
      { 'idempotency-key': `verify-${randomUUID()}` },
    );
    expect([other.status, other.body.code]).toEqual([409, 'CHECK_IN_NOT_SUBMITTED']);
    const verified = await db
      .selectFrom('audit_log')
      .select('id')
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', row.id)
      .where('action', '=', 'check-in.verified')
      .execute();
    expect(verified).toHaveLength(1);
  });
});

describe('check-ins: a locked period reopened, delegates, a verify item moved', () => {
  it('locks an unsubmitted period; a delegate asks to reopen; the unit head approves; the verify item is taken over', async () => {
    const period = '2026-01';
    await fillBoth(period);
    const row0 = (await checkInOf(period))!;
    const me = f.person.officialA;
    const path = (await loadPath(db, f.unit.AD1)).map((n) => n.id);
    const input = (await checkInInputFor(db, {
      checkInId: row0.id,
      personId: me,
      unitId: f.unit.AD1,
      period,
      day: '2026-03-10',
      path,
    }))!;
    const due = input.calendar.deadlines.find((d) => d.id === `check-in.${period}`)!.date;
    const lastDay = workingCalendar(TEST_PROFILE).addWorkingDays(due, 5);
    const wid = checkInWorkflowId(period, me);
    w.started.push(wid);
    // The person's run on a compressed calendar from the window's last day (2 s per virtual day).
    await w.client.workflow.start('checkInWorkflow', {
      taskQueue,
      workflowId: wid,
      args: [{ ...input, timeWarp: warpFrom(lastDay, 2000) }],
    });
    const h = w.client.workflow.getHandle(wid);
    const end = Date.now() + 30_000;
    while ((await checkInOf(period))!.status !== 'LOCKED') {
      if (Date.now() > end) throw new Error('not locked');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await h.query(getCheckInState)).phase).toBe('LOCKED');

    // Locked: values cannot be saved, the check-in cannot be submitted.
    const put = await as('officialA', 'PUT', `/api/check-ins/mine/${period}/values`, {
      baseRevision: (await checkInOf(period))!.revision,
      locale: 'vi',
      values: [{ planId, keyResultId: 'k-a', value: '9', status: 'on-track' }],
    });
    expect([put.status, put.body.code]).toEqual([409, 'CHECK_IN_CLOSED']);
    expect(put.body.message.vi).toMatch(/không thể sửa/);
    expect(put.body.message.en).toMatch(/cannot be changed/);
    const sub = await as('officialA', 'POST', `/api/check-ins/mine/${period}/submit`);
    expect([sub.status, sub.body.code]).toEqual([409, 'PERIOD_LOCKED']);
    expect(sub.body.message.vi).toMatch(/đã khóa/);

    // A reason is required; a non-delegate is refused; a delegate acts only inside the delegation's window.
    const noReason = await as('officialA', 'POST', `/api/check-ins/mine/${period}/reopen-request`, {
      reason: '   ',
    });
    expect([noReason.status, noReason.body.code]).toEqual([422, 'REOPEN_REASON_REQUIRED']);
    const body = { reason: 'Nghỉ ốm cả tuần báo cáo', onBehalfOf: me };
    const stranger = await as('adminA', 'POST', `/api/check-ins/mine/${period}/reopen-request`, body);
    expect([stranger.status, stranger.body.code]).toEqual([403, 'FORBIDDEN']);
    await delegate(me, f.person.auditorA, '2026-03-01', '2026-03-31');
    now = new Date('2026-04-02T03:00:00Z');
    const late = await as('auditorA', 'POST', `/api/check-ins/mine/${period}/reopen-request`, body);
    expect([late.status, late.body.code]).toEqual([403, 'FORBIDDEN']);
    now = NOW;
    const key = { 'idempotency-key': `reopen-${randomUUID()}` };
    const req = await as('auditorA', 'POST', `/api/check-ins/mine/${period}/reopen-request`, body, key);
    expect(req.status, JSON.stringify(req.body)).toBe(200);
    expect(req.body.phase).toBe('LOCKED');
    const repeat = await as('auditorA', 'POST', `/api/check-ins/mine/${period}/reopen-request`, body, key);
    expect([repeat.status, repeat.body.round]).toEqual([200, req.body.round]);
    const pending = await as('officialA', 'POST', `/api/check-ins/mine/${period}/reopen-request`, {
      reason: 'Lần hai',
    });
    expect([pending.status, pending.body.code]).toEqual([409, 'CHECK_IN_REOPEN_PENDING']);
    const requests = await db
      .selectFrom('check_in_reopen_request')
      .selectAll()
      .where('check_in_id', '=', row0.id)
      .execute();
    expect(requests.map((r) => [r.requested_by, r.requested_on_behalf_of, r.reason, r.decision])).toEqual([
      [f.person.auditorA, me, 'Nghỉ ốm cả tuần báo cáo', null],
    ]);
    expect((await openTasks(row0.id)).map((t) => [t.kind, t.assignee_person_id])).toEqual([
      ['check-in.reopen', f.person.headA],
    ]);

    // Only the unit head (or their delegate) decides; never the person nor the supervisor.
    const decide = { decision: 'approve' };
    expect((await as('officialA', 'POST', `/api/check-ins/${row0.id}/reopen-decision`, decide)).status).toBe(
      403,
    );
    expect(
      (await as('supervisorA', 'POST', `/api/check-ins/${row0.id}/reopen-decision`, decide)).status,
    ).toBe(403);
    await delegate(f.person.headA, f.person.supervisorA, '2026-03-09', '2026-03-11');
    const dkey = { 'idempotency-key': `decide-${randomUUID()}` };
    const ok = await as('supervisorA', 'POST', `/api/check-ins/${row0.id}/reopen-decision`, decide, dkey);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.phase).toBe('OPEN');
    const okAgain = await as(
      'supervisorA',
      'POST',
      `/api/check-ins/${row0.id}/reopen-decision`,
      decide,
      dkey,
    );
    expect([okAgain.status, okAgain.body.phase]).toEqual([200, 'OPEN']);
    const decided = await as('headA', 'POST', `/api/check-ins/${row0.id}/reopen-decision`, {
      decision: 'reject',
    });
    expect([decided.status, decided.body.code]).toEqual([409, 'CHECK_IN_REOPEN_ALREADY_DECIDED']);
    const req1 = await db
      .selectFrom('check_in_reopen_request')
      .selectAll()
      .where('check_in_id', '=', row0.id)
      .executeTakeFirstOrThrow();
    expect([req1.decision, req1.decided_by, req1.decided_on_behalf_of]).toEqual([
      'approve',
      f.person.supervisorA,
      f.person.headA,
    ]);
    expect((await checkInOf(period))!.status).toBe('DRAFT');
    const detail = await as('headA', 'GET', `/api/check-ins/${row0.id}`);
    expect(detail.status, JSON.stringify(detail.body)).toBe(200);
    expect(
      detail.body.reopenRequests.map((r: Json) => [
        r.number,
        r.reason,
        r.decision,
        r.decidedBy?.id,
        r.onBehalfOf,
      ]),
    ).toEqual([[1, 'Nghỉ ốm cả tuần báo cáo', 'approve', f.person.supervisorA, me]]);
    expect(detail.body.reopenTask).toBeNull();

    // Editable again; the delegate submits for the person.
    await fillBoth(period);
    const sent = await as('auditorA', 'POST', `/api/check-ins/mine/${period}/submit`, { onBehalfOf: me });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body.phase).toBe('SUBMITTED');
    const submittedAudit = await db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', row0.id)
      .where('action', '=', 'check-in.submitted')
      .executeTakeFirstOrThrow();
    expect(submittedAudit.actor).toBe(f.person.auditorA);
    expect((submittedAudit.after as Json).onBehalfOf).toBe(me);

    // The verify item: moved by the unit head to themself ("act"), same due date, the old task cancelled.
    const [vt] = await openTasks(row0.id);
    expect([vt!.kind, vt!.assignee_person_id]).toEqual(['check-in.verify', f.person.supervisorA]);
    const move = (who: keyof OrgFixture['session'], b: Json) =>
      as(who, 'POST', `/api/check-ins/${row0.id}/verifier`, b);
    expect((await move('officialA', { toPersonId: f.person.headA, reason: 'x' })).status).toBe(403);
    expect((await move('adminA', { toPersonId: f.person.headA, reason: 'x' })).status).toBe(403);
    const self = await move('headA', { toPersonId: me, reason: 'Tự xác nhận' });
    expect([self.status, self.body.code]).toEqual([422, 'VERIFIER_NOT_ELIGIBLE']);
    const outsider = await move('headA', { toPersonId: f.person.headB, reason: 'Nhầm đơn vị' });
    expect([outsider.status, outsider.body.code]).toEqual([422, 'VERIFIER_NOT_ELIGIBLE']);
    const taken = await move('headA', { toPersonId: f.person.headA, reason: 'Giám sát nghỉ phép' });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    const all = await tasksOfSubject(db, 'check_in', row0.id);
    const old = all.find((t) => t.id === vt!.id)!;
    expect(old.status).toBe('cancelled');
    const [nt] = await openTasks(row0.id);
    expect([nt!.kind, nt!.assignee_person_id, nt!.logical_due_date]).toEqual([
      'check-in.verify',
      f.person.headA,
      vt!.logical_due_date,
    ]);
    const values = [
      { planId, keyResultId: 'k-a', verdict: 'verified' },
      { planId, keyResultId: 'k-b', verdict: 'verified' },
    ];
    // The unit head's delegate (the supervisor, 9–11/3) verifies on their behalf.
    const v = await as('supervisorA', 'POST', `/api/check-ins/${row0.id}/verify`, { values });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.phase).toBe('VERIFIED');
    const verifiedAudit = await db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('aggregate_type', '=', 'check_in')
      .where('aggregate_id', '=', row0.id)
      .where('action', '=', 'check-in.verified')
      .executeTakeFirstOrThrow();
    expect([verifiedAudit.actor, (verifiedAudit.after as Json).onBehalfOf]).toEqual([
      f.person.supervisorA,
      f.person.headA,
    ]);
    const actions = (
      await db
        .selectFrom('audit_log')
        .select('action')
        .where('aggregate_type', '=', 'check_in')
        .where('aggregate_id', '=', row0.id)
        .orderBy('seq')
        .execute()
    ).map((x) => x.action);
    for (const a of [
      'check-in.locked',
      'check-in.reopen-requested',
      'check-in.reopened',
      'check-in.verified',
    ])
      expect(actions).toContain(a);
  });
});
