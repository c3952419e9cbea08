// Wire contracts of the giao ban workflow (one per province and session; issue 7 point 2): id helper, Update and
// Query definitions, input and view types, the refusal codes the API maps to its problems. Names are wire
// contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { GiaoBanDates } from '../domain/giao-ban/dates.ts';
import type { CompletionLevel, DirectionStatus, GiaoBanPhase } from '../domain/giao-ban/model.ts';
import type { TimeWarp } from './plan-time.ts';

/** One giao ban workflow per province and session ('2027-Q1', '2027-year'). */
export const giaoBanWorkflowId = (provinceId: string, session: string) => `giaoban:${provinceId}:${session}`;

/** The secretariat's task: record the conclusions and publish them (due the conclusions deadline). */
export const GIAO_BAN_CONCLUDE_TASK_KIND = 'giao-ban.conclude';
/** A unit head's task per direction of a published session. */
export const GIAO_BAN_DIRECTION_TASK_KIND = 'giao-ban.direction';
/** Notification kinds: the dossiers sent, the conclusions published. */
export const GIAO_BAN_DOSSIERS_NOTIFICATION = 'giao-ban.dossiers';
export const GIAO_BAN_PUBLISHED_NOTIFICATION = 'giao-ban.published';

export interface GiaoBanInput {
  provinceId: string;
  /** Shown in messages. */
  provinceName?: string;
  /** 'YYYY-Qn' or 'YYYY-year'. */
  session: string;
  /** domain/giao-ban/dates.ts giaoBanDates. */
  dates: GiaoBanDates;
  /** The province's working calendar (the conclude task's ladder). */
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: {
    /** The province's secretariat (role): runs the session, records and publishes the conclusions. */
    secretariat: AssigneeRef;
    /** The province's standing committee (role): concludes; the conclude task escalates to it. */
    standingCommittee: AssigneeRef;
  };
  /** Whether conclusions decide the units' next-quarter draft plans (Q1–Q3 sessions). */
  planDecisions: boolean;
  /** Tests and demos only: play the calendar faster (workflows/plan-time.ts). */
  timeWarp?: TimeWarp;
  /** Set by the run before this one when it continued as new (workflows/giao-ban.ts): where the session is. */
  state?: GiaoBanCarried;
}

/** The session as one run hands it to the next (continue-as-new): plain data, ids only, no documents. */
export interface GiaoBanCarried {
  phase: GiaoBanPhase;
  agenda: GiaoBanAgendaUnit[];
  /** Unit id → the revision of its conclusion. */
  concluded: [string, number][];
  /** Unit id → the latest conclusion's next-quarter plan decision. */
  planDecisions: [string, { decision: 'approved' | 'adjusted'; note: string | null }][];
  /** How many of the conclude task's rungs have fired. */
  fired: number;
  escalation: number;
  publishedAt?: string;
  directions: { id: string; unitId: string; status: DirectionStatus; taskId: string }[];
  /** Update id → its first answer: a resent Update answers it again in any later run. */
  seenUpdates: [string, unknown][];
}

export interface GiaoBanActing {
  by: string;
  /** The person `by` acts for (a delegate). */
  onBehalfOf?: string;
}

export interface DirectionDraft {
  text: string;
  dueDate: LocalDate | null;
}

export interface RecordGiaoBanConclusionArgs extends GiaoBanActing {
  unitId: string;
  completionLevel: CompletionLevel;
  summary: string;
  directions: DirectionDraft[];
  planDecision: 'approved' | 'adjusted' | null;
  planNote: string | null;
}
export interface RecordGiaoBanConclusionResult {
  unitId: string;
  revision: number;
}

export type PublishGiaoBanArgs = GiaoBanActing;
export interface PublishGiaoBanResult {
  /** ISO instant. */
  publishedAt: string;
  publishedOn: LocalDate;
  directions: number;
}

export interface ReportGiaoBanDirectionArgs extends GiaoBanActing {
  directionId: string;
  status: 'in-progress' | 'done';
  note: string;
}
export interface ReportGiaoBanDirectionResult {
  id: string;
  status: DirectionStatus;
}

export interface GiaoBanAgendaUnit {
  unitId: string;
  unitName: string;
  head: AssigneeRef;
}

export interface GiaoBanView {
  session: string;
  phase: GiaoBanPhase;
  dates: GiaoBanDates;
  agenda: { unitId: string; unitName: string }[];
  /** Units with a conclusion and its revision. */
  concluded: { unitId: string; revision: number }[];
  concludeTaskId: string;
  escalation: number;
  publishedAt?: string;
  directions: { id: string; unitId: string; status: DirectionStatus; taskId: string }[];
}

export const recordGiaoBanConclusion = defineUpdate<
  RecordGiaoBanConclusionResult,
  [RecordGiaoBanConclusionArgs]
>('recordGiaoBanConclusion');
export const publishGiaoBanConclusions = defineUpdate<PublishGiaoBanResult, [PublishGiaoBanArgs]>(
  'publishGiaoBanConclusions',
);
export const reportGiaoBanDirection = defineUpdate<
  ReportGiaoBanDirectionResult,
  [ReportGiaoBanDirectionArgs]
>('reportGiaoBanDirection');
export const getGiaoBanState = defineQuery<GiaoBanView>('getGiaoBanState');

/** Validator messages start with these codes (stable: the API matches the prefix). */
export const GIAO_BAN_REFUSAL = {
  notInSession: 'GIAO_BAN_NOT_IN_SESSION',
  conclusionsMissing: 'GIAO_BAN_CONCLUSIONS_MISSING',
  alreadyPublished: 'GIAO_BAN_ALREADY_PUBLISHED',
  unknownUnit: 'GIAO_BAN_UNKNOWN_UNIT',
  unknownDirection: 'GIAO_BAN_UNKNOWN_DIRECTION',
  notFollowUp: 'GIAO_BAN_NOT_IN_FOLLOW_UP',
  directionDone: 'GIAO_BAN_DIRECTION_DONE',
  planDecision: 'GIAO_BAN_PLAN_DECISION',
  invalid: 'GIAO_BAN_INVALID',
  notUnitHead: 'GIAO_BAN_NOT_UNIT_HEAD',
} as const;
