// My unit's plans by year; a new plan from the agency or commune outline (starts its annual-plan workflow).
import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import type { UnitDto } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

interface PlanSummary {
  id: string;
  year: number;
  status: string;
  phase: string;
  filed: boolean;
  ownerKind: string;
}

/** The unit whose collective plan the reader drafts: the one asked for, else the unit of their first grant
 * (a department's staff plan for the agency it belongs to). */
async function myUnit(event: Parameters<PageServerLoad>[0]): Promise<string> {
  const asked = event.url.searchParams.get('unitId');
  if (asked) return asked;
  let id = event.locals.session?.grants[0]?.scopeUnitId ?? '';
  for (let i = 0; i < 4 && id; i++) {
    const r = await api<UnitDto>(event, 'GET', `/api/admin/org-units/${encodeURIComponent(id)}`);
    if (!r.ok || r.data.typeCode !== 'department' || !r.data.parentId) break;
    id = r.data.parentId;
  }
  return id;
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const unitId = await myUnit(event);
  const nextYear = new Date().getUTCFullYear() + 1;
  const list = unitId
    ? await apiGet<{ items: PlanSummary[] }>(event, `/api/plans?unitId=${encodeURIComponent(unitId)}`)
    : { items: [] };
  return {
    unitId,
    nextYear,
    plans: list.items.filter((p) => p.ownerKind === 'unit').sort((a, b) => b.year - a.year),
  };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const unitId = field(form, 'unitId');
    const year = Number(field(form, 'year'));
    const template = field(form, 'template');
    const r = await api<{ id: string }>(event, 'POST', '/api/plans', {
      ownerKind: 'unit',
      unitId,
      year,
      ...(template === 'agency' || template === 'commune' ? { template } : {}),
    });
    if (!r.ok) return failWith(r.problem, { year, template });
    redirect(303, `/plans/${encodeURIComponent(r.data.id)}`);
  },
};
