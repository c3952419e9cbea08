// The end of a simulation on a shared dev server: its workflows still open (the rankings of the units outside the
// sample, the plans' year ahead, a reminder ladder not yet climbed) would stay "Running" for ever on a task queue
// no worker polls once the run's worker stops. They are terminated with a reason; their histories stay in the
// Web UI.
import type { Client } from '@temporalio/client';

const query = (taskQueue: string) => `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`;

/** The workflows of the run's task queue still running (the server's visibility: a moment behind). */
export async function openRunsOf(
  client: Client,
  taskQueue: string,
): Promise<{ workflowId: string; runId: string }[]> {
  const out: { workflowId: string; runId: string }[] = [];
  for await (const w of client.workflow.list({ query: query(taskQueue) }))
    out.push({ workflowId: w.workflowId, runId: w.runId });
  return out;
}

/** Terminates the run's workflows still running (a few passes: visibility lags, a run may continue as new
 *  meanwhile); answers how many were terminated. */
export async function endOpenRuns(client: Client, taskQueue: string): Promise<number> {
  let ended = 0;
  for (let pass = 0; pass < 5; pass++) {
    const open = await openRunsOf(client, taskQueue);
    if (!open.length) break;
    for (const w of open) {
      try {
        await client.workflow
          .getHandle(w.workflowId, w.runId)
          .terminate('the simulation ended: no worker polls its task queue any more');
        ended++;
      } catch {
        // ended meanwhile (completed or terminated; a run continued as new is listed again on the next pass)
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return ended;
}
