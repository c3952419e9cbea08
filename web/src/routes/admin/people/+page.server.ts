import { redirect } from '@sveltejs/kit';
import { fold, todayVn } from '#lib/labels.ts';
import { api } from '#lib/server/api.ts';
import { failWith, field, optional } from '#lib/server/forms.ts';
import { childUnits, getUnit, peopleOf, unitPath } from '#lib/server/org.ts';
import type { PersonDto } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  const unitId = event.url.searchParams.get('unit');
  const q = event.url.searchParams.get('q')?.trim() ?? '';
  const units = (await childUnits(event, provinceId)).items;
  if (!unitId)
    return { units, unit: null, path: [], people: [], total: 0, q, today: todayVn(), created: false };
  const unit = await getUnit(event, unitId);
  const [path, all] = await Promise.all([unitPath(event, unit), peopleOf(event, unit.id)]);
  const needle = fold(q);
  const people = needle ? all.filter((p) => fold(p.fullName).includes(needle)) : all;
  return {
    units,
    unit,
    path,
    people,
    total: all.length,
    q,
    today: todayVn(),
    created: event.url.searchParams.has('created'),
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = {
      fullName: field(form, 'fullName'),
      familyName: optional(form, 'familyName'),
      middleName: optional(form, 'middleName'),
      givenName: optional(form, 'givenName'),
      email: field(form, 'email'),
      phone: optional(form, 'phone'),
      dutyGroup: field(form, 'dutyGroup'),
    };
    const employment = {
      unitId: field(form, 'unitId'),
      positionCode: field(form, 'positionCode'),
      validFrom: field(form, 'validFrom'),
    };
    const r = await api<PersonDto>(event, 'POST', '/api/admin/people', { ...values, employment });
    if (!r.ok) return failWith(r.problem, { values: { ...values, ...employment } });
    redirect(303, `/admin/people/${r.data.id}?created=1`);
  },
};
