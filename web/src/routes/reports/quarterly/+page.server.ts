// The unit's quarterly report screen (issue 7 point 1): its status (draft from the verified values and the
// unit's narrative, or sent: who, when, the files' sha256), its summary counts, the narrative editor (three text
// areas saved on the revision they were read on — content path: PUT /api/reports/quarterly/{unitId}/{period}/
// narrative; a conflict keeps the typed text and says so), the download links and, for the unit head once the
// quarter is over, the send action (process path: POST …/send with an Idempotency-Key made once per rendered
// form). The API applies the tiered rule.
import { randomUUID } from 'node:crypto';
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import { type ReportLock, reopenNotice, reportLockActions } from '#lib/server/report-lock.ts';
import type { Actions, PageServerLoad } from './$types';

export interface QuarterlyNarrative {
  results: string;
  difficulties: string;
  nextFocus: string;
  revision: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface QuarterlyReportStatus {
  unitId: string;
  unitName: string;
  period: string;
  status: 'draft' | 'sent';
  opensOn: string | null;
  dueDate: string | null;
  canWrite: boolean;
  canSend: boolean;
  /** The period lock (its state, the caller's can-request / can-decide flags, the reopen requests). */
  lock: ReportLock;
  summary: { keyResults: number; onTrack: number; atRisk: number; offTrack: number; unverified: number };
  narrative: QuarterlyNarrative;
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
const PERIOD = /^\d{4}-Q[1-4]$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,100}$/;

/** The quarter before this one in Asia/Ho_Chi_Minh (the report usually wanted). */
function lastQuarter(now = Date.now()): string {
  const d = new Date(now + 7 * 3600_000);
  const y = d.getUTCFullYear();
  const q = Math.floor(d.getUTCMonth() / 3); // 0: the current quarter is Q1, the last one Q4 of last year
  return q === 0 ? `${y - 1}-Q4` : `${y}-Q${q}`;
}

/** The unit of the report: the query's, else the unit the signed-in person heads. */
function query(url: URL, headOf?: string): { unitId: string; period: string } {
  const unitId = url.searchParams.get('unitId') || headOf || '';
  const period = url.searchParams.get('period') || lastQuarter();
  if (!UUID.test(unitId) || !PERIOD.test(period)) error(400, m.qreport_missing());
  return { unitId, period };
}

const here = (unitId: string, period: string) =>
  `/reports/quarterly?unitId=${encodeURIComponent(unitId)}&period=${period}`;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const headOf = event.locals.session.grants.find((g) => g.role === 'unit_head')?.scopeUnitId;
  const { unitId, period } = query(event.url, headOf);
  const report = await apiGet<QuarterlyReportStatus>(
    event,
    `/api/reports/quarterly?unitId=${encodeURIComponent(unitId)}&period=${period}`,
  );
  const saved = Number(event.url.searchParams.get('saved'));
  return {
    report,
    idempotencyKey: randomUUID(),
    sentNow: event.url.searchParams.get('sent') === '1',
    reopenNotice: reopenNotice(event.url),
    savedRevision: Number.isInteger(saved) && saved > 0 ? saved : null,
    locale: getLocale() === 'en' ? ('en' as const) : ('vi' as const),
  };
};

const lockActions = reportLockActions('quarterly', (url) => query(url));

export const actions: Actions = {
  reopen: lockActions.reopen,
  decide: lockActions.decide,
  narrative: async (event) => {
    const { unitId, period } = query(event.url);
    const form = await event.request.formData();
    const typed = {
      results: field(form, 'results'),
      difficulties: field(form, 'difficulties'),
      nextFocus: field(form, 'nextFocus'),
    };
    const baseRevision = Number(field(form, 'baseRevision'));
    const r = await api<QuarterlyNarrative>(
      event,
      'PUT',
      `/api/reports/quarterly/${encodeURIComponent(unitId)}/${period}/narrative`,
      { ...typed, baseRevision: Number.isInteger(baseRevision) && baseRevision >= 0 ? baseRevision : 0 },
    );
    if (!r.ok)
      return failWith(r.problem, {
        typed,
        conflict: r.problem.code === 'REPORT_NARRATIVE_CONFLICT',
      });
    redirect(303, `${here(unitId, period)}&saved=${r.data.revision}`);
  },
  send: async (event) => {
    const { unitId, period } = query(event.url);
    const form = await event.request.formData();
    const number = field(form, 'number');
    const key = field(form, 'idempotencyKey');
    const r = await api(
      event,
      'POST',
      `/api/reports/quarterly/${encodeURIComponent(unitId)}/${period}/send`,
      number ? { number } : {},
      IDEMPOTENCY_KEY.test(key) ? { headers: { 'idempotency-key': key } } : {},
    );
    if (!r.ok) return failWith(r.problem);
    redirect(303, `${here(unitId, period)}&sent=1`);
  },
};
