import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import {
  type MailSenderLoop,
  type SmtpSettings,
  smtpMailer,
  startMailSender,
} from '../activities/mail-sender.ts';
import type { Database } from '../db/connection.ts';
import { waitFor } from '../devstack/ports.ts';
import { ensureSchedules } from './schedules.ts';
import { TASK_QUEUE } from './task-queues.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/** Connects (waiting for the server), bundles the workflows, registers the schedules and starts polling. */
export async function startWorker(opts: {
  db: Database;
  temporalAddress: string;
  namespace?: string;
  taskQueue?: string;
  /** When given, the worker process also runs the outbox mail sender (activities/mail-sender.ts). */
  smtp?: SmtpSettings;
}): Promise<RunningWorker> {
  const namespace = opts.namespace ?? 'default';
  const connection = await waitFor(`Temporal at ${opts.temporalAddress}`, () =>
    NativeConnection.connect({ address: opts.temporalAddress }),
  );
  // The activities' client shares the worker's NativeConnection, so the runs they start can be handed to this
  // worker eagerly (activities/eager-start.ts).
  const client = new Client({ connection, namespace });
  await ensureSchedules(client);
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowBundle,
    activities: createActivities({ db: opts.db, temporal: client }),
  });
  let sender: MailSenderLoop | undefined;
  let mailer: ReturnType<typeof smtpMailer> | undefined;
  if (opts.smtp) {
    mailer = smtpMailer(opts.smtp);
    sender = startMailSender(opts.db, mailer);
  }
  const done = worker.run().finally(async () => {
    await sender?.stop();
    mailer?.close();
    await connection.close();
  });
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

const noop = () => {};
const quietBundlerLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};
