// The delegation table's rules and the queries other code relies on: activeDelegation / principalsOf by
// local day in Asia/Ho_Chi_Minh (the window is local dates, both inclusive), the database refusing self,
// a reversed window and overlapping granted delegations of one principal, and the inbox listing a
// principal's open tasks to the delegate while a delegation is in force, marked with the principal.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedPlanPeople } from '../../test/support/annual-plan.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { translateDbError } from '../errors.ts';
import type { DelegationStatus } from '../schema-delegations.ts';
import { activeDelegation, delegationsOf, overlappingGranted, principalsOf } from './delegations.ts';
import { inboxCounts, inboxOf } from './tasks.ts';

const { db } = await freshDatabase();
let p: Awaited<ReturnType<typeof seedPlanPeople>>;
let principal: string;
let delegate: string;
let approver: string;

beforeAll(async () => {
  p = await seedPlanPeople(db);
  principal = p.drafter;
  delegate = p.secretary;
  approver = p.supervisor;
});

async function insert(from: string, to: string, status: DelegationStatus, who = principal) {
  const id = `delegation:${who}:${from}:${randomUUID().slice(0, 4)}`;
  await db
    .insertInto('delegation')
    .values({
      id,
      principal_id: who,
      delegate_id: delegate,
      unit_id: p.unitId,
      from_date: from,
      to_date: to,
      reason: 'Nghỉ phép',
      status,
      approver_id: approver,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      revoked_by: null,
      revoked_at: null,
      workflow_id: id,
      requested_by: who,
    })
    .execute();
  return id;
}

/** The database's refusal of a statement, as the stable code the API gives. */
async function codeOf(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
    return undefined;
  } catch (e) {
    return translateDbError(e)?.code ?? String(e);
  }
}

describe('delegations in the database', () => {
  it('activeDelegation and principalsOf follow the local (VN) day, both ends inclusive', async () => {
    const id = await insert('2031-03-10', '2031-03-12', 'APPROVED');
    const q = (at: string) =>
      activeDelegation(db, { delegateId: delegate, principalId: principal, at: new Date(at) });
    // 23:59 VN on 09/03 is 16:59Z: not yet; 00:00 VN on 10/03 is 17:00Z on 09/03: in force
    expect(await q('2031-03-09T16:59:00Z')).toBeUndefined();
    expect(await q('2031-03-09T17:00:00Z')).toEqual({ id });
    // the whole of 12/03 VN (until 17:00Z), not 13/03
    expect(await q('2031-03-12T16:59:59Z')).toEqual({ id });
    expect(await q('2031-03-12T17:00:00Z')).toBeUndefined();
    expect(await principalsOf(db, delegate, new Date('2031-03-11T03:00:00Z'))).toEqual([
      { principalId: principal, delegationId: id },
    ]);
    expect(await principalsOf(db, principal, new Date('2031-03-11T03:00:00Z'))).toEqual([]);
    // someone else's delegate is not this principal's
    expect(
      await activeDelegation(db, {
        delegateId: p.committee,
        principalId: principal,
        at: new Date('2031-03-11T03:00:00Z'),
      }),
    ).toBeUndefined();
  });

  it('a requested, rejected or revoked delegation gives no power', async () => {
    for (const [from, status] of [
      ['2032-01-05', 'REQUESTED'],
      ['2032-02-05', 'REJECTED'],
      ['2032-03-05', 'REVOKED'],
      ['2032-04-05', 'ENDED'],
    ] as const) {
      await insert(from, from, status);
      const at = new Date(`${from}T03:00:00Z`);
      expect(
        await activeDelegation(db, { delegateId: delegate, principalId: principal, at }),
        status,
      ).toBeUndefined();
      expect(await principalsOf(db, delegate, at), status).toEqual([]);
    }
    // an ACTIVE one does
    const id = await insert('2032-05-05', '2032-05-06', 'ACTIVE');
    expect(
      await activeDelegation(db, {
        delegateId: delegate,
        principalId: principal,
        at: new Date('2032-05-06T03:00:00Z'),
      }),
    ).toEqual({ id });
  });

  it('refuses self, a reversed window, an empty reason and overlapping granted delegations, with stable codes', async () => {
    const row = (over: Record<string, unknown>) =>
      db
        .insertInto('delegation')
        .values({
          id: `delegation:x:${randomUUID()}`,
          principal_id: principal,
          delegate_id: delegate,
          unit_id: p.unitId,
          from_date: '2033-01-01',
          to_date: '2033-01-02',
          reason: 'Nghỉ phép',
          approver_id: approver,
          decided_by: null,
          decided_at: null,
          decision_note: null,
          revoked_by: null,
          revoked_at: null,
          workflow_id: 'w',
          requested_by: principal,
          ...over,
        })
        .execute();
    expect(await codeOf(row({ delegate_id: principal }))).toBe('DELEGATION_SELF');
    expect(await codeOf(row({ from_date: '2033-01-05', to_date: '2033-01-04' }))).toBe(
      'DELEGATION_PERIOD_INVALID',
    );
    expect(await codeOf(row({ reason: '   ' }))).toBe('DELEGATION_REASON_REQUIRED');
    expect(await codeOf(row({ approver_id: principal }))).toBe('DELEGATION_SELF_APPROVAL');
    await insert('2034-06-01', '2034-06-10', 'APPROVED');
    const before = await db
      .selectFrom('delegation')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(await codeOf(row({ from_date: '2034-06-10', to_date: '2034-06-12', status: 'ACTIVE' }))).toBe(
      'DELEGATION_OVERLAP',
    );
    const after = await db
      .selectFrom('delegation')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    // a requested one may overlap (only one of them can be approved); a touching window is no overlap
    expect(
      await codeOf(row({ from_date: '2034-06-05', to_date: '2034-06-06', status: 'REQUESTED' })),
    ).toBeUndefined();
    expect(
      await codeOf(row({ from_date: '2034-06-11', to_date: '2034-06-11', status: 'APPROVED' })),
    ).toBeUndefined();
    expect(
      await overlappingGranted(db, { principalId: principal, from: '2034-06-09', to: '2034-06-09' }),
    ).toBeDefined();
    expect(
      await overlappingGranted(db, { principalId: principal, from: '2034-06-12', to: '2034-06-20' }),
    ).toBeUndefined();
  });

  it("lists a principal's open tasks in the delegate's inbox while in force, marked with the principal", async () => {
    const other = (await insert('2035-07-01', '2035-07-03', 'APPROVED')) as string;
    const taskId = `task-${randomUUID()}`;
    const mine = `task-${randomUUID()}`;
    const base = {
      workflow_id: 'w',
      update_name: null,
      kind: 'plan.submit',
      subject_type: 'plan',
      subject_id: 'plan:x',
      assignee_role: null,
      assignee_unit_id: null,
      due_at: new Date('2035-07-02T17:00:00Z'),
      logical_due_date: '2035-07-02',
      closed_at: null,
      closed_by: null,
    };
    await db
      .insertInto('task')
      .values([
        { ...base, id: taskId, assignee_person_id: principal },
        { ...base, id: mine, assignee_person_id: delegate },
      ])
      .execute();
    const inbox = (day: string) => inboxOf(db, delegate, { day });
    const during = await inbox('2035-07-02');
    expect(during.map((t) => [t.id, t.on_behalf_of_id, t.on_behalf_of_name])).toEqual(
      expect.arrayContaining([
        [taskId, principal, 'Nguyễn Văn Soạn'],
        [mine, null, null],
      ]),
    );
    expect(
      (await inboxCounts(db, delegate, { day: '2035-07-02', weekEnd: '2035-07-08' })).open,
    ).toBeGreaterThanOrEqual(2);
    // before and after the window: only the delegate's own
    expect((await inbox('2035-06-30')).map((t) => t.id)).not.toContain(taskId);
    expect((await inbox('2035-07-04')).map((t) => t.id)).not.toContain(taskId);
    // revoked: gone at once
    await db.updateTable('delegation').set({ status: 'REVOKED' }).where('id', '=', other).execute();
    expect((await inbox('2035-07-02')).map((t) => t.id)).not.toContain(taskId);
    // the principal's own inbox is unchanged (and not marked)
    const own = await inboxOf(db, principal, { day: '2035-07-02' });
    expect(own.find((t) => t.id === taskId)?.on_behalf_of_id).toBeNull();
  });

  it('delegationsOf lists the parties’ views with names', async () => {
    const r = await delegationsOf(db, delegate);
    expect(r.asDelegate.length).toBeGreaterThan(0);
    expect(r.asDelegate.every((d) => d.delegate_id === delegate && d.status !== 'REQUESTED')).toBe(true);
    expect(r.asDelegate[0]?.principal_name).toBe('Nguyễn Văn Soạn');
    const a = await delegationsOf(db, approver);
    expect(a.toApprove.length).toBeGreaterThan(0);
    expect(a.asPrincipal).toEqual([]);
  });
});
