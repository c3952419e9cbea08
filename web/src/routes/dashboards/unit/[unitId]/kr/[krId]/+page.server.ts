// One key result of a unit (issue 7 point 4, the drill-down) from GET /api/dashboards/unit/{unitId}/key-results/{krId}:
// its monthly values against targets, each verified value with who reported it and its evidence, and its formula.
import { error, redirect } from '@sveltejs/kit';
import { yearMonthOf } from '#lib/charts/query.ts';
import type { KeyResultDashboard } from '#lib/charts/types.ts';
import { getLocale } from '#lib/paraglide/runtime.js';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  if (!UUID.test(event.params.unitId) || event.params.krId.length > 100) error(404);
  const { year, month } = yearMonthOf(event.url);
  const dashboard = await apiGet<KeyResultDashboard>(
    event,
    `/api/dashboards/unit/${event.params.unitId}/key-results/${encodeURIComponent(event.params.krId)}?year=${year}&month=${month}`,
  );
  return { dashboard, month, locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const) };
};
