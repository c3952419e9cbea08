// A real worker for one test file (not used by production code): its own task queue on the dev server every
// test file shares, the real activities on the file's database, and a stop that terminates the runs the file
// started (plan workflows run on after approval) before shutting the worker down.
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createActivities } from '../../activities/index.ts';
import type { Database } from '../../db/connection.ts';
import { workflowsPath } from '../../worker/run.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

export interface TestWorker {
  client: Client;
  taskQueue: string;
  /** Workflow ids the test started: terminated by stop(). */
  started: string[];
  stop(): Promise<void>;
}

export async function startTestWorker(
  db: Database,
  opts: { taskQueue: string; withClientInActivities?: boolean },
): Promise<TestWorker> {
  const address = inject('temporalAddress');
  const client = new Client({ connection: await Connection.connect({ address }) });
  const native = await NativeConnection.connect({ address });
  const taskQueue = opts.taskQueue;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
    activities: createActivities({ db, ...(opts.withClientInActivities ? { temporal: client } : {}) }),
  });
  const running = worker.run();
  const started: string[] = [];
  return {
    client,
    taskQueue,
    started,
    async stop() {
      for (const id of started)
        await client.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => {});
      worker.shutdown();
      await running.catch(() => {});
      await native.close();
      await client.connection.close();
    },
  };
}
