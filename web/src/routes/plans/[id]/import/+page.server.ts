// Import a plan from a spreadsheet in the template's columns (issue 5): the workbook goes to the API as is;
// all rows valid → a new draft version, otherwise nothing is saved and each row's errors are listed by
// column in the reader's language.
import { fail, redirect } from '@sveltejs/kit';
import type { PlanDetail } from '#lib/components/plan/content.ts';
import { fieldLabel } from '#lib/components/plan/labels.ts';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet, problemText } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const planPath = (id: string) => `/api/plans/${encodeURIComponent(id)}`;

interface RowReport {
  row: number;
  ok: boolean;
  errors: { field: string; code: string }[];
}

const COLUMN: Record<string, () => string> = {
  perspective: m.plan_field_perspective,
  sectionId: m.plan_import_col_sectionId,
  sectionTitle: m.plan_import_col_sectionTitle,
  taskId: m.plan_import_col_taskId,
  taskTitle: m.plan_import_col_taskTitle,
  taskWeight: m.plan_import_col_taskWeight,
  krId: m.plan_import_col_krId,
  krTitle: m.plan_import_col_krTitle,
  evidence: m.plan_kr_evidence,
};
const columnLabel = (f: string) => COLUMN[f]?.() ?? fieldLabel(f);

const ERROR: Record<string, () => string> = {
  REQUIRED: m.plan_import_error_REQUIRED,
  TEXT_REQUIRED: m.plan_import_error_REQUIRED,
  INVALID: m.plan_import_error_INVALID,
  DUPLICATE: m.plan_import_error_DUPLICATE,
  ID_DUPLICATE: m.plan_import_error_DUPLICATE,
};
const errorText = (code: string) => ERROR[code]?.() ?? m.plan_import_error_other({ code });

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const plan = await apiGet<PlanDetail>(event, planPath(event.params.id));
  return {
    plan: { id: plan.id, year: plan.year, editable: plan.editable, version: plan.version.number },
  };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const file = form.get('file');
    const base = Number(field(form, 'baseVersion'));
    if (!(file instanceof File) || file.size === 0) return failText(m.import_file_required());
    if (!Number.isInteger(base) || base < 1) return failText(m.plan_edit_not_found());
    const r = await api<{ version: { number: number }; rows: RowReport[] }>(
      event,
      'POST',
      `${planPath(event.params.id)}/import?baseVersion=${base}`,
      new Uint8Array(await file.arrayBuffer()),
      { contentType: XLSX },
    );
    if (r.ok) return { imported: { version: r.data.version.number, rows: r.data.rows.length } };
    if (r.problem.code !== 'PLAN_IMPORT_INVALID') return failWith(r.problem);
    const reports = (r.problem.details as { rows?: RowReport[] } | undefined)?.rows ?? [];
    const rows = reports.flatMap((x) =>
      x.errors.map((e) => ({
        row: x.row,
        column: columnLabel(e.field),
        code: e.code,
        problem: errorText(e.code),
      })),
    );
    return fail(r.status, { error: problemText(r.problem), code: r.problem.code, rows });
  },
};
