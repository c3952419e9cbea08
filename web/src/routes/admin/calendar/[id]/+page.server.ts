import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { type CalendarProfileDto, holidaysText, parseDays, parseHolidays } from '#lib/server/calendar.ts';
import { failText, failWith, field, optional } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const path = (id: string) => `/api/admin/calendar-profiles/${encodeURIComponent(id)}`;

export const load: PageServerLoad = async (event) => {
  const profile = await apiGet<CalendarProfileDto>(event, path(event.params.id));
  return {
    profile,
    holidays: holidaysText(profile),
    makeUp: profile.makeUpWorkingDays.join('\n'),
    saved: event.url.searchParams.has('saved'),
  };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { holidays: field(form, 'holidays'), makeUp: field(form, 'makeUp') };
    const h = parseHolidays(values.holidays);
    if ('badLine' in h)
      return failText(m.calendar_line_invalid({ line: String(h.badLine), text: h.text }), { values });
    const d = parseDays(values.makeUp);
    if ('badLine' in d)
      return failText(m.calendar_line_invalid({ line: String(d.badLine), text: d.text }), { values });
    // Deadline settings are not edited here: the saved ones go back unchanged.
    const current = await api<CalendarProfileDto>(event, 'GET', path(event.params.id));
    if (!current.ok) return failWith(current.problem, { values });
    const body = {
      provinceId: current.data.provinceId,
      name: field(form, 'name'),
      weekendDays: form.getAll('weekendDays').map(Number),
      holidays: h.holidays,
      makeUpWorkingDays: d.days,
      ...(Object.keys(current.data.deadlineSettings).length
        ? { deadlineSettings: current.data.deadlineSettings }
        : {}),
      source: optional(form, 'source'),
    };
    const r = await api(event, 'PUT', path(event.params.id), body);
    if (!r.ok) return failWith(r.problem, { values });
    redirect(303, `/admin/calendar/${encodeURIComponent(event.params.id)}?saved=1`);
  },
};
