// The monthly unit report of one unit and one month (DESIGN §3 "The unit's monthly result is a report to print,
// sign and stamp"; issue 6 point 6), a unit-level item (DESIGN §1 tiered rule: the unit's reports escalate to the
// province). When the month's verification window (`verify.<period>` of the plan-year calendar) has closed, the
// unit head's 'report.monthly' inbox task opens ("Ký và gửi báo cáo tháng của đơn vị"), due `dueWorkingDays`
// working days later (2). Its ladder is the unit-level one of domain/calendar (escalationLadder, scope 'unit'):
// reminders at D−3, D−1 and D, overdue reminders, and the escalations — the unit head is the assignee, so the
// rungs to the unit's supervisor and to the unit head itself are left out (nobody escalates to themselves); the
// supervisor rung goes to the level that manages heads when the province names one; the secretariat of the
// province gets the D+6 rung. The Update `sendMonthlyReport` by the unit head (or their delegate) freezes the
// report: an idempotent activity renders the PDF and the Excel file from the verified values at that moment and
// stores them with their sha256 (monthly_unit_report, audited); the secretariat is notified and the run ends.
//
// The period lock (patch 'unit-report-period-lock'; DESIGN §3 "a reporting period locks when its window closes and
// reopens only by a request with a reason, approved by … the secretariat (unit items)"): like the check-in's lock
// (the working day after its ladder's last rung), the window closes at the end of the working day after the
// report ladder's last rung — D+7 with the default ladder, the day after the secretariat's D+6 escalation
// (reportLockDate; `lockWorkingDays` overrides it, never before the last rung). A report still unsent then is
// LOCKED: its send task is cancelled with a 'missed' event ('period locked'), the unit head and the secretariat
// are told, the lock is recorded (unit_report_lock, audited). A window already closed when the run starts (a late
// start) does not lock, like the rungs already past. A send while LOCKED is refused (REPORT_LOCKED). LOCKED waits
// for `requestReportReopen` (the unit head or their delegate, with a reason): a 'report.monthly.reopen' decision
// task for the province's secretariat (role-assigned; reminders, then the standing committee at D+2:
// reopenDecisionRungs). `decideReportReopen` approves — a new send task for the head due
// `reopenSendWorkingDays` (2) later, with its ladder and the lock armed again — or refuses with a reason (still
// LOCKED; the head is told why). Requests and decisions are recorded (unit_report_reopen_request, audited). A
// LOCKED run with nothing pending waits (no timer) for a request.
//
// Deadline moves (patch 'unit-report-move-deadlines', issue 6): `moveReportDeadlines` carries an administrator's
// move of the report's dates (`verify.<period>` for the monthly report, `quarter-report.<period>` for the quarterly
// one) or a changed working calendar to the running report, sent by the calendar-change workflow. A run still
// WAITING opens at the new instant, due the new date (overdue at its opening, its latest passed rung fires once). An
// OPEN first send task is re-dated in the inbox (openTask: task.rescheduled, the unit head told) and its ladder
// re-planned: rungs already fired stay fired, the rungs of the new date still ahead wait for their instants, an item
// overdue under the new date fires its latest passed rung once; the period lock follows the new last rung. The move
// is audited (`<task kind>.deadlines-moved`). Refused (NOT_MOVABLE) once SENT, LOCKED or reopened, or when the new
// window would already have closed on the unsent report.
//
// Effects (task, rungs, notifications) are queued by handlers and timers and flushed by the main loop through
// idempotent activities (workflows/check-in.ts's structure); an Update waits until its effects are flushed. One
// month's run is short (a dozen events): no continue-as-new.

import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeadlineMoveRecord } from '../activities/calendar-change.ts';
import type { Activities } from '../activities/index.ts';
import type { FreezeMonthlyReportInput, FrozenMonthlyReport } from '../activities/monthly-unit-report.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { CloseTaskInput, FireRungInput, OpenTaskInput } from '../activities/tasks.ts';
import type {
  UnitReportLockInput,
  UnitReportReopenDecisionInput,
  UnitReportReopenRequestInput,
} from '../activities/unit-report-lock.ts';
import {
  DEFAULT_LADDER_SETTINGS,
  ESCALATION_RANK,
  escalationLadder,
  type RecipientRole,
} from '../domain/calendar/ladder.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  decideReportReopen,
  getMonthlyReportState,
  MONTHLY_REPORT_TASK_KIND,
  type MonthlyReportPhase,
  type MonthlyUnitReportInput,
  type MonthlyUnitReportView,
  type MoveReportDeadlinesArgs,
  type MoveReportDeadlinesResult,
  moveReportDeadlines,
  REPORT_REFUSAL,
  type ReportReopenResult,
  type ReportReopenView,
  requestReportReopen,
  type SendMonthlyReportArgs,
  type SendMonthlyReportResult,
  sendMonthlyReport,
} from './monthly-unit-report.messages.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';

export * from './monthly-unit-report.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});
const render = proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

type Effect =
  | { t: 'open'; input: OpenTaskInput }
  | { t: 'close'; input: CloseTaskInput }
  | { t: 'rung'; input: FireRungInput }
  | { t: 'notify'; input: NotifyInput }
  | { t: 'lock'; input: UnitReportLockInput }
  | { t: 'reopen-request'; input: UnitReportReopenRequestInput }
  | { t: 'reopen-decision'; input: UnitReportReopenDecisionInput }
  | { t: 'deadline-move'; input: DeadlineMoveRecord };

/** Deadline moves reaching a running unit report (the moveReportDeadlines Update; issue 6). */
export const PATCH_REPORT_MOVE_DEADLINES = 'unit-report-move-deadlines';

export interface ReportRung {
  index: number;
  action: 'remind' | 'overdue-remind' | 'escalate';
  recipientRole: RecipientRole;
  offset: number;
  date: LocalDate;
  at: number;
}

/**
 * What differs between the unit's report runs (the monthly one here, the quarterly one in
 * workflows/quarterly-unit-report.ts): their dates, names, texts and freezing activity. The run itself —
 * the task, its ladder, the send Update — is the same (runUnitReport).
 */
export interface UnitReportSpec {
  /** The instant the task opens, the day it opens on and its due date. */
  dates: { opensAt: number; opensOn: LocalDate; dueDate: LocalDate };
  /** The same dates under a moved calendar or profile (the input's, as the move Update has set them); throws when
   *  the calendar lacks the deadline (patch 'unit-report-move-deadlines'). */
  datesOf?: (input: MonthlyUnitReportInput) => { opensAt: number; opensOn: LocalDate; dueDate: LocalDate };
  /** The inbox task kind; also the prefix of the notification kinds ('report.monthly' → 'report.monthly.task'). */
  taskKind: string;
  /** The task's subject type and the audit's aggregate type. */
  subjectType: string;
  /** The screen the messages link to ('/reports/monthly'). */
  screen: string;
  /** The system actor of the task's events. */
  system: string;
  updateName: string;
  update: UpdateDefinition<SendMonthlyReportResult, [SendMonthlyReportArgs]>;
  query: QueryDefinition<MonthlyUnitReportView>;
  freeze: (f: FreezeMonthlyReportInput) => Promise<FrozenMonthlyReport>;
  /** The report's name in messages: { vi: 'tháng', en: 'monthly', En: 'Monthly' }. */
  word: { vi: string; en: string; En: string };
  /** The validator's texts after the refusal codes. */
  refusals: { windowOpen: string; alreadySent: string; notUnitHead: string };
}
const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** The verification window's last day, the day the task opens and its due date. */
export function reportDates(input: MonthlyUnitReportInput): {
  windowClosesOn: LocalDate;
  opensAt: number;
  opensOn: LocalDate;
  dueDate: LocalDate;
} {
  const verify = deadlineById(input.calendar, `verify.${input.period}`);
  const cal = workingCalendar(input.profile);
  const opensAt = endOfVnDay(verify.date);
  return {
    windowClosesOn: verify.date,
    opensAt,
    opensOn: vnLocalDate(opensAt),
    dueDate: cal.addWorkingDays(cal.nextWorkingDay(verify.date), input.dueWorkingDays ?? 2),
  };
}

/**
 * The rungs of the report task: the unit-level ladder of domain/calendar without the rungs that would reach the
 * unit head (the assignee) or the unit's supervisors (below the head); the supervisor rung goes to the heads'
 * manager when there is one; the secretariat's rung stays.
 */
export function reportRungs(input: MonthlyUnitReportInput, dueDate: LocalDate): ReportRung[] {
  const settings = input.ladder ?? DEFAULT_LADDER_SETTINGS;
  const ladder = escalationLadder(input.profile, dueDate, { scope: 'unit' }, settings);
  const out: Omit<ReportRung, 'index'>[] = [];
  for (const r of ladder.rungs) {
    if (r.action === 'record-miss') continue;
    if (r.action !== 'escalate') out.push({ ...r, action: r.action });
    else if (r.recipientRole === 'secretariat') out.push({ ...r, action: 'escalate' });
    else if (r.recipientRole === 'supervisor' && input.parties.headsManager)
      out.push({ ...r, action: 'escalate', recipientRole: 'heads-manager' });
  }
  return out.map((r, index) => ({ ...r, index }));
}

interface ReportState {
  phase: MonthlyReportPhase;
  escalation: number;
  sent?: { by: string; onBehalfOf?: string; date: LocalDate; pdfSha256: string; xlsxSha256: string };
  seenUpdates: [string, unknown][];
  /** The pending lock (patch 'unit-report-period-lock'): the window's last day and the instant it ends. */
  lock?: { date: LocalDate; at: number };
  locks: { date: LocalDate; number: number }[];
  reopens: ReportReopenView[];
}

/** The open task of the run: the send task (the first, or one a reopen approved) or a reopen decision task. */
interface OpenItem {
  kind: 'send' | 'decide';
  taskId: string;
  /** The step in the task's business keys ('send', 'send:r1', 'reopen:1'). */
  step: string;
  dueDate: LocalDate;
  rungs: ReportRung[];
  fired: number;
}

/**
 * The rungs of a reopen decision task (assigned to the province's secretariat): the unit-level ladder's reminders
 * and overdue reminders to the secretariat, and its first escalation (the supervisor's rung, D+2) going to the
 * level above the secretariat, the standing committee.
 */
export function reopenDecisionRungs(input: MonthlyUnitReportInput, dueDate: LocalDate): ReportRung[] {
  const settings = input.ladder ?? DEFAULT_LADDER_SETTINGS;
  const ladder = escalationLadder(input.profile, dueDate, { scope: 'unit' }, settings);
  const out: Omit<ReportRung, 'index'>[] = [];
  let escalated = false;
  for (const r of ladder.rungs) {
    if (r.action === 'record-miss') continue;
    if (r.action !== 'escalate') out.push({ ...r, action: r.action });
    else if (!escalated) {
      escalated = true;
      out.push({ ...r, action: 'escalate', recipientRole: 'standing-committee' });
    }
  }
  return out.map((r, index) => ({ ...r, index }));
}

/**
 * The day whose end locks an unsent report due on `dueDate` (patch 'unit-report-period-lock'): like the check-in's
 * lock (the working day after its last rung), the working day after the report ladder's last rung — D+7 with the
 * default ladder — or `lockWorkingDays` after D when given (never before the last rung's day).
 */
export function reportLockDate(
  input: MonthlyUnitReportInput,
  dueDate: LocalDate,
  rungs: ReportRung[],
): LocalDate {
  const cal = workingCalendar(input.profile);
  const last = rungs.at(-1)?.date;
  const afterLast = last ? cal.addWorkingDays(last, 1) : cal.addWorkingDays(dueDate, 1);
  if (input.lockWorkingDays === undefined) return afterLast;
  const given = cal.addWorkingDays(dueDate, input.lockWorkingDays);
  return last && given < last ? last : given;
}

export async function monthlyUnitReportWorkflow(
  input: MonthlyUnitReportInput,
): Promise<MonthlyUnitReportView> {
  return runUnitReport(input, {
    dates: reportDates(input),
    datesOf: reportDates,
    taskKind: MONTHLY_REPORT_TASK_KIND,
    subjectType: 'monthly_unit_report',
    screen: '/reports/monthly',
    system: 'system:monthly-report',
    updateName: 'sendMonthlyReport',
    update: sendMonthlyReport,
    query: getMonthlyReportState,
    freeze: (f) => render.freezeMonthlyUnitReport(f),
    word: { vi: 'tháng', en: 'monthly', En: 'Monthly' },
    refusals: {
      windowOpen: 'Chưa hết thời hạn xác nhận kết quả của tháng',
      alreadySent: 'Báo cáo tháng đã được gửi',
      notUnitHead: 'Chỉ thủ trưởng đơn vị ký và gửi báo cáo',
    },
  });
}

/** One report run of a unit: the task, its ladder, the send Update, the period lock and reopen requests (see the
 *  head of this file). */
export async function runUnitReport(
  input: MonthlyUnitReportInput,
  spec: UnitReportSpec,
): Promise<MonthlyUnitReportView> {
  const SYSTEM = spec.system;
  const wfId = workflowInfo().workflowId;
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const today = () => vnLocalDate(now());
  let cal = workingCalendar(input.profile);
  let { opensAt, opensOn, dueDate } = spec.dates;
  const firstTaskId = `${wfId}:send`;
  const subjectId = `${input.unitId}:${input.period}`;
  const audit = { aggregateType: spec.subjectType, aggregateId: subjectId };
  const link = `${spec.screen}?unitId=${encodeURIComponent(input.unitId)}&period=${encodeURIComponent(input.period)}`;
  const w = spec.word;
  const unit = input.unitName ? ` — ${input.unitName}` : '';
  const reportKind =
    spec.taskKind === MONTHLY_REPORT_TASK_KIND ? ('monthly' as const) : ('quarterly' as const);
  const s: ReportState = { phase: 'WAITING', escalation: 0, seenUpdates: [], locks: [], reopens: [] };
  // The period lock and reopen requests (DESIGN §3): runs recorded before them keep their commands.
  const locking = patched('unit-report-period-lock');
  const standingCommittee: AssigneeRef = { role: 'standing_committee', unitId: input.provinceId };
  let cur: OpenItem | undefined;
  let sendItem: OpenItem = {
    kind: 'send',
    taskId: firstTaskId,
    step: 'send',
    dueDate,
    rungs: reportRungs(input, dueDate),
    fired: 0,
  };
  const effects: Effect[] = [];
  let enqueued = 0;
  let flushed = 0;
  let changes = 0;
  let busy = false;
  /** Deadline moves applied (patch 'unit-report-move-deadlines'). */
  let moves = 0;
  /** A move made the waiting run's task overdue at its opening: its latest passed rung fires once. */
  let catchUpAtOpening = false;
  const push = (e: Effect) => {
    effects.push(e);
    enqueued++;
  };

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    extra: { vi?: string; en?: string } = {},
    due: LocalDate = dueDate,
  ): NotifyInput => {
    const d = dmy(due);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: Ký và gửi báo cáo ${w.vi} ${input.period} của đơn vị${unit} — hạn ${d}`,
      titleEn: `${title.en}: Sign and send the unit's ${w.en} report ${input.period}${unit} — due ${d}`,
      bodyVi: `Báo cáo ${w.vi} ${input.period}${unit}: hạn ${d}.${extra.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `${w.En} report ${input.period}${unit}: due ${d}.${extra.en ? ` ${extra.en}` : ''}`,
      link,
      logicalDate: due,
    };
  };
  /** The messages of a reopen decision task (to the secretariat, or the standing committee it climbed to). */
  const decideMessage = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    due: LocalDate,
    extra: { vi?: string; en?: string } = {},
  ): NotifyInput => {
    const d = dmy(due);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: Quyết định mở lại kỳ báo cáo ${w.vi} ${input.period} của đơn vị${unit} — hạn ${d}`,
      titleEn: `${title.en}: Decide on reopening the unit's ${w.en} report ${input.period}${unit} — due ${d}`,
      bodyVi: `Đơn vị${unit} yêu cầu mở lại kỳ báo cáo ${w.vi} ${input.period} đã khóa: hạn quyết định ${d}.${extra.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `The unit${unit} asks to reopen its locked ${w.en} report ${input.period}: decide by ${d}.${extra.en ? ` ${extra.en}` : ''}`,
      link,
      logicalDate: due,
    };
  };

  /** Arms the lock of a send item: a window already closed when it is armed (a late start) does not lock. */
  const armLock = (item: OpenItem) => {
    if (!locking) return;
    const date = reportLockDate(input, item.dueDate, item.rungs);
    const at = endOfVnDay(date);
    s.lock = at > now() ? { date, at } : undefined;
  };

  const openSend = (item: OpenItem, by: string, title = { vi: 'Việc mới', en: 'New task' }) => {
    s.phase = 'OPEN';
    sendItem = item;
    cur = item;
    // Rungs already past when the task opens (a late start) are skipped.
    const t = now();
    item.fired = item.rungs.findIndex((r) => r.at > t);
    if (item.fired < 0) item.fired = item.rungs.length;
    if (catchUpAtOpening) {
      // A move dated the task into the past while the run waited: overdue, its latest passed rung fires once.
      catchUpAtOpening = false;
      if (endOfVnDay(item.dueDate) <= t && item.fired > 0) item.fired--;
    }
    push({
      t: 'open',
      input: {
        id: item.taskId,
        workflowId: wfId,
        updateName: spec.updateName,
        kind: spec.taskKind,
        subjectType: spec.subjectType,
        subjectId,
        assignee: input.parties.unitHead,
        dueAt: endOfVnDay(item.dueDate),
        logicalDueDate: item.dueDate,
        details: { period: input.period, unitId: input.unitId },
        actor: by,
        notify: message(
          `task:${item.taskId}`,
          [input.parties.unitHead],
          `${spec.taskKind}.task`,
          title,
          {},
          item.dueDate,
        ),
      },
    });
    armLock(item);
  };
  const openItem = () => openSend(sendItem, SYSTEM);

  const fire = (item: OpenItem, r: ReportRung) => {
    const key = `escalate:${wfId}:${item.step}@${item.dueDate}:${r.index}`;
    const base = { taskId: item.taskId, actor: SYSTEM, logicalDate: r.date, key };
    const deciding = item.kind === 'decide';
    const assignee = deciding ? input.parties.secretariat : input.parties.unitHead;
    const msg = (
      k: string,
      to: AssigneeRef[],
      kind: string,
      title: { vi: string; en: string },
      extra: { vi?: string; en?: string } = {},
    ) =>
      deciding
        ? decideMessage(k, to, kind, title, item.dueDate, extra)
        : message(k, to, kind, title, extra, item.dueDate);
    const kindPrefix = deciding ? `${spec.taskKind}.reopen` : spec.taskKind;
    if (r.action !== 'escalate') {
      const overdue = r.action === 'overdue-remind';
      push({
        t: 'rung',
        input: {
          event: {
            ...base,
            kind: overdue ? 'overdue-reminded' : 'reminded',
            recipientRole: deciding ? 'secretariat' : 'unit-head',
            details: { offset: r.offset },
          },
          notify: msg(
            key,
            [assignee],
            `${kindPrefix}.${r.action}`,
            overdue ? { vi: 'Quá hạn', en: 'Overdue' } : { vi: 'Nhắc việc', en: 'Reminder' },
          ),
          audit,
        },
      });
      return;
    }
    const rank = ESCALATION_RANK[r.recipientRole];
    if (!deciding) s.escalation = Math.max(s.escalation, rank);
    const to = deciding
      ? standingCommittee
      : r.recipientRole === 'heads-manager' && input.parties.headsManager
        ? input.parties.headsManager
        : input.parties.secretariat;
    push({
      t: 'rung',
      input: {
        event: { ...base, kind: 'escalated', recipientRole: r.recipientRole, details: { offset: r.offset } },
        escalationLevel: rank,
        notify: msg(
          key,
          [to],
          `${kindPrefix}.escalated`,
          { vi: 'Chuyển cấp trên do quá hạn', en: 'Escalated: overdue' },
          { vi: `Quá hạn ${r.offset} ngày làm việc.`, en: `${r.offset} working days overdue.` },
        ),
        audit,
      },
    });
  };

  const processTime = (): boolean => {
    const item = cur;
    if (!item) return false;
    let acted = false;
    const t = now();
    for (let r = item.rungs[item.fired]; r && r.at <= t; r = item.rungs[item.fired]) {
      item.fired = r.index + 1;
      fire(item, r);
      acted = true;
    }
    return acted;
  };

  /** The window's end locks a report not yet sent: the task closes as missed, the unit head and the secretariat
   *  are told, the lock is recorded (read model + audit). */
  const lockIfDue = (): boolean => {
    if (!s.lock || s.lock.at > now()) return false;
    const { date } = s.lock;
    s.lock = undefined;
    const item = cur;
    if (s.phase !== 'OPEN' || !item || item.kind !== 'send') return true;
    const number = s.locks.length + 1;
    s.locks.push({ date, number });
    s.phase = 'LOCKED';
    cur = undefined;
    const key = `lock:${wfId}:${item.step}@${item.dueDate}`;
    push({
      t: 'rung',
      input: {
        event: {
          key: `${key}:missed`,
          taskId: item.taskId,
          kind: 'missed',
          actor: SYSTEM,
          recipientRole: 'unit-head',
          ...(input.parties.unitHead.personId ? { recipientPersonId: input.parties.unitHead.personId } : {}),
          logicalDate: date,
          details: { dueDate: item.dueDate, reason: 'period locked' },
        },
        notify: message(
          key,
          [input.parties.unitHead, input.parties.secretariat],
          `${spec.taskKind}.locked`,
          { vi: 'Kỳ báo cáo đã khóa', en: 'Reporting period locked' },
          {
            vi: 'Báo cáo chưa được gửi và kỳ báo cáo đã khóa; muốn gửi, thủ trưởng đơn vị gửi yêu cầu mở lại kèm lý do để Văn phòng phê duyệt.',
            en: "The report was not sent and the period is locked; to send it, the unit head asks for a reopening with a reason, for the secretariat's approval.",
          },
          item.dueDate,
        ),
        audit,
      },
    });
    push({
      t: 'close',
      input: { id: item.taskId, status: 'cancelled', by: SYSTEM, reason: 'period locked' },
    });
    push({
      t: 'lock',
      input: {
        id: `${wfId}:lock:${number}`,
        kind: reportKind,
        unitId: input.unitId,
        period: input.period,
        workflowId: wfId,
        number,
        windowClosedOn: date,
      },
    });
    return true;
  };

  const flush = async () => {
    while (effects.length) {
      const e = effects[0]!;
      if (e.t === 'open') await acts.openTask(e.input);
      else if (e.t === 'close') await acts.closeTask(e.input);
      else if (e.t === 'rung') await acts.fireRung(e.input);
      else if (e.t === 'notify') await acts.notify(e.input);
      else if (e.t === 'lock') await acts.markUnitReportLocked(e.input);
      else if (e.t === 'reopen-request') await acts.recordUnitReportReopenRequest(e.input);
      else if (e.t === 'deadline-move') await acts.recordDeadlineMove(e.input);
      else await acts.decideUnitReportReopen(e.input);
      effects.shift();
      flushed++;
    }
  };

  const seen = <T>(): [string, T] | undefined => {
    const id = currentUpdateInfo()?.id;
    return id === undefined ? undefined : (s.seenUpdates.find(([k]) => k === id) as [string, T] | undefined);
  };
  const remember = (r: unknown) => {
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) s.seenUpdates.push([id, r]);
  };
  const principal = (a: { by: string; onBehalfOf?: string }) => a.onBehalfOf ?? a.by;
  const checkActing = (a: { by?: unknown; onBehalfOf?: unknown } | undefined) => {
    if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
    if (a.onBehalfOf !== undefined && (typeof a.onBehalfOf !== 'string' || a.onBehalfOf.trim() === ''))
      throw new Error('Người được ủy quyền không hợp lệ (onBehalfOf)');
  };
  const textOk = (x: unknown, max = 2000) => typeof x === 'string' && x.trim().length >= 1 && x.length <= max;
  const decideItem = () => (cur?.kind === 'decide' ? cur : undefined);

  const view = (): MonthlyUnitReportView => {
    const lastLock = s.locks.at(-1);
    const deciding = decideItem();
    return {
      phase: s.phase,
      opensOn,
      dueDate: sendItem.dueDate,
      taskId: sendItem.taskId,
      escalation: s.escalation,
      ...(s.sent ? { sent: s.sent } : {}),
      ...(s.lock ? { lockOn: s.lock.date } : {}),
      ...(lastLock ? { locked: { ...lastLock } } : {}),
      ...(s.reopens.length ? { reopens: s.reopens.map((x) => ({ ...x })) } : {}),
      ...(deciding ? { reopenTaskId: deciding.taskId } : {}),
    };
  };
  setHandler(spec.query, view);

  setHandler(
    spec.update,
    async (a) => {
      const prior = seen<SendMonthlyReportResult>();
      if (prior) return prior[1];
      if (s.phase === 'WAITING') openItem();
      const date = today();
      busy = true;
      const frozen = await spec
        .freeze({
          unitId: input.unitId,
          period: input.period,
          date,
          number: a.number ?? null,
          workflowId: wfId,
          by: a.by,
          ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
        })
        .finally(() => {
          busy = false;
        });
      s.phase = 'SENT';
      s.lock = undefined;
      cur = undefined;
      s.sent = {
        by: a.by,
        ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
        date: frozen.date,
        pdfSha256: frozen.pdfSha256,
        xlsxSha256: frozen.xlsxSha256,
      };
      push({
        t: 'close',
        input: {
          id: sendItem.taskId,
          status: 'done',
          by: a.by,
          ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
        },
      });
      push({
        t: 'notify',
        input: {
          key: `sent:${wfId}`,
          recipients: [input.parties.secretariat],
          kind: `${spec.taskKind}.sent`,
          titleVi: `Đã nhận báo cáo ${w.vi} ${input.period}${unit}`,
          titleEn: `${w.En} report ${input.period} received${unit}`,
          bodyVi: `Đơn vị${unit} đã ký và gửi báo cáo ${w.vi} ${input.period} ngày ${dmy(frozen.date)}.`,
          bodyEn: `The unit${unit} signed and sent its ${w.en} report ${input.period} on ${dmy(frozen.date)}.`,
          link,
          logicalDate: frozen.date,
        },
      });
      const r: SendMonthlyReportResult = {
        phase: s.phase,
        date: frozen.date,
        pdfSha256: frozen.pdfSha256,
        xlsxSha256: frozen.xlsxSha256,
      };
      remember(r);
      const target = enqueued;
      changes++;
      await condition(() => flushed >= target);
      return r;
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        if (a.number !== undefined && (typeof a.number !== 'string' || !/^\S.{0,19}$/u.test(a.number)))
          throw new Error('Số văn bản không hợp lệ (number)');
        if (busy) throw new Error('Đang xử lý một lần gửi khác');
        if (s.phase === 'SENT')
          throw new Error(`${REPORT_REFUSAL.alreadySent}: ${spec.refusals.alreadySent}`);
        if (s.phase === 'LOCKED')
          throw new Error(
            `${REPORT_REFUSAL.locked}: Kỳ báo cáo ${w.vi} đã khóa; cần yêu cầu mở lại và được Văn phòng phê duyệt`,
          );
        if (now() < opensAt) throw new Error(`${REPORT_REFUSAL.windowOpen}: ${spec.refusals.windowOpen}`);
        const head = input.parties.unitHead.personId;
        if (head !== undefined && principal(a) !== head)
          throw new Error(`${REPORT_REFUSAL.notUnitHead}: ${spec.refusals.notUnitHead}`);
      },
    },
  );

  if (locking) {
    setHandler(
      requestReportReopen,
      async (a) => {
        const prior = seen<ReportReopenResult>();
        if (prior) return prior[1];
        const number = s.reopens.length + 1;
        const reason = a.reason.trim();
        s.reopens.push({
          number,
          by: a.by,
          ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
          reason,
          requestedOn: today(),
        });
        const step = `reopen:${number}`;
        const due = cal.addWorkingDays(cal.nextWorkingDay(today()), input.reopenDecideWorkingDays ?? 2);
        const rungs = reopenDecisionRungs(input, due);
        const t = now();
        let fired = rungs.findIndex((r) => r.at > t);
        if (fired < 0) fired = rungs.length;
        const item: OpenItem = {
          kind: 'decide',
          taskId: `${wfId}:${step}`,
          step,
          dueDate: due,
          rungs,
          fired,
        };
        cur = item;
        push({
          t: 'reopen-request',
          input: {
            id: item.taskId,
            kind: reportKind,
            unitId: input.unitId,
            period: input.period,
            workflowId: wfId,
            number,
            by: a.by,
            reason,
            ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
          },
        });
        push({
          t: 'open',
          input: {
            id: item.taskId,
            workflowId: wfId,
            updateName: 'decideReportReopen',
            kind: `${spec.taskKind}.reopen`,
            subjectType: spec.subjectType,
            subjectId,
            assignee: input.parties.secretariat,
            dueAt: endOfVnDay(due),
            logicalDueDate: due,
            details: { period: input.period, unitId: input.unitId, number, reason },
            actor: a.by,
            notify: decideMessage(
              `task:${item.taskId}`,
              [input.parties.secretariat],
              `${spec.taskKind}.reopen.task`,
              { vi: 'Việc mới', en: 'New task' },
              due,
              { vi: `Lý do: ${reason}`, en: `Reason: ${reason}` },
            ),
          },
        });
        const r: ReportReopenResult = { phase: s.phase, number, taskId: item.taskId, dueDate: due };
        remember(r);
        const target = enqueued;
        changes++;
        await condition(() => flushed >= target);
        return r;
      },
      {
        validator: (a) => {
          if (seen()) return;
          checkActing(a);
          if (s.phase !== 'LOCKED')
            throw new Error(`${REPORT_REFUSAL.notLocked}: Kỳ báo cáo ${w.vi} không bị khóa`);
          if (decideItem())
            throw new Error(`${REPORT_REFUSAL.reopenPending}: Đã có yêu cầu mở lại đang chờ quyết định`);
          const head = input.parties.unitHead.personId;
          if (head !== undefined && principal(a) !== head)
            throw new Error(`${REPORT_REFUSAL.notUnitHead}: Chỉ thủ trưởng đơn vị yêu cầu mở lại kỳ báo cáo`);
          if (!textOk(a.reason))
            throw new Error(`${REPORT_REFUSAL.reasonRequired}: Cần nêu lý do mở lại (1–2000 ký tự)`);
        },
      },
    );

    setHandler(
      decideReportReopen,
      async (a) => {
        const prior = seen<ReportReopenResult>();
        if (prior) return prior[1];
        const item = decideItem()!;
        const req = s.reopens[s.reopens.length - 1]!;
        const comment = typeof a.comment === 'string' && a.comment.trim() ? a.comment.trim() : undefined;
        req.decision = a.approve ? 'approve' : 'reject';
        req.decidedBy = a.by;
        if (comment) req.comment = comment;
        cur = undefined;
        push({
          t: 'close',
          input: {
            id: item.taskId,
            status: 'done',
            by: a.by,
            ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
          },
        });
        let r: ReportReopenResult;
        if (a.approve) {
          const due = cal.addWorkingDays(cal.nextWorkingDay(today()), input.reopenSendWorkingDays ?? 2);
          req.dueDate = due;
          push({
            t: 'reopen-decision',
            input: {
              id: item.taskId,
              kind: reportKind,
              unitId: input.unitId,
              period: input.period,
              workflowId: wfId,
              approve: true,
              by: a.by,
              newDueDate: due,
              ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
              ...(comment ? { comment } : {}),
            },
          });
          const step = `send:r${req.number}`;
          openSend(
            {
              kind: 'send',
              taskId: `${wfId}:${step}`,
              step,
              dueDate: due,
              rungs: reportRungs(input, due),
              fired: 0,
            },
            a.by,
            { vi: 'Kỳ báo cáo được mở lại', en: 'Reporting period reopened' },
          );
          r = { phase: s.phase, number: req.number, taskId: sendItem.taskId, dueDate: due };
        } else {
          push({
            t: 'reopen-decision',
            input: {
              id: item.taskId,
              kind: reportKind,
              unitId: input.unitId,
              period: input.period,
              workflowId: wfId,
              approve: false,
              by: a.by,
              ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
              ...(comment ? { comment } : {}),
            },
          });
          const key = `reopen-rejected:${wfId}:${item.step}`;
          push({
            t: 'notify',
            input: {
              key,
              recipients: [input.parties.unitHead],
              kind: `${spec.taskKind}.reopen-rejected`,
              titleVi: `Yêu cầu mở lại kỳ báo cáo ${w.vi} ${input.period}${unit} bị từ chối`,
              titleEn: `Reopening the ${w.en} report ${input.period}${unit} refused`,
              bodyVi: `Yêu cầu mở lại số ${req.number} bị từ chối; kỳ báo cáo vẫn khóa.${comment ? ` Lý do: ${comment}` : ''}`,
              bodyEn: `Reopen request ${req.number} was refused; the period stays locked.${comment ? ` Reason: ${comment}` : ''}`,
              link,
              logicalDate: today(),
            },
          });
          r = { phase: s.phase, number: req.number };
        }
        remember(r);
        const target = enqueued;
        changes++;
        await condition(() => flushed >= target);
        return r;
      },
      {
        validator: (a) => {
          if (seen()) return;
          checkActing(a);
          if (s.phase !== 'LOCKED' || !decideItem())
            throw new Error(`${REPORT_REFUSAL.noReopenPending}: Không có yêu cầu mở lại đang chờ quyết định`);
          const head = input.parties.unitHead.personId;
          const req = s.reopens[s.reopens.length - 1];
          if (
            (head !== undefined && (principal(a) === head || a.by === head)) ||
            (req && (principal(a) === principal(req) || a.by === req.by))
          )
            throw new Error(
              `${REPORT_REFUSAL.selfDecide}: Không được tự quyết định yêu cầu mở lại của đơn vị mình`,
            );
          if (typeof a.approve !== 'boolean') throw new Error('Quyết định không hợp lệ (approve)');
          if (a.comment !== undefined && (typeof a.comment !== 'string' || a.comment.length > 2000))
            throw new Error('Ý kiến không hợp lệ (comment)');
          if (!a.approve && !textOk(a.comment))
            throw new Error(`${REPORT_REFUSAL.reasonRequired}: Từ chối cần nêu lý do (comment)`);
        },
      },
    );
  }

  // ---- deadline moves (patch 'unit-report-move-deadlines') ----
  /** Moves the open send item to `date`: re-plans its ladder (rungs of the new date already past are skipped, those
   *  ahead wait for their instants; overdue under the new date, the latest passed rung fires once; escalations already
   *  fired stay), re-dates its inbox task with a message to the unit head and records the move on the task. */
  const redate = (item: OpenItem, date: LocalDate, a: MoveReportDeadlinesArgs, t: number) => {
    const from = item.dueDate;
    item.dueDate = date;
    item.rungs = reportRungs(input, date);
    let next = item.rungs.findIndex((r) => r.at > t);
    if (next < 0) next = item.rungs.length;
    item.fired = endOfVnDay(date) <= t && next > 0 ? next - 1 : next;
    const key = `moved:${wfId}:${item.step}:${from}->${date}`;
    const reason = a.reason.trim();
    push({
      t: 'open',
      input: {
        id: item.taskId,
        workflowId: wfId,
        updateName: spec.updateName,
        kind: spec.taskKind,
        subjectType: spec.subjectType,
        subjectId,
        assignee: input.parties.unitHead,
        dueAt: endOfVnDay(date),
        logicalDueDate: date,
        details: { period: input.period, unitId: input.unitId },
        actor: a.by,
        notify: message(
          key,
          [input.parties.unitHead],
          `${spec.taskKind}.deadline-moved`,
          { vi: 'Đổi hạn', en: 'Deadline moved' },
          { vi: `Hạn cũ ${dmy(from)}. Lý do: ${reason}`, en: `Was ${dmy(from)}. Reason: ${reason}` },
          date,
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
          details: { from, to: date, reason },
        },
        audit,
      },
    });
    return { taskId: item.taskId, from, to: date };
  };
  /** The dates under the move's calendar and profile (the validator's look-ahead; the handler's own). */
  const movedDates = (a: MoveReportDeadlinesArgs) => {
    const moved: MonthlyUnitReportInput = {
      ...input,
      calendar: a.calendar,
      ...(a.profile ? { profile: a.profile } : {}),
    };
    const d = spec.datesOf!(moved);
    return { moved, ...d };
  };

  setHandler(
    moveReportDeadlines,
    async (a): Promise<MoveReportDeadlinesResult> => {
      const prior = seen<MoveReportDeadlinesResult>();
      if (prior) return prior[1];
      if (!patched(PATCH_REPORT_MOVE_DEADLINES))
        throw new Error(`${REPORT_REFUSAL.notMovable}: Phiên bản quy trình chưa hỗ trợ đổi hạn`);
      const t = now();
      const before = {
        opensOn,
        dueDate: sendItem.dueDate,
        ...(s.lock ? { lockOn: s.lock.date } : {}),
      };
      const d = movedDates(a);
      input.calendar = d.moved.calendar;
      if (a.profile) {
        input.profile = a.profile;
        cal = workingCalendar(a.profile);
      }
      opensAt = d.opensAt;
      opensOn = d.opensOn;
      dueDate = d.dueDate;
      const redated: MoveReportDeadlinesResult['redated'] = [];
      if (s.phase === 'WAITING') {
        // Not open yet: the task opens at the new instant, due the new date, with the new ladder.
        sendItem = { ...sendItem, dueDate, rungs: reportRungs(input, dueDate), fired: 0 };
        catchUpAtOpening = true;
      } else if (s.phase === 'OPEN' && cur === sendItem) {
        if (dueDate !== sendItem.dueDate) redated.push(redate(sendItem, dueDate, a, t));
        else if (a.profile) {
          // Same date, other working days: the rungs' days may differ; those already past are not fired again.
          sendItem.rungs = reportRungs(input, dueDate);
          const next = sendItem.rungs.findIndex((r) => r.at > t);
          sendItem.fired = next < 0 ? sendItem.rungs.length : next;
        }
        // The period lock follows (a move closing the window in the past was refused).
        if (locking) {
          const date = reportLockDate(input, sendItem.dueDate, sendItem.rungs);
          const at = endOfVnDay(date);
          if (at > t) s.lock = { date, at };
          else delete s.lock;
        }
      }
      moves++;
      push({
        t: 'deadline-move',
        input: {
          key: `moved:${wfId}:${moves}`,
          aggregateType: spec.subjectType,
          aggregateId: subjectId,
          action: `${spec.taskKind}.deadlines-moved`,
          workflowId: wfId,
          by: a.by,
          reason: a.reason.trim(),
          before,
          after: { opensOn, dueDate: sendItem.dueDate, ...(s.lock ? { lockOn: s.lock.date } : {}) },
          redated,
        },
      });
      const r: MoveReportDeadlinesResult = {
        phase: s.phase,
        opensOn,
        dueDate: sendItem.dueDate,
        redated,
        ...(s.lock ? { lockOn: s.lock.date } : {}),
      };
      remember(r);
      const target = enqueued;
      changes++;
      await condition(() => flushed >= target);
      return r;
    },
    {
      validator: (a) => {
        if (seen()) return;
        const no = (text: string) => new Error(`${REPORT_REFUSAL.notMovable}: ${text}`);
        if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
        if (!textOk(a.reason, 500))
          throw new Error(`${REPORT_REFUSAL.reasonRequired}: Cần nêu lý do đổi hạn (1–500 ký tự)`);
        if (!spec.datesOf) throw no('Báo cáo này không đổi hạn được');
        if (a.calendar?.planYear !== input.calendar.planYear || !Array.isArray(a.calendar.deadlines))
          throw no('Lịch không đúng năm kế hoạch của kỳ báo cáo');
        if (s.phase === 'SENT') throw no(`Báo cáo ${w.vi} đã được gửi; không đổi hạn được nữa`);
        if (s.phase === 'LOCKED')
          throw no(`Kỳ báo cáo ${w.vi} đã khóa; muốn gửi cần yêu cầu mở lại, không đổi hạn được`);
        if (s.reopens.length || sendItem.step !== 'send')
          throw no('Kỳ báo cáo đã được mở lại; hạn do quyết định mở lại ấn định, không đổi theo lịch');
        let d: ReturnType<typeof movedDates>;
        try {
          d = movedDates(a);
        } catch {
          throw no('Lịch không có hạn của kỳ báo cáo này');
        }
        // An open report whose window is still open would be locked in the past by the move: refused (a window
        // never armed at a late start stays so).
        if (locking && s.phase === 'OPEN' && s.lock) {
          const closes = reportLockDate(d.moved, d.dueDate, reportRungs(d.moved, d.dueDate));
          if (endOfVnDay(closes) <= now())
            throw no(
              `Với hạn mới ${dmy(d.dueDate)}, kỳ báo cáo đã khóa từ ${dmy(closes)}: không đổi hạn về quá khứ`,
            );
        }
      },
    },
  );

  // ---- main loop ----
  for (;;) {
    await flush();
    if (s.phase === 'WAITING' && now() >= opensAt) {
      openItem();
      continue;
    }
    if (processTime()) continue;
    if (lockIfDue()) continue;
    if (s.phase === 'SENT') {
      for (;;) {
        await flush();
        if (allHandlersFinished() && effects.length === 0) break;
        await condition(() => effects.length > 0 || allHandlersFinished());
      }
      return view();
    }
    const c = changes;
    const until = () => changes !== c || effects.length > 0;
    const rungAt = cur?.rungs[cur.fired]?.at;
    const lockAt = s.lock?.at;
    const next =
      s.phase === 'WAITING'
        ? opensAt
        : rungAt !== undefined && lockAt !== undefined
          ? Math.min(rungAt, lockAt)
          : (rungAt ?? lockAt);
    if (next !== undefined) await condition(until, realDelayUntil(warp, next));
    else await condition(until);
  }
}
