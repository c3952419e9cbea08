// One period assessment (issue 6 point 2): for the person, read-only — the points and every step of their
// computation in plain words; for the direct manager or the unit head while it is a draft, also the waivers
// (an objective cause with an evidence file for a late check-in or a value returned as a major error), the
// general-criteria points and the confirmation (an Idempotency-Key made once per rendered form, so a double
// click is applied once). Every decision is the API's; the page only carries it.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

type Text = { vi: string; en: string };
export interface PeriodAssessment {
  id: string;
  period: string;
  status: 'draft' | 'confirmed';
  revision: number;
  person: { id: string; name: string };
  unit: { id: string; name: string };
  computed: boolean;
  error: Text | null;
  taskPoints: string | null;
  generalPoints: string | null;
  total: string | null;
  measures: { quantity: string; progress: string; quality: string } | null;
  steps: { key: string; text: Text; formula: string; value: string }[];
  notes: ({ key: string } & Text)[];
  ruleSet: { id: string; version: number } | null;
  keyResults: {
    month: string;
    planId: string;
    keyResultId: string;
    title: string;
    delivered: boolean;
    majorErrorReturns: string[];
  }[];
  items: {
    kind: 'late' | 'major-error';
    ref: string;
    month: string;
    title: string | null;
    dueDate: string | null;
    date: string | null;
    waiverId: string | null;
  }[];
  waivers: {
    id: string;
    kind: 'late' | 'major-error';
    ref: string;
    objectiveCause: string;
    evidence: { id: string; fileName: string; type: string; size: number }[];
    recordedBy: string;
    recordedAt: string;
  }[];
  criteria: { id: string; vi: string; en: string; maxPoints: string; points: string | null }[];
  confirmedBy: string | null;
  confirmedAt: string | null;
  canManage: boolean;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;
const POINTS = /^\d{1,3}([.,]\d{1,2})?$/;
const path = (id: string) => `/api/assessments/${encodeURIComponent(id)}`;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const assessment = await apiGet<PeriodAssessment>(event, path(event.params.id));
  return { assessment, idempotencyKey: randomUUID() };
};

async function waiver(event: RequestEvent) {
  const form = await event.request.formData();
  const kind = field(form, 'kind') === 'major-error' ? 'major-error' : 'late';
  const ref = field(form, 'ref');
  const cause = field(form, 'objectiveCause');
  const file = form.get('file');
  if (!cause) return failText(m.assessment_cause_required(), { action: 'waiver', ref });
  if (!(file instanceof File) || file.size === 0)
    return failText(m.assessment_file_required(), { action: 'waiver', ref });
  const body = new FormData();
  body.append('kind', kind);
  body.append('ref', ref);
  body.append('objectiveCause', cause);
  body.append('revision', field(form, 'revision'));
  body.append('file', file, file.name);
  const req = new Request('http://localhost/', { method: 'POST', body });
  const r = await api(event, 'POST', `${path(event.params.id)}/waivers`, await req.blob(), {
    contentType: req.headers.get('content-type') ?? 'multipart/form-data',
  });
  if (!r.ok) return failWith(r.problem, { action: 'waiver', ref });
  return { done: 'waiver' as const };
}

export const actions: Actions = {
  waiver,
  removeWaiver: async (event) => {
    const form = await event.request.formData();
    const r = await api(
      event,
      'DELETE',
      `${path(event.params.id)}/waivers/${encodeURIComponent(field(form, 'waiverId'))}`,
    );
    if (!r.ok) return failWith(r.problem, { action: 'removeWaiver' });
    return { done: 'removed' as const };
  },
  criteria: async (event) => {
    const form = await event.request.formData();
    const a = await apiGet<PeriodAssessment>(event, path(event.params.id));
    const points: Record<string, string> = {};
    for (const c of a.criteria) {
      const v = field(form, `criterion-${c.id}`);
      if (!v) continue;
      const name = getLocale() === 'en' ? c.en : c.vi;
      if (!POINTS.test(v))
        return failText(m.assessment_points_invalid({ name, max: c.maxPoints }), { action: 'criteria' });
      points[c.id] = v.replace(',', '.');
    }
    const r = await api(event, 'PUT', `${path(event.params.id)}/general-criteria`, {
      revision: Number(field(form, 'revision')),
      points,
    });
    if (!r.ok) return failWith(r.problem, { action: 'criteria' });
    return { done: 'criteria' as const };
  },
  confirm: async (event) => {
    const form = await event.request.formData();
    const key = field(form, 'idempotencyKey');
    const r = await api<{ total: string | null }>(
      event,
      'POST',
      `${path(event.params.id)}/confirm`,
      { revision: Number(field(form, 'revision')) },
      IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {},
    );
    if (!r.ok) return failWith(r.problem, { action: 'confirm' });
    return { done: 'confirmed' as const, total: r.data.total };
  },
};
