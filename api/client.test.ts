import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../test/support/database.ts';
import { buildOrg, type OrgFixture } from '../test/support/org-fixture.ts';
import { createApp } from './app.ts';
import { apiClient } from './client.ts';

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
let f: OrgFixture;
beforeAll(async () => {
  f = await buildOrg(db, app);
});

describe('the typed client', () => {
  it('calls the admin routes with typed inputs and outputs', async () => {
    const client = apiClient('http://localhost', {
      fetch: (input, init) =>
        Promise.resolve(app.request(input instanceof Request ? input : String(input), init)),
      headers: f.session.adminA.headers,
    });
    const res = await client.api.admin['org-units'].$get({ query: { parentId: f.unit.A, limit: '10' } });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const page = await res.json();
    const codes: string[] = page.items.map((u) => u.code);
    expect(codes).toContain('A.D1');
    const created = await client.api.admin['org-units'].$post({
      json: {
        parentId: f.unit.A,
        typeCode: 'department',
        code: 'A.CLIENT',
        nameVi: 'Phòng Khách',
        activeFrom: '2026-01-01',
      },
    });
    expect(created.status).toBe(201);
  });
});
