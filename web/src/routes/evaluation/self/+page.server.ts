// The person's year-end self-assessment (issue 8 points 1–2): the data through November with the provisional
// December estimate explained, the lists of completed unplanned work, recognised initiatives and certificates or
// confirmed self-study — each item with an evidence file, stored first in the evidence store — the criterion-1
// rubric and the other criteria (the draft, content path, at the revision read), and the submission (an Update
// of the workflow; an Idempotency-Key made once per rendered form). Every decision is the API's.
import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { type Content, currentYear, LISTS, type ListName, POINTS, type YearEnd } from './year-end.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;
const PERCENT = /^\d{1,3}([.,]\d{1,2})?$/;

const yearOf = (url: URL) => {
  const y = Number(url.searchParams.get('year'));
  return Number.isInteger(y) && y >= 2000 && y <= 2200 ? y : currentYear();
};

async function current(event: RequestEvent, year: number) {
  const r = await api<YearEnd>(event, 'GET', `/api/evaluation/year-end/me?year=${year}`);
  return r;
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const year = yearOf(event.url);
  const r = await current(event, year);
  if (!r.ok && r.status !== 404) error(r.status, r.problem.message.vi);
  return { year, assessment: r.ok ? r.data : null, idempotencyKey: randomUUID() };
};

async function save(event: RequestEvent, a: YearEnd, content: Content, action: string) {
  const r = await api<{ revision: number }>(event, 'PUT', '/api/evaluation/year-end/me/draft', {
    year: a.year,
    revision: a.revision,
    content,
  });
  if (!r.ok) return failWith(r.problem, { action });
  return null;
}

async function loaded(event: RequestEvent, action: string) {
  const r = await current(event, yearOf(event.url));
  if (!r.ok) return { fail: failWith(r.problem, { action }) } as const;
  return { a: r.data } as const;
}

export const actions: Actions = {
  addItem: async (event) => {
    const form = await event.request.formData();
    const list = field(form, 'list') as ListName;
    if (!LISTS.includes(list)) return failText(m.yearEnd_item_title_required(), { action: 'addItem' });
    const title = field(form, 'title');
    const file = form.get('file');
    if (!title) return failText(m.yearEnd_item_title_required(), { action: 'addItem', list });
    if (!(file instanceof File) || file.size === 0)
      return failText(m.yearEnd_file_required(), { action: 'addItem', list });
    const got = await loaded(event, 'addItem');
    if ('fail' in got) return got.fail;
    const body = new FormData();
    body.append('year', String(got.a.year));
    body.append('file', file, file.name);
    const req = new Request('http://localhost/', { method: 'POST', body });
    const up = await api<{ id: string }>(
      event,
      'POST',
      '/api/evaluation/year-end/me/evidence',
      await req.blob(),
      {
        contentType: req.headers.get('content-type') ?? 'multipart/form-data',
      },
    );
    if (!up.ok) return failWith(up.problem, { action: 'addItem', list });
    const content = structuredClone(got.a.self);
    if (list === 'certificates')
      content.certificates.push({
        title,
        kind: field(form, 'kind') === 'self-study' ? 'self-study' : 'certificate',
        evidenceIds: [up.data.id],
      });
    else content[list].push({ title, evidenceIds: [up.data.id] });
    return (await save(event, got.a, content, 'addItem')) ?? { done: 'added' as const };
  },
  removeItem: async (event) => {
    const form = await event.request.formData();
    const list = field(form, 'list') as ListName;
    const index = Number(field(form, 'index'));
    const got = await loaded(event, 'removeItem');
    if ('fail' in got) return got.fail;
    if (!LISTS.includes(list)) return { done: 'removed' as const };
    const content = structuredClone(got.a.self);
    content[list].splice(index, 1);
    return (await save(event, got.a, content, 'removeItem')) ?? { done: 'removed' as const };
  },
  rubric: async (event) => {
    const form = await event.request.formData();
    const got = await loaded(event, 'rubric');
    if ('fail' in got) return got.fail;
    const a = got.a;
    const study = field(form, 'resolutionStudyPercent');
    const trust = field(form, 'trustPercent');
    const count = field(form, 'contributionsPerYear');
    const level = Number(field(form, 'selfLevel'));
    for (const p of [study, trust])
      if (!PERCENT.test(p) || Number(p.replace(',', '.')) > 100)
        return failText(m.yearEnd_percent_invalid(), { action: 'rubric' });
    if (!/^\d{1,3}$/.test(count) || Number(count) > 100)
      return failText(m.yearEnd_count_invalid(), { action: 'rubric' });
    const points: Record<string, string> = {};
    for (const c of a.criteria) {
      if (c.id === 'politicalEthics') continue;
      const v = field(form, `criterion-${c.id}`);
      if (!v) continue;
      const name = getLocale() === 'en' ? c.en : c.vi;
      if (!POINTS.test(v) || Number(v.replace(',', '.')) > Number(c.maxPoints))
        return failText(m.yearEnd_points_invalid({ name, max: c.maxPoints }), { action: 'rubric' });
      points[c.id] = v.replace(',', '.');
    }
    const content: Content = {
      ...a.self,
      rubric: {
        resolutionStudyPercent: study.replace(',', '.'),
        trustPercent: trust.replace(',', '.'),
        contributionsPerYear: Number(count),
        disciplinedForIdeology: field(form, 'disciplinedForIdeology') === 'on',
        selfLevel: ([1, 2, 3, 4, 5].includes(level) ? level : 3) as 1 | 2 | 3 | 4 | 5,
      },
      points,
    };
    return (await save(event, a, content, 'rubric')) ?? { done: 'saved' as const };
  },
  submit: async (event) => {
    const form = await event.request.formData();
    const key = field(form, 'idempotencyKey');
    const r = await api(
      event,
      'POST',
      '/api/evaluation/year-end/me/submit',
      { year: Number(field(form, 'year')), revision: Number(field(form, 'revision')) },
      IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {},
    );
    if (!r.ok) return failWith(r.problem, { action: 'submit' });
    return { done: 'submitted' as const };
  },
};
