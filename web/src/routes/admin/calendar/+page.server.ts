import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import type { CalendarProfileDto } from '#lib/server/calendar.ts';
import { failWith, field } from '#lib/server/forms.ts';
import type { Page } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  const list = await apiGet<Page<CalendarProfileDto>>(
    event,
    `/api/admin/calendar-profiles?provinceId=${provinceId}`,
  );
  return { provinceId, profiles: list.items };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const r = await api(event, 'PUT', `/api/admin/calendar-profiles/${encodeURIComponent(id)}`, {
      provinceId: field(form, 'provinceId'),
      name: field(form, 'name'),
      weekendDays: [6, 7],
      holidays: [],
      makeUpWorkingDays: [],
    });
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/admin/calendar/${encodeURIComponent(id)}?saved=1`);
  },
};
