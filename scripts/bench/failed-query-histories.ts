// The bench keeps the history of a run whose query the worker could not answer because it could not replay the run
// ([TMPRL1100] nondeterminism): written at that moment, beside the results file, one JSON per run
// (historyToJSON, as the recorded fixtures are), for Worker.runReplayHistory and whoever studies the failure. The
// seventh scale-1 run saw two such failures in the simulated year and lost their histories
// (docs/benchmarks/2026-11-27-1-run7.md).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client, WorkflowClientInterceptor } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

const NONDETERMINISM = /TMPRL1100|nondeterminism/i;

export interface FailedQueryHistories {
  /** Install on the client the year's engine queries with (`interceptors: { workflow: [interceptor] }`). */
  interceptor: WorkflowClientInterceptor;
  /** The client the histories are read with: the one the interceptor is installed on. */
  use(client: Client): void;
  /** Waits for the histories being written; the files written. */
  settled(): Promise<string[]>;
}

export function failedQueryHistories(dir: string): FailedQueryHistories {
  let client: Client | undefined;
  const seen = new Set<string>();
  const written: string[] = [];
  const saving: Promise<void>[] = [];
  const save = async (workflowId: string, runId: string | undefined) => {
    if (!client) return;
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${workflowId.replaceAll(/[^\w.-]+/g, '_')}.json`);
    await writeFile(file, historyToJSON(history));
    written.push(file);
  };
  return {
    interceptor: {
      async query(input, next) {
        try {
          return await next(input);
        } catch (e) {
          const { workflowId, runId } = input.workflowExecution;
          if (NONDETERMINISM.test(String((e as Error)?.message ?? e)) && !seen.has(workflowId)) {
            seen.add(workflowId);
            saving.push(save(workflowId, runId).catch(() => {}));
          }
          throw e;
        }
      },
    },
    use(c) {
      client = c;
    },
    async settled() {
      await Promise.all(saving);
      return [...written];
    },
  };
}
