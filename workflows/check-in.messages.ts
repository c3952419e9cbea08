// Wire contracts of the check-in workflow (one per person per month, DESIGN §3 monthly row): id helper,
// Update and Query definitions, input and state types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { PlanYearCalendar } from '../domain/calendar/plan-year.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { TimeWarp } from './plan-time.ts';

/** One check-in workflow per person per period ('YYYY-MM'): its id is the check-in's business key. */
export const checkInWorkflowId = (period: string, personId: string) => `checkin:${period}:person:${personId}`;

/** LOCKED: the period's window closed before a submission (DESIGN §3 period lock); a reopen request approved by
 * the unit head makes it OPEN again. */
export type CheckInPhase = 'OPEN' | 'SUBMITTED' | 'RETURNED' | 'VERIFIED' | 'LOCKED';

export interface CheckInParties {
  /** The person who reports (a personId ref). */
  person: AssigneeRef;
  /** Their direct manager: verifies, and the first escalation level. */
  supervisor: AssigneeRef;
  /** The unit head: the second escalation level and the verifier a missed verification is forwarded to. */
  unitHead: AssigneeRef;
}

export interface CheckInInput {
  /** The check_in row (created by the content path or the API before starting). */
  checkInId: string;
  personId: string;
  unitId: string;
  /** 'YYYY-MM'. */
  period: string;
  /** Shown in messages, e.g. the person's name. */
  personName?: string;
  /** From domain/calendar computePlanYearCalendar; the submit deadline is `check-in.<period>`. */
  calendar: PlanYearCalendar;
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: CheckInParties;
  /** Working days the verifier has, counted from the later of the submission day and the deadline (3). */
  verifyWorkingDays?: number;
  /** Working days a returned check-in gives the person to revise (2). */
  reviseWorkingDays?: number;
  /** Working days a forwarded verification gives the unit head (2). */
  forwardWorkingDays?: number;
  /** The period lock (DESIGN §3): the window closes at the end of the working day this many working days after
   * the submit deadline (or, after a reopening, after the reopened item's due date) (5: after the last rung, the
   * unit head's escalation at D+4). */
  lockWorkingDays?: number;
  /** Working days the unit head has to decide a reopen request (2). */
  reopenWorkingDays?: number;
  /** Tests and demos only: play the calendar faster (workflows/plan-time.ts). */
  timeWarp?: TimeWarp;
}

export type CheckInItemKind = 'submit' | 'revise' | 'verify' | 'reopen';

/** An open human step (mirrored by a row of the task inbox). */
export interface CheckInItem {
  taskId: string;
  /** 'submit', 'revise:2', 'verify:1', 'verify:1:fwd', 'reopen:1', 'submit:r1' — part of every idempotency key of
   * the item. */
  step: string;
  kind: CheckInItemKind;
  party: AssigneeRef;
  partyRole: 'person' | 'supervisor' | 'unit-head';
  dueDate: LocalDate;
  dueAt: number;
  /** Index of the next rung to fire. */
  fired: number;
  /** Highest escalation rank fired. */
  escalation: number;
  /** A verification already forwarded once (to the unit head): reminders only, no further forward. */
  forwarded?: boolean;
}

export interface Acting {
  by: string;
  /** The assignee `by` acts for (a delegate). */
  onBehalfOf?: string;
}

export interface SubmitCheckInArgs extends Acting {
  /** The check_in_version the API froze (createCheckInVersion) and its sha256. */
  versionId: string;
  hash: string;
}

export interface ValueVerdict {
  planId: string;
  keyResultId: string;
  verdict: 'verified' | 'returned';
  /** A return only: whether it is a major error (RULES.md). */
  majorError?: boolean;
  /** Required for a return. */
  comment?: string;
}

export interface VerifyCheckInArgs extends Acting {
  values: ValueVerdict[];
}

export interface RequestReopenArgs extends Acting {
  /** Why the locked period should reopen (1..2000 characters). */
  reason: string;
}

export interface DecideReopenArgs extends Acting {
  decision: 'approve' | 'reject';
  comment?: string;
}

export interface ReassignVerifierArgs extends Acting {
  /** Another holder of the supervisor, deputy or unit-head roles of the person's unit (never the person). */
  toPersonId: string;
  reason: string;
}

export interface CheckInUpdateResult {
  phase: CheckInPhase;
  round: number;
  date: LocalDate;
}

/** An administrator's move of the period's deadlines reaching the running check-in (patch
 *  'check-in-move-deadlines'; sent by the calendar-change workflow's activity). */
export interface MoveCheckInDeadlinesArgs {
  /** The plan-year calendar with the administrator's moves (domain/calendar computePlanYearCalendar): the submit
   *  deadline is its `check-in.<period>`; a moved `verify.<period>` dates an on-time submission's verification. */
  calendar: PlanYearCalendar;
  /** The province's new calendar profile when its working days changed (a holiday added). */
  profile?: CalendarProfile;
  by: string;
  reason: string;
}

export interface MoveCheckInDeadlinesResult extends CheckInUpdateResult {
  /** The submit deadline in force after the move. */
  submitDate: LocalDate;
  /** The inbox tasks re-dated, with their old and new due dates. */
  redated: { taskId: string; from: LocalDate; to: LocalDate }[];
  /** The last day of the reporting window after the move (the lock falls at its end), while a lock is pending. */
  windowClosesOn?: LocalDate;
}

export interface CheckInView {
  phase: CheckInPhase;
  round: number;
  submitted?: { versionId: string; hash: string; by: string; date: LocalDate; keys: string[] };
  items: {
    taskId: string;
    kind: CheckInItemKind;
    dueDate: LocalDate;
    partyRole: string;
    escalation: number;
  }[];
  misses: { step: string; role: string; date: LocalDate }[];
  /** The last day of the open reporting window (the lock falls at its end), while a lock is pending. */
  windowClosesOn?: LocalDate;
  /** Reopen requests of this run: number and whether decided. */
  reopens?: { number: number; decision?: 'approve' | 'reject' }[];
}

export const submitCheckIn = defineUpdate<CheckInUpdateResult, [SubmitCheckInArgs]>('submitCheckIn');
export const verifyCheckIn = defineUpdate<CheckInUpdateResult, [VerifyCheckInArgs]>('verifyCheckIn');
export const requestReopen = defineUpdate<CheckInUpdateResult, [RequestReopenArgs]>('requestReopen');
export const decideReopen = defineUpdate<CheckInUpdateResult, [DecideReopenArgs]>('decideReopen');
export const reassignCheckInVerifier = defineUpdate<CheckInUpdateResult, [ReassignVerifierArgs]>(
  'reassignCheckInVerifier',
);
export const moveCheckInDeadlines = defineUpdate<MoveCheckInDeadlinesResult, [MoveCheckInDeadlinesArgs]>(
  'moveCheckInDeadlines',
);
export const getCheckInState = defineQuery<CheckInView>('getCheckInState');
