// The dashboards' entry (the nav's link): the province's levels go to the province dashboard, a unit's leadership to
// its unit's, everyone else to their own. The API decides every request (the tiered rule).
import { redirect } from '@sveltejs/kit';
import { hasRole } from '#lib/session.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const s = event.locals.session;
  if (!s) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  if (hasRole(s, 'secretariat', 'standing_committee', 'organisation_department'))
    redirect(303, '/dashboards/province');
  const unit = s.planningUnits[0];
  if (unit && hasRole(s, 'unit_head')) redirect(303, `/dashboards/unit/${unit.id}`);
  redirect(303, '/dashboards/me');
};
