// A giao ban session's workspace (issue 7 point 2): the reporting tracker (which units sent their quarterly
// report, late or not at all), the dossier links, the conclusion form per unit (completion level, summary,
// directions added and removed, the decision on the unit's next quarter draft plan), publishing (refused with
// the units still missing a conclusion) and the minutes link. A unit head reads only their unit's row (the API
// applies the tiered rule). Process path: PUT …/units/{unitId}/conclusion and POST …/publish, each with an
// Idempotency-Key made once per rendered form.
import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import {
  COMPLETION_LEVELS,
  type CompletionLevel,
  SESSION_KEY,
  type SessionDetail,
  type UnitRow,
} from '../giao-ban.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function sessionOf(params: { session: string }): string {
  if (!SESSION_KEY.test(params.session)) error(404, m.giaoBan_session_invalid());
  return params.session;
}

const keyHeader = (key: string) => (IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {});

/** The unit names a GIAO_BAN_CONCLUSIONS_MISSING refusal lists (details.missing / details.units, names or rows). */
function missingOf(details: unknown): string[] {
  const d = details as { missing?: unknown; units?: unknown; unitNames?: unknown } | undefined;
  const list = d?.missing ?? d?.unitNames ?? d?.units;
  if (!Array.isArray(list)) return [];
  return list
    .map((x) =>
      typeof x === 'string'
        ? x
        : ((x as { unitName?: string; name?: string })?.unitName ?? (x as { name?: string })?.name),
    )
    .filter((x): x is string => typeof x === 'string' && x !== '');
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const session = sessionOf(event.params);
  const detail = await apiGet<SessionDetail>(event, `/api/giao-ban/${session}`);
  return {
    detail,
    idempotencyKey: randomUUID(),
    savedUnit: event.url.searchParams.get('saved'),
    locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const),
  };
};

export const actions: Actions = {
  conclude: async (event) => {
    const session = sessionOf(event.params);
    const form = await event.request.formData();
    const unitId = field(form, 'unitId');
    if (!UUID.test(unitId)) return failText(m.giaoBan_form_invalid(), { unitId });
    const level = field(form, 'completionLevel') as CompletionLevel;
    const summary = field(form, 'summary');
    const texts = form.getAll('directionText').map((v) => (typeof v === 'string' ? v.trim() : ''));
    const dues = form.getAll('directionDue').map((v) => (typeof v === 'string' ? v.trim() : ''));
    const directions = texts
      .map((text, i) => ({ text, due: dues[i] ?? '' }))
      .filter((d) => d.text !== '')
      .map((d) => (DATE.test(d.due) ? { text: d.text, dueDate: d.due } : { text: d.text }));
    const plan = field(form, 'planDecision');
    const planDecision = plan === 'approved' || plan === 'adjusted' ? plan : null;
    const planNote = field(form, 'planNote') || null;
    const typed = {
      unitId,
      completionLevel: level,
      summary,
      directions: directions.map((d) => ({ text: d.text, dueDate: 'dueDate' in d ? d.dueDate : null })),
      planDecision,
      planNote,
    };
    if (!COMPLETION_LEVELS.includes(level) || summary === '')
      return failText(m.giaoBan_form_invalid(), { typed });
    const r = await api<UnitRow>(
      event,
      'PUT',
      `/api/giao-ban/${session}/units/${encodeURIComponent(unitId)}/conclusion`,
      { completionLevel: level, summary, directions, planDecision, planNote },
      keyHeader(field(form, 'idempotencyKey')),
    );
    if (!r.ok) return failWith(r.problem, { typed });
    redirect(303, `/giao-ban/${session}?saved=${encodeURIComponent(unitId)}#unit-${unitId}`);
  },
  publish: async (event) => {
    const session = sessionOf(event.params);
    const form = await event.request.formData();
    const r = await api<{ publishedAt: string }>(
      event,
      'POST',
      `/api/giao-ban/${session}/publish`,
      {},
      keyHeader(field(form, 'idempotencyKey')),
    );
    if (!r.ok) return failWith(r.problem, { publish: true, missing: missingOf(r.problem.details) });
    redirect(303, `/giao-ban/${session}?published=1`);
  },
};
