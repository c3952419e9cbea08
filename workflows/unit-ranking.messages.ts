// Wire contracts of the unit-ranking workflow (one per top unit and year, issue 8 points 2–3): id helper,
// Updates and Query, input and state types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { TimeWarp } from './plan-time.ts';

export const unitRankingWorkflowId = (year: number, unitId: string) => `ranking:${year}:unit:${unitId}`;

export type RankingPhase = 'DRAFT' | 'DECIDED' | 'PUBLISHED';

export interface UnitRankingInput {
  rankingId: string;
  unitId: string;
  year: number;
  unitName?: string;
  /** The plan-year calendar's `year-end.ranking` deadline (before 15/12). */
  deadline: LocalDate;
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: {
    /** The unit head: decides, requests exceptions, publishes. */
    head: AssigneeRef;
    /** The province's secretariat: the first escalation of a missing ranking. */
    secretariat: AssigneeRef;
    /** The competent body (the standing committee): approves exceptions, the last escalation. */
    committee: AssigneeRef;
  };
  /** Working days the committee has for an exception request (3). */
  exceptionWorkingDays?: number;
  timeWarp?: TimeWarp;
}

export interface Acting {
  by: string;
  onBehalfOf?: string;
}

export interface DecideRankingArgs extends Acting {
  revision: number;
}
export interface RequestExceptionArgs extends Acting {
  exceptionId: string;
  agencyId: string;
  dutyGroup: string;
  extraPlaces: number;
  justification: string;
  /** The track whose quota it lifts: 'party' for the Party quota; absent = the state quota. */
  track?: 'state' | 'party';
}
export interface DecideExceptionArgs extends Acting {
  exceptionId: string;
  approve: boolean;
  decisionNumber?: string;
}

export interface RankingUpdateResult {
  phase: RankingPhase;
  publicationBlocked: boolean;
  over: number;
  date: LocalDate;
  exceptionId?: string;
  exceptionStatus?: string;
}

export interface RankingView {
  phase: RankingPhase;
  publicationBlocked: boolean;
  over: number;
  pendingExceptions: string[];
  items: { taskId: string; kind: string; dueDate: LocalDate }[];
}

export const decideRanking = defineUpdate<RankingUpdateResult, [DecideRankingArgs]>('decideRanking');
export const requestQuotaException = defineUpdate<RankingUpdateResult, [RequestExceptionArgs]>(
  'requestQuotaException',
);
export const decideQuotaException = defineUpdate<RankingUpdateResult, [DecideExceptionArgs]>(
  'decideQuotaException',
);
export const publishRanking = defineUpdate<RankingUpdateResult, [Acting]>('publishRanking');
export const getRankingState = defineQuery<RankingView>('getRankingState');
