import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { type CalendarProfileDto, holidaysText, parseDays, parseHolidays } from '#lib/server/calendar.ts';
import { failText, failWith, field, optional } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

const path = (id: string) => `/api/admin/calendar-profiles/${encodeURIComponent(id)}`;

export interface PlanYearDeadline {
  id: string;
  kind: string;
  period: string | null;
  nominalDate: string;
  ruleDate: string;
  date: string;
  origin: 'rule' | 'derived' | 'override';
  move: { reason: string; by: string; at: string } | null;
}

/** The plan year shown by default: next year's from October (plans are drafted then), else this year's. */
function defaultYear(): number {
  const vn = new Date(Date.now() + 7 * 3_600_000);
  return vn.getUTCFullYear() + (vn.getUTCMonth() >= 9 ? 1 : 0);
}

export const load: PageServerLoad = async (event) => {
  const asked = Number(event.url.searchParams.get('year'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2200 ? asked : defaultYear();
  const [profile, planYear] = await Promise.all([
    apiGet<CalendarProfileDto>(event, path(event.params.id)),
    apiGet<{ year: number; deadlines: PlanYearDeadline[] }>(
      event,
      `${path(event.params.id)}/plan-years/${year}`,
    ),
  ]);
  return {
    profile,
    holidays: holidaysText(profile),
    makeUp: profile.makeUpWorkingDays.join('\n'),
    saved: event.url.searchParams.has('saved'),
    moved: event.url.searchParams.has('moved'),
    year,
    deadlines: planYear.deadlines,
  };
};

export const actions: Actions = {
  save: async (event) => {
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
    const changeReason = optional(form, 'changeReason');
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
      ...(changeReason ? { changeReason } : {}),
    };
    const r = await api(event, 'PUT', path(event.params.id), body);
    if (!r.ok) return failWith(r.problem, { values });
    redirect(303, `/admin/calendar/${encodeURIComponent(event.params.id)}?saved=1`);
  },
  move: async (event) => {
    const form = await event.request.formData();
    const year = Number(field(form, 'year'));
    const deadlineId = field(form, 'deadlineId');
    const date = optional(form, 'date') ?? null;
    const reason = field(form, 'reason');
    const move = { deadlineId, date: date ?? '', reason };
    const r = await api(
      event,
      'PUT',
      `${path(event.params.id)}/plan-years/${year}/deadlines/${encodeURIComponent(deadlineId)}`,
      { date, reason },
    );
    if (!r.ok) return failWith(r.problem, { move });
    redirect(303, `/admin/calendar/${encodeURIComponent(event.params.id)}?year=${year}&moved=1#deadlines`);
  },
};
