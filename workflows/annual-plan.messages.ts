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

export type PlanPhase = 'DRAFTING' | 'SUBMITTED' | 'APPRAISED' | 'APPROVED';

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
   *  'secretariat' | 'standing-committee' | 'unit-head' | 'supervisor'. */
  chain: ApprovalChain;
  /** Working days the appraiser has after a submission (5). */
  appraiseWorkingDays?: number;
  /** Working days to resubmit a returned plan when the submit deadline has passed (3). */
  resubmitWorkingDays?: number;
  /** Working days a forwarded item gives the next level (2). */
  forwardWorkingDays?: number;
  /** Tests and demos only: play the calendar faster (workflows/plan-time.ts). */
  timeWarp?: TimeWarp;
  /** Carried across continue-as-new. */
  state?: AnnualPlanState;
}

export type ItemKind = 'submit' | 'revise' | 'appraise' | 'decide';

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
  /** The calendar deadline the due date follows (moved with it by moveDeadlines). */
  dueFrom?: 'plan.submit' | 'plan.approve';
  topLevel: boolean;
  /** Index of the next rung to fire. */
  fired: number;
  /** Highest escalation rank fired (domain/calendar ESCALATION_RANK). */
  escalation: number;
  details?: Record<string, unknown>;
}

export interface Submission {
  round: number;
  versionId: string;
  hash: string;
  by: string;
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
}

export interface SubmitPlanArgs {
  versionId: string;
  /** sha256 hex of the version's canonical content (db/queries/plans.ts planContentHash). */
  hash: string;
  by: string;
}
export interface AppraisePlanArgs {
  by: string;
  opinion: 'endorse' | 'concerns';
  comments?: ItemComment[];
}
export interface DecidePlanArgs {
  by: string;
  decision: 'approve' | 'return';
  comments?: ItemComment[];
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
  openItems: { taskId: string; kind: ItemKind; dueDate: LocalDate; escalation: number; partyRole: string }[];
  misses: AnnualPlanState['misses'];
  runs: number;
}

export const submitPlan = defineUpdate<PlanUpdateResult, [SubmitPlanArgs]>('submitPlan');
export const appraisePlan = defineUpdate<PlanUpdateResult, [AppraisePlanArgs]>('appraisePlan');
export const decidePlan = defineUpdate<PlanUpdateResult, [DecidePlanArgs]>('decidePlan');
export const moveDeadlines = defineUpdate<
  { submitDate: LocalDate; approveDate: LocalDate },
  [MoveDeadlinesArgs]
>('moveDeadlines');
export const getAnnualPlan = defineQuery<AnnualPlanView>('getAnnualPlan');
