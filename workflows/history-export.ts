import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { ExportInput } from '../activities/history-export.ts';
import type { Activities } from '../activities/index.ts';

const { exportClosedHistories } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

/** Calls before the workflow continues as new (keeps each run's history short). */
const MAX_PASSES = 20;

/**
 * Stores every closed run's history in PostgreSQL (DESIGN §5), started by the `workflow-history-export`
 * schedule: passes of the exporter activity until nothing more is waiting.
 */
export async function historyExportWorkflow(
  input: ExportInput = {},
): Promise<{ exported: number; passes: number; watermark: string | null }> {
  let exported = 0;
  let watermark: string | null = null;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const r = await exportClosedHistories(input);
    exported += r.exported;
    watermark = r.watermark;
    if (!r.more) return { exported, passes: pass, watermark };
  }
  return continueAsNew<typeof historyExportWorkflow>(input);
}
