// The province dashboard (issue 7 point 4) from GET /api/dashboards/province: the heatmap of units × months, the
// league table, traffic lights, overdue and reporting counts, comparable units' median and quartiles.
import { redirect } from '@sveltejs/kit';
import { yearMonthOf } from '#lib/charts/query.ts';
import type { ProvinceDashboard } from '#lib/charts/types.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const { year, month } = yearMonthOf(event.url);
  const dashboard = await apiGet<ProvinceDashboard>(
    event,
    `/api/dashboards/province?year=${year}&month=${month}`,
  );
  return { dashboard, locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const) };
};
