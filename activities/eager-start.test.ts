// Eager workflow start (activities/eager-start.ts) on the dev server every test file shares: a client on the
// worker's NativeConnection has the new run's first workflow task handed to that worker in the start's answer,
// with the id policies the openings use (a second start finds the running run); a client on its own gRPC
// connection starts the usual way. The workflow is the bench's echo workflow (no activity, no database).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { doneSignal, echoUpdate } from '../scripts/bench/echo-workflow.ts';
import { eagerStart } from './eager-start.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('eager start of the runs the worker’s activities start', () => {
  it('hands the first workflow task to the worker sharing the connection; a repeat finds the running run', async () => {
    const address = inject('temporalAddress');
    const taskQueue = `eager-${randomUUID()}`;
    const native = await NativeConnection.connect({ address });
    const grpc = await Connection.connect({ address });
    try {
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowBundle: await bundleWorkflowCode({
          workflowsPath: fileURLToPath(new URL('../scripts/bench/echo-workflow.ts', import.meta.url)),
          logger: quiet,
        }),
      });
      await worker.runUntil(async () => {
        const local = new Client({ connection: native });
        expect(eagerStart(local)).toEqual({ requestEagerStart: true });
        const opts = {
          taskQueue,
          workflowId: `eager-${randomUUID()}`,
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          ...eagerStart(local),
        } as const;
        const first = await local.workflow.start('benchEchoWorkflow', opts);
        expect(first.eagerlyStarted).toBe(true);
        const again = await local.workflow.start('benchEchoWorkflow', opts);
        expect(again.eagerlyStarted).toBe(false);
        expect(again.firstExecutionRunId).toBe(first.firstExecutionRunId);
        expect(await first.executeUpdate(echoUpdate, { args: [7] })).toBe(7);
        await first.signal(doneSignal);
        expect(await first.result()).toBe(1);

        const remote = new Client({ connection: grpc });
        expect(eagerStart(remote)).toEqual({});
        const plain = await remote.workflow.start('benchEchoWorkflow', {
          taskQueue,
          workflowId: `eager-${randomUUID()}`,
          ...eagerStart(remote),
        });
        expect(plain.eagerlyStarted).toBe(false);
        await plain.signal(doneSignal);
        expect(await plain.result()).toBe(0);
      });
    } finally {
      await grpc.close();
      await native.close();
    }
  });
});
