import { type ServerType, serve } from '@hono/node-server';
import { createDb } from '../db/connection.ts';
import { createApp } from './app.ts';
import type { ApiDeps } from './deps.ts';
import { temporalClientFactory } from './temporal.ts';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Starts the API with its dependencies created once. */
export async function startApi(cfg: {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace?: string;
  temporalUiUrl?: string | undefined;
  host?: string;
  port: number;
  version?: string;
  /** Tests only: the annual-plan task queue and input adjustment (a warped calendar). */
  plans?: ApiDeps['plans'];
  delegations?: ApiDeps['delegations'];
  evidence?: ApiDeps['evidence'];
  webUrl?: string | undefined;
  /** GET /metrics for another machine (METRICS_TOKEN). */
  metricsToken?: string | undefined;
  /** The bound of every request (API_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number | undefined;
}): Promise<RunningApi> {
  const db = createDb(cfg.databaseUrl);
  const temporal = temporalClientFactory(cfg.temporalAddress, cfg.temporalNamespace);
  const app = createApp({
    db,
    temporal: temporal.get,
    version: cfg.version ?? '0.1.0',
    temporalUiUrl: cfg.temporalUiUrl,
    temporalNamespace: cfg.temporalNamespace,
    ...(cfg.plans ? { plans: cfg.plans } : {}),
    ...(cfg.delegations ? { delegations: cfg.delegations } : {}),
    ...(cfg.evidence ? { evidence: cfg.evidence } : {}),
    ...(cfg.webUrl ? { webUrl: cfg.webUrl } : {}),
    ...(cfg.metricsToken ? { metrics: { token: cfg.metricsToken } } : {}),
    ...(cfg.requestTimeoutMs ? { requestTimeoutMs: cfg.requestTimeoutMs } : {}),
  });
  const host = cfg.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: cfg.port }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await temporal.close();
      await db.destroy();
    },
  };
}
