import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../devstack/ports.ts';
import { freshDatabase } from '../test/support/database.ts';
import { createApp } from './app.ts';
import { temporalClientFactory } from './temporal.ts';

type Problem = { code: string; message: { vi: string; en: string }; details?: unknown };

const { db } = await freshDatabase();
const temporal = temporalClientFactory(inject('temporalAddress'));
const app = createApp({ db, temporal: temporal.get, version: 'test' });
afterAll(() => temporal.close());

describe('API skeleton', () => {
  it('answers liveness with its version', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', version: 'test' });
  });

  it('is ready when PostgreSQL and Temporal answer', async () => {
    const res = await app.request('/api/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'up', temporal: 'up' } });
  });

  it('answers every unknown route with the one problem envelope, in Vietnamese and English', async () => {
    const res = await app.request('/api/khong-co');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as Problem;
    expect(body.code).toBe('NOT_FOUND');
    expect(body.message.vi).toMatch(/Không tìm thấy/);
    expect(body.message.en).toMatch(/not found/i);
  });

  it('sets the security headers on every response', async () => {
    for (const path of ['/api/health', '/api/khong-co']) {
      const res = await app.request(path);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  describe('when Temporal is unreachable', () => {
    let deadApp: ReturnType<typeof createApp>;
    let dead: ReturnType<typeof temporalClientFactory>;
    beforeAll(async () => {
      dead = temporalClientFactory(`127.0.0.1:${await freePort()}`);
      deadApp = createApp({ db, temporal: dead.get, version: 'test' });
    });
    afterAll(() => dead.close());

    it('answers 503 with Retry-After and a problem code, within its timeout', async () => {
      const t0 = Date.now();
      const res = await deadApp.request('/api/ready');
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as Problem;
      expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(body.message.en).toContain('temporal');
      expect(body.details).toEqual({ checks: { postgres: 'up', temporal: 'down' } });
    });
  });
});
