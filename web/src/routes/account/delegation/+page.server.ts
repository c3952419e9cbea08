// Delegation while away (DESIGN §3; issue 5 of WOMS): ask for a delegation to a colleague of one's unit,
// see one's own delegations and the ones one holds, revoke; an approver decides the requests waiting for
// them here (their inbox task links to this screen). Each form carries an Idempotency-Key made once per
// rendered form, so a double click or a retry is applied once.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field, optional } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export type DelegationStatus = 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'ACTIVE' | 'ENDED' | 'REVOKED';
export interface Delegation {
  id: string;
  principal: { id: string; name: string };
  delegate: { id: string; name: string };
  approver: { id: string; name: string } | null;
  unitName: string;
  from: string;
  to: string;
  reason: string;
  status: DelegationStatus;
  decisionNote: string | null;
  can: { decide: boolean; revoke: boolean };
}
interface Lists {
  asPrincipal: Delegation[];
  asDelegate: Delegation[];
  toApprove: Delegation[];
}

const KEY = /^[A-Za-z0-9-]{8,100}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^delegation:[0-9a-f-]{36}:\d{4}-\d{2}-\d{2}$/;
const path = (id: string) => `/api/delegations/${encodeURIComponent(id)}`;
const keyOf = (form: FormData) => {
  const k = field(form, 'idempotencyKey');
  return KEY.test(k) ? { headers: { 'idempotency-key': k } } : {};
};

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const [lists, colleagues] = await Promise.all([
    apiGet<Lists>(event, '/api/delegations'),
    apiGet<{ unitId: string | null; items: { id: string; name: string }[] }>(
      event,
      '/api/delegations/colleagues',
    ),
  ]);
  return {
    ...lists,
    colleagues: colleagues.items,
    today: new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10),
    done: event.url.searchParams.get('done'),
    key: randomUUID(),
  };
};

export const actions: Actions = {
  request: async (event) => {
    const form = await event.request.formData();
    const delegateId = field(form, 'delegateId');
    const from = field(form, 'from');
    const to = field(form, 'to');
    const reason = field(form, 'reason');
    const values = { delegateId, from, to, reason };
    if (!delegateId || !DATE.test(from) || !DATE.test(to) || !reason)
      return failText(m.delegation_required(), { values });
    const r = await api(event, 'POST', '/api/delegations', { delegateId, from, to, reason });
    if (!r.ok) return failWith(r.problem, { values });
    redirect(303, '/account/delegation?done=requested');
  },
  decide: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const decision = field(form, 'decision');
    if (!ID.test(id) || (decision !== 'approve' && decision !== 'reject'))
      return failText(m.delegation_required());
    const note = optional(form, 'note');
    const r = await api(
      event,
      'POST',
      `${path(id)}/decide`,
      { decision, ...(note ? { note } : {}) },
      keyOf(form),
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, '/account/delegation?done=decided');
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    if (!ID.test(id)) return failText(m.delegation_required());
    const r = await api(event, 'POST', `${path(id)}/revoke`, {}, keyOf(form));
    if (!r.ok) return failWith(r.problem);
    redirect(303, '/account/delegation?done=revoked');
  },
};
