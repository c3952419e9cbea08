import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { sessionMiddleware } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import type { ApiDeps } from './deps.ts';
import { translateApiError } from './errors.ts';
import { createRequestMetrics, metricsRoutes } from './metrics/index.ts';
import { notFound, problemResponse } from './problem.ts';
import { requestTimeout } from './request-timeout.ts';
import { contentRoutes } from './routes/admin/index.ts';
import { healthRoutes } from './routes/health.ts';
import { noStore } from './security/no-store.ts';

/** The HTTP API: one sub-app per resource under /api, one error envelope. */
export function createApp(deps: ApiDeps) {
  // request latencies for GET /metrics (api/metrics), measured around everything below
  const requests = createRequestMetrics();
  const app = new Hono()
    .use('*', requests.middleware)
    .use(
      '*',
      secureHeaders({
        contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
        referrerPolicy: 'no-referrer',
        xContentTypeOptions: 'nosniff',
        xFrameOptions: 'DENY',
        // a route that sets a stricter header of its own keeps it (evidence downloads: CSP sandbox)
        overwrite: false,
      }),
    )
    .use('*', noStore)
    // every request bounded (API_REQUEST_TIMEOUT_MS): 503 DEPENDENCY_UNAVAILABLE with Retry-After past it
    .use('*', requestTimeout(deps.requestTimeoutMs))
    .use('/api/*', sessionMiddleware(deps))
    .route('/api', healthRoutes(deps))
    .route('/api', authRoutes(deps))
    .route('/api', contentRoutes(deps))
    .route('/', metricsRoutes(deps, requests));
  app.notFound((c) => problemResponse(c, notFound()));
  app.onError((err, c) => problemResponse(c, translateApiError(err)));
  return app;
}

export type AppType = ReturnType<typeof createApp>;
