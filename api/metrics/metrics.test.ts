// GET /metrics (issue 9 point 4): the Prometheus text format parses line by line, the request histogram moves
// after requests (by route pattern and status class), the task and outbox gauges equal seeded rows, the
// endpoint refuses another machine without the bearer token (and a request forwarded by a local proxy), and a
// real API on loopback serves it with PostgreSQL and Temporal up.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';
import { apiConfig } from '../config.ts';
import { type RunningApi, startApi } from '../server.ts';
import { temporalClientFactory } from '../temporal.ts';
import { CONTENT_TYPE, formatValue, Histogram, render } from './exposition.ts';
import { isLoopback } from './index.ts';

const { db, url: databaseUrl } = await freshDatabase();
const temporal = temporalClientFactory(inject('temporalAddress'));
const TOKEN = `t-${randomUUID()}`;
const taskQueue = `metrics-${randomUUID()}`;
const app = createApp({ db, temporal: temporal.get, version: 'test', plans: { taskQueue } });
const withToken = createApp({
  db,
  temporal: () => Promise.reject(new Error('temporal down')),
  version: 'test',
  metrics: { token: TOKEN },
});

/** The Node request @hono/node-server hands the app, reduced to its peer address. */
const peer = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
const LOCAL = peer('127.0.0.1');

// ---------------------------------------------------------------------------------- a strict little parser

interface Parsed {
  types: Map<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_PAIR = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[-+]?Inf|NaN)';
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL_PAIR})(?:,${LABEL_PAIR})*)?\\})? (${VALUE})(?: -?\\d+)?$`,
);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** Parses an exposition document, throwing at the first line that breaks the text format's grammar. */
function parse(text: string): Parsed {
  expect(text.endsWith('\n'), 'ends with a line feed').toBe(true);
  const types = new Map<string, string>();
  const samples: Parsed['samples'] = [];
  for (const [n, line] of text.slice(0, -1).split('\n').entries()) {
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    if (help) continue;
    if (type) {
      expect(types.has(type[1]!), `line ${n + 1}: TYPE of ${type[1]} twice`).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    const s = SAMPLE.exec(line);
    if (!s) throw new Error(`line ${n + 1} is not in the text format: ${JSON.stringify(line)}`);
    const name = s[1]!;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    expect(types.has(family), `line ${n + 1}: ${name} before its TYPE`).toBe(true);
    const labels: Record<string, string> = {};
    for (const m of (s[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    const v = s[3]!;
    samples.push({ name, labels, value: v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v) });
  }
  return { types, samples };
}

const matches = (labels: Record<string, string>, want: Record<string, string>) =>
  Object.entries(want).every(([k, v]) => labels[k] === v);
/** The one sample of `name` with these labels (among others), or undefined. */
function value(p: Parsed, name: string, want: Record<string, string> = {}): number | undefined {
  const found = p.samples.filter((s) => s.name === name && matches(s.labels, want));
  expect(found.length, `${name} ${JSON.stringify(want)} at most once`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

async function scrape(a = app, env: object = LOCAL, headers: Record<string, string> = {}): Promise<Parsed> {
  const res = await a.request('/metrics', { headers }, env);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe(CONTENT_TYPE);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return parse(await res.text());
}

afterAll(async () => {
  await temporal.close();
});

describe('the exposition format', () => {
  it('escapes label values and help text, spells infinities, and keeps histogram buckets cumulative', () => {
    const h = new Histogram('x_seconds', 'line one\nback\\slash', [0.1, 1]);
    h.observe({ route: 'a"b\\c\nd' }, 0.05);
    h.observe({ route: 'a"b\\c\nd' }, 0.5);
    h.observe({ route: 'a"b\\c\nd' }, 7);
    const text = render([
      h.family(),
      { name: 'g', help: 'g', type: 'gauge', samples: [{ value: -Infinity }] },
    ]);
    expect(text).toContain('# HELP x_seconds line one\\nback\\\\slash\n');
    expect(text).toContain('x_seconds_bucket{route="a\\"b\\\\c\\nd",le="0.1"} 1\n');
    expect(text).toContain('x_seconds_bucket{route="a\\"b\\\\c\\nd",le="1"} 2\n');
    expect(text).toContain('x_seconds_bucket{route="a\\"b\\\\c\\nd",le="+Inf"} 3\n');
    expect(text).toContain('x_seconds_count{route="a\\"b\\\\c\\nd"} 3\n');
    expect(text).toContain('g -Inf\n');
    const p = parse(text);
    expect(value(p, 'x_seconds_sum', { route: 'a"b\\c\nd' })).toBeCloseTo(7.55);
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(() => render([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow(/bad metric/);
  });

  it('knows loopback peers', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '192.168.1.127', '', undefined].some(isLoopback)).toBe(false);
  });
});

describe('GET /metrics', () => {
  it('parses as the Prometheus text format, every sample under a declared family', async () => {
    const p = await scrape();
    expect(p.types.get('woms_http_request_duration_seconds')).toBe('histogram');
    for (const name of ['woms_tasks_open', 'woms_tasks_overdue', 'woms_mail_outbox', 'woms_source_up'])
      expect(p.types.get(name), name).toBe('gauge');
    expect(value(p, 'woms_source_up', { source: 'postgres' })).toBe(1);
    // every histogram series: buckets cumulative, +Inf equal to _count
    const series = p.samples.filter((s) => s.name === 'woms_http_request_duration_seconds_count');
    for (const s of series) {
      const buckets = p.samples.filter(
        (b) =>
          b.name === 'woms_http_request_duration_seconds_bucket' &&
          matches(b.labels, s.labels) &&
          Object.keys(b.labels).length === Object.keys(s.labels).length + 1,
      );
      expect(buckets.map((b) => b.value)).toEqual([...buckets.map((b) => b.value)].sort((a, b) => a - b));
      expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: s.value });
    }
  });

  it('counts requests by method, route pattern and status class', async () => {
    const before = await scrape();
    const health = { method: 'GET', route: '/api/health', status: '2xx' };
    const inbox = { method: 'GET', route: '/api/inbox', status: '4xx' };
    const unmatched = { method: 'GET', route: 'unmatched', status: '4xx' };
    const count = (p: Parsed, l: Record<string, string>) =>
      value(p, 'woms_http_request_duration_seconds_count', l) ?? 0;
    for (let i = 0; i < 3; i++) expect((await app.request('/api/health')).status).toBe(200);
    expect((await app.request('/api/inbox')).status).toBe(401); // not signed in
    expect((await app.request(`/api/no-such-route/${randomUUID()}`)).status).toBe(404);
    const after = await scrape();
    expect(count(after, health) - count(before, health)).toBe(3);
    expect(count(after, inbox) - count(before, inbox)).toBe(1);
    expect(count(after, unmatched) - count(before, unmatched)).toBe(1);
    // a parameterised route is one series under its pattern, whatever the id
    for (const id of [randomUUID(), randomUUID()]) await app.request(`/api/check-ins/${id}`);
    const routes = new Set(
      (await scrape()).samples
        .filter((s) => s.name === 'woms_http_request_duration_seconds_count')
        .map((s) => s.labels.route),
    );
    expect(routes.has('/api/check-ins/:checkInId')).toBe(true);
    expect([...routes].some((r) => /[0-9a-f]{8}-[0-9a-f]{4}/.test(r ?? ''))).toBe(false);
    expect(after.samples.some((s) => s.name === 'process_resident_memory_bytes' && s.value > 0)).toBe(true);
  });

  it('reports open and overdue tasks by kind and the mail outbox depth as the seeded rows say', async () => {
    const person = await db
      .insertInto('person')
      .values({
        full_name: 'Người Thử',
        family_name: null,
        middle_name: null,
        given_name: null,
        email: `metrics-${randomUUID()}@example.vn`,
        phone: null,
        duty_group: 'civil_servant',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const day = 86_400_000;
    const task = (kind: string, dueInDays: number, status: 'open' | 'done' = 'open') => ({
      id: `metrics:${randomUUID()}`,
      workflow_id: 'metrics-test',
      update_name: null,
      kind,
      subject_type: 'check_in',
      subject_id: randomUUID(),
      assignee_person_id: person.id,
      assignee_role: null,
      assignee_unit_id: null,
      due_at: new Date(Date.now() + dueInDays * day),
      logical_due_date: '2026-11-01',
      status,
      closed_at: status === 'open' ? null : new Date(),
    });
    await db
      .insertInto('task')
      .values([
        task('metrics.a', -3),
        task('metrics.a', -1),
        task('metrics.a', 2),
        task('metrics.a', -5, 'done'), // closed: neither open nor overdue
        task('metrics.b', 4),
      ])
      .execute();
    const mail = (status: 'PENDING' | 'FAILED' | 'SENT') => {
      const id = randomUUID();
      return {
        idempotency_key: `metrics:${id}`,
        message_id: `<${id}@metrics.test>`,
        person_id: null,
        to_addresses: ['a@example.vn'],
        subject: 's',
        body_text: 'b',
        body_html: null,
        status,
        last_error: null,
        sent_at: status === 'SENT' ? new Date() : null,
        created_at: new Date(Date.now() - 600_000),
      };
    };
    await db
      .insertInto('mail_outbox')
      .values([mail('PENDING'), mail('PENDING'), mail('FAILED'), mail('SENT'), mail('SENT')])
      .execute();

    const p = await scrape();
    expect(value(p, 'woms_tasks_open', { kind: 'metrics.a' })).toBe(3);
    expect(value(p, 'woms_tasks_overdue', { kind: 'metrics.a' })).toBe(2);
    expect(value(p, 'woms_tasks_open', { kind: 'metrics.b' })).toBe(1);
    expect(value(p, 'woms_tasks_overdue', { kind: 'metrics.b' })).toBe(0);
    // the oldest overdue of kind a is three days late
    expect(value(p, 'woms_tasks_oldest_overdue_seconds', { kind: 'metrics.a' })).toBeGreaterThanOrEqual(
      3 * 86_400,
    );
    expect(value(p, 'woms_tasks_oldest_overdue_seconds', { kind: 'metrics.a' })).toBeLessThan(4 * 86_400);
    expect(value(p, 'woms_tasks_oldest_overdue_seconds', { kind: 'metrics.b' })).toBe(0);
    expect(value(p, 'woms_mail_outbox', { status: 'pending' })).toBe(2);
    expect(value(p, 'woms_mail_outbox', { status: 'failed' })).toBe(1);
    expect(value(p, 'woms_mail_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(600);
  });

  it('is documented in the OpenAPI document, at the root with its bearer scheme', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { servers?: { url: string }[] } }>;
      components: { securitySchemes: Record<string, { scheme?: string }> };
    };
    expect(doc.paths['/metrics']?.get?.servers).toEqual([{ url: '/' }]);
    expect(doc.components.securitySchemes.metricsToken?.scheme).toBe('bearer');
  });
});

describe('who may read /metrics', () => {
  const problem = async (res: Response) => ((await res.json()) as { code: string }).code;

  it('refuses another machine while METRICS_TOKEN is unset, and a request a local proxy forwarded', async () => {
    const far = await app.request('/metrics', {}, peer('10.20.30.40'));
    expect(far.status).toBe(403);
    expect(far.headers.get('cache-control')).toBe('no-store');
    expect(await problem(far)).toBe('METRICS_LOOPBACK_ONLY');
    const forwarded = await app.request('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } }, LOCAL);
    expect(forwarded.status).toBe(403);
    // no peer known (not served by the Node server): refused too
    expect((await app.request('/metrics')).status).toBe(403);
    // the token header means nothing when no token is configured
    const guessed = await app.request(
      '/metrics',
      { headers: { authorization: 'Bearer x' } },
      peer('10.0.0.9'),
    );
    expect(guessed.status).toBe(403);
  });

  it('takes the token from METRICS_TOKEN (an empty one is none)', () => {
    expect(apiConfig({ DATABASE_URL: 'postgres://x', METRICS_TOKEN: 'abc' }).metricsToken).toBe('abc');
    expect(apiConfig({ DATABASE_URL: 'postgres://x', METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
  });

  it('with METRICS_TOKEN: another machine needs the bearer token; a wrong one is refused', async () => {
    const none = await withToken.request('/metrics', {}, peer('10.20.30.40'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await problem(none)).toBe('METRICS_TOKEN_INVALID');
    const wrong = await withToken.request(
      '/metrics',
      { headers: { authorization: `Bearer ${TOKEN}x` } },
      peer('10.20.30.40'),
    );
    expect(wrong.status).toBe(401);
    // a wrong token is refused from loopback as well (it was offered, so it is checked)
    const wrongLocal = await withToken.request(
      '/metrics',
      { headers: { authorization: 'Bearer nope' } },
      LOCAL,
    );
    expect(wrongLocal.status).toBe(401);
    const right = await scrape(withToken, peer('10.20.30.40'), { authorization: `Bearer ${TOKEN}` });
    // this app's Temporal is down: the scrape still answers, saying so
    expect(value(right, 'woms_source_up', { source: 'temporal' })).toBe(0);
    expect(value(right, 'woms_source_up', { source: 'postgres' })).toBe(1);
    expect(right.types.has('woms_temporal_task_queue_backlog')).toBe(false);
  });
});

describe('a running API on loopback', () => {
  let api: RunningApi;
  let client: Client;

  beforeAll(async () => {
    api = await startApi({
      databaseUrl,
      temporalAddress: inject('temporalAddress'),
      port: 0,
      plans: { taskQueue },
    });
    client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
  });
  afterAll(async () => {
    await api?.close();
    await client?.connection.close();
  });

  it('serves /metrics to this machine with the Temporal task queue backlog (no worker polls this queue)', async () => {
    const workflowId = `metrics-backlog-${randomUUID()}`;
    const handle = await client.workflow.start('noSuchWorkflow', { taskQueue, workflowId, args: [] });
    try {
      let p: Parsed | undefined;
      // the backlog statistic is approximate and refreshed by the server: ask again until it shows the task
      await expect
        .poll(
          async () => {
            const res = await fetch(`${api.url}/metrics`);
            expect(res.status).toBe(200);
            p = parse(await res.text());
            return value(p, 'woms_temporal_task_queue_backlog', { task_queue: taskQueue, type: 'workflow' });
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBeGreaterThanOrEqual(1);
      expect(value(p!, 'woms_source_up', { source: 'temporal' })).toBe(1);
      expect(value(p!, 'woms_temporal_task_queue_pollers', { task_queue: taskQueue, type: 'workflow' })).toBe(
        0,
      );
    } finally {
      await handle.terminate('metrics test');
    }
  });

  it('refuses a request that came through a proxy on this machine', async () => {
    const res = await fetch(`${api.url}/metrics`, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
