import { describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../test/support/database.ts';
import { createApp } from './app.ts';
import { temporalClientFactory } from './temporal.ts';

const { db } = await freshDatabase();
const temporal = temporalClientFactory(inject('temporalAddress'));
const app = createApp({ db, temporal: temporal.get, version: 'test' });

describe('GET /api/openapi.json', () => {
  it('documents every route the API serves, with a response schema', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} /api${path.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
        .map((r) => `${r.method} ${r.path}`),
    );
    const missing = [...served].filter((r) => !documented.has(r) && r !== 'GET /api/openapi.json');
    expect(missing).toEqual([]);
    // Every documented operation says what a success looks like.
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const success = Object.keys(op.responses).filter((s) => /^2|^3/.test(s));
        expect(success.length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
  });
});
