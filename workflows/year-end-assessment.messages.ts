// Wire contracts of the year-end assessment workflow (one per person and year, DESIGN §3 evaluation timeline):
// id helper, Update and Query definitions, input and state types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { PlanYearCalendar } from '../domain/calendar/plan-year.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { RankLevel } from '../domain/rulesets/types.ts';
import type { TimeWarp } from './plan-time.ts';

/** One workflow per person and year. */
export const yearEndAssessmentWorkflowId = (year: number, personId: string) =>
  `yearend:${year}:person:${personId}`;

export type YearEndPhase = 'WAITING' | 'SELF' | 'SUPERVISOR' | 'APPRAISAL' | 'READY';

export interface YearEndAssessmentInput {
  /** The year_end_assessment row (created before the start). */
  assessmentId: string;
  personId: string;
  unitId: string;
  year: number;
  personName?: string;
  /** The plan-year calendar of `year`: the `year-end.self-assessment` window and the `year-end.supervisor`
   *  deadline. */
  calendar: PlanYearCalendar;
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: {
    person: AssigneeRef;
    /** The direct manager: assesses. */
    supervisor: AssigneeRef;
    /** The unit head: a late self-assessment escalates to them; a missed supervisor assessment is forwarded. */
    unitHead: AssigneeRef;
  };
  /** The organisation department (a role of the province) when the unit type requires its appraisal
   *  (org_unit_type.ranking_needs_org_appraisal); absent: no appraisal. */
  appraiser?: AssigneeRef;
  /** Working days the appraisal has from the later of the supervisor deadline and the supervisor's day (2). */
  appraisalWorkingDays?: number;
  /** Working days a supervisor assessment has when the self-assessment came late (2). */
  lateSupervisorWorkingDays?: number;
  /** Working days a forwarded supervisor assessment gives the unit head (2). */
  forwardWorkingDays?: number;
  timeWarp?: TimeWarp;
}

export interface SubmitSelfArgs {
  by: string;
  onBehalfOf?: string;
  /** The draft's revision the person saw. */
  revision: number;
}

export interface SubmitSupervisorArgs {
  by: string;
  onBehalfOf?: string;
  /** Points per general criterion of the rule set. */
  points: Record<string, string>;
  comments: string;
}

export interface SubmitAppraisalArgs {
  by: string;
  agrees: boolean;
  /** When not agreeing: the level the organisation department proposes. */
  level?: RankLevel;
  comment: string;
}

export interface YearEndUpdateResult {
  phase: YearEndPhase;
  status: string;
  selfScore: string | null;
  supervisorScore: string | null;
  proposedLevel: string | null;
  by: string;
  date: LocalDate;
}

export interface YearEndView {
  phase: YearEndPhase;
  opensOn: LocalDate;
  selfDue: LocalDate;
  items: {
    taskId: string;
    kind: string;
    dueDate: LocalDate;
    partyRole: string;
    forwarded: boolean;
    escalation: number;
  }[];
  misses: { step: string; role: string; date: LocalDate }[];
  lateSelf: boolean;
  results: YearEndUpdateResult[];
}

export const submitSelfAssessment = defineUpdate<YearEndUpdateResult, [SubmitSelfArgs]>(
  'submitSelfAssessment',
);
export const submitSupervisorAssessment = defineUpdate<YearEndUpdateResult, [SubmitSupervisorArgs]>(
  'submitSupervisorAssessment',
);
export const submitAppraisal = defineUpdate<YearEndUpdateResult, [SubmitAppraisalArgs]>('submitAppraisal');
export const getYearEndState = defineQuery<YearEndView>('getYearEndState');
