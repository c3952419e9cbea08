import { type ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '../workflows/search-attributes.ts';
import { waitFor } from './ports.ts';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the Temporal CLI dev server (SQLite when `dbFile` is given, in memory otherwise) and waits with the
 * project's own readiness probe — the SDK's own wait gives up after 5 s (TEMPORAL.md §6.1).
 */
export async function startTemporalDevServer(opts: {
  cli: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  readinessTimeoutMs?: number;
  extraArgs?: string[];
}): Promise<RunningTemporal> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    'default',
  ];
  args.push('--log-level', 'error', '--log-format', 'pretty');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');
  args.push(
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
    ...searchAttributeFlags(),
    ...(opts.extraArgs ?? []),
  );
  const child = spawn(opts.cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal dev server exited (${code}): ${stderr}`))),
  );
  exited.catch(() => {});
  const address = `127.0.0.1:${opts.port}`;
  await Promise.race([
    exited,
    waitFor(
      `Temporal dev server on ${address}`,
      async () => {
        const conn = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await conn.workflowService.getSystemInfo({});
          // The namespace must be registered before workers poll it.
          await conn.workflowService.describeNamespace({ namespace: 'default' });
          return true;
        } finally {
          await conn.close();
        }
      },
      opts.readinessTimeoutMs ?? 90_000,
    ),
  ]);
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: child,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after a grace period. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
