import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests assert the shape of the body
const j = (res: Response): Promise<any> => res.json();

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
let f: OrgFixture;
beforeAll(async () => {
  f = await buildOrg(db, app);
});
afterAll(() => undefined);

const as = (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) =>
  requestAs(app, f.session[who], method, path, body);

async function trail(type: string, id: string, who: keyof OrgFixture['session'] = 'adminP') {
  const res = await as(who, 'GET', `/api/audit/${type}/${id}`);
  expect(res.status).toBe(200);
  return j(res);
}

describe('org tree', () => {
  it('creates, renames, moves, deactivates and merges units, each audited', async () => {
    let res = await as('adminA', 'POST', '/api/admin/org-units', {
      parentId: f.unit.A,
      typeCode: 'department',
      code: 'A.X',
      nameVi: 'Phòng Thử nghiệm',
      activeFrom: '2026-01-01',
    });
    expect(res.status).toBe(201);
    const x = await j(res);
    expect(x).toMatchObject({ parentId: f.unit.A, code: 'A.X', nameVi: 'Phòng Thử nghiệm', activeTo: null });

    res = await as('adminA', 'PATCH', `/api/admin/org-units/${x.id}`, {
      nameVi: 'Phòng Đổi tên',
      nameEn: 'Renamed',
    });
    expect(res.status).toBe(200);
    expect(await j(res)).toMatchObject({ nameVi: 'Phòng Đổi tên', nameEn: 'Renamed' });

    res = await as('adminA', 'POST', `/api/admin/org-units/${x.id}/move`, { parentId: f.unit.AD2 });
    expect(res.status).toBe(200);
    expect((await j(res)).parentId).toBe(f.unit.AD2);

    res = await as('adminP', 'POST', '/api/admin/org-units', {
      parentId: f.unit.P,
      typeCode: 'department',
      code: 'P.X',
      nameVi: 'Phòng đặt sai chỗ',
      activeFrom: '2026-01-01',
    });
    expect(res.status).toBe(422);
    expect((await j(res)).code).toBe('ORG_UNIT_PLACEMENT_INVALID');

    res = await as('adminA', 'POST', `/api/admin/org-units/${x.id}/deactivate`, { activeTo: '2026-06-30' });
    expect(res.status).toBe(200);
    expect((await j(res)).activeTo).toBe('2026-06-30');

    const t = await trail('org_unit', x.id, 'adminA');
    expect(t.items.map((e: { action: string }) => e.action)).toEqual([
      'org_unit.created',
      'org_unit.renamed',
      'org_unit.moved',
      'org_unit.deactivated',
    ]);
    expect(t.chainIntact).toBe(true);
    expect(t.items[1].before.nameVi).toBe('Phòng Thử nghiệm');
    expect(t.items[1].after.nameVi).toBe('Phòng Đổi tên');
  });

  it('lists sub-units page by page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/admin/org-units?parentId=${f.unit.A}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await as('adminA', 'GET', q);
      expect(res.status).toBe(200);
      const page = await j(res);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u: { code: string }) => u.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['A.D1', 'A.D2', 'A.M1', 'A.M2']));
  });

  it('merges a unit into another: staff and sub-units move from the effective date', async () => {
    const src = await j(
      await as('adminA', 'POST', '/api/admin/org-units', {
        parentId: f.unit.A,
        typeCode: 'department',
        code: 'A.S',
        nameVi: 'Phòng Nguồn',
        activeFrom: '2025-07-01',
      }),
    );
    const p = await j(
      await as('adminA', 'POST', '/api/admin/people', {
        fullName: 'Đỗ Văn Giang',
        email: 'giang@test.woms.vn',
        dutyGroup: 'civil_servant',
        employment: { unitId: src.id, positionCode: 'chuyen_vien', validFrom: '2025-08-01' },
      }),
    );
    const res = await as('adminA', 'POST', `/api/admin/org-units/${src.id}/merge`, {
      intoId: f.unit.AD2,
      effectiveDate: '2026-03-01',
    });
    expect(res.status).toBe(200);
    const body = await j(res);
    expect(body).toMatchObject({
      unit: { activeTo: '2026-02-28', mergedIntoId: f.unit.AD2 },
      movedPeople: 1,
    });
    const periods = await j(await as('adminA', 'GET', `/api/admin/employment?personId=${p.id}`));
    expect(
      periods.items.map((e: { unitId: string; validFrom: string; validTo: string | null }) => [
        e.unitId,
        e.validFrom,
        e.validTo,
      ]),
    ).toEqual([
      [src.id, '2025-08-01', '2026-02-28'],
      [f.unit.AD2, '2026-03-01', null],
    ]);
  });
});

describe('people and employment', () => {
  it('creates a person with a first period, updates the duty group, transfers and records a leaver', async () => {
    let res = await as('headA', 'POST', '/api/admin/people', {
      fullName: 'Vũ Thị Hoa',
      email: 'Hoa.Vu@Test.Woms.vn',
      dutyGroup: 'public_employee',
      employment: { unitId: f.unit.AD1, positionCode: 'chuyen_vien', validFrom: '2025-09-01' },
    });
    expect(res.status).toBe(201);
    const p = await j(res);
    expect(p.email).toBe('hoa.vu@test.woms.vn');

    res = await as('headA', 'PATCH', `/api/admin/people/${p.id}`, { dutyGroup: 'civil_servant' });
    expect((await j(res)).dutyGroup).toBe('civil_servant');

    res = await as('adminA', 'POST', '/api/admin/employment/transfer', {
      personId: p.id,
      unitId: f.unit.AD2,
      positionCode: 'chuyen_vien',
      effectiveDate: '2026-02-01',
    });
    expect(res.status).toBe(200);
    expect(await j(res)).toMatchObject({
      closed: { validTo: '2026-01-31' },
      opened: { unitId: f.unit.AD2, validFrom: '2026-02-01' },
    });

    res = await as('adminA', 'POST', '/api/admin/employment/leave', {
      personId: p.id,
      lastDay: '2026-05-31',
    });
    expect(res.status).toBe(200);
    const t = await trail('person', p.id, 'adminA');
    expect(t.items.map((e: { action: string }) => e.action)).toEqual([
      'person.created',
      'person.updated',
      'employment.transferred',
      'employment.left',
    ]);
  });

  it("lists a unit's people for its own unit; the province sees only the heads", async () => {
    const inside = await j(await as('adminA', 'GET', `/api/admin/people?unitId=${f.unit.A}`));
    expect(inside.items.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([f.person.adminA, f.person.headA]),
    );
    const fromProvince = await j(await as('secretariatP', 'GET', `/api/admin/people?unitId=${f.unit.A}`));
    expect(fromProvince.items.map((p: { id: string }) => p.id)).toEqual([f.person.headA]);
  });
});

describe('roles', () => {
  it('grants and revokes with history', async () => {
    let res = await as('adminA', 'POST', '/api/admin/role-assignments', {
      personId: f.person.staffA,
      roleCode: 'supervisor',
      scopeUnitId: f.unit.AD1,
      validFrom: '2026-01-01',
    });
    expect(res.status).toBe(201);
    const g = await j(res);
    res = await as('adminA', 'POST', `/api/admin/role-assignments/${g.id}/revoke`, { validTo: '2026-03-31' });
    expect(res.status).toBe(200);
    expect((await j(res)).validTo).toBe('2026-03-31');
    const t = await trail('role_assignment', g.id, 'adminA');
    expect(t.items.map((e: { action: string }) => e.action)).toEqual(['role.granted', 'role.revoked']);
  });

  it('refuses a grant of a role to oneself', async () => {
    const res = await as('adminA', 'POST', '/api/admin/role-assignments', {
      personId: f.person.adminA,
      roleCode: 'supervisor',
      scopeUnitId: f.unit.AD1,
      validFrom: '2026-01-01',
    });
    expect(res.status).toBe(403);
    expect((await j(res)).code).toBe('FORBIDDEN');
  });
});

describe('province settings', () => {
  it('approval chains per unit type and subject', async () => {
    let res = await as('adminP', 'POST', '/api/admin/approval-chains', {
      provinceId: f.unit.P,
      unitTypeCode: 'agency',
      subject: 'plan',
      steps: [
        { roleCode: 'secretariat', scope: 'province' },
        { roleCode: 'standing_committee', scope: 'province' },
      ],
    });
    expect(res.status).toBe(201);
    const ch = await j(res);
    expect(ch.steps).toHaveLength(2);
    res = await as('adminP', 'PUT', `/api/admin/approval-chains/${ch.id}/steps`, {
      steps: [{ roleCode: 'auditor', scope: 'unit' }],
    });
    expect(res.status).toBe(422);
    expect((await j(res)).code).toBe('APPROVAL_STEP_ROLE_NOT_APPROVER');
    res = await as('adminP', 'GET', `/api/admin/approval-chains/${ch.id}`);
    expect((await j(res)).steps).toHaveLength(2);
  });

  it('calendar profiles with holidays, make-up days and a deadline ladder', async () => {
    const body = {
      provinceId: f.unit.P,
      name: 'Lịch tỉnh thử 2026',
      weekendDays: [6, 7],
      holidays: [{ date: '2026-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day" }],
      makeUpWorkingDays: ['2026-01-03'],
      deadlineSettings: {
        ladder: {
          reminderOffsets: [-3, -1, 0],
          graceDays: 1,
          overdueReminderOffsets: [1, 2, 3],
          escalations: [{ offset: 2, to: 'supervisor', scopes: ['individual'] }],
          fireAtHour: 8,
          topLevelRepeatEveryWorkingDays: 1,
        },
      },
    };
    let res = await as('adminP', 'PUT', '/api/admin/calendar-profiles/p-2026', body);
    expect(res.status).toBe(200);
    expect((await j(res)).holidays).toHaveLength(1);
    res = await as('adminP', 'PUT', '/api/admin/calendar-profiles/p-2026', {
      ...body,
      makeUpWorkingDays: ['2026-01-05'],
    });
    expect((await j(res)).code).toBe('CALENDAR_MAKE_UP_DAY_NOT_WEEKEND');
    res = await as('adminP', 'PUT', '/api/admin/calendar-profiles/p-2026', {
      ...body,
      deadlineSettings: {
        ladder: {
          ...body.deadlineSettings.ladder,
          escalations: [{ offset: 6, to: 'secretariat', scopes: ['individual'] }],
        },
      },
    });
    expect(res.status).toBe(422);
    expect((await j(res)).code).toBe('CALENDAR_DEADLINE_SETTINGS_INVALID');
    const read = await j(await as('officialA', 'GET', '/api/admin/calendar-profiles/p-2026'));
    expect(read.makeUpWorkingDays).toEqual(['2026-01-03']);
  });

  it('metric library', async () => {
    let res = await as('adminP', 'POST', '/api/admin/metric-library', {
      provinceId: f.unit.P,
      code: 'HOC_TAP.SO_BUOI',
      titleVi: 'Số buổi sinh hoạt chính trị, tư tưởng',
      unit: 'buổi',
      direction: 'higher',
      aggregation: 'sum',
      perspective: 'learning',
      exampleSource: 'Phụ lục 1, mục I.1',
    });
    expect(res.status).toBe(201);
    const m = await j(res);
    res = await as('adminP', 'PATCH', `/api/admin/metric-library/${m.id}`, { direction: 'milestone' });
    expect((await j(res)).code).toBe('METRIC_AGGREGATION_MISMATCH');
    res = await as('adminP', 'PATCH', `/api/admin/metric-library/${m.id}`, { active: false });
    expect((await j(res)).active).toBe(false);
    const list = await j(
      await as('officialA', 'GET', `/api/admin/metric-library?provinceId=${f.unit.P}&includeInactive=true`),
    );
    expect(list.items.map((x: { code: string }) => x.code)).toContain('HOC_TAP.SO_BUOI');
  });

  it("seeds a province's library from the built-in one, once", async () => {
    let res = await as('adminP', 'POST', '/api/admin/metric-library/seed', { provinceId: f.unit.P });
    expect(res.status).toBe(200);
    const first = await j(res);
    expect(first.added).toBeGreaterThan(100);
    res = await as('adminP', 'POST', '/api/admin/metric-library/seed', { provinceId: f.unit.P });
    expect(await j(res)).toEqual({ added: 0, kept: first.added + first.kept });
  });

  it('conversion coefficients: a new version supersedes, the old stays', async () => {
    const entries = [
      { positionCode: 'chuyen_vien', productCode: 'report', productNameVi: 'Báo cáo', coefficient: '1' },
    ];
    let res = await as('adminA', 'POST', '/api/admin/conversion-coefficients', {
      unitId: f.unit.A,
      validFrom: '2026-01-01',
      approvedBy: 'Giám đốc Sở',
      approvedOn: '2025-12-20',
      entries,
    });
    expect(res.status).toBe(201);
    const v1 = await j(res);
    res = await as('adminA', 'POST', '/api/admin/conversion-coefficients', {
      unitId: f.unit.A,
      validFrom: '2026-07-01',
      approvedBy: 'Giám đốc Sở',
      approvedOn: '2026-06-20',
      entries: [{ ...entries[0], coefficient: '1.5' }],
    });
    const v2 = await j(res);
    expect(v2).toMatchObject({ version: 2, current: true });
    const list = await j(await as('adminA', 'GET', `/api/admin/conversion-coefficients?unitId=${f.unit.A}`));
    expect(list.items.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const old = await j(await as('adminA', 'GET', `/api/admin/conversion-coefficients/${v1.id}`));
    expect(old).toMatchObject({ supersededById: v2.id, entries: [{ coefficient: '1.0000' }] });
  });
});

describe('contract', () => {
  it('serves the OpenAPI 3.1 document publicly, covering the admin routes', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await j(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/org-units',
        '/admin/org-units/{id}/merge',
        '/admin/import',
        '/audit/{aggregateType}/{aggregateId}',
      ]),
    );
    expect(doc.components.schemas.Problem).toBeDefined();
  });
});
