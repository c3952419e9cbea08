// One person's year-end assessment (DESIGN §3 evaluation timeline, issue 8 points 1–2): waits for the plan-year
// calendar's `year-end.self-assessment` window (1/12, the next working day), computes the data through November
// and the provisional December estimate by an idempotent activity, opens the person's 'year-end.self' task due
// the window's last day (9/12) on the individual ladder (reminders, overdue reminders, escalations to the
// direct manager and the unit head); on the Update submitSelfAssessment (the draft's content is written by the
// API first, the Update carries its revision) it freezes the self-assessment and opens the direct manager's
// 'year-end.supervisor' task due `year-end.supervisor` (11/12; a late self-assessment gives the manager
// `lateSupervisorWorkingDays` from its day), with reminders and the forward to the unit head on the grace day;
// on submitSupervisorAssessment (points per criterion, comments: the engine scores and proposes a level) it
// either opens the organisation department's 'year-end.appraisal' task (when the unit type requires it; the
// input names the appraiser) with reminders, answered by submitAppraisal, or goes straight to 'ready' for the
// ranking. The item, its rungs, the effect queue and the main loop are workflows/human-steps.ts's.
import { patched, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { vnInstant, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import { RANK_LEVELS } from '../domain/rulesets/types.ts';
import {
  checkActing,
  humanSteps,
  individualRungs,
  LOCAL_ACTIVITY_OPTIONS,
  PATCH_STEP_EFFECTS_LOCAL,
  principal,
  type StepItem,
  type StepRung,
} from './human-steps.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';
import {
  getYearEndState,
  submitAppraisal,
  submitSelfAssessment,
  submitSupervisorAssessment,
  type YearEndAssessmentInput,
  type YearEndPhase,
  type YearEndUpdateResult,
  type YearEndView,
} from './year-end-assessment.messages.ts';

export * from './year-end-assessment.messages.ts';

const activityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
} as const;
const acts = proxyActivities<Activities>(activityOptions);
/** Run in the worker inside the workflow task (patch 'step-effects-local'), bounded to stay inside it
 *  (LOCAL_ACTIVITY_OPTIONS, workflows/human-steps.ts). */
const localActs = proxyLocalActivities<Activities>(LOCAL_ACTIVITY_OPTIONS);

type Kind = 'self' | 'supervisor' | 'appraisal';
type Item = StepItem<Kind>;

const SYSTEM = 'system:year-end-assessment';
const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
const laterOf = (a: LocalDate, b: LocalDate) => (a > b ? a : b);

const WHAT: Record<Kind, { vi: string; en: string }> = {
  self: { vi: 'Tự đánh giá cuối năm', en: 'Year-end self-assessment' },
  supervisor: { vi: 'Đánh giá cuối năm của người quản lý', en: "Supervisor's year-end assessment" },
  appraisal: { vi: 'Thẩm định đánh giá cuối năm', en: 'Appraisal of the year-end assessment' },
};

/** The rungs of an item: the person's self-assessment climbs the individual ladder (escalating to the direct
 *  manager, then the unit head); the manager's is reminded then forwarded to the unit head on the grace day
 *  (reminders only once forwarded); the organisation department's is reminded. */
export function yearEndRungs(
  item: Pick<Item, 'kind' | 'dueDate' | 'forwarded'>,
  input: YearEndAssessmentInput,
): StepRung[] {
  const shape =
    item.kind === 'self' ? 'ladder' : item.kind === 'supervisor' && !item.forwarded ? 'forward' : 'reminders';
  return individualRungs(input.profile, item.dueDate, input.ladder, shape);
}

/** The day the self-assessment opens: the first day of the calendar's `year-end.self-assessment` window. */
export function yearEndOpensOn(input: Pick<YearEndAssessmentInput, 'calendar'>): LocalDate {
  const w = input.calendar.windows.find((x) => x.id === 'year-end.self-assessment');
  if (!w)
    throw new RangeError(`no year-end.self-assessment window in the ${input.calendar.planYear} calendar`);
  return w.from;
}

export async function yearEndAssessmentWorkflow(input: YearEndAssessmentInput): Promise<YearEndView> {
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const today = () => vnLocalDate(steps.clock());
  const cal = workingCalendar(input.profile);
  const opensOn = yearEndOpensOn(input);
  const selfDue = deadlineById(input.calendar, 'year-end.self-assessment').date;
  const supervisorDue = deadlineById(input.calendar, 'year-end.supervisor').date;
  const who = input.personName ?? '';
  const link = `/evaluation/supervisor/${input.assessmentId}`;
  let phase: YearEndPhase = 'WAITING';
  let lateSelf = false;
  let busy = false;
  const misses: YearEndView['misses'] = [];
  const results: YearEndUpdateResult[] = [];
  const seenUpdates: [string, YearEndUpdateResult][] = [];

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    item: Item,
    extra?: { vi?: string; en?: string },
  ): NotifyInput => {
    const name = who ? ` — ${who}` : '';
    const due = dmy(item.dueDate);
    const what = WHAT[item.kind];
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: ${what.vi} năm ${input.year}${name} — hạn ${due}`,
      titleEn: `${title.en}: ${what.en} ${input.year}${name} — due ${due}`,
      bodyVi: `${what.vi} năm ${input.year}${name}: hạn ${due}.${extra?.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `${what.en} ${input.year}${name}: due ${due}.${extra?.en ? ` ${extra.en}` : ''}`,
      link: item.kind === 'self' ? '/evaluation/self' : link,
      logicalDate: item.dueDate,
    };
  };

  const steps = humanSteps<Kind, YearEndUpdateResult>({
    acts,
    localActs,
    system: SYSTEM,
    subject: { type: 'year_end_assessment', id: input.assessmentId },
    notifyPrefix: 'year-end',
    kinds: {
      self: { task: 'year-end.self', update: 'submitSelfAssessment' },
      supervisor: { task: 'year-end.supervisor', update: 'submitSupervisorAssessment' },
      appraisal: { task: 'year-end.appraisal', update: 'submitAppraisal' },
    },
    rungs: (item) => yearEndRungs(item, input),
    message,
    details: () => ({ year: input.year, personId: input.personId, assessmentId: input.assessmentId }),
    parties: input.parties,
    profile: input.profile,
    forwardWorkingDays: input.forwardWorkingDays ?? 2,
    misses,
    seenUpdates,
    timeWarp: warp,
  });

  const view = (): YearEndView => ({
    phase,
    opensOn,
    selfDue,
    items: steps.items.map((i) => ({
      taskId: i.taskId,
      kind: i.kind,
      dueDate: i.dueDate,
      partyRole: i.partyRole,
      forwarded: i.forwarded === true,
      escalation: i.escalation,
    })),
    misses: [...misses],
    lateSelf,
    results: [...results],
  });
  setHandler(getYearEndState, view);

  const result = (
    r: {
      status: string;
      selfScore: string | null;
      supervisorScore: string | null;
      proposedLevel: string | null;
    },
    by: string,
  ): YearEndUpdateResult => ({
    phase,
    status: r.status,
    selfScore: r.selfScore,
    supervisorScore: r.supervisorScore,
    proposedLevel: r.proposedLevel,
    by,
    date: today(),
  });
  const closeAll = (kind: Kind, by: string, a?: { by: string; onBehalfOf?: string }) => {
    for (const item of steps.items.filter((i) => i.kind === kind)) steps.closeItem(item, 'done', by, a);
  };
  const notifyPerson = (key: string, vi: string, en: string) =>
    steps.push({
      t: 'notify',
      input: {
        key: `${steps.workflowId}:${key}`,
        recipients: [input.parties.person],
        kind: `year-end.${key}`,
        titleVi: vi,
        titleEn: en,
        bodyVi: vi,
        bodyEn: en,
        link: '/evaluation/self',
        logicalDate: today(),
      },
    });
  const guard = (expected: YearEndPhase, vi: string) => {
    if (busy) throw new Error('Đang xử lý một thao tác khác trên phiếu đánh giá cuối năm');
    if (phase !== expected) throw new Error(vi);
  };

  const toReady = async (by: string) => {
    await acts.markYearEndReady({ assessmentId: input.assessmentId });
    phase = 'READY';
    notifyPerson(
      'ready',
      `Đánh giá cuối năm ${input.year} của bạn đã hoàn tất các bước, chờ xếp loại`,
      `Your year-end assessment ${input.year} is complete and awaits the ranking`,
    );
    void by;
  };

  setHandler(
    submitSelfAssessment,
    async (a) => {
      const prior = steps.startUpdate();
      if (prior) return prior[1];
      busy = true;
      try {
        const late = today() > selfDue;
        const r = await acts.submitYearEndSelf({
          assessmentId: input.assessmentId,
          by: principal(a),
          revision: a.revision,
          ...(late ? { late: true } : {}),
        });
        lateSelf = late;
        closeAll('self', a.by, a);
        phase = 'SUPERVISOR';
        const due = late
          ? laterOf(supervisorDue, cal.addWorkingDays(today(), input.lateSupervisorWorkingDays ?? 2))
          : supervisorDue;
        steps.openItem('supervisor', 'supervisor', input.parties.supervisor, 'supervisor', due, principal(a));
        const res = result(r, principal(a));
        results.push(res);
        return await steps.reply(res);
      } finally {
        busy = false;
      }
    },
    {
      validator: (a) => {
        if (steps.seen()) return;
        checkActing(a);
        guard(
          'SELF',
          phase === 'WAITING'
            ? 'Chưa đến thời gian tự đánh giá cuối năm'
            : 'Phiếu tự đánh giá cuối năm đã được nộp',
        );
        if (principal(a) !== input.personId)
          throw new Error('Chỉ người được đánh giá mới nộp phiếu tự đánh giá');
        if (!Number.isInteger(a.revision) || a.revision < 0)
          throw new Error('Phiên bản không hợp lệ (revision)');
      },
    },
  );

  setHandler(
    submitSupervisorAssessment,
    async (a) => {
      const prior = steps.startUpdate();
      if (prior) return prior[1];
      busy = true;
      try {
        const r = await acts.submitYearEndSupervisor({
          assessmentId: input.assessmentId,
          by: principal(a),
          points: a.points,
          comments: a.comments,
        });
        closeAll('supervisor', a.by, a);
        if (input.appraiser) {
          phase = 'APPRAISAL';
          const due = cal.addWorkingDays(laterOf(today(), supervisorDue), input.appraisalWorkingDays ?? 2);
          steps.openItem('appraisal', 'appraisal', input.appraiser, 'unit-head', due, principal(a));
        } else await toReady(principal(a));
        const res = result(r, principal(a));
        results.push(res);
        return await steps.reply(res);
      } finally {
        busy = false;
      }
    },
    {
      validator: (a) => {
        if (steps.seen()) return;
        checkActing(a);
        guard('SUPERVISOR', 'Phiếu đánh giá cuối năm chưa ở bước người quản lý đánh giá');
        if (principal(a) === input.personId) throw new Error('Không được tự đánh giá thay người quản lý');
        // A party named by role (no holder found on the opening day) is left to the API's authorization.
        const allowed = [input.parties.supervisor.personId, input.parties.unitHead.personId].filter(Boolean);
        if (input.parties.supervisor.personId && !allowed.includes(principal(a)))
          throw new Error('Người thực hiện không phải người quản lý trực tiếp hoặc người đứng đầu đơn vị');
        if (typeof a.points !== 'object' || a.points === null || Array.isArray(a.points))
          throw new Error('Điểm các tiêu chí không hợp lệ (points)');
        for (const v of Object.values(a.points))
          if (typeof v !== 'string' || !/^\d{1,3}(\.\d{1,2})?$/.test(v))
            throw new Error('Điểm tiêu chí không hợp lệ');
        if (typeof a.comments !== 'string' || a.comments.length > 4000)
          throw new Error('Nhận xét không hợp lệ (tối đa 4.000 ký tự)');
      },
    },
  );

  setHandler(
    submitAppraisal,
    async (a) => {
      const prior = steps.startUpdate();
      if (prior) return prior[1];
      busy = true;
      try {
        const r = await acts.submitYearEndAppraisal({
          assessmentId: input.assessmentId,
          by: a.by,
          agrees: a.agrees,
          ...(a.level ? { level: a.level } : {}),
          comment: a.comment,
        });
        closeAll('appraisal', a.by);
        await toReady(a.by);
        const res = result({ ...r, status: 'ready' }, a.by);
        results.push(res);
        return await steps.reply(res);
      } finally {
        busy = false;
      }
    },
    {
      validator: (a) => {
        if (steps.seen()) return;
        checkActing(a);
        guard('APPRAISAL', 'Phiếu đánh giá cuối năm chưa ở bước thẩm định');
        if (a.by === input.personId) throw new Error('Không được tự thẩm định phiếu đánh giá của mình');
        if (typeof a.agrees !== 'boolean') throw new Error('Thiếu ý kiến thẩm định (agrees)');
        if (!a.agrees && (!a.level || !RANK_LEVELS.includes(a.level)))
          throw new Error('Khi không đồng ý, cần nêu mức xếp loại đề xuất (level)');
        if (typeof a.comment !== 'string' || a.comment.trim() === '' || a.comment.length > 4000)
          throw new Error('Cần có ý kiến thẩm định (1–4.000 ký tự)');
      },
    },
  );

  // ---- wait for the self-assessment window ----
  const openAt = vnInstant(opensOn);
  while (now() < openAt) await sleep(realDelayUntil(warp, openAt));
  steps.tick();

  // Local with the machinery's effects that follow it: the window opens in one workflow task.
  await (patched(PATCH_STEP_EFFECTS_LOCAL) ? localActs : acts).openYearEndAssessment({
    assessmentId: input.assessmentId,
    workflowId: steps.workflowId,
  });
  phase = 'SELF';
  steps.openItem('self', 'self', input.parties.person, 'person', laterOf(selfDue, today()), SYSTEM);

  await steps.run({ done: () => phase === 'READY' });
  return view();
}
