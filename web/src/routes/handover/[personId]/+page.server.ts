// Handing a person's key results over (DESIGN §1 transfers and leavers): the head or administrator of the unit
// whose plans hold them picks, for each key result, who reports it from a month on, with one reason for the
// handover; the person's open tasks are listed for follow-up. The administrator's transfer and leave forms lead
// here. Content path: screen → API → PostgreSQL.
import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export interface HeldKeyResult {
  planId: string;
  planYear: number;
  planOwnerKind: 'unit' | 'person';
  taskTitle: string;
  keyResultId: string;
  title: string;
  candidates: { id: string; fullName: string }[];
}
export interface Handover {
  personId: string;
  fullName: string;
  period: string;
  keyResults: HeldKeyResult[];
  openTasks: {
    id: string;
    kind: string;
    dueDate: string;
    link: string;
    checkInId: string | null;
    reassignTo: { id: string; fullName: string }[];
  }[];
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const KEY = /^[A-Za-z0-9-]{8,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The month after `period` ('YYYY-MM'). */
function nextPeriod(period: string): string {
  const [y, mo] = period.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

/** The period the screen showed, kept across a form's redirect ('' or 'period=YYYY-MM&'). */
const periodQuery = (url: URL) => {
  const p = url.searchParams.get('period') ?? '';
  return PERIOD.test(p) ? `period=${p}&` : '';
};

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const personId = event.params.personId;
  if (!UUID.test(personId)) redirect(303, '/admin/people');
  const asked = event.url.searchParams.get('period') ?? '';
  const q = PERIOD.test(asked) ? `?period=${asked}` : '';
  const h = await apiGet<Handover>(event, `/api/handover/${personId}${q}`);
  const year = Number(h.period.slice(0, 4));
  const next = nextPeriod(h.period);
  return {
    handover: h,
    // a handover usually starts with the next month: this month is reported by whoever worked it
    defaultPeriod: next.slice(0, 4) === h.period.slice(0, 4) ? next : h.period,
    // late in the year the next year's plans are handed over too (in force from January)
    nextYear: { year: String(year + 1), href: `/handover/${personId}?period=${year + 1}-01` },
    done: event.url.searchParams.get('done'),
    moved: event.url.searchParams.get('moved') === '1',
    key: randomUUID(),
  };
};

export const actions: Actions = {
  handover: async (event) => {
    const form = await event.request.formData();
    const personId = event.params.personId;
    const effectivePeriod = field(form, 'effectivePeriod');
    const reason = field(form, 'reason');
    const assignments = form
      .getAll('kr')
      .filter((k): k is string => typeof k === 'string')
      .map((key) => {
        const [planId, keyResultId] = JSON.parse(key) as [string, string];
        return { planId, keyResultId, toPersonId: field(form, `to:${key}`) };
      })
      .filter((a) => a.toPersonId !== '');
    const values = {
      effectivePeriod,
      reason,
      to: Object.fromEntries(
        assignments.map((a) => [JSON.stringify([a.planId, a.keyResultId]), a.toPersonId]),
      ),
    };
    if (!PERIOD.test(effectivePeriod) || !reason) return failText(m.handover_required(), { values });
    if (!assignments.length) return failText(m.handover_none_chosen(), { values });
    const r = await api(event, 'POST', `/api/handover/${personId}`, { effectivePeriod, reason, assignments });
    if (!r.ok) return failWith(r.problem, { values });
    redirect(303, `/handover/${personId}?${periodQuery(event.url)}done=${assignments.length}`);
  },
  /** An open verification of theirs goes to another supervisor or the unit head (the check-in workflow's
   *  reassignCheckInVerifier Update, through the API). */
  verifier: async (event) => {
    const form = await event.request.formData();
    const personId = event.params.personId;
    const checkInId = field(form, 'checkInId');
    const toPersonId = field(form, 'toPersonId');
    const reason = field(form, 'reason');
    const key = field(form, 'idempotencyKey');
    if (!UUID.test(checkInId) || !UUID.test(toPersonId) || !reason)
      return failText(m.handover_verifier_required(), { taskForm: checkInId });
    const r = await api(
      event,
      'POST',
      `/api/check-ins/${checkInId}/verifier`,
      { toPersonId, reason },
      KEY.test(key) ? { headers: { 'idempotency-key': key } } : {},
    );
    if (!r.ok) return failWith(r.problem, { taskForm: checkInId });
    redirect(303, `/handover/${personId}?${periodQuery(event.url)}moved=1`);
  },
};
