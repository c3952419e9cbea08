// The dashboards through the API (issue 7 point 4) on real PostgreSQL, from verified check-in values seeded in
// this file's database: the province heatmap (units × months), league ranks, traffic lights, the median and
// quartiles of comparable units (agencies with agencies, communes with communes), overdue items and reporting
// completion as counts; a unit's 4 perspectives, its key results' months against their targets and year to date;
// one key result's values with who reported them, their evidence and the formula in words; one's own dashboard;
// the year-end forecast band (the latest stored projection, key_result_forecast) on a unit's key results.
// Unverified values never count. Authz by the tiered rule (the full matrix is in api/authz/matrix.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertForecast } from '../../db/queries/forecasts.ts';
import { pdf } from '../../domain/evidence/test-files.ts';
import { dashKr, seedUnitPlan, seedVerifiedValue } from '../../test/support/dashboard-seed.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../test/support/org-fixture.ts';
import { createApp } from '../app.ts';

const { db } = await freshDatabase();
// Wednesday 15 April 2026 in Hà Nội, once everyone has signed in (the second factor needs the real time)
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
});
let f: OrgFixture;
let evidenceId = '';
// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], path: string) => {
  const res = await requestAs(app, f.session[who], 'GET', path);
  return { status: res.status, body: (await res.json()) as Json };
};

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = new Date('2026-04-15T03:00:00Z');
  const U = f.unit;
  const P = f.person;
  const a = await seedUnitPlan(db, {
    unitId: U.A,
    year: 2026,
    createdBy: P.headA,
    tasks: [
      {
        perspective: 'citizens',
        keyResults: [
          dashKr('k1', {
            title: 'Hồ sơ được số hóa',
            periodTargets: { '2026-01': '100', '2026-02': '100', '2026-03': '100' },
          }),
        ],
      },
      {
        perspective: 'budget',
        keyResults: [
          dashKr('k2', {
            title: 'Số ngày xử lý bình quân',
            direction: { kind: 'lower' },
            baseline: '20',
            target: '10',
            aggregation: 'last',
            unit: 'ngày',
            periodTargets: { '2026-01': '10', '2026-02': '10' },
          }),
        ],
      },
      {
        perspective: 'learning',
        keyResults: [dashKr('kx', { breakthrough: true, periodTargets: { '2026-01': '10' } })],
      },
    ],
  });
  const one = async (unitId: string, personId: string, value: string) => {
    const plan = await seedUnitPlan(db, {
      unitId,
      year: 2026,
      createdBy: P.adminP,
      tasks: [
        { perspective: 'citizens', keyResults: [dashKr('k1', { periodTargets: { '2026-01': '100' } })] },
      ],
    });
    await seedVerifiedValue(db, {
      personId,
      unitId,
      period: '2026-01',
      plan,
      krId: 'k1',
      value,
      verifiedBy: P.adminP,
    });
  };
  const first = await seedVerifiedValue(db, {
    personId: P.officialA,
    unitId: U.AD1,
    period: '2026-01',
    plan: a,
    krId: 'k1',
    value: '50',
    verifiedBy: P.supervisorA,
    evidence: { fileName: 'bien-ban-thang-1.pdf', bytes: pdf() },
  });
  for (const [period, kr, value] of [
    ['2026-01', 'k2', '15'],
    ['2026-01', 'kx', '0'],
    ['2026-02', 'k1', '100'],
  ] as const)
    await seedVerifiedValue(db, {
      personId: P.officialA,
      unitId: U.AD1,
      period,
      plan: a,
      krId: kr,
      value,
      verifiedBy: P.supervisorA,
    });
  // March: reported, not verified yet — never counted
  await seedVerifiedValue(db, {
    personId: P.officialA,
    unitId: U.AD1,
    period: '2026-03',
    plan: a,
    krId: 'k1',
    value: '500',
    verifiedBy: P.supervisorA,
    verified: false,
  });
  const b = await seedUnitPlan(db, {
    unitId: U.B,
    year: 2026,
    createdBy: P.adminP,
    tasks: [{ perspective: 'citizens', keyResults: [dashKr('k1', { periodTargets: { '2026-01': '100' } })] }],
  });
  await seedVerifiedValue(db, {
    personId: P.staffB,
    unitId: U.BD1,
    period: '2026-01',
    plan: b,
    krId: 'k1',
    value: '80',
    verifiedBy: P.adminP,
  });
  await one(U.M1, P.leaverA, '100');
  await one(U.M2, P.headB, '50');
  // overdue items of unit A: its plan's (unit-level) and one of a department inside it; a done one and a future one
  // do not count
  const task = (
    id: string,
    o: { subject_type: string; subject_id: string; due: string; status?: 'open' | 'done' },
  ) =>
    db
      .insertInto('task')
      .values({
        id,
        workflow_id: `wf-${id}`,
        kind: 'test.item',
        subject_type: o.subject_type,
        subject_id: o.subject_id,
        assignee_person_id: null,
        assignee_role: 'unit-head',
        assignee_unit_id: U.AD1,
        due_at: new Date(`${o.due}T10:00:00Z`),
        logical_due_date: o.due,
        status: o.status ?? 'open',
        closed_at: o.status === 'done' ? new Date('2026-04-11T03:00:00Z') : null,
        closed_by: o.status === 'done' ? 'test' : null,
      })
      .execute();
  evidenceId = first.evidenceId as string;
  await task('dash-t1', { subject_type: 'plan', subject_id: a.planId, due: '2026-04-01' });
  await task('dash-t2', { subject_type: 'other', subject_id: 'x', due: '2026-04-10' });
  await task('dash-t3', { subject_type: 'other', subject_id: 'y', due: '2026-04-10', status: 'done' });
  await task('dash-t4', { subject_type: 'other', subject_id: 'z', due: '2026-04-30' });
});

describe('the province dashboard', () => {
  it('gives the heatmap, ranks, lights, peers, overdue and reporting counts', async () => {
    const r = await as('secretariatP', `/api/dashboards/province?year=2026&month=2`);
    expect(r.status).toBe(200);
    expect(r.body.provinceId).toBe(f.unit.P);
    expect(r.body.months).toEqual(['2026-01', '2026-02']);
    const by = Object.fromEntries((r.body.units as Json[]).map((u) => [u.code, u]));
    // A: January (0.5 + 0.5) / 2 = 0.5 (the breakthrough item left out); February 1; the year 0.75
    expect(by.A.cells).toEqual([
      { period: '2026-01', completion: '0.5', light: 'red' },
      { period: '2026-02', completion: '1', light: 'green' },
    ]);
    expect(by.A).toMatchObject({ completion: '0.75', light: 'amber', rank: 3, group: 'agency' });
    expect(by.B).toMatchObject({ completion: '0.8', rank: 2, peerPosition: 'top' });
    expect(by.M1).toMatchObject({ completion: '1', rank: 1, group: 'commune', peerPosition: 'top' });
    expect(by.M2).toMatchObject({ completion: '0.5', rank: 4, peerPosition: 'bottom' });
    expect(by.A.peerPosition).toBe('bottom');
    const peers = Object.fromEntries((r.body.peers as Json[]).map((p) => [p.group, p]));
    expect(peers.agency).toEqual({ group: 'agency', n: 2, q1: '0.7625', median: '0.775', q3: '0.7875' });
    expect(peers.commune).toEqual({ group: 'commune', n: 2, q1: '0.625', median: '0.75', q3: '0.875' });
    expect(by.A.overdue).toBe(2);
    expect(by.B.overdue).toBe(0);
    // February: the official of A reported and was verified (counts only)
    expect(by.A.reporting.reported).toBe(1);
    expect(by.A.reporting.verified).toBe(1);
    expect(by.A.reporting.people).toBeGreaterThanOrEqual(1);
    expect(by.B.reporting.reported).toBe(0);
  });

  it('never counts an unverified value (March is empty)', async () => {
    const r = await as('standingP', `/api/dashboards/province?year=2026&month=3`);
    const a = (r.body.units as Json[]).find((u) => u.code === 'A') as Json;
    expect(a.cells[2]).toEqual({ period: '2026-03', completion: null, light: null });
  });

  it('is refused to a unit head (the tiered rule) and validates its query', async () => {
    const r = await as('headA', `/api/dashboards/province?provinceId=${f.unit.P}&year=2026`);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    const bad = await as('secretariatP', `/api/dashboards/province?year=2026&month=13`);
    expect(bad.status).toBe(400);
  });
});

describe("a unit's dashboard", () => {
  it('gives the 4 perspectives, months against targets, year to date and the peers', async () => {
    const r = await as('headA', `/api/dashboards/unit/${f.unit.A}?year=2026&month=2`);
    expect(r.status).toBe(200);
    expect(r.body.completion).toBe('0.75');
    expect(r.body.peerPosition).toBe('bottom');
    expect(r.body.peers).toMatchObject({ n: 2, median: '0.775' });
    // citizens: 150 of 1 200 = 0.125; budget: (20 − 15) / (20 − 10) = 0.5; learning: the breakthrough item only
    expect(r.body.perspectives).toEqual([
      { perspective: 'citizens', score: '0.125' },
      { perspective: 'budget', score: '0.5' },
      { perspective: 'processes', score: null },
      { perspective: 'learning', score: null },
    ]);
    const k1 = (r.body.keyResults as Json[]).find((k) => k.id === 'k1') as Json;
    expect(k1.months).toEqual([
      { period: '2026-01', value: '50', target: '100', attainment: '0.5', light: 'red' },
      { period: '2026-02', value: '100', target: '100', attainment: '1', light: 'green' },
    ]);
    expect(k1.yearToDate).toEqual({ value: '150', target: '1200', progress: '0.125', light: 'red' });
    expect(k1.formula.code).toBe('higher');
  });

  it("is the unit's leadership's and the province's, not another unit's", async () => {
    expect((await as('secretariatP', `/api/dashboards/unit/${f.unit.A}?year=2026`)).status).toBe(200);
    const other = await as('headA', `/api/dashboards/unit/${f.unit.B}?year=2026`);
    expect(other.status).toBe(403);
    const official = await as('officialA', `/api/dashboards/unit/${f.unit.A}?year=2026`);
    expect(official.status).toBe(403);
    const province = await as('secretariatP', `/api/dashboards/unit/${f.unit.P}?year=2026`);
    expect(province.status).toBe(404);
    expect(province.body.code).toBe('DASHBOARD_UNIT_NOT_FOUND');
  });
});

describe("a unit's dashboard: the forecast band on the trend", () => {
  const projection = (through: string, projected: string, low: string, high: string, pMiss: string) => ({
    kind: 'projection' as const,
    through,
    method: 'trend' as const,
    observations: 3,
    projected,
    low,
    high,
    target: '1200',
    pMiss,
    warning: Number(pMiss) >= 0.8,
  });
  beforeAll(async () => {
    const planId = `plan:2026:unit:${f.unit.A}`;
    await upsertForecast(db, {
      planId,
      keyResultId: 'k1',
      forecast: projection('2026-01', '700', '500', '900', '0.99'),
    });
    await upsertForecast(db, {
      planId,
      keyResultId: 'k1',
      forecast: projection('2026-02', '1080', '900', '1260', '0.82'),
    });
    await upsertForecast(db, {
      planId,
      keyResultId: 'k1',
      forecast: projection('2026-03', '1150', '1000', '1300', '0.7'),
    });
    await upsertForecast(db, {
      planId,
      keyResultId: 'k2',
      forecast: { kind: 'none', through: '2026-02', reason: 'too-few-values' },
    });
  });

  it('gives the latest projection made after a month shown, as a band from the year to date to December', async () => {
    const r = await as('headA', `/api/dashboards/unit/${f.unit.A}?year=2026&month=2`);
    expect(r.status).toBe(200);
    const byId = Object.fromEntries((r.body.keyResults as Json[]).map((k) => [k.id, k]));
    const fc = byId.k1.forecast as Json;
    expect(fc).toMatchObject({
      through: '2026-02',
      projected: '1080',
      low: '900',
      high: '1260',
      target: '1200',
      pMiss: '0.82',
      warning: true,
      anchor: '150',
    });
    expect(fc.yearToDate).toEqual([
      { period: '2026-01', value: '50' },
      { period: '2026-02', value: '150' },
    ]);
    expect(fc.band).toHaveLength(11);
    expect(fc.band[0]).toEqual({ period: '2026-02', low: '150', median: '150', high: '150' });
    // halfway (July): 150 + (900 − 150) / 2 …
    expect(fc.band[5]).toEqual({ period: '2026-07', low: '525', median: '615', high: '705' });
    expect(fc.band.at(-1)).toEqual({ period: '2026-12', low: '900', median: '1080', high: '1260' });
    // no projection (too few values), none at all
    expect(byId.k2.forecast).toBeNull();
    expect(byId.kx.forecast).toBeNull();
  });

  it('uses a later projection once its month is shown; none before the first', async () => {
    const march = await as('secretariatP', `/api/dashboards/unit/${f.unit.A}?year=2026&month=3`);
    const k1 = (march.body.keyResults as Json[]).find((k) => k.id === 'k1') as Json;
    expect(k1.forecast).toMatchObject({ through: '2026-03', projected: '1150', warning: false });
    // March's value is not verified: the cone starts from the year value through February (150)
    expect(k1.forecast.anchor).toBe('150');
    const january = await as('headA', `/api/dashboards/unit/${f.unit.A}?year=2026&month=1`);
    const jan = (january.body.keyResults as Json[]).find((k) => k.id === 'k1') as Json;
    expect(jan.forecast).toMatchObject({ through: '2026-01', projected: '700', anchor: '50' });
  });
});

describe('one key result', () => {
  it('lists its verified values with who reported them, their evidence and the formula in words', async () => {
    const r = await as('secretariatP', `/api/dashboards/unit/${f.unit.A}/key-results/k1?year=2026&month=3`);
    expect(r.status).toBe(200);
    expect(r.body.values.map((v: Json) => [v.period, v.value])).toEqual([
      ['2026-01', '50'],
      ['2026-02', '100'],
    ]);
    expect(r.body.values[0].person.name).toBeTruthy();
    expect(r.body.values[0].evidence).toEqual([
      expect.objectContaining({ fileName: 'bien-ban-thang-1.pdf', type: 'application/pdf' }),
    ]);
    expect(r.body.keyResult.formula.vi).toContain('chỉ tiêu');
    expect(r.body.keyResult.formula.en).toContain('target');
    expect(r.body.formulaTail.vi).toContain('min(P, 1)');
  });
  it('serves the evidence of a verified value of a unit-level key result to the province, as an attachment', async () => {
    const path = `/api/dashboards/unit/${f.unit.A}/key-results/k1/evidence/${evidenceId}?year=2026`;
    const res = await requestAs(app, f.session.secretariatP, 'GET', path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('bien-ban-thang-1.pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    // not through another key result, nor another unit
    const other = await as(
      'secretariatP',
      `/api/dashboards/unit/${f.unit.A}/key-results/k2/evidence/${evidenceId}?year=2026`,
    );
    expect([other.status, other.body.code]).toEqual([404, 'DASHBOARD_EVIDENCE_NOT_FOUND']);
    const b = await as(
      'secretariatP',
      `/api/dashboards/unit/${f.unit.B}/key-results/k1/evidence/${evidenceId}?year=2026`,
    );
    expect(b.status).toBe(404);
    expect(
      (await as('headA', `/api/dashboards/unit/${f.unit.B}/key-results/k1/evidence/${evidenceId}?year=2026`))
        .status,
    ).toBe(403);
  });
  it('answers 404 for a key result not in the plan in force', async () => {
    const r = await as('headA', `/api/dashboards/unit/${f.unit.A}/key-results/nope?year=2026`);
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('DASHBOARD_KEY_RESULT_NOT_FOUND');
  });
});

describe('my dashboard', () => {
  it('lists what I reported, verified or not, and my completion from the verified values only', async () => {
    const r = await as('officialA', `/api/dashboards/me?year=2026&month=3`);
    expect(r.status).toBe(200);
    const k1 = (r.body.keyResults as Json[]).find((k) => k.id === 'k1') as Json;
    expect(k1.months.map((m: Json) => [m.period, m.value, m.verified])).toEqual([
      ['2026-01', '50', true],
      ['2026-02', '100', true],
      ['2026-03', '500', false],
    ]);
    // verified: k1 Jan 0.5, Feb 1; k2 Jan 0.5 → (0.5 + 1 + 0.5) / 3
    expect(Number(r.body.completion)).toBeCloseTo(2 / 3, 10);
    const mine = await as('adminQ', `/api/dashboards/me?year=2026`);
    expect(mine.body.keyResults).toEqual([]);
  });
});
