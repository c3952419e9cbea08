// A Temporal history as readable lines for administrators (DESIGN §5): one line per meaningful event with
// its time, a kind the web app words from its catalogues, the name it concerns (Update, activity, timer,
// signal, marker, workflow type) and a short detail (a failure message, a duration, the next run id).
// Workflow-task bookkeeping (scheduled/started/completed) is left out; a failed or timed-out task is kept.
// @temporalio/proto is CommonJS: Node's ESM loader exposes it as a default export only.

import type { temporal } from '@temporalio/proto';
import proto from '@temporalio/proto';
import { localActivityOf, patchOf } from '../../workflows/history-reading.ts';

type History = temporal.api.history.v1.IHistory;
const ET = proto.temporal.api.enums.v1.EventType;

export const EVENT_KINDS = [
  'started',
  'completed',
  'failed',
  'timed-out',
  'cancel-requested',
  'cancelled',
  'terminated',
  'continued-as-new',
  'workflow-task-failed',
  'activity-scheduled',
  'activity-started',
  'activity-completed',
  'activity-failed',
  'activity-timed-out',
  'activity-cancelled',
  'timer-started',
  'timer-fired',
  'timer-cancelled',
  'signal',
  'update-admitted',
  'update-accepted',
  'update-rejected',
  'update-completed',
  'marker',
  'local-activity',
  'search-attributes',
  'child-started',
  'child-closed',
  'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface ReadableEvent {
  eventId: number;
  time: string | null;
  kind: EventKind;
  name: string | null;
  detail: string | null;
  /** The line in English (API readers; the web app words it from `kind`, `name` and `detail`). */
  summary: string;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(String(v)));

function seconds(d: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!d) return null;
  const s = num(d.seconds) + num(d.nanos) / 1e9;
  return `${Number.isInteger(s) ? s : s.toFixed(3)}s`;
}

/** A protobuf Timestamp (seconds as Long, number or string: fetched or parsed from JSON) as ISO text. */
function isoTime(t: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!t) return null;
  const ms = Number(String(t.seconds ?? 0)) * 1000 + Math.floor(num(t.nanos) / 1e6);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

const oneLine = (s: string | null | undefined, max = 300): string | null => {
  if (!s) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

const eventTypeName = (t: number | null | undefined) =>
  (ET[t ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED').replace(/^EVENT_TYPE_/, '');

const SKIPPED = new Set<number>([
  ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  ET.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  ET.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
]);

function sentence(kind: EventKind, name: string | null, detail: string | null): string {
  const n = name ?? '';
  const d = detail ? `: ${detail}` : '';
  switch (kind) {
    case 'started':
      return `Workflow ${n} started${d}`;
    case 'completed':
      return 'Workflow completed';
    case 'failed':
      return `Workflow failed${d}`;
    case 'timed-out':
      return 'Workflow timed out';
    case 'cancel-requested':
      return 'Cancellation requested';
    case 'cancelled':
      return 'Workflow cancelled';
    case 'terminated':
      return `Workflow terminated${d}`;
    case 'continued-as-new':
      return `Continued as new${detail ? ` → run ${detail}` : ''}`;
    case 'workflow-task-failed':
      return `Workflow task failed${d}`;
    case 'activity-scheduled':
      return `Activity ${n} scheduled`;
    case 'activity-started':
      return `Activity ${n} started${detail ? ` (attempt ${detail})` : ''}`;
    case 'activity-completed':
      return `Activity ${n} completed`;
    case 'activity-failed':
      return `Activity ${n} failed${d}`;
    case 'activity-timed-out':
      return `Activity ${n} timed out`;
    case 'activity-cancelled':
      return `Activity ${n} cancelled`;
    case 'timer-started':
      return `Timer ${n} started${detail ? ` for ${detail}` : ''}`;
    case 'timer-fired':
      return `Timer ${n} fired`;
    case 'timer-cancelled':
      return `Timer ${n} cancelled`;
    case 'signal':
      return `Signal ${n} received`;
    case 'update-admitted':
      return `Update ${n} admitted`;
    case 'update-accepted':
      return `Update ${n} accepted`;
    case 'update-rejected':
      return `Update ${n} rejected${d}`;
    case 'update-completed':
      return `Update ${n} completed${d}`;
    case 'marker':
      return `Marker ${n}${d}`;
    case 'local-activity':
      return `Local activity ${n} ran${d}`;
    case 'search-attributes':
      return `Search attributes set: ${detail ?? ''}`;
    case 'child-started':
      return `Child workflow ${n} started`;
    case 'child-closed':
      return `Child workflow ${n} ${detail ?? 'closed'}`;
    case 'other':
      return detail ?? 'Event';
  }
}

/** The readable lines of a history, oldest first. */
export function readableEvents(history: History): ReadableEvent[] {
  const activityNames = new Map<number, string>();
  const updateNames = new Map<number, string>();
  const out: ReadableEvent[] = [];
  for (const e of history.events ?? []) {
    const t = e.eventType ?? 0;
    if (SKIPPED.has(t)) continue;
    const id = num(e.eventId);
    let kind: EventKind = 'other';
    let name: string | null = null;
    let detail: string | null = null;
    switch (t) {
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const a = e.workflowExecutionStartedEventAttributes;
        kind = 'started';
        name = a?.workflowType?.name ?? null;
        detail = a?.continuedExecutionRunId ? `continued from run ${a.continuedExecutionRunId}` : null;
        break;
      }
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        kind = 'completed';
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
        kind = 'failed';
        detail = oneLine(e.workflowExecutionFailedEventAttributes?.failure?.message);
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        kind = 'timed-out';
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        kind = 'cancel-requested';
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        kind = 'cancelled';
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        kind = 'terminated';
        detail = oneLine(e.workflowExecutionTerminatedEventAttributes?.reason);
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        kind = 'continued-as-new';
        detail = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? null;
        break;
      case ET.EVENT_TYPE_WORKFLOW_TASK_FAILED:
        kind = 'workflow-task-failed';
        detail = oneLine(e.workflowTaskFailedEventAttributes?.failure?.message);
        break;
      case ET.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        kind = 'workflow-task-failed';
        detail = 'timed out';
        break;
      case ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        kind = 'activity-scheduled';
        name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? null;
        if (name) activityNames.set(id, name);
        break;
      case ET.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const a = e.activityTaskStartedEventAttributes;
        kind = 'activity-started';
        name = activityNames.get(num(a?.scheduledEventId)) ?? null;
        detail = a?.attempt ? String(a.attempt) : null;
        break;
      }
      case ET.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        kind = 'activity-completed';
        name = activityNames.get(num(e.activityTaskCompletedEventAttributes?.scheduledEventId)) ?? null;
        break;
      case ET.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        kind = 'activity-failed';
        name = activityNames.get(num(e.activityTaskFailedEventAttributes?.scheduledEventId)) ?? null;
        detail = oneLine(e.activityTaskFailedEventAttributes?.failure?.message);
        break;
      case ET.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        kind = 'activity-timed-out';
        name = activityNames.get(num(e.activityTaskTimedOutEventAttributes?.scheduledEventId)) ?? null;
        break;
      case ET.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        kind = 'activity-cancelled';
        name = activityNames.get(num(e.activityTaskCanceledEventAttributes?.scheduledEventId)) ?? null;
        break;
      case ET.EVENT_TYPE_TIMER_STARTED:
        kind = 'timer-started';
        name = e.timerStartedEventAttributes?.timerId ?? null;
        detail = seconds(e.timerStartedEventAttributes?.startToFireTimeout);
        break;
      case ET.EVENT_TYPE_TIMER_FIRED:
        kind = 'timer-fired';
        name = e.timerFiredEventAttributes?.timerId ?? null;
        break;
      case ET.EVENT_TYPE_TIMER_CANCELED:
        kind = 'timer-cancelled';
        name = e.timerCanceledEventAttributes?.timerId ?? null;
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        kind = 'signal';
        name = e.workflowExecutionSignaledEventAttributes?.signalName ?? null;
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED:
        kind = 'update-admitted';
        name = e.workflowExecutionUpdateAdmittedEventAttributes?.request?.input?.name ?? null;
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        kind = 'update-accepted';
        name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? null;
        if (name) updateNames.set(id, name);
        break;
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED: {
        const a = e.workflowExecutionUpdateRejectedEventAttributes;
        kind = 'update-rejected';
        name = a?.rejectedRequest?.input?.name ?? null;
        detail = oneLine(a?.failure?.message);
        break;
      }
      case ET.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const a = e.workflowExecutionUpdateCompletedEventAttributes;
        kind = 'update-completed';
        name = updateNames.get(num(a?.acceptedEventId)) ?? null;
        detail = oneLine(a?.outcome?.failure?.message);
        break;
      }
      case ET.EVENT_TYPE_MARKER_RECORDED: {
        const local = localActivityOf(e);
        if (local) {
          kind = 'local-activity';
          name = local.type;
          detail =
            oneLine(e.markerRecordedEventAttributes?.failure?.message) ??
            (local.attempt > 1 ? `attempt ${local.attempt}` : null);
          break;
        }
        kind = 'marker';
        name = e.markerRecordedEventAttributes?.markerName ?? null;
        detail = patchOf(e);
        break;
      }
      case ET.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        kind = 'search-attributes';
        detail =
          Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})
            .sort()
            .join(', ') || null;
        break;
      case ET.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        kind = 'child-started';
        name = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ?? null;
        break;
      case ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
      case ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
      case ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
      case ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
      case ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED: {
        const a =
          e.childWorkflowExecutionCompletedEventAttributes ??
          e.childWorkflowExecutionFailedEventAttributes ??
          e.childWorkflowExecutionCanceledEventAttributes ??
          e.childWorkflowExecutionTimedOutEventAttributes ??
          e.childWorkflowExecutionTerminatedEventAttributes;
        kind = 'child-closed';
        name = a?.workflowType?.name ?? null;
        detail = eventTypeName(t)
          .replace(/^CHILD_WORKFLOW_EXECUTION_/, '')
          .toLowerCase()
          .replace('_', ' ');
        break;
      }
      case ET.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED:
        continue; // the initiated line says it
      default:
        detail = eventTypeName(t);
    }
    out.push({
      eventId: id,
      time: isoTime(e.eventTime),
      kind,
      name,
      detail,
      summary: sentence(kind, name, detail),
    });
  }
  return out;
}
