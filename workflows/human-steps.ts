// The human-step machinery of the short per-person workflows (check-in, period assessment; DESIGN §3): one
// place for what every such workflow does around its own rules.
//
// - Items: an open human step is an item mirrored by an inbox task. `openItem` opens it (the task, due the end
//   of its due day, with a "new task" message) and skips the rungs already past; `closeItem` closes it.
// - Rungs: each item climbs a ladder computed from domain/calendar's (`individualRungs`: the individual ladder,
//   its reminders only, or its reminders then the forward to the unit head on the grace day). Time fires the
//   due rungs: reminders and overdue reminders to the assignee, escalations up the unit (the item's escalation
//   rank rises), the forward (the miss recorded against the assignee, the item cancelled and reopened for the
//   unit head with `forwardWorkingDays`).
// - Effects: handlers and timers queue effects; the main loop flushes them in order through idempotent
//   activities (the workflow's own effects through `runEffect`; two or more of the machinery's queued together
//   as one applyStepEffects, patch 'step-effects-batch'; the machinery's as local activities when the workflow
//   gives `localActs`, patch 'step-effects-local'; a workflow's own write an Update waits for goes through the
//   same queue, `write`). An Update answers once its effects are flushed (`reply`: read-your-write in the
//   inbox), and answers a repeated update id with its first result (`seen`).
// - The main loop (`run`): flush, fire what is due, return once `done()` and every handler has finished,
//   otherwise wait for the next rung (or the workflow's own instant, `wakeAt`) or a change.
//
// Deterministic and free of I/O (it runs in the workflow sandbox). The commands it issues are those the
// check-in and period-assessment workflows issued before it existed, and before the batch's and the local
// patches: their recorded histories replay.
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { StepEffect } from '../activities/step-effects.ts';
import {
  DEFAULT_LADDER_SETTINGS,
  ESCALATION_RANK,
  escalationLadder,
  type LadderSettings,
  type RecipientRole,
} from '../domain/calendar/ladder.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, vnInstant } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import { realDelayUntil, type TimeWarp, virtualNow } from './plan-time.ts';

/** Who holds an item: the person, their direct manager, the unit head. */
export type StepRole = 'person' | 'supervisor' | 'unit-head';

/** An open human step (mirrored by a row of the task inbox). */
export interface StepItem<K extends string = string> {
  taskId: string;
  /** Part of every idempotency key of the item ('submit', 'verify:1', 'verify:1:fwd', 'confirm' …). */
  step: string;
  kind: K;
  party: AssigneeRef;
  partyRole: StepRole;
  dueDate: LocalDate;
  dueAt: number;
  /** Index of the next rung to fire. */
  fired: number;
  /** Highest escalation rank fired. */
  escalation: number;
  /** Already forwarded once (to the unit head): reminders only, no further forward. */
  forwarded?: boolean;
}

export type StepRungAction = 'remind' | 'overdue-remind' | 'escalate' | 'forward';

export interface StepRung {
  index: number;
  action: StepRungAction;
  recipientRole: RecipientRole;
  offset: number;
  date: LocalDate;
  at: number;
}

/** ladder: the individual ladder as it is (reminders, overdue reminders, escalations inside the unit);
 *  reminders: its reminders and overdue reminders only; forward: its reminders, then the forward to the unit
 *  head on the grace day. */
export type LadderShape = 'ladder' | 'reminders' | 'forward';

/** The rungs of an individual's item due on `dueDate`, from domain/calendar's ladder. */
export function individualRungs(
  profile: CalendarProfile,
  dueDate: LocalDate,
  settings: LadderSettings | undefined,
  shape: LadderShape,
): StepRung[] {
  const s = settings ?? DEFAULT_LADDER_SETTINGS;
  const ladder = escalationLadder(profile, dueDate, { scope: 'individual' }, s);
  const rungs: Omit<StepRung, 'index'>[] = ladder.rungs
    .filter((r) => r.action !== 'record-miss')
    .map((r) => ({ ...r, action: r.action as StepRungAction }));
  if (shape === 'ladder') return rungs.map((r, index) => ({ ...r, index }));
  if (shape === 'reminders')
    return rungs.filter((r) => r.action !== 'escalate').map((r, index) => ({ ...r, index }));
  const date = workingCalendar(profile).addWorkingDays(ladder.dueDate, s.graceDays);
  const forward = {
    offset: s.graceDays,
    date,
    at: vnInstant(date, s.fireAtHour),
    action: 'forward' as const,
    recipientRole: 'unit-head' as const,
  };
  return [...rungs.filter((r) => r.action === 'remind'), forward].map((r, index) => ({ ...r, index }));
}

/** Who acts in an Update: `by`, possibly for the assignee `onBehalfOf` (a delegate). */
export interface Acting {
  by: string;
  onBehalfOf?: string;
}

/** The person an action counts for: the assignee a delegate acts for, or the actor. */
export const principal = (a: Acting) => a.onBehalfOf ?? a.by;

/** Validator part: `by` (and `onBehalfOf` when given) are non-empty strings. */
export function checkActing(a: Acting | undefined): void {
  if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
  if (a.onBehalfOf !== undefined && (typeof a.onBehalfOf !== 'string' || a.onBehalfOf.trim() === ''))
    throw new Error('Người được ủy quyền không hợp lệ (onBehalfOf)');
}

export type { StepEffect };

const STEP_EFFECTS: readonly string[] = ['open', 'close', 'rung', 'notify'];
const isStepEffect = (e: { t: string }): e is StepEffect => STEP_EFFECTS.includes(e.t);

const OWN_WRITE = 'own-write';
/** A workflow's own write queued by `write`: `run` settles the Update's promise and never rejects. */
interface OwnWrite {
  t: typeof OWN_WRITE;
  run: () => Promise<void>;
}
const isOwnWrite = (e: { t: string }): e is OwnWrite => e.t === OWN_WRITE && 'run' in e;

export type StepActivities = Pick<
  Activities,
  'openTask' | 'closeTask' | 'fireRung' | 'notify' | 'applyStepEffects'
>;

/** Two or more of the machinery's effects queued together run as one activity (applyStepEffects); runs recorded
 *  before it replay their one activity per effect. */
export const PATCH_STEP_EFFECTS_BATCH = 'step-effects-batch';

/** The machinery's effects run as local activities: in the worker, inside the workflow task that queued them,
 *  with no activity task to dispatch and no second workflow task to take its result (a check-in opens in one
 *  workflow task instead of two). Runs recorded before it replay their activity tasks. */
export const PATCH_STEP_EFFECTS_LOCAL = 'step-effects-local';

/** The machinery acts on a stable clock (see `clock` in humanSteps), decided in a run's first task: runs recorded
 *  before it read the time wherever they act. */
export const PATCH_STABLE_CLOCK = 'human-steps-stable-clock';

/**
 * The options of the human-step workflows' local activities. An attempt is bounded well under the workflow task's
 * heartbeat (the worker extends a task past 80 % of its 10 s timeout while a local activity runs), and every retry
 * waits on a workflow timer rather than inside the task: with SDK 1.24, a local activity still running when its task
 * heartbeats lets a timer or an Update that arrived meanwhile run before the local activity's result when live but
 * after it on replay, and the run fails its replay (found by workflows/check-in.test.ts, 'a submission still being
 * applied when the window closes'). Bounded so, a local activity's result always lands in the task that started it.
 * Three seconds is some hundred times an effect's usual time; one that takes longer is retried (each is idempotent).
 */
export const LOCAL_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '3 seconds',
  /** Any retry's backoff (one second and up) is longer: it becomes a workflow timer. */
  localRetryThreshold: 1,
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
} as const;

export interface Miss {
  step: string;
  role: string;
  date: LocalDate;
}

/** The workflow's message about an item (its own words): title prefix, then what, period, person, due date. */
export type ItemMessage<K extends string> = (
  key: string,
  recipients: AssigneeRef[],
  kind: string,
  title: { vi: string; en: string },
  item: StepItem<K>,
  extra?: { vi?: string; en?: string },
) => NotifyInput;

export interface HumanStepsConfig<K extends string, R, E extends { t: string }> {
  /** The workflow's activity proxy (its timeouts and retries). */
  acts: StepActivities;
  /** The same activities as local activities (patch 'step-effects-local'); absent: always `acts`. */
  localActs?: StepActivities;
  /** Runs one of the workflow's own effects (flushed in queue order with the machinery's); required when the
   *  workflow pushes any. */
  runEffect?: (e: E) => Promise<unknown>;
  /** The actor of what time does (rungs, forwards). */
  system: string;
  /** The tasks' subject and the audit aggregate (e.g. 'check_in' and its id). */
  subject: { type: string; id: string };
  /** Prefix of the notification kinds: `${prefix}.task`, `${prefix}.remind`, `${prefix}.escalated` … */
  notifyPrefix: string;
  /** Per item kind: the inbox task kind and the Update that completes it. */
  kinds: Record<K, { task: string; update: string }>;
  /** The rungs of an item (usually `individualRungs` with the shape the item's kind calls for). */
  rungs: (item: StepItem<K>) => StepRung[];
  message: ItemMessage<K>;
  /** The open task's details, read when an item opens. */
  details: () => Record<string, unknown>;
  parties: { person: AssigneeRef; supervisor: AssigneeRef; unitHead: AssigneeRef };
  profile: CalendarProfile;
  /** Working days a forwarded item gives the unit head from the forward's day. */
  forwardWorkingDays: number;
  /** Where forwards record the misses (the workflow's state). */
  misses: Miss[];
  /** Where answered Updates are remembered (the workflow's state). */
  seenUpdates: [string, R][];
  timeWarp: TimeWarp | undefined;
}

export type HumanSteps<K extends string, R, E extends { t: string }> = ReturnType<typeof humanSteps<K, R, E>>;

/** The item, effect, rung and Update-answer machinery of one workflow run. */
export function humanSteps<K extends string, R, E extends { t: string } = never>(
  cfg: HumanStepsConfig<K, R, E>,
) {
  const wfId = workflowInfo().workflowId;
  const warp = cfg.timeWarp;
  const now = () => virtualNow(warp);
  // The time the machinery acts on (rungs due, an item's past rungs, the workflows' `today`). Date.now() in a
  // workflow is the time of the task it runs in; after a local activity that task is not always the same on replay:
  // the worker can record the local activity's marker in one task and hand its result to the workflow in the next
  // (seen under load with queries arriving: a rung fired after a local activity in the live run, not at the same
  // place on replay — "Missing associated machine for LocalActivity"). So with the patch the clock moves only where
  // history puts the task in the same place on every replay: the run's first task, a timer that fired (`run`), an
  // Update's handler starting (`startUpdate`), or after a (non-local) activity the workflow awaited (`tick`).
  const stableClock = patched(PATCH_STABLE_CLOCK);
  let clockAt = now();
  const clock = () => (stableClock ? clockAt : now());
  const tick = () => {
    clockAt = now();
  };
  const cal = workingCalendar(cfg.profile);
  const audit = { aggregateType: cfg.subject.type, aggregateId: cfg.subject.id };
  const prefix = cfg.notifyPrefix;
  let items: StepItem<K>[] = [];
  const effects: (StepEffect | E | OwnWrite)[] = [];
  let enqueued = 0;
  let flushed = 0;
  let changes = 0;

  const push = (e: StepEffect | E | OwnWrite) => {
    effects.push(e);
    enqueued++;
  };
  /**
   * One of the workflow's own writes whose answer an Update needs (the check-in's submission and verification,
   * patch 'check-in-update-writes-local'): queued and run by the main loop in order with every effect, so that
   * no two local activities ever run at once — their results would come back in the order they finished, and a
   * replay may take them in another (SDK 1.24). Resolves with the write's answer or rejects with its failure (the
   * Update fails, the run goes on).
   */
  const write = <T>(call: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      push({ t: OWN_WRITE, run: () => call().then(resolve, reject) });
    });
  const partyOf = (role: RecipientRole): AssigneeRef =>
    role === 'supervisor'
      ? cfg.parties.supervisor
      : role === 'unit-head'
        ? cfg.parties.unitHead
        : cfg.parties.person;

  /** Opens an item; rungs already past when it opens are skipped (a late start shows it at its level later). */
  const openItem = (
    kind: K,
    step: string,
    party: AssigneeRef,
    partyRole: StepRole,
    dueDate: LocalDate,
    actor: string,
    forwarded = false,
  ): StepItem<K> => {
    const item: StepItem<K> = {
      taskId: `${wfId}:${step}`,
      step,
      kind,
      party,
      partyRole,
      dueDate,
      dueAt: endOfVnDay(dueDate),
      fired: 0,
      escalation: 0,
      ...(forwarded ? { forwarded } : {}),
    };
    const rungs = cfg.rungs(item);
    const t = clock();
    item.fired = rungs.findIndex((r) => r.at > t);
    if (item.fired < 0) item.fired = rungs.length;
    items.push(item);
    push({
      t: 'open',
      input: {
        id: item.taskId,
        workflowId: wfId,
        updateName: cfg.kinds[kind].update,
        kind: cfg.kinds[kind].task,
        subjectType: cfg.subject.type,
        subjectId: cfg.subject.id,
        assignee: party,
        dueAt: item.dueAt,
        logicalDueDate: dueDate,
        details: cfg.details(),
        actor,
        notify: cfg.message(
          `task:${item.taskId}`,
          [party],
          `${prefix}.task`,
          { vi: 'Việc mới', en: 'New task' },
          item,
        ),
      },
    });
    return item;
  };

  const closeItem = (
    item: StepItem<K>,
    status: 'done' | 'cancelled',
    by: string,
    a?: Acting,
    reason?: string,
  ) => {
    items = items.filter((i) => i !== item);
    push({
      t: 'close',
      input: {
        id: item.taskId,
        status,
        by,
        ...(a?.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
        ...(reason ? { reason } : {}),
      },
    });
  };
  const findItem = (...kinds: K[]) => items.find((i) => kinds.includes(i.kind));

  const fire = (item: StepItem<K>, r: StepRung) => {
    const key = `escalate:${wfId}:${item.step}@${item.dueDate}:${r.index}`;
    const base = { taskId: item.taskId, actor: cfg.system, logicalDate: r.date };
    switch (r.action) {
      case 'remind':
      case 'overdue-remind': {
        const overdue = r.action === 'overdue-remind';
        push({
          t: 'rung',
          input: {
            event: {
              ...base,
              key,
              kind: overdue ? 'overdue-reminded' : 'reminded',
              recipientRole: item.partyRole,
              details: { offset: r.offset },
            },
            notify: cfg.message(
              key,
              [item.party],
              `${prefix}.${r.action}`,
              overdue ? { vi: 'Quá hạn', en: 'Overdue' } : { vi: 'Nhắc việc', en: 'Reminder' },
              item,
            ),
            audit,
          },
        });
        return;
      }
      case 'escalate': {
        const rank = ESCALATION_RANK[r.recipientRole];
        item.escalation = Math.max(item.escalation, rank);
        push({
          t: 'rung',
          input: {
            event: {
              ...base,
              key,
              kind: 'escalated',
              recipientRole: r.recipientRole,
              details: { offset: r.offset },
            },
            escalationLevel: rank,
            notify: cfg.message(
              key,
              [partyOf(r.recipientRole)],
              `${prefix}.escalated`,
              { vi: 'Chuyển cấp trên do quá hạn', en: 'Escalated: overdue' },
              item,
              { vi: `Quá hạn ${r.offset} ngày làm việc.`, en: `${r.offset} working days overdue.` },
            ),
            audit,
          },
        });
        return;
      }
      case 'forward': {
        // The assignee missed the deadline: the miss is recorded against them, the unit head takes the item.
        cfg.misses.push({ step: item.step, role: item.partyRole, date: r.date });
        push({
          t: 'rung',
          input: {
            event: {
              ...base,
              key: `${key}:missed`,
              kind: 'missed',
              recipientRole: item.partyRole,
              ...(item.party.personId ? { recipientPersonId: item.party.personId } : {}),
              details: { dueDate: item.dueDate },
            },
            audit,
          },
        });
        const due = cal.addWorkingDays(r.date, cfg.forwardWorkingDays);
        push({
          t: 'rung',
          input: {
            event: {
              ...base,
              key,
              kind: 'forwarded',
              recipientRole: 'unit-head',
              details: { from: item.partyRole, newDueDate: due },
            },
            audit,
          },
        });
        closeItem(item, 'cancelled', cfg.system, undefined, 'forwarded to unit-head');
        openItem(item.kind, `${item.step}:fwd`, cfg.parties.unitHead, 'unit-head', due, cfg.system, true);
        return;
      }
    }
  };

  /** Fires every rung due at `t`, one at a time in item order (a fired rung may open or close items). */
  const fireDueRungs = (t: number): boolean => {
    let acted = false;
    for (let guard = 0; guard < 1000; guard++) {
      let fired = false;
      for (const item of [...items]) {
        const r = cfg.rungs(item)[item.fired];
        if (r && r.at <= t) {
          item.fired = r.index + 1;
          fire(item, r);
          fired = true;
          break;
        }
      }
      if (!fired) break;
      acted = true;
    }
    return acted;
  };

  const flush = async () => {
    while (effects.length) {
      // The machinery's effects at the head of the queue, up to the workflow's own next one.
      let run = 0;
      while (run < effects.length && isStepEffect(effects[run]!)) run++;
      const acts = run > 0 && cfg.localActs && patched(PATCH_STEP_EFFECTS_LOCAL) ? cfg.localActs : cfg.acts;
      if (run > 1 && patched(PATCH_STEP_EFFECTS_BATCH)) {
        await acts.applyStepEffects(effects.slice(0, run) as StepEffect[]);
        effects.splice(0, run);
        flushed += run;
        continue;
      }
      const e = effects[0]!;
      if (isOwnWrite(e)) await e.run();
      else if (!isStepEffect(e)) await cfg.runEffect!(e as E);
      else if (e.t === 'open') await acts.openTask(e.input);
      else if (e.t === 'close') await acts.closeTask(e.input);
      else if (e.t === 'rung') await acts.fireRung(e.input);
      else await acts.notify(e.input);
      effects.shift();
      flushed++;
    }
  };

  /** The first answer to the current Update's id, when it is a repeat. */
  const seen = () => {
    const id = currentUpdateInfo()?.id;
    return id === undefined ? undefined : cfg.seenUpdates.find(([k]) => k === id);
  };
  /** Remembers the answer, wakes the main loop and waits until everything queued so far is flushed. */
  const reply = async <T extends R>(r: T): Promise<T> => {
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) cfg.seenUpdates.push([id, r]);
    const target = enqueued;
    changes++;
    await condition(() => flushed >= target);
    return r;
  };

  /**
   * The main loop: flush, fire what is due (the rungs, then the workflow's own `onTime`), and once `done()`
   * flush until every handler has finished; otherwise wait for the next rung, `wakeAt()` or a change.
   */
  const run = async (o: {
    done: () => boolean;
    onTime?: (t: number) => boolean;
    wakeAt?: () => number | undefined;
  }): Promise<void> => {
    for (;;) {
      await flush();
      const t = clock();
      const rungsActed = fireDueRungs(t);
      if (o.onTime?.(t) || rungsActed) continue;
      if (o.done()) {
        for (;;) {
          await flush();
          if (allHandlersFinished() && effects.length === 0) break;
          await condition(() => effects.length > 0 || allHandlersFinished());
        }
        return;
      }
      const c = changes;
      const next = items.map((i) => cfg.rungs(i)[i.fired]?.at).filter((x): x is number => x !== undefined);
      const extra = o.wakeAt?.();
      if (extra !== undefined) next.push(extra);
      const until = () => changes !== c || effects.length > 0;
      if (next.length) {
        // woken by the timer (not by a change): its task is where the clock may move
        if (!(await condition(until, realDelayUntil(warp, Math.min(...next))))) tick();
      } else await condition(until);
    }
  };

  /** An Update's handler starts (call it first, in place of `seen`): the clock moves to the Update's task. */
  const startUpdate = () => {
    tick();
    return seen();
  };

  /** Wakes the main loop (a workflow's own state changed outside an Update's reply). */
  const wake = () => {
    changes++;
  };

  return {
    workflowId: wfId,
    /** The open items (a fresh array after every close: do not hold on to it). */
    get items(): readonly StepItem<K>[] {
      return items;
    },
    audit,
    push,
    openItem,
    closeItem,
    findItem,
    seen,
    startUpdate,
    reply,
    run,
    wake,
    write,
    clock,
    tick,
  };
}
