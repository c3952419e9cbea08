import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../devstack/ports.ts';
import { type RunningTemporal, startTemporalDevServer } from '../../devstack/temporal.ts';

/**
 * A Temporal dev server of the test file's own (in memory), started before its tests and stopped after them, that
 * suggests continue-as-new once a run's history holds `events` events — a setting the shared server must not carry.
 */
export function devServerSuggestingContinueAsNew(events: number): { readonly address: string } {
  let server: RunningTemporal | undefined;
  beforeAll(async () => {
    server = await startTemporalDevServer({
      cli: process.env.TEMPORAL_CLI ?? join(import.meta.dirname, '..', '..', '.tools', 'bin', 'temporal'),
      port: await freePort(),
      extraArgs: ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${events}`],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get address() {
      if (!server) throw new Error('the dev server of this test file has not started');
      return server.address;
    },
  };
}
