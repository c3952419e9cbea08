import { redirect } from '@sveltejs/kit';
import { todayVn } from '#lib/labels.ts';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { childUnits, getUnit, unitPath } from '#lib/server/org.ts';
import type { Page } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

interface Version {
  id: string;
  unitId: string;
  version: number;
  validFrom: string;
  approvedBy: string;
  approvedOn: string;
  supersededById: string | null;
  current: boolean;
}
interface Entry {
  positionCode: string;
  productCode: string;
  productNameVi: string;
  productNameEn: string | null;
  coefficient: string;
}

const entriesText = (entries: Entry[]) =>
  entries.map((e) => `${e.positionCode}; ${e.productCode}; ${e.productNameVi}; ${e.coefficient}`).join('\n');

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  const units = (await childUnits(event, provinceId)).items;
  const unitId = event.url.searchParams.get('unit');
  const base = { units, today: todayVn(), saved: event.url.searchParams.has('saved') };
  if (!unitId) return { ...base, unit: null, path: [], versions: [], shown: null, entriesText: '' };
  const unit = await getUnit(event, unitId);
  const [path, versions] = await Promise.all([
    unitPath(event, unit),
    apiGet<Page<Version>>(event, `/api/admin/conversion-coefficients?unitId=${unitId}`),
  ]);
  const wanted = event.url.searchParams.get('version') ?? versions.items.find((v) => v.current)?.id;
  const shown = wanted
    ? await apiGet<Version & { entries: Entry[] }>(event, `/api/admin/conversion-coefficients/${wanted}`)
    : null;
  return {
    ...base,
    unit,
    path,
    versions: versions.items,
    shown,
    entriesText: shown ? entriesText(shown.entries) : '',
  };
};

export const actions: Actions = {
  publish: async (event) => {
    const form = await event.request.formData();
    const unitId = field(form, 'unitId');
    const text = field(form, 'entries');
    const entries = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line) continue;
      const [positionCode = '', productCode = '', productNameVi = '', coefficient = ''] = line
        .split(';')
        .map((s) => s.trim());
      if (!positionCode || !productCode || !productNameVi || !coefficient)
        return failText(m.calendar_line_invalid({ line: String(i + 1), text: line }), { entries: text });
      entries.push({ positionCode, productCode, productNameVi, coefficient });
    }
    const r = await api(event, 'POST', '/api/admin/conversion-coefficients', {
      unitId,
      validFrom: field(form, 'validFrom'),
      approvedBy: field(form, 'approvedBy'),
      approvedOn: field(form, 'approvedOn'),
      entries,
    });
    if (!r.ok) return failWith(r.problem, { entries: text });
    redirect(303, `/admin/coefficients?unit=${unitId}&saved=1`);
  },
};
