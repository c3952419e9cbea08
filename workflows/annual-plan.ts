// The annual plan of one unit (or person) for one year (DESIGN §3, TEMPORAL.md §1–§3, §7):
// DRAFTING (reminders by the ladder towards the submit deadline) → SUBMITTED (Update submitPlan freezing a
// content version) → APPRAISED (Update appraisePlan by the appraising levels of the chain) → decision by the
// approval deadline (Update decidePlan: approve, or return with comments and loop to DRAFTING). At the
// approval deadline a submitted-but-not-approved plan is FILED (in force provisionally; the approval stays
// open with reminders to the approver); a unit with nothing submitted keeps escalating to the standing
// committee. Missed deadlines are states, never exceptions. The workflow writes PostgreSQL only through
// activities (tasks inbox, plan status, task events, notifications + outbox e-mail), continues as new at
// phase boundaries and when Temporal suggests it, and upserts the Phase/NextDeadline/OverdueLevel
// search attributes.
//
// Deliberate behaviour change behind a patch (PATCH_FILING_NOTIFIES_HEAD): from this version on, filing
// a plan at the approval deadline also notifies the unit head, with a notify activity of its own (before: the
// drafter only). Histories recorded before it (workflows/__fixtures__/histories/annualPlan-*-v1.json) have no
// marker and replay the old branch; annualPlan-filed-v2.json has the marker. Once no open run can replay
// a v1 history (every plan has continued as new past its filing), replace patched() by deprecatePatch().
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { AssigneeRef, NotifyInput } from '../activities/notifications.ts';
import type { PlanStatusProjection } from '../activities/plans-db.ts';
import type { CloseTaskInput, FireRungInput, OpenTaskInput } from '../activities/tasks.ts';
import { forwardOnMiss } from '../domain/calendar/forwarding.ts';
import { ESCALATION_RANK } from '../domain/calendar/ladder.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  type AnnualPlanInput,
  type AnnualPlanState,
  type AnnualPlanView,
  appraisePlan,
  decidePlan,
  getAnnualPlan,
  type ItemComment,
  type ItemKind,
  moveDeadlines,
  type OpenItem,
  type PlanUpdateResult,
  submitPlan,
} from './annual-plan.messages.ts';
import { firstRungAfter, type LadderContext, type PlanRung, rungAt } from './annual-plan-ladder.ts';
import { realDelayUntil, virtualNow } from './plan-time.ts';
import { SA } from './search-attributes.ts';

export * from './annual-plan.messages.ts';

export const PATCH_FILING_NOTIFIES_HEAD = 'annual-plan-filing-notifies-head';
/**
 * The first run opens the submit item before it sets the Update handlers (before: after them, so an Update
 * delivered in the first workflow task ran with no item open: the submission left `submit:1` open for good,
 * and a later resubmission closed it instead of the revise item).
 */
export const PATCH_START_BEFORE_HANDLERS = 'annual-plan-start-before-handlers';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

type Effect =
  | { t: 'open'; input: OpenTaskInput }
  | { t: 'close'; input: CloseTaskInput }
  | { t: 'rung'; input: FireRungInput }
  | { t: 'project'; input: PlanStatusProjection }
  | { t: 'notify'; input: NotifyInput };

const HASH = /^[0-9a-f]{64}$/;
const SYSTEM = 'system:annual-plan';
const MAX_SEEN_UPDATES = 200;

const dmy = (d: LocalDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

const WHAT: Record<ItemKind, { vi: string; en: string }> = {
  submit: { vi: 'Nộp kế hoạch năm', en: 'Submit the annual plan' },
  revise: { vi: 'Chỉnh sửa và nộp lại kế hoạch năm', en: 'Revise and resubmit the annual plan' },
  appraise: { vi: 'Thẩm định kế hoạch năm', en: 'Appraise the annual plan' },
  decide: { vi: 'Phê duyệt kế hoạch năm', en: 'Approve or return the annual plan' },
};

export async function annualPlanWorkflow(input: AnnualPlanInput): Promise<AnnualPlanView> {
  const wfId = workflowInfo().workflowId;
  const warp = input.timeWarp;
  const now = () => virtualNow(warp);
  const today = () => vnLocalDate(now());
  const s: AnnualPlanState = input.state ?? {
    phase: 'DRAFTING',
    round: 1,
    stateVersion: 0,
    calendar: input.calendar,
    profile: input.profile,
    items: [],
    approveDeadlinePassed: false,
    appraisals: [],
    returns: [],
    misses: [],
    seenUpdates: [],
    sa: {},
    runs: 0,
  };
  s.runs += 1;
  const effects: Effect[] = [];
  let enqueued = 0;
  let flushed = 0;
  let changes = 0;
  let boundary = false;

  const chainLast = input.chain.levels.length - 1;
  const ladderCtx = (): LadderContext => ({
    profile: s.profile,
    ...(input.ladder ? { settings: input.ladder } : {}),
    approveDate: deadlineById(s.calendar, 'plan.approve').date,
    scope: input.scope ?? (input.owner.kind === 'unit' ? 'unit' : 'individual'),
  });
  const cal = () => workingCalendar(s.profile);
  const ownerName = input.ownerName ?? input.planId;
  const unitId = input.owner.unitId;

  const partyOf = (role: string): AssigneeRef => {
    const p = input.parties;
    switch (role) {
      case 'supervisor':
        return p.supervisor;
      case 'unit-head':
        return p.unitHead;
      case 'heads-manager':
        return p.headsManager ?? p.secretariat;
      case 'secretariat':
        return p.secretariat;
      case 'standing-committee':
        return p.standingCommittee;
      default:
        return p.drafter;
    }
  };
  const levelParty = (level: number): AssigneeRef => {
    const l = input.chain.levels[level];
    if (!l) throw new Error(`no approval level ${level}`);
    return l.actorId ? { personId: l.actorId } : partyOf(l.role);
  };
  const levelRole = (level: number) => input.chain.levels[level]?.role ?? 'standing-committee';

  const push = (e: Effect) => {
    effects.push(e);
    enqueued++;
  };
  const status = () => (s.phase === 'APPROVED' ? 'APPROVED' : s.filed ? 'FILED' : s.phase);
  const overdueLevel = () => Math.max(0, ...s.items.map((i) => i.escalation));
  const nextDeadline = () => {
    const d = s.items.map((i) => i.dueAt);
    return d.length ? Math.min(...d) : undefined;
  };
  const project = (actor: string, action: string, details: Record<string, unknown> = {}) => {
    s.stateVersion++;
    const nd = nextDeadline();
    push({
      t: 'project',
      input: {
        planId: input.planId,
        ownerKind: input.owner.kind,
        unitId,
        ...(input.owner.kind === 'person' ? { personId: input.owner.personId } : {}),
        year: input.year,
        workflowId: wfId,
        status: status(),
        phase: s.phase,
        filed: s.filed !== undefined,
        ...(s.submitted ? { submittedVersionId: s.submitted.versionId } : {}),
        ...(s.inForce ? { inForceVersionId: s.inForce.versionId } : {}),
        overdueLevel: overdueLevel(),
        ...(nd !== undefined ? { nextDeadlineAt: nd } : {}),
        stateVersion: s.stateVersion,
        actor,
        action,
        details,
      },
    });
  };

  const message = (
    key: string,
    recipients: AssigneeRef[],
    kind: string,
    title: { vi: string; en: string },
    item: OpenItem,
    extra: { vi?: string; en?: string } = {},
  ): NotifyInput => {
    const what = WHAT[item.kind];
    const due = dmy(item.dueDate);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: ${what.vi} ${input.year} — ${ownerName} — hạn ${due}`,
      titleEn: `${title.en}: ${what.en} ${input.year} — ${ownerName} — due ${due}`,
      bodyVi: `${what.vi} ${input.year} của ${ownerName}: hạn ${due}.${extra.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `${what.en} ${input.year} of ${ownerName}: due ${due}.${extra.en ? ` ${extra.en}` : ''}`,
      link: `/tasks/${encodeURIComponent(item.taskId)}`,
      logicalDate: item.dueDate,
    };
  };

  const taskInput = (item: OpenItem, actor: string, notify?: NotifyInput): OpenTaskInput => ({
    id: item.taskId,
    workflowId: wfId,
    updateName:
      item.kind === 'submit' || item.kind === 'revise'
        ? 'submitPlan'
        : item.kind === 'appraise'
          ? 'appraisePlan'
          : 'decidePlan',
    kind: `plan.${item.kind}`,
    subjectType: 'plan',
    subjectId: input.planId,
    assignee: item.party,
    dueAt: item.dueAt,
    logicalDueDate: item.dueDate,
    details: { year: input.year, step: item.step, ...(item.details ?? {}) },
    actor,
    ...(notify ? { notify } : {}),
  });

  const openItem = (
    kind: ItemKind,
    step: string,
    party: AssigneeRef,
    partyRole: string,
    dueDate: LocalDate,
    opts: {
      level?: number;
      topLevel?: boolean;
      dueFrom?: OpenItem['dueFrom'];
      details?: Record<string, unknown>;
      actor?: string;
    } = {},
  ): OpenItem => {
    const item: OpenItem = {
      taskId: `${wfId}:${step}`,
      step,
      kind,
      ...(opts.level !== undefined ? { level: opts.level } : {}),
      party,
      partyRole,
      dueDate,
      dueAt: endOfVnDay(dueDate),
      ...(opts.dueFrom ? { dueFrom: opts.dueFrom } : {}),
      topLevel: opts.topLevel ?? false,
      fired: 0,
      escalation: 0,
      ...(opts.details ? { details: opts.details } : {}),
    };
    item.fired = firstRungAfter(item, ladderCtx(), now());
    s.items.push(item);
    const notice = message(
      `task:${item.taskId}`,
      [party],
      `plan.${kind}`,
      { vi: 'Việc mới', en: 'New task' },
      item,
    );
    push({ t: 'open', input: taskInput(item, opts.actor ?? SYSTEM, notice) });
    return item;
  };

  const closeItem = (item: OpenItem, st: 'done' | 'cancelled', by: string, reason?: string) => {
    s.items = s.items.filter((i) => i !== item);
    push({ t: 'close', input: { id: item.taskId, status: st, by, ...(reason ? { reason } : {}) } });
  };
  const findItem = (...kinds: ItemKind[]) => s.items.find((i) => kinds.includes(i.kind));

  /** Due date of a step that has `workingDays` from today, but not after `cap` when that is still ahead. */
  const dueIn = (workingDays: number, cap?: LocalDate): LocalDate => {
    const t = today();
    const d = cal().addWorkingDays(cal().previousWorkingDay(t), workingDays);
    if (cap && t <= cap && cap < d) return cap;
    return d;
  };
  const approveDate = () => deadlineById(s.calendar, 'plan.approve').date;
  const submitDate = () => deadlineById(s.calendar, 'plan.submit').date;

  const openDecide = (actor: string) => {
    const ad = approveDate();
    const last = chainLast;
    const due = today() <= ad ? ad : dueIn(input.forwardWorkingDays ?? 2);
    openItem('decide', `decide:${s.round}`, levelParty(last), levelRole(last), due, {
      level: last,
      topLevel: true,
      ...(due === ad ? { dueFrom: 'plan.approve' as const } : {}),
      actor,
    });
  };

  // ---- rungs ----
  const fire = (item: OpenItem, r: PlanRung) => {
    const key = `escalate:${wfId}:${item.step}@${item.dueDate}:${r.index}`;
    const audit = { aggregateType: 'plan', aggregateId: input.planId };
    const base = { taskId: item.taskId, actor: SYSTEM, logicalDate: r.date };
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
            notify: message(
              key,
              [item.party],
              `plan.${r.action}`,
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
            notify: message(
              key,
              [partyOf(r.recipientRole)],
              'plan.escalated',
              { vi: 'Chuyển cấp trên do quá hạn', en: 'Escalated: overdue' },
              item,
              {
                vi: `Quá hạn ${r.offset} ngày làm việc.`,
                en: `${r.offset} working days overdue.`,
              },
            ),
            audit,
          },
        });
        project(SYSTEM, 'plan.escalated', { taskId: item.taskId, to: r.recipientRole, date: r.date });
        return;
      }
      case 'record-miss': {
        s.misses.push({ step: item.step, role: item.partyRole, date: r.date });
        push({
          t: 'rung',
          input: {
            event: {
              ...base,
              key,
              kind: 'missed',
              recipientRole: item.partyRole,
              details: { dueDate: item.dueDate, topLevel: true },
            },
            audit,
          },
        });
        return;
      }
      case 'committee-escalate': {
        const rank = ESCALATION_RANK['standing-committee'];
        const first = item.escalation < rank;
        item.escalation = rank;
        if (first) {
          s.misses.push({ step: item.step, role: item.partyRole, date: r.date });
          push({
            t: 'rung',
            input: {
              event: {
                ...base,
                key: `${key}:missed`,
                kind: 'missed',
                recipientRole: item.partyRole,
                details: { reason: 'nothing-submitted-by-approval-deadline', approveDate: approveDate() },
              },
              audit,
            },
          });
        }
        push({
          t: 'rung',
          input: {
            event: {
              ...base,
              key,
              kind: 'escalated',
              recipientRole: 'standing-committee',
              details: { offset: r.offset, reason: 'nothing-submitted' },
            },
            escalationLevel: rank,
            notify: message(
              key,
              [input.parties.standingCommittee, item.party],
              'plan.not-submitted',
              { vi: 'Chưa nộp kế hoạch', en: 'Plan not submitted' },
              item,
              {
                vi: `Hạn phê duyệt ${dmy(approveDate())} đã qua mà chưa có kế hoạch.`,
                en: `The approval deadline ${dmy(approveDate())} has passed with nothing submitted.`,
              },
            ),
            audit,
          },
        });
        if (first)
          project(SYSTEM, 'plan.escalated', { taskId: item.taskId, to: 'standing-committee', date: r.date });
        return;
      }
      case 'forward': {
        const level = item.level ?? 0;
        const res = forwardOnMiss(s.profile, input.chain, level, {
          dueAt: item.dueAt,
          now: now(),
          forwardWorkingDays: input.forwardWorkingDays ?? 2,
          ...(s.submitted ? { ownerId: s.submitted.by } : {}),
        });
        s.misses.push({ step: item.step, role: item.partyRole, date: r.date });
        push({
          t: 'rung',
          input: {
            event: {
              ...base,
              key: `${key}:missed`,
              kind: 'missed',
              recipientRole: item.partyRole,
              details: { dueDate: item.dueDate },
            },
            audit,
          },
        });
        if (res.kind === 'forwarded') {
          const to = res.toLevelIndex;
          push({
            t: 'rung',
            input: {
              event: {
                ...base,
                key,
                kind: 'forwarded',
                recipientRole: levelRole(to),
                details: { fromLevel: level, toLevel: to, newDueDate: res.dueDate },
              },
              audit,
            },
          });
          closeItem(item, 'cancelled', SYSTEM, `forwarded to ${levelRole(to)}`);
          openItem('appraise', `appraise:${s.round}:L${to}`, levelParty(to), levelRole(to), res.dueDate, {
            level: to,
            topLevel: to === chainLast,
            details: { forwardedFrom: levelRole(level) },
          });
          project(SYSTEM, 'plan.forwarded', { from: levelRole(level), to: levelRole(to), date: r.date });
        }
        return;
      }
    }
  };

  /** Fires every rung that is due and the approval-deadline transition. Returns true when something happened. */
  const processTime = (): boolean => {
    let acted = false;
    const t = now();
    for (let guard = 0; guard < 1000; guard++) {
      let fired = false;
      for (const item of [...s.items]) {
        const r = rungAt(item, ladderCtx(), item.fired);
        if (r && r.at <= t) {
          item.fired = r.index + 1;
          fire(item, r);
          fired = true;
          break; // items may have changed (a forward)
        }
      }
      if (!fired) break;
      acted = true;
    }
    const approveDueAt = deadlineById(s.calendar, 'plan.approve').dueAt;
    if (!s.approveDeadlinePassed && s.phase !== 'APPROVED' && t >= approveDueAt) {
      s.approveDeadlinePassed = true;
      acted = true;
      if (s.submitted) {
        // Filed: the last submitted version is in force provisionally; the approval stays open.
        s.filed = { versionId: s.submitted.versionId, date: approveDate() };
        s.inForce = { versionId: s.submitted.versionId, hash: s.submitted.hash, approved: false };
        const open = findItem('decide', 'appraise', 'revise');
        if (open) {
          push({
            t: 'rung',
            input: {
              event: {
                key: `filed:${wfId}:${s.round}`,
                taskId: open.taskId,
                kind: 'filed',
                actor: SYSTEM,
                logicalDate: approveDate(),
                details: { versionId: s.submitted.versionId },
              },
              audit: { aggregateType: 'plan', aggregateId: input.planId },
            },
          });
        }
        const sub = s.submitted;
        const filedNotice = (key: string, recipients: AssigneeRef[]): Effect => ({
          t: 'notify',
          input: {
            key,
            recipients,
            kind: 'plan.filed',
            titleVi: `Kế hoạch năm ${input.year} — ${ownerName} — được lưu tạm thời (chưa phê duyệt đến ${dmy(approveDate())})`,
            titleEn: `Annual plan ${input.year} — ${ownerName} — filed provisionally (not approved by ${dmy(approveDate())})`,
            bodyVi: `Phiên bản đã nộp ngày ${dmy(sub.date)} có hiệu lực tạm thời; việc phê duyệt vẫn tiếp tục.`,
            bodyEn: `The version submitted on ${dmy(sub.date)} is in force provisionally; approval continues.`,
            logicalDate: approveDate(),
          },
        });
        push(filedNotice(`filed:${wfId}:${s.round}`, [input.parties.drafter]));
        // The deliberate change: the unit head is told too (a new activity, so old histories take the old path).
        if (patched(PATCH_FILING_NOTIFIES_HEAD))
          push(filedNotice(`filed:${wfId}:${s.round}:head`, [input.parties.unitHead]));
        project(SYSTEM, 'plan.filed', { versionId: s.submitted.versionId, date: approveDate() });
        boundary = true;
      }
      // Nothing submitted: the submit item's ladder continues with the standing-committee escalations.
    }
    return acted;
  };

  const flush = async () => {
    while (effects.length) {
      const e = effects[0]!;
      switch (e.t) {
        case 'open':
          await acts.openTask(e.input);
          break;
        case 'close':
          await acts.closeTask(e.input);
          break;
        case 'rung':
          await acts.fireRung(e.input);
          break;
        case 'project':
          await acts.projectPlanStatus(e.input);
          break;
        case 'notify':
          await acts.notify(e.input);
          break;
      }
      effects.shift();
      flushed++;
    }
  };

  const upsertSa = () => {
    const next = nextDeadline();
    const want = { phase: status(), overdue: overdueLevel(), next };
    const updates: Parameters<typeof upsertSearchAttributes>[0] = [];
    if (want.phase !== s.sa.phase) updates.push({ key: SA.Phase, value: want.phase });
    if (want.overdue !== s.sa.overdue) updates.push({ key: SA.OverdueLevel, value: want.overdue });
    if (want.next !== s.sa.next)
      updates.push({ key: SA.NextDeadline, value: want.next === undefined ? null : new Date(want.next) });
    if (updates.length) {
      upsertSearchAttributes(updates);
      s.sa = { phase: want.phase, overdue: want.overdue, ...(next !== undefined ? { next } : {}) };
    }
  };

  // ---- updates ----
  const seen = (): { hit: boolean; result?: unknown } => {
    const id = currentUpdateInfo()?.id;
    const hit = id === undefined ? undefined : s.seenUpdates.find(([k]) => k === id);
    return hit ? { hit: true, result: hit[1] } : { hit: false };
  };
  /** Applies a transition once per update id (also across continue-as-new) and waits for its projection. */
  const apply = async (fn: () => PlanUpdateResult): Promise<PlanUpdateResult> => {
    const prior = seen();
    if (prior.hit) return prior.result as PlanUpdateResult;
    const result = fn();
    const id = currentUpdateInfo()?.id;
    if (id !== undefined) {
      s.seenUpdates.push([id, result]);
      if (s.seenUpdates.length > MAX_SEEN_UPDATES)
        s.seenUpdates.splice(0, s.seenUpdates.length - MAX_SEEN_UPDATES);
    }
    changes++;
    boundary = true;
    const target = enqueued;
    await condition(() => flushed >= target);
    return result;
  };
  const result = (): PlanUpdateResult => ({
    phase: s.phase,
    round: s.round,
    status: status(),
    date: today(),
  });
  const checkActor = (party: AssigneeRef, by: string, what: string) => {
    if (typeof by !== 'string' || by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
    if (party.personId && party.personId !== by) throw new Error(`Người thực hiện không có quyền ${what}`);
  };
  const checkComments = (c: ItemComment[] | undefined) => {
    for (const x of c ?? []) {
      if (typeof x?.text !== 'string' || x.text.trim() === '') throw new Error('Ý kiến không được để trống');
    }
  };

  // ---- start ----
  // Before any handler is set: an Update that arrived with the start (the same first workflow task, e.g. a
  // drafter submitting right away on a busy worker) is dispatched synchronously by setHandler and must find
  // the submit item open. Old histories (no marker) opened it after the handlers.
  function start() {
    project(SYSTEM, 'plan.started', { year: input.year });
    openItem('submit', 'submit:1', input.parties.drafter, 'drafter', submitDate(), {
      dueFrom: 'plan.submit',
    });
  }
  const startedBeforeHandlers = !input.state && patched(PATCH_START_BEFORE_HANDLERS);
  if (startedBeforeHandlers) start();

  setHandler(
    submitPlan,
    (a) =>
      apply(() => {
        const drafting = findItem('submit', 'revise');
        if (drafting) closeItem(drafting, 'done', a.by);
        const t = now();
        s.submitted = {
          round: s.round,
          versionId: a.versionId,
          hash: a.hash,
          by: a.by,
          at: t,
          date: vnLocalDate(t),
        };
        s.phase = 'SUBMITTED';
        const level = 0;
        if (chainLast === 0) openDecide(a.by);
        else {
          const due = dueIn(input.appraiseWorkingDays ?? 5, approveDate());
          openItem('appraise', `appraise:${s.round}`, levelParty(level), levelRole(level), due, {
            level,
            topLevel: false,
            actor: a.by,
          });
        }
        project(a.by, 'plan.submitted', {
          versionId: a.versionId,
          hash: a.hash,
          round: s.round,
          date: s.submitted.date,
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        if (s.phase !== 'DRAFTING') throw new Error(`Kế hoạch đang ở giai đoạn ${s.phase}, không thể nộp`);
        if (typeof a?.versionId !== 'string' || a.versionId === '')
          throw new Error('Thiếu phiên bản (versionId)');
        if (typeof a.hash !== 'string' || !HASH.test(a.hash))
          throw new Error('Mã băm phiên bản không hợp lệ (sha256 hex)');
        const p = input.parties;
        if (typeof a.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
        const known = [p.drafter.personId, p.unitHead.personId].filter((x): x is string => !!x);
        if (known.length && !known.includes(a.by))
          throw new Error('Người thực hiện không có quyền nộp kế hoạch');
      },
    },
  );

  setHandler(
    appraisePlan,
    (a) =>
      apply(() => {
        const item = findItem('appraise')!;
        closeItem(item, 'done', a.by);
        const level = item.level ?? 0;
        s.appraisals.push({ round: s.round, level, by: a.by, opinion: a.opinion, date: today() });
        if (level + 1 < chainLast) {
          const due = dueIn(input.appraiseWorkingDays ?? 5, approveDate());
          openItem(
            'appraise',
            `appraise:${s.round}:L${level + 1}`,
            levelParty(level + 1),
            levelRole(level + 1),
            due,
            { level: level + 1, actor: a.by },
          );
        } else {
          s.phase = 'APPRAISED';
          openDecide(a.by);
        }
        project(a.by, 'plan.appraised', {
          opinion: a.opinion,
          comments: a.comments ?? [],
          level,
          round: s.round,
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        const item = findItem('appraise');
        if (s.phase !== 'SUBMITTED' || !item)
          throw new Error(`Kế hoạch đang ở giai đoạn ${s.phase}, không thể thẩm định`);
        checkActor(item.party, a?.by, 'thẩm định');
        if (a.by === s.submitted?.by) throw new Error('Không ai thẩm định kế hoạch do chính mình nộp');
        if (a.opinion !== 'endorse' && a.opinion !== 'concerns')
          throw new Error('Ý kiến thẩm định không hợp lệ');
        checkComments(a.comments);
      },
    },
  );

  setHandler(
    decidePlan,
    (a) =>
      apply(() => {
        for (const item of s.items.filter((i) => i.kind === 'decide' || i.kind === 'appraise'))
          closeItem(item, 'done', a.by);
        const d = today();
        if (a.decision === 'approve') {
          s.phase = 'APPROVED';
          s.inForce = { versionId: s.submitted!.versionId, hash: s.submitted!.hash, approved: true };
          project(a.by, 'plan.approved', {
            versionId: s.submitted!.versionId,
            round: s.round,
            date: d,
            wasFiled: s.filed !== undefined,
          });
        } else {
          const comments = a.comments ?? [];
          s.returns.push({ round: s.round, by: a.by, date: d, comments });
          s.round++;
          s.phase = 'DRAFTING';
          const sd = submitDate();
          const due = d < sd ? sd : dueIn(input.resubmitWorkingDays ?? 3);
          openItem('revise', `revise:${s.round}`, input.parties.drafter, 'drafter', due, {
            ...(due === sd ? { dueFrom: 'plan.submit' as const } : {}),
            details: { comments, returnedBy: a.by, returnedOn: d },
            actor: a.by,
          });
          project(a.by, 'plan.returned', { round: s.round - 1, comments, date: d });
        }
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        const forwardedToTop = s.phase === 'SUBMITTED' && findItem('appraise')?.level === chainLast;
        if (s.phase !== 'APPRAISED' && !forwardedToTop)
          throw new Error(`Kế hoạch đang ở giai đoạn ${s.phase}, chưa thể quyết định`);
        checkActor(levelParty(chainLast), a?.by, 'phê duyệt');
        if (a.by === s.submitted?.by) throw new Error('Không ai phê duyệt kế hoạch do chính mình nộp');
        if (a.decision !== 'approve' && a.decision !== 'return') throw new Error('Quyết định không hợp lệ');
        checkComments(a.comments);
        if (a.decision === 'return' && !(a.comments ?? []).length) throw new Error('Trả lại phải kèm ý kiến');
      },
    },
  );

  setHandler(
    moveDeadlines,
    async (a) => {
      const prior = seen();
      if (prior.hit) return prior.result as { submitDate: LocalDate; approveDate: LocalDate };
      const before = { submit: submitDate(), approve: approveDate() };
      s.calendar = a.calendar;
      if (a.profile) s.profile = a.profile;
      const ctx = ladderCtx();
      const t = now();
      for (const item of s.items) {
        const date = item.dueFrom
          ? deadlineById(s.calendar, item.dueFrom).date
          : cal().nextWorkingDay(item.dueDate);
        if (date === item.dueDate && !a.profile) continue;
        const oldDate = item.dueDate;
        item.dueDate = date;
        item.dueAt = endOfVnDay(date);
        item.fired = firstRungAfter(item, ctx, t);
        if (oldDate !== date) {
          const key = `moved:${wfId}:${item.step}:${oldDate}->${date}`;
          push({
            t: 'open',
            input: taskInput(
              item,
              a.by,
              message(
                key,
                [item.party],
                'plan.deadline-moved',
                { vi: 'Đổi hạn', en: 'Deadline moved' },
                item,
                {
                  vi: `Hạn cũ ${dmy(oldDate)}. Lý do: ${a.reason}`,
                  en: `Was ${dmy(oldDate)}. Reason: ${a.reason}`,
                },
              ),
            ),
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
                details: { from: oldDate, to: date, reason: a.reason },
              },
              audit: { aggregateType: 'plan', aggregateId: input.planId },
            },
          });
        }
      }
      if (s.approveDeadlinePassed && t < deadlineById(s.calendar, 'plan.approve').dueAt && !s.filed)
        s.approveDeadlinePassed = false;
      project(a.by, 'plan.deadlines-moved', {
        before,
        after: { submit: submitDate(), approve: approveDate() },
        reason: a.reason,
      });
      const res = { submitDate: submitDate(), approveDate: approveDate() };
      const id = currentUpdateInfo()?.id;
      if (id !== undefined) s.seenUpdates.push([id, res]);
      changes++;
      const target = enqueued;
      await condition(() => flushed >= target);
      return res;
    },
    {
      validator: (a) => {
        if (seen().hit) return;
        if (a?.calendar?.planYear !== input.year) throw new Error('Lịch không đúng năm kế hoạch');
        deadlineById(a.calendar, 'plan.submit');
        deadlineById(a.calendar, 'plan.approve');
        if (typeof a.by !== 'string' || a.by === '') throw new Error('Thiếu người thực hiện (by)');
        if (typeof a.reason !== 'string' || a.reason.trim() === '') throw new Error('Thiếu lý do');
        if (s.phase === 'APPROVED') throw new Error('Kế hoạch đã được phê duyệt');
      },
    },
  );

  setHandler(getAnnualPlan, () => view());
  const view = (): AnnualPlanView => ({
    phase: s.phase,
    status: status(),
    round: s.round,
    filed: s.filed !== undefined,
    ...(s.submitted ? { submitted: s.submitted } : {}),
    openItems: s.items.map((i) => ({
      taskId: i.taskId,
      kind: i.kind,
      dueDate: i.dueDate,
      escalation: i.escalation,
      partyRole: i.partyRole,
    })),
    misses: s.misses,
    runs: s.runs,
  });

  // ---- start (old histories: after the handlers, see PATCH_START_BEFORE_HANDLERS) ----
  if (!input.state && !startedBeforeHandlers) start();

  // ---- main loop ----
  for (;;) {
    await flush();
    if (processTime()) continue;
    upsertSa();
    if (s.phase === 'APPROVED') {
      await drain();
      return view();
    }
    if (boundary || workflowInfo().continueAsNewSuggested) {
      await drain();
      await continueAsNew<typeof annualPlanWorkflow>({ ...input, state: s });
    }
    const c = changes;
    const wake = [...s.items.map((i) => rungAt(i, ladderCtx(), i.fired)?.at)];
    if (!s.approveDeadlinePassed) wake.push(deadlineById(s.calendar, 'plan.approve').dueAt);
    const next = wake.filter((x): x is number => x !== undefined);
    const until = () => changes !== c || effects.length > 0;
    if (next.length) await condition(until, realDelayUntil(warp, Math.min(...next)));
    else await condition(until);
  }

  /** Flushes effects until no handler is running (never continue-as-new or return from inside a handler). */
  async function drain() {
    for (;;) {
      await flush();
      if (allHandlersFinished() && effects.length === 0) return;
      await condition(() => effects.length > 0 || allHandlersFinished());
    }
  }
}
