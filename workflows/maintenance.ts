import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

const { purgeEndedAuthRows } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '10 minutes' },
});

/** Daily housekeeping (started by the `maintenance-daily` schedule): ended sessions and stale login throttles. */
export async function maintenanceWorkflow(): Promise<{ sessions: number; throttles: number }> {
  // Date.now() is the workflow task time here, so replay is deterministic.
  return purgeEndedAuthRows({ at: Date.now() });
}
