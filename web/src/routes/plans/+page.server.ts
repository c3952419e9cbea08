// My unit's plans by year; a new plan from the agency or commune outline (starts its annual-plan workflow).
import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

interface PlanSummary {
  id: string;
  year: number;
  status: string;
  phase: string;
  filed: boolean;
  ownerKind: string;
}

/** The unit whose collective plan the reader drafts: the one asked for, else their first planning unit (the
 * agency or commune their main post belongs to, as the session reports it). */
function myUnit(event: Parameters<PageServerLoad>[0]): string {
  return event.url.searchParams.get('unitId') || (event.locals.session?.planningUnits[0]?.id ?? '');
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const unitId = myUnit(event);
  const nextYear = new Date().getUTCFullYear() + 1;
  const list = unitId
    ? await apiGet<{ items: PlanSummary[] }>(event, `/api/plans?unitId=${encodeURIComponent(unitId)}`)
    : { items: [] };
  return {
    unitId,
    planningUnits: event.locals.session.planningUnits,
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
