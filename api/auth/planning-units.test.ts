import { describe, expect, it } from 'vitest';
import { createTestPerson, ensureTestProvince, signIn } from '../../test/support/auth.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { createApp } from '../app.ts';

// GET /api/auth/session names the units whose annual plan the person works on (the /plans screen's default).

const { db } = await freshDatabase();
const now = new Date('2026-03-02T02:00:00Z');
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
});
const PASSWORD = 'mật-khẩu-đủ-dài-2026';

const province = await ensureTestProvince(db);
await db
  .insertInto('job_position')
  .values({ code: 'test_officer', title_vi: 'Chuyên viên (thử nghiệm)', title_en: 'Officer (test)' })
  .onConflict((oc) => oc.column('code').doNothing())
  .execute();

async function unit(code: string, typeCode: string, parentId: string, nameVi: string): Promise<string> {
  const r = await db
    .insertInto('org_unit')
    .values({
      type_code: typeCode,
      province_id: province,
      parent_id: parentId,
      code,
      name_vi: nameVi,
      active_from: '2020-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
const stc = await unit('PU.STC', 'agency', province, 'Sở Tài chính (thử)');
const budget = await unit('PU.STC.NS', 'department', stc, 'Phòng Ngân sách (thử)');
const snv = await unit('PU.SNV', 'agency', province, 'Sở Nội vụ (thử)');
const snvOffice = await unit('PU.SNV.VP', 'department', snv, 'Văn phòng Sở Nội vụ (thử)');
const sxd = await unit('PU.SXD', 'agency', province, 'Sở Xây dựng (thử)');
const commune = await unit('PU.XA', 'commune', province, 'Xã Thử (thử)');

async function person(
  email: string,
  jobs: { unitId: string; from: string; to?: string; concurrent?: boolean }[],
  grants: { role: 'official' | 'unit_head' | 'organisation_department'; unitId: string }[] = [],
) {
  const id = await createTestPerson(db, { email, password: PASSWORD, employInTestAgency: false });
  for (const j of jobs) {
    await db
      .insertInto('employment')
      .values({
        person_id: id,
        org_unit_id: j.unitId,
        position_code: 'test_officer',
        valid_from: j.from,
        valid_to: j.to ?? null,
        is_concurrent: j.concurrent ?? false,
      })
      .execute();
  }
  for (const g of grants) {
    await db
      .insertInto('role_assignment')
      .values({
        person_id: id,
        role_code: g.role,
        scope_unit_id: g.unitId,
        valid_from: '2020-01-01',
        valid_to: null,
      })
      .execute();
  }
  return id;
}

async function planningUnits(email: string) {
  const s = await signIn(app, email, PASSWORD);
  const res = await app.request('/api/auth/session', { headers: { cookie: s.cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { planningUnits: { id: string; code: string; nameVi: string }[] })
    .planningUnits;
}

describe('planning units of the session', () => {
  it('is the agency for someone employed in one of its departments', async () => {
    await person(
      'phong@pu.test',
      [{ unitId: budget, from: '2024-01-01' }],
      [{ role: 'official', unitId: budget }],
    );
    expect(await planningUnits('phong@pu.test')).toEqual([
      { id: stc, code: 'PU.STC', nameVi: 'Sở Tài chính (thử)' },
    ]);
  });

  it('is the agency itself for someone employed directly in it, once however many ways they reach it', async () => {
    await person(
      'so@pu.test',
      [{ unitId: stc, from: '2024-01-01' }],
      [
        { role: 'unit_head', unitId: stc },
        { role: 'official', unitId: budget },
      ],
    );
    expect(await planningUnits('so@pu.test')).toEqual([
      { id: stc, code: 'PU.STC', nameVi: 'Sở Tài chính (thử)' },
    ]);
  });

  it("leaves out a leaver's old unit and a future post; keeps the main post first, then concurrent ones", async () => {
    await person('chuyen@pu.test', [
      { unitId: snvOffice, from: '2020-01-01', to: '2026-02-28' },
      { unitId: sxd, from: '2026-06-01', concurrent: true },
      { unitId: commune, from: '2025-01-01', concurrent: true },
      { unitId: budget, from: '2026-03-01' },
    ]);
    expect((await planningUnits('chuyen@pu.test')).map((u) => u.id)).toEqual([stc, commune]);
  });

  it('adds the top unit of a unit-scoped grant but nothing for a province-wide one', async () => {
    await person(
      'kiem@pu.test',
      [{ unitId: commune, from: '2024-01-01' }],
      [
        { role: 'official', unitId: snvOffice },
        { role: 'organisation_department', unitId: province },
      ],
    );
    expect((await planningUnits('kiem@pu.test')).map((u) => u.id)).toEqual([commune, snv]);
  });

  it('is empty for someone with no current post and no grant', async () => {
    await person('nghi@pu.test', [{ unitId: budget, from: '2020-01-01', to: '2025-12-31' }]);
    expect(await planningUnits('nghi@pu.test')).toEqual([]);
  });
});
