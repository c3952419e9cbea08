// A unit's dashboard (issue 7 point 4) from GET /api/dashboards/unit/{unitId}: the 4 perspectives, gauges and trends
// of its key results (with the year-end forecast band where one exists), compared with comparable units.
import { error, redirect } from '@sveltejs/kit';
import type { ForecastBand } from '#lib/charts/forecast.ts';
import { yearMonthOf } from '#lib/charts/query.ts';
import type { UnitDashboard } from '#lib/charts/types.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  if (!UUID.test(event.params.unitId)) error(404);
  const { year, month } = yearMonthOf(event.url);
  const dashboard = await apiGet<
    Omit<UnitDashboard, 'keyResults'> & {
      keyResults: (UnitDashboard['keyResults'][number] & { forecast: ForecastBand | null })[];
    }
  >(event, `/api/dashboards/unit/${event.params.unitId}?year=${year}&month=${month}`);
  return { dashboard, locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const) };
};
