// The ranking of a unit's people for a year (issue 8 points 2–3): for the unit head, the draft with each
// person's level, its explanation and every failed gate, the quota warning ("vượt N"), the exception request
// form, the decision and the publication; for the standing committee, the same page with the pending exception
// requests to approve (with a decision number) or reject. Every decision is the API's; the page only carries it
// (an Idempotency-Key made once per rendered page, so a double click is applied once).
import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, problemText } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { loadRankingDifferences } from '#lib/server/ranking-differences.ts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

type Text = { vi: string; en: string };
type Level = 'excellent' | 'good' | 'completed' | 'notCompleted';
export type Track = 'state' | 'party';
export interface UnitRanking {
  id: string;
  unit: { id: string; name: string };
  year: number;
  status: 'draft' | 'decided' | 'published';
  revision: number;
  deadline: string;
  ruleSet: {
    id: string;
    version: number;
    title: Text;
    legalBasis: { ref: string; verification: 'V' | 'U' }[];
    quotaVerification: 'V' | 'U';
    exceptionCap: number;
  };
  /** The Party track's rule set (QĐ 366); null before cycle 2026. */
  partyRuleSet: {
    id: string;
    version: number;
    title: Text;
    quotaVerification: 'V' | 'U';
    exceptionCap: number;
  } | null;
  /** The unit's head(s): not ranked here ("xếp loại bởi cấp trên"). */
  rankedAbove: { personId: string; name: string }[];
  provisional: boolean;
  entries: {
    personId: string;
    track: Track;
    stateLevel: Level | null;
    name: string;
    isHead: boolean;
    dutyGroup: string;
    score: string | null;
    scoreSource: 'supervisor' | 'periods' | 'none';
    provisional: boolean;
    level: Level | null;
    label: Text | null;
    steps: Text[];
    gateFailures: { gateId: string; level: Level; text: Text }[];
    forcedBy: Text[];
    frozen: boolean;
    verified: boolean | null;
    appraisal: { agrees: boolean; level: Level | null; comment: string } | null;
    appraisalDiffers: boolean;
    /** The engine's level (the head may have placed an 'excellent' entry at 'good' for the quota). */
    engineLevel: Level | null;
    selection: { reason: string; by: string; byName: string; at: string; text: Text } | null;
    /** A draft entry the engine ranked 'excellent': the head may place it at 'good' for the quota. */
    selectable: boolean;
  }[];
  quota: {
    groups: {
      track: Track;
      agencyId: string;
      dutyGroup: string;
      good: number;
      excellent: number;
      allowed: number;
      exceptionPlaces: number;
      over: number;
      warning: Text | null;
    }[];
    publicationBlocked: boolean;
    over: number;
    formula: string;
    partyFormula: string | null;
    /** Groups over the quota by more than the exception cap: the head chooses who is placed at 'good'. */
    mustSelect: { track: Track; agencyId: string; dutyGroup: string; over: number; cap: number }[];
  };
  exceptions: {
    id: string;
    track: Track;
    dutyGroup: string;
    extraPlaces: number;
    justification: string;
    status: 'requested' | 'approved' | 'rejected';
    requestedAt: string;
    decisionNumber: string | null;
    decidedOn: string | null;
  }[];
  flags: { kind: string; subjectId: string; text: Text }[];
  decidedOn: string | null;
  publishedAt: string | null;
  canDecide: boolean;
  canDecideExceptions: boolean;
}

const KEY = /^[A-Za-z0-9-]{8,100}$/;
const YEAR = /^\d{4}$/;

function params(event: RequestEvent | Parameters<PageServerLoad>[0]) {
  const { unitId, year } = event.params;
  if (!YEAR.test(year)) error(404, m.ranking_not_found());
  return { unitId, year: Number(year) };
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const { unitId, year } = params(event);
  const r = await api<UnitRanking>(
    event,
    'GET',
    `/api/rankings?unitId=${encodeURIComponent(unitId)}&year=${year}`,
  );
  if (!r.ok && r.problem.code !== 'RANKING_NOT_FOUND') error(r.status, problemText(r.problem));
  const differences = r.ok ? await loadRankingDifferences(event, unitId, year) : [];
  return { ranking: r.ok ? r.data : null, differences, unitId, year, idempotencyKey: randomUUID() };
};

const keyHeader = (form: FormData) => {
  const key = field(form, 'idempotencyKey');
  return KEY.test(key) ? { headers: { 'idempotency-key': key } } : {};
};
const base = (form: FormData) => `/api/rankings/${encodeURIComponent(field(form, 'rankingId'))}`;

export const actions: Actions = {
  create: async (event) => {
    const { unitId, year } = params(event);
    const r = await api(event, 'POST', '/api/rankings', { unitId, year });
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
    const track = field(form, 'track') === 'party' ? 'party' : 'state';
    const r = await api(
      event,
      'PUT',
      `${base(form)}/selections/${encodeURIComponent(field(form, 'personId'))}`,
      { reason, ...(track === 'party' ? { track } : {}) },
    );
    if (!r.ok) return failWith(r.problem, { action: 'select' });
    return { done: 'selected' as const };
  },
  unselect: async (event) => {
    const form = await event.request.formData();
    const track = field(form, 'track') === 'party' ? 'party' : 'state';
    const r = await api(
      event,
      'DELETE',
      `${base(form)}/selections/${encodeURIComponent(field(form, 'personId'))}?track=${track}`,
    );
    if (!r.ok) return failWith(r.problem, { action: 'unselect' });
    return { done: 'unselected' as const };
  },
  decide: async (event) => {
    const form = await event.request.formData();
    const r = await api(
      event,
      'POST',
      `${base(form)}/decide`,
      { revision: Number(field(form, 'revision')) },
      keyHeader(form),
    );
    if (!r.ok) return failWith(r.problem, { action: 'decide' });
    return { done: 'decided' as const };
  },
  requestException: async (event) => {
    const form = await event.request.formData();
    const justification = field(form, 'justification');
    const extraPlaces = Number(field(form, 'extraPlaces'));
    if (!justification)
      return failText(m.ranking_exception_justification_required(), { action: 'requestException' });
    if (!Number.isInteger(extraPlaces) || extraPlaces < 1)
      return failText(m.ranking_exception_places_invalid(), { action: 'requestException' });
    // the option's value is "<track>:<duty group>" (a Party exception lifts the Party quota)
    const choice = field(form, 'dutyGroup') || 'state:default';
    const prefix = /^(state|party):/.exec(choice)?.[1];
    const track = prefix === 'party' ? 'party' : 'state';
    const dutyGroup = (prefix ? choice.slice(prefix.length + 1) : choice) || 'default';
    const r = await api(
      event,
      'POST',
      `${base(form)}/exceptions`,
      { dutyGroup, extraPlaces, justification, ...(track === 'party' ? { track } : {}) },
      keyHeader(form),
    );
    if (!r.ok) return failWith(r.problem, { action: 'requestException' });
    return { done: 'requested' as const };
  },
  decideException: async (event) => {
    const form = await event.request.formData();
    const approve = field(form, 'decision') === 'approve';
    const decisionNumber = field(form, 'decisionNumber');
    if (approve && !decisionNumber)
      return failText(m.ranking_decision_number_required(), { action: 'decideException' });
    const r = await api(
      event,
      'POST',
      `${base(form)}/exceptions/${encodeURIComponent(field(form, 'exceptionId'))}/decision`,
      { approve, ...(decisionNumber ? { decisionNumber } : {}) },
    );
    if (!r.ok) return failWith(r.problem, { action: 'decideException' });
    return { done: approve ? ('approved' as const) : ('rejected' as const) };
  },
  publish: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'POST', `${base(form)}/publish`, undefined, keyHeader(form));
    if (!r.ok) return failWith(r.problem, { action: 'publish' });
    return { done: 'published' as const };
  },
};
