// Two small fixes of issue 6, on real PostgreSQL (no workflow is reached):
// (a) `Content-Type: application/json` with an EMPTY body is treated as no body by the check-in process routes
//     (it used to answer 400 MALFORMED_JSON), while a broken body still does;
// (b) the active delegate of a check-in's verifier (the unit head) or of the assignee of its verify task may read
//     GET /api/check-ins/{id} — only while the delegation is in force; others are still refused.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
// Tuesday 10 March 2026, 10:00 in Hà Nội (people sign in on the real clock first).
const NOW = new Date('2026-03-10T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('no Temporal in this test')),
  version: 'test',
  clock: () => now,
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (
  who: keyof OrgFixture['session'],
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const res = await requestAs(app, f.session[who], method, path, body, headers);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const JSON_TYPE = { 'content-type': 'application/json' };

async function checkInOf(personId: string, period: string): Promise<string> {
  await db
    .insertInto('check_in')
    .values({ person_id: personId, unit_id: f.unit.AD1, period, workflow_id: null })
    .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
    .execute();
  const row = await db
    .selectFrom('check_in')
    .select('id')
    .where('person_id', '=', personId)
    .where('period', '=', period)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function delegate(principal: string, to: string, from: string, until: string) {
  const id = `delegation:${principal}:${from}:${randomUUID()}`;
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
      status: 'ACTIVE',
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
}

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = NOW;
});

describe('(a) an empty JSON body is no body', () => {
  it('submit: application/json with an empty body answers like no body, a broken body is still malformed', async () => {
    const none = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit');
    expect(none.status, JSON.stringify(none.body)).not.toBe(400);
    const empty = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit', '', JSON_TYPE);
    expect(empty.body?.code).not.toBe('MALFORMED_JSON');
    expect([empty.status, empty.body?.code]).toEqual([none.status, none.body?.code]);
    const blank = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit', '  \n', {
      'content-type': 'application/json; charset=utf-8',
    });
    expect([blank.status, blank.body?.code]).toEqual([none.status, none.body?.code]);
    const broken = await as(
      'officialA',
      'POST',
      '/api/check-ins/mine/2026-03/submit',
      '{"onBehalfOf": ',
      JSON_TYPE,
    );
    expect([broken.status, broken.body?.code]).toEqual([400, 'MALFORMED_JSON']);
    const wrong = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/submit', { onBehalfOf: 'x' });
    expect([wrong.status, wrong.body?.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('every process route benefits: reopen request and verify with an empty JSON body', async () => {
    // the reopen request's fields are optional: an empty body reaches the route (nothing is locked here)
    const reopen = await as('officialA', 'POST', '/api/check-ins/mine/2026-03/reopen-request', '', JSON_TYPE);
    expect(reopen.body?.code).not.toBe('MALFORMED_JSON');
    expect(reopen.status).toBe(422);
    expect(reopen.body?.code).toBe('REOPEN_REASON_REQUIRED');
    // the verdicts are required: an empty body fails the schema, not the JSON parser
    const id = await checkInOf(f.person.officialA, '2026-02');
    const verify = await as('supervisorA', 'POST', `/api/check-ins/${id}/verify`, '', JSON_TYPE);
    expect([verify.status, verify.body?.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('(b) the delegate of a verifier reads the check-in', () => {
  it("the unit head's active delegate reads it; not before nor after the delegation, nor anyone else", async () => {
    const id = await checkInOf(f.person.officialA, '2026-01');
    const before = await as('auditorA', 'GET', `/api/check-ins/${id}`);
    expect([before.status, before.body?.code]).toEqual([403, 'FORBIDDEN']);

    await delegate(f.person.headA, f.person.auditorA, '2026-03-09', '2026-03-13');
    const during = await as('auditorA', 'GET', `/api/check-ins/${id}`);
    expect(during.status, JSON.stringify(during.body)).toBe(200);
    expect(during.body).toMatchObject({
      id,
      period: '2026-01',
      person: { id: f.person.officialA },
      delegateFor: f.person.headA,
      canVerify: false,
    });
    // the head's own read is unchanged (not as a delegate)
    const head = await as('headA', 'GET', `/api/check-ins/${id}`);
    expect([head.status, head.body?.delegateFor]).toEqual([200, null]);
    // someone else still refused
    const other = await as('adminQ', 'GET', `/api/check-ins/${id}`);
    expect(other.status).toBe(403);

    now = new Date('2026-03-16T03:00:00Z'); // after the delegation's window
    try {
      const after = await as('auditorA', 'GET', `/api/check-ins/${id}`);
      expect([after.status, after.body?.code]).toEqual([403, 'FORBIDDEN']);
    } finally {
      now = NOW;
    }
  });

  it('the delegate of the assignee of the open verify task reads it; a delegate of the person does not', async () => {
    const id = await checkInOf(f.person.supervisorA, '2026-02');
    await db.updateTable('check_in').set({ status: 'SUBMITTED' }).where('id', '=', id).execute();
    await db
      .insertInto('task')
      .values({
        id: `check-in:${id}:verify:${randomUUID()}`,
        workflow_id: `wf-${randomUUID()}`,
        update_name: null,
        kind: 'check-in.verify',
        subject_type: 'check_in',
        subject_id: id,
        assignee_person_id: f.person.staffA,
        assignee_role: null,
        assignee_unit_id: null,
        due_at: new Date('2026-03-12T10:00:00Z'),
        logical_due_date: '2026-03-12',
        closed_at: null,
        closed_by: null,
      })
      .execute();
    // officialA acts for the person (supervisorA) only: that gives no right to read their check-in as a verifier
    await delegate(f.person.supervisorA, f.person.officialA, '2026-03-01', '2026-03-31');
    const personDelegate = await as('officialA', 'GET', `/api/check-ins/${id}`);
    expect(personDelegate.status).toBe(403);

    const refused = await as('adminA', 'GET', `/api/check-ins/${id}`);
    expect(refused.status).toBe(403);
    await delegate(f.person.staffA, f.person.adminA, '2026-03-01', '2026-03-31');
    const read = await as('adminA', 'GET', `/api/check-ins/${id}`);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    // they may verify it for the assignee (the verify route finds the delegation)
    expect(read.body).toMatchObject({
      id,
      status: 'SUBMITTED',
      delegateFor: f.person.staffA,
      canVerify: true,
      verifyTask: { assigneePersonId: f.person.staffA },
    });
  });
});
