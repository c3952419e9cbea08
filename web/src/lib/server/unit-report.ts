// What the monthly and the quarterly unit report screens (/reports/monthly, /reports/quarterly) share,
// parameterised by the report kind: the status the API answers (GET /api/reports/{kind}), the screen's query
// (the unit — the query's, else the unit the signed-in person heads — and the period, else the last one), its
// load, and the send action (the process path: POST /api/reports/{kind}/{unitId}/{period}/send with an
// Idempotency-Key made once per rendered form). The API applies the tiered rule.
import { randomUUID } from 'node:crypto';
import { error, type RequestEvent, redirect } from '@sveltejs/kit';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import { type ReportLock, reopenNotice, reportLockActions } from '#lib/server/report-lock.ts';

export type UnitReportKind = 'monthly' | 'quarterly';

/** The fields of GET /api/reports/{kind} both kinds have. */
export interface UnitReportStatus {
  unitId: string;
  unitName: string;
  period: string;
  status: 'draft' | 'sent';
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

export interface UnitReportScreen {
  kind: UnitReportKind;
  /** A period of the kind ('YYYY-MM', 'YYYY-Qn'). */
  period: RegExp;
  /** The period usually wanted: the one before the current (Asia/Ho_Chi_Minh). */
  lastPeriod: (now?: number) => string;
  /** The 400 text for a missing or malformed unit or period. */
  missing: () => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;

/** The screen's unit and period: the query's, else the unit the signed-in person heads and the last period. */
export function unitReportQuery(
  screen: UnitReportScreen,
  url: URL,
  headOf?: string,
): { unitId: string; period: string } {
  const unitId = url.searchParams.get('unitId') || headOf || '';
  const period = url.searchParams.get('period') || screen.lastPeriod();
  if (!UUID.test(unitId) || !screen.period.test(period)) error(400, screen.missing());
  return { unitId, period };
}

/** The screen's own URL for a unit and period. */
export const unitReportHref = (kind: UnitReportKind, unitId: string, period: string) =>
  `/reports/${kind}?unitId=${encodeURIComponent(unitId)}&period=${period}`;

/** The load of a report screen: the status, a fresh Idempotency-Key, the notices of a redirect. */
export async function loadUnitReport<S extends UnitReportStatus>(
  screen: UnitReportScreen,
  event: RequestEvent,
) {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const headOf = event.locals.session.grants.find((g) => g.role === 'unit_head')?.scopeUnitId;
  const { unitId, period } = unitReportQuery(screen, event.url, headOf);
  const report = await apiGet<S>(
    event,
    `/api/reports/${screen.kind}?unitId=${encodeURIComponent(unitId)}&period=${period}`,
  );
  return {
    report,
    idempotencyKey: randomUUID(),
    sentNow: event.url.searchParams.get('sent') === '1',
    reopenNotice: reopenNotice(event.url),
    locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const),
  };
}

/** The screen's form actions: the lock's reopen and decide (report-lock.ts) and send — the unit head signs and
 *  sends the report (with its number, if given). */
export function unitReportActions(screen: UnitReportScreen) {
  const lock = reportLockActions(screen.kind, (url) => unitReportQuery(screen, url));
  const send = async (event: RequestEvent) => {
    const { unitId, period } = unitReportQuery(screen, event.url);
    const form = await event.request.formData();
    const number = field(form, 'number');
    const key = field(form, 'idempotencyKey');
    const r = await api(
      event,
      'POST',
      `/api/reports/${screen.kind}/${encodeURIComponent(unitId)}/${period}/send`,
      number ? { number } : {},
      IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {},
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, `${unitReportHref(screen.kind, unitId, period)}&sent=1`);
  };
  return { reopen: lock.reopen, decide: lock.decide, send };
}
