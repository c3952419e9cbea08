// Bad input on the administration routes (issue 4, point 7): each gets a 4xx with its stable code, and
// nothing saved changes.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';
import { PEOPLE_COLUMNS, PEOPLE_SHEET, UNIT_COLUMNS, UNIT_SHEET, XLSX_TYPE } from './import.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests assert the shape of the body
const j = (res: Response): Promise<any> => res.json();

const { db } = await freshDatabase();
const app = createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' });
let f: OrgFixture;
beforeAll(async () => {
  f = await buildOrg(db, app);
});

/** Everything the admin routes write, to compare before and after a refused request. */
async function saved() {
  const [units, people, jobs, grants, log, metrics, cats] = await Promise.all([
    db.selectFrom('org_unit').selectAll().orderBy('id').execute(),
    db.selectFrom('person').selectAll().orderBy('id').execute(),
    db.selectFrom('employment').selectAll().orderBy('id').execute(),
    db.selectFrom('role_assignment').selectAll().orderBy('id').execute(),
    db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id').execute(),
    db.selectFrom('metric_template').selectAll().orderBy('id').execute(),
    db.selectFrom('conversion_catalogue').selectAll().orderBy('id').execute(),
  ]);
  return { units, people, jobs, grants, log, metrics, cats };
}

/** Sends as A's administrator and asserts the status, the stable code and that nothing changed. */
async function refused(
  method: string,
  path: string,
  body: unknown,
  status: number,
  code: string,
  headers: Record<string, string> = {},
) {
  const before = await saved();
  const res = await requestAs(app, f.session.adminA, method, path, body, headers);
  const b = await j(res);
  expect({ status: res.status, code: b.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(b.message.vi).toBeTruthy();
  expect(b.message.en).toBeTruthy();
  expect(await saved()).toEqual(before);
  return b;
}

const newDept = (o: Record<string, unknown> = {}) => ({
  parentId: f.unit.A,
  typeCode: 'department',
  code: 'A.NEW',
  nameVi: 'Phòng Mới',
  activeFrom: '2026-01-01',
  ...o,
});
const newPerson = (o: Record<string, unknown> = {}) => ({
  fullName: 'Nguyễn Thị Mai',
  email: 'mai@test.woms.vn',
  dutyGroup: 'civil_servant',
  employment: { unitId: f.unit.AD1, positionCode: 'chuyen_vien', validFrom: '2026-01-01' },
  ...o,
});

describe('malformed and mistyped JSON', () => {
  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    await refused('POST', '/api/admin/org-units', '{"parentId": "x", ', 400, 'MALFORMED_JSON');
  });

  it('wrong types → 400 VALIDATION_FAILED naming the fields', async () => {
    const b = await refused(
      'POST',
      '/api/admin/org-units',
      newDept({ typeCode: 42, activeFrom: 'hôm qua' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['activeFrom', 'typeCode']);
  });

  it('missing fields → 400 VALIDATION_FAILED', async () => {
    const b = await refused(
      'POST',
      '/api/admin/people',
      { fullName: 'Nguyễn Văn Nam' },
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['email', 'dutyGroup', 'employment']),
    );
  });

  it('unknown fields → 400 VALIDATION_FAILED (no mass assignment)', async () => {
    await refused(
      'PATCH',
      `/api/admin/people/${f.person.staffA}`,
      { active: false, id: f.person.adminA },
      400,
      'VALIDATION_FAILED',
    );
  });

  it('an empty change → 400 VALIDATION_FAILED', async () => {
    const b = await refused('PATCH', `/api/admin/org-units/${f.unit.AD1}`, {}, 400, 'VALIDATION_FAILED');
    expect(b.details.issues[0].code).toBe('NOTHING_TO_CHANGE');
  });

  it('a body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    await refused('POST', '/api/admin/org-units', 'parentId=x', 415, 'UNSUPPORTED_MEDIA_TYPE', {
      'content-type': 'text/plain',
    });
  });

  it('an oversized body → 413 PAYLOAD_TOO_LARGE', async () => {
    await refused(
      'POST',
      '/api/admin/org-units',
      newDept({ nameVi: 'A'.repeat(300 * 1024) }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('a bad id, query or cursor → 400', async () => {
    await refused('GET', '/api/admin/org-units/not-a-uuid', undefined, 400, 'VALIDATION_FAILED');
    await refused(
      'GET',
      `/api/admin/org-units?parentId=${f.unit.A}&limit=100000`,
      undefined,
      400,
      'VALIDATION_FAILED',
    );
    await refused(
      'GET',
      `/api/admin/org-units?parentId=${f.unit.A}&cursor=%%%`,
      undefined,
      400,
      'CURSOR_INVALID',
    );
    await refused('GET', `/api/audit/plan/${f.unit.A}`, undefined, 400, 'VALIDATION_FAILED');
  });
});

describe('injection strings', () => {
  it('SQL in a name, a code and a query parameter → 400 VALIDATION_FAILED', async () => {
    let b = await refused(
      'POST',
      '/api/admin/org-units',
      newDept({ nameVi: "Phòng'); DROP TABLE person; --" }),
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues[0].code).toBe('TEXT_FORBIDDEN_CHARACTER');
    b = await refused(
      'POST',
      '/api/admin/org-units',
      newDept({ code: "A' OR '1'='1" }),
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues[0].code).toBe('CODE_INVALID');
    await refused(
      'GET',
      `/api/admin/org-units?parentId=${encodeURIComponent("' OR 1=1 --")}`,
      undefined,
      400,
      'VALIDATION_FAILED',
    );
  });

  it('HTML in a name and a metric title → 400 VALIDATION_FAILED', async () => {
    const b = await refused(
      'POST',
      '/api/admin/people',
      newPerson({ fullName: '<script>alert(1)</script>' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues[0].code).toBe('TEXT_FORBIDDEN_CHARACTER');
    const before = await saved();
    const res = await requestAs(app, f.session.adminP, 'POST', '/api/admin/metric-library', {
      provinceId: f.unit.P,
      code: 'X1',
      titleVi: '<img src=x onerror=alert(1)>',
      unit: '%',
      direction: 'higher',
      aggregation: 'sum',
      perspective: 'citizens',
    });
    expect(res.status).toBe(400);
    expect((await j(res)).code).toBe('VALIDATION_FAILED');
    expect(await saved()).toEqual(before);
  });
});

describe('odd Unicode', () => {
  it('stores a Vietnamese name typed in NFD as NFC', async () => {
    const nfd = 'Nguyễn Thị Ánh'.normalize('NFD');
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    const res = await requestAs(
      app,
      f.session.adminA,
      'POST',
      '/api/admin/people',
      newPerson({ fullName: nfd, email: 'anh.nfd@test.woms.vn' }),
    );
    expect(res.status).toBe(201);
    const p = await j(res);
    expect(p.fullName).toBe('Nguyễn Thị Ánh'.normalize('NFC'));
    const row = await db
      .selectFrom('person')
      .select('full_name')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row.full_name).toBe('Nguyễn Thị Ánh'.normalize('NFC'));
  });

  it('zero-width characters → 400 TEXT_HIDDEN_CHARACTER', async () => {
    const b = await refused(
      'POST',
      '/api/admin/people',
      newPerson({ fullName: 'Nguyễn\u200BVăn An' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues[0].code).toBe('TEXT_HIDDEN_CHARACTER');
  });

  it('a right-to-left override → 400 TEXT_HIDDEN_CHARACTER', async () => {
    const b = await refused(
      'PATCH',
      `/api/admin/org-units/${f.unit.AD1}`,
      { nameVi: 'Phòng \u202Eanấ' },
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues[0].code).toBe('TEXT_HIDDEN_CHARACTER');
  });

  it('a name of only spaces → 400 TEXT_REQUIRED', async () => {
    const b = await refused(
      'POST',
      '/api/admin/org-units',
      newDept({ nameVi: ' \u00A0 ' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(b.details.issues[0].code).toBe('TEXT_REQUIRED');
  });
});

describe('database rules at the boundary', () => {
  it('a taken unit code → 409 ORG_UNIT_CODE_TAKEN', async () => {
    await refused('POST', '/api/admin/org-units', newDept({ code: 'A.D1' }), 409, 'ORG_UNIT_CODE_TAKEN');
  });

  it('an unknown position → 422, and the person is not half-created', async () => {
    await refused(
      'POST',
      '/api/admin/people',
      newPerson({ employment: { unitId: f.unit.AD1, positionCode: 'khong_co', validFrom: '2026-01-01' } }),
      422,
      'EMPLOYMENT_POSITION_UNKNOWN',
    );
  });

  it('an overlapping main employment → 422 EMPLOYMENT_PERIODS_OVERLAP', async () => {
    await refused(
      'POST',
      '/api/admin/employment/hire',
      { personId: f.person.staffA, unitId: f.unit.AD2, positionCode: 'chuyen_vien', validFrom: '2026-01-01' },
      422,
      'EMPLOYMENT_PERIODS_OVERLAP',
    );
  });

  it('a taken e-mail → 409 PERSON_EMAIL_TAKEN', async () => {
    await refused(
      'POST',
      '/api/admin/people',
      newPerson({ email: 'admina@test.woms.vn' }),
      409,
      'PERSON_EMAIL_TAKEN',
    );
  });

  it('a grant ending before it starts → 422 ROLE_ASSIGNMENT_PERIOD_INVALID', async () => {
    await refused(
      'POST',
      '/api/admin/role-assignments',
      {
        personId: f.person.staffA,
        roleCode: 'official',
        scopeUnitId: f.unit.AD2,
        validFrom: '2026-05-01',
        validTo: '2026-04-01',
      },
      422,
      'ROLE_ASSIGNMENT_PERIOD_INVALID',
    );
  });
});

async function book(
  units: (string | number)[][],
  people: (string | number)[][],
  header = true,
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const u = wb.addWorksheet(UNIT_SHEET);
  if (header) u.addRow(UNIT_COLUMNS.map((c) => c.header));
  for (const r of units) u.addRow(r);
  const p = wb.addWorksheet(PEOPLE_SHEET);
  p.addRow(PEOPLE_COLUMNS.map((c) => c.header));
  for (const r of people) p.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('spreadsheet import', () => {
  const importPath = () => `/api/admin/import?provinceId=${f.unit.P}`;
  const xlsx = { 'content-type': XLSX_TYPE };

  it('serves the template with its header rows', async () => {
    const res = await requestAs(app, f.session.officialA, 'GET', '/api/admin/import/template');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.getWorksheet(UNIT_SHEET)?.getRow(1).getCell(1).value).toBe(UNIT_COLUMNS[0]?.header);
    expect(wb.getWorksheet(PEOPLE_SHEET)?.getRow(1).getCell(2).value).toBe('Email');
  });

  it('one bad row → 422 IMPORT_INVALID with a row-by-row report, and nothing imported', async () => {
    const data = await book(
      [
        ['A.IMP1', 'A', 'department', 'Phòng Nhập Một', '', '', '2026-01-01'],
        ['A.IMP2', 'A', 'department', 'Phòng Nhập Hai', '', '', '2026-01-01'],
      ],
      [
        ['Lê Thị Nhập', 'nhap1@test.woms.vn', '', 'civil_servant', 'A.IMP1', 'chuyen_vien', '2026-01-01'],
        ['Lê Văn Nhập', 'nhap2@test.woms.vn', '', 'cong_nhan', 'A.IMP1', 'chuyen_vien', '2026-01-01'],
      ],
    );
    const b = await refused('POST', importPath(), data, 422, 'IMPORT_INVALID', xlsx);
    expect(b.details.errors).toEqual([
      {
        sheet: PEOPLE_SHEET,
        row: 3,
        column: PEOPLE_COLUMNS[3]?.header,
        code: 'VALUE_NOT_ALLOWED',
        message: expect.any(Object),
      },
    ]);
    for (const e of b.details.errors) expect(e.message.vi).not.toBe(e.message.en);
  });

  it('markup and a bad date in cells → reported by cell', async () => {
    const data = await book([['A.IMP3', 'A', 'department', 'Phòng <b>Ba</b>', '', '', '31/12/2026']], []);
    const b = await refused('POST', importPath(), data, 422, 'IMPORT_INVALID', xlsx);
    expect(b.details.errors.map((e: { column: string; code: string }) => [e.column, e.code])).toEqual([
      [UNIT_COLUMNS[3]?.header, 'TEXT_FORBIDDEN_CHARACTER'],
      [UNIT_COLUMNS[6]?.header, 'FORMAT_INVALID'],
    ]);
  });

  it('a wrong header, a formula cell, a non-xlsx body → stable codes, nothing imported', async () => {
    await refused(
      'POST',
      importPath(),
      await book([['A.H', 'A', 'department', 'Phòng', '', '', '2026-01-01']], [], false),
      422,
      'IMPORT_INVALID',
      xlsx,
    );
    const wb = new ExcelJS.Workbook();
    const u = wb.addWorksheet(UNIT_SHEET);
    u.addRow(UNIT_COLUMNS.map((c) => c.header));
    u.addRow(['A.F', 'A', 'department', { formula: 'HYPERLINK("http://x","y")' }, '', '', '2026-01-01']);
    wb.addWorksheet(PEOPLE_SHEET).addRow(PEOPLE_COLUMNS.map((c) => c.header));
    const b = await refused(
      'POST',
      importPath(),
      new Uint8Array(await wb.xlsx.writeBuffer()),
      422,
      'IMPORT_INVALID',
      xlsx,
    );
    expect(b.details.errors[0].code).toBe('FORMULA_NOT_ALLOWED');
    await refused(
      'POST',
      importPath(),
      new TextEncoder().encode('not a zip'),
      400,
      'IMPORT_FILE_UNREADABLE',
      xlsx,
    );
    await refused('POST', importPath(), new TextEncoder().encode('{}'), 415, 'UNSUPPORTED_MEDIA_TYPE', {
      'content-type': 'application/json',
    });
  });

  it('a unit code taken in the database or twice in the file → reported per row', async () => {
    const data = await book(
      [
        ['A.D1', 'A', 'department', 'Phòng Trùng', '', '', '2026-01-01'],
        ['A.TW', 'A', 'department', 'Phòng Đôi', '', '', '2026-01-01'],
        ['A.TW', 'A', 'department', 'Phòng Đôi', '', '', '2026-01-01'],
      ],
      [],
    );
    const b = await refused('POST', importPath(), data, 422, 'IMPORT_INVALID', xlsx);
    expect(b.details.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'ORG_UNIT_CODE_TAKEN'],
      [4, 'ORG_UNIT_CODE_DUPLICATE'],
    ]);
  });

  it('a valid file imports units (parents first) and people in one go, audited', async () => {
    const data = await book(
      [
        ['A.OK.1', 'A.OK', 'department', 'Tổ Một', '', '', '2026-01-01'],
        ['A.OK', 'A', 'department', 'Phòng Nhập', 'PN', 'Import Division', '2026-01-01'],
      ],
      [
        [
          'Trịnh Văn Nhập',
          'nhap.ok@test.woms.vn',
          '0912345678',
          'civil_servant',
          'A.OK.1',
          'chuyen_vien',
          '2026-01-01',
        ],
      ],
    );
    let res = await requestAs(app, f.session.adminA, 'POST', `${importPath()}&dryRun=true`, data, xlsx);
    expect(res.status).toBe(200);
    expect(await j(res)).toEqual({ dryRun: true, units: 2, people: 1 });
    expect(
      await db.selectFrom('org_unit').select('id').where('code', '=', 'A.OK').executeTakeFirst(),
    ).toBeUndefined();
    res = await requestAs(app, f.session.adminA, 'POST', importPath(), data, xlsx);
    expect(res.status).toBe(201);
    const sub = await db
      .selectFrom('org_unit')
      .selectAll()
      .where('code', '=', 'A.OK.1')
      .executeTakeFirstOrThrow();
    const parent = await db
      .selectFrom('org_unit')
      .selectAll()
      .where('code', '=', 'A.OK')
      .executeTakeFirstOrThrow();
    expect(sub.parent_id).toBe(parent.id);
    const log = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', sub.id)
      .execute();
    expect(log.map((l) => l.action)).toEqual(['org_unit.imported']);
  });

  it('an oversized file → 413 PAYLOAD_TOO_LARGE', async () => {
    await refused('POST', importPath(), new Uint8Array(6 * 1024 * 1024), 413, 'PAYLOAD_TOO_LARGE', xlsx);
  });
});
