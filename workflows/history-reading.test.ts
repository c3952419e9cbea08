// Reading recorded histories (workflows/history-reading.ts): the patch markers, the local-activity markers as the
// SDK core writes them, and the list of activities a run ran — a local activity retried after a workflow timer
// records a marker per attempt and is still one activity.
import { describe, expect, it } from 'vitest';
import { activitiesRun, localActivityOf, patchesOf } from './history-reading.ts';

const payload = (o: unknown) => ({ payloads: [{ data: new Uint8Array(Buffer.from(JSON.stringify(o))) }] });
const patch = (id: string) => ({
  markerRecordedEventAttributes: {
    markerName: 'core_patch',
    details: { 'patch-data': payload({ id, deprecated: false }) },
  },
});
const local = (type: string, attempt: number, o: { failed?: boolean; at?: number } = {}) => ({
  markerRecordedEventAttributes: {
    markerName: 'core_local_activity',
    details: {
      data: payload({
        seq: attempt,
        attempt,
        activity_id: String(attempt),
        activity_type: type,
        ...(o.at !== undefined
          ? { complete_time: { seconds: Math.floor(o.at / 1000), nanos: (o.at % 1000) * 1e6 } }
          : {}),
      }),
    },
    ...(o.failed ? { failure: { message: 'PostgreSQL out of reach' } } : {}),
  },
});
const scheduled = (name: string) => ({ activityTaskScheduledEventAttributes: { activityType: { name } } });
const timer = { timerStartedEventAttributes: { timerId: '1' } };

describe('history reading', () => {
  it('reads patch ids and local activities from their markers', () => {
    expect(patchesOf([patch('a'), local('openTask', 1), patch('b')])).toEqual(['a', 'b']);
    expect(localActivityOf(local('markCheckInSubmitted', 3, { at: 1_795_787_741_098 }))).toEqual({
      type: 'markCheckInSubmitted',
      attempt: 3,
      failed: false,
      completedAt: 1_795_787_741_098,
    });
    expect(localActivityOf(local('markCheckInSubmitted', 1, { failed: true }))).toEqual({
      type: 'markCheckInSubmitted',
      attempt: 1,
      failed: true,
    });
    expect(localActivityOf(patch('a'))).toBeNull();
  });

  it('lists each activity once: a retried local activity’s attempts fold into the last, two calls stay two', () => {
    const events = [
      local('openTask', 1),
      local('markCheckInSubmitted', 1, { failed: true }),
      timer,
      local('markCheckInSubmitted', 2, { failed: true }),
      timer,
      local('markCheckInSubmitted', 3),
      scheduled('recordCheckInDeadlineMove'),
      local('applyStepEffects', 1),
      // a second openTask, retried once: the first call (which succeeded) is not one of its attempts
      local('openTask', 1, { failed: true }),
      timer,
      local('openTask', 2),
    ];
    expect(activitiesRun(events)).toEqual([
      { type: 'openTask', local: true },
      { type: 'markCheckInSubmitted', local: true },
      { type: 'recordCheckInDeadlineMove', local: false },
      { type: 'applyStepEffects', local: true },
      { type: 'openTask', local: true },
    ]);
  });
});
