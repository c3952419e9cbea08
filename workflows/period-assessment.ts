// One person's period assessment (DESIGN §3 "each assessment period", RULES.md ND 335): waits until the day
// after the period's verification window (the calendar's `verify.<last month>` deadline; the next working day
// after it), computes the draft by an idempotent activity (task points from the verified check-ins with the
// engine's explanation), opens the direct manager's 'assessment.confirm' inbox task with the individual
// ladder's reminders, forwards a missed confirmation to the unit head on the grace day with the miss recorded
// (like the check-in verify forward), and ends when the manager confirms (Update confirmAssessment): the
// activity freezes the draft at the revision the manager saw, the person is notified. Waivers and
// general-criteria points are content (the API writes them and recomputes the draft), never messages here.
// The item, its rungs, the effect queue and the main loop are workflows/human-steps.ts's.
import { proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import { lastMonthOf } from '../domain/assessment/period.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { vnInstant, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  checkActing,
  humanSteps,
  individualRungs,
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
  type PeriodAssessmentInput,
} from './period-assessment.messages.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';

export * from './period-assessment.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/** The one human step: the direct manager's (or, forwarded, the unit head's) confirmation. */
type AssessmentItemKind = 'confirm';
type Item = StepItem<AssessmentItemKind>;

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
  const today = () => vnLocalDate(now());
  const cal = workingCalendar(input.profile);
  const opensOn = assessmentOpensOn(input);
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

  const steps = humanSteps<AssessmentItemKind, AssessmentUpdateResult>({
    acts,
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
      const prior = steps.seen();
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

  // ---- wait for the end of the verification window ----
  const openAt = vnInstant(opensOn);
  while (now() < openAt) await sleep(realDelayUntil(warp, openAt));

  await acts.computePeriodAssessment({ assessmentId: input.assessmentId, workflowId: wfId });
  phase = 'OPEN';
  steps.openItem(
    'confirm',
    'confirm',
    input.parties.supervisor,
    'supervisor',
    cal.addWorkingDays(opensOn, input.confirmWorkingDays ?? 5),
    SYSTEM,
  );

  await steps.run({ done: () => phase === 'CONFIRMED' });
  return view();
}
