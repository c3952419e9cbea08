// The worker's only workflow entry: every workflow type is re-exported here. Names are wire contracts.

export { annualPlanWorkflow } from './annual-plan.ts';
export { appealWorkflow } from './appeal.ts';
export { auditAnchorWorkflow } from './audit-anchor.ts';
export { calendarChangeWorkflow } from './calendar-change.ts';
export { checkInWorkflow } from './check-in.ts';
export { checkInOpeningWorkflow } from './check-in-opening.ts';
export { delegationWorkflow } from './delegation.ts';
export { giaoBanWorkflow } from './giao-ban.ts';
export { historyExportWorkflow } from './history-export.ts';
export { maintenanceWorkflow } from './maintenance.ts';
export { monthlyUnitReportWorkflow } from './monthly-unit-report.ts';
export { periodAssessmentWorkflow } from './period-assessment.ts';
export { provinceRankingWorkflow } from './province-ranking.ts';
export { quarterlyUnitReportWorkflow } from './quarterly-unit-report.ts';
export { unitRankingWorkflow } from './unit-ranking.ts';
export { yearEndAssessmentWorkflow } from './year-end-assessment.ts';
