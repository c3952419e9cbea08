// The OpenAPI entry of GET /metrics (api/metrics): served at the API's root, not under /api, hence its own
// `servers`; its bearer token is the METRICS_TOKEN of the API's configuration.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { errorResponses } from '../contract.ts';
import { CONTENT_TYPE } from './exposition.ts';

export function registerMetricsPath(registry: OpenAPIHono['openAPIRegistry']): void {
  registry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'METRICS_TOKEN of the API; not needed from the API machine itself (loopback, no proxy)',
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    servers: [{ url: '/' }],
    summary: 'Operators: request latencies, task backlog, overdue tasks, mail outbox, Temporal backlog',
    description:
      'Prometheus text exposition (version 0.0.4). Served to a loopback peer that came through no proxy, or with `Authorization: Bearer <METRICS_TOKEN>`; README "Metrics for operators" lists the series.',
    security: [{ metricsToken: [] }, {}],
    responses: {
      200: {
        description: 'The metrics',
        content: { [CONTENT_TYPE]: { schema: z.string() } },
      },
      401: {
        description: 'METRICS_TOKEN_INVALID: a wrong or missing bearer token',
        content: errorResponses[401].content,
      },
      403: {
        description: 'METRICS_LOOPBACK_ONLY: from another machine while METRICS_TOKEN is unset',
        content: errorResponses[403].content,
      },
    },
  });
}
