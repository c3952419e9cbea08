// Wire contracts of the monthly unit report workflow (one per unit and month, DESIGN §3 "The unit's monthly
// result is a report to print, sign and stamp"; a unit-level item by the tiered rule of DESIGN §1): id helper,
// Update and Query definitions, input and state types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { PlanYearCalendar } from '../domain/calendar/plan-year.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { TimeWarp } from './plan-time.ts';

/** One report workflow per unit (directly under its province) and month ('YYYY-MM'). */
export const monthlyUnitReportWorkflowId = (period: string, unitId: string) =>
  `unit-report:${period}:unit:${unitId}`;

/** The inbox task kind of the report (the unit head signs and sends it). */
export const MONTHLY_REPORT_TASK_KIND = 'report.monthly';

/** LOCKED (patch 'unit-report-period-lock'): the window closed with the report unsent; only an approved reopen
 *  request (the province's secretariat decides) opens it again. */
export type MonthlyReportPhase = 'WAITING' | 'OPEN' | 'SENT' | 'LOCKED';

export interface MonthlyUnitReportParties {
  /** Signs and sends the report: the unit's head (a person, or the unit_head role of the unit). */
  unitHead: AssigneeRef;
  /** The province's secretariat: receives the sent report and the last escalation (D+6). */
  secretariat: AssigneeRef;
  /** The level that manages the unit's head, when the province names one (else the secretariat is that level). */
  headsManager?: AssigneeRef;
}

export interface MonthlyUnitReportInput {
  unitId: string;
  provinceId: string;
  /** 'YYYY-MM'. */
  period: string;
  /** Shown in messages: the unit's name. */
  unitName?: string;
  /** From domain/calendar computePlanYearCalendar; the task opens after `verify.<period>`. */
  calendar: PlanYearCalendar;
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: MonthlyUnitReportParties;
  /** Working days after the verification window the report is due (2). */
  dueWorkingDays?: number;
  /** Working days from the due day D to the day whose end locks an unsent report (default: the working day after
   *  the ladder's last rung — D+7 with the default ladder, whose last rung is the secretariat's at D+6). */
  lockWorkingDays?: number;
  /** Working days the secretariat has to decide a reopen request (2). */
  reopenDecideWorkingDays?: number;
  /** Working days the unit head has to send a reopened report (2). */
  reopenSendWorkingDays?: number;
  /** Tests and demos only: play the calendar faster (workflows/plan-time.ts). */
  timeWarp?: TimeWarp;
}

export interface SendMonthlyReportArgs {
  by: string;
  /** The unit head `by` acts for (a delegate). */
  onBehalfOf?: string;
  /** The document number (số); absent leaves the blank for the clerk. */
  number?: string;
}

export interface SendMonthlyReportResult {
  phase: MonthlyReportPhase;
  date: LocalDate;
  pdfSha256: string;
  xlsxSha256: string;
}

export interface MonthlyUnitReportView {
  phase: MonthlyReportPhase;
  /** The day the task opens on: the day after the verification window (`verify.<period>`). */
  opensOn: LocalDate;
  dueDate: LocalDate;
  taskId: string;
  escalation: number;
  sent?: { by: string; onBehalfOf?: string; date: LocalDate; pdfSha256: string; xlsxSha256: string };
  /** The day whose end locks the report if still unsent (patch 'unit-report-period-lock'). */
  lockOn?: LocalDate;
  /** The last lock: the closed window's last day. */
  locked?: { date: LocalDate; number: number };
  /** The reopen requests, oldest first; the last one without a decision is pending (its task: reopenTaskId). */
  reopens?: ReportReopenView[];
  reopenTaskId?: string;
}

export interface ReportReopenView {
  number: number;
  by: string;
  onBehalfOf?: string;
  reason: string;
  requestedOn: LocalDate;
  decision?: 'approve' | 'reject';
  decidedBy?: string;
  comment?: string;
  /** An approval: the new send task's due date. */
  dueDate?: LocalDate;
}

/** The unit head (or their delegate) asks to reopen a LOCKED report, with a reason (patch 'unit-report-period-lock'). */
export interface RequestReportReopenArgs {
  by: string;
  onBehalfOf?: string;
  reason: string;
}

/** The province's secretariat (or the standing committee the decision task climbed to) approves or refuses; a
 *  refusal says why (comment). */
export interface DecideReportReopenArgs {
  by: string;
  onBehalfOf?: string;
  approve: boolean;
  comment?: string;
}

export interface ReportReopenResult {
  phase: MonthlyReportPhase;
  number: number;
  /** The decision task (a request) or the new send task (an approval). */
  taskId?: string;
  dueDate?: LocalDate;
}

export const sendMonthlyReport = defineUpdate<SendMonthlyReportResult, [SendMonthlyReportArgs]>(
  'sendMonthlyReport',
);
export const getMonthlyReportState = defineQuery<MonthlyUnitReportView>('getMonthlyReportState');
/** Shared by the monthly and the quarterly report workflows (the same run, runUnitReport). */
export const requestReportReopen = defineUpdate<ReportReopenResult, [RequestReportReopenArgs]>(
  'requestReportReopen',
);
export const decideReportReopen = defineUpdate<ReportReopenResult, [DecideReportReopenArgs]>(
  'decideReportReopen',
);

/** Validator messages the API maps to its problem codes (stable: the API matches their prefix). */
export const REPORT_REFUSAL = {
  windowOpen: 'WINDOW_NOT_CLOSED',
  alreadySent: 'ALREADY_SENT',
  notUnitHead: 'NOT_UNIT_HEAD',
  locked: 'REPORT_LOCKED',
  notLocked: 'NOT_LOCKED',
  reopenPending: 'REOPEN_PENDING',
  noReopenPending: 'NO_REOPEN_PENDING',
  selfDecide: 'SELF_DECIDE',
  reasonRequired: 'REASON_REQUIRED',
  /** A deadline move the run is past (sent, locked, reopened) or that would close its window in the past. */
  notMovable: 'NOT_MOVABLE',
} as const;

/**
 * An administrator's deadline move reaching a running unit report (patch 'unit-report-move-deadlines', issue 6),
 * sent by the calendar-change workflow: the plan-year calendar with the moves (the monthly report opens after its
 * `verify.<period>`, the quarterly one is due its `quarter-report.<period>`) and the province's new profile when its
 * working days changed. Shared by the monthly and the quarterly report workflows (one run: runUnitReport).
 */
export interface MoveReportDeadlinesArgs {
  calendar: PlanYearCalendar;
  profile?: CalendarProfile;
  by: string;
  reason: string;
}

export interface MoveReportDeadlinesResult {
  phase: MonthlyReportPhase;
  /** The day the task opens on after the move. */
  opensOn: LocalDate;
  /** The send task's due date after the move. */
  dueDate: LocalDate;
  /** The inbox tasks re-dated, with their old and new due dates (none while the run waits for its window). */
  redated: { taskId: string; from: LocalDate; to: LocalDate }[];
  /** The day whose end locks the report if still unsent, while a lock is pending. */
  lockOn?: LocalDate;
}

export const moveReportDeadlines = defineUpdate<MoveReportDeadlinesResult, [MoveReportDeadlinesArgs]>(
  'moveReportDeadlines',
);
