import { redirect } from '@sveltejs/kit';
import { todayVn } from '#lib/labels.ts';
import { clientFor, problemOf } from '#lib/server/client.ts';
import { failWith, field, optional } from '#lib/server/forms.ts';
import { childUnits, getUnit, unitPath } from '#lib/server/org.ts';
import type { UnitDto } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

const TOP_TYPES = ['agency', 'party_body', 'commune', 'ward'] as const;

export const load: PageServerLoad = async (event) => {
  const { scopes } = await event.parent();
  const unitId = event.url.searchParams.get('unit') ?? scopes[0]?.id ?? '';
  const includeInactive = event.url.searchParams.get('inactive') === '1';
  const unit = await getUnit(event, unitId);
  const [path, children] = await Promise.all([
    unitPath(event, unit),
    childUnits(event, unit.id, includeInactive),
  ]);
  // Where the unit may move (a department, between units of the province) and what it may merge into (its active siblings).
  const [moveTargets, siblings] = await Promise.all([
    unit.typeCode === 'department'
      ? childUnits(event, unit.provinceId)
      : Promise.resolve({ items: [] as UnitDto[] }),
    unit.parentId ? childUnits(event, unit.parentId) : Promise.resolve({ items: [] as UnitDto[] }),
  ]);
  return {
    unit,
    path,
    children: children.items,
    includeInactive,
    createTypes: unit.typeCode === 'province' ? [...TOP_TYPES] : ['department'],
    moveTargets: moveTargets.items.filter((u) => u.id !== unit.parentId),
    mergeTargets: siblings.items.filter((u) => u.id !== unit.id),
    today: todayVn(),
    saved: event.url.searchParams.get('saved'),
  };
};

const back = (id: string, saved = '1') => `/admin/org?unit=${encodeURIComponent(id)}&saved=${saved}`;

type CreateBody = Parameters<ReturnType<typeof clientFor>['api']['admin']['org-units']['$post']>[0]['json'];

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const body = {
      parentId: field(form, 'parentId'),
      typeCode: field(form, 'typeCode') as CreateBody['typeCode'],
      code: field(form, 'code'),
      nameVi: field(form, 'nameVi'),
      shortNameVi: optional(form, 'shortNameVi'),
      nameEn: optional(form, 'nameEn'),
      activeFrom: field(form, 'activeFrom'),
    };
    const res = await clientFor(event).api.admin['org-units'].$post({ json: body });
    if (res.status !== 201) return failWith(await problemOf(res), { action: 'create', values: body });
    const created = await res.json();
    redirect(303, back(created.id, 'created'));
  },
  rename: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const res = await clientFor(event).api.admin['org-units'][':id'].$patch({
      param: { id },
      json: {
        nameVi: field(form, 'nameVi'),
        shortNameVi: optional(form, 'shortNameVi') ?? null,
        nameEn: optional(form, 'nameEn') ?? null,
      },
    });
    if (res.status !== 200) return failWith(await problemOf(res), { action: 'rename' });
    redirect(303, back(id));
  },
  move: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const res = await clientFor(event).api.admin['org-units'][':id'].move.$post({
      param: { id },
      json: { parentId: field(form, 'parentId') },
    });
    if (res.status !== 200) return failWith(await problemOf(res), { action: 'move' });
    redirect(303, back(id));
  },
  deactivate: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const res = await clientFor(event).api.admin['org-units'][':id'].deactivate.$post({
      param: { id },
      json: { activeTo: field(form, 'activeTo') },
    });
    if (res.status !== 200) return failWith(await problemOf(res), { action: 'deactivate' });
    redirect(303, back(id));
  },
  merge: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const res = await clientFor(event).api.admin['org-units'][':id'].merge.$post({
      param: { id },
      json: { intoId: field(form, 'intoId'), effectiveDate: field(form, 'effectiveDate') },
    });
    if (res.status !== 200) return failWith(await problemOf(res), { action: 'merge' });
    redirect(303, back(id));
  },
};
