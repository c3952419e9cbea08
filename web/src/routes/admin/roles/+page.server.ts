import { redirect } from '@sveltejs/kit';
import { todayVn } from '#lib/labels.ts';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field, optional } from '#lib/server/forms.ts';
import { childUnits, getUnit, peopleOf, unitPath } from '#lib/server/org.ts';
import type { Page, PersonDto, RoleAssignmentDto, RoleDto } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  const unitId = event.url.searchParams.get('unit');
  const includeEnded = event.url.searchParams.get('ended') === '1';
  const [units, roles] = await Promise.all([
    childUnits(event, provinceId),
    apiGet<Page<RoleDto>>(event, '/api/admin/roles'),
  ]);
  const base = {
    units: units.items,
    roles: roles.items,
    includeEnded,
    today: todayVn(),
    saved: event.url.searchParams.get('saved'),
  };
  if (!unitId) return { ...base, unit: null, path: [], grants: [], people: [] };
  const unit = await getUnit(event, unitId);
  const q = new URLSearchParams({ unitId, limit: '200' });
  if (includeEnded) q.set('includeEnded', 'true');
  const [path, grants, people] = await Promise.all([
    unitPath(event, unit),
    apiGet<Page<RoleAssignmentDto>>(event, `/api/admin/role-assignments?${q}`),
    peopleOf(event, unitId),
  ]);
  const names = new Map(people.map((p) => [p.id, p.fullName]));
  await Promise.all(
    [...new Set(grants.items.map((g) => g.personId))]
      .filter((id) => !names.has(id))
      .map(async (id) => {
        const r = await api<PersonDto>(event, 'GET', `/api/admin/people/${id}`);
        if (r.ok) names.set(id, r.data.fullName);
      }),
  );
  return {
    ...base,
    unit,
    path,
    grants: grants.items.map((g) => ({ ...g, personName: names.get(g.personId) ?? null })),
    people: people.map((p) => ({ id: p.id, fullName: p.fullName })),
  };
};

export const actions: Actions = {
  grant: async (event) => {
    const form = await event.request.formData();
    const scopeUnitId = field(form, 'scopeUnitId');
    const r = await api(event, 'POST', '/api/admin/role-assignments', {
      personId: field(form, 'personId'),
      roleCode: field(form, 'roleCode'),
      scopeUnitId,
      validFrom: field(form, 'validFrom'),
      validTo: optional(form, 'validTo'),
    });
    if (!r.ok) return failWith(r.problem, { action: 'grant' });
    redirect(303, `/admin/roles?unit=${scopeUnitId}&saved=granted`);
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const r = await api(event, 'POST', `/api/admin/role-assignments/${id}/revoke`, {
      validTo: field(form, 'validTo'),
    });
    if (!r.ok) return failWith(r.problem, { action: 'revoke', id });
    redirect(303, `/admin/roles?unit=${field(form, 'unit')}&saved=1`);
  },
};
