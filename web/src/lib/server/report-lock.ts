// The locked period of a unit report on its screen (/reports/monthly, /reports/quarterly; issue 6 point 3, DESIGN
// §3): the form actions of the unit head's reopen request (a reason) and of the secretariat's decision (approve,
// or refuse with a reason) — the process path: POST /api/reports/{kind}/{unitId}/{period}/reopen and …/reopen/
// decide with an Idempotency-Key made once per rendered form; the API answers refusals as problems.
import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';

export interface ReportLockPerson {
  id: string;
  name: string;
}

export interface ReportLock {
  state: 'open' | 'locked' | 'reopen-requested' | 'reopened';
  lockedOn: string | null;
  reopenDueDate: string | null;
  canRequestReopen: boolean;
  canDecideReopen: boolean;
  requests: {
    number: number;
    requestedBy: ReportLockPerson;
    onBehalfOf: string | null;
    requestedAt: string;
    reason: string;
    decision: 'approve' | 'reject' | null;
    decidedBy: ReportLockPerson | null;
    decidedAt: string | null;
    comment: string | null;
    newDueDate: string | null;
  }[];
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;

type Event = Parameters<typeof api>[0] & { request: Request; url: URL };

/** The screen's `reopen` and `decide` actions for a report kind. */
export function reportLockActions(
  kind: 'monthly' | 'quarterly',
  query: (url: URL) => { unitId: string; period: string },
) {
  const here = (unitId: string, period: string) =>
    `/reports/${kind}?unitId=${encodeURIComponent(unitId)}&period=${period}`;
  const path = (unitId: string, period: string) =>
    `/api/reports/${kind}/${encodeURIComponent(unitId)}/${period}/reopen`;
  const keyOf = (form: FormData) => {
    const key = field(form, 'idempotencyKey');
    return IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {};
  };
  return {
    reopen: async (event: Event) => {
      const { unitId, period } = query(event.url);
      const form = await event.request.formData();
      const reason = field(form, 'reason');
      const r = await api(event, 'POST', path(unitId, period), { reason }, keyOf(form));
      if (!r.ok) return failWith(r.problem, { reason });
      redirect(303, `${here(unitId, period)}&reopen=requested`);
    },
    decide: async (event: Event) => {
      const { unitId, period } = query(event.url);
      const form = await event.request.formData();
      const approve = field(form, 'decision') === 'approve';
      const comment = field(form, 'comment');
      const r = await api(
        event,
        'POST',
        `${path(unitId, period)}/decide`,
        { approve, ...(comment ? { comment } : {}) },
        keyOf(form),
      );
      if (!r.ok) return failWith(r.problem, { comment });
      redirect(303, `${here(unitId, period)}&reopen=${approve ? 'approved' : 'refused'}`);
    },
  };
}

/** The notice after a redirect (?reopen=…). */
export function reopenNotice(url: URL): 'requested' | 'approved' | 'refused' | null {
  const v = url.searchParams.get('reopen');
  return v === 'requested' || v === 'approved' || v === 'refused' ? v : null;
}
