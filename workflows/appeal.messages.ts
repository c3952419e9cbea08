// Wire contracts of the appeal workflow (one per ranking notice, issue 8 point 4): id helper, Update and Query
// definitions, input and state types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { RankLevel } from '../domain/rulesets/types.ts';
import type { TimeWarp } from './plan-time.ts';

/** One workflow per notice (at most one appeal per notice). */
export const appealWorkflowId = (noticeId: string) => `appeal:${noticeId}`;

export type AppealPhase = 'OPEN' | 'DECIDED';

export interface AppealInput {
  appealId: string;
  noticeId: string;
  /** The appealing person (never the decider). */
  subjectId: string;
  subjectName?: string;
  year: number;
  /** The ranked level appealed against. */
  level: RankLevel;
  /** The day the appeal was filed: the decider's task is due `decisionWorkingDays` working days later. */
  filedOn: LocalDate;
  /** Working days the level above has to decide (10). */
  decisionWorkingDays?: number;
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: {
    /** The deciding level: the province's organisation department (unit ranking) or standing committee. */
    decider: AssigneeRef;
    /** Escalations of a late decision: the province's standing committee. */
    escalation: AssigneeRef;
  };
  timeWarp?: TimeWarp;
}

export interface DecideAppealArgs {
  by: string;
  onBehalfOf?: string;
  outcome: 'upheld' | 'changed';
  newLevel?: RankLevel;
  decisionNumber: string;
  note?: string;
}

export interface AppealUpdateResult {
  phase: AppealPhase;
  outcome: 'upheld' | 'changed';
  newLevel: RankLevel | null;
  by: string;
  date: LocalDate;
}

export interface AppealView {
  phase: AppealPhase;
  dueDate: LocalDate;
  items: { taskId: string; dueDate: LocalDate; escalation: number }[];
  result: AppealUpdateResult | null;
}

export const decideAppeal = defineUpdate<AppealUpdateResult, [DecideAppealArgs]>('decideAppeal');
export const getAppealState = defineQuery<AppealView>('getAppealState');
