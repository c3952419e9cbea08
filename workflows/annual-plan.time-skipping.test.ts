// The annual-plan workflow on the Java time-skipping test server (TEMPORAL.md §6.3 point 3, issue 5 point 7):
// the REAL plan-year-2027 calendar (the Government's published 2026 holidays + the synthetic 2027 profile,
// DEFAULT_CALENDAR_PROFILE) played day by day with env.sleep, from drafting in October 2026 through the
// reminders, submission, appraisal, filing at the approval deadline 25/12/2026 and the approval — and a
// deadline moved by a holiday an administrator adds; then, in force (PATCH_IN_FORCE_PHASE), the January
// plan, the Q1 plan due 10/01/2027 (a Sunday: 11/01) submitted and approved and sent to the province, and
// the February month plan, opened on 1/02 and due 5/02/2027 — rolled to Thu 11/02 by the Tết holidays
// (3–10/02/2027 in the synthetic 2027 profile).
//
// Why stub activities: what is asserted here is the workflow's order of tasks, reminders, escalations and
// filings and the logical dates they carry; the real activities (PostgreSQL inbox, task events, outbox
// e-mail) are covered by the dev-server tests in annual-plan.test.ts. The stubs are plain objects passed to
// Worker.create and record every call in memory, with the (virtual) VN date on which the server scheduled it.
//
// Why a clock OFFSET (a TimeWarp of speed 1): the test server's clock starts at the machine's real time and
// can only move forward, so a run cannot begin in October 2026 once that date has passed (and a test pinned
// to the wall clock would break after 25/12/2026). With speed 1 the workflow sees real durations and the
// calendar's real instants, shifted so that each test starts on Thu 1/10/2026 09:00 VN; every timer is a
// real-length timer skipped by the server, not a compressed one.
//
// Time skipping is global to the environment: one environment for this file, tests run one after another.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyInput } from '../activities/notifications.ts';
import type { PlanStatusProjection } from '../activities/plans-db.ts';
import type { CloseTaskInput, FireRungInput, OpenTaskInput } from '../activities/tasks.ts';
import { startTimeSkippingServer } from '../devstack/time-skipping.ts';
import { computePlanYearCalendar, deadlineById } from '../domain/calendar/plan-year.ts';
import { type CalendarProfile, mergeProfiles } from '../domain/calendar/profile.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../domain/calendar/profiles/index.ts';
import { vnInstant, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { type PlanPeople, planInput, YEAR } from '../test/support/annual-plan.ts';
import { workflowsPath } from '../worker/run.ts';
import {
  type AnnualPlanInput,
  type AnnualPlanView,
  annualPlanWorkflow,
  appraisePlan,
  decidePeriodPlan,
  decidePlan,
  getAnnualPlan,
  moveDeadlines,
  submitPeriodPlan,
  submitPlan,
} from './annual-plan.ts';
import type { TimeWarp } from './plan-time.ts';
import { SA } from './search-attributes.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const HASH = 'a'.repeat(64);
const START = '2026-10-01';
/** The real calendar: VN 2026 (published) + VN 2027 (synthetic). */
const PROFILE = DEFAULT_CALENDAR_PROFILE;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await startTimeSkippingServer();
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
});
afterAll(async () => {
  await env?.teardown();
});

/** People of the approval path: only ids matter to the workflow (the stubs write nothing). */
const people = (): PlanPeople => {
  const id = () => randomUUID();
  return {
    provinceId: id(),
    unitId: id(),
    drafter: id(),
    supervisor: id(),
    head: id(),
    secretary: id(),
    committee: id(),
    email: { drafter: '', supervisor: '', head: '', secretary: '', committee: '' },
  };
};

interface Call {
  name: 'openTask' | 'closeTask' | 'fireRung' | 'projectPlanStatus' | 'notify';
  input: unknown;
  /** VN local date (on the workflow's clock) on which the server scheduled the activity. */
  on: string;
}

/** A run of the workflow on its own task queue, with recording stubs and the clock offset to 1/10/2026. */
async function withPlan(
  profile: CalendarProfile,
  body: (ctx: {
    p: PlanPeople;
    input: AnnualPlanInput;
    handle: WorkflowHandle<typeof annualPlanWorkflow>;
    calls: Call[];
    /** Skips the server's clock to `hour`:00 VN on `date` and waits until the workflow has settled. */
    skipTo: (date: string, hour: number, minute?: number) => Promise<void>;
    /** The calls recorded since the last `take()`. */
    take: () => Call[];
  }) => Promise<void>,
) {
  const calls: Call[] = [];
  const serverNow = await env.currentTimeMs();
  const warp: TimeWarp = { realEpoch: serverNow, virtualEpoch: vnInstant(START, 9), speed: 1 };
  const toVirtual = (ms: number) => warp.virtualEpoch + (ms - warp.realEpoch);
  const rec =
    <T>(name: Call['name']) =>
    async (input: T) => {
      calls.push({ name, input, on: vnLocalDate(toVirtual(Context.current().info.scheduledTimestampMs)) });
      return name === 'projectPlanStatus' ? { applied: true } : undefined;
    };
  const activities = {
    openTask: rec<OpenTaskInput>('openTask'),
    closeTask: rec<CloseTaskInput>('closeTask'),
    fireRung: rec<FireRungInput>('fireRung'),
    projectPlanStatus: rec<PlanStatusProjection>('projectPlanStatus'),
    notify: rec<NotifyInput>('notify'),
  };
  const p = people();
  const calendar = computePlanYearCalendar(profile, YEAR);
  const input: AnnualPlanInput = { ...planInput(p, calendar, warp), profile, periodPlans: true };
  const taskQueue = `ts-plan-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities,
  });

  /** Waits (real time) until no call has been recorded for a while: the last workflow task is done. */
  const settle = async () => {
    let n = -1;
    while (n !== calls.length) {
      n = calls.length;
      await new Promise((r) => setTimeout(r, 400));
    }
  };
  const skipTo = async (date: string, hour: number, minute = 0) => {
    const now = toVirtual(await env.currentTimeMs());
    const target = vnInstant(date, hour, minute);
    if (target <= now) throw new Error(`cannot skip back to ${date} ${hour}:${minute}`);
    await env.sleep(target - now);
    await settle();
  };
  let taken = 0;
  const take = () => {
    const out = calls.slice(taken);
    taken = calls.length;
    return out;
  };

  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(annualPlanWorkflow, {
      taskQueue,
      workflowId: input.planId,
      args: [input],
    });
    try {
      // The start's first calls (on a loaded machine the first workflow task can take longer than a settle).
      for (let i = 0; i < 300 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await settle();
      await body({ p, input, handle: env.client.workflow.getHandle(input.planId), calls, skipTo, take });
    } finally {
      await handle.terminate('test over').catch(() => {});
    }
  });
}

/** The item's step from a task id `plan:2027:unit:{uuid}:{step}`. */
const step = (taskId: string) => taskId.split(':').slice(4).join(':');
/** A compact line per call: what it did, to whom, and the logical dates it carries. */
function line(c: Call): string {
  switch (c.name) {
    case 'openTask': {
      const i = c.input as OpenTaskInput;
      return `open ${i.kind} ${step(i.id)} due ${i.logicalDueDate} [${i.notify?.kind}]`;
    }
    case 'closeTask': {
      const i = c.input as CloseTaskInput;
      return `close ${step(i.id)} ${i.status}`;
    }
    case 'fireRung': {
      const i = c.input as FireRungInput;
      const to = i.event.recipientRole ? ` →${i.event.recipientRole}` : '';
      const mail = i.notify ? ` [${i.notify.kind} due ${i.notify.logicalDate}]` : '';
      return `${i.event.kind}${to} @${i.event.logicalDate}${mail}`;
    }
    case 'projectPlanStatus': {
      const i = c.input as PlanStatusProjection;
      return `project ${i.action} ${i.status}`;
    }
    case 'notify': {
      const i = c.input as NotifyInput;
      return `notify ${i.kind} @${i.logicalDate}`;
    }
  }
}
const lines = (cs: Call[]) => cs.map(line);
/** Lines with the day each call was made on. */
const dated = (cs: Call[]) => cs.map((c) => `${c.on} ${line(c)}`);

// Serial (Vitest 5 has no describe.sequential): time skipping is global to the environment.
describe('annual plan 2027 on the real calendar (time-skipping server)', { concurrent: false }, () => {
  it('drafting from October, reminders D−3/D−1/D, on-time submission, appraisal, filed at 25/12, approved', async () => {
    await withPlan(PROFILE, async ({ p, input, handle, skipTo, take }) => {
      // The calendar the workflow runs on: 30/11/2026 and 25/12/2026 are both working days (Mon, Fri).
      expect(deadlineById(input.calendar, 'plan.submit').date).toBe('2026-11-30');
      expect(deadlineById(input.calendar, 'plan.approve').date).toBe('2026-12-25');

      // 1/10/2026: the plan starts in DRAFTING with the submit task due 30/11.
      expect(dated(take())).toEqual([
        '2026-10-01 project plan.started DRAFTING',
        '2026-10-01 open plan.submit submit:1 due 2026-11-30 [plan.submit]',
      ]);

      // The submit item's reminders to the drafter, counted in working days back from D = Mon 30/11/2026
      // (no holiday between 25/11 and 30/11 in VN 2026; Sat 28 and Sun 29/11 are weekend days):
      //   D−1 = Fri 27/11 (Sat 28, Sun 29 skipped), D−2 = Thu 26/11, D−3 = Wed 25/11;  D = Mon 30/11.
      // Each fires at 08:00 VN (DEFAULT_LADDER_SETTINGS.fireAtHour).
      await skipTo('2026-11-25', 7, 55); // two months skipped: nothing fired before D−3
      expect(take()).toEqual([]);
      await skipTo('2026-11-25', 8, 5);
      expect(dated(take())).toEqual([
        '2026-11-25 reminded →drafter @2026-11-25 [plan.remind due 2026-11-30]',
      ]);
      await skipTo('2026-11-27', 7, 55); // nothing on Thu 26/11 (D−2 is not a rung)
      expect(take()).toEqual([]);
      await skipTo('2026-11-27', 8, 5);
      expect(dated(take())).toEqual([
        '2026-11-27 reminded →drafter @2026-11-27 [plan.remind due 2026-11-30]',
      ]);
      await skipTo('2026-11-30', 7, 55); // nothing over the weekend
      expect(take()).toEqual([]);
      await skipTo('2026-11-30', 8, 5);
      expect(dated(take())).toEqual([
        '2026-11-30 reminded →drafter @2026-11-30 [plan.remind due 2026-11-30]',
      ]);

      // Submitted on the due day, 30/11 10:00 VN: on time. The secretariat gets the appraisal, due in 5
      // working days from Mon 30/11: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7/12 (before the 25/12 cap).
      await skipTo('2026-11-30', 10);
      const submitted = await handle.executeUpdate(submitPlan, {
        args: [{ versionId: 'v1', hash: HASH, by: p.drafter }],
      });
      expect(submitted).toMatchObject({ phase: 'SUBMITTED', date: '2026-11-30' });
      await skipTo('2026-11-30', 10, 30);
      expect(dated(take())).toEqual([
        '2026-11-30 close submit:1 done',
        '2026-11-30 open plan.appraise appraise:1 due 2026-12-07 [plan.appraise]',
        '2026-11-30 project plan.submitted SUBMITTED',
      ]);

      // The appraisal's reminder at its D−3 = Wed 2/12 (7/12 Mon: D−1 Fri 4, D−2 Thu 3, D−3 Wed 2/12);
      // the secretariat endorses on Thu 3/12. The decision goes to the standing committee, due 25/12.
      await skipTo('2026-12-03', 9);
      expect(dated(take())).toEqual([
        '2026-12-02 reminded →secretariat @2026-12-02 [plan.remind due 2026-12-07]',
      ]);
      const appraised = await handle.executeUpdate(appraisePlan, {
        args: [{ by: p.secretary, opinion: 'endorse' }],
      });
      expect(appraised).toMatchObject({ phase: 'APPRAISED', date: '2026-12-03' });
      await skipTo('2026-12-03', 9, 30);
      expect(dated(take())).toEqual([
        '2026-12-03 close appraise:1 done',
        '2026-12-03 open plan.decide decide:1 due 2026-12-25 [plan.decide]',
        '2026-12-03 project plan.appraised APPRAISED',
      ]);

      // The committee's reminders, counted back from D = Fri 25/12/2026: D−1 = Thu 24/12, D−2 = Wed 23/12,
      // D−3 = Tue 22/12. No decision by the end of 25/12 (00:00 VN on 26/12): the submitted version is FILED,
      // in force provisionally; the drafter and (PATCH_FILING_NOTIFIES_HEAD) the unit head are told.
      await skipTo('2026-12-26', 0, 30);
      expect(dated(take())).toEqual([
        '2026-12-22 reminded →standing-committee @2026-12-22 [plan.remind due 2026-12-25]',
        '2026-12-24 reminded →standing-committee @2026-12-24 [plan.remind due 2026-12-25]',
        '2026-12-25 reminded →standing-committee @2026-12-25 [plan.remind due 2026-12-25]',
        '2026-12-26 filed @2026-12-25',
        '2026-12-26 notify plan.filed @2026-12-25',
        '2026-12-26 notify plan.filed @2026-12-25',
        '2026-12-26 project plan.filed FILED',
        // In force (provisionally): the Q1 plan and January's plan open for the drafter.
        '2026-12-26 open plan.period-submit period:2027-Q1:submit:1 due 2027-01-11 [plan.period-submit]',
        '2026-12-26 open plan.period-submit period:2027-01:submit:1 due 2027-01-05 [plan.period-submit]',
      ]);
      let view: AnnualPlanView = await handle.query(getAnnualPlan);
      expect(view).toMatchObject({ status: 'FILED', filed: true, phase: 'APPRAISED' });
      expect(view.openItems).toEqual([
        expect.objectContaining({ kind: 'decide', dueDate: '2026-12-25', partyRole: 'standing-committee' }),
        expect.objectContaining({ kind: 'period-submit', dueDate: '2027-01-11', partyRole: 'drafter' }),
        expect.objectContaining({ kind: 'period-submit', dueDate: '2027-01-05', partyRole: 'drafter' }),
      ]);
      // The search attributes the workflow upserted (registered in beforeAll).
      const sa = (await handle.describe()).typedSearchAttributes;
      expect(sa.get(SA.Phase)).toBe('FILED');
      expect(sa.get(SA.NextDeadline)?.getTime()).toBe(deadlineById(input.calendar, 'plan.approve').dueAt);

      // The approval stays open. The committee is the top level: on D+1 = Mon 28/12 (Sat 26, Sun 27 skipped)
      // the overdue reminder fires and the miss is recorded (no level above to escalate to).
      await skipTo('2026-12-28', 10);
      expect(dated(take())).toEqual([
        '2026-12-28 overdue-reminded →standing-committee @2026-12-28 [plan.overdue-remind due 2026-12-25]',
        '2026-12-28 missed →standing-committee @2026-12-28',
      ]);
      view = await handle.query(getAnnualPlan);
      expect(view.misses).toEqual([{ step: 'decide:1', role: 'standing-committee', date: '2026-12-28' }]);

      // Approved on Mon 28/12: the filed version becomes the approved one; the plan stays in force.
      const approved = await handle.executeUpdate(decidePlan, {
        args: [{ by: p.committee, decision: 'approve' }],
      });
      expect(approved).toMatchObject({ phase: 'APPROVED', status: 'APPROVED', date: '2026-12-28' });
      await skipTo('2026-12-28', 10, 30);
      const rest = take();
      expect(lines(rest)).toEqual(['close decide:1 done', 'project plan.approved APPROVED']);
      expect((rest[1]!.input as PlanStatusProjection).details).toMatchObject({
        date: '2026-12-28',
        wasFiled: true,
        versionId: 'v1',
      });
      view = await handle.query(getAnnualPlan);
      expect(view).toMatchObject({ phase: 'APPROVED', status: 'APPROVED', filed: true });

      // January's plan, due Tue 5/01/2027: D−3 = Wed 30/12 (1/01 is a holiday), D−1 = Mon 4/01. Submitted
      // on 4/01 and approved by the unit head within its 2 working days.
      await skipTo('2027-01-04', 9);
      expect(dated(take())).toEqual([
        '2026-12-30 reminded →drafter @2026-12-30 [plan.remind due 2027-01-05]',
        '2027-01-04 reminded →drafter @2027-01-04 [plan.remind due 2027-01-05]',
      ]);
      await handle.executeUpdate(submitPeriodPlan, {
        args: [{ period: '2027-01', versionId: 'm1', hash: HASH, by: p.drafter }],
      });
      await handle.executeUpdate(decidePeriodPlan, {
        args: [{ period: '2027-01', by: p.head, decision: 'approve' }],
      });
      await skipTo('2027-01-04', 9, 30);
      expect(lines(take())).toEqual([
        'close period:2027-01:submit:1 done',
        'open plan.period-decide period:2027-01:decide:1 due 2027-01-06 [plan.period-decide]',
        'project plan.period-submitted APPROVED',
        'close period:2027-01:decide:1 done',
        'project plan.period-approved APPROVED',
      ]);

      // The Q1 plan, due 10/01/2027 — a Sunday, so Mon 11/01: D−3 = Wed 6/01, D−1 = Fri 8/01, D = 11/01.
      // Submitted on D, approved by the unit head and sent to the province (the secretariat is told).
      await skipTo('2027-01-11', 9);
      expect(dated(take())).toEqual([
        '2027-01-06 reminded →drafter @2027-01-06 [plan.remind due 2027-01-11]',
        '2027-01-08 reminded →drafter @2027-01-08 [plan.remind due 2027-01-11]',
        '2027-01-11 reminded →drafter @2027-01-11 [plan.remind due 2027-01-11]',
      ]);
      await handle.executeUpdate(submitPeriodPlan, {
        args: [{ period: '2027-Q1', versionId: 'q1', hash: HASH, by: p.drafter }],
      });
      await handle.executeUpdate(decidePeriodPlan, {
        args: [{ period: '2027-Q1', by: p.head, decision: 'approve' }],
      });
      await skipTo('2027-01-11', 9, 30);
      expect(lines(take())).toEqual([
        'close period:2027-Q1:submit:1 done',
        'open plan.period-decide period:2027-Q1:decide:1 due 2027-01-13 [plan.period-decide]',
        'project plan.period-submitted APPROVED',
        'close period:2027-Q1:decide:1 done',
        'project plan.period-approved APPROVED',
        'notify plan.q1-sent @2027-01-11',
        'project plan.q1-sent APPROVED',
      ]);

      // February's plan opens at 00:00 on Mon 1/02 (the run continued as new at the month boundary), due
      // 5/02 → Thu 11/02 after Tết (3–10/02). Its D−3 (Fri 29/01) was before it opened and is skipped;
      // D−1 = Tue 2/02 and D = Thu 11/02 fire on those working days, nothing during the holidays.
      await skipTo('2027-02-10', 9);
      expect(dated(take())).toEqual([
        '2027-02-01 open plan.period-submit period:2027-02:submit:1 due 2027-02-11 [plan.period-submit]',
        '2027-02-02 reminded →drafter @2027-02-02 [plan.remind due 2027-02-11]',
      ]);
      await skipTo('2027-02-11', 9);
      expect(dated(take())).toEqual([
        '2027-02-11 reminded →drafter @2027-02-11 [plan.remind due 2027-02-11]',
      ]);
      view = await handle.query(getAnnualPlan);
      expect(view.periodPlans?.map((r) => [r.period, r.status, r.openedOn])).toEqual([
        ['2027-Q1', 'approved', '2026-12-26'],
        ['2027-01', 'approved', '2026-12-26'],
        ['2027-02', 'open', '2027-02-01'],
      ]);
      expect(view.runs).toBeGreaterThan(3);
    });
  });

  it('an administrator adds a holiday on 30/11/2026: the submit deadline moves to 1/12 and so does D', async () => {
    // A provincial day off on Mon 30/11/2026 (not in the published calendar): added by an administrator.
    const extra: CalendarProfile = {
      id: 'province-extra-2026',
      name: 'Ngày nghỉ bổ sung của tỉnh',
      timeZone: 'Asia/Ho_Chi_Minh',
      weekendDays: [6, 7],
      holidays: [{ date: '2026-11-30', nameVi: 'Ngày nghỉ của tỉnh', nameEn: 'Provincial day off' }],
      makeUpWorkingDays: [],
      synthetic: true,
    };
    const withHoliday = mergeProfiles('vn-default+extra', 'VN 2026 + 2027 + tỉnh', PROFILE, extra);
    const moved = computePlanYearCalendar(withHoliday, YEAR);
    // 30/11 is no longer a working day; the submit deadline (a "by" deadline) rolls forward to Tue 1/12.
    expect(deadlineById(moved, 'plan.submit').date).toBe('2026-12-01');
    expect(deadlineById(moved, 'plan.approve').date).toBe('2026-12-25');

    await withPlan(PROFILE, async ({ p, handle, skipTo, take }) => {
      take();
      // Fri 20/11/2026 10:00: the holiday reaches the running workflow by the moveDeadlines Update.
      await skipTo('2026-11-20', 10);
      const res = await handle.executeUpdate(moveDeadlines, {
        args: [{ calendar: moved, profile: withHoliday, by: 'admin', reason: 'Nghỉ ngày 30/11/2026' }],
      });
      expect(res).toEqual({ submitDate: '2026-12-01', approveDate: '2026-12-25' });
      await skipTo('2026-11-20', 10, 30);
      expect(dated(take())).toEqual([
        '2026-11-20 open plan.submit submit:1 due 2026-12-01 [plan.deadline-moved]',
        '2026-11-20 deadline-moved @2026-12-01',
        '2026-11-20 project plan.deadlines-moved DRAFTING',
      ]);
      expect(await handle.query(getAnnualPlan)).toMatchObject({
        openItems: [expect.objectContaining({ kind: 'submit', dueDate: '2026-12-01' })],
      });

      // The ladder on the new profile, D = Tue 1/12: D−1 = Fri 27/11 (Mon 30/11 holiday, Sat 28 and Sun
      // 29 weekend), D−2 = Thu 26/11, D−3 = Wed 25/11. Nothing fires on the holiday; D fires on 1/12.
      await skipTo('2026-12-01', 7, 55);
      expect(dated(take())).toEqual([
        '2026-11-25 reminded →drafter @2026-11-25 [plan.remind due 2026-12-01]',
        '2026-11-27 reminded →drafter @2026-11-27 [plan.remind due 2026-12-01]',
      ]);
      await skipTo('2026-12-01', 9);
      expect(dated(take())).toEqual([
        '2026-12-01 reminded →drafter @2026-12-01 [plan.remind due 2026-12-01]',
      ]);

      // Submitted on Tue 1/12: on time against the moved deadline (no overdue reminder, no escalation).
      // The appraisal is due 5 working days later: Wed 2, Thu 3, Fri 4, Mon 7, Tue 8/12.
      const submitted = await handle.executeUpdate(submitPlan, {
        args: [{ versionId: 'v1', hash: HASH, by: p.drafter }],
      });
      expect(submitted).toMatchObject({ phase: 'SUBMITTED', date: '2026-12-01' });
      await skipTo('2026-12-01', 9, 30);
      expect(lines(take())).toEqual([
        'close submit:1 done',
        'open plan.appraise appraise:1 due 2026-12-08 [plan.appraise]',
        'project plan.submitted SUBMITTED',
      ]);
    });
  });
});
