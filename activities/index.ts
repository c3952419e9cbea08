import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import { auditActivities } from './audit.ts';
import { calendarChangeActivities } from './calendar-change.ts';
import { checkInOpeningActivities } from './check-in-opening.ts';
import { checkInDbActivities } from './check-ins-db.ts';
import { delegationActivities } from './delegations.ts';
import { giaoBanActivities } from './giao-ban.ts';
import { historyExportActivities } from './history-export.ts';
import { maintenanceActivities } from './maintenance.ts';
import { monthlyUnitReportActivities } from './monthly-unit-report.ts';
import { notificationActivities } from './notifications.ts';
import { periodAssessmentActivities } from './period-assessment.ts';
import { planDbActivities } from './plans-db.ts';
import { provinceRankingActivities } from './province-ranking.ts';
import { quarterPlanDecisionActivities } from './quarter-plan-decision.ts';
import { quarterlyUnitReportActivities } from './quarterly-unit-report.ts';
import { rankingNoticeActivities } from './ranking-notices.ts';
import { stepEffectActivities } from './step-effects.ts';
import { taskActivities } from './tasks.ts';
import { unitRankingActivities } from './unit-ranking.ts';
import { unitReportLockActivities } from './unit-report-lock.ts';
import { yearEndAssessmentActivities } from './year-end-assessment.ts';

export interface ActivityDeps {
  db: Database;
  /** Domain of outgoing Message-IDs (default 'woms.local'). */
  mailDomain?: string;
  /** The worker's Temporal client (the history exporter reads visibility and histories). */
  temporal?: Client;
}

/** Builds every activity with its dependencies injected (STYLE.md: tests pass real or fake ones explicitly). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...auditActivities(deps),
    ...taskActivities(deps),
    ...stepEffectActivities(deps),
    ...planDbActivities(deps),
    ...notificationActivities(deps),
    ...historyExportActivities(deps),
    ...calendarChangeActivities(deps),
    ...maintenanceActivities(deps),
    ...delegationActivities(deps),
    ...checkInDbActivities(deps),
    ...checkInOpeningActivities(deps),
    ...periodAssessmentActivities(deps),
    ...monthlyUnitReportActivities(deps),
    ...quarterlyUnitReportActivities(deps),
    ...quarterPlanDecisionActivities(deps),
    ...giaoBanActivities(deps),
    ...unitReportLockActivities(deps),
    ...unitRankingActivities(deps),
    ...provinceRankingActivities(deps),
    ...rankingNoticeActivities(deps),
    ...yearEndAssessmentActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
