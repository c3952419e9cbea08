// Wire contracts of the annual-plan workflow: id helpers, Update and Query definitions, input and state
// types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { ApprovalChain } from '../domain/calendar/forwarding.ts';
import type { ItemScope, LadderSettings } from '../domain/calendar/ladder.ts';
import type { PlanYearCalendar } from '../domain/calendar/plan-year.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { TimeWarp } from './plan-time.ts';

export type { AssigneeRef };

/** One annual-plan workflow per unit per year: its id is the plan's business key. */
export const annualPlanId = (unitId: string, year: number) => `plan:${year}:unit:${unitId}`;
/** Personal plans likewise. */
export const personalPlanId = (personId: string, year: number) => `plan:${year}:person:${personId}`;

export type PlanPhase = 'DRAFTING' | 'SUBMITTED' | 'APPRAISED' | 'APPROVED' | 'CLOSED';

/** Who acts at each step. Role-based refs are checked by the API's authorization; person refs also here. */
export interface PlanParties {
  /** Drafts and submits (the unit's plan officer, or the person for a personal plan). */
  drafter: AssigneeRef;
  supervisor: AssigneeRef;
  unitHead: AssigneeRef;
  /** For heads' items: the level that manages heads (defaults to the secretariat). */
  headsManager?: AssigneeRef;
  secretariat: AssigneeRef;
  standingCommittee: AssigneeRef;
  /** The province's organisation department (Ban Tổ chức), where a chain names it (defaults to the secretariat). */
  organisationDepartment?: AssigneeRef;
}

export interface AnnualPlanInput {
  planId: string;
  owner: { kind: 'unit'; unitId: string } | { kind: 'person'; personId: string; unitId: string };
  year: number;
  /** Shown in messages, e.g. 'Sở Nội vụ'. */
  ownerName?: string;
  /** From domain/calendar computePlanYearCalendar (instants + logical dates). */
  calendar: PlanYearCalendar;
  /** The working-day profile the calendar was computed with (ladders count working days on it). */
  profile: CalendarProfile;
  ladder?: LadderSettings;
  /** The tiered rule (DESIGN §1): 'unit' (default for a unit's plan; escalates up to the secretariat),
   *  'individual' (default for a personal plan; stays inside the unit) or 'head' (a unit head's own plan). */
  scope?: ItemScope;
  parties: PlanParties;
  /** The unit type's plan-approval chain as data, lowest level first: appraisers, then the decider
   *  (default: secretariat appraises, standing committee decides). Level roles name a party:
   *  'secretariat' | 'standing-committee' | 'unit-head' | 'supervisor' | 'organisation-department'. */
  chain: ApprovalChain;
  /** Working days the appraiser has after a submission (5). */
  appraiseWorkingDays?: number;
  /** Working days to resubmit a returned plan when the submit deadline has passed (3). */
  resubmitWorkingDays?: number;
  /** Working days a forwarded item gives the next level (2). */
  forwardWorkingDays?: number;
  /** The unit type's amendment chain (approval_chain subject 'amendment'); defaults to `chain`. */
  amendmentChain?: ApprovalChain;
  /** After approval or filing, open the decomposition step (a plan with sub-units or people under it). */
  decompose?: boolean;
  /** After approval or filing, open the Q1 plan (deadline 'plan.q1') and each month's plan (deadline
   *  'month-plan.YYYY-MM'), approved by the unit's leadership; the Q1 plan is then sent to the province. */
  periodPlans?: boolean;
  /** A sub-unit's or person's plan decomposed from this plan (its cascade source). */
  parentPlanId?: string;
  /** Tests and demos only: play the calendar faster (workflows/plan-time.ts). */
  timeWarp?: TimeWarp;
  /** Carried across continue-as-new. */
  state?: AnnualPlanState;
}

export type ItemKind =
  | 'submit'
  | 'revise'
  | 'appraise'
  | 'decide'
  /** After approval or filing: decompose into sub-unit and person plans (unit leadership). */
  | 'decompose'
  /** Submit the Q1 plan or a month's plan (details.period = '2027-Q1' | '2027-03'). */
  | 'period-submit'
  /** The unit's leadership approves or returns a period plan. */
  | 'period-decide'
  /** An appraising level of the amendment chain endorses or returns an amendment. */
  | 'amend-appraise'
  /** The last level of the amendment chain approves or returns it. */
  | 'amend-decide';

/** An open human step of the workflow (mirrored by a row of the task inbox). */
export interface OpenItem {
  taskId: string;
  /** e.g. 'submit:1', 'appraise:2:L1' — part of every idempotency key of the item. */
  step: string;
  kind: ItemKind;
  /** Approval-chain level (appraise/decide). */
  level?: number;
  party: AssigneeRef;
  partyRole: string;
  dueDate: LocalDate;
  dueAt: number;
  /** The calendar deadline id the due date follows (moved with it by moveDeadlines): 'plan.submit',
   *  'plan.approve', 'plan.q1', 'month-plan.2027-03' … */
  dueFrom?: string;
  topLevel: boolean;
  /** Index of the next rung to fire. */
  fired: number;
  /** Highest escalation rank fired (domain/calendar ESCALATION_RANK). */
  escalation: number;
  /** Late start: the rung fired as a catch-up when the item opened after its due date (PATCH_LATE_START). */
  catchUpRung?: number;
  /** 'head': the unit head's own item (PATCH_HEAD_ITEMS_ESCALATE_UP): it escalates to the level that manages
   *  heads, never to the supervisor or the unit head. Absent: the plan's scope (input.scope). */
  scope?: ItemScope;
  details?: Record<string, unknown>;
}

export interface Submission {
  round: number;
  versionId: string;
  hash: string;
  by: string;
  /** The assignee `by` acted for (a delegate's submission). */
  onBehalfOf?: string;
  at: number;
  date: LocalDate;
}

export interface ItemComment {
  /** Plan item (task or key result id) the comment is about; absent for a general remark. */
  itemId?: string;
  text: string;
}

export interface AnnualPlanState {
  phase: PlanPhase;
  round: number;
  stateVersion: number;
  calendar: PlanYearCalendar;
  profile: CalendarProfile;
  items: OpenItem[];
  submitted?: Submission;
  /** The version in force: the approved one, or the filed one (provisionally). */
  inForce?: { versionId: string; hash: string; approved: boolean };
  filed?: { versionId: string; date: LocalDate };
  /** The 25/12 check ran (filing, or the nothing-submitted escalation). */
  approveDeadlinePassed: boolean;
  appraisals: { round: number; level: number; by: string; opinion: string; date: LocalDate }[];
  returns: { round: number; by: string; date: LocalDate; comments: ItemComment[] }[];
  misses: { step: string; role: string; date: LocalDate }[];
  /** Update id → its result, so a retried Update after continue-as-new is answered, not applied again. */
  seenUpdates: [string, unknown][];
  /** Last search-attribute values written. */
  sa: { phase?: string; overdue?: number; next?: number };
  runs: number;
  /** Decided once, at approval or filing: true when this run has the in-force phase
   *  (PATCH_IN_FORCE_PHASE); false for histories recorded before it (they end at approval). */
  inForcePhase?: boolean;
  /** Late start (PATCH_LATE_START): an item opened after its due date fires its latest passed rung. */
  catchUp?: boolean;
  /** Decided when the first Q2–Q4 draft would open (PATCH_QUARTER_DRAFTS): the drafts are opened at all. */
  quarterDrafts?: boolean;
  decomposition?: {
    status: 'open' | 'done';
    childPlanIds: string[];
    coverage?: { checked: number; gaps: number };
    by?: string;
    onBehalfOf?: string;
    date?: LocalDate;
  };
  periodPlans?: PeriodPlanRecord[];
  amendments?: AmendmentRecord[];
}

/**
 * Who acts. `by` is the person who clicked; `onBehalfOf`, when present, is the assignee they act for as an
 * approved, active delegate (DESIGN §3). The API checks the delegation (the workflow cannot read the
 * database); the workflow checks the assignee (`onBehalfOf ?? by`) against the item's party and records both.
 */
export interface Acting {
  by: string;
  onBehalfOf?: string;
}
export interface SubmitPlanArgs extends Acting {
  versionId: string;
  /** sha256 hex of the version's canonical content (db/queries/plans.ts planContentHash). */
  hash: string;
}
export interface AppraisePlanArgs extends Acting {
  opinion: 'endorse' | 'concerns';
  comments?: ItemComment[];
}
export interface DecidePlanArgs extends Acting {
  decision: 'approve' | 'return';
  comments?: ItemComment[];
}
/** The unit's leadership declares the decomposition done; the API has checked coverage (children add up to
 *  the parent by each key result's aggregation rule) and passes what it found. */
export interface CompleteDecompositionArgs extends Acting {
  childPlanIds: string[];
  coverage: { checked: number; gaps: number };
}
export interface SubmitPeriodPlanArgs extends Acting {
  /** '2027-Q1' or '2027-03' (an open period-submit item's details.period). */
  period: string;
  versionId: string;
  hash: string;
}
export interface DecidePeriodPlanArgs extends Acting {
  period: string;
  decision: 'approve' | 'return';
  comments?: ItemComment[];
}
/** A mid-year amendment (add a task, adjust or drop a key result): a new content version with a reason. */
export interface ProposeAmendmentArgs extends Acting {
  versionId: string;
  hash: string;
  reason: string;
  /** Counts from the API's diff against the version in force, for messages and audit. */
  changes: { added: number; adjusted: number; dropped: number };
}
export interface ReviewAmendmentArgs extends Acting {
  /** Appraising levels: 'endorse' | 'return'; the last level: 'approve' | 'return'. */
  decision: 'endorse' | 'approve' | 'return';
  comments?: ItemComment[];
}
export interface AmendmentRecord {
  number: number;
  versionId: string;
  hash: string;
  reason: string;
  by: string;
  onBehalfOf?: string;
  changes?: { added: number; adjusted: number; dropped: number };
  date: LocalDate;
  status: 'open' | 'approved' | 'returned';
  /** Endorsements of the appraising levels so far. */
  endorsements?: { level: number; by: string; onBehalfOf?: string; date: LocalDate }[];
  decidedBy?: string;
  decidedOn?: LocalDate;
  comments?: ItemComment[];
}
export interface PeriodPlanRecord {
  period: string;
  status: 'open' | 'submitted' | 'approved' | 'returned';
  versionId?: string;
  hash?: string;
  submittedOn?: LocalDate;
  decidedOn?: LocalDate;
  /** The day its submit item opened (the 1st of the month, or the day the plan came into force). */
  openedOn?: LocalDate;
  /** 1, then +1 after each return (part of the item steps' names). */
  round?: number;
  submittedBy?: string;
  submittedOnBehalfOf?: string;
  decidedBy?: string;
  comments?: ItemComment[];
  /** 'giao-ban': a Q2–Q4 draft (PATCH_QUARTER_DRAFTS): sent with the previous quarter's report, decided at
   *  the giao ban (Update decideQuarterPlan), not by the unit head. Absent: the unit head decides. */
  decider?: 'giao-ban';
  /** The giao ban's decision on a draft: approved as sent, or adjusted (with a note). status is then 'approved'. */
  decision?: QuarterPlanDecision;
  /** The giao ban's note (required when adjusted). */
  note?: string;
  /** The giao ban session that decided it, e.g. '2027-Q1' for the Q2 draft. */
  session?: string;
}
export type QuarterPlanDecision = 'approved' | 'adjusted';
/** The giao ban's decision on the next quarter's draft plan ('2027-Q2' decided at session '2027-Q1'). */
export interface DecideQuarterPlanArgs {
  /** Who recorded it (the secretariat member publishing the conclusions). */
  by: string;
  period: string;
  decision: QuarterPlanDecision;
  note?: string | null;
  session: string;
}
export interface MoveDeadlinesArgs {
  calendar: PlanYearCalendar;
  /** A new profile when a holiday was added. */
  profile?: CalendarProfile;
  by: string;
  reason: string;
}
export interface PlanUpdateResult {
  phase: PlanPhase;
  round: number;
  status: string;
  date: LocalDate;
}

export interface AnnualPlanView {
  phase: PlanPhase;
  status: string;
  round: number;
  filed: boolean;
  submitted?: Submission;
  openItems: {
    taskId: string;
    kind: ItemKind;
    dueDate: LocalDate;
    escalation: number;
    partyRole: string;
    /** Period items: '2027-Q1' | '2027-03'. */
    period?: string;
    /** Amendment items: the amendment's number. */
    amendment?: number;
  }[];
  misses: AnnualPlanState['misses'];
  runs: number;
  decomposition?: {
    status: 'open' | 'done';
    childPlanIds: string[];
    coverage?: { checked: number; gaps: number };
  };
  periodPlans?: PeriodPlanRecord[];
  amendments?: AmendmentRecord[];
}

export const submitPlan = defineUpdate<PlanUpdateResult, [SubmitPlanArgs]>('submitPlan');
export const appraisePlan = defineUpdate<PlanUpdateResult, [AppraisePlanArgs]>('appraisePlan');
export const decidePlan = defineUpdate<PlanUpdateResult, [DecidePlanArgs]>('decidePlan');
export const moveDeadlines = defineUpdate<
  { submitDate: LocalDate; approveDate: LocalDate },
  [MoveDeadlinesArgs]
>('moveDeadlines');
export const completeDecomposition = defineUpdate<PlanUpdateResult, [CompleteDecompositionArgs]>(
  'completeDecomposition',
);
export const submitPeriodPlan = defineUpdate<PlanUpdateResult, [SubmitPeriodPlanArgs]>('submitPeriodPlan');
export const decidePeriodPlan = defineUpdate<PlanUpdateResult, [DecidePeriodPlanArgs]>('decidePeriodPlan');
export const proposeAmendment = defineUpdate<PlanUpdateResult, [ProposeAmendmentArgs]>('proposeAmendment');
export const reviewAmendment = defineUpdate<PlanUpdateResult, [ReviewAmendmentArgs]>('reviewAmendment');
export const decideQuarterPlan = defineUpdate<PlanUpdateResult, [DecideQuarterPlanArgs]>('decideQuarterPlan');
export const getAnnualPlan = defineQuery<AnnualPlanView>('getAnnualPlan');
