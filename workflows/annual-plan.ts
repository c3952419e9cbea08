// The annual plan of one unit (or person) for one year (DESIGN §3, TEMPORAL.md §1–§3, §7):
// DRAFTING (reminders by the ladder towards the submit deadline) → SUBMITTED (Update submitPlan freezing a
// content version) → APPRAISED (Update appraisePlan by the appraising levels of the chain) → decision by the
// approval deadline (Update decidePlan: approve, or return with comments and loop to DRAFTING). At the
// approval deadline a submitted-but-not-approved plan is FILED (in force provisionally; the approval stays
// open with reminders to the approver); a unit with nothing submitted keeps escalating to the standing
// committee. Once approved or filed the plan is IN FORCE (PATCH_IN_FORCE_PHASE): the decomposition step
// (input.decompose), the Q1 plan and each month's plan with the unit head's approval (input.periodPlans;
// the approved Q1 plan is sent to the province), amendments through the amendment chain; the run continues as
// new at every month boundary and CLOSES after December's check-in verification of the plan year. Every
// Update may come from a delegate (Acting.onBehalfOf): the assignee is checked, both people are recorded.
// An item opened after its due date fires its latest passed rung once (PATCH_LATE_START). The unit head's own
// items escalate to the level that manages heads, never to the supervisor or the head (PATCH_HEAD_ITEMS_ESCALATE_UP;
// replay fixtures annualPlan-head-items-v4-*.json). Missed deadlines
// are states, never exceptions. The workflow writes PostgreSQL only through
// activities (tasks inbox, plan status, task events, notifications + outbox e-mail), continues as new at
// phase boundaries and when Temporal suggests it, and upserts the Phase/NextDeadline/OverdueLevel
// search attributes.
//
// Deliberate behaviour change behind a patch (PATCH_FILING_NOTIFIES_HEAD): from this version on, filing
// a plan at the approval deadline also notifies the unit head, with a notify activity of its own (before: the
// drafter only). Histories recorded before it (workflows/__fixtures__/histories/annualPlan-*-v1.json) have no
// marker and replay the old branch; annualPlan-filed-v2.json has the marker. Once no open run can replay
// a v1 history (every plan has continued as new past its filing), replace patched() by deprecatePatch().
//
// From Q2 (PATCH_QUARTER_DRAFTS; DESIGN §3, issue 7 point 1): a unit plan with period plans opens the next
// quarter's draft plan ('2027-Q2', '-Q3', '-Q4') on the 1st of the month after the previous quarter, when that
// quarter's report task opens, due with the report (`quarter-report.2027-Q1` …). A submitted draft is not
// decided by the unit head: it waits for the giao ban, whose published conclusion sends the Update
// decideQuarterPlan (approved, or adjusted with a note; activities/quarter-plan-decision.ts). Histories
// without the marker open no drafts (replay fixture annualPlan-quarter-drafts-v5.json has it).
import {
  ActivityFailure,
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
import { type ApprovalChain, forwardOnMiss } from '../domain/calendar/forwarding.ts';
import { ESCALATION_RANK } from '../domain/calendar/ladder.ts';
import { deadlineById } from '../domain/calendar/plan-year.ts';
import type { LocalDate } from '../domain/calendar/profile.ts';
import { endOfVnDay, localDate, startOfVnDay, vnLocalDate } from '../domain/calendar/vn-time.ts';
import { workingCalendar } from '../domain/calendar/working-days.ts';
import {
  type Acting,
  type AmendmentRecord,
  type AnnualPlanInput,
  type AnnualPlanState,
  type AnnualPlanView,
  appraisePlan,
  completeDecomposition,
  decidePeriodPlan,
  decidePlan,
  decideQuarterPlan,
  getAnnualPlan,
  type ItemComment,
  type ItemKind,
  moveDeadlines,
  type OpenItem,
  type PeriodPlanRecord,
  type PlanUpdateResult,
  proposeAmendment,
  reviewAmendment,
  submitPeriodPlan,
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

/**
 * After approval or filing the workflow no longer ends: the plan is in force until the plan year's last
 * deadline (see closeDeadlineId) with decomposition, the Q1 and month plans and amendments; it continues as
 * new at every month boundary. Histories without the marker return at approval as before.
 */
export const PATCH_IN_FORCE_PHASE = 'annual-plan-in-force-phase';
/**
 * Late start: an item opened after its due date fires the latest rung already past, once, as a catch-up
 * (before: every past rung was skipped, so a late plan never escalated).
 */
export const PATCH_LATE_START = 'annual-plan-late-start-catch-up';

/** Every run continues as new at a month boundary, also before the plan is in force (drafting, approval). */
export const PATCH_MONTHLY_CAN = 'annual-plan-monthly-continue-as-new';

/**
 * An item whose party is the unit head (decompose, period-decide, a child plan's decide by the unit head, an
 * amendment level naming the unit head) escalates to the level that manages heads (parties.headsManager,
 * else the secretariat) and never to the supervisor or the unit head (before: the plan's scope, so the head's
 * overdue item "escalated" to the supervisor and to the head). Decided per item when it opens (item.scope),
 * so items opened in histories without the marker keep their ladder.
 */
export const PATCH_HEAD_ITEMS_ESCALATE_UP = 'annual-plan-head-items-escalate-up';

/**
 * The next quarter's draft plan (Q2–Q4) opens with the previous quarter's report and is decided at the giao
 * ban (Update decideQuarterPlan). Decided once per plan (state.quarterDrafts) when the first draft would open;
 * histories without the marker open none.
 */
export const PATCH_QUARTER_DRAFTS = 'annual-plan-quarter-drafts-at-giao-ban';
/** A Q2–Q4 period key of a plan year: '2027-Q2'. */
const QUARTER_DRAFT = /^(\d{4})-Q([2-4])$/;

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
  decompose: {
    vi: 'Giao kế hoạch cho đơn vị trực thuộc và cá nhân — kế hoạch năm',
    en: 'Decompose the plan into sub-unit and person plans — annual plan',
  },
  'period-submit': { vi: 'Nộp kế hoạch', en: 'Submit the plan for' },
  'period-decide': { vi: 'Phê duyệt kế hoạch', en: 'Approve or return the plan for' },
  'amend-appraise': {
    vi: 'Thẩm định điều chỉnh kế hoạch năm',
    en: 'Appraise the amendment of the annual plan',
  },
  'amend-decide': {
    vi: 'Phê duyệt điều chỉnh kế hoạch năm',
    en: 'Approve or return the amendment of the annual plan',
  },
};

/** 'quý 1/2027' / 'Q1 2027', 'tháng 02/2027' / '02/2027'. */
const periodWords = (period: string): { vi: string; en: string } => {
  const [y, p = ''] = period.split('-');
  return p.startsWith('Q')
    ? { vi: `quý ${p.slice(1)}/${y}`, en: `Q${p.slice(1)} ${y}` }
    : { vi: `tháng ${p}/${y}`, en: `${p}/${y}` };
};
const updateOf: Record<ItemKind, string> = {
  submit: 'submitPlan',
  revise: 'submitPlan',
  appraise: 'appraisePlan',
  decide: 'decidePlan',
  decompose: 'completeDecomposition',
  'period-submit': 'submitPeriodPlan',
  'period-decide': 'decidePeriodPlan',
  'amend-appraise': 'reviewAmendment',
  'amend-decide': 'reviewAmendment',
};
/** The assignee an Update acts for: the principal of a delegate, else the person who clicked. */
const principal = (a: Acting) => a.onBehalfOf ?? a.by;
/** Whether `person` is one of the two people of an action (the clicker or their principal). */
const involves = (a: Acting, person: string | undefined) =>
  person !== undefined && (a.by === person || a.onBehalfOf === person);
const acting = (a: Acting) => (a.onBehalfOf ? { onBehalfOf: a.onBehalfOf } : {});

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
  const amendChain: ApprovalChain = input.amendmentChain ?? input.chain;
  const amendLast = amendChain.levels.length - 1;
  const runMonth = vnLocalDate(now()).slice(0, 7);
  const ladderCtx = (): LadderContext => ({
    profile: s.profile,
    ...(input.ladder ? { settings: input.ladder } : {}),
    approveDate: deadlineById(s.calendar, 'plan.approve').date,
    scope: input.scope ?? (input.owner.kind === 'unit' ? 'unit' : 'individual'),
    ...(input.parties.headsManager ? { headsManager: true } : {}),
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
      // a level no run had before this case existed: old histories never reach it
      case 'organisation-department':
        return p.organisationDepartment ?? p.secretariat;
      default:
        return p.drafter;
    }
  };
  /** Whether a party is the unit head: by role in the chain, or the same reference as parties.unitHead. */
  const isHeadParty = (party: AssigneeRef, role: string) => {
    if (role === 'unit-head') return true;
    const h = input.parties.unitHead;
    if (party.personId || h.personId) return party.personId === h.personId;
    return party.role !== undefined && party.role === h.role && party.unitId === h.unitId;
  };
  const levelParty = (level: number, chain: ApprovalChain = input.chain): AssigneeRef => {
    const l = chain.levels[level];
    if (!l) throw new Error(`no approval level ${level}`);
    return l.actorId ? { personId: l.actorId } : partyOf(l.role);
  };
  const levelRole = (level: number, chain: ApprovalChain = input.chain) =>
    chain.levels[level]?.role ?? 'standing-committee';

  const push = (e: Effect) => {
    effects.push(e);
    enqueued++;
  };
  const status = () =>
    s.phase === 'CLOSED' ? 'CLOSED' : s.phase === 'APPROVED' ? 'APPROVED' : s.filed ? 'FILED' : s.phase;
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
    const kindWords = WHAT[item.kind];
    const period = typeof item.details?.period === 'string' ? periodWords(item.details.period) : undefined;
    const what = period
      ? { vi: `${kindWords.vi} ${period.vi}`, en: `${kindWords.en} ${period.en}` }
      : { vi: `${kindWords.vi} ${input.year}`, en: `${kindWords.en} ${input.year}` };
    const due = dmy(item.dueDate);
    return {
      key,
      recipients,
      kind,
      titleVi: `${title.vi}: ${what.vi} — ${ownerName} — hạn ${due}`,
      titleEn: `${title.en}: ${what.en} — ${ownerName} — due ${due}`,
      bodyVi: `${what.vi} của ${ownerName}: hạn ${due}.${extra.vi ? ` ${extra.vi}` : ''}`,
      bodyEn: `${what.en} of ${ownerName}: due ${due}.${extra.en ? ` ${extra.en}` : ''}`,
      link: `/tasks/${encodeURIComponent(item.taskId)}`,
      logicalDate: item.dueDate,
    };
  };

  const taskInput = (item: OpenItem, actor: string, notify?: NotifyInput): OpenTaskInput => ({
    id: item.taskId,
    workflowId: wfId,
    updateName: updateOf[item.kind],
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
      dueFrom?: string;
      details?: Record<string, unknown>;
      actor?: string;
      /** When it opened logically (a month plan: 00:00 on the 1st, even if the run woke later). */
      asOf?: number;
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
    // The unit head's own item: the 'head' scope (decided once per item; old histories have no marker).
    if (isHeadParty(party, partyRole) && patched(PATCH_HEAD_ITEMS_ESCALATE_UP)) item.scope = 'head';
    const openedAt = opts.asOf ?? now();
    item.fired = firstRungAfter(item, ladderCtx(), openedAt);
    // Late start: opened after rungs have passed → fire the latest of them once (processTime fires it).
    // (An item opened before its due date skips the reminders already past, as before.)
    const late = item.fired > 0 && openedAt >= item.dueAt;
    if (late && s.catchUp === undefined) s.catchUp = patched(PATCH_LATE_START);
    if (late && s.catchUp) {
      item.fired -= 1;
      item.catchUpRung = item.fired;
    }
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

  const closeItem = (
    item: OpenItem,
    st: 'done' | 'cancelled',
    by: string,
    reason?: string,
    onBehalfOf?: string,
  ) => {
    s.items = s.items.filter((i) => i !== item);
    push({
      t: 'close',
      input: {
        id: item.taskId,
        status: st,
        by,
        ...(reason ? { reason } : {}),
        ...(onBehalfOf ? { onBehalfOf } : {}),
      },
    });
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
    const cu = item.catchUpRung === r.index ? { catchUp: true } : {};
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
              details: { offset: r.offset, ...cu },
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
              details: { offset: r.offset, ...cu },
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
              details: { dueDate: item.dueDate, topLevel: true, ...cu },
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
              details: { offset: r.offset, reason: 'nothing-submitted', ...cu },
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
        const amendment = item.kind === 'amend-appraise' ? openAmendment() : undefined;
        const chain = amendment ? amendChain : input.chain;
        // The owner of what is appraised (the principal when a delegate acted) is skipped by a forward.
        const owner = amendment
          ? (amendment.onBehalfOf ?? amendment.by)
          : (s.submitted?.onBehalfOf ?? s.submitted?.by);
        const res = forwardOnMiss(s.profile, chain, level, {
          dueAt: item.dueAt,
          now: now(),
          forwardWorkingDays: input.forwardWorkingDays ?? 2,
          ...(owner ? { ownerId: owner } : {}),
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
              details: { dueDate: item.dueDate, ...cu },
            },
            audit,
          },
        });
        if (res.kind === 'forwarded' && amendment) {
          const to = res.toLevelIndex;
          push({
            t: 'rung',
            input: {
              event: {
                ...base,
                key,
                kind: 'forwarded',
                recipientRole: levelRole(to, amendChain),
                details: {
                  fromLevel: level,
                  toLevel: to,
                  newDueDate: res.dueDate,
                  amendment: amendment.number,
                },
              },
              audit,
            },
          });
          closeItem(item, 'cancelled', SYSTEM, `forwarded to ${levelRole(to, amendChain)}`);
          openAmendLevel(amendment, to, res.dueDate, SYSTEM, { forwardedFrom: levelRole(level, amendChain) });
          project(SYSTEM, 'plan.forwarded', {
            from: levelRole(level, amendChain),
            to: levelRole(to, amendChain),
            date: r.date,
            amendment: amendment.number,
          });
        } else if (res.kind === 'forwarded') {
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
        enterInForce(SYSTEM);
        boundary = true;
      }
      // Nothing submitted: the submit item's ladder continues with the standing-committee escalations.
    }
    if (s.inForcePhase && s.phase !== 'CLOSED') {
      if (t >= closeAt()) {
        closePlan();
        return true;
      }
      if (openDueMonths(SYSTEM, true)) acted = true;
      if (openDueQuarters(SYSTEM, true)) acted = true;
    } else if (s.inForcePhase === undefined && s.phase !== 'CLOSED' && t >= closeAt()) {
      // Never in force (nothing approved or filed all year): it closes too, still escalating until then.
      if (patched(PATCH_IN_FORCE_PHASE)) {
        s.inForcePhase = true;
        closePlan();
        return true;
      }
    }
    return acted;
  };

  // ---- in force: decomposition, period plans, amendments, close (PATCH_IN_FORCE_PHASE) ----
  /**
   * The plan closes after December's check-in verification (deadline `verify.{year}-12`, early January of
   * the next year): the last deadline of the calendar about the plan's own execution (the Q4 giao ban that
   * follows is the province's meeting, not this plan's step). Year-end evaluation will extend this.
   */
  const closeDeadlineId = `verify.${input.year}-12`;
  const closeAt = () => deadlineById(s.calendar, closeDeadlineId).dueAt;
  const deadlineDate = (id: string) => deadlineById(s.calendar, id).date;
  const monthStart = (m: number) => startOfVnDay(localDate(input.year, m, 1));
  const nextYearStart = () => startOfVnDay(localDate(input.year + 1, 1, 1));
  const monthPeriod = (m: number) => localDate(input.year, m, 1).slice(0, 7);
  const nextMonthStart = () => {
    const [y, m] = today().split('-').map(Number) as [number, number];
    return startOfVnDay(m === 12 ? localDate(y + 1, 1, 1) : localDate(y, m + 1, 1));
  };
  const periodRecord = (period: string) => s.periodPlans?.find((r) => r.period === period);
  const periodItem = (kind: ItemKind, period: unknown) =>
    s.items.find((i) => i.kind === kind && i.details?.period === period);
  const openAmendment = () => s.amendments?.find((r) => r.status === 'open');

  const openPeriodSubmit = (
    rec: PeriodPlanRecord,
    due: LocalDate,
    dueFrom: string | undefined,
    actor: string,
    details: Record<string, unknown> = {},
    asOf?: number,
  ) =>
    openItem(
      'period-submit',
      `period:${rec.period}:submit:${rec.round ?? 1}`,
      input.parties.drafter,
      'drafter',
      due,
      {
        ...(dueFrom ? { dueFrom } : {}),
        details: { period: rec.period, ...details },
        actor,
        ...(asOf !== undefined ? { asOf } : {}),
      },
    );
  const openPeriod = (
    period: string,
    deadlineId: string,
    actor: string,
    asOf?: number,
    decider?: 'giao-ban',
  ) => {
    const rec: PeriodPlanRecord = {
      period,
      status: 'open',
      round: 1,
      openedOn: asOf === undefined ? today() : vnLocalDate(asOf),
      ...(decider ? { decider } : {}),
    };
    s.periodPlans = [...(s.periodPlans ?? []), rec];
    openPeriodSubmit(
      rec,
      deadlineDate(deadlineId),
      deadlineId,
      actor,
      decider ? { decider, sendWith: deadlineId } : {},
      asOf,
    );
  };
  /**
   * The next quarter's draft (PATCH_QUARTER_DRAFTS): Q2–Q4 of a unit plan with period plans, each at 00:00 on
   * the 1st of the month after the previous quarter (when its report task opens), due with that report. A
   * quarter already over when the plan comes into force (a late start) gets no draft.
   */
  const openDueQuarters = (actor: string, onSchedule: boolean): boolean => {
    if (!input.periodPlans || input.owner.kind !== 'unit') return false;
    let opened = false;
    for (let q = 2; q <= 4; q++) {
      const period = `${input.year}-Q${q}`;
      if (periodRecord(period)) continue;
      const start = monthStart(3 * q - 2);
      if (now() < start) break;
      const ended = q === 4 ? nextYearStart() : monthStart(3 * q + 1);
      if (now() >= ended) continue;
      if (s.quarterDrafts === undefined) s.quarterDrafts = patched(PATCH_QUARTER_DRAFTS);
      if (!s.quarterDrafts) return opened;
      openPeriod(
        period,
        `quarter-report.${input.year}-Q${q - 1}`,
        actor,
        onSchedule ? start : undefined,
        'giao-ban',
      );
      opened = true;
    }
    return opened;
  };
  /**
   * January's month plan opens with the in-force phase, each later month's at 00:00 on its 1st; `onSchedule`
   * (the wake-up at a month boundary) records the 1st as the opening day, else (the plan just came into
   * force) today.
   */
  const openDueMonths = (actor: string, onSchedule: boolean): boolean => {
    if (!input.periodPlans) return false;
    let opened = false;
    for (let m = 1; m <= 12; m++) {
      const period = monthPeriod(m);
      if (periodRecord(period)) continue;
      if (m > 1 && now() < monthStart(m)) break;
      openPeriod(period, `month-plan.${period}`, actor, onSchedule && m > 1 ? monthStart(m) : undefined);
      opened = true;
    }
    return opened;
  };
  /** At approval or filing (once): the in-force phase, when this history has the patch. */
  function enterInForce(actor: string) {
    if (s.inForcePhase !== undefined) return;
    s.inForcePhase = patched(PATCH_IN_FORCE_PHASE);
    if (!s.inForcePhase) return;
    if (input.decompose) {
      s.decomposition = { status: 'open', childPlanIds: [] };
      openItem('decompose', 'decompose', input.parties.unitHead, 'unit-head', deadlineDate('plan.q1'), {
        dueFrom: 'plan.q1',
        actor,
      });
    }
    if (input.periodPlans) {
      openPeriod(`${input.year}-Q1`, 'plan.q1', actor);
      openDueMonths(actor, false);
      openDueQuarters(actor, false);
    }
  }

  function closePlan() {
    for (const item of [...s.items]) closeItem(item, 'cancelled', SYSTEM, 'plan year closed');
    s.phase = 'CLOSED';
    project(SYSTEM, 'plan.closed', {
      date: today(),
      after: closeDeadlineId,
      afterDate: deadlineDate(closeDeadlineId),
    });
  }

  function openAmendLevel(
    rec: AmendmentRecord,
    level: number,
    due: LocalDate,
    actor: string,
    details: Record<string, unknown> = {},
  ) {
    const last = level === amendLast;
    openItem(
      last ? 'amend-decide' : 'amend-appraise',
      `amend:${rec.number}:L${level}`,
      levelParty(level, amendChain),
      levelRole(level, amendChain),
      due,
      {
        level,
        topLevel: last,
        details: { amendment: rec.number, versionId: rec.versionId, reason: rec.reason, ...details },
        actor,
      },
    );
  }

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
          // A message is not essential: a bad reference (non-retryable) is recorded, the run goes on.
          try {
            await acts.notify(e.input);
          } catch (err) {
            if (!(err instanceof ActivityFailure)) throw err;
            await acts.recordEffectFailure({
              planId: input.planId,
              workflowId: wfId,
              effect: 'notify',
              key: e.input.key,
              message: err.cause?.message ?? err.message,
            });
          }
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
  /** The assignee (`onBehalfOf ?? by`) must be the item's party when that is a person. */
  const checkActor = (party: AssigneeRef, a: Acting | undefined, what: string) => {
    if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
    if (a.onBehalfOf !== undefined && (typeof a.onBehalfOf !== 'string' || a.onBehalfOf.trim() === ''))
      throw new Error('Người được ủy quyền không hợp lệ (onBehalfOf)');
    if (party.personId && party.personId !== principal(a))
      throw new Error(`Người thực hiện không có quyền ${what}`);
  };
  /** Who may submit the unit's plans (the annual plan, a period plan, an amendment): drafter or unit head. */
  const checkSubmitter = (a: Acting | undefined, what: string) => {
    checkActor({}, a, what);
    const p = input.parties;
    const known = [p.drafter.personId, p.unitHead.personId].filter((x): x is string => !!x);
    if (known.length && !known.includes(principal(a!)))
      throw new Error(`Người thực hiện không có quyền ${what}`);
  };
  const checkVersion = (a: { versionId?: unknown; hash?: unknown }) => {
    if (typeof a?.versionId !== 'string' || a.versionId === '')
      throw new Error('Thiếu phiên bản (versionId)');
    if (typeof a.hash !== 'string' || !HASH.test(a.hash))
      throw new Error('Mã băm phiên bản không hợp lệ (sha256 hex)');
  };
  const submitter = () =>
    s.submitted && {
      by: s.submitted.by,
      ...(s.submitted.onBehalfOf ? { onBehalfOf: s.submitted.onBehalfOf } : {}),
    };
  /** Nobody acts on what they (or the person they act for) submitted themselves. */
  const selfAct = (a: Acting, own: Acting | undefined) =>
    !!own && (involves(a, own.by) || involves(a, own.onBehalfOf));
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
  // A run continued from one that filed (or was approved) without the in-force phase — it ran code older
  // than PATCH_IN_FORCE_PHASE — comes into force now: this run's own history decides (a replay of such an
  // old continued run finds no marker here and keeps the old behaviour).
  if (input.state && s.inForcePhase !== true && s.phase !== 'CLOSED' && (s.phase === 'APPROVED' || s.filed)) {
    s.inForcePhase = undefined;
    enterInForce(SYSTEM);
  }
  if (startedBeforeHandlers) start();

  setHandler(
    submitPlan,
    (a) =>
      apply(() => {
        const drafting = findItem('submit', 'revise');
        if (drafting) closeItem(drafting, 'done', a.by, undefined, a.onBehalfOf);
        const t = now();
        s.submitted = {
          round: s.round,
          versionId: a.versionId,
          hash: a.hash,
          by: a.by,
          ...acting(a),
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
          ...acting(a),
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        if (s.phase !== 'DRAFTING') throw new Error(`Kế hoạch đang ở giai đoạn ${s.phase}, không thể nộp`);
        checkVersion(a);
        checkSubmitter(a, 'nộp kế hoạch');
      },
    },
  );

  setHandler(
    appraisePlan,
    (a) =>
      apply(() => {
        const item = findItem('appraise')!;
        closeItem(item, 'done', a.by, undefined, a.onBehalfOf);
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
          ...acting(a),
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        const item = findItem('appraise');
        if (s.phase !== 'SUBMITTED' || !item)
          throw new Error(`Kế hoạch đang ở giai đoạn ${s.phase}, không thể thẩm định`);
        checkActor(item.party, a, 'thẩm định');
        if (selfAct(a, submitter())) throw new Error('Không ai thẩm định kế hoạch do chính mình nộp');
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
          closeItem(item, 'done', a.by, undefined, a.onBehalfOf);
        const d = today();
        if (a.decision === 'approve') {
          s.phase = 'APPROVED';
          s.inForce = { versionId: s.submitted!.versionId, hash: s.submitted!.hash, approved: true };
          project(a.by, 'plan.approved', {
            versionId: s.submitted!.versionId,
            round: s.round,
            date: d,
            wasFiled: s.filed !== undefined,
            ...acting(a),
          });
          enterInForce(a.by);
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
          project(a.by, 'plan.returned', { round: s.round - 1, comments, date: d, ...acting(a) });
        }
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        // Forwarded to the top level, or a one-level chain (the decide item opens on submission).
        const forwardedToTop =
          s.phase === 'SUBMITTED' && (findItem('appraise')?.level === chainLast || !!findItem('decide'));
        if (s.phase !== 'APPRAISED' && !forwardedToTop)
          throw new Error(`Kế hoạch đang ở giai đoạn ${s.phase}, chưa thể quyết định`);
        checkActor(levelParty(chainLast), a, 'phê duyệt');
        if (selfAct(a, submitter())) throw new Error('Không ai phê duyệt kế hoạch do chính mình nộp');
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
        if (s.phase === 'APPROVED' && !s.inForcePhase) throw new Error('Kế hoạch đã được phê duyệt');
        if (s.phase === 'CLOSED') throw new Error('Kế hoạch đã kết thúc');
      },
    },
  );

  // ---- in force: decomposition ----
  setHandler(
    completeDecomposition,
    (a) =>
      apply(() => {
        const item = findItem('decompose')!;
        closeItem(item, 'done', a.by, undefined, a.onBehalfOf);
        const date = today();
        s.decomposition = {
          status: 'done',
          childPlanIds: [...a.childPlanIds],
          coverage: { checked: a.coverage.checked, gaps: a.coverage.gaps },
          by: a.by,
          ...acting(a),
          date,
        };
        project(a.by, 'plan.decomposed', {
          childPlanIds: a.childPlanIds,
          coverage: a.coverage,
          date,
          ...acting(a),
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        const item = findItem('decompose');
        if (!item || s.phase === 'CLOSED') throw new Error('Không có việc giao kế hoạch đang mở');
        checkActor(item.party, a, 'giao kế hoạch');
        if (
          !Array.isArray(a.childPlanIds) ||
          a.childPlanIds.some((x: unknown) => typeof x !== 'string' || x === '')
        )
          throw new Error('Danh sách kế hoạch con không hợp lệ (childPlanIds)');
        const c = a.coverage;
        if (!c || !Number.isInteger(c.checked) || !Number.isInteger(c.gaps) || c.checked < 0 || c.gaps < 0)
          throw new Error('Kết quả kiểm tra độ phủ không hợp lệ (coverage)');
      },
    },
  );

  // ---- in force: the Q1 plan and the month plans ----
  setHandler(
    submitPeriodPlan,
    (a) =>
      apply(() => {
        const item = periodItem('period-submit', a.period)!;
        closeItem(item, 'done', a.by, undefined, a.onBehalfOf);
        const rec = periodRecord(a.period)!;
        const date = today();
        Object.assign(rec, {
          status: 'submitted',
          versionId: a.versionId,
          hash: a.hash,
          submittedOn: date,
          submittedBy: a.by,
        });
        if (a.onBehalfOf) rec.submittedOnBehalfOf = a.onBehalfOf;
        else delete rec.submittedOnBehalfOf;
        // A Q2–Q4 draft is sent with the quarterly report and waits for the giao ban (no unit-head item).
        if (rec.decider !== 'giao-ban')
          openItem(
            'period-decide',
            `period:${a.period}:decide:${rec.round ?? 1}`,
            input.parties.unitHead,
            'unit-head',
            dueIn(2),
            { details: { period: a.period, versionId: a.versionId }, actor: a.by },
          );
        project(a.by, 'plan.period-submitted', {
          period: a.period,
          versionId: a.versionId,
          hash: a.hash,
          date,
          ...acting(a),
          ...(rec.decider ? { awaiting: rec.decider } : {}),
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        const item = periodItem('period-submit', a?.period);
        if (!item || s.phase === 'CLOSED') throw new Error(`Không có kế hoạch kỳ ${a?.period} đang chờ nộp`);
        checkVersion(a);
        checkActor(item.party, a, 'nộp kế hoạch kỳ');
      },
    },
  );

  setHandler(
    decidePeriodPlan,
    (a) =>
      apply(() => {
        const item = periodItem('period-decide', a.period)!;
        closeItem(item, 'done', a.by, undefined, a.onBehalfOf);
        const rec = periodRecord(a.period)!;
        const date = today();
        rec.decidedOn = date;
        rec.decidedBy = a.by;
        if (a.decision === 'approve') {
          rec.status = 'approved';
          project(a.by, 'plan.period-approved', {
            period: a.period,
            versionId: rec.versionId,
            date,
            ...acting(a),
          });
          if (a.period === `${input.year}-Q1`) {
            // The Q1 plan is sent to the province (its secretariat).
            push({
              t: 'notify',
              input: {
                key: `q1-sent:${wfId}:${rec.round ?? 1}`,
                recipients: [input.parties.secretariat],
                kind: 'plan.q1-sent',
                titleVi: `Kế hoạch quý 1/${input.year} — ${ownerName} — đã được phê duyệt và gửi Tỉnh`,
                titleEn: `Q1 ${input.year} plan — ${ownerName} — approved and sent to the province`,
                bodyVi: `Kế hoạch quý 1/${input.year} của ${ownerName} được phê duyệt ngày ${dmy(date)}.`,
                bodyEn: `The Q1 ${input.year} plan of ${ownerName} was approved on ${dmy(date)}.`,
                logicalDate: date,
              },
            });
            project(a.by, 'plan.q1-sent', { period: a.period, versionId: rec.versionId, date });
          }
        } else {
          const comments = a.comments ?? [];
          rec.status = 'returned';
          rec.comments = comments;
          rec.round = (rec.round ?? 1) + 1;
          openPeriodSubmit(rec, dueIn(input.resubmitWorkingDays ?? 3), undefined, a.by, {
            comments,
            returnedBy: a.by,
            returnedOn: date,
          });
          project(a.by, 'plan.period-returned', { period: a.period, comments, date, ...acting(a) });
        }
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        const item = periodItem('period-decide', a?.period);
        if (!item || s.phase === 'CLOSED')
          throw new Error(`Không có kế hoạch kỳ ${a?.period} đang chờ phê duyệt`);
        checkActor(item.party, a, 'phê duyệt kế hoạch kỳ');
        const rec = periodRecord(a.period);
        const own = rec?.submittedBy
          ? {
              by: rec.submittedBy,
              ...(rec.submittedOnBehalfOf ? { onBehalfOf: rec.submittedOnBehalfOf } : {}),
            }
          : undefined;
        if (selfAct(a, own)) throw new Error('Không ai phê duyệt kế hoạch do chính mình nộp');
        if (a.decision !== 'approve' && a.decision !== 'return') throw new Error('Quyết định không hợp lệ');
        checkComments(a.comments);
        if (a.decision === 'return' && !(a.comments ?? []).length) throw new Error('Trả lại phải kèm ý kiến');
      },
    },
  );

  // ---- in force: the giao ban decides the next quarter's draft (PATCH_QUARTER_DRAFTS) ----
  setHandler(
    decideQuarterPlan,
    (a) =>
      apply(() => {
        const rec = periodRecord(a.period)!;
        const date = today();
        const note = typeof a.note === 'string' && a.note.trim() !== '' ? a.note.trim() : undefined;
        rec.status = 'approved';
        rec.decision = a.decision;
        if (note) rec.note = note;
        rec.session = a.session;
        rec.decidedBy = a.by;
        rec.decidedOn = date;
        const words = periodWords(a.period);
        const adjusted = a.decision === 'adjusted';
        push({
          t: 'notify',
          input: {
            key: `quarter-plan-decided:${wfId}:${a.period}`,
            recipients: [input.parties.drafter, input.parties.unitHead],
            kind: `plan.period-${a.decision}`,
            titleVi: `Kế hoạch ${words.vi} — ${ownerName} — ${adjusted ? 'được giao ban điều chỉnh' : 'được giao ban phê duyệt'}`,
            titleEn: `${words.en} plan — ${ownerName} — ${adjusted ? 'adjusted at the giao ban' : 'approved at the giao ban'}`,
            bodyVi: `Giao ban ${periodWords(a.session).vi} quyết định ngày ${dmy(date)}.${note ? ` Ghi chú: ${note}` : ''}`,
            bodyEn: `Decided at the ${periodWords(a.session).en} giao ban on ${dmy(date)}.${note ? ` Note: ${note}` : ''}`,
            logicalDate: date,
          },
        });
        project(a.by, adjusted ? 'plan.period-adjusted' : 'plan.period-approved', {
          period: a.period,
          versionId: rec.versionId,
          decision: a.decision,
          ...(note ? { note } : {}),
          session: a.session,
          date,
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        if (typeof a?.by !== 'string' || a.by.trim() === '') throw new Error('Thiếu người thực hiện (by)');
        const m = typeof a.period === 'string' ? QUARTER_DRAFT.exec(a.period) : null;
        if (a.period === `${input.year}-Q1`)
          throw new Error('Kế hoạch quý 1 do lãnh đạo đơn vị phê duyệt, không do giao ban quyết định');
        if (!m || Number(m[1]) !== input.year) throw new Error(`Kỳ kế hoạch không hợp lệ: ${a.period}`);
        const rec = periodRecord(a.period);
        if (rec?.decider !== 'giao-ban' || !rec) throw new Error(`Không có dự thảo kế hoạch kỳ ${a.period}`);
        if (s.phase === 'CLOSED') throw new Error('Kế hoạch đã kết thúc');
        if (rec.decision) throw new Error(`Dự thảo kế hoạch kỳ ${a.period} đã được giao ban quyết định`);
        if (rec.status !== 'submitted') throw new Error(`Dự thảo kế hoạch kỳ ${a.period} chưa được gửi`);
        if (a.decision !== 'approved' && a.decision !== 'adjusted')
          throw new Error('Quyết định không hợp lệ');
        if (a.note != null && typeof a.note !== 'string') throw new Error('Ghi chú không hợp lệ');
        if (a.decision === 'adjusted' && !(a.note ?? '').trim())
          throw new Error('Điều chỉnh phải kèm ghi chú');
        const session = `${input.year}-Q${Number(m[2]) - 1}`;
        if (a.session !== session)
          throw new Error(`Dự thảo kế hoạch kỳ ${a.period} do giao ban ${session} quyết định`);
      },
    },
  );

  // ---- in force: amendments ----
  setHandler(
    proposeAmendment,
    (a) =>
      apply(() => {
        const date = today();
        s.amendments ??= [];
        const list = s.amendments;
        const rec: AmendmentRecord = {
          number: list.length + 1,
          versionId: a.versionId,
          hash: a.hash,
          reason: a.reason.trim(),
          by: a.by,
          ...acting(a),
          changes: { ...a.changes },
          date,
          status: 'open',
          endorsements: [],
        };
        list.push(rec);
        openAmendLevel(rec, 0, dueIn(input.appraiseWorkingDays ?? 5), a.by);
        project(a.by, 'plan.amendment-proposed', {
          amendment: rec.number,
          versionId: a.versionId,
          hash: a.hash,
          reason: rec.reason,
          changes: rec.changes,
          date,
          ...acting(a),
        });
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        if (!s.inForcePhase || !s.inForce || s.phase === 'CLOSED')
          throw new Error('Chưa có phiên bản kế hoạch có hiệu lực để điều chỉnh');
        if (openAmendment()) throw new Error('Đang có một đề nghị điều chỉnh chưa được quyết định');
        checkVersion(a);
        if (typeof a.reason !== 'string' || a.reason.trim() === '') throw new Error('Thiếu lý do điều chỉnh');
        const c = a.changes;
        if (!c || ![c.added, c.adjusted, c.dropped].every((n) => Number.isInteger(n) && n >= 0))
          throw new Error('Số thay đổi không hợp lệ (changes)');
        checkSubmitter(a, 'đề nghị điều chỉnh kế hoạch');
      },
    },
  );

  setHandler(
    reviewAmendment,
    (a) =>
      apply(() => {
        const rec = openAmendment()!;
        const item = findItem('amend-appraise', 'amend-decide')!;
        closeItem(item, 'done', a.by, undefined, a.onBehalfOf);
        const level = item.level ?? 0;
        const date = today();
        if (a.decision === 'endorse') {
          rec.endorsements = [...(rec.endorsements ?? []), { level, by: a.by, ...acting(a), date }];
          openAmendLevel(rec, level + 1, dueIn(input.appraiseWorkingDays ?? 5), a.by);
          project(a.by, 'plan.amendment-endorsed', {
            amendment: rec.number,
            level,
            comments: a.comments ?? [],
            date,
            ...acting(a),
          });
        } else if (a.decision === 'approve') {
          rec.status = 'approved';
          rec.decidedBy = a.by;
          rec.decidedOn = date;
          if (a.comments?.length) rec.comments = a.comments;
          const previous = s.inForce?.versionId;
          s.inForce = { versionId: rec.versionId, hash: rec.hash, approved: s.inForce?.approved ?? true };
          project(a.by, 'plan.amended', {
            amendment: rec.number,
            versionId: rec.versionId,
            previousVersionId: previous,
            reason: rec.reason,
            changes: rec.changes,
            date,
            ...acting(a),
          });
        } else {
          rec.status = 'returned';
          rec.decidedBy = a.by;
          rec.decidedOn = date;
          rec.comments = a.comments ?? [];
          push({
            t: 'notify',
            input: {
              key: `amend-returned:${wfId}:${rec.number}`,
              recipients: [{ personId: rec.onBehalfOf ?? rec.by }],
              kind: 'plan.amendment-returned',
              titleVi: `Đề nghị điều chỉnh số ${rec.number} kế hoạch năm ${input.year} — ${ownerName} — bị trả lại`,
              titleEn: `Amendment ${rec.number} of the ${input.year} annual plan — ${ownerName} — returned`,
              bodyVi: `Ý kiến: ${rec.comments.map((c) => c.text).join('; ')}`,
              bodyEn: `Comments: ${rec.comments.map((c) => c.text).join('; ')}`,
              logicalDate: date,
            },
          });
          project(a.by, 'plan.amendment-returned', {
            amendment: rec.number,
            comments: rec.comments,
            date,
            ...acting(a),
          });
        }
        return result();
      }),
    {
      validator: (a) => {
        if (seen().hit) return;
        const rec = openAmendment();
        const item = findItem('amend-appraise', 'amend-decide');
        if (!rec || !item || s.phase === 'CLOSED')
          throw new Error('Không có đề nghị điều chỉnh đang chờ xem xét');
        checkActor(item.party, a, 'xem xét đề nghị điều chỉnh');
        if (selfAct(a, rec)) throw new Error('Không ai xem xét đề nghị điều chỉnh do chính mình đưa ra');
        const allowed = item.kind === 'amend-decide' ? ['approve', 'return'] : ['endorse', 'return'];
        if (!allowed.includes(a.decision)) throw new Error('Quyết định không hợp lệ ở cấp này');
        checkComments(a.comments);
        if (a.decision === 'return' && !(a.comments ?? []).length) throw new Error('Trả lại phải kèm ý kiến');
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
      ...(typeof i.details?.period === 'string' ? { period: i.details.period } : {}),
      ...(typeof i.details?.amendment === 'number' ? { amendment: i.details.amendment } : {}),
    })),
    misses: s.misses,
    runs: s.runs,
    ...(s.decomposition
      ? {
          decomposition: {
            status: s.decomposition.status,
            childPlanIds: s.decomposition.childPlanIds,
            ...(s.decomposition.coverage ? { coverage: s.decomposition.coverage } : {}),
          },
        }
      : {}),
    ...(s.periodPlans ? { periodPlans: s.periodPlans } : {}),
    ...(s.amendments ? { amendments: s.amendments } : {}),
  });

  // ---- start (old histories: after the handlers, see PATCH_START_BEFORE_HANDLERS) ----
  if (!input.state && !startedBeforeHandlers) start();

  // ---- main loop ----
  for (;;) {
    await flush();
    if (processTime()) continue;
    upsertSa();
    if (s.phase === 'CLOSED' || (s.phase === 'APPROVED' && !s.inForcePhase)) {
      await drain();
      return view();
    }
    // A new month: in force always; before that only in histories with PATCH_MONTHLY_CAN (older ones
    // waited on across the month, e.g. a drafting run from November into December).
    const newMonth =
      today().slice(0, 7) !== runMonth && (s.inForcePhase === true || patched(PATCH_MONTHLY_CAN));
    if (boundary || newMonth || workflowInfo().continueAsNewSuggested) {
      await drain();
      await continueAsNew<typeof annualPlanWorkflow>({ ...input, state: s });
    }
    const c = changes;
    const wake = [...s.items.map((i) => rungAt(i, ladderCtx(), i.fired)?.at)];
    if (!s.approveDeadlinePassed) wake.push(deadlineById(s.calendar, 'plan.approve').dueAt);
    // In force: the close, and the next month's boundary (its month plan opens, the run continues as new).
    if (s.inForcePhase) wake.push(closeAt(), nextMonthStart());
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
