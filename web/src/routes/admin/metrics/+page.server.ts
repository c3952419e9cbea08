import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field, optional } from '#lib/server/forms.ts';
import type { MetricTemplateDto, Page } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  const perspective = event.url.searchParams.get('perspective') ?? '';
  const includeInactive = event.url.searchParams.get('inactive') === '1';
  const q = new URLSearchParams({ provinceId, limit: '200' });
  if (perspective) q.set('perspective', perspective);
  if (includeInactive) q.set('includeInactive', 'true');
  const cursor = event.url.searchParams.get('cursor');
  if (cursor) q.set('cursor', cursor);
  const list = await apiGet<Page<MetricTemplateDto>>(event, `/api/admin/metric-library?${q}`);
  return { provinceId, perspective, includeInactive, metrics: list.items, nextCursor: list.nextCursor };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = {
      provinceId: field(form, 'provinceId'),
      code: field(form, 'code'),
      titleVi: field(form, 'titleVi'),
      titleEn: optional(form, 'titleEn'),
      unit: field(form, 'unit'),
      direction: field(form, 'direction'),
      aggregation: field(form, 'aggregation'),
      perspective: field(form, 'perspective'),
      exampleSource: optional(form, 'exampleSource'),
    };
    const r = await api<MetricTemplateDto>(event, 'POST', '/api/admin/metric-library', values);
    if (!r.ok) return failWith(r.problem, { values });
    redirect(303, `/admin/metrics/${r.data.id}?saved=1`);
  },
};
