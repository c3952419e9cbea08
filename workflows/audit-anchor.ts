import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

const { writeAuditAnchor } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '10 minutes' },
});

/** Daily: anchors the heads of every audit hash chain (DESIGN §5), started by the `audit-anchor-daily` schedule. */
export async function auditAnchorWorkflow(): Promise<{ day: string; heads: number }> {
  // Date.now() is the workflow task time here, so replay is deterministic.
  return writeAuditAnchor({ at: Date.now() });
}
