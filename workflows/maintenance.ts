import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

const { purgeEndedAuthRows, startPendingCalendarChanges } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '10 minutes' },
});

/**
 * Daily housekeeping (started by the `maintenance-daily` schedule): ended sessions and stale login throttles,
 * and calendar changes saved while Temporal was unreachable and not started since.
 */
export async function maintenanceWorkflow(): Promise<{
  sessions: number;
  throttles: number;
  calendarChangesStarted: number;
}> {
  // Date.now() is the workflow task time here, so replay is deterministic.
  const purged = await purgeEndedAuthRows({ at: Date.now() });
  const { started } = await startPendingCalendarChanges();
  return { ...purged, calendarChangesStarted: started };
}
