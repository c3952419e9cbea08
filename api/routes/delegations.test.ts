// Delegations through the API (issue 5 of WOMS) with a real worker on the Temporal dev server: A.D1's
// official asks to delegate to a colleague; bad input is refused with stable codes (vi + en) and nothing
// saved changes; the approver (A.D1's supervisor, the default when the unit type has no 'delegation'
// chain) finds the task in the inbox and approves; while in force the delegate's inbox lists the
// principal's open tasks marked with the principal; the principal revokes. A 'delegation' chain names
// another approver.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeDelegation } from '../../db/queries/delegations.ts';
import { addCalendarDays, vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { createTestPerson, type SignedIn, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, employ, type OrgFixture, PASSWORD, requestAs } from '../../test/support/org-fixture.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { createApp } from '../app.ts';
import { approverOf } from './delegations.ts';

const { db } = await freshDatabase();
let w: TestWorker;
const taskQueue = `delegations-api-${randomUUID()}`;
const app = createApp({
  db,
  temporal: () => Promise.resolve(w.client),
  version: 'test',
  delegations: { taskQueue },
});
let f: OrgFixture;
/** A colleague of A.D1's official with an account: the delegate. */
let deputy: { id: string; session: SignedIn };
const today = vnLocalDate(Date.now());

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue });
  f = await buildOrg(db, app);
  const email = `deputy-${randomUUID().slice(0, 8)}@test.woms.vn`;
  const id = await createTestPerson(db, {
    email,
    password: PASSWORD,
    fullName: 'Đỗ Thị Phó',
    employInTestAgency: false,
  });
  await employ(db, id, f.unit.AD1);
  deputy = { id, session: await signIn(app, email, PASSWORD) };
});
afterAll(() => w?.stop());

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
type Who = keyof OrgFixture['session'];
async function as(who: Who | 'deputy', method: string, path: string, body?: unknown) {
  const res = await requestAs(app, who === 'deputy' ? deputy.session : f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}
const enc = encodeURIComponent;
const count = async (table: 'delegation' | 'audit_log') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('delegations: request, decide, act on behalf, revoke', () => {
  it('refuses bad input with stable codes in Vietnamese and English, saving nothing', async () => {
    const before = [await count('delegation'), await count('audit_log')];
    const from = addCalendarDays(today, 5);
    const ok = { delegateId: f.person.staffA, from, to: addCalendarDays(from, 2), reason: 'Nghỉ phép' };
    const cases: [unknown, number, string][] = [
      [{ ...ok, delegateId: f.person.officialA }, 422, 'DELEGATION_SELF'],
      [{ ...ok, to: addCalendarDays(from, -1) }, 422, 'DELEGATION_PERIOD_INVALID'],
      [{ ...ok, delegateId: f.person.staffB }, 422, 'DELEGATION_DELEGATE_OTHER_UNIT'],
      [{ ...ok, delegateId: f.person.leaverA }, 422, 'DELEGATION_DELEGATE_OTHER_UNIT'],
      [{ ...ok, reason: '   ' }, 422, 'DELEGATION_REASON_REQUIRED'],
      [{ ...ok, from: addCalendarDays(today, -1) }, 422, 'DELEGATION_FROM_PAST'],
      [{ ...ok, to: addCalendarDays(from, 400) }, 422, 'DELEGATION_PERIOD_TOO_LONG'],
      [{ ...ok, from: '2026-02-30' }, 400, 'VALIDATION_FAILED'],
      [{ ...ok, reason: '<script>x</script>' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const r = await as('officialA', 'POST', '/api/delegations', body);
      expect([r.status, r.body?.code], JSON.stringify(body)).toEqual([status, code]);
      expect(r.body.message.vi).toBeTruthy();
      expect(r.body.message.en).toBeTruthy();
      expect(r.body.message.vi).not.toBe(r.body.message.en);
    }
    expect([await count('delegation'), await count('audit_log')]).toEqual(before);
  });

  it('official → supervisor approves → delegate sees the principal’s tasks “on behalf of” → principal revokes', async () => {
    const to = addCalendarDays(today, 3);
    const r = await as('officialA', 'POST', '/api/delegations', {
      delegateId: deputy.id,
      from: today,
      to,
      reason: 'Nghỉ phép năm',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = r.body.id as string;
    w.started.push(id);
    expect(r.body).toMatchObject({
      id: `delegation:${f.person.officialA}:${today}`,
      status: 'REQUESTED',
      principal: { id: f.person.officialA },
      delegate: { id: deputy.id, name: 'Đỗ Thị Phó' },
      approver: { id: f.person.supervisorA },
      unitId: f.unit.AD1,
      from: today,
      to,
      can: { decide: false, revoke: true },
    });
    // overlapping a pending request of mine → 409, nothing saved
    const n = await count('delegation');
    const dup = await as('officialA', 'POST', '/api/delegations', {
      delegateId: deputy.id,
      from: to,
      to: addCalendarDays(to, 1),
      reason: 'Thêm',
    });
    expect([dup.status, dup.body.code]).toEqual([409, 'DELEGATION_OVERLAP']);
    expect(await count('delegation')).toBe(n);

    // the approval task is in the supervisor's inbox, linking to the delegation screen
    const inbox = async (who: Who) => (await as(who, 'GET', '/api/inbox')).body.items as Json[];
    const deadline = Date.now() + 20_000;
    let task: Json | undefined;
    while (!task && Date.now() < deadline) {
      task = (await inbox('supervisorA')).find((t) => t.subjectId === id);
      if (!task) await new Promise((res) => setTimeout(res, 100));
    }
    expect(task).toMatchObject({ kind: 'delegation.approve', link: '/account/delegation', onBehalfOf: null });

    // nobody but the approver decides; the principal is refused
    for (const who of ['officialA', 'headA', 'adminA'] as const) {
      const x = await as(who, 'POST', `/api/delegations/${enc(id)}/decide`, { decision: 'approve' });
      expect([who, x.status, x.body.code]).toEqual([who, 403, 'FORBIDDEN']);
    }
    const listed = await as('supervisorA', 'GET', '/api/delegations');
    expect(listed.body.toApprove.find((d: Json) => d.id === id)?.can).toEqual({ decide: true, revoke: true });
    const d = await as('supervisorA', 'POST', `/api/delegations/${enc(id)}/decide`, {
      decision: 'approve',
      note: 'Đồng ý',
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({
      id,
      status: 'ACTIVE',
      decidedBy: f.person.supervisorA,
      decisionNote: 'Đồng ý',
    });
    const again = await as('supervisorA', 'POST', `/api/delegations/${enc(id)}/decide`, {
      decision: 'reject',
    });
    expect([again.status, again.body.code]).toEqual([409, 'DELEGATION_NOT_PENDING']);
    expect(
      await activeDelegation(db, {
        delegateId: deputy.id,
        principalId: f.person.officialA,
        at: new Date(),
      }),
    ).toEqual({ id });

    // a task of the principal shows in the delegate's inbox, marked with the principal
    const taskId = `test-task-${randomUUID()}`;
    await db
      .insertInto('task')
      .values({
        id: taskId,
        workflow_id: 'w',
        update_name: null,
        kind: 'plan.submit',
        subject_type: 'plan',
        subject_id: `plan:2027:unit:${f.unit.A}`,
        assignee_person_id: f.person.officialA,
        assignee_role: null,
        assignee_unit_id: null,
        due_at: new Date(Date.now() + 86_400_000),
        logical_due_date: addCalendarDays(today, 1),
        closed_at: null,
        closed_by: null,
      })
      .execute();
    const mine = (await as('deputy', 'GET', '/api/inbox')).body;
    const onBehalf = mine.items.find((t: Json) => t.id === taskId);
    expect(onBehalf).toMatchObject({
      kind: 'plan.submit',
      onBehalfOf: { personId: f.person.officialA, name: 'Người officialA' },
    });
    expect(mine.counts.open).toBeGreaterThanOrEqual(1);
    const seenByDelegate = await as('deputy', 'GET', '/api/delegations');
    expect(seenByDelegate.body.asDelegate.map((x: Json) => [x.id, x.status])).toContainEqual([id, 'ACTIVE']);
    const seen = (await as('officialA', 'GET', '/api/inbox')).body.items.find((t: Json) => t.id === taskId);
    expect(seen?.onBehalfOf).toBeNull();
    const asDelegate = await as('officialA', 'GET', '/api/delegations');
    expect(asDelegate.body.asPrincipal.map((x: Json) => [x.id, x.status])).toContainEqual([id, 'ACTIVE']);

    // the principal revokes; a stranger cannot
    const stranger = await as('headA', 'POST', `/api/delegations/${enc(id)}/revoke`, {});
    expect([stranger.status, stranger.body.code]).toEqual([403, 'FORBIDDEN']);
    const v = await as('officialA', 'POST', `/api/delegations/${enc(id)}/revoke`, { reason: 'Về sớm' });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body).toMatchObject({
      status: 'REVOKED',
      revokedBy: f.person.officialA,
      can: { revoke: false },
    });
    expect(
      await activeDelegation(db, {
        delegateId: deputy.id,
        principalId: f.person.officialA,
        at: new Date(),
      }),
    ).toBeUndefined();
    const after = (await as('deputy', 'GET', '/api/inbox')).body.items.map((t: Json) => t.id);
    expect(after).not.toContain(taskId);
    const twice = await as('officialA', 'POST', `/api/delegations/${enc(id)}/revoke`, {});
    expect([twice.status, twice.body.code]).toEqual([409, 'DELEGATION_NOT_REVOCABLE']);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'delegation')
      .where('aggregate_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'delegation.requested',
        'task.opened',
        'delegation.approved',
        'delegation.revoked',
      ]),
    );
  });

  it('an unknown delegation is 404 for anyone signed in; colleagues are the people of my unit', async () => {
    const x = await as(
      'headA',
      'POST',
      `/api/delegations/${enc(`delegation:${randomUUID()}:2030-01-01`)}/decide`,
      {
        decision: 'approve',
      },
    );
    expect([x.status, x.body.code]).toEqual([404, 'DELEGATION_NOT_FOUND']);
    const c = await as('officialA', 'GET', '/api/delegations/colleagues');
    expect(c.body.unitId).toBe(f.unit.AD1);
    const ids = c.body.items.map((p: Json) => p.id);
    expect(ids).toContain(f.person.staffA);
    expect(ids).toContain(f.person.supervisorA);
    expect(ids).not.toContain(f.person.officialA);
    expect(ids).not.toContain(f.person.staffB);
  });

  it("a unit type's 'delegation' chain names the approver; the default is the supervisor, else the unit head", async () => {
    expect((await approverOf(db, f.person.officialA, f.unit.AD1, today))?.id).toBe(f.person.supervisorA);
    // the supervisor's own delegation goes to the head of A (nobody approves their own)
    expect((await approverOf(db, f.person.supervisorA, f.unit.AD1, today))?.id).toBe(f.person.headA);
    // nor the delegate: naming the supervisor as delegate sends the request to the head
    expect((await approverOf(db, f.person.officialA, f.unit.AD1, today, f.person.supervisorA))?.id).toBe(
      f.person.headA,
    );
    const chain = await db
      .insertInto('approval_chain')
      .values({ province_id: f.unit.P, unit_type_code: 'department', subject: 'delegation' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('approval_chain_step')
      .values({ chain_id: chain.id, step_no: 1, role_code: 'unit_head', scope: 'parent' })
      .execute();
    expect((await approverOf(db, f.person.officialA, f.unit.AD1, today))?.id).toBe(f.person.headA);
    await db.deleteFrom('approval_chain').where('id', '=', chain.id).execute();
  });
});
