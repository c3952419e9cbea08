// A locked check-in's reopen requests (DESIGN §3 period lock, issue 6): the unit head reads the request's reason
// and the values entered (read only) and approves or rejects it with a comment; the person (or their screen's
// ReopenRequest form) sends a request with a reason here too. Each form carries an Idempotency-Key made once
// per rendered form, so a double click or a retry is applied once.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field, optional } from '#lib/server/forms.ts';
import type { SubmittedCheckIn } from '../verify/+page.server.ts';
import type { Actions, PageServerLoad } from './$types';

export interface ReopenRequestView {
  id: string;
  number: number;
  requestedBy: { id: string; name: string };
  onBehalfOf: string | null;
  requestedAt: string;
  reason: string;
  decision: 'approve' | 'reject' | null;
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  comment: string | null;
}
export type ReopenCheckIn = SubmittedCheckIn & {
  reopenRequests: ReopenRequestView[];
  reopenTask: { id: string; dueDate: string; assigneePersonId: string | null } | null;
};

const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;
const checkInPath = (id: string) => `/api/check-ins/${encodeURIComponent(id)}`;
const keyHeader = (form: FormData) => {
  const key = field(form, 'idempotencyKey');
  return IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {};
};

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const me = event.locals.session.person.id;
  const checkIn = await apiGet<ReopenCheckIn>(event, checkInPath(event.params.id));
  const pending = checkIn.reopenRequests.some((r) => r.decision === null);
  const mine = checkIn.person.id === me;
  return {
    checkIn,
    canDecide: !mine && checkIn.reopenTask !== null,
    canRequest: mine && checkIn.status === 'LOCKED' && !pending,
    requested: event.url.searchParams.has('requested'),
    idempotencyKey: randomUUID(),
  };
};

export const actions: Actions = {
  request: async (event) => {
    const form = await event.request.formData();
    const reason = field(form, 'reason');
    if (!reason) return failText(m.reopen_reason_required(), { invalid: 'reason' });
    const checkIn = await apiGet<ReopenCheckIn>(event, checkInPath(event.params.id));
    const r = await api<{ phase: string }>(
      event,
      'POST',
      `/api/check-ins/mine/${encodeURIComponent(checkIn.period)}/reopen-request`,
      { reason },
      keyHeader(form),
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/check-ins/${encodeURIComponent(event.params.id)}/reopen?requested=1`);
  },
  decide: async (event) => {
    const form = await event.request.formData();
    const decision = field(form, 'decision');
    if (decision !== 'approve' && decision !== 'reject')
      return failText(m.reopen_decision_required(), { invalid: 'decision' });
    const comment = optional(form, 'comment');
    const r = await api<{ phase: string }>(
      event,
      'POST',
      `${checkInPath(event.params.id)}/reopen-decision`,
      { decision, ...(comment ? { comment } : {}) },
      keyHeader(form),
    );
    if (!r.ok) return failWith(r.problem);
    return { done: decision as 'approve' | 'reject' };
  },
};
