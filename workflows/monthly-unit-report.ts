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
// Effects (task, rungs, notifications) are queued by handlers and timers and flushed by the main loop through
// idempotent activities (workflows/check-in.ts's structure); an Update waits until its effects are flushed. One
// month's run is short (a dozen events): no continue-as-new.

import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { FreezeMonthlyReportInput, FrozenMonthlyReport } from '../activities/monthly-unit-report.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { CloseTaskInput, FireRungInput, OpenTaskInput } from '../activities/tasks.ts';
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
  getMonthlyReportState,
  MONTHLY_REPORT_TASK_KIND,
  type MonthlyReportPhase,
  type MonthlyUnitReportInput,
  type MonthlyUnitReportView,
  REPORT_REFUSAL,
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
  | { t: 'notify'; input: NotifyInput };

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
  fired: number;
  escalation: number;
  sent?: { by: string; onBehalfOf?: string; date: LocalDate; pdfSha256: string; xlsxSha256: string };
  seenUpdates: [string, SendMonthlyReportResult][];
}

export async function monthlyUnitReportWorkflow(
  input: MonthlyUnitReportInput,
): Promise<MonthlyUnitReportView> {
  return runUnitReport(input, {
    dates: reportDates(input),
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

/** One report run of a unit: the task, its ladder and the send Update (see the head of this file). */
export async function runUnitReport(
  input: MonthlyUnitReportInput,
  spec: UnitReportSpec,
): Promise<MonthlyUnitReportView> {
  const SYSTEM = spec.system;
  const wfId = workflowInfo().workflowId;
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const today = () => vnLocalDate(now());
  const { opensAt, opensOn, dueDate } = spec.dates;
  const rungs = reportRungs(input, dueDate);
  const taskId = `${wfId}:send`;
  const subjectId = `${input.unitId}:${input.period}`;
  const audit = { aggregateType: spec.subjectType, aggregateId: subjectId };
  const link = `${spec.screen}?unitId=${encodeURIComponent(input.unitId)}&period=${encodeURIComponent(input.period)}`;
  const w = spec.word;
  const unit = input.unitName ? ` — ${input.unitName}` : '';
  const s: ReportState = { phase: 'WAITING', fired: 0, escalation: 0, seenUpdates: [] };
  const effects: Effect[] = [];
  let enqueued = 0;
  let flushed = 0;
  let changes = 0;
  let busy = false;
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
  ): NotifyInput => {
    const due = dmy(dueDate);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: Ký và gửi báo cáo ${w.vi} ${input.period} của đơn vị${unit} — hạn ${due}`,
      titleEn: `${title.en}: Sign and send the unit's ${w.en} report ${input.period}${unit} — due ${due}`,
      bodyVi: `Báo cáo ${w.vi} ${input.period}${unit}: hạn ${due}.${extra.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `${w.En} report ${input.period}${unit}: due ${due}.${extra.en ? ` ${extra.en}` : ''}`,
      link,
      logicalDate: dueDate,
    };
  };

  const openItem = () => {
    s.phase = 'OPEN';
    // Rungs already past when the task opens (a late start) are skipped.
    const t = now();
    s.fired = rungs.findIndex((r) => r.at > t);
    if (s.fired < 0) s.fired = rungs.length;
    push({
      t: 'open',
      input: {
        id: taskId,
        workflowId: wfId,
        updateName: spec.updateName,
        kind: spec.taskKind,
        subjectType: spec.subjectType,
        subjectId,
        assignee: input.parties.unitHead,
        dueAt: endOfVnDay(dueDate),
        logicalDueDate: dueDate,
        details: { period: input.period, unitId: input.unitId },
        actor: SYSTEM,
        notify: message(`task:${taskId}`, [input.parties.unitHead], `${spec.taskKind}.task`, {
          vi: 'Việc mới',
          en: 'New task',
        }),
      },
    });
  };

  const fire = (r: ReportRung) => {
    const key = `escalate:${wfId}:send@${dueDate}:${r.index}`;
    const base = { taskId, actor: SYSTEM, logicalDate: r.date, key };
    if (r.action !== 'escalate') {
      const overdue = r.action === 'overdue-remind';
      push({
        t: 'rung',
        input: {
          event: {
            ...base,
            kind: overdue ? 'overdue-reminded' : 'reminded',
            recipientRole: 'unit-head',
            details: { offset: r.offset },
          },
          notify: message(
            key,
            [input.parties.unitHead],
            `${spec.taskKind}.${r.action}`,
            overdue ? { vi: 'Quá hạn', en: 'Overdue' } : { vi: 'Nhắc việc', en: 'Reminder' },
          ),
          audit,
        },
      });
      return;
    }
    const rank = ESCALATION_RANK[r.recipientRole];
    s.escalation = Math.max(s.escalation, rank);
    const to =
      r.recipientRole === 'heads-manager' && input.parties.headsManager
        ? input.parties.headsManager
        : input.parties.secretariat;
    push({
      t: 'rung',
      input: {
        event: { ...base, kind: 'escalated', recipientRole: r.recipientRole, details: { offset: r.offset } },
        escalationLevel: rank,
        notify: message(
          key,
          [to],
          `${spec.taskKind}.escalated`,
          { vi: 'Chuyển cấp trên do quá hạn', en: 'Escalated: overdue' },
          { vi: `Quá hạn ${r.offset} ngày làm việc.`, en: `${r.offset} working days overdue.` },
        ),
        audit,
      },
    });
  };

  const processTime = (): boolean => {
    if (s.phase !== 'OPEN') return false;
    let acted = false;
    const t = now();
    for (let r = rungs[s.fired]; r && r.at <= t; r = rungs[s.fired]) {
      s.fired = r.index + 1;
      fire(r);
      acted = true;
    }
    return acted;
  };

  const flush = async () => {
    while (effects.length) {
      const e = effects[0]!;
      if (e.t === 'open') await acts.openTask(e.input);
      else if (e.t === 'close') await acts.closeTask(e.input);
      else if (e.t === 'rung') await acts.fireRung(e.input);
      else await acts.notify(e.input);
      effects.shift();
      flushed++;
    }
  };

  const seen = () => {
    const id = currentUpdateInfo()?.id;
    return id === undefined ? undefined : s.seenUpdates.find(([k]) => k === id);
  };
  const principal = (a: { by: string; onBehalfOf?: string }) => a.onBehalfOf ?? a.by;

  const view = (): MonthlyUnitReportView => ({
    phase: s.phase,
    opensOn,
    dueDate,
    taskId,
    escalation: s.escalation,
    ...(s.sent ? { sent: s.sent } : {}),
  });
  setHandler(spec.query, view);

  setHandler(
    spec.update,
    async (a) => {
      const prior = seen();
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
          id: taskId,
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
      const id = currentUpdateInfo()?.id;
      if (id !== undefined) s.seenUpdates.push([id, r]);
      const target = enqueued;
      changes++;
      await condition(() => flushed >= target);
      return r;
    },
    {
      validator: (a) => {
        if (seen()) return;
        if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
        if (a.onBehalfOf !== undefined && (typeof a.onBehalfOf !== 'string' || a.onBehalfOf.trim() === ''))
          throw new Error('Người được ủy quyền không hợp lệ (onBehalfOf)');
        if (a.number !== undefined && (typeof a.number !== 'string' || !/^\S.{0,19}$/u.test(a.number)))
          throw new Error('Số văn bản không hợp lệ (number)');
        if (busy) throw new Error('Đang xử lý một lần gửi khác');
        if (s.phase === 'SENT')
          throw new Error(`${REPORT_REFUSAL.alreadySent}: ${spec.refusals.alreadySent}`);
        if (now() < opensAt) throw new Error(`${REPORT_REFUSAL.windowOpen}: ${spec.refusals.windowOpen}`);
        const head = input.parties.unitHead.personId;
        if (head !== undefined && principal(a) !== head)
          throw new Error(`${REPORT_REFUSAL.notUnitHead}: ${spec.refusals.notUnitHead}`);
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
    const next = s.phase === 'WAITING' ? opensAt : rungs[s.fired]?.at;
    if (next !== undefined) await condition(until, realDelayUntil(warp, next));
    else await condition(until);
  }
}
