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
    /** Largest evidence file accepted, in bytes (EVIDENCE_MAX_BYTES; 10 MiB by default, at most 50 MiB). */
    evidence: env.EVIDENCE_MAX_BYTES ? { maxBytes: Number(env.EVIDENCE_MAX_BYTES) } : undefined,
  };
}
