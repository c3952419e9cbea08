// The province ranking of its top units and their heads for a year (issue 8; RULES.md: the heads are ranked by
// the superior body). For the secretariat: compile and recompile the draft; for the standing committee: each
// unit's and head's level with its explanation and failed gates, the heads' quota warning ("vượt N"), the flags,
// the decision (optionally with an approved exception), the exception after a refused publication, and the
// publication. Every decision is the API's; the page only carries it (an Idempotency-Key made once per rendered
// page, so a double click is applied once).
import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, problemText } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

type Text = { vi: string; en: string };
type Level = 'excellent' | 'good' | 'completed' | 'notCompleted';
export interface ProvinceRanking {
  id: string;
  province: { id: string; name: string };
  year: number;
  status: 'draft' | 'decided' | 'published';
  revision: number;
  deadline: string;
  ruleSet: { id: string; version: number; title: Text };
  provisional: boolean;
  entries: {
    subjectKind: 'collective' | 'individual';
    subjectId: string;
    unitId: string;
    unitName: string;
    personName: string | null;
    score: string | null;
    scoreSource: 'plan' | 'supervisor' | 'unit' | 'none';
    provisional: boolean;
    level: Level | null;
    label: Text | null;
    steps: Text[];
    gateFailures: { gateId: string; level: Level; text: Text }[];
    forcedBy: Text[];
    frozen: boolean;
    /** The engine's level (a head the committee placed at 'good' within the quota keeps 'excellent' here). */
    engineLevel: Level | null;
    selection: { reason: string; by: string; at: string; text: Text } | null;
    selectable: boolean;
  }[];
  quota: {
    good: number;
    excellent: number;
    allowed: number;
    exceptionPlaces: number;
    over: number;
    publicationBlocked: boolean;
    /** Over the heads' quota by more than the exception cap: heads to place at 'good' before deciding. */
    mustSelect: { over: number; cap: number }[];
  };
  exception: { places: number; decisionNumber: string; justification: string } | null;
  flags: { kind: string; subjectId: string; text: Text }[];
  decidedOn: string | null;
  canCompile: boolean;
  canDecide: boolean;
}

const KEY = /^[A-Za-z0-9-]{8,100}$/;
const YEAR = /^\d{4}$/;

function params(event: RequestEvent | Parameters<PageServerLoad>[0]) {
  const { provinceId, year } = event.params;
  if (!YEAR.test(year)) error(404, m.provRank_none());
  return { provinceId, year: Number(year) };
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const { provinceId, year } = params(event);
  const r = await api<ProvinceRanking>(
    event,
    'GET',
    `/api/province-rankings?provinceId=${encodeURIComponent(provinceId)}&year=${year}`,
  );
  if (!r.ok && r.problem.code !== 'RANKING_NOT_FOUND') error(r.status, problemText(r.problem));
  return { ranking: r.ok ? r.data : null, provinceId, year, idempotencyKey: randomUUID() };
};

const keyHeader = (form: FormData) => {
  const key = field(form, 'idempotencyKey');
  return KEY.test(key) ? { headers: { 'idempotency-key': key } } : {};
};
const base = (form: FormData) => `/api/province-rankings/${encodeURIComponent(field(form, 'rankingId'))}`;

/** The exception fields of a form, undefined when left empty, null when incomplete. */
function exceptionOf(form: FormData) {
  const decisionNumber = field(form, 'decisionNumber');
  const justification = field(form, 'justification');
  const placesText = field(form, 'places');
  if (!decisionNumber && !justification) return undefined;
  const places = Number(placesText || '1');
  if (!decisionNumber || !justification || !Number.isInteger(places) || places < 1) return null;
  return { places, decisionNumber, justification };
}

export const actions: Actions = {
  create: async (event) => {
    const { provinceId, year } = params(event);
    const r = await api(event, 'POST', '/api/province-rankings', { provinceId, year });
    if (!r.ok) return failWith(r.problem, { action: 'create' });
    return { done: 'created' as const };
  },
  recompute: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'POST', `${base(form)}/recompute`);
    if (!r.ok) return failWith(r.problem, { action: 'recompute' });
    return { done: 'recomputed' as const };
  },
  select: async (event) => {
    const form = await event.request.formData();
    const reason = field(form, 'reason');
    if (!reason) return failText(m.ranking_select_reason_required(), { action: 'select' });
    const r = await api(
      event,
      'PUT',
      `${base(form)}/selections/${encodeURIComponent(field(form, 'personId'))}`,
      { reason },
    );
    if (!r.ok) return failWith(r.problem, { action: 'select' });
    return { done: 'selected' as const };
  },
  unselect: async (event) => {
    const form = await event.request.formData();
    const r = await api(
      event,
      'DELETE',
      `${base(form)}/selections/${encodeURIComponent(field(form, 'personId'))}`,
    );
    if (!r.ok) return failWith(r.problem, { action: 'unselect' });
    return { done: 'unselected' as const };
  },
  decide: async (event) => {
    const form = await event.request.formData();
    const exception = exceptionOf(form);
    if (exception === null) return failText(m.provRank_exception_required(), { action: 'decide' });
    const r = await api(
      event,
      'POST',
      `${base(form)}/decide`,
      { revision: Number(field(form, 'revision')), ...(exception ? { exception } : {}) },
      keyHeader(form),
    );
    if (!r.ok) return failWith(r.problem, { action: 'decide' });
    return { done: 'decided' as const };
  },
  exception: async (event) => {
    const form = await event.request.formData();
    const exception = exceptionOf(form);
    if (!exception) return failText(m.provRank_exception_required(), { action: 'exception' });
    const r = await api(event, 'POST', `${base(form)}/exception`, exception, keyHeader(form));
    if (!r.ok) return failWith(r.problem, { action: 'exception' });
    return { done: 'exception' as const };
  },
  publish: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'POST', `${base(form)}/publish`, undefined, keyHeader(form));
    if (!r.ok) return failWith(r.problem, { action: 'publish' });
    return { done: 'published' as const };
  },
};
