// The Temporal time-skipping test server (the Java binary the bootstrap installs in .tools/bin): for the
// real-calendar simulation (scripts/simulate/real-calendar.ts) and the time-skipping workflow tests.

import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SA } from '../workflows/search-attributes.ts';

// @temporalio/proto is CommonJS: Node's ESM loader exposes it as a default export only.
const IVT = proto.temporal.api.enums.v1.IndexedValueType;
const INDEXED: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: IVT.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IVT.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IVT.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IVT.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IVT.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IVT.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IVT.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The time-skipping test server binary: TEMPORAL_TEST_SERVER, else the one .tools/bin holds. */
export const testServerPath = () =>
  process.env.TEMPORAL_TEST_SERVER ?? `${import.meta.dirname}/../.tools/bin/temporal-test-server`;

/**
 * Starts the time-skipping server (on `port`, else a free one) with the project's search attributes registered.
 * The Java test server knows no custom search attributes: without them a workflow's first upsertSearchAttributes
 * (Phase, OverdueLevel, NextDeadline) fails its workflow task with INVALID_ARGUMENT "search attribute Phase is not
 * defined", retried every 10 s, and the run never gets past its start. It implements
 * OperatorService.AddSearchAttributes (not ListSearchAttributes), so they are added here.
 */
export async function startTimeSkippingServer(
  opts: { port?: number } = {},
): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: { type: 'existing-path', path: testServerPath() },
      ...(opts.port ? { port: opts.port } : {}),
    },
  });
  try {
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(Object.values(SA).map((k) => [k.name, INDEXED[k.type]])),
    });
  } catch (e) {
    await env.teardown();
    throw e;
  }
  return env;
}
