// One person's year-end assessment for their manager (issue 8 points 1–2): the data through November with the
// December estimate, the person's self-assessment with its evidence and score explained, the points per
// criterion and comments (the supervisor's assessment, an Update of the workflow; an Idempotency-Key made once
// per rendered form), then the score and the proposed level explained in plain words; for the province's
// organisation department, the appraisal. Every decision is the API's.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { POINTS, type YearEnd } from '../../self/year-end.ts';
import type { Actions, PageServerLoad } from './$types';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;
const LEVELS = ['excellent', 'good', 'completed', 'notCompleted'] as const;
const path = (id: string) => `/api/evaluation/year-end/${encodeURIComponent(id)}`;
const keyHeader = (key: string) => (IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {});

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const assessment = await apiGet<YearEnd>(event, path(event.params.id));
  return { assessment, idempotencyKey: randomUUID() };
};

export const actions: Actions = {
  assess: async (event) => {
    const form = await event.request.formData();
    const a = await apiGet<YearEnd>(event, path(event.params.id));
    const points: Record<string, string> = {};
    for (const c of a.criteria) {
      const v = field(form, `criterion-${c.id}`);
      const name = getLocale() === 'en' ? c.en : c.vi;
      if (!POINTS.test(v) || Number(v.replace(',', '.')) > Number(c.maxPoints))
        return failText(m.yearEnd_points_invalid({ name, max: c.maxPoints }), { action: 'assess' });
      points[c.id] = v.replace(',', '.');
    }
    const r = await api(
      event,
      'POST',
      `${path(event.params.id)}/supervisor`,
      { points, comments: field(form, 'comments') },
      keyHeader(field(form, 'idempotencyKey')),
    );
    if (!r.ok) return failWith(r.problem, { action: 'assess' });
    return { done: 'assessed' as const };
  },
  appraise: async (event) => {
    const form = await event.request.formData();
    const agrees = field(form, 'agrees') !== 'no';
    const level = field(form, 'level');
    const r = await api(
      event,
      'POST',
      `${path(event.params.id)}/appraisal`,
      {
        agrees,
        ...(!agrees && (LEVELS as readonly string[]).includes(level) ? { level } : {}),
        comment: field(form, 'comment'),
      },
      keyHeader(field(form, 'idempotencyKey')),
    );
    if (!r.ok) return failWith(r.problem, { action: 'appraise' });
    return { done: 'appraised' as const };
  },
};
