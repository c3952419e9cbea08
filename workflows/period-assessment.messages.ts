// Wire contracts of the period-assessment workflow (one per person and assessment period, DESIGN §3): id
// helper, Update and Query definitions, input and state types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { PlanYearCalendar } from '../domain/calendar/plan-year.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { TimeWarp } from './plan-time.ts';

/** One workflow per person and period ('YYYY-MM' or 'YYYY-Qn'). */
export const periodAssessmentWorkflowId = (period: string, personId: string) =>
  `assessment:${period}:person:${personId}`;

export type AssessmentPhase = 'WAITING' | 'OPEN' | 'CONFIRMED';

export interface PeriodAssessmentInput {
  /** The period_assessment row (created before the start). */
  assessmentId: string;
  personId: string;
  unitId: string;
  /** 'YYYY-MM' or 'YYYY-Qn'. */
  period: string;
  personName?: string;
  /** The plan-year calendar of the period's last month; the task opens after its `verify.<month>` deadline. */
  calendar: PlanYearCalendar;
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: {
    person: AssigneeRef;
    /** The direct manager: confirms. */
    supervisor: AssigneeRef;
    /** The unit head: a missed confirmation is forwarded to them. */
    unitHead: AssigneeRef;
  };
  /** Working days the manager has from the opening day (5). */
  confirmWorkingDays?: number;
  /** Working days a forwarded confirmation gives the unit head (2). */
  forwardWorkingDays?: number;
  timeWarp?: TimeWarp;
}

export interface ConfirmAssessmentArgs {
  by: string;
  onBehalfOf?: string;
  /** The draft's revision the manager saw. */
  revision: number;
}

export interface AssessmentUpdateResult {
  phase: AssessmentPhase;
  revision: number;
  total: string | null;
  confirmedBy: string;
  date: LocalDate;
}

export interface AssessmentView {
  phase: AssessmentPhase;
  opensOn: LocalDate;
  items: { taskId: string; dueDate: LocalDate; partyRole: string; forwarded: boolean }[];
  misses: { step: string; role: string; date: LocalDate }[];
  confirmed?: AssessmentUpdateResult;
}

export const confirmAssessment = defineUpdate<AssessmentUpdateResult, [ConfirmAssessmentArgs]>(
  'confirmAssessment',
);
export const getAssessmentState = defineQuery<AssessmentView>('getAssessmentState');

/**
 * An administrator's deadline move reaching a running period assessment (patch 'period-assessment-move-deadlines',
 * issue 6), sent by the calendar-change workflow: the plan-year calendar with the moves (the task opens the working
 * day after `verify.<last month>`) and the province's new profile when its working days changed.
 */
export interface MoveAssessmentDeadlinesArgs {
  calendar: PlanYearCalendar;
  profile?: CalendarProfile;
  by: string;
  reason: string;
}

export interface MoveAssessmentDeadlinesResult {
  phase: AssessmentPhase;
  /** The day the confirm task opens on after the move. */
  opensOn: LocalDate;
  /** The inbox tasks re-dated, with their old and new due dates (none while the run waits for its window). */
  redated: { taskId: string; from: LocalDate; to: LocalDate }[];
}

export const moveAssessmentDeadlines = defineUpdate<
  MoveAssessmentDeadlinesResult,
  [MoveAssessmentDeadlinesArgs]
>('moveAssessmentDeadlines');
