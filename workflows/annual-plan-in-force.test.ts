// The annual plan after approval or filing (DESIGN §2–§3, PATCH_IN_FORCE_PHASE): decomposition, the Q1 plan
// and the month plans with their ladders, amendments through the amendment chain, delegates acting for an
// assignee, the late start's single catch-up rung, and the close after the plan year's last deadline. Dev
// server, real PostgreSQL and SMTP catcher, the plan-year 2027 calendar on the test profile with a time warp;
// assertions are on logical dates.
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
import { type MailSenderLoop, smtpMailer, startMailSender } from '../activities/mail-sender.ts';
import { getPlan } from '../db/queries/plans.ts';
import { eventsOfSubject, tasksOfSubject } from '../db/queries/tasks.ts';
import { type MailCatcher, startMailCatcher } from '../devstack/mail-catcher.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  draftVersion,
  type PlanPeople,
  planInput,
  seedPlanPeople,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  type AnnualPlanInput,
  annualPlanWorkflow,
  appraisePlan,
  completeDecomposition,
  decidePeriodPlan,
  decidePlan,
  getAnnualPlan,
  moveDeadlines,
  proposeAmendment,
  reviewAmendment,
  submitPeriodPlan,
  submitPlan,
} from './annual-plan.ts';

const { db } = await freshDatabase();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
let bundle: WorkflowBundleWithSourceMap;
let client: Client;
let native: NativeConnection;
let catcher: MailCatcher;
let sender: MailSenderLoop;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const address = inject('temporalAddress');
  client = new Client({ connection: await Connection.connect({ address }) });
  native = await NativeConnection.connect({ address });
  catcher = await startMailCatcher({ smtpPort: 0 });
  sender = startMailSender(db, smtpMailer({ host: '127.0.0.1', port: catcher.smtpPort }), {
    intervalMs: 150,
  });
});
afterAll(async () => {
  await sender?.stop();
  await catcher?.stop();
  await client?.connection.close();
  await native?.close();
});

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Handle = ReturnType<Client['workflow']['getHandle']>;
async function withPlan(
  opts: {
    fromDate: string;
    msPerDay: number;
    input?: (p: PlanPeople) => Partial<AnnualPlanInput>;
  },
  body: (ctx: { p: PlanPeople; handle: Handle; planId: string }) => Promise<void>,
) {
  const p = await seedPlanPeople(db);
  const taskQueue = `plan-${randomUUID()}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({ db }),
  });
  const input = {
    ...planInput(p, testCalendar(), warpFrom(opts.fromDate, opts.msPerDay)),
    ...(opts.input?.(p) ?? {}),
  };
  await worker.runUntil(async () => {
    await client.workflow.start(annualPlanWorkflow, { taskQueue, workflowId: input.planId, args: [input] });
    try {
      await body({ p, handle: client.workflow.getHandle(input.planId), planId: input.planId });
    } finally {
      await client.workflow
        .getHandle(input.planId)
        .terminate('test over')
        .catch(() => {});
    }
  });
}

/** Submit → appraise → approve, straight away. Returns the version in force. */
async function approveNow(p: PlanPeople, handle: Handle) {
  const v = await draftVersion(db, p);
  await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
  await handle.executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
  const r = await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
  expect(r.status).toBe('APPROVED');
  return v;
}
const tasks = (planId: string) => tasksOfSubject(db, 'plan', planId);
const events = (planId: string) => eventsOfSubject(db, 'plan', planId);
const auditOf = (planId: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'after'])
    .where('aggregate_type', '=', 'plan')
    .where('aggregate_id', '=', planId)
    .orderBy('seq')
    .execute();
const rejected = (p: Promise<unknown>) => expect(p).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

describe.concurrent('annual plan in force (dev server, compressed calendar)', () => {
  it('approved: decomposition done; the Q1 plan returned, resubmitted, approved and sent to the province; a delegate submits January', async () => {
    await withPlan(
      { fromDate: '2026-12-14', msPerDay: 1500, input: () => ({ decompose: true, periodPlans: true }) },
      async ({ p, handle, planId }) => {
        await approveNow(p, handle);
        const opened = await until('decompose, Q1 and January items', async () => {
          const t = (await tasks(planId)).filter((x) => x.status === 'open');
          return t.length === 3 && t;
        });
        expect(opened.map((t) => [t.id.slice(planId.length + 1), t.kind, t.logical_due_date]).sort()).toEqual(
          [
            ['decompose', 'plan.decompose', '2027-01-11'], // 10/01/2027 is a Sunday
            ['period:2027-01:submit:1', 'plan.period-submit', '2027-01-05'],
            ['period:2027-Q1:submit:1', 'plan.period-submit', '2027-01-11'],
          ],
        );
        expect(opened.find((t) => t.kind === 'plan.decompose')?.assignee_person_id).toBe(p.head);

        // Decomposition: only the unit head; then done, with the children and coverage recorded.
        const child = `plan:2027:unit:${randomUUID()}`;
        await rejected(
          handle.executeUpdate(completeDecomposition, {
            args: [{ by: p.drafter, childPlanIds: [child], coverage: { checked: 3, gaps: 0 } }],
          }),
        );
        await handle.executeUpdate(completeDecomposition, {
          args: [{ by: p.head, childPlanIds: [child], coverage: { checked: 3, gaps: 0 } }],
        });
        const v1 = await handle.query(getAnnualPlan);
        expect(v1.decomposition).toMatchObject({ status: 'done', childPlanIds: [child] });
        const decomposed = (await auditOf(planId)).find((a) => a.action === 'plan.decomposed');
        expect(decomposed?.after).toMatchObject({ childPlanIds: [child], coverage: { checked: 3, gaps: 0 } });

        // The Q1 plan: submitted, returned (comments required), resubmitted, approved by the head.
        const q1 = '2027-Q1';
        const s1 = await draftVersion(db, p, 'Kế hoạch quý 1');
        await handle.executeUpdate(submitPeriodPlan, {
          args: [{ period: q1, versionId: s1.id, hash: s1.hash, by: p.drafter }],
        });
        await rejected(
          handle.executeUpdate(decidePeriodPlan, { args: [{ period: q1, by: p.head, decision: 'return' }] }),
        );
        await rejected(
          handle.executeUpdate(decidePeriodPlan, {
            args: [{ period: q1, by: p.drafter, decision: 'approve' }],
          }),
        );
        await handle.executeUpdate(decidePeriodPlan, {
          args: [
            { period: q1, by: p.head, decision: 'return', comments: [{ text: 'Thêm chỉ tiêu tháng 3' }] },
          ],
        });
        const s2 = await draftVersion(db, p, 'Kế hoạch quý 1, lần 2');
        await handle.executeUpdate(submitPeriodPlan, {
          args: [{ period: q1, versionId: s2.id, hash: s2.hash, by: p.drafter }],
        });
        await handle.executeUpdate(decidePeriodPlan, {
          args: [{ period: q1, by: p.head, decision: 'approve' }],
        });
        const v2 = await handle.query(getAnnualPlan);
        expect(v2.periodPlans?.find((r) => r.period === q1)).toMatchObject({
          status: 'approved',
          versionId: s2.id,
          round: 2,
        });
        const q1Tasks = (await tasks(planId)).filter((t) => t.id.includes(':period:2027-Q1:'));
        expect(q1Tasks.map((t) => `${t.id.split(':period:')[1]}:${t.status}`)).toEqual([
          '2027-Q1:submit:1:done',
          '2027-Q1:decide:1:done',
          '2027-Q1:submit:2:done',
          '2027-Q1:decide:2:done',
        ]);
        const mail = await catcher.waitFor(
          (m) =>
            m.to.includes(p.email.secretary) &&
            m.subject.includes('quý 1/2027') &&
            m.subject.includes('gửi Tỉnh'),
          20_000,
        );
        expect(mail.subject).toContain('Sở Nội vụ');
        expect((await auditOf(planId)).map((a) => a.action)).toEqual(
          expect.arrayContaining(['plan.period-returned', 'plan.period-approved', 'plan.q1-sent']),
        );

        // January by a delegate: for the drafter, accepted and recorded; for the wrong principal, rejected.
        const jan = await draftVersion(db, p, 'Kế hoạch tháng 1');
        await rejected(
          handle.executeUpdate(submitPeriodPlan, {
            args: [
              { period: '2027-01', versionId: jan.id, hash: jan.hash, by: p.supervisor, onBehalfOf: p.head },
            ],
          }),
        );
        await handle.executeUpdate(submitPeriodPlan, {
          args: [
            { period: '2027-01', versionId: jan.id, hash: jan.hash, by: p.supervisor, onBehalfOf: p.drafter },
          ],
        });
        const closed = (await events(planId)).find(
          (e) => e.task_id === `${planId}:period:2027-01:submit:1` && e.kind === 'closed',
        );
        expect(closed).toMatchObject({
          actor: p.supervisor,
          details: { status: 'done', onBehalfOf: p.drafter },
        });
        const submitted = (await auditOf(planId)).find(
          (a) =>
            a.action === 'plan.period-submitted' && (a.after as { period?: string }).period === '2027-01',
        );
        expect(submitted).toMatchObject({ actor: p.supervisor, after: { onBehalfOf: p.drafter } });
        // The drafter's delegate cannot approve what was submitted for the drafter, nor can the drafter.
        await rejected(
          handle.executeUpdate(decidePeriodPlan, {
            args: [{ period: '2027-01', by: p.drafter, onBehalfOf: p.head, decision: 'approve' }],
          }),
        );
      },
    );
  });

  it('late start (20/01/2027): one catch-up rung per late item and one committee escalation; February opens on 1/02 and escalates when missed', async () => {
    await withPlan(
      { fromDate: '2027-01-20', msPerDay: 1000, input: () => ({ periodPlans: true }) },
      async ({ p, handle, planId }) => {
        const submitTask = `${planId}:submit:1`;
        await until('the catch-up committee escalation', async () =>
          (await events(planId)).some((e) => e.task_id === submitTask && e.kind === 'escalated'),
        );
        const early = (await events(planId)).filter(
          (e) => e.task_id === submitTask && e.kind !== 'opened' && e.logical_date! <= '2027-01-20',
        );
        expect(early.map((e) => `${e.kind}:${e.recipient_role}@${e.logical_date}`)).toEqual([
          'missed:drafter@2027-01-20',
          'escalated:standing-committee@2027-01-20',
        ]);
        expect(early[1]?.details).toMatchObject({ catchUp: true, reason: 'nothing-submitted' });

        await approveNow(p, handle);
        // Q1 (due 11/01) and January (due 5/01) open late: each fires its latest passed rung only.
        const late = await until('the catch-up rungs of Q1 and January', async () => {
          const ev = (await events(planId)).filter(
            (e) => e.task_id.includes(':period:') && e.kind !== 'opened' && e.kind !== 'closed',
          );
          return ev.length >= 2 && ev;
        });
        const byTask = (id: string) =>
          late
            .filter((e) => e.task_id === `${planId}:${id}`)
            .map((e) => `${e.kind}:${e.recipient_role}@${e.logical_date}`);
        expect(byTask('period:2027-Q1:submit:1')).toEqual(['escalated:secretariat@2027-01-19']);
        expect(byTask('period:2027-01:submit:1')).toEqual(['escalated:secretariat@2027-01-13']);
        const lateOnes = late.filter((e) => !e.task_id.includes(':period:2027-02:'));
        expect(lateOnes.every((e) => (e.details as { catchUp?: boolean }).catchUp === true)).toBe(true);
        const qTask = (await tasks(planId)).find((t) => t.id.endsWith(':period:2027-Q1:submit:1'));
        expect(qTask?.escalation_level).toBe(4);

        // February: opens on 1/02 (00:00), due 5/02; nothing submitted → reminders, then escalations.
        const febTask = `${planId}:period:2027-02:submit:1`;
        await until('February escalated to the unit head', async () =>
          (await events(planId)).some((e) => e.task_id === febTask && e.recipient_role === 'unit-head'),
        );
        const view = await handle.query(getAnnualPlan);
        expect(view.periodPlans?.find((r) => r.period === '2027-02')).toMatchObject({
          status: 'open',
          openedOn: '2027-02-01',
        });
        const feb = (await events(planId)).filter((e) => e.task_id === febTask && e.kind !== 'opened');
        expect(feb.map((e) => `${e.kind}:${e.recipient_role}@${e.logical_date}`).slice(0, 8)).toEqual([
          'reminded:drafter@2027-02-02',
          'reminded:drafter@2027-02-04',
          'reminded:drafter@2027-02-05',
          'overdue-reminded:drafter@2027-02-08',
          'overdue-reminded:drafter@2027-02-09',
          'escalated:supervisor@2027-02-09',
          'overdue-reminded:drafter@2027-02-10',
          'escalated:unit-head@2027-02-11',
        ]);
        expect(feb.some((e) => (e.details as { catchUp?: boolean }).catchUp)).toBe(false);
        // The run continued as new at the month boundary.
        expect(view.runs).toBeGreaterThan(1);
      },
    );
  });

  it('amendments: proposed, endorsed, approved (the in-force version changes); another returned and proposed again', async () => {
    await withPlan({ fromDate: '2026-12-14', msPerDay: 1500 }, async ({ p, handle, planId }) => {
      const v1 = await approveNow(p, handle);
      expect(await getPlan(db, planId)).toMatchObject({ in_force_version_id: v1.id });
      const v2 = await draftVersion(db, p, 'Điều chỉnh 1');
      const changes = { added: 1, adjusted: 2, dropped: 0 };
      await rejected(
        handle.executeUpdate(proposeAmendment, {
          args: [{ versionId: v2.id, hash: v2.hash, reason: '  ', changes, by: p.drafter }],
        }),
      );
      await handle.executeUpdate(proposeAmendment, {
        args: [
          {
            versionId: v2.id,
            hash: v2.hash,
            reason: 'Bổ sung nhiệm vụ chuyển đổi số',
            changes,
            by: p.drafter,
          },
        ],
      });
      // One open amendment at a time.
      await rejected(
        handle.executeUpdate(proposeAmendment, {
          args: [{ versionId: v2.id, hash: v2.hash, reason: 'Lần nữa', changes, by: p.drafter }],
        }),
      );
      const open = (await tasks(planId)).find((t) => t.id.endsWith(':amend:1:L0'));
      expect(open).toMatchObject({
        kind: 'plan.amend-appraise',
        status: 'open',
        assignee_role: 'secretariat',
      });
      // The appraising level cannot approve; the committee cannot act before it is its turn.
      await rejected(
        handle.executeUpdate(reviewAmendment, { args: [{ by: p.secretary, decision: 'approve' }] }),
      );
      await handle.executeUpdate(reviewAmendment, { args: [{ by: p.secretary, decision: 'endorse' }] });
      expect((await tasks(planId)).find((t) => t.id.endsWith(':amend:1:L1'))).toMatchObject({
        kind: 'plan.amend-decide',
        status: 'open',
        assignee_person_id: p.committee,
      });
      await handle.executeUpdate(reviewAmendment, { args: [{ by: p.committee, decision: 'approve' }] });
      expect(await getPlan(db, planId)).toMatchObject({ status: 'APPROVED', in_force_version_id: v2.id });
      const amended = (await auditOf(planId)).find((a) => a.action === 'plan.amended');
      expect(amended?.after).toMatchObject({
        amendment: 1,
        versionId: v2.id,
        previousVersionId: v1.id,
        reason: 'Bổ sung nhiệm vụ chuyển đổi số',
        changes,
        inForceVersionId: v2.id,
      });

      const v3 = await draftVersion(db, p, 'Điều chỉnh 2');
      await handle.executeUpdate(proposeAmendment, {
        args: [
          {
            versionId: v3.id,
            hash: v3.hash,
            reason: 'Bỏ chỉ tiêu 3',
            changes: { added: 0, adjusted: 0, dropped: 1 },
            by: p.head,
          },
        ],
      });
      await rejected(
        handle.executeUpdate(reviewAmendment, { args: [{ by: p.secretary, decision: 'return' }] }),
      );
      await handle.executeUpdate(reviewAmendment, {
        args: [{ by: p.secretary, decision: 'return', comments: [{ text: 'Chưa rõ căn cứ' }] }],
      });
      await catcher.waitFor((m) => m.to.includes(p.email.head) && m.subject.includes('bị trả lại'), 20_000);
      const view = await handle.query(getAnnualPlan);
      expect(view.amendments?.map((a) => [a.number, a.status, a.versionId])).toEqual([
        [1, 'approved', v2.id],
        [2, 'returned', v3.id],
      ]);
      expect(await getPlan(db, planId)).toMatchObject({ in_force_version_id: v2.id });
      // Proposed again: amendment 3 opens a fresh chain.
      await handle.executeUpdate(proposeAmendment, {
        args: [
          {
            versionId: v3.id,
            hash: v3.hash,
            reason: 'Bỏ chỉ tiêu 3 (căn cứ mới)',
            changes: { added: 0, adjusted: 0, dropped: 1 },
            by: p.head,
          },
        ],
      });
      expect((await tasks(planId)).find((t) => t.id.endsWith(':amend:3:L0'))?.status).toBe('open');
    });
  });

  it('nobody reviews their own amendment (nor for its proposer); a missed amendment review is forwarded', async () => {
    await withPlan(
      {
        fromDate: '2026-12-14',
        msPerDay: 500,
        input: (p) => ({
          amendmentChain: {
            step: 'amendment',
            levels: [{ role: 'unit-head' }, { role: 'standing-committee', actorId: p.committee }],
          },
        }),
      },
      async ({ p, handle, planId }) => {
        await approveNow(p, handle);
        const v2 = await draftVersion(db, p, 'Điều chỉnh');
        const r = await handle.executeUpdate(proposeAmendment, {
          args: [
            {
              versionId: v2.id,
              hash: v2.hash,
              reason: 'Điều chỉnh chỉ tiêu',
              changes: { added: 0, adjusted: 1, dropped: 0 },
              by: p.head,
            },
          ],
        });
        // The unit head is the first level of the amendment chain, and the proposer.
        await rejected(
          handle.executeUpdate(reviewAmendment, { args: [{ by: p.head, decision: 'endorse' }] }),
        );
        await rejected(
          handle.executeUpdate(reviewAmendment, {
            args: [{ by: p.supervisor, onBehalfOf: p.head, decision: 'endorse' }],
          }),
        );
        // Nobody endorses: on the grace day the item is forwarded to the committee, which decides.
        const cal = workingCalendar(planInput(p, testCalendar()).profile);
        const due = cal.addWorkingDays(r.date, 5);
        const missedOn = cal.addWorkingDays(due, 1);
        const fwd = await until('the forwarded amendment', async () =>
          (await tasks(planId)).find((t) => t.id.endsWith(':amend:1:L1')),
        );
        expect(fwd).toMatchObject({
          kind: 'plan.amend-decide',
          assignee_person_id: p.committee,
          status: 'open',
        });
        expect((await tasks(planId)).find((t) => t.id.endsWith(':amend:1:L0'))).toMatchObject({
          status: 'cancelled',
          logical_due_date: due,
        });
        const ev = (await events(planId)).filter((e) => e.task_id.endsWith(':amend:1:L0'));
        expect(
          ev
            .filter((e) => e.kind === 'missed' || e.kind === 'forwarded')
            .map((e) => `${e.kind}@${e.logical_date}`),
        ).toEqual([`missed@${missedOn}`, `forwarded@${missedOn}`]);
        await handle.executeUpdate(reviewAmendment, { args: [{ by: p.committee, decision: 'approve' }] });
        expect(await getPlan(db, planId)).toMatchObject({ in_force_version_id: v2.id });
      },
    );
  });

  it('moved deadlines move the in-force items that follow them (the Q1 plan and the decomposition)', async () => {
    await withPlan(
      { fromDate: '2026-12-14', msPerDay: 1500, input: () => ({ decompose: true, periodPlans: true }) },
      async ({ p, handle, planId }) => {
        await approveNow(p, handle);
        await handle.executeUpdate(moveDeadlines, {
          args: [
            { calendar: testCalendar({ 'plan.q1': '2027-01-15' }), by: 'admin', reason: 'Lùi hạn quý 1' },
          ],
        });
        const due = Object.fromEntries(
          (await tasks(planId))
            .filter((t) => t.status === 'open')
            .map((t) => [t.id.slice(planId.length + 1), t.logical_due_date]),
        );
        expect(due).toEqual({
          decompose: '2027-01-15',
          'period:2027-Q1:submit:1': '2027-01-15',
          'period:2027-01:submit:1': '2027-01-05', // follows month-plan.2027-01, not moved
        });
        const moved = (await events(planId)).filter((e) => e.kind === 'deadline-moved');
        expect(moved.map((e) => e.task_id.slice(planId.length + 1)).sort()).toEqual([
          'decompose',
          'period:2027-Q1:submit:1',
        ]);
        const view = await handle.query(getAnnualPlan);
        expect(view.openItems.find((i) => i.period === '2027-Q1')).toMatchObject({
          kind: 'period-submit',
          dueDate: '2027-01-15',
        });
      },
    );
  });

  it('a message that can never be delivered (bad reference) is recorded as effect-failed; the run goes on', async () => {
    await withPlan(
      {
        fromDate: '2026-11-24',
        msPerDay: 2000,
        // The province secretariat given as a malformed person id: the Q1 plan's notice to it fails for good.
        input: (p) => ({
          periodPlans: true,
          parties: { ...planInput(p, testCalendar()).parties, secretariat: { personId: 'not-a-uuid' } },
          chain: { step: 'plan-approval', levels: [{ role: 'standing-committee', actorId: p.committee }] },
        }),
      },
      async ({ p, handle, planId }) => {
        const v = await draftVersion(db, p);
        await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
        await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
        const q = await draftVersion(db, p, 'Kế hoạch quý 1');
        await handle.executeUpdate(submitPeriodPlan, {
          args: [{ period: '2027-Q1', versionId: q.id, hash: q.hash, by: p.drafter }],
        });
        await handle.executeUpdate(decidePeriodPlan, {
          args: [{ period: '2027-Q1', by: p.head, decision: 'approve' }],
        });
        const failed = await until('the effect-failed record', async () =>
          (await auditOf(planId)).find((a) => a.action === 'effect-failed'),
        );
        expect(failed.after).toMatchObject({ effect: 'notify', key: expect.stringMatching(/^q1-sent:/) });
        expect((failed.after as { message: string }).message).toMatch(/malformed id/);
        // The run is alive and goes on: the projection after the message is written, the view answers.
        await until('plan.q1-sent projected', async () =>
          (await auditOf(planId)).some((a) => a.action === 'plan.q1-sent'),
        );
        expect(await handle.query(getAnnualPlan)).toMatchObject({ status: 'APPROVED' });
        expect((await handle.describe()).status.name).toBe('RUNNING');
      },
    );
  });

  it('a run continued from one filed under the code before the in-force phase comes into force', async () => {
    await withPlan(
      {
        fromDate: '2026-12-28',
        msPerDay: 1500,
        input: (p) => ({
          periodPlans: true,
          // The state an older run carried across continue-as-new: filed at 25/12, not in force (no marker).
          state: {
            phase: 'APPRAISED',
            round: 1,
            stateVersion: 7,
            calendar: testCalendar(),
            profile: planInput(p, testCalendar()).profile,
            items: [],
            submitted: {
              round: 1,
              versionId: 'v1',
              hash: 'a'.repeat(64),
              by: p.drafter,
              at: 0,
              date: '2026-12-01',
            },
            inForce: { versionId: 'v1', hash: 'a'.repeat(64), approved: false },
            filed: { versionId: 'v1', date: '2026-12-25' },
            approveDeadlinePassed: true,
            appraisals: [],
            returns: [],
            misses: [],
            seenUpdates: [],
            sa: {},
            runs: 3,
            inForcePhase: false,
          },
        }),
      },
      async ({ handle, planId }) => {
        const view = await until('the Q1 and January items', async () => {
          const v = await handle.query(getAnnualPlan).catch(() => undefined);
          return v?.periodPlans?.length === 2 && v;
        });
        expect(view).toMatchObject({ status: 'FILED' });
        expect(view.periodPlans?.map((r) => r.period)).toEqual(['2027-Q1', '2027-01']);
        await until('the tasks', async () => (await tasks(planId)).length === 2);
      },
    );
  });

  it('a plan never in force (nothing submitted) closes at the end too', async () => {
    await withPlan(
      {
        fromDate: '2027-01-12',
        msPerDay: 250,
        input: () => ({ calendar: testCalendar({ 'check-in.2027-12': '2027-01-18' }) }),
      },
      async ({ handle, planId }) => {
        expect(await handle.result()).toMatchObject({ status: 'CLOSED', openItems: [] });
        expect(await getPlan(db, planId)).toMatchObject({ status: 'CLOSED' });
        expect((await tasks(planId)).map((t) => `${t.kind}:${t.status}`)).toEqual(['plan.submit:cancelled']);
      },
    );
  });

  it('closes after the plan year’s last deadline (December’s verification, moved early here)', async () => {
    await withPlan(
      {
        fromDate: '2026-12-14',
        msPerDay: 250,
        input: () => ({ calendar: testCalendar({ 'check-in.2027-12': '2027-01-18' }) }),
      },
      async ({ p, handle, planId }) => {
        await approveNow(p, handle);
        const view = await until('closed', async () => {
          const v = await handle.query(getAnnualPlan).catch(() => undefined);
          return v?.phase === 'CLOSED' && v;
        });
        expect(view).toMatchObject({ status: 'CLOSED', openItems: [] });
        expect(await handle.result()).toMatchObject({ status: 'CLOSED' });
        expect(await getPlan(db, planId)).toMatchObject({ status: 'CLOSED', phase: 'CLOSED' });
        const closed = (await auditOf(planId)).find((a) => a.action === 'plan.closed');
        // verify.2027-12 = 3 working days after the moved check-in (18/01) → 21/01/2027; closed from the day after.
        expect(closed?.after).toMatchObject({
          status: 'CLOSED',
          after: 'verify.2027-12',
          afterDate: '2027-01-21',
        });
        expect((closed!.after as { date: string }).date >= '2027-01-22').toBe(true);
      },
    );
  });
});
