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

export type MonthlyReportPhase = 'WAITING' | 'OPEN' | 'SENT';

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
}

export const sendMonthlyReport = defineUpdate<SendMonthlyReportResult, [SendMonthlyReportArgs]>(
  'sendMonthlyReport',
);
export const getMonthlyReportState = defineQuery<MonthlyUnitReportView>('getMonthlyReportState');

/** Validator messages the API maps to its problem codes (stable: the API matches their prefix). */
export const REPORT_REFUSAL = {
  windowOpen: 'WINDOW_NOT_CLOSED',
  alreadySent: 'ALREADY_SENT',
  notUnitHead: 'NOT_UNIT_HEAD',
} as const;
