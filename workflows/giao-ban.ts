// The giao ban of one province and session (issue 7 point 2): '2027-Q2' reviews the second quarter of 2027 (it
// sits on the 20th of July), '2027-year' is the December year-end review session. Started by the check-in
// opening of the month after the quarter (1 December for the year-end session), it runs the phases of the
// contract, each projected to giao_ban_session by an idempotent activity (activities/giao-ban.ts):
// - REPORTING from the start (the units send their quarterly reports; the API reads who has);
// - at 00:00 (Asia/Ho_Chi_Minh) of the dossier day (2 working days before the session) the agenda and one dossier
//   per unit are frozen (DOSSIERS_SENT) and the participants — the secretariat and the standing committee of the
//   province, each unit's head — are notified ('giao-ban.dossiers');
// - at 00:00 of the session day: IN_SESSION and the secretariat's task 'giao-ban.conclude' (role-assigned at the
//   province), due the conclusions deadline (2 working days after), with the unit-level ladder's reminders and
//   overdue reminders to the secretariat and, at its first escalation rung, the escalation to the standing
//   committee. Update `recordGiaoBanConclusion` records (revises) a unit's conclusion; `publishGiaoBanConclusions`
//   needs one for every unit on the agenda;
// - PUBLISHED: the minutes are frozen with their PDF, each direction becomes a giao_ban_direction row and a task
//   'giao-ban.direction' of the unit head, everyone is notified ('giao-ban.published'), and each conclusion's
//   decision on the unit's next-quarter draft plan (Q1–Q3 sessions) is sent to the unit's annual plan workflow
//   (activities/quarter-plan-decision.ts decideNextQuarterPlan, idempotent; a refusal does not stop the
//   publication); the follow-up takes
//   Update `reportGiaoBanDirection` (in-progress / done + note; 'done' closes the direction's task);
// - CLOSED at 00:00 of the next session's dossier day: the open direction tasks are cancelled, the directions stay
//   open and appear in later dossiers.
// Continue-as-new (patch 'giao-ban-continue-as-new', runs started from then on): at a quiet moment — no handler
// running, no effect pending — a run hands the session to a new run of the same workflow id once its conclusions are
// published (the follow-up lasts until the next session, months of sporadic reports), and once its history holds
// GIAO_BAN_RUN_EVENTS events or Temporal suggests it: at 150 units the conclusions alone are over a thousand events,
// which a busy worker replays whenever the run has left its cache. Updates keep answering across runs (their ids and
// first answers are carried).
// Deterministic: time is the workflow's virtual time (workflows/plan-time.ts), effects go through activities, an
// Update answers once its effects are flushed and answers a repeated update id with its first result.
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { DecideNextQuarterPlanInput } from '../activities/quarter-plan-decision.ts';
import type { CloseTaskInput, FireRungInput, OpenTaskInput } from '../activities/tasks.ts';
import {
  DEFAULT_LADDER_SETTINGS,
  ESCALATION_RANK,
  escalationLadder,
  type RecipientRole,
} from '../domain/calendar/ladder.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, vnInstant, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { COMPLETION_LEVELS, type GiaoBanPhase } from '../domain/giao-ban/model.ts';
import {
  GIAO_BAN_CONCLUDE_TASK_KIND,
  GIAO_BAN_DIRECTION_TASK_KIND,
  GIAO_BAN_DOSSIERS_NOTIFICATION,
  GIAO_BAN_PUBLISHED_NOTIFICATION,
  GIAO_BAN_REFUSAL,
  type GiaoBanActing,
  type GiaoBanCarried,
  type GiaoBanInput,
  type GiaoBanView,
  getGiaoBanState,
  type PublishGiaoBanResult,
  publishGiaoBanConclusions,
  type RecordGiaoBanConclusionResult,
  type ReportGiaoBanDirectionResult,
  recordGiaoBanConclusion,
  reportGiaoBanDirection,
} from './giao-ban.messages.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';

export * from './giao-ban.messages.ts';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['BadReference'],
  },
});
const docs = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['GiaoBanConclusionsMissing'],
  },
});

const plans = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '5 minutes',
    maximumAttempts: 20,
    nonRetryableErrorTypes: ['QuarterPlanDecisionRefused'],
  },
});

type Effect =
  | { t: 'plan'; input: DecideNextQuarterPlanInput }
  | { t: 'open'; input: OpenTaskInput }
  | { t: 'close'; input: CloseTaskInput }
  | { t: 'rung'; input: FireRungInput }
  | { t: 'notify'; input: NotifyInput };

interface ConcludeRung {
  index: number;
  action: 'remind' | 'overdue-remind' | 'escalate';
  recipientRole: RecipientRole;
  offset: number;
  date: LocalDate;
  at: number;
}

/** Runs from this patch on continue as new (see the header); older runs keep one history to the end. */
export const PATCH_CONTINUE_AS_NEW = 'giao-ban-continue-as-new';
/** A run's history length past which it continues as new at its next quiet moment. */
export const GIAO_BAN_RUN_EVENTS = 500;

const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
const SYSTEM = 'system:giao-ban';

/** The conclude task's rungs: the unit-level ladder's reminders and overdue reminders to the secretariat, then
 *  (at its first escalation offset) the escalation to the standing committee. */
export function concludeRungs(input: GiaoBanInput): ConcludeRung[] {
  const settings = input.ladder ?? DEFAULT_LADDER_SETTINGS;
  const ladder = escalationLadder(input.profile, input.dates.conclusionsDue, { scope: 'unit' }, settings);
  const out: Omit<ConcludeRung, 'index'>[] = [];
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

/** The quarter whose draft plan a session decides: the next one of the same year ('2027-Q1' → '2027-Q2'). */
function nextQuarterOf(session: string): string | undefined {
  const m = /^(\d{4})-Q([1-3])$/.exec(session);
  return m ? `${m[1]}-Q${Number(m[2]) + 1}` : undefined;
}

/** The session's name in messages: 'quý 2 năm 2027' / 'Q2 2027', 'tổng kết năm 2027' / 'year-end review 2027'. */
function sessionName(session: string): { vi: string; en: string } {
  const [year, part] = session.split('-');
  if (part === 'year') return { vi: `tổng kết năm ${year}`, en: `year-end review ${year}` };
  return { vi: `quý ${part!.slice(1)} năm ${year}`, en: `${part} ${year}` };
}

/** The session as the run holds it: what it carries to the next run (GiaoBanCarried), its two tables as maps. */
type State = Omit<GiaoBanCarried, 'concluded' | 'planDecisions'> & {
  concluded: Map<string, number>;
  planDecisions: Map<string, GiaoBanCarried['planDecisions'][number][1]>;
};

export async function giaoBanWorkflow(input: GiaoBanInput): Promise<GiaoBanView> {
  const wfId = workflowInfo().workflowId;
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const { dates } = input;
  const dossierAt = vnInstant(dates.dossierDate);
  const sessionAt = vnInstant(dates.sessionDate);
  const closeAt = vnInstant(dates.followUpUntil);
  const rungs = concludeRungs(input);
  const concludeTaskId = `${wfId}:conclude`;
  const name = sessionName(input.session);
  const province = input.provinceName ? ` — ${input.provinceName}` : '';
  const link = `/giao-ban/${encodeURIComponent(input.session)}`;
  const audit = { aggregateType: 'giao_ban_session', aggregateId: `${input.provinceId}:${input.session}` };
  const carried = input.state;
  const s: State = carried
    ? {
        ...carried,
        concluded: new Map(carried.concluded),
        planDecisions: new Map(carried.planDecisions),
      }
    : {
        phase: 'REPORTING',
        agenda: [],
        concluded: new Map(),
        planDecisions: new Map(),
        fired: 0,
        escalation: 0,
        directions: [],
        seenUpdates: [],
      };
  // Decided once, in the run's first task: a history recorded before the patch never continues as new.
  const rolls = carried !== undefined || patched(PATCH_CONTINUE_AS_NEW);
  const startedIn = s.phase;
  const effects: Effect[] = [];
  let enqueued = 0;
  let flushed = 0;
  let changes = 0;
  let busy = false;
  const push = (e: Effect) => {
    effects.push(e);
    enqueued++;
  };
  const participants = (): AssigneeRef[] => [
    input.parties.secretariat,
    input.parties.standingCommittee,
    ...s.agenda.map((u) => u.head),
  ];

  const concludeMessage = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    extra: { vi?: string; en?: string } = {},
  ): NotifyInput => {
    const due = dmy(dates.conclusionsDue);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: Ghi kết luận và công bố giao ban ${name.vi}${province} — hạn ${due}`,
      titleEn: `${title.en}: Record and publish the conclusions of the ${name.en} giao ban${province} — due ${due}`,
      bodyVi: `Giao ban ${name.vi} họp ngày ${dmy(dates.sessionDate)}; kết luận công bố chậm nhất ${due}.${extra.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `The ${name.en} giao ban sits on ${dmy(dates.sessionDate)}; conclusions are published by ${due}.${extra.en ? ` ${extra.en}` : ''}`,
      link,
      logicalDate: dates.conclusionsDue,
    };
  };

  const fire = (r: ConcludeRung) => {
    const key = `escalate:${wfId}:conclude@${dates.conclusionsDue}:${r.index}`;
    const base = { taskId: concludeTaskId, actor: SYSTEM, logicalDate: r.date, key };
    if (r.action !== 'escalate') {
      const overdue = r.action === 'overdue-remind';
      push({
        t: 'rung',
        input: {
          event: {
            ...base,
            kind: overdue ? 'overdue-reminded' : 'reminded',
            recipientRole: 'secretariat',
            details: { offset: r.offset },
          },
          notify: concludeMessage(
            key,
            [input.parties.secretariat],
            `${GIAO_BAN_CONCLUDE_TASK_KIND}.${r.action}`,
            overdue ? { vi: 'Quá hạn', en: 'Overdue' } : { vi: 'Nhắc việc', en: 'Reminder' },
          ),
          audit,
        },
      });
      return;
    }
    const rank = ESCALATION_RANK[r.recipientRole];
    s.escalation = Math.max(s.escalation, rank);
    push({
      t: 'rung',
      input: {
        event: { ...base, kind: 'escalated', recipientRole: r.recipientRole, details: { offset: r.offset } },
        escalationLevel: rank,
        notify: concludeMessage(
          key,
          [input.parties.standingCommittee],
          `${GIAO_BAN_CONCLUDE_TASK_KIND}.escalated`,
          { vi: 'Chuyển cấp trên do quá hạn', en: 'Escalated: overdue' },
          { vi: `Quá hạn ${r.offset} ngày làm việc.`, en: `${r.offset} working days overdue.` },
        ),
        audit,
      },
    });
  };

  const flush = async () => {
    while (effects.length) {
      const e = effects[0]!;
      if (e.t === 'plan') {
        // The unit's annual plan workflow takes the decision (activities/quarter-plan-decision.ts); a refusal or
        // an unreachable plan does not stop the giao ban (the activity records its outcome).
        try {
          await plans.decideNextQuarterPlan(e.input);
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
        }
      } else if (e.t === 'open') await acts.openTask(e.input);
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
  const reply = async <T>(r: T): Promise<T> => {
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) s.seenUpdates.push([id, r]);
    const target = enqueued;
    changes++;
    await condition(() => flushed >= target);
    return r;
  };
  /** Handlers that call activities run one at a time. */
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };
  const acting = (a: GiaoBanActing) => ({ by: a.by, ...(a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {}) });
  const checkActing = (a: GiaoBanActing | undefined) => {
    if (typeof a?.by !== 'string' || a.by.trim() === '')
      throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Thiếu người thực hiện (by)`);
    if (a.onBehalfOf !== undefined && (typeof a.onBehalfOf !== 'string' || a.onBehalfOf.trim() === ''))
      throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Người được ủy quyền không hợp lệ (onBehalfOf)`);
  };

  const view = (): GiaoBanView => ({
    session: input.session,
    phase: s.phase,
    dates,
    agenda: s.agenda.map((u) => ({ unitId: u.unitId, unitName: u.unitName })),
    concluded: [...s.concluded].map(([unitId, revision]) => ({ unitId, revision })),
    concludeTaskId,
    escalation: s.escalation,
    ...(s.publishedAt ? { publishedAt: s.publishedAt } : {}),
    directions: s.directions.map((d) => ({ ...d })),
  });
  setHandler(getGiaoBanState, view);

  let busyPublishing = false;
  const notInSession = () => {
    if (s.phase === 'PUBLISHED' || s.phase === 'CLOSED')
      throw new Error(`${GIAO_BAN_REFUSAL.alreadyPublished}: Kết luận giao ban đã được công bố`);
    if (s.phase !== 'IN_SESSION' || busyPublishing)
      throw new Error(`${GIAO_BAN_REFUSAL.notInSession}: Phiên giao ban chưa họp`);
  };

  setHandler(
    recordGiaoBanConclusion,
    async (a) => {
      const prior = seen();
      if (prior) return prior[1] as RecordGiaoBanConclusionResult;
      return exclusive(async () => {
        if (s.phase !== 'IN_SESSION')
          throw ApplicationFailure.nonRetryable(
            `${GIAO_BAN_REFUSAL.notInSession}: Phiên giao ban không còn họp`,
          );
        const r = await acts.recordGiaoBanConclusion({
          provinceId: input.provinceId,
          session: input.session,
          unitId: a.unitId,
          completionLevel: a.completionLevel,
          summary: a.summary.trim(),
          directions: a.directions.map((d) => ({ text: d.text.trim(), dueDate: d.dueDate ?? null })),
          planDecision: a.planDecision ?? null,
          planNote: a.planNote?.trim() ? a.planNote.trim() : null,
          ...acting(a),
        });
        s.concluded.set(a.unitId, r.revision);
        if (a.planDecision)
          s.planDecisions.set(a.unitId, {
            decision: a.planDecision,
            note: a.planNote?.trim() ? a.planNote.trim() : null,
          });
        else s.planDecisions.delete(a.unitId);
        return reply<RecordGiaoBanConclusionResult>({ unitId: a.unitId, revision: r.revision });
      });
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        notInSession();
        if (!s.agenda.some((u) => u.unitId === a.unitId))
          throw new Error(`${GIAO_BAN_REFUSAL.unknownUnit}: Đơn vị không có trong chương trình giao ban`);
        if (!(COMPLETION_LEVELS as readonly string[]).includes(a.completionLevel))
          throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Mức độ hoàn thành không hợp lệ`);
        if (typeof a.summary !== 'string' || a.summary.trim() === '' || a.summary.length > 8000)
          throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Nội dung kết luận không hợp lệ`);
        if (!Array.isArray(a.directions) || a.directions.length > 50)
          throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Danh sách chỉ đạo không hợp lệ`);
        for (const d of a.directions) {
          if (typeof d?.text !== 'string' || d.text.trim() === '' || d.text.length > 2000)
            throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Nội dung chỉ đạo không hợp lệ`);
          if (d.dueDate != null && !/^\d{4}-\d{2}-\d{2}$/.test(d.dueDate))
            throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Hạn chỉ đạo không hợp lệ`);
        }
        const decision = a.planDecision ?? null;
        if (decision !== null && !input.planDecisions)
          throw new Error(
            `${GIAO_BAN_REFUSAL.planDecision}: Phiên giao ban này không quyết định kế hoạch quý sau`,
          );
        if (decision !== null && decision !== 'approved' && decision !== 'adjusted')
          throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Quyết định kế hoạch không hợp lệ`);
        if (decision === 'adjusted' && !a.planNote?.trim())
          throw new Error(`${GIAO_BAN_REFUSAL.planDecision}: Cần ghi rõ nội dung điều chỉnh kế hoạch`);
      },
    },
  );

  setHandler(
    publishGiaoBanConclusions,
    async (a) => {
      const prior = seen();
      if (prior) return prior[1] as PublishGiaoBanResult;
      busyPublishing = true;
      return exclusive(async () => {
        try {
          if (s.phase !== 'IN_SESSION')
            throw ApplicationFailure.nonRetryable(
              `${GIAO_BAN_REFUSAL.notInSession}: Phiên giao ban không còn họp`,
            );
          const t = now();
          const publishedOn = vnLocalDate(t);
          const r = await docs.publishGiaoBanConclusions({
            provinceId: input.provinceId,
            session: input.session,
            workflowId: wfId,
            at: t,
            publishedOn,
            ...acting(a),
          });
          s.phase = 'PUBLISHED';
          s.publishedAt = r.publishedAt;
          s.directions = r.directions.map((d) => ({
            id: d.id,
            unitId: d.unitId,
            status: 'open' as const,
            taskId: d.taskId,
          }));
          push({ t: 'close', input: { id: concludeTaskId, status: 'done', ...acting(a) } });
          for (const d of r.directions) {
            const unit = s.agenda.find((u) => u.unitId === d.unitId);
            const due = d.dueDate ?? dates.followUpUntil;
            push({
              t: 'open',
              input: {
                id: d.taskId,
                workflowId: wfId,
                updateName: 'reportGiaoBanDirection',
                kind: GIAO_BAN_DIRECTION_TASK_KIND,
                subjectType: 'giao_ban_direction',
                subjectId: d.id,
                assignee: unit?.head ?? { role: 'unit_head', unitId: d.unitId },
                dueAt: endOfVnDay(due),
                logicalDueDate: due,
                details: { session: input.session, unitId: d.unitId, directionId: d.id, ordinal: d.ordinal },
                actor: SYSTEM,
              },
            });
          }
          push({
            t: 'notify',
            input: {
              key: `published:${wfId}`,
              recipients: participants(),
              kind: GIAO_BAN_PUBLISHED_NOTIFICATION,
              titleVi: `Đã công bố kết luận giao ban ${name.vi}${province}`,
              titleEn: `Conclusions of the ${name.en} giao ban published${province}`,
              bodyVi: `Kết luận giao ban ${name.vi} đã được công bố ngày ${dmy(publishedOn)}; ${r.directions.length} chỉ đạo được giao cho các đơn vị.`,
              bodyEn: `The conclusions of the ${name.en} giao ban were published on ${dmy(publishedOn)}; ${r.directions.length} directions were given to the units.`,
              link,
              logicalDate: publishedOn,
            },
          });
          // The next quarter's draft plans (issue 7 point 1): each decision goes to the unit's annual plan workflow.
          const next = nextQuarterOf(input.session);
          if (next && input.planDecisions)
            for (const u of s.agenda) {
              const d = s.planDecisions.get(u.unitId);
              if (!d) continue;
              push({
                t: 'plan',
                input: {
                  provinceId: input.provinceId,
                  unitId: u.unitId,
                  year: Number(next.slice(0, 4)),
                  period: next,
                  decision: d.decision,
                  note: d.note,
                  by: a.onBehalfOf ?? a.by,
                  session: input.session,
                },
              });
            }
          return reply<PublishGiaoBanResult>({
            publishedAt: r.publishedAt,
            publishedOn,
            directions: r.directions.length,
          });
        } finally {
          busyPublishing = false;
        }
      });
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        notInSession();
        const missing = s.agenda.filter((u) => !s.concluded.has(u.unitId)).map((u) => u.unitName);
        if (missing.length)
          throw new Error(
            `${GIAO_BAN_REFUSAL.conclusionsMissing}: Chưa có kết luận cho ${missing.join(', ')}`,
          );
      },
    },
  );

  setHandler(
    reportGiaoBanDirection,
    async (a) => {
      const prior = seen();
      if (prior) return prior[1] as ReportGiaoBanDirectionResult;
      return exclusive(async () => {
        const d = s.directions.find((x) => x.id === a.directionId);
        if (!d || s.phase !== 'PUBLISHED' || d.status === 'done')
          throw ApplicationFailure.nonRetryable(`${GIAO_BAN_REFUSAL.notFollowUp}: Không còn nhận báo cáo`);
        await acts.reportGiaoBanDirection({
          directionId: a.directionId,
          status: a.status,
          note: a.note.trim(),
          ...acting(a),
        });
        d.status = a.status;
        if (a.status === 'done') push({ t: 'close', input: { id: d.taskId, status: 'done', ...acting(a) } });
        return reply<ReportGiaoBanDirectionResult>({ id: d.id, status: d.status });
      });
    },
    {
      validator: (a) => {
        if (seen()) return;
        checkActing(a);
        if (s.phase !== 'PUBLISHED')
          throw new Error(`${GIAO_BAN_REFUSAL.notFollowUp}: Giao ban không trong thời gian theo dõi chỉ đạo`);
        const d = s.directions.find((x) => x.id === a.directionId);
        if (!d) throw new Error(`${GIAO_BAN_REFUSAL.unknownDirection}: Không có chỉ đạo này`);
        if (d.status === 'done') throw new Error(`${GIAO_BAN_REFUSAL.directionDone}: Chỉ đạo đã hoàn thành`);
        if (a.status !== 'in-progress' && a.status !== 'done')
          throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Trạng thái không hợp lệ`);
        if (typeof a.note !== 'string' || a.note.length > 4000)
          throw new Error(`${GIAO_BAN_REFUSAL.invalid}: Ghi chú không hợp lệ`);
        const head = s.agenda.find((u) => u.unitId === d.unitId)?.head.personId;
        if (head !== undefined && (a.onBehalfOf ?? a.by) !== head)
          throw new Error(`${GIAO_BAN_REFUSAL.notUnitHead}: Chỉ thủ trưởng đơn vị báo cáo chỉ đạo`);
      },
    },
  );

  const project = (phase: GiaoBanPhase) =>
    acts.projectGiaoBanSession({
      provinceId: input.provinceId,
      session: input.session,
      workflowId: wfId,
      phase,
      dates,
    });

  /** Whether this run should hand the session on: it has done something, and its conclusions are published or its
   *  history is long. */
  const rollDue = () => {
    if (!rolls || s.phase === 'CLOSED' || (changes === 0 && s.phase === startedIn)) return false;
    const info = workflowInfo();
    return (
      (s.phase === 'PUBLISHED' && startedIn !== 'PUBLISHED') ||
      info.continueAsNewSuggested ||
      info.historyLength >= GIAO_BAN_RUN_EVENTS
    );
  };
  const carry = (): GiaoBanCarried => ({
    ...s,
    concluded: [...s.concluded],
    planDecisions: [...s.planDecisions],
  });

  // ---- main loop ----
  if (!carried) await project('REPORTING');
  for (;;) {
    await flush();
    // Only at a quiet moment: an Update accepted by this run must be answered by it.
    if (effects.length === 0 && allHandlersFinished() && rollDue())
      await continueAsNew<typeof giaoBanWorkflow>({ ...input, state: carry() });
    const t = now();
    if (s.phase === 'REPORTING' && t >= dossierAt) {
      const frozen = await docs.freezeGiaoBanDossiers({
        provinceId: input.provinceId,
        session: input.session,
        sessionDate: dates.sessionDate,
        asOf: t,
      });
      s.agenda = frozen.units;
      s.phase = 'DOSSIERS_SENT';
      const on = vnLocalDate(t);
      push({
        t: 'notify',
        input: {
          key: `dossiers:${wfId}`,
          recipients: participants(),
          kind: GIAO_BAN_DOSSIERS_NOTIFICATION,
          titleVi: `Tài liệu giao ban ${name.vi}${province} — họp ngày ${dmy(dates.sessionDate)}`,
          titleEn: `Documents of the ${name.en} giao ban${province} — sits on ${dmy(dates.sessionDate)}`,
          bodyVi: `Chương trình và hồ sơ của ${s.agenda.length} đơn vị đã được gửi ngày ${dmy(on)}.`,
          bodyEn: `The agenda and the dossiers of ${s.agenda.length} units were sent on ${dmy(on)}.`,
          link,
          logicalDate: on,
        },
      });
      continue;
    }
    if (s.phase === 'DOSSIERS_SENT' && t >= sessionAt) {
      // in session before the read model says so: a conclusion sent as soon as the screen shows the session open
      // is accepted (the command order is unchanged)
      s.phase = 'IN_SESSION';
      await project('IN_SESSION');
      s.fired = rungs.findIndex((r) => r.at > t);
      if (s.fired < 0) s.fired = rungs.length;
      // A session that sits late (a late start) skips the reminders already past, but an escalation already due
      // reaches the standing committee at once (after the task is open, below).
      const pastEscalation = rungs
        .slice(0, s.fired)
        .filter((r) => r.action === 'escalate')
        .at(-1);
      push({
        t: 'open',
        input: {
          id: concludeTaskId,
          workflowId: wfId,
          updateName: 'publishGiaoBanConclusions',
          kind: GIAO_BAN_CONCLUDE_TASK_KIND,
          subjectType: 'giao_ban_session',
          subjectId: `${input.provinceId}:${input.session}`,
          assignee: input.parties.secretariat,
          dueAt: endOfVnDay(dates.conclusionsDue),
          logicalDueDate: dates.conclusionsDue,
          details: { session: input.session, provinceId: input.provinceId },
          actor: SYSTEM,
          notify: concludeMessage(
            `task:${concludeTaskId}`,
            [input.parties.secretariat],
            `${GIAO_BAN_CONCLUDE_TASK_KIND}.task`,
            { vi: 'Việc mới', en: 'New task' },
          ),
        },
      });
      if (pastEscalation) fire(pastEscalation);
      continue;
    }
    if (s.phase === 'IN_SESSION' && !busyPublishing) {
      let acted = false;
      for (let r = rungs[s.fired]; r && r.at <= t; r = rungs[s.fired]) {
        s.fired = r.index + 1;
        fire(r);
        acted = true;
      }
      if (acted) continue;
    }
    if (s.phase === 'PUBLISHED' && t >= closeAt) {
      await condition(() => !busy);
      await project('CLOSED');
      s.phase = 'CLOSED';
      for (const d of s.directions)
        if (d.status !== 'done')
          push({
            t: 'close',
            input: {
              id: d.taskId,
              status: 'cancelled',
              by: SYSTEM,
              reason: 'giao ban follow-up ended (next session’s dossier day)',
            },
          });
      for (;;) {
        await flush();
        if (allHandlersFinished() && effects.length === 0) break;
        await condition(() => effects.length > 0 || allHandlersFinished());
      }
      return view();
    }
    const c = changes;
    const until = () => changes !== c || effects.length > 0 || (allHandlersFinished() && rollDue());
    const next =
      s.phase === 'REPORTING'
        ? dossierAt
        : s.phase === 'DOSSIERS_SENT'
          ? sessionAt
          : s.phase === 'IN_SESSION'
            ? rungs[s.fired]?.at
            : closeAt;
    if (next !== undefined) await condition(until, realDelayUntil(warp, next));
    else await condition(until);
  }
}
