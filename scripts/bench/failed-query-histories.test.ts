// The bench's keeping of a run's history when a query fails to replay (scripts/bench/failed-query-histories.ts),
// on the dev server the tests share: a real run (started on a task queue no worker polls, so its history stays
// two events), the query's own call replaced by one that fails as the worker answers a run it cannot replay —
// a nondeterministic run cannot be made on purpose with the product's workflows.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, type WorkflowQueryInput } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { failedQueryHistories } from './failed-query-histories.ts';

describe('the history of a run whose query failed to replay', () => {
  let client: Client;
  let dir: string;
  const workflowId = `failed-query-history-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
    dir = await mkdtemp(join(tmpdir(), 'failed-query-'));
    await client.workflow.start('checkInWorkflow', {
      taskQueue: `${workflowId}-nobody`,
      workflowId,
      args: [],
    });
  });

  afterAll(async () => {
    await client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => {});
    await client.connection.close();
    await rm(dir, { recursive: true, force: true });
  });

  const input = (): WorkflowQueryInput => ({
    queryType: 'getCheckInState',
    args: [],
    workflowExecution: { workflowId },
    headers: {},
  });
  const failing = (message: string) => async () => {
    throw new Error(message);
  };

  it('is written once, as the recorded fixtures are, and only for a nondeterminism error', async () => {
    const kept = failedQueryHistories(join(dir, 'histories'));
    kept.use(client);
    const query = kept.interceptor.query!;
    // another failure keeps nothing
    await expect(query(input(), failing('Query timed out'))).rejects.toThrow('Query timed out');
    expect(await kept.settled()).toEqual([]);

    const replayError = '[TMPRL1100] Nondeterminism error: Missing associated machine for LocalActivity(4)';
    await expect(query(input(), failing(replayError))).rejects.toThrow(replayError);
    await expect(query(input(), failing(replayError))).rejects.toThrow(replayError);
    const files = await kept.settled();
    expect(files).toHaveLength(1);
    expect(await readdir(join(dir, 'histories'))).toEqual([`${workflowId}.json`]);
    const history = JSON.parse(await readFile(files[0] as string, 'utf8'));
    expect(history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(history.events[0].workflowExecutionStartedEventAttributes.workflowType.name).toBe(
      'checkInWorkflow',
    );

    // a query that succeeds passes its answer through
    expect(await query(input(), async () => 'answer')).toBe('answer');
  });
});
