import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field, optional } from '#lib/server/forms.ts';
import type { MetricTemplateDto } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  metric: await apiGet<MetricTemplateDto>(event, `/api/admin/metric-library/${event.params.id}`),
  saved: event.url.searchParams.has('saved'),
});

const back = (id: string) => `/admin/metrics/${id}?saved=1`;

export const actions: Actions = {
  update: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'PATCH', `/api/admin/metric-library/${event.params.id}`, {
      titleVi: field(form, 'titleVi'),
      titleEn: optional(form, 'titleEn') ?? null,
      unit: field(form, 'unit'),
      direction: field(form, 'direction'),
      aggregation: field(form, 'aggregation'),
      perspective: field(form, 'perspective'),
      exampleSource: optional(form, 'exampleSource') ?? null,
    });
    if (!r.ok) return failWith(r.problem);
    redirect(303, back(event.params.id));
  },
  active: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'PATCH', `/api/admin/metric-library/${event.params.id}`, {
      active: field(form, 'active') === 'true',
    });
    if (!r.ok) return failWith(r.problem);
    redirect(303, back(event.params.id));
  },
};
