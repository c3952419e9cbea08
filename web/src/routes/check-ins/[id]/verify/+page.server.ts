// The supervisor's verify/return screen of one submitted check-in (issue 6): each value with its target of the
// period, status, confidence and explanation; per value verify or return (a return with a required reason and
// whether it is a major error); one submit for all verdicts, with an Idempotency-Key made once per rendered
// form so a double click or a retry is applied once.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import type { EvidenceFileView } from '#lib/evidence-file.ts';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export interface SubmittedValue {
  planId: string;
  keyResultId: string;
  keyResult: { title: string; unit: string; target: string; taskTitle: string } | null;
  periodTarget: string | null;
  value: string | null;
  done: boolean | null;
  status: 'on-track' | 'at-risk' | 'off-track' | null;
  confidence: number | null;
  explanation: string | null;
  evidenceIds: string[];
  /** The files of evidenceIds with their name, sniffed type and size. */
  evidence?: EvidenceFileView[];
  verification: 'verified' | 'returned' | null;
  majorError: boolean | null;
  verifierComment: string | null;
}
export interface SubmittedCheckIn {
  id: string;
  period: string;
  status: 'DRAFT' | 'SUBMITTED' | 'VERIFIED' | 'RETURNED' | 'LOCKED';
  person: { id: string; name: string };
  unit: { id: string; name: string };
  deadline: { date: string; dueAt: string } | null;
  verifyTask: { id: string; dueDate: string } | null;
  canVerify: boolean;
  values: SubmittedValue[];
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;
const checkInPath = (id: string) => `/api/check-ins/${encodeURIComponent(id)}`;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const checkIn = await apiGet<SubmittedCheckIn>(event, checkInPath(event.params.id));
  return { checkIn, idempotencyKey: randomUUID() };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const checkIn = await apiGet<SubmittedCheckIn>(event, checkInPath(event.params.id));
    const values = [];
    for (const [i, v] of checkIn.values.entries()) {
      const verdict = field(form, `verdict-${i}`) === 'returned' ? 'returned' : 'verified';
      const comment = field(form, `comment-${i}`);
      if (verdict === 'returned' && !comment)
        return failText(m.verify_comment_required({ title: v.keyResult?.title ?? v.keyResultId }), {
          invalid: i,
        });
      values.push({
        planId: v.planId,
        keyResultId: v.keyResultId,
        verdict,
        ...(verdict === 'returned' ? { majorError: form.get(`major-${i}`) === 'on', comment } : {}),
      });
    }
    const key = field(form, 'idempotencyKey');
    const r = await api<{ phase: string }>(
      event,
      'POST',
      `${checkInPath(checkIn.id)}/verify`,
      { values },
      IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {},
    );
    if (!r.ok) return failWith(r.problem);
    return { done: r.data.phase };
  },
};
