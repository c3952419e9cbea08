// Words of the workflow screens: statuses and event kinds from the catalogues (every string from them).
import { m } from '#lib/paraglide/messages.js';

export const WORKFLOW_STATUSES = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
] as const;

const STATUS: Record<string, () => string> = {
  RUNNING: m.wf_status_running,
  COMPLETED: m.wf_status_completed,
  FAILED: m.wf_status_failed,
  CANCELLED: m.wf_status_cancelled,
  TERMINATED: m.wf_status_terminated,
  CONTINUED_AS_NEW: m.wf_status_continued_as_new,
  TIMED_OUT: m.wf_status_timed_out,
};
export const statusLabel = (s: string) => STATUS[s]?.() ?? s;

const EVENT: Record<string, (p: { name: string }) => string> = {
  started: m.wf_ev_started,
  completed: m.wf_ev_completed,
  failed: m.wf_ev_failed,
  'timed-out': m.wf_ev_timed_out,
  'cancel-requested': m.wf_ev_cancel_requested,
  cancelled: m.wf_ev_cancelled,
  terminated: m.wf_ev_terminated,
  'continued-as-new': m.wf_ev_continued_as_new,
  'workflow-task-failed': m.wf_ev_workflow_task_failed,
  'activity-scheduled': m.wf_ev_activity_scheduled,
  'activity-started': m.wf_ev_activity_started,
  'activity-completed': m.wf_ev_activity_completed,
  'activity-failed': m.wf_ev_activity_failed,
  'activity-timed-out': m.wf_ev_activity_timed_out,
  'activity-cancelled': m.wf_ev_activity_cancelled,
  'timer-started': m.wf_ev_timer_started,
  'timer-fired': m.wf_ev_timer_fired,
  'timer-cancelled': m.wf_ev_timer_cancelled,
  signal: m.wf_ev_signal,
  'update-admitted': m.wf_ev_update_admitted,
  'update-accepted': m.wf_ev_update_accepted,
  'update-rejected': m.wf_ev_update_rejected,
  'update-completed': m.wf_ev_update_completed,
  marker: m.wf_ev_marker,
  'local-activity': m.wf_ev_local_activity,
  'search-attributes': m.wf_ev_search_attributes,
  'child-started': m.wf_ev_child_started,
  'child-closed': m.wf_ev_child_closed,
  other: m.wf_ev_other,
};
/** One readable line: the event in the reader's language, with the name it concerns. */
export const eventLabel = (kind: string, name: string | null) =>
  (EVENT[kind] ?? m.wf_ev_other)({ name: name ?? '' })
    .replace(/\s+/g, ' ')
    .trim();

export interface WorkflowRunDto {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  unitId: string | null;
  year: number | null;
  historyLength: number | null;
  exported: boolean;
  temporalUiUrl: string | null;
}

export interface WorkflowEventDto {
  eventId: number;
  time: string | null;
  kind: string;
  name: string | null;
  detail: string | null;
  summary: string;
}

export interface WorkflowHistoryDto extends WorkflowRunDto {
  source: 'store' | 'temporal';
  eventCount: number;
  sha256: string | null;
  exportedAt: string | null;
  events: WorkflowEventDto[];
}

/** The history screen of a run. */
export const historyHref = (r: { workflowId: string; runId: string }) =>
  `/admin/workflows/${encodeURIComponent(r.workflowId)}/runs/${encodeURIComponent(r.runId)}`;
