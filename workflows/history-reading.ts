// Reading a recorded workflow history: the patches it took (the SDK's 'core_patch' markers) and the activities
// it ran, in order — those dispatched as activity tasks (ActivityTaskScheduled) and those run as local activities
// (the 'core_local_activity' markers). For the tests and the admin's history view; not in the workflow bundle.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export const PATCH_MARKER = 'core_patch';
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

const decode = (data: Uint8Array | string | null | undefined): unknown => {
  if (!data) return undefined;
  try {
    return JSON.parse(
      typeof data === 'string'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(data).toString('utf8'),
    );
  } catch {
    return undefined;
  }
};

/** The patch id a patch marker carries (details['patch-data'] = { id, deprecated }). */
export function patchOf(e: HistoryEvent): string | null {
  const m = e.markerRecordedEventAttributes;
  if (m?.markerName !== PATCH_MARKER) return null;
  const d = decode(m.details?.['patch-data']?.payloads?.[0]?.data) as { id?: unknown } | undefined;
  return typeof d?.id === 'string' ? d.id : null;
}

/** The patch ids of a history's markers, in order. */
export const patchesOf = (events: readonly HistoryEvent[]): string[] =>
  events.flatMap((e) => {
    const id = patchOf(e);
    return id ? [id] : [];
  });

/** The local activity a marker records (its 'data' payload, written by the SDK core in snake_case:
 *  { activity_type, attempt, complete_time, … }; a failed attempt's marker carries its failure). */
export function localActivityOf(
  e: HistoryEvent,
): { type: string; attempt: number; failed: boolean; completedAt?: number } | null {
  const m = e.markerRecordedEventAttributes;
  if (m?.markerName !== LOCAL_ACTIVITY_MARKER) return null;
  const d = decode(m.details?.data?.payloads?.[0]?.data) as
    | { activity_type?: unknown; attempt?: unknown; complete_time?: { seconds?: unknown; nanos?: unknown } }
    | undefined;
  const type = d?.activity_type;
  if (typeof type !== 'string') return null;
  const seconds = Number(d?.complete_time?.seconds);
  return {
    type,
    attempt: typeof d?.attempt === 'number' ? d.attempt : 1,
    failed: !!m.failure,
    ...(Number.isFinite(seconds)
      ? { completedAt: seconds * 1000 + Math.floor(Number(d?.complete_time?.nanos ?? 0) / 1e6) }
      : {}),
  };
}

/** The activities of a history in order, each as its type and how it ran. A local activity retried after a workflow
 *  timer records a marker per attempt: a failed attempt whose retry follows (the next marker of its type, one
 *  attempt on) is the same activity, listed once (as an activity task's retries are one scheduled event). */
export function activitiesRun(events: readonly HistoryEvent[]): { type: string; local: boolean }[] {
  const ran = events.map((e) => ({
    scheduled: e.activityTaskScheduledEventAttributes?.activityType?.name,
    local: localActivityOf(e),
  }));
  return ran.flatMap(({ scheduled, local }, i): { type: string; local: boolean }[] => {
    if (scheduled) return [{ type: scheduled, local: false }];
    if (!local) return [];
    const next = ran.slice(i + 1).find((l) => l.local?.type === local.type)?.local;
    const retried = local.failed && next?.attempt === local.attempt + 1;
    return retried ? [] : [{ type: local.type, local: true }];
  });
}
