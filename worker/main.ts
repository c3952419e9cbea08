import { DefaultLogger, Runtime } from '@temporalio/worker';
import { smtpSettingsFromEnv } from '../activities/mail-sender.ts';
import { createDb } from '../db/connection.ts';
import { startWorker } from './run.ts';

// Entry point of the worker process (outside the bundled workflows/ code).
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('[worker] DATABASE_URL is required');
  process.exit(2);
}
Runtime.install({ logger: new DefaultLogger('WARN') });
const db = createDb(databaseUrl);
const running = await startWorker({
  db,
  temporalAddress: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  // Fault drills and tests run a worker of their own on a task queue of their own.
  ...(process.env.WORKER_TASK_QUEUE ? { taskQueue: process.env.WORKER_TASK_QUEUE } : {}),
  smtp: smtpSettingsFromEnv(),
});
console.log('[worker] polling');
await running.done;
await db.destroy();
