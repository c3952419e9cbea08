// The annual-plan workflow on the Temporal dev server with a real PostgreSQL and a real SMTP catcher. The
// plan-year calendar comes from domain/calendar (a weekends-only profile, plan year 2027) and is played
// with a time warp (one virtual day ≈ half a second); assertions are on the LOGICAL dates that tasks, task
// events and e-mails carry.
import { randomUUID } from 'node:crypto';
import {
  Client,
  Connection,
  WithStartWorkflowOperation,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
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
import { computePlanYearCalendar, moveDeadline } from '../domain/calendar/plan-year.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import { formatDate } from '../domain/format/date.ts';
import {
  draftVersion,
  type PlanPeople,
  planInput,
  seedPlanPeople,
  TEST_PROFILE,
  testCalendar,
  warpFrom,
} from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { until as pollUntil } from '../test/support/poll.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  type AnnualPlanInput,
  annualPlanWorkflow,
  appraisePlan,
  decidePlan,
  getAnnualPlan,
  moveDeadlines,
  submitPlan,
} from './annual-plan.ts';
import { SA } from './search-attributes.ts';

const MS_PER_DAY = 500;
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

/** test/support/poll.ts's wait with this file's bound (45 s rather than its 90 s default). */
const until = <T>(what: string, fn: () => Promise<T | undefined | false>) => pollUntil(what, fn, 45_000);

/** Runs a plan workflow on its own task queue for the body of a test. */
async function withPlan(
  opts: { fromDate?: string; msPerDay?: number; input?: (p: PlanPeople) => Partial<AnnualPlanInput> },
  body: (ctx: {
    p: PlanPeople;
    handle: ReturnType<Client['workflow']['getHandle']>;
    planId: string;
    workflowId: string;
  }) => Promise<void>,
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
    ...planInput(p, testCalendar(), warpFrom(opts.fromDate ?? '2026-11-24', opts.msPerDay ?? MS_PER_DAY)),
    ...(opts.input?.(p) ?? {}),
  };
  const workflowId = input.planId;
  await worker.runUntil(async () => {
    const handle = await client.workflow.start(annualPlanWorkflow, { taskQueue, workflowId, args: [input] });
    try {
      await body({ p, handle: client.workflow.getHandle(workflowId), planId: input.planId, workflowId });
    } finally {
      await client.workflow
        .getHandle(workflowId)
        .terminate('test over')
        .catch(() => {});
      void handle;
    }
  });
}

const events = (planId: string) => eventsOfSubject(db, 'plan', planId);
const eventLine = (e: { kind: string; recipient_role: string | null; logical_date: string | null }) =>
  `${e.kind}:${e.recipient_role}@${e.logical_date}`;
const versionFor = (p: PlanPeople, _planId: string) => draftVersion(db, p);
const statusOf = async (planId: string) => (await getPlan(db, planId))?.status;

describe.concurrent('annual plan workflow (dev server, compressed calendar)', () => {
  it('on time: submit → appraise → approve, with the D−3 reminder e-mailed', async () => {
    await withPlan({ msPerDay: 2000 }, async ({ p, handle, planId }) => {
      // The D−3 reminder (Wed 25/11 for a 30/11 deadline) reaches the drafter's mailbox.
      const mail = await catcher.waitFor(
        (m) => m.to.includes(p.email.drafter) && m.subject.includes('Nhắc việc'),
        30_000,
      );
      expect(mail.subject).toContain('hạn 30/11/2026');
      const v = await versionFor(p, planId);
      const r1 = await handle.executeUpdate(submitPlan, {
        args: [{ versionId: v.id, hash: v.hash, by: p.drafter }],
      });
      expect(r1.phase).toBe('SUBMITTED');
      expect(await statusOf(planId)).toBe('SUBMITTED');
      const r2 = await handle.executeUpdate(appraisePlan, {
        args: [{ by: p.secretary, opinion: 'endorse' }],
      });
      expect(r2.phase).toBe('APPRAISED');
      const r3 = await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
      expect(r3.phase).toBe('APPROVED');
      // In force (PATCH_IN_FORCE_PHASE): the run goes on after approval, with nothing open.
      const view = await handle.query(getAnnualPlan);
      expect(view).toMatchObject({ status: 'APPROVED', openItems: [] });
      const plan = await getPlan(db, planId);
      expect(plan).toMatchObject({ status: 'APPROVED', in_force_version_id: v.id, filed: false });
      const tasks = await tasksOfSubject(db, 'plan', planId);
      expect(tasks.map((t) => [t.kind, t.status, t.logical_due_date])).toEqual([
        ['plan.submit', 'done', '2026-11-30'],
        ['plan.appraise', 'done', expect.stringMatching(/^2026-12-0\d$/)],
        ['plan.decide', 'done', '2026-12-25'],
      ]);
      const ev = (await events(planId)).filter((e) => e.kind !== 'opened' && e.kind !== 'closed');
      expect(ev.map(eventLine)[0]).toBe('reminded:drafter@2026-11-25');
      expect(ev.some((e) => e.kind === 'escalated')).toBe(false);
      const audit = await db
        .selectFrom('audit_log')
        .select('action')
        .where('aggregate_id', '=', planId)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['plan.started', 'plan.submitted', 'plan.appraised', 'plan.approved']),
      );
    });
  });

  it("a chain naming the organisation department: its item goes to that department's role at the province", async () => {
    await withPlan(
      {
        msPerDay: 2000,
        input: (p) => ({
          parties: {
            ...planInput(p, testCalendar()).parties,
            organisationDepartment: { role: 'organisation_department', unitId: p.provinceId },
          },
          chain: {
            step: 'plan-approval',
            levels: [
              { role: 'organisation-department' },
              { role: 'standing-committee', actorId: p.committee },
            ],
          },
        }),
      },
      async ({ p, handle, planId }) => {
        const v = await versionFor(p, planId);
        await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
        const appraise = (await tasksOfSubject(db, 'plan', planId)).find((t) => t.kind === 'plan.appraise');
        expect(appraise).toMatchObject({
          status: 'open',
          assignee_role: 'organisation_department',
          assignee_unit_id: p.provinceId,
        });
        const r = await handle.executeUpdate(appraisePlan, {
          args: [{ by: p.secretary, opinion: 'endorse' }],
        });
        expect(r.phase).toBe('APPRAISED');
      },
    );
  });

  it('late: the ladder reminds, gives a grace day, escalates to supervisor, head, secretariat — in order, by e-mail', async () => {
    await withPlan({}, async ({ p, handle, planId }) => {
      await until('the secretariat escalation', async () =>
        (await events(planId)).find((e) => e.kind === 'escalated' && e.recipient_role === 'secretariat'),
      );
      const submitTask = `${planId}:submit:1`;
      const ev = (await events(planId)).filter((e) => e.task_id === submitTask && e.kind !== 'opened');
      expect(ev.map(eventLine)).toEqual([
        'reminded:drafter@2026-11-25',
        'reminded:drafter@2026-11-27',
        'reminded:drafter@2026-11-30',
        'overdue-reminded:drafter@2026-12-01', // grace day: no escalation
        'overdue-reminded:drafter@2026-12-02',
        'escalated:supervisor@2026-12-02',
        'overdue-reminded:drafter@2026-12-03',
        'escalated:unit-head@2026-12-04',
        'escalated:secretariat@2026-12-08',
      ]);
      const forDue = (to: string, what: string) =>
        catcher.waitFor(
          (m) => m.to.includes(to) && m.subject.includes(what) && m.subject.includes('hạn 30/11/2026'),
          20_000,
        );
      const toSupervisor = await forDue(p.email.supervisor, 'Chuyển cấp trên');
      const toHead = await forDue(p.email.head, 'Chuyển cấp trên');
      const toSecretariat = await forDue(p.email.secretary, 'Chuyển cấp trên'); // from the province's secretariat role
      expect(toSupervisor.id).toBeLessThan(toHead.id); // arrival order follows the ladder
      expect(toHead.id).toBeLessThan(toSecretariat.id);
      expect(toSupervisor.text).toContain('Quá hạn 2 ngày làm việc');
      expect(toSecretariat.text).toContain('Quá hạn 6 ngày làm việc');
      const overdue = catcher.messages.filter(
        (m) => m.to.includes(p.email.drafter) && m.subject.startsWith('[WOMS] Quá hạn:'),
      );
      expect(overdue.length).toBe(3);
      // Message-IDs are stable per key: no two messages share one.
      const ids = catcher.messages.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      // The plan's row and the search attributes are written after the secretariat's event (its projection
      // effect, then the next workflow task), so both are waited for: two loaded clean-clone CI runs read level 2
      // (the unit head's, ESCALATION_RANK) here, the secretariat's rung written and its projection not yet. On a
      // timeout the assertion below shows the value actually read.
      const plan = await until('the overdue level in the plan read model', async () => {
        const row = await getPlan(db, planId);
        return row?.overdue_level === 4 && row;
      }).catch(() => getPlan(db, planId));
      expect(plan?.overdue_level).toBe(4);
      const sa = await until('the overdue level in the search attributes', async () => {
        const attrs = (await handle.describe()).typedSearchAttributes;
        return attrs.get(SA.OverdueLevel) === 4 && attrs;
      }).catch(async () => (await handle.describe()).typedSearchAttributes);
      expect(sa.get(SA.OverdueLevel)).toBe(4);
      expect(sa.get(SA.Phase)).toBe('DRAFTING');
      expect((sa.get(SA.NextDeadline) as Date | undefined)?.toISOString()).toBe('2026-11-30T17:00:00.000Z'); // end of 30/11 VN
      const view = await handle.query(getAnnualPlan);
      expect(view.openItems[0]).toMatchObject({ kind: 'submit', escalation: 4, dueDate: '2026-11-30' });
      const v = await versionFor(p, planId);
      const r = await handle.executeUpdate(submitPlan, {
        args: [{ versionId: v.id, hash: v.hash, by: p.drafter }],
      });
      expect(r.phase).toBe('SUBMITTED');
    });
  });

  it('returned with comments, then resubmitted and approved', async () => {
    await withPlan({ msPerDay: 3000 }, async ({ p, handle, planId }) => {
      const v1 = await versionFor(p, planId);
      await handle.executeUpdate(submitPlan, { args: [{ versionId: v1.id, hash: v1.hash, by: p.drafter }] });
      await handle.executeUpdate(appraisePlan, {
        args: [
          {
            by: p.secretary,
            opinion: 'concerns',
            comments: [{ itemId: 'T1', text: 'Thiếu chỉ tiêu đo được' }],
          },
        ],
      });
      await expect(
        handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'return' }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError); // a return needs comments
      const r = await handle.executeUpdate(decidePlan, {
        args: [
          {
            by: p.committee,
            decision: 'return',
            comments: [{ itemId: 'T1.KR2', text: 'Chỉ tiêu phải có mốc thời gian' }],
          },
        ],
      });
      expect(r).toMatchObject({ phase: 'DRAFTING', round: 2 });
      const revise = await until('the revise task', async () =>
        (await tasksOfSubject(db, 'plan', planId)).find((t) => t.kind === 'plan.revise'),
      );
      expect(revise.status).toBe('open');
      // Returned before the submit deadline: the same deadline; after it: 3 working days.
      const cal = workingCalendar(TEST_PROFILE);
      expect(revise.logical_due_date).toBe(
        r.date < '2026-11-30' ? '2026-11-30' : cal.addWorkingDays(cal.previousWorkingDay(r.date), 3),
      );
      expect(revise.details).toMatchObject({
        comments: [{ itemId: 'T1.KR2', text: 'Chỉ tiêu phải có mốc thời gian' }],
      });
      await catcher.waitFor(
        (m) => m.to.includes(p.email.drafter) && m.subject.includes('Chỉnh sửa và nộp lại'),
        20_000,
      );
      const v2 = await versionFor(p, planId);
      await handle.executeUpdate(submitPlan, { args: [{ versionId: v2.id, hash: v2.hash, by: p.drafter }] });
      await handle.executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
      await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
      expect((await handle.query(getAnnualPlan)).status).toBe('APPROVED');
      expect(await getPlan(db, planId)).toMatchObject({ status: 'APPROVED', in_force_version_id: v2.id });
      const kinds = (await tasksOfSubject(db, 'plan', planId)).map((t) => `${t.kind}:${t.status}`);
      expect(kinds).toEqual([
        'plan.submit:done',
        'plan.appraise:done',
        'plan.decide:done',
        'plan.revise:done',
        'plan.appraise:done',
        'plan.decide:done',
      ]);
    });
  });

  it('a submission delivered with the start (the same first workflow task) closes the submit task', async () => {
    // Update-with-Start puts the Update in the first workflow task, which is what a busy worker sees when the
    // drafter submits right after the start: setHandler runs the handler at once, and the submit item must
    // already be open then (it was not: submit:1 stayed open, and a resubmission later closed it instead of
    // the revise item).
    const p = await seedPlanPeople(db);
    const taskQueue = `plan-${randomUUID()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: bundle,
      activities: createActivities({ db }),
    });
    const input = planInput(p, testCalendar(), warpFrom('2026-11-24', 3000));
    const v = await draftVersion(db, p);
    await worker.runUntil(async () => {
      const start = new WithStartWorkflowOperation(annualPlanWorkflow, {
        workflowId: input.planId,
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
      });
      try {
        const r = await client.workflow.executeUpdateWithStart(submitPlan, {
          args: [{ versionId: v.id, hash: v.hash, by: p.drafter }],
          startWorkflowOperation: start,
        });
        expect(r.phase).toBe('SUBMITTED');
        const handle = await start.workflowHandle();
        expect((await handle.query(getAnnualPlan)).openItems.map((i) => i.kind)).toEqual(['appraise']);
        // The Update returns once its effects are written: the tasks are final here.
        const tasks = await tasksOfSubject(db, 'plan', input.planId);
        expect(tasks.map((t) => `${t.kind}:${t.status}`)).toEqual(['plan.submit:done', 'plan.appraise:open']);
      } finally {
        await client.workflow
          .getHandle(input.planId)
          .terminate('test over')
          .catch(() => {});
      }
    });
  });

  it('filed without approval at 25/12: in force provisionally, the approval stays open with reminders', async () => {
    await withPlan({ fromDate: '2026-12-14', msPerDay: 1000 }, async ({ p, handle, planId }) => {
      const v = await versionFor(p, planId);
      await handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.drafter }] });
      await handle.executeUpdate(appraisePlan, { args: [{ by: p.secretary, opinion: 'endorse' }] });
      await until('filing', async () => (await statusOf(planId)) === 'FILED');
      const plan = await getPlan(db, planId);
      expect(plan).toMatchObject({ filed: true, in_force_version_id: v.id, phase: 'APPRAISED' });
      const decideTask = `${planId}:decide:1`;
      // The committee is the top level: its miss is recorded and reminders repeat.
      await until(
        'repeated reminders',
        async () =>
          (await events(planId)).filter((e) => e.task_id === decideTask && e.kind === 'overdue-reminded')
            .length >= 4,
      );
      const ev = (await events(planId)).filter((e) => e.task_id === decideTask && e.kind !== 'opened');
      expect(ev.map(eventLine).slice(0, 8)).toEqual([
        'reminded:standing-committee@2026-12-22',
        'reminded:standing-committee@2026-12-24',
        'reminded:standing-committee@2026-12-25',
        `filed:null@2026-12-25`,
        'overdue-reminded:standing-committee@2026-12-28',
        'missed:standing-committee@2026-12-28',
        'overdue-reminded:standing-committee@2026-12-29',
        'overdue-reminded:standing-committee@2026-12-30',
      ]);
      await catcher.waitFor(
        (m) =>
          m.to.includes(p.email.drafter) &&
          m.subject.includes('lưu tạm thời') &&
          m.subject.includes('25/12/2026'),
        20_000,
      );
      await catcher.waitFor((m) => m.to.includes(p.email.head) && m.subject.includes('lưu tạm thời'), 20_000); // the patched behaviour
      expect((await tasksOfSubject(db, 'plan', planId)).find((t) => t.id === decideTask)?.status).toBe(
        'open',
      );
      await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
      expect(await getPlan(db, planId)).toMatchObject({ status: 'APPROVED', filed: true });
    });
  });

  it('nothing submitted: after 25/12 it keeps escalating to the standing committee', async () => {
    await withPlan({ fromDate: '2026-12-21' }, async ({ p, planId }) => {
      await until(
        'three committee escalations',
        async () =>
          (await events(planId)).filter(
            (e) => e.kind === 'escalated' && e.recipient_role === 'standing-committee',
          ).length >= 3,
      );
      const ev = (await events(planId)).filter(
        (e) => ['escalated', 'missed'].includes(e.kind) && e.logical_date! > '2026-12-25',
      );
      expect(ev.map(eventLine).slice(0, 4)).toEqual([
        'missed:drafter@2026-12-28',
        'escalated:standing-committee@2026-12-28',
        'escalated:standing-committee@2026-12-29',
        'escalated:standing-committee@2026-12-30',
      ]);
      expect(await getPlan(db, planId)).toMatchObject({ status: 'DRAFTING', filed: false, overdue_level: 5 });
      const m = await catcher.waitFor(
        (x) => x.to.includes(p.email.committee) && x.subject.includes('Chưa nộp kế hoạch'),
        20_000,
      );
      expect(m.text).toContain('25/12/2026');
    });
  });

  it('an approver missing the appraisal deadline: the item is forwarded to the committee and the miss recorded', async () => {
    await withPlan({}, async ({ p, handle, planId }) => {
      const v = await versionFor(p, planId);
      const sub = await handle.executeUpdate(submitPlan, {
        args: [{ versionId: v.id, hash: v.hash, by: p.drafter }],
      });
      await until('the forwarded task', async () =>
        (await tasksOfSubject(db, 'plan', planId)).find((t) => t.id.endsWith(':appraise:1:L1')),
      );
      // Expected logical dates from the submission day (24/11 or 25/11, depending on how fast the test
      // got there; a day or two later on a loaded machine): 5 working days to appraise; missed and forwarded on
      // the grace day; 2 more for the committee.
      const cal = workingCalendar(TEST_PROFILE);
      const appraiseDue = cal.addWorkingDays(sub.date, 5);
      const missedOn = cal.addWorkingDays(appraiseDue, 1);
      const committeeDue = cal.addWorkingDays(missedOn, 2);
      expect(appraiseDue).toMatch(/^2026-12-0[1-4]$/);
      const fwd = (await events(planId)).find((e) => e.kind === 'forwarded');
      const appraise = (await tasksOfSubject(db, 'plan', planId)).filter((t) => t.kind === 'plan.appraise');
      expect(appraise.map((t) => [t.status, t.logical_due_date, t.assignee_role ?? 'person'])).toEqual([
        ['cancelled', appraiseDue, 'secretariat'],
        ['open', committeeDue, 'person'],
      ]);
      expect(fwd).toMatchObject({ recipient_role: 'standing-committee', logical_date: missedOn });
      const miss = (await events(planId)).find((e) => e.kind === 'missed');
      expect(miss).toMatchObject({ recipient_role: 'secretariat', logical_date: missedOn });
      expect((await handle.query(getAnnualPlan)).misses).toEqual([
        { step: 'appraise:1', role: 'secretariat', date: missedOn },
      ]);
      await catcher.waitFor(
        (m) =>
          m.to.includes(p.email.committee) &&
          m.subject.includes('Thẩm định') &&
          m.subject.includes(formatDate(committeeDue)),
        20_000,
      );
      // The committee decides directly on the forwarded item.
      const r = await handle.executeUpdate(decidePlan, { args: [{ by: p.committee, decision: 'approve' }] });
      expect(r.phase).toBe('APPROVED');
    });
  });

  it('a moved deadline reaches the running workflow: the task, its reminders and e-mails carry the new date', async () => {
    await withPlan({}, async ({ p, handle, planId }) => {
      await until('the submit task', async () => (await tasksOfSubject(db, 'plan', planId)).length > 0);
      const moved = moveDeadline(TEST_PROFILE, testCalendar(), 'plan.submit', '2026-12-07');
      const r = await handle.executeUpdate(moveDeadlines, {
        args: [{ calendar: moved, by: p.head, reason: 'Tỉnh lùi hạn nộp' }],
      });
      expect(r).toEqual({ submitDate: '2026-12-07', approveDate: '2026-12-25' });
      const task = (await tasksOfSubject(db, 'plan', planId))[0]!;
      expect(task.logical_due_date).toBe('2026-12-07');
      await until('the D−1 reminder of the new date', async () =>
        (await events(planId)).find((e) => e.kind === 'reminded' && e.logical_date === '2026-12-04'),
      );
      const all = (await events(planId)).filter((e) => e.kind !== 'opened');
      // (the old D−3 reminder of 25/11 may come first when the test was slow to move the date)
      const ev = all.slice(all.findIndex((e) => e.kind === 'deadline-moved'));
      expect(ev.map(eventLine).slice(0, 3)).toEqual([
        'deadline-moved:null@2026-12-07',
        'reminded:drafter@2026-12-02',
        'reminded:drafter@2026-12-04',
      ]);
      expect(ev.some((e) => e.kind === 'escalated')).toBe(false); // nothing escalates on the old 2/12
      await catcher.waitFor(
        (m) =>
          m.to.includes(p.email.drafter) &&
          m.subject.includes('Nhắc việc') &&
          m.subject.includes('hạn 07/12/2026'),
        20_000,
      );
      await catcher.waitFor((m) => m.to.includes(p.email.drafter) && m.subject.includes('Đổi hạn'), 20_000);
    });
  });

  it('a holiday added by an administrator moves the due day and the working-day ladder of a running workflow', async () => {
    await withPlan({ msPerDay: 1500 }, async ({ p, handle, planId }) => {
      await until('the D−3 reminder', async () => (await events(planId)).find((e) => e.kind === 'reminded'));
      const profile = {
        ...TEST_PROFILE,
        holidays: [
          ...TEST_PROFILE.holidays,
          { date: '2026-11-30', nameVi: 'Nghỉ bù', nameEn: 'Substitute day off' },
        ],
      };
      const calendar = computePlanYearCalendar(profile, 2027);
      const r = await handle.executeUpdate(moveDeadlines, {
        args: [{ calendar, profile, by: p.head, reason: 'Thêm ngày nghỉ 30/11' }],
      });
      expect(r.submitDate).toBe('2026-12-01');
      await until('the due-day reminder', async () =>
        (await events(planId)).find((e) => e.kind === 'reminded' && e.logical_date === '2026-12-01'),
      );
      const reminders = (await events(planId))
        .filter((e) => e.kind === 'reminded')
        .map((e) => e.logical_date);
      // D−3 (25/11) came before the move; D−1 skips the holiday back to Fri 27/11; D is Tue 1/12.
      expect(reminders).toEqual(['2026-11-25', '2026-11-27', '2026-12-01']);
      expect((await tasksOfSubject(db, 'plan', planId))[0]?.logical_due_date).toBe('2026-12-01');
      const sa = (await handle.describe()).typedSearchAttributes;
      expect(sa.get(SA.Phase)).toBe('DRAFTING');
    });
  });

  it('a double-submitted Update (same updateId) is applied once; an invalid one is rejected', async () => {
    await withPlan({}, async ({ p, handle, planId }) => {
      const v = await versionFor(p, planId);
      await expect(
        handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: 'nothex', by: p.drafter }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(
        handle.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, by: p.supervisor }] }),
      ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      const updateId = `${planId}:submit:1`;
      const args = [{ versionId: v.id, hash: v.hash, by: p.drafter }] as const;
      const a = await handle.executeUpdate(submitPlan, { args: [...args], updateId });
      // The second call may land on the continued-as-new run: the carried update ids answer it.
      const b = await handle.executeUpdate(submitPlan, { args: [...args], updateId });
      expect(b).toEqual(a);
      const submitted = await db
        .selectFrom('audit_log')
        .select('action')
        .where('aggregate_id', '=', planId)
        .where('action', '=', 'plan.submitted')
        .execute();
      expect(submitted).toHaveLength(1);
      expect((await handle.query(getAnnualPlan)).phase).toBe('SUBMITTED');
    });
  });
});
