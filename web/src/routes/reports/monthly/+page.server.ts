// The unit's monthly report screen (issue 6 point 6): its status (draft from the verified values, or sent: who,
// when, the files' sha256), its summary counts, the download links (PDF to print, sign and stamp; Excel) and, for
// the unit head once the month's verification window has closed, the send action (the process path: POST
// /api/reports/monthly/{unitId}/{period}/send with an Idempotency-Key made once per rendered form). The API
// applies the tiered rule (the unit's leadership and the province read it).
import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import { type ReportLock, reopenNotice, reportLockActions } from '#lib/server/report-lock.ts';
import type { Actions, PageServerLoad } from './$types';

export interface MonthlyReportStatus {
  unitId: string;
  unitName: string;
  period: string;
  status: 'draft' | 'sent';
  windowClosesOn: string | null;
  dueDate: string | null;
  canSend: boolean;
  /** The period lock (its state, the caller's can-request / can-decide flags, the reopen requests). */
  lock: ReportLock;
  summary: { keyResults: number; onTrack: number; atRisk: number; offTrack: number; unverified: number };
  sent: {
    by: string;
    byName: string;
    onBehalfOf: string | null;
    at: string;
    date: string;
    number: string | null;
    pdfSha256: string;
    xlsxSha256: string;
  } | null;
  files: { pdf: string; xlsx: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;

/** The month before this one in Asia/Ho_Chi_Minh (the report usually wanted). */
function lastMonth(now = Date.now()): string {
  const d = new Date(now + 7 * 3600_000);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth(); // 0-based: the previous month's number
  return mo === 0 ? `${y - 1}-12` : `${y}-${String(mo).padStart(2, '0')}`;
}

/** The unit of the report: the query's, else the unit the signed-in person heads (the nav's link). */
function query(url: URL, headOf?: string): { unitId: string; period: string } {
  const unitId = url.searchParams.get('unitId') || headOf || '';
  const period = url.searchParams.get('period') || lastMonth();
  if (!UUID.test(unitId) || !PERIOD.test(period)) error(400, m.report_missing());
  return { unitId, period };
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const headOf = event.locals.session.grants.find((g) => g.role === 'unit_head')?.scopeUnitId;
  const { unitId, period } = query(event.url, headOf);
  const report = await apiGet<MonthlyReportStatus>(
    event,
    `/api/reports/monthly?unitId=${encodeURIComponent(unitId)}&period=${period}`,
  );
  return {
    report,
    idempotencyKey: randomUUID(),
    sentNow: event.url.searchParams.get('sent') === '1',
    reopenNotice: reopenNotice(event.url),
    locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const),
  };
};

const lockActions = reportLockActions('monthly', (url) => query(url));

export const actions: Actions = {
  reopen: lockActions.reopen,
  decide: lockActions.decide,
  send: async (event) => {
    const { unitId, period } = query(event.url);
    const form = await event.request.formData();
    const number = field(form, 'number');
    const key = field(form, 'idempotencyKey');
    const r = await api(
      event,
      'POST',
      `/api/reports/monthly/${encodeURIComponent(unitId)}/${period}/send`,
      number ? { number } : {},
      IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {},
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, `/reports/monthly?unitId=${encodeURIComponent(unitId)}&period=${period}&sent=1`);
  },
};
