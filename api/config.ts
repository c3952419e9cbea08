import { EVIDENCE_HARD_MAX_BYTES } from '../domain/evidence/policy.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './request-timeout.ts';

/** API configuration from the environment (README lists every variable). */
export function apiConfig(env: NodeJS.ProcessEnv = process.env) {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  return {
    databaseUrl,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    /** The Temporal Web UI administrators are linked to (unset: no link). */
    temporalUiUrl: env.TEMPORAL_UI_URL || undefined,
    host: env.API_HOST ?? '127.0.0.1',
    port: Number(env.API_PORT ?? 8787),
    version: env.WOMS_VERSION ?? '0.1.0',
    /** The web app's public origin, for absolute links in the calendar feed (WOMS_WEB_URL; unset: the request's). */
    webUrl: env.WOMS_WEB_URL || undefined,
    /** Bearer token of GET /metrics for a scraper on another machine (METRICS_TOKEN; unset: loopback only). */
    metricsToken: env.METRICS_TOKEN || undefined,
    /** Largest evidence file accepted, in bytes (EVIDENCE_MAX_BYTES; 10 MiB by default, at most 50 MiB). */
    evidence: env.EVIDENCE_MAX_BYTES ? { maxBytes: evidenceMaxBytes(env.EVIDENCE_MAX_BYTES) } : undefined,
    /** The bound of every API request (API_REQUEST_TIMEOUT_MS, 15 s): past it, 503 DEPENDENCY_UNAVAILABLE with
     *  Retry-After (api/request-timeout.ts). */
    requestTimeoutMs: requestTimeoutMs(env.API_REQUEST_TIMEOUT_MS),
  };
}

/** API_REQUEST_TIMEOUT_MS as a number; it must stay above the Update deadline (api/routes/plans/temporal.ts
 *  UPDATE_DEADLINE_MS, 10 s) or a slow Update would be cut before it is answered. */
function requestTimeoutMs(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_REQUEST_TIMEOUT_MS;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1000 || n > 600_000)
    throw new Error(
      `API_REQUEST_TIMEOUT_MS must be a whole number of milliseconds from 1000 to 600000, not '${text}'`,
    );
  return n;
}

/** EVIDENCE_MAX_BYTES as a number: a mistyped value stops the start with a clear message instead of becoming
 *  NaN (which would refuse or admit every file). */
function evidenceMaxBytes(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > EVIDENCE_HARD_MAX_BYTES)
    throw new Error(
      `EVIDENCE_MAX_BYTES must be a whole number of bytes from 1 to ${EVIDENCE_HARD_MAX_BYTES}, not '${text}'`,
    );
  return n;
}
