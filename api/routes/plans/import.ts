// Plan import from a spreadsheet in the template's columns (issue 5, point 2): one row per key result,
// tasks grouped by their code. All or nothing: a row report, and a new draft version only when every row
// is valid.
import ExcelJS from 'exceljs';
import { PERSPECTIVES } from '../../../domain/plan/model.ts';
import { PlanContentInput, type PlanSection } from './content.ts';

export const PLAN_SHEET = 'Kế hoạch';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The template's columns, in order: header (Vietnamese) and the field it fills. */
export const PLAN_COLUMNS = [
  { key: 'perspective', header: 'Khía cạnh (citizens/budget/processes/learning)' },
  { key: 'sectionId', header: 'Mã mục' },
  { key: 'sectionTitle', header: 'Tên mục' },
  { key: 'taskId', header: 'Mã nhiệm vụ' },
  { key: 'taskTitle', header: 'Nhiệm vụ' },
  { key: 'taskWeight', header: 'Trọng số nhiệm vụ' },
  { key: 'krId', header: 'Mã mục tiêu then chốt' },
  { key: 'krTitle', header: 'Mục tiêu then chốt' },
  { key: 'type', header: 'Loại (KPI/OKR)' },
  { key: 'breakthrough', header: 'Đột phá (x)' },
  { key: 'unit', header: 'Đơn vị tính' },
  { key: 'direction', header: 'Chiều (higher/lower/zeroTolerance)' },
  { key: 'baseline', header: 'Giá trị nền' },
  { key: 'target', header: 'Chỉ tiêu' },
  { key: 'weight', header: 'Trọng số' },
  { key: 'cadence', header: 'Tần suất (day/week/month/quarter/year)' },
  { key: 'aggregation', header: 'Cách tổng hợp (sum/average/last/min/max/allDone)' },
  { key: 'evidence', header: 'Cần minh chứng (x)' },
] as const;
type Key = (typeof PLAN_COLUMNS)[number]['key'];

export interface RowReport {
  row: number;
  ok: boolean;
  errors: { field: string; code: string }[];
}

export class WorkbookUnreadable extends Error {}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return String(v.result ?? '');
    if ('text' in v) return String(v.text);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v).trim();
}

const truthy = (s: string) => /^(x|có|co|yes|true|1)$/i.test(s.trim());

/** Reads the workbook into editor content; every row is checked, and the report names each error. */
export async function readPlanWorkbook(
  buf: Buffer,
): Promise<{ content?: PlanContentInput; rows: RowReport[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new WorkbookUnreadable();
  }
  const ws = wb.getWorksheet(PLAN_SHEET) ?? wb.worksheets[0];
  if (!ws) throw new WorkbookUnreadable();
  const rows: RowReport[] = [];
  const sections = new Map<string, PlanSection>();
  const tasks = new Map<string, Record<string, unknown> & { keyResults: unknown[] }>();
  const rowOfItem = new Map<string, number>();
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = {} as Record<Key, string>;
    PLAN_COLUMNS.forEach((c, i) => {
      v[c.key] = cellText(row.getCell(i + 1).value);
    });
    if (Object.values(v).every((x) => x === '')) return;
    const errors: RowReport['errors'] = [];
    const need = (k: Key) => {
      if (!v[k]) errors.push({ field: k, code: 'REQUIRED' });
    };
    for (const k of ['perspective', 'taskId', 'taskTitle', 'krId', 'krTitle', 'target'] as const) need(k);
    if (v.perspective && !(PERSPECTIVES as readonly string[]).includes(v.perspective))
      errors.push({ field: 'perspective', code: 'INVALID' });
    if (v.direction && !['higher', 'lower', 'zeroTolerance'].includes(v.direction))
      errors.push({ field: 'direction', code: 'INVALID' });
    if (v.sectionId && !v.sectionTitle && !sections.has(v.sectionId))
      errors.push({ field: 'sectionTitle', code: 'REQUIRED' });
    const perspective = v.perspective as (typeof PERSPECTIVES)[number];
    const kr = {
      id: v.krId,
      title: v.krTitle,
      type: v.type || 'KPI',
      breakthrough: truthy(v.breakthrough),
      unit: v.unit,
      direction: { kind: v.direction || 'higher' },
      ...(v.baseline ? { baseline: v.baseline } : {}),
      target: v.target,
      weight: v.weight || '1',
      cadence: v.cadence || 'month',
      aggregation: v.aggregation || 'sum',
      evidenceRequired: truthy(v.evidence),
    };
    // each row alone through the editor's schema: the error names the field
    const single = PlanContentInput.safeParse({
      sections: v.sectionId ? [{ id: v.sectionId, title: v.sectionTitle || v.sectionId, perspective }] : [],
      tasks: [
        {
          id: v.taskId,
          title: v.taskTitle,
          perspective,
          ...(v.sectionId ? { sectionId: v.sectionId } : {}),
          weight: v.taskWeight || '1',
          keyResults: [kr],
        },
      ],
    });
    if (!single.success)
      for (const i of single.error.issues) {
        const field = i.path.includes('direction') ? 'direction' : i.path.at(-1);
        const f = typeof field === 'string' ? field : i.path.join('.');
        if (!errors.some((e) => e.field === f || (f === 'id' && e.field === 'krId')))
          errors.push({ field: f, code: /^[A-Z_]+$/.test(i.message) ? i.message : i.code.toUpperCase() });
      }
    if (v.krId && rowOfItem.has(`kr:${v.krId}`)) errors.push({ field: 'krId', code: 'DUPLICATE' });
    rows.push({ row: n, ok: errors.length === 0, errors });
    if (errors.length) return;
    rowOfItem.set(`kr:${v.krId}`, n);
    if (v.sectionId && !sections.has(v.sectionId))
      sections.set(v.sectionId, { id: v.sectionId, title: v.sectionTitle, perspective });
    let task = tasks.get(v.taskId);
    if (!task) {
      task = {
        id: v.taskId,
        title: v.taskTitle,
        perspective,
        ...(v.sectionId ? { sectionId: v.sectionId } : {}),
        weight: v.taskWeight || '1',
        keyResults: [],
      };
      tasks.set(v.taskId, task);
    }
    task.keyResults.push(kr);
  });
  if (rows.length === 0 || rows.some((r) => !r.ok)) return { rows };
  const parsed = PlanContentInput.safeParse({ sections: [...sections.values()], tasks: [...tasks.values()] });
  if (!parsed.success) {
    rows.push({
      row: 0,
      ok: false,
      errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), code: i.message })),
    });
    return { rows };
  }
  return { content: parsed.data, rows };
}

/** The empty import workbook (the header row of the template's columns). */
export async function planTemplateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(PLAN_SHEET);
  ws.addRow(PLAN_COLUMNS.map((c) => c.header));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
