// GET /metrics (issue 9 point 4): the API's figures for operators in the Prometheus text format — request
// latencies per route pattern and status class, the task backlog and overdue tasks by kind (the inbox read
// model), the mail outbox depth, and the Temporal task-queue backlog. Served outside /api (the web app forwards
// /api/* from its own loopback address) and only to a loopback peer that came through no proxy, or to a
// caller with the bearer token METRICS_TOKEN. README "Metrics for operators" lists every series.
import { createHash, timingSafeEqual } from 'node:crypto';
import proto from '@temporalio/proto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { sql } from 'kysely';
import { TASK_QUEUE } from '../../worker/task-queues.ts';
import { publicRoute } from '../authz/middleware.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem, problemResponse } from '../problem.ts';
import { CONTENT_TYPE, Histogram, type MetricFamily, render } from './exposition.ts';

const TQ = proto.temporal.api.enums.v1;

/** The request figures of one API process (created by createApp, kept in memory, reset by a restart). */
export interface RequestMetrics {
  middleware: MiddlewareHandler;
  families(): MetricFamily[];
}

/** The route pattern that answered (`/api/check-ins/:id/verify`), never the raw path: few series. */
function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return 'unmatched';
}

export function createRequestMetrics(): RequestMetrics {
  const latency = new Histogram(
    'woms_http_request_duration_seconds',
    'Time from receiving an API request to its response, by method, route pattern and status class.',
  );
  const started = Date.now() / 1000;
  return {
    async middleware(c, next) {
      const t0 = performance.now();
      try {
        await next();
      } finally {
        latency.observe(
          { method: c.req.method, route: routeOf(c), status: `${Math.floor(c.res.status / 100)}xx` },
          (performance.now() - t0) / 1000,
        );
      }
    },
    families() {
      const mem = process.memoryUsage();
      return [
        latency.family(),
        {
          name: 'process_resident_memory_bytes',
          help: 'Resident memory of the API process.',
          type: 'gauge',
          samples: [{ value: mem.rss }],
        },
        {
          name: 'nodejs_heap_used_bytes',
          help: 'V8 heap in use by the API process.',
          type: 'gauge',
          samples: [{ value: mem.heapUsed }],
        },
        {
          name: 'process_start_time_seconds',
          help: 'When the API process started its metrics (Unix time, seconds).',
          type: 'gauge',
          samples: [{ value: Math.round(started) }],
        },
      ];
    },
  };
}

// ------------------------------------------------------------------------------------------------ access

const tokenInvalid = () =>
  new ApiProblem({
    status: 401,
    code: 'METRICS_TOKEN_INVALID',
    vi: 'Cần mã truy cập số liệu vận hành hợp lệ (Authorization: Bearer).',
    en: 'A valid metrics token is required (Authorization: Bearer).',
    headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
  });
const loopbackOnly = () =>
  new ApiProblem({
    status: 403,
    code: 'METRICS_LOOPBACK_ONLY',
    vi: 'Số liệu vận hành chỉ được đọc từ chính máy chủ (chưa cấu hình METRICS_TOKEN).',
    en: 'Metrics are served to this machine only (METRICS_TOKEN is not set).',
  });

/** The TCP peer of the request (@hono/node-server puts the Node request in the env); undefined elsewhere. */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Loopback and not forwarded by a proxy on this machine, or the right bearer token; else 401/403. */
function admitted(c: Context, token: string | undefined): ApiProblem | undefined {
  const auth = c.req.header('authorization');
  if (token && auth !== undefined) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] ?? '';
    return timingSafeEqual(digest(given), digest(token)) ? undefined : tokenInvalid();
  }
  const proxied = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => c.req.header(h) !== undefined);
  if (!proxied && isLoopback(peerAddress(c))) return undefined;
  return token ? tokenInvalid() : loopbackOnly();
}

// ------------------------------------------------------------------------------------------ what is scraped

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error('timeout')), ms))),
    ]);
  } finally {
    clearTimeout(t);
  }
}

const gauge = (name: string, help: string, samples: MetricFamily['samples']): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  samples,
});

/** Open and overdue tasks by kind, and the mail outbox (PENDING / FAILED), from the read model. */
async function databaseFamilies(deps: ApiDeps, now: Date): Promise<MetricFamily[]> {
  const [tasks, mail] = await Promise.all([
    deps.db
      .selectFrom('task')
      .select((eb) => [
        'kind',
        eb.fn.countAll<string>().as('open'),
        sql<string>`count(*) filter (where due_at < ${now})`.as('overdue'),
        sql<string | null>`extract(epoch from ${now}::timestamptz - min(due_at))`.as('oldest'),
      ])
      .where('status', '=', 'open')
      .groupBy('kind')
      .orderBy('kind')
      .execute(),
    deps.db
      .selectFrom('mail_outbox')
      .select((eb) => [
        'status',
        eb.fn.countAll<string>().as('n'),
        sql<string | null>`extract(epoch from ${now}::timestamptz - min(created_at))`.as('oldest'),
      ])
      .where('status', 'in', ['PENDING', 'FAILED'])
      .groupBy('status')
      .execute(),
  ]);
  const outbox = (s: 'PENDING' | 'FAILED') => mail.find((r) => r.status === s);
  const pending = outbox('PENDING');
  return [
    gauge(
      'woms_tasks_open',
      'Open inbox tasks (the work waiting for people), by task kind.',
      tasks.map((r) => ({ labels: { kind: r.kind }, value: Number(r.open) })),
    ),
    gauge(
      'woms_tasks_overdue',
      'Open inbox tasks past their due time, by task kind.',
      tasks.map((r) => ({ labels: { kind: r.kind }, value: Number(r.overdue) })),
    ),
    gauge(
      'woms_tasks_oldest_overdue_seconds',
      'How long the most overdue open task of each kind has been overdue (0 when none is).',
      tasks.map((r) => ({ labels: { kind: r.kind }, value: Math.max(0, Math.floor(Number(r.oldest ?? 0))) })),
    ),
    gauge(
      'woms_mail_outbox',
      'Mail outbox messages not sent: pending (to be sent or retried) and failed (given up).',
      (['PENDING', 'FAILED'] as const).map((s) => ({
        labels: { status: s.toLowerCase() },
        value: Number(outbox(s)?.n ?? 0),
      })),
    ),
    gauge('woms_mail_outbox_oldest_pending_seconds', 'Age of the oldest pending message (0 when none).', [
      { value: Math.max(0, Math.floor(Number(pending?.oldest ?? 0))) },
    ]),
  ];
}

/** The backlog and pollers of the API's task queue (workflow and activity tasks), from Temporal. */
async function temporalFamilies(deps: ApiDeps): Promise<MetricFamily[]> {
  const client = await deps.temporal();
  const taskQueue = deps.plans?.taskQueue ?? TASK_QUEUE;
  const kinds = [
    ['workflow', TQ.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
    ['activity', TQ.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  ] as const;
  const described = await Promise.all(
    kinds.map(([, type]) =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue, kind: TQ.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: type,
        reportStats: true,
      }),
    ),
  );
  return [
    gauge(
      'woms_temporal_task_queue_backlog',
      'Approximate tasks waiting in the Temporal task queue for a worker, by task type.',
      described.map((d, i) => ({
        labels: { task_queue: taskQueue, type: kinds[i]![0] },
        value: Number(d.stats?.approximateBacklogCount ?? 0),
      })),
    ),
    gauge(
      'woms_temporal_task_queue_pollers',
      'Workers polling the Temporal task queue recently, by task type (0: no worker is running).',
      described.map((d, i) => ({
        labels: { task_queue: taskQueue, type: kinds[i]![0] },
        value: d.pollers?.length ?? 0,
      })),
    ),
  ];
}

/** How long each source may take before the scrape goes on without it (its `_up` gauge then says 0). */
export const SOURCE_TIMEOUT_MS = 2000;

export function metricsRoutes(deps: ApiDeps, requests: RequestMetrics) {
  const now = () => (deps.clock ?? (() => new Date()))();
  return new Hono().get('/metrics', publicRoute(), async (c) => {
    c.header('Cache-Control', 'no-store'); // the figures and the refusals alike
    const refused = admitted(c, deps.metrics?.token);
    if (refused) return problemResponse(c, refused);
    const t0 = performance.now();
    const [db, temporal] = await Promise.all([
      within(SOURCE_TIMEOUT_MS, databaseFamilies(deps, now())).catch(() => undefined),
      within(SOURCE_TIMEOUT_MS, temporalFamilies(deps)).catch(() => undefined),
    ]);
    const families: MetricFamily[] = [
      gauge('woms_source_up', 'Whether a source answered this scrape within its timeout (1) or not (0).', [
        { labels: { source: 'postgres' }, value: db ? 1 : 0 },
        { labels: { source: 'temporal' }, value: temporal ? 1 : 0 },
      ]),
      ...requests.families(),
      ...(db ?? []),
      ...(temporal ?? []),
      gauge('woms_metrics_scrape_duration_seconds', 'Time this scrape took to collect its figures.', [
        { value: (performance.now() - t0) / 1000 },
      ]),
    ];
    return c.body(render(families), 200, { 'Content-Type': CONTENT_TYPE });
  });
}
