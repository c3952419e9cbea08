// One person's period assessment (DESIGN §3 "each assessment period", RULES.md ND 335): waits until the day
// after the period's verification window (the calendar's `verify.<last month>` deadline; the next working day
// after it), computes the draft by an idempotent activity (task points from the verified check-ins with the
// engine's explanation), opens the direct manager's 'assessment.confirm' inbox task with the individual
// ladder's reminders, forwards a missed confirmation to the unit head on the grace day with the miss recorded
// (like the check-in verify forward), and ends when the manager confirms (Update confirmAssessment): the
// activity freezes the draft at the revision the manager saw, the person is notified. Waivers and
// general-criteria points are content (the API writes them and recomputes the draft), never messages here.
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { CloseTaskInput, FireRungInput, OpenTaskInput } from '../activities/tasks.ts';
import { lastMonthOf } from '../domain/assessment/period.ts';
import { DEFAULT_LADDER_SETTINGS, escalationLadder, type RecipientRole } from '../domain/calendar/ladder.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, vnInstant, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  type AssessmentPhase,
  type AssessmentUpdateResult,
  type AssessmentView,
  type ConfirmAssessmentArgs,
  confirmAssessment,
  getAssessmentState,
  type PeriodAssessmentInput,
} from './period-assessment.messages.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';

export * from './period-assessment.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

type Effect =
  | { t: 'open'; input: OpenTaskInput }
  | { t: 'close'; input: CloseTaskInput }
  | { t: 'rung'; input: FireRungInput }
  | { t: 'notify'; input: NotifyInput };

interface Item {
  taskId: string;
  step: string;
  party: AssigneeRef;
  partyRole: 'supervisor' | 'unit-head';
  dueDate: LocalDate;
  dueAt: number;
  fired: number;
  forwarded: boolean;
}

interface Rung {
  index: number;
  action: 'remind' | 'overdue-remind' | 'forward';
  recipientRole: RecipientRole;
  offset: number;
  date: LocalDate;
  at: number;
}

const SYSTEM = 'system:period-assessment';
const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** The rungs of the confirm item: reminders, then the forward to the unit head on the grace day; a forwarded
 *  item gets the reminders and overdue reminders only (the unit head is the last level inside the unit). */
export function assessmentRungs(
  item: Pick<Item, 'dueDate' | 'forwarded'>,
  input: PeriodAssessmentInput,
): Rung[] {
  const settings = input.ladder ?? DEFAULT_LADDER_SETTINGS;
  const ladder = escalationLadder(input.profile, item.dueDate, { scope: 'individual' }, settings);
  const rungs = ladder.rungs
    .filter((r) => r.action === 'remind' || r.action === 'overdue-remind')
    .map((r) => ({ ...r, action: r.action as Rung['action'] }));
  if (item.forwarded) return rungs.map((r, index) => ({ ...r, index }));
  const date = workingCalendar(input.profile).addWorkingDays(ladder.dueDate, settings.graceDays);
  const forward = {
    offset: settings.graceDays,
    date,
    at: vnInstant(date, settings.fireAtHour),
    action: 'forward' as const,
    recipientRole: 'unit-head' as const,
  };
  return [...rungs.filter((r) => r.action === 'remind'), forward].map((r, index) => ({ ...r, index }));
}

/** The day the confirm task opens: the working day after the period's verification deadline. */
export function assessmentOpensOn(
  input: Pick<PeriodAssessmentInput, 'calendar' | 'profile' | 'period'>,
): LocalDate {
  const verify = deadlineById(input.calendar, `verify.${lastMonthOf(input.period)}`);
  return workingCalendar(input.profile).addWorkingDays(verify.date, 1);
}

export async function periodAssessmentWorkflow(input: PeriodAssessmentInput): Promise<AssessmentView> {
  const wfId = workflowInfo().workflowId;
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const today = () => vnLocalDate(now());
  const cal = workingCalendar(input.profile);
  const opensOn = assessmentOpensOn(input);
  const who = input.personName ?? '';
  let phase: AssessmentPhase = 'WAITING';
  let items: Item[] = [];
  const misses: AssessmentView['misses'] = [];
  let confirmed: AssessmentUpdateResult | undefined;
  const seenUpdates: [string, AssessmentUpdateResult][] = [];
  const effects: Effect[] = [];
  let enqueued = 0;
  let flushed = 0;
  let changes = 0;
  let busy = false;
  const push = (e: Effect) => {
    effects.push(e);
    enqueued++;
  };
  const audit = { aggregateType: 'period_assessment', aggregateId: input.assessmentId };

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    dueDate: LocalDate,
    link: string,
  ): NotifyInput => {
    const name = who ? ` — ${who}` : '';
    const due = dmy(dueDate);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: Đánh giá kỳ ${input.period}${name} — hạn ${due}`,
      titleEn: `${title.en}: Period assessment ${input.period}${name} — due ${due}`,
      bodyVi: `Đánh giá kết quả thực hiện nhiệm vụ kỳ ${input.period}${name}: hạn ${due}.`,
      bodyEn: `Assessment of the period ${input.period}${name}: due ${due}.`,
      link,
      logicalDate: dueDate,
    };
  };
  const link = `/assessments/${input.assessmentId}`;

  const openItem = (
    step: string,
    party: AssigneeRef,
    partyRole: Item['partyRole'],
    dueDate: LocalDate,
    forwarded: boolean,
  ) => {
    const item: Item = {
      taskId: `${wfId}:${step}`,
      step,
      party,
      partyRole,
      dueDate,
      dueAt: endOfVnDay(dueDate),
      fired: 0,
      forwarded,
    };
    const t = now();
    const rungs = assessmentRungs(item, input);
    item.fired = rungs.findIndex((r) => r.at > t);
    if (item.fired < 0) item.fired = rungs.length;
    items.push(item);
    push({
      t: 'open',
      input: {
        id: item.taskId,
        workflowId: wfId,
        updateName: 'confirmAssessment',
        kind: 'assessment.confirm',
        subjectType: 'period_assessment',
        subjectId: input.assessmentId,
        assignee: party,
        dueAt: item.dueAt,
        logicalDueDate: dueDate,
        details: { period: input.period, personId: input.personId },
        actor: SYSTEM,
        notify: message(
          `task:${item.taskId}`,
          [party],
          'assessment.task',
          { vi: 'Việc mới', en: 'New task' },
          dueDate,
          link,
        ),
      },
    });
  };

  const fire = (item: Item, r: Rung) => {
    const key = `escalate:${wfId}:${item.step}@${item.dueDate}:${r.index}`;
    const base = { taskId: item.taskId, actor: SYSTEM, logicalDate: r.date };
    if (r.action === 'remind' || r.action === 'overdue-remind') {
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
          notify: message(
            key,
            [item.party],
            `assessment.${r.action}`,
            overdue ? { vi: 'Quá hạn', en: 'Overdue' } : { vi: 'Nhắc việc', en: 'Reminder' },
            item.dueDate,
            link,
          ),
          audit,
        },
      });
      return;
    }
    // forward: the manager missed the deadline; the miss is recorded against them, the unit head confirms.
    misses.push({ step: item.step, role: item.partyRole, date: r.date });
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
    const due = cal.addWorkingDays(r.date, input.forwardWorkingDays ?? 2);
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
    items = items.filter((i) => i !== item);
    push({
      t: 'close',
      input: { id: item.taskId, status: 'cancelled', by: SYSTEM, reason: 'forwarded to unit-head' },
    });
    openItem(`${item.step}:fwd`, input.parties.unitHead, 'unit-head', due, true);
  };

  const processTime = (): boolean => {
    let acted = false;
    const t = now();
    for (let guard = 0; guard < 1000; guard++) {
      let fired = false;
      for (const item of [...items]) {
        const r = assessmentRungs(item, input)[item.fired];
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
      const e = effects[0]!;
      if (e.t === 'open') await acts.openTask(e.input);
      else if (e.t === 'close') await acts.closeTask(e.input);
      else if (e.t === 'rung') await acts.fireRung(e.input);
      else await acts.notify(e.input);
      effects.shift();
      flushed++;
    }
  };

  const principal = (a: ConfirmAssessmentArgs) => a.onBehalfOf ?? a.by;
  const seen = () => {
    const id = currentUpdateInfo()?.id;
    return id === undefined ? undefined : seenUpdates.find(([k]) => k === id);
  };

  const view = (): AssessmentView => ({
    phase,
    opensOn,
    items: items.map((i) => ({
      taskId: i.taskId,
      dueDate: i.dueDate,
      partyRole: i.partyRole,
      forwarded: i.forwarded,
    })),
    misses: [...misses],
    ...(confirmed ? { confirmed } : {}),
  });
  setHandler(getAssessmentState, view);

  setHandler(
    confirmAssessment,
    async (a) => {
      const prior = seen();
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
        for (const item of items)
          push({
            t: 'close',
            input: {
              id: item.taskId,
              status: 'done',
              by: a.by,
              ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}),
            },
          });
        items = [];
        phase = 'CONFIRMED';
        confirmed = { phase, revision: r.revision, total: r.total, confirmedBy: principal(a), date: today() };
        push({
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
        const id = currentUpdateInfo()?.id;
        if (id !== undefined) seenUpdates.push([id, confirmed]);
        const target = enqueued;
        changes++;
        await condition(() => flushed >= target);
        return confirmed;
      } finally {
        busy = false;
      }
    },
    {
      validator: (a) => {
        if (seen()) return;
        if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
        if (a.onBehalfOf !== undefined && (typeof a.onBehalfOf !== 'string' || a.onBehalfOf.trim() === ''))
          throw new Error('Người được ủy quyền không hợp lệ (onBehalfOf)');
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
        const item = items[0];
        const allowed = [item?.party.personId, input.parties.unitHead.personId].filter(Boolean);
        if (item?.party.personId && !allowed.includes(principal(a)))
          throw new Error('Người thực hiện không có quyền xác nhận kết quả đánh giá này');
      },
    },
  );

  // ---- wait for the end of the verification window ----
  const openAt = vnInstant(opensOn);
  while (now() < openAt) await sleep(realDelayUntil(warp, openAt));

  await acts.computePeriodAssessment({ assessmentId: input.assessmentId, workflowId: wfId });
  phase = 'OPEN';
  openItem(
    'confirm',
    input.parties.supervisor,
    'supervisor',
    cal.addWorkingDays(opensOn, input.confirmWorkingDays ?? 5),
    false,
  );

  for (;;) {
    await flush();
    if (processTime()) continue;
    if ((phase as AssessmentPhase) === 'CONFIRMED') {
      for (;;) {
        await flush();
        if (allHandlersFinished() && effects.length === 0) break;
        await condition(() => effects.length > 0 || allHandlersFinished());
      }
      return view();
    }
    const c = changes;
    const next = items
      .map((i) => assessmentRungs(i, input)[i.fired]?.at)
      .filter((x): x is number => x !== undefined);
    const until = () => changes !== c || effects.length > 0;
    if (next.length) await condition(until, realDelayUntil(warp, Math.min(...next)));
    else await condition(until);
  }
}
