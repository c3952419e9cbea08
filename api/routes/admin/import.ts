// Bulk import of the org tree and people from an .xlsx (DESIGN §1): a row-by-row validation report, and
// nothing imported when any row is wrong (one transaction). GET /template returns the workbook to fill in.
import { createRoute } from '@hono/zod-openapi';
import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import { translateDbError } from '../../../db/errors.ts';
import { DUTY_GROUPS } from '../../../db/schema.ts';
import { type AuthzEnv, allowed, check, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath, provinceResource } from '../../authz/resources.ts';
import {
  codeText,
  contentApp,
  email,
  errorResponses,
  isoDate,
  jsonOk,
  nameText,
  uuid,
  z,
} from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { audit } from './common.ts';
import { checkPlacement } from './org-units.ts';
import { phone, positionCode } from './people.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 5000;

interface Column {
  key: string;
  header: string;
  schema: z.ZodType;
  optional?: boolean;
}

const UNIT_TYPES_IMPORTABLE = ['agency', 'party_body', 'commune', 'ward', 'department'] as const;

export const UNIT_SHEET = 'DonVi';
export const PEOPLE_SHEET = 'NhanSu';
export const UNIT_COLUMNS: Column[] = [
  { key: 'code', header: 'Mã đơn vị (code)', schema: codeText(40) },
  {
    key: 'parentCode',
    header: 'Mã đơn vị cấp trên (parent code; trống = trực thuộc tỉnh)',
    schema: codeText(40),
    optional: true,
  },
  { key: 'typeCode', header: 'Loại đơn vị (type)', schema: z.enum(UNIT_TYPES_IMPORTABLE) },
  { key: 'nameVi', header: 'Tên đơn vị (name)', schema: nameText(200) },
  { key: 'shortNameVi', header: 'Tên viết tắt (short name)', schema: nameText(80), optional: true },
  { key: 'nameEn', header: 'Tên tiếng Anh (English name)', schema: nameText(200), optional: true },
  { key: 'activeFrom', header: 'Ngày bắt đầu hoạt động (yyyy-mm-dd)', schema: isoDate },
];
export const PEOPLE_COLUMNS: Column[] = [
  { key: 'fullName', header: 'Họ và tên (full name)', schema: nameText(150) },
  { key: 'email', header: 'Email', schema: email },
  { key: 'phone', header: 'Điện thoại (phone)', schema: phone, optional: true },
  { key: 'dutyGroup', header: 'Nhóm đối tượng (duty group)', schema: z.enum(DUTY_GROUPS) },
  { key: 'unitCode', header: 'Mã đơn vị công tác (unit code)', schema: codeText(40) },
  { key: 'positionCode', header: 'Mã chức vụ (position code)', schema: positionCode },
  { key: 'validFrom', header: 'Ngày bắt đầu công tác (yyyy-mm-dd)', schema: isoDate },
];

export interface RowError {
  sheet: string;
  row: number;
  column: string | null;
  code: string;
  message: { vi: string; en: string };
}

const ImportReport = z
  .object({
    dryRun: z.boolean(),
    units: z.number().int(),
    people: z.number().int(),
  })
  .openapi('ImportResult');

const MESSAGES: Record<string, { vi: string; en: string }> = {
  REQUIRED: { vi: 'Thiếu giá trị bắt buộc.', en: 'A required value is missing.' },
  INVALID: { vi: 'Giá trị không hợp lệ.', en: 'The value is invalid.' },
  FORMULA_NOT_ALLOWED: {
    vi: 'Không chấp nhận công thức trong ô.',
    en: 'Formulas are not accepted in cells.',
  },
  TEXT_HIDDEN_CHARACTER: {
    vi: 'Có ký tự ẩn hoặc ký tự điều khiển.',
    en: 'Contains hidden or control characters.',
  },
  TEXT_FORBIDDEN_CHARACTER: {
    vi: 'Có ký tự không được phép.',
    en: 'Contains a character that is not allowed.',
  },
  ORG_UNIT_CODE_TAKEN: { vi: 'Mã đơn vị đã được dùng.', en: 'The unit code is already used.' },
  ORG_UNIT_CODE_DUPLICATE: {
    vi: 'Mã đơn vị bị lặp trong tệp.',
    en: 'The unit code appears twice in the file.',
  },
  ORG_UNIT_PARENT_MISSING: { vi: 'Không tìm thấy đơn vị cấp trên.', en: 'The parent unit was not found.' },
  ORG_UNIT_PLACEMENT_INVALID: {
    vi: 'Phòng phải nằm trong một đơn vị; các loại khác nằm ngay dưới tỉnh.',
    en: 'A department sits inside a unit; other types sit directly under the province.',
  },
  ORG_UNIT_CYCLE: { vi: 'Quan hệ cấp trên tạo thành vòng.', en: 'The parent links form a cycle.' },
  EMPLOYMENT_UNIT_MISSING: {
    vi: 'Không tìm thấy đơn vị công tác.',
    en: 'The unit of employment was not found.',
  },
  EMPLOYMENT_POSITION_UNKNOWN: { vi: 'Chức vụ không tồn tại.', en: 'The position does not exist.' },
  PERSON_EMAIL_TAKEN: { vi: 'Email đã được sử dụng.', en: 'The e-mail address is already in use.' },
  PERSON_EMAIL_DUPLICATE: {
    vi: 'Email bị lặp trong tệp.',
    en: 'The e-mail address appears twice in the file.',
  },
  FORBIDDEN: { vi: 'Bạn không có quyền nhập dòng này.', en: 'You are not allowed to import this row.' },
  VALUE_NOT_ALLOWED: {
    vi: 'Giá trị không nằm trong danh sách cho phép.',
    en: 'The value is not one of the allowed values.',
  },
  FORMAT_INVALID: {
    vi: 'Sai định dạng (ngày: yyyy-mm-dd; email: ten@mien).',
    en: 'Wrong format (dates: yyyy-mm-dd; e-mail: name@domain).',
  },
  TEXT_TOO_LONG: { vi: 'Giá trị quá dài.', en: 'The value is too long.' },
  CODE_INVALID: {
    vi: 'Mã chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới.',
    en: 'A code is letters, digits, dots, hyphens and underscores.',
  },
  EMAIL_INVALID: { vi: 'Email không hợp lệ.', en: 'The e-mail address is invalid.' },
  PHONE_INVALID: { vi: 'Số điện thoại không hợp lệ.', en: 'The phone number is invalid.' },
};
const ZOD_CODES: Record<string, string> = {
  invalid_value: 'VALUE_NOT_ALLOWED',
  invalid_format: 'FORMAT_INVALID',
  too_big: 'TEXT_TOO_LONG',
  too_small: 'REQUIRED',
};
const msg = (code: string) => MESSAGES[code] ?? MESSAGES.INVALID ?? { vi: code, en: code };

function cellText(v: ExcelJS.CellValue): string | { formula: true } {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('formula' in v || 'sharedFormula' in v) return { formula: true };
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('hyperlink' in v) return v.text;
  if ('error' in v) return v.error;
  return '';
}

interface ParsedRow {
  row: number;
  values: Record<string, string | undefined>;
}

function parseSheet(
  ws: ExcelJS.Worksheet | undefined,
  name: string,
  cols: Column[],
  errors: RowError[],
): ParsedRow[] {
  if (!ws) {
    errors.push({
      sheet: name,
      row: 1,
      column: null,
      code: 'IMPORT_SHEET_MISSING',
      message: { vi: `Thiếu trang tính ${name}.`, en: `The sheet ${name} is missing.` },
    });
    return [];
  }
  const header = ws.getRow(1);
  cols.forEach((col, i) => {
    const h = cellText(header.getCell(i + 1).value);
    if (typeof h !== 'string' || h.trim() !== col.header)
      errors.push({
        sheet: name,
        row: 1,
        column: col.header,
        code: 'IMPORT_HEADER_MISMATCH',
        message: {
          vi: `Tiêu đề cột phải là "${col.header}".`,
          en: `The column header must be "${col.header}".`,
        },
      });
  });
  const rows: ParsedRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    if (rows.length >= MAX_ROWS) return;
    const values: Record<string, string | undefined> = {};
    let any = false;
    cols.forEach((col, i) => {
      const t = cellText(r.getCell(i + 1).value);
      if (typeof t !== 'string') {
        errors.push({
          sheet: name,
          row: rowNumber,
          column: col.header,
          code: 'FORMULA_NOT_ALLOWED',
          message: msg('FORMULA_NOT_ALLOWED'),
        });
        values[col.key] = undefined;
        any = true;
        return;
      }
      if (t.trim() !== '') any = true;
      values[col.key] = t.trim() === '' ? undefined : t;
    });
    if (any) rows.push({ row: rowNumber, values });
  });
  if (ws.actualRowCount > MAX_ROWS + 1)
    errors.push({
      sheet: name,
      row: MAX_ROWS + 2,
      column: null,
      code: 'IMPORT_TOO_MANY_ROWS',
      message: { vi: `Tối đa ${MAX_ROWS} dòng mỗi trang tính.`, en: `At most ${MAX_ROWS} rows per sheet.` },
    });
  return rows;
}

/** Checks one row's cells against the columns' schemas; answers the clean values or undefined. */
function validateRow(
  name: string,
  pr: ParsedRow,
  cols: Column[],
  errors: RowError[],
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let ok = true;
  for (const col of cols) {
    const raw = pr.values[col.key];
    if (raw === undefined) {
      if (!col.optional) {
        if (!errors.some((e) => e.sheet === name && e.row === pr.row && e.column === col.header))
          errors.push({
            sheet: name,
            row: pr.row,
            column: col.header,
            code: 'REQUIRED',
            message: msg('REQUIRED'),
          });
        ok = false;
      }
      continue;
    }
    const r = col.schema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const m = issue?.message ?? 'INVALID';
      const code = /^[A-Z_]+$/.test(m) ? m : (ZOD_CODES[issue?.code ?? ''] ?? 'INVALID');
      errors.push({ sheet: name, row: pr.row, column: col.header, code, message: msg(code) });
      ok = false;
    } else out[col.key] = String(r.data);
  }
  return ok ? out : undefined;
}

export const importInvalid = (errors: RowError[]) =>
  new ApiProblem({
    status: 422,
    code: 'IMPORT_INVALID',
    vi: `Tệp có ${errors.length} lỗi; không có dữ liệu nào được nhập.`,
    en: `The file has ${errors.length} error(s); nothing was imported.`,
    details: { errors },
  });

export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'WOMS';
  for (const [name, cols] of [
    [UNIT_SHEET, UNIT_COLUMNS],
    [PEOPLE_SHEET, PEOPLE_COLUMNS],
  ] as const) {
    const ws = wb.addWorksheet(name);
    ws.addRow(cols.map((c) => c.header));
    ws.getRow(1).font = { bold: true };
    cols.forEach((c, i) => {
      ws.getColumn(i + 1).width = Math.max(18, c.header.length + 2);
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface UnitPlan {
  row: number;
  v: Record<string, string>;
  id: string;
}

async function runImport(
  c: Context<AuthzEnv>,
  deps: ApiDeps,
  provinceId: string,
  buf: Buffer,
  dryRun: boolean,
) {
  const { db } = deps;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new ApiProblem({
      status: 400,
      code: 'IMPORT_FILE_UNREADABLE',
      vi: 'Không đọc được tệp .xlsx.',
      en: 'The .xlsx file cannot be read.',
    });
  }
  const errors: RowError[] = [];
  const unitRows = parseSheet(wb.getWorksheet(UNIT_SHEET), UNIT_SHEET, UNIT_COLUMNS, errors);
  const peopleRows = parseSheet(wb.getWorksheet(PEOPLE_SHEET), PEOPLE_SHEET, PEOPLE_COLUMNS, errors);
  if (errors.some((e) => e.code === 'IMPORT_HEADER_MISMATCH' || e.code === 'IMPORT_SHEET_MISSING'))
    throw importInvalid(errors);

  // existing units of the province by code
  const existing = await db
    .selectFrom('org_unit')
    .select(['id', 'code', 'type_code', 'parent_id'])
    .where('province_id', '=', provinceId)
    .execute();
  const byCode = new Map(existing.map((u) => [u.code, u]));
  const positions = new Set(
    (await db.selectFrom('job_position').select('code').execute()).map((p) => p.code),
  );

  // units: schema, duplicates, parents (existing or in the file), placement, authority
  const planned = new Map<string, UnitPlan>();
  for (const pr of unitRows) {
    const v = validateRow(UNIT_SHEET, pr, UNIT_COLUMNS, errors);
    if (!v) continue;
    const code = v.code ?? '';
    if (byCode.has(code)) {
      errors.push({
        sheet: UNIT_SHEET,
        row: pr.row,
        column: UNIT_COLUMNS[0]?.header ?? null,
        code: 'ORG_UNIT_CODE_TAKEN',
        message: msg('ORG_UNIT_CODE_TAKEN'),
      });
      continue;
    }
    if (planned.has(code)) {
      errors.push({
        sheet: UNIT_SHEET,
        row: pr.row,
        column: UNIT_COLUMNS[0]?.header ?? null,
        code: 'ORG_UNIT_CODE_DUPLICATE',
        message: msg('ORG_UNIT_CODE_DUPLICATE'),
      });
      continue;
    }
    planned.set(code, { row: pr.row, v, id: crypto.randomUUID() });
  }
  const pathCache = new Map<string, string[]>();
  const pathOfPlanned = (code: string, seen: Set<string>): string[] | 'missing' | 'cycle' => {
    const p = planned.get(code);
    if (!p) {
      const e = byCode.get(code);
      return e ? (pathCache.get(e.id) ?? 'missing') : 'missing';
    }
    if (seen.has(code)) return 'cycle';
    seen.add(code);
    const parentCode = p.v.parentCode;
    const parentPath = parentCode === undefined ? [provinceId] : pathOfPlanned(parentCode, seen);
    if (typeof parentPath === 'string') return parentPath;
    return [...parentPath, p.id];
  };
  // paths of existing parents referenced by the file
  for (const p of planned.values()) {
    const pc = p.v.parentCode;
    const e = pc === undefined ? undefined : byCode.get(pc);
    if (e && !pathCache.has(e.id))
      pathCache.set(
        e.id,
        (await loadPath(db, e.id)).map((n) => n.id),
      );
  }
  for (const pr of peopleRows) {
    const uc = pr.values.unitCode;
    const e = uc === undefined ? undefined : byCode.get(uc);
    if (e && !pathCache.has(e.id))
      pathCache.set(
        e.id,
        (await loadPath(db, e.id)).map((n) => n.id),
      );
  }
  const unitOrder: { plan: UnitPlan; path: string[] }[] = [];
  for (const [code, p] of planned) {
    const path = pathOfPlanned(code, new Set());
    const parentCol = UNIT_COLUMNS[1]?.header ?? null;
    if (path === 'missing' || path === 'cycle') {
      const c2 = path === 'missing' ? 'ORG_UNIT_PARENT_MISSING' : 'ORG_UNIT_CYCLE';
      errors.push({ sheet: UNIT_SHEET, row: p.row, column: parentCol, code: c2, message: msg(c2) });
      continue;
    }
    try {
      checkPlacement(p.v.typeCode ?? '', path.length === 2);
    } catch {
      errors.push({
        sheet: UNIT_SHEET,
        row: p.row,
        column: UNIT_COLUMNS[2]?.header ?? null,
        code: 'ORG_UNIT_PLACEMENT_INVALID',
        message: msg('ORG_UNIT_PLACEMENT_INVALID'),
      });
      continue;
    }
    const parentPath = path.slice(0, -1);
    const res: Resource = { path: parentPath, tier: parentPath.length === 1 ? 'unit' : 'internal' };
    if (!(await allowed(c, db, 'import.run', res))) {
      errors.push({
        sheet: UNIT_SHEET,
        row: p.row,
        column: null,
        code: 'FORBIDDEN',
        message: msg('FORBIDDEN'),
      });
      continue;
    }
    unitOrder.push({ plan: p, path });
  }
  unitOrder.sort((a, b) => a.path.length - b.path.length);

  // people
  const emails = new Map<string, number>();
  const peoplePlan: { row: number; v: Record<string, string>; unitId: string }[] = [];
  const plannedEmails = peopleRows.flatMap((r) =>
    r.values.email ? [r.values.email.trim().toLowerCase()] : [],
  );
  const takenEmails = new Set(
    plannedEmails.length
      ? (await db.selectFrom('person').select('email').where('email', 'in', plannedEmails).execute()).map(
          (p) => p.email,
        )
      : [],
  );
  for (const pr of peopleRows) {
    const v = validateRow(PEOPLE_SHEET, pr, PEOPLE_COLUMNS, errors);
    if (!v) continue;
    const col = (k: string) => PEOPLE_COLUMNS.find((x) => x.key === k)?.header ?? null;
    const em = v.email ?? '';
    if (takenEmails.has(em)) {
      errors.push({
        sheet: PEOPLE_SHEET,
        row: pr.row,
        column: col('email'),
        code: 'PERSON_EMAIL_TAKEN',
        message: msg('PERSON_EMAIL_TAKEN'),
      });
      continue;
    }
    if (emails.has(em)) {
      errors.push({
        sheet: PEOPLE_SHEET,
        row: pr.row,
        column: col('email'),
        code: 'PERSON_EMAIL_DUPLICATE',
        message: msg('PERSON_EMAIL_DUPLICATE'),
      });
      continue;
    }
    emails.set(em, pr.row);
    if (!positions.has(v.positionCode ?? '')) {
      errors.push({
        sheet: PEOPLE_SHEET,
        row: pr.row,
        column: col('positionCode'),
        code: 'EMPLOYMENT_POSITION_UNKNOWN',
        message: msg('EMPLOYMENT_POSITION_UNKNOWN'),
      });
      continue;
    }
    const uc = v.unitCode ?? '';
    const path = planned.has(uc)
      ? pathOfPlanned(uc, new Set())
      : byCode.has(uc)
        ? (pathCache.get(byCode.get(uc)?.id ?? '') ?? 'missing')
        : 'missing';
    if (typeof path === 'string') {
      errors.push({
        sheet: PEOPLE_SHEET,
        row: pr.row,
        column: col('unitCode'),
        code: 'EMPLOYMENT_UNIT_MISSING',
        message: msg('EMPLOYMENT_UNIT_MISSING'),
      });
      continue;
    }
    const res: Resource = { path, tier: path.length === 1 ? 'province' : 'internal' };
    if (!(await allowed(c, db, 'import.run', res))) {
      errors.push({
        sheet: PEOPLE_SHEET,
        row: pr.row,
        column: null,
        code: 'FORBIDDEN',
        message: msg('FORBIDDEN'),
      });
      continue;
    }
    peoplePlan.push({ row: pr.row, v, unitId: path.at(-1) ?? '' });
  }
  if (errors.length)
    throw importInvalid(
      errors.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet < b.sheet ? -1 : 1)),
    );
  if (dryRun) return { dryRun: true, units: unitOrder.length, people: peoplePlan.length };

  let current: { sheet: string; row: number } = { sheet: UNIT_SHEET, row: 0 };
  try {
    await db.transaction().execute(async (trx) => {
      for (const { plan, path } of unitOrder) {
        current = { sheet: UNIT_SHEET, row: plan.row };
        const v = plan.v;
        const row = await trx
          .insertInto('org_unit')
          .values({
            id: plan.id,
            type_code: v.typeCode ?? '',
            province_id: provinceId,
            parent_id: path.at(-2) ?? provinceId,
            code: v.code ?? '',
            name_vi: v.nameVi ?? '',
            short_name_vi: v.shortNameVi ?? null,
            name_en: v.nameEn ?? null,
            active_from: v.activeFrom ?? '',
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, c, 'org_unit', row.id, 'org_unit.imported', null, { ...row, sheetRow: plan.row });
      }
      for (const p of peoplePlan) {
        current = { sheet: PEOPLE_SHEET, row: p.row };
        const v = p.v;
        const person = await trx
          .insertInto('person')
          .values({
            full_name: v.fullName ?? '',
            email: v.email ?? '',
            phone: v.phone ?? null,
            duty_group: (v.dutyGroup ?? 'civil_servant') as (typeof DUTY_GROUPS)[number],
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const e = await trx
          .insertInto('employment')
          .values({
            person_id: person.id,
            org_unit_id: p.unitId,
            position_code: v.positionCode ?? '',
            valid_from: v.validFrom ?? '',
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(trx, c, 'person', person.id, 'person.imported', null, {
          ...person,
          employment: e,
          sheetRow: p.row,
        });
      }
    });
  } catch (e) {
    const t = translateDbError(e);
    if (!t) throw e;
    throw importInvalid([
      {
        sheet: current.sheet,
        row: current.row,
        column: null,
        code: t.code,
        message: { vi: t.messageVi, en: t.messageEn },
      },
    ]);
  }
  return { dryRun: false, units: unitOrder.length, people: peoplePlan.length };
}

const tags = ['import'];

export function importRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/template',
        tags,
        summary: 'The import workbook (.xlsx) with its header rows',
        middleware: [requires('import.template')],
        responses: {
          200: {
            description: 'The template',
            content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
          401: errorResponses[401],
          403: errorResponses[403],
        },
      }),
      async (c) => {
        await check(c, db, { path: [], tier: 'province' });
        const buf = await templateWorkbook();
        return c.body(new Uint8Array(buf), 200, {
          'Content-Type': XLSX_TYPE,
          'Content-Disposition': 'attachment; filename="woms-import-template.xlsx"',
        });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Import units and people from the workbook (all or nothing); dryRun=true only validates',
        middleware: [requires('import.run')],
        request: {
          query: z.object({ provinceId: uuid, dryRun: z.enum(['true', 'false']).optional() }),
          body: {
            required: true,
            content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
        },
        responses: { 200: jsonOk(ImportReport), 201: jsonOk(ImportReport, 'Imported'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        await check(c, db, await provinceResource(db, q.provinceId), 'import.template'); // the caller works in this province
        if ((c.req.header('content-type') ?? '').split(';')[0]?.trim() !== XLSX_TYPE)
          throw new ApiProblem({
            status: 415,
            code: 'UNSUPPORTED_MEDIA_TYPE',
            vi: 'Hãy gửi tệp .xlsx.',
            en: 'Send an .xlsx file.',
          });
        const buf = Buffer.from(await c.req.arrayBuffer());
        const report = await runImport(c, deps, q.provinceId, buf, q.dryRun === 'true');
        c.set('authzChecked', true); // every row was checked with allowed('import.run', …)
        return c.json(report, report.dryRun ? 200 : 201);
      },
    );
}
