// The API while PostgreSQL is unreachable (issue 9 point 2): a refused or lost connection, the pool's connect
// timeout and a request past API_REQUEST_TIMEOUT_MS answer 503 DEPENDENCY_UNAVAILABLE with Retry-After and the
// problem envelope — never a 500, never a hang. Real pools: to a closed port, to a server that accepts and never
// answers, and to the test PostgreSQL (a backend terminated by pg_terminate_backend: 57P01).
import { createServer, type Server, type Socket } from 'node:net';
import { Hono } from 'hono';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectTimeoutMs, createDb } from '../db/connection.ts';
import { isDbConnectionError } from '../db/errors.ts';
import { freePort } from '../devstack/ports.ts';
import { freshDatabase } from '../test/support/database.ts';
import { createApp } from './app.ts';
import { apiConfig } from './config.ts';
import { translateApiError } from './errors.ts';
import { problemResponse } from './problem.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, requestTimeout } from './request-timeout.ts';
import { temporalClientFactory } from './temporal.ts';

type Problem = { code: string; status: number; message: { vi: string; en: string }; details?: unknown };

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
};

const test = await freshDatabase();
const temporal = temporalClientFactory(inject('temporalAddress'));
let closedPort: number;
/** A TCP server that accepts every connection and never says a word (a hung PostgreSQL, a black-holed network). */
let silent: Server;
let silentPort: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  closedPort = await freePort();
  silent = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await temporal.close();
});

describe('a PostgreSQL connection failure is a 503 with Retry-After', () => {
  it('translates a refused connection (a real pool to a closed port)', async () => {
    const db = createDb(`postgres://woms:woms@127.0.0.1:${closedPort}/woms`, { max: 1 });
    try {
      const e = await failure(sql`select 1`.execute(db));
      expect(isDbConnectionError(e)).toBe(true);
      const p = translateApiError(e);
      expect(p.status).toBe(503);
      expect(p.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(p.headers?.['Retry-After']).toBe('5');
      expect(p.messageVi).toContain('PostgreSQL');
      expect(p.messageEn).toContain('PostgreSQL');
    } finally {
      await db.destroy();
    }
  });

  it("translates the pool's connect timeout (a server that never answers)", async () => {
    const db = createDb(`postgres://woms:woms@127.0.0.1:${silentPort}/woms`, {
      max: 1,
      connectTimeoutMs: 300,
    });
    try {
      const e = await failure(sql`select 1`.execute(db));
      expect((e as Error).message).toMatch(/timeout/i);
      expect(translateApiError(e)).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    } finally {
      await db.destroy();
    }
  });

  it('translates a connection terminated under a running query (57P01, as a fast shutdown does)', async () => {
    const victim = new pg.Client({ connectionString: test.url });
    victim.on('error', () => {});
    await victim.connect();
    const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const running = failure(victim.query('select pg_sleep(30)'));
    // the query is running once the backend shows it as active
    for (let i = 0; i < 500; i++) {
      const r = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity where pid = ${pid} and query like 'select pg_sleep%'`.execute(
        test.db,
      );
      if (r.rows[0]?.n === '1') break;
      await new Promise((res) => setTimeout(res, 10));
    }
    await sql`select pg_terminate_backend(${pid})`.execute(test.db);
    const e = await running;
    await victim.end().catch(() => {});
    expect((e as { code?: string }).code).toBe('57P01');
    expect(translateApiError(e)).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    // a client whose connection is gone is not queryable: that too
    const again = await failure(victim.query('select 1'));
    expect(isDbConnectionError(again)).toBe(true);
  });

  it('leaves data-rule rejections and programming errors as they were', async () => {
    const dup = await failure(sql`select 1/0`.execute(test.db));
    expect(isDbConnectionError(dup)).toBe(false);
    expect(translateApiError(dup).status).toBe(500);
    const syntax = await failure(sql`selec 1`.execute(test.db));
    expect(isDbConnectionError(syntax)).toBe(false);
    expect(translateApiError(syntax).code).toBe('INTERNAL_ERROR');
    const unique = await failure(
      sql`insert into job_position (code, title_vi, title_en) values ('x_pos', 'x', 'x'), ('x_pos', 'x', 'x')`.execute(
        test.db,
      ),
    );
    expect(isDbConnectionError(unique)).toBe(false);
    expect(translateApiError(unique).status).toBe(409);
  });
});

describe('the API while PostgreSQL is down', () => {
  let dbDown: ReturnType<typeof createDb>;
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    dbDown = createDb(`postgres://woms:woms@127.0.0.1:${closedPort}/woms`, { max: 2 });
    app = createApp({ db: dbDown, temporal: temporal.get, version: 'test' });
  });
  afterAll(() => dbDown.destroy());

  it('answers a signed-in request 503 DEPENDENCY_UNAVAILABLE with Retry-After, in the problem envelope', async () => {
    const res = await app.request('/api/check-ins/mine', { headers: { cookie: 'woms_session=abc' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as Problem;
    expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(body.message.vi).toMatch(/tạm thời không sẵn sàng \(PostgreSQL\)/);
  });

  it('says on /api/ready that PostgreSQL is down and Temporal up', async () => {
    const res = await app.request('/api/ready');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as Problem;
    expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(body.details).toEqual({ checks: { postgres: 'down', temporal: 'up' } });
  });
});

describe('the request timeout (API_REQUEST_TIMEOUT_MS)', () => {
  it('answers a request PostgreSQL never answers 503 with Retry-After once the bound is past', async () => {
    // a pool that would wait a minute for its connection: the request's bound answers first
    const hung = createDb(`postgres://woms:woms@127.0.0.1:${silentPort}/woms`, {
      max: 1,
      connectTimeoutMs: 60_000,
    });
    const app = createApp({ db: hung, temporal: temporal.get, version: 'test', requestTimeoutMs: 500 });
    try {
      const res = await app.request('/api/check-ins/mine', { headers: { cookie: 'woms_session=abc' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = (await res.json()) as Problem;
      expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(body.details).toEqual({ reason: 'REQUEST_TIMEOUT', timeoutMs: 500 });
    } finally {
      // the pool's connection attempt still waits on the silent server: end it so the pool can close
      for (const s of sockets.splice(0)) s.destroy();
      await hung.destroy();
    }
  });

  it('does not cut a response already returned whose body streams longer than the bound', async () => {
    const app = new Hono().use('*', requestTimeout(100)).get('/file', (c) => {
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(ctl) {
          await new Promise((r) => setTimeout(r, 60));
          if (n++ < 5) ctl.enqueue(new TextEncoder().encode(`part${n};`));
          else ctl.close();
        },
      });
      return c.body(body, 200);
    });
    app.onError((err, c) => problemResponse(c, translateApiError(err)));
    const res = await app.request('/file');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('part1;part2;part3;part4;part5;');
  });

  it('gives a file upload (multipart) a larger bound than a plain request', async () => {
    const app = new Hono().use('*', requestTimeout(100)).post('/upload', async (c) => {
      await new Promise((r) => setTimeout(r, 300));
      return c.json({ ok: true });
    });
    app.onError((err, c) => problemResponse(c, translateApiError(err)));
    const form = new FormData();
    form.set('file', new Blob(['x']), 'x.txt');
    expect((await app.request('/upload', { method: 'POST', body: form })).status).toBe(200);
    const plain = await app.request('/upload', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(plain.status).toBe(503);
  });

  it('is configured by API_REQUEST_TIMEOUT_MS and DATABASE_CONNECT_TIMEOUT_MS, refusing a mistyped value', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1/woms' };
    expect(apiConfig(base).requestTimeoutMs).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
    expect(apiConfig({ ...base, API_REQUEST_TIMEOUT_MS: '20000' }).requestTimeoutMs).toBe(20_000);
    for (const bad of ['15s', '0', '-1', '999', '1.5'])
      expect(() => apiConfig({ ...base, API_REQUEST_TIMEOUT_MS: bad }), bad).toThrow(
        /API_REQUEST_TIMEOUT_MS/,
      );
    expect(connectTimeoutMs({})).toBe(10_000);
    expect(connectTimeoutMs({ DATABASE_CONNECT_TIMEOUT_MS: '2500' })).toBe(2500);
    expect(() => connectTimeoutMs({ DATABASE_CONNECT_TIMEOUT_MS: 'soon' })).toThrow(
      /DATABASE_CONNECT_TIMEOUT_MS/,
    );
  });
});

describe('a connection lost while checked out', () => {
  it('does not end the process: the transaction fails as a 503 and the pool serves again', async () => {
    const db = createDb(test.url, { max: 1 });
    try {
      const e = await failure(
        db.transaction().execute(async (trx) => {
          const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          // terminated between two statements of the transaction: the client emits 'error' while checked out
          await sql`select pg_terminate_backend(${pid})`.execute(test.db);
          await new Promise((r) => setTimeout(r, 200));
          await sql`select 1`.execute(trx);
        }),
      );
      expect(isDbConnectionError(e)).toBe(true);
      expect(translateApiError(e)).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
      // the broken client was dropped: the next statement gets a new connection
      const r = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(r.rows[0]?.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});

describe('what is not PostgreSQL', () => {
  it('does not take another service refusing a connection (fetch failed, ECONNREFUSED cause) for PostgreSQL', async () => {
    const e = await failure(fetch(`http://127.0.0.1:${closedPort}/`));
    expect(isDbConnectionError(e)).toBe(false);
    expect(translateApiError(e).code).toBe('INTERNAL_ERROR');
  });
});

describe('the API document', () => {
  it('documents the 503 of a route that reads PostgreSQL', async () => {
    const app = createApp({ db: test.db, temporal: temporal.get, version: 'test' });
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    expect(doc.paths['/check-ins/mine']?.get?.responses['503']?.description).toMatch(
      /DEPENDENCY_UNAVAILABLE/,
    );
  });
});
