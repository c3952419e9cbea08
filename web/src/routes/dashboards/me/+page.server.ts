// My dashboard (issue 7 point 4) from GET /api/dashboards/me: the key results I reported this year, month by month,
// verified or waiting, and my completion from the verified values.
import { redirect } from '@sveltejs/kit';
import { yearMonthOf } from '#lib/charts/query.ts';
import type { MyDashboard } from '#lib/charts/types.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const { year, month } = yearMonthOf(event.url);
  const dashboard = await apiGet<MyDashboard>(event, `/api/dashboards/me?year=${year}&month=${month}`);
  return { dashboard, locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const) };
};
