// One person's period assessment (DESIGN §3 "each assessment period", RULES.md ND 335): waits until the day
// after the period's verification window (the calendar's `verify.<last month>` deadline; the next working day
// after it), computes the draft by an idempotent activity (task points from the verified check-ins with the
// engine's explanation), opens the direct manager's 'assessment.confirm' inbox task with the individual
// ladder's reminders, forwards a missed confirmation to the unit head on the grace day with the miss recorded
// (like the check-in verify forward), and ends when the manager confirms (Update confirmAssessment): the
// activity freezes the draft at the revision the manager saw, the person is notified. Waivers and
// general-criteria points are content (the API writes them and recomputes the draft), never messages here.
// The item, its rungs, the effect queue and the main loop are workflows/human-steps.ts's.
//
// Deadline moves (patch 'period-assessment-move-deadlines', issue 6): `moveAssessmentDeadlines` carries an
// administrator's move of `verify.<last month>` (or a changed working calendar) to the running assessment, sent by
// the calendar-change workflow. A run still WAITING opens the working day after the new verify date (the wait is
// a timer raced with the move, so a move wakes it; a run waiting with nothing moved issues the same timer as
// before). An OPEN, not yet forwarded confirm task is re-dated to `confirmWorkingDays` after the new opening day
// (openTask: task.rescheduled, the manager told) with its ladder re-planned (rungs already fired stay fired, those of
// the new date still ahead wait, an item overdue under the new date fires its latest passed rung once). The move is
// audited ('period_assessment.deadlines-moved'). Refused once CONFIRMED or forwarded.
import {
  condition,
  currentUpdateInfo,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { DeadlineMoveRecord } from '../activities/calendar-change.ts';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import { lastMonthOf } from '../domain/assessment/period.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, vnInstant, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  checkActing,
  humanSteps,
  individualRungs,
  LOCAL_ACTIVITY_OPTIONS,
  principal,
  type StepItem,
  type StepRung,
} from './human-steps.ts';
import {
  type AssessmentPhase,
  type AssessmentUpdateResult,
  type AssessmentView,
  confirmAssessment,
  getAssessmentState,
  type MoveAssessmentDeadlinesArgs,
  type MoveAssessmentDeadlinesResult,
  moveAssessmentDeadlines,
  type PeriodAssessmentInput,
} from './period-assessment.messages.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';

export * from './period-assessment.messages.ts';

const activityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
} as const;
const acts = proxyActivities<Activities>(activityOptions);
/** Run in the worker inside the workflow task (patch 'step-effects-local'), bounded to stay inside it
 *  (LOCAL_ACTIVITY_OPTIONS, workflows/human-steps.ts). */
const localActs = proxyLocalActivities<Activities>(LOCAL_ACTIVITY_OPTIONS);

/** The one human step: the direct manager's (or, forwarded, the unit head's) confirmation. */
type AssessmentItemKind = 'confirm';
type Item = StepItem<AssessmentItemKind>;
type AssessmentEffect = { t: 'deadline-move'; input: DeadlineMoveRecord };

/** Deadline moves reaching a running period assessment (the moveAssessmentDeadlines Update). */
export const PATCH_ASSESSMENT_MOVE_DEADLINES = 'period-assessment-move-deadlines';

const SYSTEM = 'system:period-assessment';
const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** The rungs of the confirm item: reminders, then the forward to the unit head on the grace day; a forwarded
 *  item gets the reminders and overdue reminders only (the unit head is the last level inside the unit). */
export function assessmentRungs(
  item: Pick<Item, 'dueDate' | 'forwarded'>,
  input: PeriodAssessmentInput,
): StepRung[] {
  return individualRungs(input.profile, item.dueDate, input.ladder, item.forwarded ? 'reminders' : 'forward');
}

/** The day the confirm task opens: the working day after the period's verification deadline. */
export function assessmentOpensOn(
  input: Pick<PeriodAssessmentInput, 'calendar' | 'profile' | 'period'>,
): LocalDate {
  const verify = deadlineById(input.calendar, `verify.${lastMonthOf(input.period)}`);
  return workingCalendar(input.profile).addWorkingDays(verify.date, 1);
}

export async function periodAssessmentWorkflow(input: PeriodAssessmentInput): Promise<AssessmentView> {
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const today = () => vnLocalDate(steps.clock());
  let cal = workingCalendar(input.profile);
  let opensOn = assessmentOpensOn(input);
  /** Deadline moves applied; the waiting loop wakes on a change of it. */
  let moves = 0;
  const who = input.personName ?? '';
  let phase: AssessmentPhase = 'WAITING';
  const misses: AssessmentView['misses'] = [];
  let confirmed: AssessmentUpdateResult | undefined;
  const seenUpdates: [string, AssessmentUpdateResult][] = [];
  let busy = false;
  const link = `/assessments/${input.assessmentId}`;

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    item: Item,
  ): NotifyInput => {
    const name = who ? ` — ${who}` : '';
    const due = dmy(item.dueDate);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: Đánh giá kỳ ${input.period}${name} — hạn ${due}`,
      titleEn: `${title.en}: Period assessment ${input.period}${name} — due ${due}`,
      bodyVi: `Đánh giá kết quả thực hiện nhiệm vụ kỳ ${input.period}${name}: hạn ${due}.`,
      bodyEn: `Assessment of the period ${input.period}${name}: due ${due}.`,
      link,
      logicalDate: item.dueDate,
    };
  };

  const steps = humanSteps<AssessmentItemKind, AssessmentUpdateResult, AssessmentEffect>({
    acts,
    localActs,
    runEffect: (e) => acts.recordDeadlineMove(e.input),
    system: SYSTEM,
    subject: { type: 'period_assessment', id: input.assessmentId },
    notifyPrefix: 'assessment',
    kinds: { confirm: { task: 'assessment.confirm', update: 'confirmAssessment' } },
    rungs: (item) => assessmentRungs(item, input),
    message,
    details: () => ({ period: input.period, personId: input.personId }),
    parties: input.parties,
    profile: input.profile,
    forwardWorkingDays: input.forwardWorkingDays ?? 2,
    misses,
    seenUpdates,
    timeWarp: warp,
  });
  const wfId = steps.workflowId;

  const view = (): AssessmentView => ({
    phase,
    opensOn,
    items: steps.items.map((i) => ({
      taskId: i.taskId,
      dueDate: i.dueDate,
      partyRole: i.partyRole,
      forwarded: i.forwarded === true,
    })),
    misses: [...misses],
    ...(confirmed ? { confirmed } : {}),
  });
  setHandler(getAssessmentState, view);

  setHandler(
    confirmAssessment,
    async (a) => {
      const prior = steps.startUpdate();
      if (prior) return prior[1];
      // A repeated confirmation by the confirmer answers the first result.
      if (phase === 'CONFIRMED' && confirmed) return confirmed;
      busy = true;
      try {
        const r = await acts.confirmPeriodAssessment({
          assessmentId: input.assessmentId,
          by: a.by,
          revision: a.revision,
          ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
        });
        for (const item of steps.items) steps.closeItem(item, 'done', a.by, a);
        phase = 'CONFIRMED';
        confirmed = { phase, revision: r.revision, total: r.total, confirmedBy: principal(a), date: today() };
        steps.push({
          t: 'notify',
          input: {
            key: `${wfId}:confirmed`,
            recipients: [input.parties.person],
            kind: 'assessment.confirmed',
            titleVi: `Kết quả đánh giá kỳ ${input.period}: ${r.total ?? '—'} điểm`,
            titleEn: `Assessment of ${input.period}: ${r.total ?? '—'} points`,
            bodyVi: `Người quản lý trực tiếp đã xác nhận kết quả đánh giá kỳ ${input.period} của bạn.`,
            bodyEn: `Your direct manager confirmed your assessment of ${input.period}.`,
            link,
            logicalDate: today(),
          },
        });
        return await steps.reply(confirmed);
      } finally {
        busy = false;
      }
    },
    {
      validator: (a) => {
        if (steps.seen()) return;
        checkActing(a);
        if (principal(a) === input.personId || a.by === input.personId)
          throw new Error('Không được tự xác nhận kết quả đánh giá của mình');
        if (phase === 'CONFIRMED') {
          if (confirmed && principal(a) === confirmed.confirmedBy) return;
          throw new Error('Kết quả đánh giá đã được xác nhận');
        }
        if (phase !== 'OPEN') throw new Error('Chưa đến kỳ xác nhận kết quả đánh giá');
        if (busy) throw new Error('Đang xử lý một lần xác nhận khác');
        if (!Number.isInteger(a.revision) || a.revision < 0)
          throw new Error('Phiên bản không hợp lệ (revision)');
        const item = steps.items[0];
        const allowed = [item?.party.personId, input.parties.unitHead.personId].filter(Boolean);
        if (item?.party.personId && !allowed.includes(principal(a)))
          throw new Error('Người thực hiện không có quyền xác nhận kết quả đánh giá này');
      },
    },
  );

  // ---- deadline moves (patch 'period-assessment-move-deadlines') ----
  const textOk = (x: unknown, max: number) =>
    typeof x === 'string' && x.trim().length >= 1 && x.length <= max;
  const confirmDue = (on: LocalDate) => cal.addWorkingDays(on, input.confirmWorkingDays ?? 5);
  /** Moves the open confirm item to `date`: re-plans its ladder, re-dates its inbox task, records it on the task. */
  const redate = (item: Item, date: LocalDate, a: MoveAssessmentDeadlinesArgs, t: number) => {
    const from = item.dueDate;
    item.dueDate = date;
    item.dueAt = endOfVnDay(date);
    const rungs = assessmentRungs(item, input);
    let next = rungs.findIndex((r) => r.at > t);
    if (next < 0) next = rungs.length;
    item.fired = item.dueAt <= t && next > 0 ? next - 1 : next;
    const key = `moved:${wfId}:${item.step}:${from}->${date}`;
    const reason = a.reason.trim();
    const m = message(
      key,
      [item.party],
      'assessment.deadline-moved',
      { vi: 'Đổi hạn', en: 'Deadline moved' },
      item,
    );
    steps.push({
      t: 'open',
      input: {
        id: item.taskId,
        workflowId: wfId,
        updateName: 'confirmAssessment',
        kind: 'assessment.confirm',
        subjectType: 'period_assessment',
        subjectId: input.assessmentId,
        assignee: item.party,
        dueAt: item.dueAt,
        logicalDueDate: date,
        details: { period: input.period, personId: input.personId },
        actor: a.by,
        notify: {
          ...m,
          bodyVi: `${m.bodyVi} Hạn cũ ${dmy(from)}. Lý do: ${reason}`,
          bodyEn: `${m.bodyEn} Was ${dmy(from)}. Reason: ${reason}`,
        },
      },
    });
    steps.push({
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
        audit: steps.audit,
      },
    });
    return { taskId: item.taskId, from, to: date };
  };

  setHandler(
    moveAssessmentDeadlines,
    async (a): Promise<MoveAssessmentDeadlinesResult> => {
      const prior = steps.startUpdate();
      if (prior) return prior[1] as unknown as MoveAssessmentDeadlinesResult;
      if (!patched(PATCH_ASSESSMENT_MOVE_DEADLINES))
        throw new Error('Phiên bản quy trình chưa hỗ trợ đổi hạn');
      const t = now();
      const item = steps.items[0];
      const before = { opensOn, ...(item ? { dueDate: item.dueDate } : {}) };
      input.calendar = a.calendar;
      if (a.profile) {
        input.profile = a.profile;
        cal = workingCalendar(a.profile);
      }
      opensOn = assessmentOpensOn(input);
      const redated: MoveAssessmentDeadlinesResult['redated'] = [];
      if (phase === 'OPEN' && item && !item.forwarded) {
        const due = confirmDue(opensOn);
        if (due !== item.dueDate) redated.push(redate(item, due, a, t));
      }
      moves++;
      const record: DeadlineMoveRecord = {
        key: `moved:${wfId}:${moves}`,
        aggregateType: 'period_assessment',
        aggregateId: input.assessmentId,
        action: 'period_assessment.deadlines-moved',
        workflowId: wfId,
        by: a.by,
        reason: a.reason.trim(),
        before,
        after: { opensOn, ...(steps.items[0] ? { dueDate: steps.items[0].dueDate } : {}) },
        redated,
      };
      const r: MoveAssessmentDeadlinesResult = { phase, opensOn, redated };
      if (phase === 'WAITING') {
        // The main loop has not started (nothing flushes the effects yet): the record is written here, and the
        // waiting loop, woken by `moves`, reads the new opening day.
        await acts.recordDeadlineMove(record);
        const id = currentUpdateInfo()?.id;
        if (id !== undefined) seenUpdates.push([id, r as unknown as AssessmentUpdateResult]);
        return r;
      }
      steps.push({ t: 'deadline-move', input: record });
      return (await steps.reply(
        r as unknown as AssessmentUpdateResult,
      )) as unknown as MoveAssessmentDeadlinesResult;
    },
    {
      validator: (a) => {
        if (steps.seen()) return;
        if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
        if (!textOk(a.reason, 500)) throw new Error('Cần nêu lý do đổi hạn (1–500 ký tự)');
        if (a.calendar?.planYear !== input.calendar.planYear || !Array.isArray(a.calendar.deadlines))
          throw new Error('Lịch không đúng năm kế hoạch của kỳ đánh giá');
        if (!a.calendar.deadlines.some((d: { id: string }) => d.id === `verify.${lastMonthOf(input.period)}`))
          throw new Error(`Lịch không có hạn xác nhận verify.${lastMonthOf(input.period)}`);
        if (phase === 'CONFIRMED')
          throw new Error('Kết quả đánh giá đã được xác nhận; không đổi hạn được nữa');
        if (steps.items[0]?.forwarded)
          throw new Error('Việc xác nhận đã chuyển thủ trưởng đơn vị; hạn không đổi theo lịch');
      },
    },
  );

  // ---- wait for the end of the verification window (a move wakes the wait and re-reads the opening day) ----
  for (let openAt = vnInstant(opensOn); now() < openAt; openAt = vnInstant(opensOn)) {
    const m = moves;
    await condition(() => moves !== m, realDelayUntil(warp, openAt));
  }

  await acts.computePeriodAssessment({ assessmentId: input.assessmentId, workflowId: wfId });
  steps.tick();
  phase = 'OPEN';
  steps.openItem('confirm', 'confirm', input.parties.supervisor, 'supervisor', confirmDue(opensOn), SYSTEM);

  await steps.run({ done: () => phase === 'CONFIRMED' });
  return view();
}
