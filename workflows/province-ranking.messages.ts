// Wire contracts of the province-ranking workflow (one per province and year, issue 8: the superior body's ranking
// of the province's top units and their heads): id helper, Updates and Query, input and state types. Names are
// wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AssigneeRef } from '../activities/notifications.ts';
import type { LadderSettings } from '../domain/calendar/ladder.ts';
import type { CalendarProfile, LocalDate } from '../domain/calendar/profile.ts';
import type { TimeWarp } from './plan-time.ts';
import type { Acting, RankingPhase } from './unit-ranking.messages.ts';

export type { Acting, RankingPhase };

export const provinceRankingWorkflowId = (year: number, provinceId: string) =>
  `ranking:${year}:province:${provinceId}`;

export interface ProvinceRankingInput {
  rankingId: string;
  provinceId: string;
  year: number;
  provinceName?: string;
  /** The plan-year calendar's `year-end.ranking` deadline (before 15/12). */
  deadline: LocalDate;
  profile: CalendarProfile;
  ladder?: LadderSettings;
  parties: {
    /** The standing committee: decides and publishes ('year-end.province-ranking' task). */
    committee: AssigneeRef;
    /** The secretariat: compiles the draft, told of the reminders and the publication. */
    secretariat: AssigneeRef;
  };
  timeWarp?: TimeWarp;
}

export interface ProvinceQuotaException {
  /** Extra "Xuất sắc" places for the heads (1–100). */
  places: number;
  decisionNumber: string;
  justification: string;
}

export interface DecideProvinceRankingArgs extends Acting {
  revision: number;
  /** An approved exception to the heads' quota, recorded with the decision. */
  exception?: ProvinceQuotaException;
}

export interface ProvinceRankingUpdateResult {
  phase: RankingPhase;
  publicationBlocked: boolean;
  over: number;
  date: LocalDate;
}

export interface ProvinceRankingView {
  phase: RankingPhase;
  publicationBlocked: boolean;
  over: number;
  items: { taskId: string; kind: string; dueDate: LocalDate }[];
}

export const decideProvinceRanking = defineUpdate<ProvinceRankingUpdateResult, [DecideProvinceRankingArgs]>(
  'decideProvinceRanking',
);
export interface ProvinceExceptionArgs extends Acting {
  exception: ProvinceQuotaException;
}

export const approveProvinceException = defineUpdate<ProvinceRankingUpdateResult, [ProvinceExceptionArgs]>(
  'approveProvinceException',
);
export const publishProvinceRanking = defineUpdate<ProvinceRankingUpdateResult, [Acting]>(
  'publishProvinceRanking',
);
export const getProvinceRankingState = defineQuery<ProvinceRankingView>('getProvinceRankingState');
