// The per-agency assessment cadence (issue 6 loose ends): pick an agency directly under the province, see the
// cadence in force and any change waiting for the next assessment period, and set it (PUT
// /api/admin/assessment-cadence/{unitId}; the API checks who may, audits it and applies it from the next period).
import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import { childUnits, getUnit } from '#lib/server/org.ts';
import type { Actions, PageServerLoad } from './$types';

export interface CadenceDto {
  unitId: string;
  unitName: string;
  cadence: 'month' | 'quarter';
  inForce: 'month' | 'quarter';
  effectiveFrom: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
}

export const load: PageServerLoad = async (event) => {
  const { provinceId, scopes } = await event.parent();
  const units = (await childUnits(event, provinceId)).items;
  // an agency's own administrator sees their agency even when the province's list is not theirs to read
  for (const s of scopes) if (s.parentId === provinceId && !units.some((u) => u.id === s.id)) units.push(s);
  const unitId = event.url.searchParams.get('unit');
  const base = { units, saved: event.url.searchParams.has('saved') };
  if (!unitId) return { ...base, unit: null, cadence: null };
  const [unit, cadence] = await Promise.all([
    getUnit(event, unitId),
    apiGet<CadenceDto>(event, `/api/admin/assessment-cadence/${encodeURIComponent(unitId)}`),
  ]);
  return { ...base, unit, cadence };
};

export const actions: Actions = {
  set: async (event) => {
    const form = await event.request.formData();
    const unitId = field(form, 'unitId');
    const r = await api(event, 'PUT', `/api/admin/assessment-cadence/${encodeURIComponent(unitId)}`, {
      cadence: field(form, 'cadence'),
    });
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/admin/assessment-cadence?unit=${encodeURIComponent(unitId)}&saved=1`);
  },
};
