// The monthly unit report (DESIGN §3 "The unit's monthly result is a report to print, sign and stamp"; issue 6
// point 6), a unit-level document (DESIGN §1: the unit's leadership reads its own; the province reads every
// unit's). Reading: its status (draft or sent, who sent it and when, the files' sha256) and its files — the PDF
// (Nghị định 30/2020 layout) and the Excel twin — as the live draft built from the verified values now, or the
// frozen copy once sent. Sending is the process path: the unit head's Update `sendMonthlyReport` of the
// report's workflow (workflows/monthly-unit-report.ts), which freezes the files; a repeated Idempotency-Key is
// applied once.
import { createRoute } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { monthlyUnitReportInputFor } from '../../../activities/monthly-unit-report.ts';
import {
  renderMonthlyUnitReportPdf,
  renderMonthlyUnitReportXlsx,
} from '../../../activities/reports/index.ts';
import {
  buildMonthlyUnitReport,
  reportUnitOf,
  sentReportFile,
  sentReportOf,
} from '../../../db/queries/monthly-reports.ts';
import { todayVn } from '../../../db/queries/org-tree.ts';
import type { MonthlyUnitReport } from '../../../domain/report/monthly-unit-report.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import {
  monthlyUnitReportWorkflowId,
  REPORT_REFUSAL,
  type SendMonthlyReportResult,
  sendMonthlyReport,
} from '../../../workflows/monthly-unit-report.messages.ts';
import { reportDates } from '../../../workflows/monthly-unit-report.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';
import {
  ReportLockOut,
  refuseSendIfLocked,
  reportLocked,
  reportLockOut,
  reportReopenRoutes,
} from './reopen.ts';
import { reportSender } from './sender.ts';

const tags = ['reports'];
const PERIOD = /^(20\d{2}|21\d{2}|2200)-(0[1-9]|1[0-2])$/;
const FILE = /^((?:20\d{2}|21\d{2}|2200)-(?:0[1-9]|1[0-2]))\.(pdf|xlsx)$/;
export const PDF_TYPE = 'application/pdf';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const PeriodText = z.string().regex(PERIOD, { message: 'PERIOD_INVALID' }).openapi({ example: '2026-04' });

// ---- problems

export const reportUnitNotFound = () =>
  rule(
    404,
    'REPORT_UNIT_NOT_FOUND',
    'Báo cáo tháng chỉ có cho đơn vị trực thuộc tỉnh.',
    'Monthly reports exist only for units directly under the province.',
  );
export const reportWindowOpen = (closesOn: string) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_WINDOW_NOT_CLOSED',
    vi: `Chưa hết thời hạn xác nhận kết quả của tháng (đến hết ngày ${closesOn}); chưa thể gửi báo cáo.`,
    en: `The month's verification window is still open (until the end of ${closesOn}); the report cannot be sent yet.`,
    details: { windowClosesOn: closesOn },
  });
export const reportAlreadySent = (sentAt: string) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_ALREADY_SENT',
    vi: 'Báo cáo tháng của đơn vị đã được gửi; bản đã gửi không thay đổi được.',
    en: "The unit's monthly report has already been sent; the sent copy cannot change.",
    details: { sentAt },
  });
export const reportNotUnitHead = () =>
  new ApiProblem({
    status: 403,
    code: 'REPORT_NOT_UNIT_HEAD',
    vi: 'Chỉ thủ trưởng đơn vị ký và gửi báo cáo tháng.',
    en: "Only the unit's head signs and sends the monthly report.",
  });
const calendarMissing = () =>
  rule(
    422,
    'CALENDAR_PROFILE_MISSING',
    'Tỉnh chưa có hồ sơ lịch làm việc.',
    'The province has no calendar profile yet.',
  );

// ---- schemas

const SummaryOut = z.object({
  keyResults: z.number().int(),
  onTrack: z.number().int(),
  atRisk: z.number().int(),
  offTrack: z.number().int(),
  unverified: z.number().int(),
});
const ReportStatus = z
  .object({
    unitId: z.string(),
    unitName: z.string(),
    period: z.string(),
    status: z.enum(['draft', 'sent']),
    windowClosesOn: z.string().nullable().openapi({ description: 'The last day of the verification window' }),
    dueDate: z.string().nullable(),
    canSend: z.boolean().openapi({ description: 'The caller may send the report now' }),
    lock: ReportLockOut,
    summary: SummaryOut,
    sent: z
      .object({
        by: z.string(),
        byName: z.string(),
        onBehalfOf: z.string().nullable(),
        at: z.string(),
        date: z.string(),
        number: z.string().nullable(),
        pdfSha256: z.string(),
        xlsxSha256: z.string(),
      })
      .nullable(),
    files: z.object({ pdf: z.string(), xlsx: z.string() }),
  })
  .openapi('MonthlyReportStatus');
const SendIn = z
  .object({
    number: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .regex(/^[0-9A-Za-z./-]+$/, { message: 'REPORT_NUMBER_INVALID' })
      .optional()
      .openapi({ description: 'The document number (số); absent leaves the blank for the clerk' }),
    onBehalfOf: uuid.optional().openapi({
      description:
        "The unit head the caller acts for as their delegate (an approved delegation in force today); absent: the caller's own send, or — for a delegate of the unit's head — on their behalf",
    }),
  })
  .strict()
  .openapi('MonthlyReportSend');
const SendOut = z
  .object({
    unitId: z.string(),
    period: z.string(),
    status: z.literal('sent'),
    date: z.string(),
    pdfSha256: z.string(),
    xlsxSha256: z.string(),
  })
  .openapi('MonthlyReportSent');

// ---- helpers

/** "attachment; filename=\"Bao cao thang 04-2026 - So Noi vu.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o…" (RFC 6266 +
 *  RFC 5987: an ASCII fallback and the UTF-8 name). */
export function attachmentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^A-Za-z0-9._ -]/g, '_')
      .trim() || 'report';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const reportFileName = (unitName: string, period: string, ext: 'pdf' | 'xlsx') =>
  `Báo cáo tháng ${period.slice(5, 7)}-${period.slice(0, 4)} - ${unitName.replace(/[\\/:*?"<>|]/g, ' ')}.${ext}`;

const iso = (d: Date | string) => new Date(d).toISOString();
const fileUrl = (unitId: string, period: string, ext: string) =>
  `/api/reports/monthly/${encodeURIComponent(unitId)}/${period}.${ext}`;

export function monthlyReportRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const { sendActing, delegatedSender } = reportSender(db, now, 'report.monthly.send');
  const app = contentApp();

  /** The report's unit as a unit-level resource (the tiered rule); 404 for a unit not directly under a province. */
  async function resourceOf(unitId: string): Promise<Resource> {
    const path = (await loadPath(db, unitId)).map((n) => n.id);
    return { path, tier: path.length === 2 ? 'unit' : path.length === 1 ? 'province' : 'internal' };
  }

  async function windowOf(unitId: string, period: string) {
    const input = await monthlyUnitReportInputFor(db, { unitId, period, day: todayVn(now()) });
    if (!input) return undefined;
    try {
      return { input, dates: reportDates(input) };
    } catch {
      return undefined;
    }
  }

  /** Whether the caller may send now: as the unit head, or as the active delegate of the unit head. */
  async function maySendAs(
    c: Parameters<typeof check>[0],
    resource: Resource,
    actingFor: string | undefined,
    head: string | undefined,
  ): Promise<boolean> {
    const me = actorId(c);
    if (!actingFor && (await allowed(c, db, 'report.monthly.send', resource)))
      return head === undefined || head === me;
    const principal = actingFor ?? (await delegatedSender(me, resource));
    return principal !== undefined && (head === undefined || head === principal);
  }

  /** Reading the report: its readers (report.monthly.read), and the unit head's active delegate, who sends it. */
  async function checkRead(c: Parameters<typeof check>[0], resource: Resource): Promise<string | undefined> {
    if (await allowed(c, db, 'report.monthly.read', resource)) {
      markChecked(c);
      return undefined;
    }
    const principal = await delegatedSender(actorId(c), resource);
    if (!principal) await check(c, db, resource);
    markChecked(c);
    return principal;
  }

  const routed = app
    .openapi(
      createRoute({
        method: 'get',
        path: '/reports/monthly',
        tags,
        summary:
          "A unit's monthly report: draft (built from the verified values now) or sent (who, when, the files' sha256), its summary counts and the links of its files",
        middleware: [requires('report.monthly.read')],
        request: { query: z.object({ unitId: uuid, period: PeriodText }) },
        responses: { 200: jsonOk(ReportStatus), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const actingFor = await checkRead(c, await resourceOf(q.unitId));
        const unit = await reportUnitOf(db, q.unitId);
        if (!unit) throw reportUnitNotFound();
        const sent = await sentReportOf(db, q.unitId, q.period);
        const w = await windowOf(q.unitId, q.period);
        let summary: MonthlyUnitReport['summary'];
        let sender: string | undefined;
        if (sent) {
          const m = await db
            .selectFrom('monthly_unit_report as r')
            .innerJoin('person as p', 'p.id', 'r.sent_by')
            .select(['r.model', 'p.full_name'])
            .where('r.unit_id', '=', q.unitId)
            .where('r.period', '=', q.period)
            .executeTakeFirstOrThrow();
          summary = (m.model as unknown as MonthlyUnitReport).summary;
          sender = m.full_name;
        } else {
          const built = await buildMonthlyUnitReport(db, { ...q, date: todayVn(now()) });
          if (!built) throw reportUnitNotFound();
          summary = built.report.summary;
        }
        const closed = w !== undefined && now().getTime() >= w.dates.opensAt;
        const resource = await resourceOf(q.unitId);
        const mayAsHead = () => maySendAs(c, resource, actingFor, w?.input.parties.unitHead.personId);
        const lock = await reportLockOut(
          c,
          db,
          'monthly',
          { unitId: q.unitId, period: q.period, resource, sent: !!sent },
          mayAsHead,
        );
        const maySend =
          !sent &&
          closed &&
          lock.state !== 'locked' &&
          lock.state !== 'reopen-requested' &&
          (await mayAsHead());
        return c.json(
          {
            unitId: q.unitId,
            unitName: unit.name,
            period: q.period,
            status: sent ? ('sent' as const) : ('draft' as const),
            windowClosesOn: w?.dates.windowClosesOn ?? null,
            dueDate: w?.dates.dueDate ?? null,
            canSend: maySend,
            lock,
            summary: {
              keyResults: summary.keyResults,
              onTrack: summary.onTrack,
              atRisk: summary.atRisk,
              offTrack: summary.offTrack,
              unverified: summary.unverified,
            },
            sent: sent
              ? {
                  by: sent.sent_by,
                  byName: sender ?? '',
                  onBehalfOf: sent.on_behalf_of,
                  at: iso(sent.sent_at),
                  date: sent.report_date,
                  number: sent.number,
                  pdfSha256: sent.pdf_sha256,
                  xlsxSha256: sent.xlsx_sha256,
                }
              : null,
            files: { pdf: fileUrl(q.unitId, q.period, 'pdf'), xlsx: fileUrl(q.unitId, q.period, 'xlsx') },
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/reports/monthly/{unitId}/{file}',
        tags,
        summary:
          "A unit's monthly report as a file: {period}.pdf (to print, sign and stamp; Nghị định 30/2020 layout, fonts embedded) or {period}.xlsx (its Excel twin) — the live draft from the verified values, or the frozen copy once sent; always an attachment",
        middleware: [requires('report.monthly.read')],
        request: {
          params: z.object({
            unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
            file: z
              .string()
              .regex(FILE, { message: 'REPORT_FILE_INVALID' })
              .openapi({ param: { name: 'file', in: 'path' }, example: '2026-04.pdf' }),
          }),
        },
        responses: {
          200: {
            description: 'The report file (X-Report-Status: draft or sent; ETag: its sha256 when sent)',
            content: {
              [PDF_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
              [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
            },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { unitId, file } = c.req.valid('param');
        const [, period, ext] = FILE.exec(file) as unknown as [string, string, 'pdf' | 'xlsx'];
        await checkRead(c, await resourceOf(unitId));
        const unit = await reportUnitOf(db, unitId);
        if (!unit) throw reportUnitNotFound();
        const frozen = await sentReportFile(db, unitId, period, ext);
        let bytes: Buffer;
        if (frozen) bytes = frozen.bytes;
        else {
          const built = await buildMonthlyUnitReport(db, { unitId, period, date: todayVn(now()) });
          if (!built) throw reportUnitNotFound();
          bytes =
            ext === 'pdf'
              ? await renderMonthlyUnitReportPdf(built.report)
              : await renderMonthlyUnitReportXlsx(built.report);
        }
        return c.body(new Uint8Array(bytes), 200, {
          'Content-Type': ext === 'pdf' ? PDF_TYPE : XLSX_TYPE,
          'Content-Length': String(bytes.byteLength),
          'Content-Disposition': attachmentDisposition(reportFileName(unit.name, period, ext)),
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'private, no-store',
          'X-Report-Status': frozen ? 'sent' : 'draft',
          ...(frozen ? { ETag: `"${frozen.sha256}"` } : {}),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/reports/monthly/{unitId}/{period}/send',
        tags,
        summary:
          "The unit head signs and sends the unit's monthly report: freezes the PDF and the Excel file from the verified values now and notifies the province's secretariat. 409 REPORT_WINDOW_NOT_CLOSED before the month's verification window has closed, 409 REPORT_ALREADY_SENT, 403 for anyone but the unit head or their active delegate (onBehalfOf; outside the delegation window 403); a repeated Idempotency-Key is applied once",
        middleware: [requires('report.monthly.send')],
        request: {
          params: z.object({
            unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
            period: PeriodText.openapi({ param: { name: 'period', in: 'path' } }),
          }),
          headers: idempotencyHeader,
          body: jsonBody(SendIn),
        },
        responses: { 200: jsonOk(SendOut), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { unitId, period } = c.req.valid('param');
        const body = c.req.valid('json');
        const acting = await sendActing(c, me, await resourceOf(unitId), body.onBehalfOf);
        const unit = await reportUnitOf(db, unitId);
        if (!unit) throw reportUnitNotFound();
        const sent = await sentReportOf(db, unitId, period);
        if (sent) throw reportAlreadySent(iso(sent.sent_at));
        const w = await windowOf(unitId, period);
        if (!w) throw calendarMissing();
        if (now().getTime() < w.dates.opensAt) throw reportWindowOpen(w.dates.windowClosesOn);
        const head = w.input.parties.unitHead.personId;
        if (head !== undefined && head !== (acting.onBehalfOf ?? me)) throw reportNotUnitHead();
        await refuseSendIfLocked(db, 'monthly', unitId, period);
        const wid = monthlyUnitReportWorkflowId(period, unitId);
        const updateId = `send:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${me}`)}`;
        const outcome: { ok: SendMonthlyReportResult } | { refused: string } = await withTemporal(
          deps.temporal,
          async (client) => {
            try {
              await client.workflow.start('monthlyUnitReportWorkflow', {
                taskQueue: deps.plans?.taskQueue ?? TASK_QUEUE,
                workflowId: wid,
                args: [w.input],
                workflowIdConflictPolicy: 'USE_EXISTING',
                workflowIdReusePolicy: 'REJECT_DUPLICATE',
              });
            } catch (e) {
              if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
            }
            try {
              const r = await client.workflow.getHandle(wid).executeUpdate(sendMonthlyReport, {
                args: [{ ...acting, ...(body.number ? { number: body.number } : {}) }],
                updateId,
              });
              return { ok: r };
            } catch (e) {
              if (e instanceof WorkflowUpdateFailedError)
                return { refused: String((e.cause as Error | undefined)?.message ?? e.message) };
              throw e;
            }
          },
          deps.plans?.updateDeadlineMs,
        );
        if ('refused' in outcome) {
          const m = outcome.refused;
          if (m.startsWith(REPORT_REFUSAL.alreadySent)) {
            const again = await sentReportOf(db, unitId, period);
            throw reportAlreadySent(again ? iso(again.sent_at) : '');
          }
          if (m.startsWith(REPORT_REFUSAL.windowOpen)) throw reportWindowOpen(w.dates.windowClosesOn);
          if (m.startsWith(REPORT_REFUSAL.notUnitHead)) throw reportNotUnitHead();
          if (m.startsWith(REPORT_REFUSAL.locked)) throw reportLocked('monthly', null);
          throw rule(422, 'UPDATE_REJECTED', m, m);
        }
        return c.json(
          {
            unitId,
            period,
            status: 'sent' as const,
            date: outcome.ok.date,
            pdfSha256: outcome.ok.pdfSha256,
            xlsxSha256: outcome.ok.xlsxSha256,
          },
          200,
        );
      },
    );
  return routed.route(
    '/',
    reportReopenRoutes(deps, {
      kind: 'monthly',
      period: PeriodText,
      workflowId: monthlyUnitReportWorkflowId,
      inputFor: async (unitId, period) => (await windowOf(unitId, period))?.input,
      sentAt: async (unitId, period) => (await sentReportOf(db, unitId, period))?.sent_at,
      alreadySent: reportAlreadySent,
      notUnitHead: reportNotUnitHead,
      unitNotFound: reportUnitNotFound,
    }),
  );
}
