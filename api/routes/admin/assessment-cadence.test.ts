// The per-agency assessment cadence through the API (issue 6 loose ends), on a real database: month unless set;
// set by an administrator of the province or the agency, audited, in force from the next assessment period (the
// first month of the next quarter) while the current one keeps its cadence — which the monthly opening reads for
// each month (cadenceOf with the month); a department is no agency (404); an auditor reads but does not set.
import { beforeAll, describe, expect, it } from 'vitest';
import { cadenceOf } from '../../../db/queries/period-assessments.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
// Wednesday 20 May 2026, 10:00 in Hà Nội: Q2 is under way, Q3 starts in July.
const NOW = new Date('2026-05-20T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const url = () => `/api/admin/assessment-cadence/${f.unit.A}`;

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = NOW;
});

describe("an agency's assessment cadence", () => {
  it('is monthly unless set', async () => {
    const r = await as('headA', 'GET', url());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      unitId: f.unit.A,
      cadence: 'month',
      inForce: 'month',
      effectiveFrom: null,
      updatedBy: null,
    });
  });

  it('is set by the agency administrator from the next quarter, audited; the current quarter stays monthly', async () => {
    const r = await as('adminA', 'PUT', url(), { cadence: 'quarter' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      cadence: 'quarter',
      inForce: 'month',
      effectiveFrom: '2026-07',
      updatedBy: f.person.adminA,
    });
    // what the monthly opening reads for each month
    const months = ['2026-05', '2026-06', '2026-07', '2026-09'];
    expect(await Promise.all(months.map((m) => cadenceOf(db, f.unit.A, m)))).toEqual([
      'month',
      'month',
      'quarter',
      'quarter',
    ]);
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'before', 'after'])
      .where('aggregate_type', '=', 'assessment_cadence')
      .where('aggregate_id', '=', f.unit.A)
      .execute();
    expect(audits).toEqual([
      {
        action: 'assessment.cadence.set',
        actor: f.person.adminA,
        before: { cadence: 'month', inForce: 'month', effectiveFrom: null },
        after: { cadence: 'quarter', inForce: 'month', effectiveFrom: '2026-07' },
      },
    ]);
  });

  it('once the next quarter has begun the new cadence is in force; a change back waits for the quarter after', async () => {
    now = new Date('2026-08-03T03:00:00Z');
    const r = await as('adminP', 'GET', url());
    expect(r.body).toMatchObject({ cadence: 'quarter', inForce: 'quarter', effectiveFrom: null });
    const back = await as('adminP', 'PUT', url(), { cadence: 'month' });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ cadence: 'month', inForce: 'quarter', effectiveFrom: '2026-10' });
    expect(await cadenceOf(db, f.unit.A, '2026-09')).toBe('quarter');
    expect(await cadenceOf(db, f.unit.A, '2026-10')).toBe('month');
    // changing one's mind before it takes effect: the cadence in force stays, nothing pending
    const undo = await as('adminA', 'PUT', url(), { cadence: 'quarter' });
    expect(undo.body).toMatchObject({ cadence: 'quarter', inForce: 'quarter', effectiveFrom: null });
    expect(await cadenceOf(db, f.unit.A, '2026-10')).toBe('quarter');
  });

  it('refuses the others (403) and a department, which is no agency (404); bad input 400', async () => {
    const before = await db.selectFrom('assessment_cadence').selectAll().execute();
    expect((await as('auditorA', 'PUT', url(), { cadence: 'month' })).status).toBe(403);
    expect((await as('headA', 'PUT', url(), { cadence: 'month' })).status).toBe(403);
    expect((await as('secretariatP', 'GET', url())).status).toBe(403);
    expect((await as('adminQ', 'PUT', url(), { cadence: 'month' })).status).toBe(403);
    const dept = await as('adminA', 'PUT', `/api/admin/assessment-cadence/${f.unit.AD1}`, {
      cadence: 'month',
    });
    expect([dept.status, dept.body.code]).toEqual([404, 'CADENCE_UNIT_NOT_AGENCY']);
    const bad = await as('adminA', 'PUT', url(), { cadence: 'year' });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await db.selectFrom('assessment_cadence').selectAll().execute()).toEqual(before);
  });
});
