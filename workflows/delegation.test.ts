// The delegation workflow on the Temporal dev server with a real PostgreSQL, its days played with a time
// warp (one virtual day ≈ 1.5 s): the approval task in the approver's inbox and its single reminder,
// approve → APPROVED → ACTIVE at 00:00 VN of the first day → ENDED after the last day, the read model and
// the messages to principal and delegate at each step; the validators (nobody approves their own, only the
// approver decides, only principal or approver revoke); revoke and reject; a request left undecided lapses.
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities/index.ts';
import { activeDelegation, getDelegation as getDelegationRow } from '../db/queries/delegations.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { addCalendarDays, vnInstant } from '../domain/calendar/vn-time.ts';
import { type PlanPeople, seedPlanPeople } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  type DelegationInput,
  decideDelegation,
  delegationId,
  delegationWorkflow,
  getDelegation,
  revokeDelegation,
} from './delegation.ts';
import type { TimeWarp } from './plan-time.ts';

const MS_PER_DAY = 1500;
const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let bundle: WorkflowBundleWithSourceMap;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `delegation-${randomUUID()}`;
let p: PlanPeople;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const address = inject('temporalAddress');
  client = new Client({ connection: await Connection.connect({ address }) });
  native = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  running = worker.run();
  p = await seedPlanPeople(db);
});
afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => {});
  await client?.connection.close();
  await native?.close();
});

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Virtual time starting at 09:00 VN on `day`. */
const warpFrom = (day: string): TimeWarp => ({
  realEpoch: Date.now(),
  virtualEpoch: vnInstant(day, 9),
  speed: 86_400_000 / MS_PER_DAY,
});

async function start(day: string, fromIn: number, days: number, principal = p.drafter) {
  const from = addCalendarDays(day, fromIn);
  const id = delegationId(principal, from);
  const input: DelegationInput = {
    delegationId: id,
    principalId: principal,
    delegateId: p.secretary,
    approverId: p.supervisor,
    unitId: p.unitId,
    from,
    to: addCalendarDays(from, days - 1),
    reason: 'Nghỉ phép năm',
    principalName: 'Nguyễn Văn Soạn',
    delegateName: 'Phạm Thị Văn',
    warp: warpFrom(day),
  };
  const handle = await client.workflow.start(delegationWorkflow, {
    taskQueue,
    workflowId: id,
    args: [input],
  });
  return { id, handle, input };
}

const notes = (personId: string, id: string) =>
  db
    .selectFrom('notification')
    .select(['kind', 'title_vi', 'title_en', 'link'])
    .where('person_id', '=', personId)
    .where('idempotency_key', 'like', `${id}:%`)
    .orderBy('created_at')
    .execute();

const rejection = async (run: Promise<unknown>) => {
  try {
    await run;
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError) return (e.cause as Error | undefined)?.message ?? e.message;
    throw e;
  }
  return undefined;
};

describe('the delegation workflow', () => {
  it('approval task and reminder; approve → APPROVED → ACTIVE on the first day → ENDED after the last', async () => {
    // from in 3 virtual days, 2 days long
    const { id, handle, input } = await start('2031-05-05', 3, 2);
    const task = await until(
      'the approval task',
      async () => (await tasksOfSubject(db, 'delegation', id))[0],
    );
    expect(task).toMatchObject({
      id: `${id}:approve`,
      kind: 'delegation.approve',
      assignee_person_id: p.supervisor,
      status: 'open',
      update_name: 'decideDelegation',
      logical_due_date: addCalendarDays(input.from, -1),
    });
    expect((await notes(p.supervisor, id)).map((n) => n.kind)).toEqual(['delegation.approve']);
    // the single reminder at 08:00 VN of the due day (2 virtual days on)
    const reminded = await until('the reminder', async () =>
      (await eventsOfSubject(db, 'delegation', id)).find((e) => e.kind === 'reminded'),
    );
    expect(reminded).toMatchObject({
      recipient_person_id: p.supervisor,
      logical_date: task.logical_due_date,
    });
    expect(await handle.query(getDelegation)).toMatchObject({ status: 'REQUESTED', reminded: true });

    // validators: nobody approves their own; only the approver decides
    expect(
      await rejection(
        handle.executeUpdate(decideDelegation, { args: [{ decision: 'approve', by: p.drafter }] }),
      ),
    ).toMatch(/chính mình/);
    expect(
      await rejection(
        handle.executeUpdate(decideDelegation, { args: [{ decision: 'approve', by: p.head }] }),
      ),
    ).toMatch(/không phải người duyệt/);
    const r = await handle.executeUpdate(decideDelegation, {
      args: [{ decision: 'approve', by: p.supervisor }],
    });
    expect(r).toEqual({ id, status: 'APPROVED' });
    // read-your-write: the read model has it when the Update answers
    expect((await getDelegationRow(db, id))?.status).toBe('APPROVED');
    expect((await tasksOfSubject(db, 'delegation', id))[0]?.status).toBe('done');
    expect(
      await rejection(
        handle.executeUpdate(decideDelegation, { args: [{ decision: 'reject', by: p.supervisor }] }),
      ),
    ).toMatch(/APPROVED/);

    await until('ACTIVE', async () => (await getDelegationRow(db, id))?.status === 'ACTIVE');
    const during = new Date(vnInstant(input.from, 12));
    expect(
      await activeDelegation(db, { delegateId: p.secretary, principalId: p.drafter, at: during }),
    ).toEqual({ id });
    await until('ENDED', async () => (await getDelegationRow(db, id))?.status === 'ENDED', 20_000);
    expect(await handle.result()).toMatchObject({ status: 'ENDED', decidedBy: p.supervisor });
    // principal and delegate were told of each step; the audit trail has every transition
    for (const who of [p.drafter, p.secretary])
      expect((await notes(who, id)).map((n) => n.title_en).sort()).toEqual([
        'Delegation approved',
        'Delegation ended',
        'Delegation in force',
      ]);
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'delegation')
      .where('aggregate_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'task.opened',
      'task.reminded',
      'task.done',
      'delegation.approved',
      'delegation.activated',
      'delegation.ended',
    ]);
  });

  it('an approval that would overlap another granted delegation of the principal is refused, not written', async () => {
    const a = await start('2032-01-08', 2, 3);
    const b = await start('2032-01-08', 3, 3);
    expect(
      (await a.handle.executeUpdate(decideDelegation, { args: [{ decision: 'approve', by: p.supervisor }] }))
        .status,
    ).toBe('APPROVED');
    const r = await b.handle.executeUpdate(decideDelegation, {
      args: [{ decision: 'approve', by: p.supervisor }],
    });
    expect(r.status).toBe('REJECTED');
    expect(await getDelegationRow(db, b.id)).toMatchObject({
      status: 'REJECTED',
      decision_note: 'DELEGATION_OVERLAP',
    });
    expect(await getDelegationRow(db, a.id)).toMatchObject({ status: 'APPROVED' });
    // told it is not in force; never told it was approved
    expect((await notes(p.drafter, b.id)).map((n) => n.title_en)).toEqual(['Delegation not in force']);
    await a.handle.terminate('test over');
  });

  it('revoke: only principal or approver; the delegation stops at once', async () => {
    const { id, handle } = await start('2031-08-04', 0, 10, p.head);
    // from today: approved → ACTIVE at once
    const r = await handle.executeUpdate(decideDelegation, {
      args: [{ decision: 'approve', by: p.supervisor }],
    });
    expect(r.status).toBe('ACTIVE');
    expect(await rejection(handle.executeUpdate(revokeDelegation, { args: [{ by: p.secretary }] }))).toMatch(
      /Chỉ người ủy quyền/,
    );
    const v = await handle.executeUpdate(revokeDelegation, {
      args: [{ by: p.head, reason: 'Đi làm lại sớm' }],
    });
    expect(v.status).toBe('REVOKED');
    const row = await getDelegationRow(db, id);
    expect(row).toMatchObject({ status: 'REVOKED', revoked_by: p.head, decision_note: 'Đi làm lại sớm' });
    expect(
      await activeDelegation(db, {
        delegateId: p.secretary,
        principalId: p.head,
        at: new Date(vnInstant('2031-08-05', 9)),
      }),
    ).toBeUndefined();
    expect(await handle.result()).toMatchObject({ status: 'REVOKED', revokedBy: p.head });
  });

  it('reject closes the task; an undecided request lapses when its window has passed', async () => {
    const a = await start('2031-10-06', 2, 1, p.committee);
    await until('task', async () => (await tasksOfSubject(db, 'delegation', a.id))[0]);
    const r = await a.handle.executeUpdate(decideDelegation, {
      args: [{ decision: 'reject', by: p.supervisor, note: 'Không đủ người' }],
    });
    expect(r.status).toBe('REJECTED');
    expect(await getDelegationRow(db, a.id)).toMatchObject({
      status: 'REJECTED',
      decision_note: 'Không đủ người',
    });
    expect((await tasksOfSubject(db, 'delegation', a.id))[0]?.status).toBe('done');

    const b = await start('2031-10-06', 1, 1, p.committee);
    expect(await b.handle.result()).toMatchObject({ status: 'REJECTED', decidedBy: 'system:delegation' });
    expect(await getDelegationRow(db, b.id)).toMatchObject({
      status: 'REJECTED',
      decision_note: 'DELEGATION_LAPSED',
    });
    expect((await tasksOfSubject(db, 'delegation', b.id))[0]?.status).toBe('cancelled');
  });
});
