// The deciding level's queue of ranking appeals (issue 8 point 4): the province's organisation department and
// standing committee read the appeals of a year and decide each (upheld, or changed with the new level, with a
// decision number) — an Update of the appeal workflow, carried by the API. Every decision is the API's.
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, problemText } from '#lib/server/api.ts';
import { failText, failWith, field, optional } from '#lib/server/forms.ts';
import { LEVELS, type Level, type QueueItem, yearOf } from '../notice/notice.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const year = yearOf(event.url);
  const r = await api<{ appeals: QueueItem[] }>(event, 'GET', `/api/ranking-appeals?year=${year}`);
  if (!r.ok) error(r.status, problemText(r.problem));
  return { year, appeals: r.data.appeals };
};

export const actions: Actions = {
  decide: async (event) => {
    const form = await event.request.formData();
    const appealId = field(form, 'appealId');
    const outcome = field(form, 'outcome') === 'changed' ? 'changed' : 'upheld';
    const newLevel = optional(form, 'newLevel') as Level | undefined;
    const decisionNumber = field(form, 'decisionNumber');
    const note = optional(form, 'note');
    if (!decisionNumber) return failText(m.appeal_decision_number_required(), { appealId });
    if (outcome === 'changed' && (!newLevel || !LEVELS.includes(newLevel)))
      return failText(m.appeal_new_level_required(), { appealId });
    const r = await api(event, 'POST', `/api/ranking-appeals/${encodeURIComponent(appealId)}/decision`, {
      outcome,
      ...(outcome === 'changed' ? { newLevel } : {}),
      decisionNumber,
      ...(note ? { note } : {}),
    });
    if (!r.ok) return failWith(r.problem, { appealId });
    return { done: 'decided' as const };
  },
};
