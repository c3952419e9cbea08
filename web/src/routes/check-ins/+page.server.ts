// The official's monthly check-in (issue 6 point 4): all my key results due in a period on one screen, grouped
// by task; values typed the way the UI language writes numbers (the API is told the locale, so "1.234,5" is
// never ambiguous); save a draft under the revision it was edited on (content path); submit the check-in with
// an Idempotency-Key made once per rendered form (process path). Refusals are listed per key result and field.
// Evidence: the form is multipart; a file chosen for a key result is uploaded to the API (one request per file,
// attached to that key result's value) after the values are saved, and a file's remove button detaches and
// deletes it — whichever button is pressed, what was typed is saved first, so nothing typed is lost.
import { randomUUID } from 'node:crypto';
import { fail, type RequestEvent, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { evidenceMaxBytesOf } from '../../../../domain/evidence/body-limit.ts';
import { formatBytes } from '../../../../domain/evidence/policy.ts';
import type { Actions, PageServerLoad } from './$types';

export interface CheckInValueView {
  value: string | null;
  done: boolean | null;
  input: string | null;
  status: 'on-track' | 'at-risk' | 'off-track' | null;
  confidence: number | null;
  explanation: string | null;
  evidenceIds: string[];
  revision: number;
  verification: 'verified' | 'returned' | null;
  majorError: boolean | null;
  verifierComment: string | null;
}
/** An evidence file as the API lists it (type: sniffed from the content). */
export interface EvidenceView {
  id: string;
  fileName: string;
  type: string;
  size: number;
}
export interface MyItem {
  planId: string;
  taskId: string;
  taskTitle: string;
  keyResult: { id: string; title: string; unit: string; direction: { kind: string }; target: string };
  periodTarget: string | null;
  value: CheckInValueView | null;
  lastPeriod: { period: string; value: string | null; done: boolean | null } | null;
  yearToDate: string | null;
  evidence?: EvidenceView[];
}
export interface MyCheckIn {
  period: string;
  open: boolean;
  opensAt: string;
  deadline: { date: string; dueAt: string } | null;
  checkIn: { id: string; status: string; revision: number; editable: boolean } | null;
  items: MyItem[];
  unattached?: EvidenceView[];
}
/** A refusal of one entry (details.errors of CHECK_IN_INVALID / CHECK_IN_INCOMPLETE). */
export interface EntryError {
  planId: string;
  keyResultId: string;
  field: string;
  code: string;
  message: { vi: string; en: string };
}

const PERIOD = /^(20\d{2}|21\d{2}|2200)-(0[1-9]|1[0-2])$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;
const locale = (): 'vi' | 'en' => (getLocale() === 'en' ? 'en' : 'vi');

/** The month in Asia/Ho_Chi_Minh `monthsBack` months before now, as YYYY-MM. */
function vnMonth(now: Date, monthsBack: number): string {
  const vn = new Date(now.getTime() + 7 * 3600_000);
  const d = new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth() - monthsBack, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

const minePath = (period: string) => `/api/check-ins/mine?period=${encodeURIComponent(period)}`;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent('/check-ins')}`);
  const asked = event.url.searchParams.get('period') ?? '';
  let data: MyCheckIn;
  if (PERIOD.test(asked)) data = await apiGet<MyCheckIn>(event, minePath(asked));
  else {
    // The month whose check-in is open now: the previous month until its deadline, then this month.
    const now = new Date();
    const previous = await apiGet<MyCheckIn>(event, minePath(vnMonth(now, 1)));
    data =
      !previous.deadline || now.getTime() <= new Date(previous.deadline.dueAt).getTime()
        ? previous
        : await apiGet<MyCheckIn>(event, minePath(vnMonth(now, 0)));
  }
  return {
    mine: data,
    locale: locale(),
    submitKey: randomUUID(),
    saved: event.url.searchParams.get('saved') === '1',
    submitted: event.url.searchParams.get('submitted') === '1',
    attached: event.url.searchParams.get('attached') === '1',
    removed: event.url.searchParams.get('removed') === '1',
  };
};

function entryErrors(details: unknown): EntryError[] {
  const errors = (details as { errors?: EntryError[] } | undefined)?.errors;
  return Array.isArray(errors) ? errors : [];
}

async function save(event: RequestEvent) {
  let form: FormData;
  try {
    form = await event.request.formData();
  } catch (e) {
    // adapter-node refused a body above BODY_SIZE_LIMIT (a file far above the evidence limit): our message
    if ((e as { status?: number }).status === 413 || /exceed/i.test(String((e as Error)?.message)))
      return fail(413, {
        error: m.evidence_too_large({ max: formatBytes(evidenceMaxBytesOf(process.env), locale()) }),
        code: 'EVIDENCE_TOO_LARGE',
        fields: [] as string[],
        action: 'attach',
        errors: [] as EntryError[],
      });
    throw e;
  }
  const period = field(form, 'period');
  if (!PERIOD.test(period)) return failText(m.checkin_period_invalid());
  const baseRevision = Number(field(form, 'baseRevision'));
  const count = Number(field(form, 'count'));
  const values: Record<string, unknown>[] = [];
  const typed: Record<string, Record<string, string>> = {};
  for (let i = 0; i < count && i < 500; i++) {
    const planId = field(form, `planId-${i}`);
    const keyResultId = field(form, `krId-${i}`);
    if (!planId || !keyResultId) continue;
    const status = field(form, `status-${i}`);
    const confidence = field(form, `confidence-${i}`);
    const explanation = field(form, `explanation-${i}`);
    const milestone = field(form, `kind-${i}`) === 'milestone';
    const answer = milestone ? field(form, `done-${i}`) : field(form, `value-${i}`);
    // A key result left untouched is not sent: a draft may be saved before every value is known.
    if (!answer && !status && !confidence && !explanation) continue;
    const entry: Record<string, unknown> = {
      planId,
      keyResultId,
      status: status || null,
      confidence: confidence === '' ? null : Number(confidence),
      explanation: explanation || null,
    };
    if (milestone) {
      const done = field(form, `done-${i}`);
      entry.done = done === 'yes' ? true : done === 'no' ? false : null;
    } else entry.value = field(form, `value-${i}`) || null;
    values.push(entry);
    typed[`${planId}\u0000${keyResultId}`] = {
      value: field(form, `value-${i}`),
      done: field(form, `done-${i}`),
      status,
      confidence,
      explanation,
    };
  }
  // A file uploaded without a key result, attached to the one chosen for it (saved with the typed values).
  const attachFile = field(form, 'attachFile');
  if (UUID.test(attachFile)) {
    const to = Number.parseInt(field(form, `attachTo-${attachFile}`), 10);
    const planId = Number.isInteger(to) ? field(form, `planId-${to}`) : '';
    const keyResultId = Number.isInteger(to) ? field(form, `krId-${to}`) : '';
    if (!planId || !keyResultId)
      return failText(m.evidence_attach_to_missing(), { action: 'attach', errors: [], typed });
    const now = await apiGet<MyCheckIn>(event, minePath(period));
    const held =
      now.items.find((x) => x.planId === planId && x.keyResult.id === keyResultId)?.value?.evidenceIds ?? [];
    let entry = values.find((x) => x.planId === planId && x.keyResultId === keyResultId);
    if (!entry) {
      entry = { planId, keyResultId };
      values.push(entry);
    }
    entry.evidenceIds = [...held.filter((id) => id !== attachFile), attachFile];
  }
  const r = await api(event, 'PUT', `/api/check-ins/mine/${encodeURIComponent(period)}/values`, {
    baseRevision: Number.isInteger(baseRevision) ? baseRevision : 0,
    locale: locale(),
    values,
  });
  if (!r.ok) return failWith(r.problem, { action: 'save', errors: entryErrors(r.problem.details), typed });

  // The files chosen, one upload each, attached to their key result's value.
  let attached = false;
  for (let i = 0; i < count && i < 500; i++) {
    const file = form.get(`file-${i}`);
    if (!(file instanceof File) || file.size === 0 || file.name === '') continue;
    const planId = field(form, `planId-${i}`);
    const keyResultId = field(form, `krId-${i}`);
    const up = await uploadEvidence(event, period, file, `${planId}/${keyResultId}`);
    if (!up.ok) return failWith(up.problem, { action: 'attach', errors: [], fileOf: i });
    attached = true;
  }
  const remove = field(form, 'remove');
  if (UUID.test(remove)) {
    const del = await api(
      event,
      'DELETE',
      `/api/check-ins/mine/${encodeURIComponent(period)}/evidence/${encodeURIComponent(remove)}`,
    );
    if (!del.ok) return failWith(del.problem, { action: 'remove', errors: [] });
    redirect(303, `/check-ins?period=${period}&removed=1`);
  }
  redirect(
    303,
    `/check-ins?period=${period}&saved=1${attached || UUID.test(attachFile) ? '&attached=1' : ''}`,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sends one file to the API as multipart/form-data (field `file`, and the key result to attach it to). */
async function uploadEvidence(event: RequestEvent, period: string, file: File, keyResult: string) {
  const body = new FormData();
  body.append('file', file, file.name);
  body.append('keyResult', keyResult);
  const req = new Request('http://localhost/', { method: 'POST', body });
  const blob = await req.blob();
  return api(event, 'POST', `/api/check-ins/mine/${encodeURIComponent(period)}/evidence`, blob, {
    contentType: req.headers.get('content-type') ?? 'multipart/form-data',
  });
}

async function submit(event: RequestEvent) {
  const form = await event.request.formData();
  const period = field(form, 'period');
  if (!PERIOD.test(period)) return failText(m.checkin_period_invalid());
  const key = field(form, 'idempotencyKey');
  const r = await api(event, 'POST', `/api/check-ins/mine/${encodeURIComponent(period)}/submit`, undefined, {
    headers: IDEMPOTENCY_KEY.test(key) ? { 'idempotency-key': key } : {},
  });
  if (!r.ok) return failWith(r.problem, { action: 'submit', errors: entryErrors(r.problem.details) });
  redirect(303, `/check-ins?period=${period}&submitted=1`);
}

export const actions: Actions = { save, submit };
