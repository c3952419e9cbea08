// A unit's giao ban directions (issue 7 point 2), all sessions, with their status; the unit head (or delegate)
// reports each one's progress — in progress or done, with a note (process path: POST
// /api/giao-ban/directions/{id}/report; 'done' closes the direction's task). The unit is the query's, else the
// unit the signed-in person heads.
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { DirectionItem } from '../giao-ban.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const headOf = event.locals.session.grants.find((g) => g.role === 'unit_head')?.scopeUnitId;
  const unitId = event.url.searchParams.get('unitId') || headOf || '';
  if (!UUID.test(unitId)) error(400, m.giaoBan_directions_unit_missing());
  const r = await apiGet<{ unitName?: string; directions: DirectionItem[] } | DirectionItem[]>(
    event,
    `/api/giao-ban/directions?unitId=${encodeURIComponent(unitId)}`,
  );
  const directions = Array.isArray(r) ? r : r.directions;
  const unitName = (Array.isArray(r) ? undefined : r.unitName) ?? directions[0]?.unitName ?? null;
  return {
    unitId,
    unitName,
    directions,
    // the unit head may report (the API decides every request; a delegate is refused or allowed there)
    canReport: headOf === unitId,
    reported: event.url.searchParams.get('reported'),
  };
};

export const actions: Actions = {
  report: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'directionId');
    const status = field(form, 'status');
    const note = field(form, 'note');
    if (!UUID.test(id) || (status !== 'in-progress' && status !== 'done'))
      return failText(m.giaoBan_form_invalid(), { directionId: id });
    const r = await api(event, 'POST', `/api/giao-ban/directions/${encodeURIComponent(id)}/report`, {
      status,
      note,
    });
    if (!r.ok) return failWith(r.problem, { directionId: id });
    const unitId = event.url.searchParams.get('unitId');
    redirect(
      303,
      `/giao-ban/directions?${unitId ? `unitId=${encodeURIComponent(unitId)}&` : ''}reported=${id}`,
    );
  },
};
