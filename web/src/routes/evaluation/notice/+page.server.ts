// The person's ranking notices of a year (issue 8 point 4): the level, score, the appeal window's last day, the
// notice as a PDF, and the appeal — filed here within the window (the API refuses a late one with its own
// words) — with its status and decision. Every decision is the API's.
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, problemText } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';
import { type Notice, yearOf } from './notice.ts';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const year = yearOf(event.url);
  const r = await api<{ notices: Notice[] }>(event, 'GET', `/api/ranking-notices?year=${year}`);
  if (!r.ok) error(r.status, problemText(r.problem));
  return { year, notices: r.data.notices };
};

export const actions: Actions = {
  appeal: async (event) => {
    const form = await event.request.formData();
    const noticeId = field(form, 'noticeId');
    const reason = field(form, 'reason');
    if (!reason) return failText(m.appeal_reason_required(), { noticeId });
    const r = await api(event, 'POST', `/api/ranking-notices/${encodeURIComponent(noticeId)}/appeal`, {
      reason,
    });
    if (!r.ok) return failWith(r.problem, { noticeId });
    return { done: 'filed' as const };
  },
};
