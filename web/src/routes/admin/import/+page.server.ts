import { fail } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, problemText } from '#lib/server/api.ts';
import { failText } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface RowError {
  sheet: string;
  row: number | null;
  column: string | null;
  code: string;
  message: { vi: string; en: string };
}

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  return { provinceId };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const file = form.get('file');
    const provinceId = String(form.get('provinceId') ?? '');
    const dryRun = form.get('dryRun') === 'on';
    if (!(file instanceof File) || file.size === 0) return failText(m.import_file_required());
    const q = new URLSearchParams({ provinceId, dryRun: String(dryRun) });
    const r = await api<{ dryRun: boolean; units: number; people: number }>(
      event,
      'POST',
      `/api/admin/import?${q}`,
      new Uint8Array(await file.arrayBuffer()),
      { contentType: XLSX },
    );
    if (r.ok) return { report: r.data };
    const rows = ((r.problem.details as { errors?: RowError[] } | undefined)?.errors ?? []).map((e) => ({
      sheet: e.sheet,
      row: e.row,
      column: e.column,
      code: e.code,
      message: problemText({ ...r.problem, message: e.message }),
    }));
    return fail(r.status, { error: problemText(r.problem), code: r.problem.code, rows });
  },
};
