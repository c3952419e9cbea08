// One person's check-in for one month (DESIGN §3 monthly row): the 'check-in.submit' inbox task due the
// calendar's `check-in.<period>` deadline with the ladder of an individual's item (reminders D−3, D−1, D;
// overdue reminders; escalations to the supervisor at D+2 and the unit head at D+4 — never to the province,
// the tiered rule), the submission Update (the API froze the draft as a check_in_version first), the
// supervisor's verification with verify or return per value, the revise loop, and the forward of a missed
// verification to the unit head with the miss recorded.
//
// Verification due date: `verifyWorkingDays` working days after the later of the submission day and the
// submit deadline's day — an early submission is verified by the calendar's `verify.<period>` date (the
// supervisor verifies the unit's check-ins in one sitting after the deadline), a late one gets the full
// window from the day it arrived. A resubmission after a return is counted from its own day.
//
// The period lock (patch 'check-in-period-lock'; DESIGN §3): the window closes at the end of the working day
// `lockWorkingDays` (5) after the submit deadline D — after the last rung, the unit head's escalation at D+4. A
// check-in still OPEN or RETURNED then is LOCKED: its submit/revise task is cancelled ('period locked'), the miss
// is recorded against the person, the read model says LOCKED, and no rung fires any more. A SUBMITTED check-in
// is not locked (its verification continues). A window already closed when the run starts (a late start) does
// not lock, like the rungs already past. LOCKED waits for `requestReopen` (the person or their delegate, with a
// reason), which opens a 'check-in.reopen' decision task for the unit head; `decideReopen` approves (the
// check-in is DRAFT again with a new submit item due `reviseWorkingDays` after the decision, the ladder and the
// lock applying again from that due date) or rejects (still LOCKED; the person is told, with the comment).
// `reassignCheckInVerifier` moves the open verify item to another verifier (same due date).
//
// Deadline moves (patch 'check-in-move-deadlines', issue 6): `moveCheckInDeadlines` carries an administrator's
// move of `check-in.<period>` or `verify.<period>` (or a changed working calendar) to the running check-in, sent
// by the calendar-change workflow. It replaces the submit deadline (the open first 'submit' item follows it; a
// revise or reopened item keeps the date its decision gave it), dates the open verification again (the same
// rule from the new deadline; a moved `verify.<period>` dates an on-time submission's verification), re-plans
// the ladders (rungs already fired stay fired; the rungs of the new date still ahead wait for their instants; an
// item overdue under the new date fires its latest passed rung once, as a late start does) and moves the period
// lock with the submit deadline. The tasks are re-dated in the inbox (openTask: task.rescheduled) and the move is
// audited on the check-in. Refused once the run is past the change: VERIFIED, LOCKED, reopened, or when the new
// window would already have closed on an unsubmitted check-in.
//
// Items, rungs, the effect queue and the main loop are workflows/human-steps.ts's: effects (tasks, rungs,
// notifications, the lock and reopen records) are queued by handlers and timers and flushed by the main loop
// through idempotent activities; an Update waits until its effects are flushed (read-your-write in the
// inbox). One month's run is short (a few dozen events per round, a handful of rounds): no continue-as-new.
import { patched, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type {
  DeadlineMoveInput,
  LockInput,
  ReopenDecisionInput,
  ReopenRequestInput,
} from '../activities/check-ins-db.ts';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  type CheckInInput,
  type CheckInItem,
  type CheckInItemKind,
  type CheckInPhase,
  type CheckInUpdateResult,
  type CheckInView,
  decideReopen,
  getCheckInState,
  type MoveCheckInDeadlinesResult,
  moveCheckInDeadlines,
  reassignCheckInVerifier,
  requestReopen,
  submitCheckIn,
  verifyCheckIn,
} from './check-in.messages.ts';
import {
  checkActing,
  humanSteps,
  individualRungs,
  LOCAL_ACTIVITY_OPTIONS,
  principal,
  type StepRung,
} from './human-steps.ts';
import { virtualNow } from './plan-time.ts';

export * from './check-in.messages.ts';

const activityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
} as const;
const acts = proxyActivities<Activities>(activityOptions);
/** Run in the worker inside the workflow task (patch 'step-effects-local'), bounded to stay inside it
 *  (LOCAL_ACTIVITY_OPTIONS, workflows/human-steps.ts). */
const localActs = proxyLocalActivities<Activities>(LOCAL_ACTIVITY_OPTIONS);

/** The check-in's own effects (the machinery runs the tasks, rungs and notifications). */
type CheckInEffect =
  | { t: 'lock'; input: LockInput }
  | { t: 'reopen-request'; input: ReopenRequestInput }
  | { t: 'reopen-decision'; input: ReopenDecisionInput }
  | { t: 'deadline-move'; input: DeadlineMoveInput };

/** Deadline moves reaching a running check-in (the moveCheckInDeadlines Update). */
export const PATCH_MOVE_DEADLINES = 'check-in-move-deadlines';

/** The submission's and the verification's writes (markCheckInSubmitted, recordCheckInVerification) run as local
 *  activities, queued with the machinery's effects (humanSteps `write`): the Update is applied in the workflow task
 *  that received it, with no activity task to dispatch and no second workflow task to take its result (half the
 *  server's work for a month-end submission). Both are idempotent by check-in and round, so a workflow task
 *  retried after a crash writes nothing twice. Runs recorded before it replay their activity tasks. */
export const PATCH_UPDATE_WRITES_LOCAL = 'check-in-update-writes-local';

const SYSTEM = 'system:check-in';
const HASH = /^[0-9a-f]{64}$/;
const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

const WHAT: Record<CheckInItemKind, { vi: string; en: string }> = {
  submit: { vi: 'Báo cáo kết quả tháng', en: 'Monthly check-in' },
  revise: { vi: 'Chỉnh sửa và nộp lại báo cáo tháng', en: 'Revise and resubmit the monthly check-in' },
  verify: { vi: 'Xác nhận báo cáo tháng', en: 'Verify the monthly check-in' },
  reopen: { vi: 'Quyết định mở lại kỳ báo cáo tháng', en: 'Decide on reopening the monthly check-in' },
};
/** Per item kind: the inbox task kind and the Update that completes it. */
const KINDS: Record<CheckInItemKind, { task: string; update: string }> = {
  submit: { task: 'check-in.submit', update: 'submitCheckIn' },
  revise: { task: 'check-in.revise', update: 'submitCheckIn' },
  verify: { task: 'check-in.verify', update: 'verifyCheckIn' },
  reopen: { task: 'check-in.reopen', update: 'decideReopen' },
};

/**
 * The rungs of an item, from domain/calendar's ladder. Submit and revise: the individual ladder as it is.
 * Verify: the reminders, then the forward to the unit head on the grace day (D+1); a forwarded verification
 * gets the reminders and overdue reminders only (the unit head is the last level inside the unit). A reopen
 * decision: the reminders and overdue reminders (the unit head is the last level inside the unit).
 */
export function checkInRungs(item: CheckInItem, input: CheckInInput): StepRung[] {
  const shape =
    item.kind === 'reopen' || (item.kind === 'verify' && item.forwarded)
      ? 'reminders'
      : item.kind === 'verify'
        ? 'forward'
        : 'ladder';
  return individualRungs(input.profile, item.dueDate, input.ladder, shape);
}

interface CheckInState {
  phase: CheckInPhase;
  round: number;
  submitted?: { versionId: string; hash: string; by: string; date: LocalDate; keys: string[] };
  misses: { step: string; role: string; date: LocalDate }[];
  seenUpdates: [string, CheckInUpdateResult][];
  /** The pending period lock (patch 'check-in-period-lock'): the window's last day and the instant it ends. */
  lock?: { date: LocalDate; at: number };
  reopens: { number: number; decision?: 'approve' | 'reject' }[];
  reassigned: number;
  /** Deadline moves applied (patch 'check-in-move-deadlines'). */
  moves?: number;
  /** An administrator's `verify.<period>` date, after a move: an on-time submission is verified by it. */
  verifyOn?: LocalDate;
}

export async function checkInWorkflow(input: CheckInInput): Promise<CheckInView> {
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const today = () => vnLocalDate(steps.clock());
  let cal = workingCalendar(input.profile);
  let deadline = deadlineById(input.calendar, `check-in.${input.period}`);
  const who = input.personName ?? '';
  const s: CheckInState = {
    phase: 'OPEN',
    round: 0,
    misses: [],
    seenUpdates: [],
    reopens: [],
    reassigned: 0,
  };
  // The period lock and reopen requests (DESIGN §3): runs recorded before them keep their commands.
  const locking = patched('check-in-period-lock');
  let busy = false;
  /** The window ended while a submission was being applied: the lock waits for it (see lockIfDue). */
  let lockDeferred = false;

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    item: CheckInItem,
    extra: { vi?: string; en?: string } = {},
  ): NotifyInput => {
    const what = WHAT[item.kind];
    const due = dmy(item.dueDate);
    const name = who ? ` — ${who}` : '';
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: ${what.vi} ${input.period}${name} — hạn ${due}`,
      titleEn: `${title.en}: ${what.en} ${input.period}${name} — due ${due}`,
      bodyVi: `${what.vi} ${input.period}${name}: hạn ${due}.${extra.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `${what.en} ${input.period}${name}: due ${due}.${extra.en ? ` ${extra.en}` : ''}`,
      link: `/tasks/${encodeURIComponent(item.taskId)}`,
      logicalDate: item.dueDate,
    };
  };

  const steps = humanSteps<CheckInItemKind, CheckInUpdateResult, CheckInEffect>({
    acts,
    localActs,
    runEffect: (e) =>
      e.t === 'lock'
        ? acts.markCheckInLocked(e.input)
        : e.t === 'reopen-request'
          ? acts.recordReopenRequest(e.input)
          : e.t === 'deadline-move'
            ? acts.recordCheckInDeadlineMove(e.input)
            : acts.decideReopenRequest(e.input),
    system: SYSTEM,
    subject: { type: 'check_in', id: input.checkInId },
    notifyPrefix: 'check-in',
    kinds: KINDS,
    rungs: (item) => checkInRungs(item, input),
    message,
    details: () => ({ period: input.period, personId: input.personId, round: s.round }),
    parties: input.parties,
    profile: input.profile,
    forwardWorkingDays: input.forwardWorkingDays ?? 2,
    misses: s.misses,
    seenUpdates: s.seenUpdates,
    timeWarp: warp,
  });
  const { workflowId: wfId, audit, push, openItem, closeItem, findItem, seen, startUpdate, reply } = steps;

  /** Arms the period lock: the window closes at the end of the working day `lockWorkingDays` after `due`. A
   *  window already closed when it is armed (a run started late) does not lock: like a past rung, it is skipped. */
  const lockOf = (due: LocalDate) => {
    const date = cal.addWorkingDays(due, input.lockWorkingDays ?? 5);
    return { date, at: endOfVnDay(date) };
  };
  const armLock = (due: LocalDate) => {
    if (!locking) return;
    const lock = lockOf(due);
    s.lock = lock.at > now() ? lock : undefined;
  };
  /** The verification's due date of a submission on `date`: `verifyWorkingDays` after the later of it and the
   *  deadline; after a move of `verify.<period>`, an on-time submission is due the administrator's date and a late
   *  one no earlier than it. */
  const verifyDue = (date: LocalDate): LocalDate => {
    const from = [date, deadline.date].sort()[1]!; // the later local date (yyyy-mm-dd sorts)
    const due = cal.addWorkingDays(cal.nextWorkingDay(from), input.verifyWorkingDays ?? 3);
    const on = s.verifyOn;
    if (on === undefined || on < deadline.date) return due;
    return date <= deadline.date ? on : [due, on].sort()[1]!;
  };
  const lockPeriod = (date: LocalDate) => {
    const item = findItem('submit', 'revise');
    s.phase = 'LOCKED';
    s.misses.push({ step: item?.step ?? 'submit', role: 'person', date });
    if (item) {
      const key = `lock:${wfId}:${item.step}@${item.dueDate}`;
      push({
        t: 'rung',
        input: {
          event: {
            key: `${key}:missed`,
            taskId: item.taskId,
            kind: 'missed',
            actor: SYSTEM,
            recipientRole: 'person',
            recipientPersonId: input.personId,
            logicalDate: date,
            details: { dueDate: item.dueDate, reason: 'period locked' },
          },
          notify: message(
            key,
            [input.parties.person],
            'check-in.locked',
            { vi: 'Kỳ báo cáo đã khóa', en: 'Reporting period locked' },
            item,
            {
              vi: 'Kỳ báo cáo đã khóa; muốn nộp, hãy gửi yêu cầu mở lại kèm lý do.',
              en: 'The period is locked; to submit, send a reopen request with a reason.',
            },
          ),
          audit,
        },
      });
      closeItem(item, 'cancelled', SYSTEM, undefined, 'period locked');
    }
    push({ t: 'lock', input: { checkInId: input.checkInId, workflowId: wfId, windowClosedOn: date } });
  };
  /** Time's part beside the rungs: the window's end locks a check-in not yet submitted. */
  const lockIfDue = (t: number): boolean => {
    if (!s.lock || s.lock.at > t) return false;
    // A submission being applied when the window ends goes first (patch 'check-in-lock-after-submit'): its
    // activity may already have written SUBMITTED, and locking under it failed the run. The lock waits for the
    // handler, which wakes the loop when it is over.
    if (busy && (s.phase === 'OPEN' || s.phase === 'RETURNED') && patched('check-in-lock-after-submit')) {
      lockDeferred = true;
      return false;
    }
    // A submitted check-in is not locked (its verification continues); the window is spent either way.
    const { date } = s.lock;
    s.lock = undefined;
    if (s.phase === 'OPEN' || s.phase === 'RETURNED') lockPeriod(date);
    return true;
  };

  // ---- updates ----
  const result = (): CheckInUpdateResult => ({ phase: s.phase, round: s.round, date: today() });

  setHandler(getCheckInState, (): CheckInView => view());

  setHandler(
    submitCheckIn,
    async (a) => {
      const prior = startUpdate();
      if (prior) return prior[1];
      busy = true;
      try {
        const round = s.round + 1;
        const submitted = {
          checkInId: input.checkInId,
          versionId: a.versionId,
          hash: a.hash,
          workflowId: wfId,
          by: a.by,
          round,
          ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
        };
        const { keys } = patched(PATCH_UPDATE_WRITES_LOCAL)
          ? await steps.write(() => localActs.markCheckInSubmitted(submitted))
          : await acts.markCheckInSubmitted(submitted);
        s.round = round;
        s.phase = 'SUBMITTED';
        const date = today();
        s.submitted = { versionId: a.versionId, hash: a.hash, by: a.by, date, keys };
        const open = findItem('submit', 'revise');
        if (open) closeItem(open, 'done', a.by, a);
        openItem('verify', `verify:${round}`, input.parties.supervisor, 'supervisor', verifyDue(date), a.by);
        return await reply(result());
      } finally {
        busy = false;
        if (lockDeferred) {
          lockDeferred = false;
          steps.wake();
        }
      }
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        if (busy) throw new Error('Đang xử lý một lần nộp khác');
        if (s.phase !== 'OPEN' && s.phase !== 'RETURNED')
          throw new Error('Báo cáo không ở trạng thái được nộp');
        if (principal(a) !== input.personId)
          throw new Error('Người thực hiện không có quyền nộp báo cáo này');
        if (typeof a.versionId !== 'string' || a.versionId === '')
          throw new Error('Thiếu phiên bản (versionId)');
        if (typeof a.hash !== 'string' || !HASH.test(a.hash)) throw new Error('Mã băm không hợp lệ (hash)');
      },
    },
  );

  setHandler(
    verifyCheckIn,
    async (a) => {
      const prior = startUpdate();
      if (prior) return prior[1];
      const sub = s.submitted;
      const item = findItem('verify');
      if (s.phase !== 'SUBMITTED' || !sub || !item)
        throw new Error('Báo cáo không ở trạng thái chờ xác nhận');
      const returned = a.values.some((v) => v.verdict === 'returned');
      closeItem(item, 'done', a.by, a);
      s.phase = returned ? 'RETURNED' : 'VERIFIED';
      const values = a.values.map((v) => ({
        planId: v.planId,
        keyResultId: v.keyResultId,
        verdict: v.verdict,
        ...(v.verdict === 'returned' ? { majorError: v.majorError === true } : {}),
        ...(v.comment ? { comment: v.comment } : {}),
      }));
      const verification = {
        checkInId: input.checkInId,
        versionId: sub.versionId,
        workflowId: wfId,
        by: a.by,
        round: s.round,
        values,
        ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
      };
      if (patched(PATCH_UPDATE_WRITES_LOCAL))
        await steps.write(() => localActs.recordCheckInVerification(verification));
      else await acts.recordCheckInVerification(verification);
      if (returned) {
        const due = cal.addWorkingDays(cal.nextWorkingDay(today()), input.reviseWorkingDays ?? 2);
        openItem('revise', `revise:${s.round + 1}`, input.parties.person, 'person', due, a.by);
      }
      return reply(result());
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        if (s.phase !== 'SUBMITTED' || !s.submitted)
          throw new Error('Báo cáo không ở trạng thái chờ xác nhận');
        const item = findItem('verify');
        if (!item) throw new Error('Không có việc xác nhận đang mở');
        if (principal(a) === input.personId || a.by === input.personId)
          throw new Error('Không được tự xác nhận báo cáo của mình');
        if (item.party.personId && item.party.personId !== principal(a))
          throw new Error('Người thực hiện không có quyền xác nhận báo cáo này');
        if (!Array.isArray(a.values)) throw new Error('Thiếu kết quả xác nhận (values)');
        const want = new Set(s.submitted.keys);
        const got = new Set<string>();
        for (const v of a.values) {
          const k = `${v?.planId}/${v?.keyResultId}`;
          if (!want.has(k)) throw new Error(`Giá trị không thuộc báo cáo đã nộp: ${k}`);
          if (got.has(k)) throw new Error(`Giá trị bị lặp: ${k}`);
          got.add(k);
          if (v.verdict !== 'verified' && v.verdict !== 'returned')
            throw new Error(`Kết luận không hợp lệ: ${k}`);
          if (v.verdict === 'returned' && (typeof v.comment !== 'string' || v.comment.trim() === ''))
            throw new Error(`Trả lại cần nêu lý do: ${k}`);
          if (v.comment !== undefined && (typeof v.comment !== 'string' || v.comment.length > 2000))
            throw new Error(`Nhận xét không hợp lệ: ${k}`);
        }
        const missing = [...want].filter((k) => !got.has(k));
        if (missing.length) throw new Error(`Chưa có kết luận cho: ${missing.join(', ')}`);
      },
    },
  );
  const textOk = (x: unknown, max = 2000) => typeof x === 'string' && x.trim().length >= 1 && x.length <= max;

  setHandler(
    requestReopen,
    async (a) => {
      const prior = startUpdate();
      if (prior) return prior[1];
      const number = s.reopens.length + 1;
      s.reopens.push({ number });
      const step = `reopen:${number}`;
      push({
        t: 'reopen-request',
        input: {
          id: `${wfId}:${step}`,
          checkInId: input.checkInId,
          workflowId: wfId,
          number,
          by: a.by,
          reason: a.reason.trim(),
          ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
        },
      });
      const due = cal.addWorkingDays(cal.nextWorkingDay(today()), input.reopenWorkingDays ?? 2);
      openItem('reopen', step, input.parties.unitHead, 'unit-head', due, a.by);
      return reply(result());
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        if (s.phase !== 'LOCKED') throw new Error('Kỳ báo cáo không bị khóa');
        if (findItem('reopen')) throw new Error('Đã có yêu cầu mở lại đang chờ quyết định');
        if (principal(a) !== input.personId)
          throw new Error('Người thực hiện không có quyền yêu cầu mở lại báo cáo này');
        if (!textOk(a.reason)) throw new Error('Cần nêu lý do mở lại (1–2000 ký tự)');
      },
    },
  );

  setHandler(
    decideReopen,
    async (a) => {
      const prior = startUpdate();
      if (prior) return prior[1];
      const item = findItem('reopen')!;
      const req = s.reopens[s.reopens.length - 1]!;
      req.decision = a.decision;
      const comment = typeof a.comment === 'string' && a.comment.trim() ? a.comment.trim() : undefined;
      push({
        t: 'reopen-decision',
        input: {
          id: `${wfId}:${item.step}`,
          checkInId: input.checkInId,
          decision: a.decision,
          by: a.by,
          ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
          ...(comment ? { comment } : {}),
        },
      });
      closeItem(item, 'done', a.by, a);
      if (a.decision === 'approve') {
        s.phase = 'OPEN';
        const due = cal.addWorkingDays(cal.nextWorkingDay(today()), input.reviseWorkingDays ?? 2);
        openItem('submit', `submit:r${req.number}`, input.parties.person, 'person', due, a.by);
        armLock(due);
      } else {
        const key = `reopen-rejected:${wfId}:${item.step}`;
        const m = message(
          key,
          [input.parties.person],
          'check-in.reopen-rejected',
          { vi: 'Yêu cầu mở lại bị từ chối', en: 'Reopen request rejected' },
          item,
          comment ? { vi: `Ý kiến: ${comment}`, en: `Comment: ${comment}` } : {},
        );
        push({ t: 'notify', input: { ...m, link: '/check-ins' } });
      }
      return reply(result());
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        const item = findItem('reopen');
        if (s.phase !== 'LOCKED' || !item) throw new Error('Không có yêu cầu mở lại đang chờ quyết định');
        if (principal(a) === input.personId || a.by === input.personId)
          throw new Error('Không được tự quyết định mở lại báo cáo của mình');
        if (item.party.personId && item.party.personId !== principal(a))
          throw new Error('Người thực hiện không có quyền quyết định yêu cầu này');
        if (a.decision !== 'approve' && a.decision !== 'reject')
          throw new Error('Quyết định không hợp lệ (approve hoặc reject)');
        if (a.comment !== undefined && (typeof a.comment !== 'string' || a.comment.length > 2000))
          throw new Error('Ý kiến không hợp lệ');
      },
    },
  );

  setHandler(
    reassignCheckInVerifier,
    async (a) => {
      const prior = startUpdate();
      if (prior) return prior[1];
      const item = findItem('verify')!;
      s.reassigned++;
      const to = { personId: a.toPersonId };
      const role = a.toPersonId === input.parties.unitHead.personId ? 'unit-head' : 'supervisor';
      push({
        t: 'rung',
        input: {
          event: {
            key: `reassign:${wfId}:${item.step}:${s.reassigned}`,
            taskId: item.taskId,
            kind: 'forwarded',
            actor: a.by,
            recipientRole: role,
            recipientPersonId: a.toPersonId,
            logicalDate: today(),
            details: {
              reassigned: true,
              from: item.party,
              reason: a.reason.trim(),
              ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
            },
          },
          audit,
        },
      });
      closeItem(item, 'cancelled', a.by, a, a.reason.trim());
      const next = openItem(
        'verify',
        `${item.step}:re${s.reassigned}`,
        to,
        role,
        item.dueDate,
        a.by,
        item.forwarded === true,
      );
      next.escalation = item.escalation;
      return reply(result());
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        const item = findItem('verify');
        if (s.phase !== 'SUBMITTED' || !item) throw new Error('Báo cáo không ở trạng thái chờ xác nhận');
        if (typeof a.toPersonId !== 'string' || a.toPersonId.trim() === '')
          throw new Error('Thiếu người nhận (toPersonId)');
        if (a.toPersonId === input.personId || principal(a) === input.personId)
          throw new Error('Không được tự xác nhận báo cáo của mình');
        if (a.toPersonId === item.party.personId) throw new Error('Người nhận đang được giao việc này');
        const head = input.parties.unitHead.personId;
        const current = item.party.personId;
        if ((head || current) && principal(a) !== head && principal(a) !== current)
          throw new Error('Người thực hiện không có quyền chuyển việc xác nhận');
        if (!textOk(a.reason)) throw new Error('Cần nêu lý do chuyển (1–2000 ký tự)');
      },
    },
  );

  // ---- deadline moves (patch 'check-in-move-deadlines') ----
  /** Moves an open item to `date`: re-plans its ladder, re-dates its inbox task and records the move on it. */
  const redate = (item: CheckInItem, date: LocalDate, a: { by: string; reason: string }, t: number) => {
    const from = item.dueDate;
    item.dueDate = date;
    item.dueAt = endOfVnDay(date);
    // Rungs of the new date already past are skipped, those ahead wait for their instants; overdue under the new
    // date, the latest passed rung fires once (as at a late start). Escalations already fired stay.
    const rungs = checkInRungs(item, input);
    let next = rungs.findIndex((r) => r.at > t);
    if (next < 0) next = rungs.length;
    item.fired = item.dueAt <= t && next > 0 ? next - 1 : next;
    const key = `moved:${wfId}:${item.step}:${from}->${date}`;
    const extra = {
      vi: `Hạn cũ ${dmy(from)}. Lý do: ${a.reason}`,
      en: `Was ${dmy(from)}. Reason: ${a.reason}`,
    };
    push({
      t: 'open',
      input: {
        id: item.taskId,
        workflowId: wfId,
        updateName: KINDS[item.kind].update,
        kind: KINDS[item.kind].task,
        subjectType: 'check_in',
        subjectId: input.checkInId,
        assignee: item.party,
        dueAt: item.dueAt,
        logicalDueDate: date,
        details: { period: input.period, personId: input.personId, round: s.round },
        actor: a.by,
        notify: message(
          key,
          [item.party],
          'check-in.deadline-moved',
          { vi: 'Đổi hạn', en: 'Deadline moved' },
          item,
          extra,
        ),
      },
    });
    push({
      t: 'rung',
      input: {
        event: {
          key,
          taskId: item.taskId,
          kind: 'deadline-moved',
          actor: a.by,
          logicalDate: date,
          details: { from, to: date, reason: a.reason },
        },
        audit,
      },
    });
    return { taskId: item.taskId, from, to: date };
  };

  setHandler(
    moveCheckInDeadlines,
    async (a): Promise<MoveCheckInDeadlinesResult> => {
      const prior = startUpdate();
      if (prior) return prior[1] as MoveCheckInDeadlinesResult;
      if (!patched(PATCH_MOVE_DEADLINES)) throw new Error('Phiên bản quy trình chưa hỗ trợ đổi hạn');
      const t = now();
      const before = { submitDate: deadline.date, ...(s.lock ? { windowClosesOn: s.lock.date } : {}) };
      if (a.profile) {
        input.profile = a.profile;
        cal = workingCalendar(a.profile);
      }
      input.calendar = a.calendar;
      deadline = deadlineById(a.calendar, `check-in.${input.period}`);
      const verify = a.calendar.deadlines.find((d) => d.id === `verify.${input.period}`);
      if (verify?.origin === 'override') s.verifyOn = verify.date;
      else delete s.verifyOn;
      const redated: MoveCheckInDeadlinesResult['redated'] = [];
      for (const item of [...steps.items]) {
        const date =
          item.kind === 'submit' && item.step === 'submit'
            ? deadline.date
            : item.kind === 'verify' && !item.forwarded && s.submitted
              ? verifyDue(s.submitted.date)
              : undefined;
        if (date !== undefined && date !== item.dueDate) redated.push(redate(item, date, a, t));
      }
      // The period lock follows the submit deadline (a move closing a pending window in the past was refused; a
      // window already past under the new date is not armed, as at a late start).
      if (locking) {
        const lock = lockOf(deadline.date);
        if (lock.at > t) s.lock = lock;
        else delete s.lock;
      }
      s.moves = (s.moves ?? 0) + 1;
      const after = {
        submitDate: deadline.date,
        ...(s.lock ? { windowClosesOn: s.lock.date } : {}),
        ...(s.verifyOn ? { verifyDate: s.verifyOn } : {}),
      };
      push({
        t: 'deadline-move',
        input: {
          key: `moved:${wfId}:${s.moves}`,
          checkInId: input.checkInId,
          workflowId: wfId,
          by: a.by,
          reason: a.reason.trim(),
          before,
          after,
          redated,
        },
      });
      return reply({
        ...result(),
        submitDate: deadline.date,
        redated,
        ...(s.lock ? { windowClosesOn: s.lock.date } : {}),
      });
    },
    {
      validator: (a) => {
        if (seen()) return;
        if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
        if (!textOk(a.reason, 500)) throw new Error('Cần nêu lý do đổi hạn (1–500 ký tự)');
        if (a.calendar?.planYear !== input.calendar.planYear || !Array.isArray(a.calendar.deadlines))
          throw new Error('Lịch không đúng năm kế hoạch của kỳ báo cáo');
        const next = a.calendar.deadlines.find((d: { id: string }) => d.id === `check-in.${input.period}`) as
          | (typeof a.calendar.deadlines)[number]
          | undefined;
        if (!next) throw new Error(`Lịch không có hạn báo cáo check-in.${input.period}`);
        if (s.phase === 'VERIFIED') throw new Error('Báo cáo tháng đã được xác nhận; không đổi hạn được nữa');
        if (s.phase === 'LOCKED')
          throw new Error('Kỳ báo cáo đã khóa; muốn nộp cần yêu cầu mở lại, không đổi hạn được');
        if (s.reopens.length)
          throw new Error('Kỳ báo cáo đã được mở lại; hạn do quyết định mở lại ấn định, không đổi theo lịch');
        // An unsubmitted check-in whose window is still open would be locked in the past by the move: refused (a
        // window already spent, or never armed at a late start, stays so).
        if (locking && s.lock && (s.phase === 'OPEN' || s.phase === 'RETURNED')) {
          const c = a.profile ? workingCalendar(a.profile) : cal;
          const closes = c.addWorkingDays(next.date, input.lockWorkingDays ?? 5);
          if (endOfVnDay(closes) <= now())
            throw new Error(
              `Với hạn mới ${dmy(next.date)}, kỳ báo cáo đã khóa từ ${dmy(closes)}: không đổi hạn về quá khứ`,
            );
        }
      },
    },
  );

  const view = (): CheckInView => ({
    phase: s.phase,
    round: s.round,
    ...(s.submitted ? { submitted: s.submitted } : {}),
    items: steps.items.map((i) => ({
      taskId: i.taskId,
      kind: i.kind,
      dueDate: i.dueDate,
      partyRole: i.partyRole,
      escalation: i.escalation,
    })),
    misses: s.misses,
    ...(s.lock ? { windowClosesOn: s.lock.date } : {}),
    ...(s.reopens.length ? { reopens: s.reopens.map((x) => ({ ...x })) } : {}),
  });

  // ---- start ----
  openItem('submit', 'submit', input.parties.person, 'person', deadline.date, SYSTEM);
  armLock(deadline.date);

  // ---- main loop ----
  await steps.run({
    done: () => s.phase === 'VERIFIED',
    onTime: lockIfDue,
    wakeAt: () => (lockDeferred ? undefined : s.lock?.at),
  });
  return view();
}
