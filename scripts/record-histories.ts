import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from '../activities/index.ts';
import { freePort } from '../devstack/ports.ts';
import { startTemporalDevServer } from '../devstack/temporal.ts';
import { workflowsPath } from '../worker/run.ts';

// Records the histories that workflows/replay.test.ts replays: run this when a workflow changes shape,
// commit the new files, and keep the old ones (they are what open runs replay). Activities are stubs:
// replay never re-executes them, only the commands the workflow issued are compared.
const root = join(import.meta.dirname, '..');
const out = join(root, 'workflows', '__fixtures__', 'histories');
const stubs: Activities = {
  writeAuditAnchor: async ({ at }) => ({
    day: new Date(at + 7 * 3600_000).toISOString().slice(0, 10),
    heads: 3,
  }),
};
const recordings: { file: string; workflowType: string; args: unknown[] }[] = [
  { file: 'auditAnchorWorkflow-v1.json', workflowType: 'auditAnchorWorkflow', args: [] },
];

const tmp = await mkdtemp(join(root, '.tools', 'tmp', 'rec-'));
const server = await startTemporalDevServer({
  cli: process.env.TEMPORAL_CLI ?? join(root, '.tools', 'bin', 'temporal'),
  port: await freePort(),
});
try {
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const taskQueue = `record-${randomUUID()}`;
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath }),
    activities: stubs,
  });
  await worker.runUntil(async () => {
    for (const r of recordings) {
      const handle = await client.workflow.start(r.workflowType, {
        taskQueue,
        workflowId: `record-${r.workflowType}`,
        args: r.args,
      });
      await handle.result();
      const history = await handle.fetchHistory();
      await writeFile(join(out, r.file), historyToJSON(history));
      console.log(`recorded ${r.file} (${history.events?.length} events)`);
    }
  });
  await connection.close();
  await native.close();
} finally {
  await server.stop();
  await rm(tmp, { recursive: true, force: true });
}
