// Words for the inbox's task kinds (api/routes/inbox.ts), from the catalogues.
import { m } from '#lib/paraglide/messages.js';

const KIND_LABELS: Record<string, () => string> = {
  'plan.submit': m.task_kind_plan_submit,
  'plan.revise': m.task_kind_plan_revise,
  'plan.appraise': m.task_kind_plan_appraise,
  'plan.decide': m.task_kind_plan_decide,
  'plan.approve': m.task_kind_plan_decide,
  'plan.decompose': m.task_kind_plan_decompose,
  'plan.period-submit': m.task_kind_plan_period_submit,
  'plan.period-decide': m.task_kind_plan_period_decide,
  'plan.amend-appraise': m.task_kind_plan_amend_appraise,
  'plan.amend-decide': m.task_kind_plan_amend_decide,
  'delegation.approve': m.delegation_task_approve,
  'check-in.submit': m.task_kind_checkin_submit,
  'check-in.revise': m.task_kind_checkin_revise,
  'check-in.verify': m.task_kind_checkin_verify,
  'assessment.confirm': m.assessment_task_kind,
  'year-end.self': m.yearEnd_task_self,
  'year-end.supervisor': m.yearEnd_task_supervisor,
  'year-end.appraisal': m.yearEnd_task_appraisal,
  'year-end.ranking': m.ranking_task_decide,
  'year-end.quota-exception': m.ranking_task_exception,
  'year-end.province-ranking': m.provRank_task,
  'year-end.appeal': m.appeal_task,
  'report.monthly': m.report_task_kind_monthly,
  'report.quarterly': m.qreport_task_kind,
  'report.monthly.reopen': m.reportLock_task_kind,
  'report.quarterly.reopen': m.reportLock_task_kind,
  'check-in.reopen': m.reopen_task_kind,
  'forecast.warning': m.forecast_task_kind_warning,
  'giao-ban.conclude': m.giaoBanTask_conclude,
  'giao-ban.direction': m.giaoBanTask_direction,
};

export const TASK_KINDS = Object.keys(KIND_LABELS).filter((k) => k !== 'plan.approve');

export const taskKindLabel = (kind: string): string => (KIND_LABELS[kind] ?? m.task_kind_other)();

/** Only same-site paths are followed from a task or a notification. */
export const sameSite = (link: string | null | undefined): string | null =>
  link?.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : null;
