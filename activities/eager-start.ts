// Eager workflow start for the workflows the worker's own activities start in bulk (the monthly opening's
// check-in, period-assessment and year-end-assessment workflows): when the activity's client shares the worker's
// NativeConnection (worker/run.ts), the server hands the new run's first workflow task back in the start's answer
// to this worker, instead of queueing it for a poll — one matching round trip and a persisted task less per
// workflow, about a quarter of the dev server's CPU for a start (measured on this machine). A client on its own
// gRPC connection (the API's, the tests') starts the usual way; the SDK refuses the flag there.
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export const eagerStart = (client: Client): { requestEagerStart?: true } =>
  client.connection instanceof NativeConnection ? { requestEagerStart: true } : {};
