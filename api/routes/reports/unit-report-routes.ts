// The routes the monthly and the quarterly unit report share (monthly.ts, quarterly.ts say what is their own),
// parameterised by the report kind: GET /reports/{kind} (the status: draft built from the verified values now,
// or sent — who, when, the files' sha256 — its summary counts, its lock and the links of its files), GET
// /reports/{kind}/{unitId}/{period}.pdf|.xlsx (the live draft or the frozen copy, always an attachment) and POST
// /reports/{kind}/{unitId}/{period}/send — the process path: the unit head's (or their delegate's) Update of the
// report's workflow, which freezes the files; a repeated Idempotency-Key is applied once — plus the period
// lock's reopen routes (reopen.ts). A report is a unit-level document (DESIGN §1: the unit's leadership reads its
// own; the province reads every unit's).
import { createRoute } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  renderMonthlyUnitReportPdf,
  renderMonthlyUnitReportXlsx,
} from '../../../activities/reports/index.ts';
import { UNIT_REPORT_KINDS, unitReportInputFor } from '../../../activities/unit-report.ts';
import { buildMonthlyUnitReport, reportUnitOf } from '../../../db/queries/monthly-reports.ts';
import { todayVn } from '../../../db/queries/org-tree.ts';
import {
  sentUnitReportFile,
  sentUnitReportModel,
  sentUnitReportOf,
} from '../../../db/queries/sent-unit-reports.ts';
import type { UnitReportKind } from '../../../db/schema-unit-report-lock.ts';
import type { MonthlyUnitReport, ReportNarrative } from '../../../domain/report/monthly-unit-report.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import {
  type MonthlyUnitReportInput,
  REPORT_REFUSAL,
  type SendMonthlyReportResult,
  type sendMonthlyReport,
} from '../../../workflows/monthly-unit-report.messages.ts';
import { delegableAction } from '../../authz/acting.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import type { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';
import { attachmentDisposition, PDF_TYPE, XLSX_TYPE } from './attachment.ts';
import {
  ReportLockOut,
  refuseSendIfLocked,
  reportLocked,
  reportLockOut,
  reportReopenRoutes,
  reportResourceOf,
} from './reopen.ts';
import {
  calendarMissing,
  reportAlreadySent,
  reportNotUnitHead,
  reportUnitNotFound,
  WORD,
} from './unit-report-problems.ts';

const tags = ['reports'];
type RouteContext = Parameters<typeof check>[0];

/** The dates of a report's send window (workflows: reportDates, quarterlyReportDates). */
export interface SendWindow {
  opensAt: number;
  opensOn: string;
  dueDate: string;
}

/** What the status route of a kind adds to the shared fields. */
export interface StatusExtrasContext<D extends SendWindow> {
  c: RouteContext;
  unitId: string;
  period: string;
  resource: Resource;
  sent: boolean;
  dates: D | undefined;
  narrative: unknown;
}

/** How one kind of unit report differs. */
export interface UnitReportSpec<K extends UnitReportKind, D extends SendWindow, X extends z.ZodRawShape> {
  kind: K;
  /** The period in queries and paths ('YYYY-MM' or 'YYYY-Qn'), with its example. */
  period: z.ZodString;
  /** `{period}.pdf|xlsx`, capturing the period and the extension. */
  file: RegExp;
  fileExample: string;
  /** The period as the file name says it ("04-2026", "2-2026"). */
  periodInName: (period: string) => string;
  summaries: { status: string; file: string; send: string };
  dates: (input: MonthlyUnitReportInput) => D;
  sendUpdate: typeof sendMonthlyReport;
  /** 409 REPORT_WINDOW_NOT_CLOSED before the send window opens. */
  windowOpen: (dates: D) => ApiProblem;
  /** The unit head's active delegate reads the report too and sees whether they may send it (the monthly one). */
  delegateReads: boolean;
  /** The unit's narrative, built into the report (the quarterly one). */
  narrativeOf?: (unitId: string, period: string) => Promise<ReportNarrative>;
  /** The kind's own fields of the status. */
  statusShape: X;
  statusExtras: (x: StatusExtrasContext<D>) => Promise<z.infer<z.ZodObject<X>>>;
}

const SummaryOut = z.object({
  keyResults: z.number().int(),
  onTrack: z.number().int(),
  atRisk: z.number().int(),
  offTrack: z.number().int(),
  unverified: z.number().int(),
});
const SentOut = z
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
  .nullable();

const iso = (d: Date | string) => new Date(d).toISOString();

/** The status, file and send routes of one kind of unit report, and its reopen routes. */
export function unitReportRoutes<K extends UnitReportKind, D extends SendWindow, X extends z.ZodRawShape>(
  deps: ApiDeps,
  spec: UnitReportSpec<K, D, X>,
) {
  const { db } = deps;
  const { kind } = spec;
  const flow = UNIT_REPORT_KINDS[kind];
  const title = WORD[kind].En;
  const now = () => (deps.clock ?? (() => new Date()))();
  const { acting: sendActing, delegatedPrincipal: delegatedSender } = delegableAction(
    db,
    now,
    `report.${kind}.send`,
  );
  const app = contentApp();
  const base = `/reports/${kind}` as const;
  const fileUrl = (unitId: string, period: string, ext: string) =>
    `/api${base}/${encodeURIComponent(unitId)}/${period}.${ext}`;
  const fileName = (unitName: string, period: string, ext: 'pdf' | 'xlsx') =>
    `Báo cáo ${WORD[kind].vi} ${spec.periodInName(period)} - ${unitName.replace(/[\\/:*?"<>|]/g, ' ')}.${ext}`;
  const params = z.object({
    unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
    period: spec.period.openapi({ param: { name: 'period', in: 'path' } }),
  });

  const ReportStatus = z
    .object({
      unitId: z.string(),
      unitName: z.string(),
      period: z.string(),
      status: z.enum(['draft', 'sent']),
      dueDate: z.string().nullable(),
      canSend: z.boolean().openapi({ description: 'The caller may send the report now' }),
      lock: ReportLockOut,
      summary: SummaryOut,
      sent: SentOut,
      files: z.object({ pdf: z.string(), xlsx: z.string() }),
      ...spec.statusShape,
    })
    .openapi(`${title}ReportStatus`);
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
    .openapi(`${title}ReportSend`);
  const SendOut = z
    .object({
      unitId: z.string(),
      period: z.string(),
      status: z.literal('sent'),
      date: z.string(),
      pdfSha256: z.string(),
      xlsxSha256: z.string(),
    })
    .openapi(`${title}ReportSent`);

  async function windowOf(unitId: string, period: string) {
    const input = await unitReportInputFor(db, kind, { unitId, period, day: todayVn(now()) });
    if (!input) return undefined;
    try {
      return { input, dates: spec.dates(input) };
    } catch {
      return undefined;
    }
  }

  /** The report built from the verified values now (with the unit's narrative, for a kind that has one). */
  async function built(unitId: string, period: string, narrative?: ReportNarrative) {
    const n = narrative ?? (await spec.narrativeOf?.(unitId, period));
    const b = await buildMonthlyUnitReport(db, {
      unitId,
      period,
      date: todayVn(now()),
      ...(n
        ? { narrative: { results: n.results, difficulties: n.difficulties, nextFocus: n.nextFocus } }
        : {}),
    });
    if (!b) throw reportUnitNotFound(kind);
    return b;
  }

  /** Whether the caller may send now: as the unit head, or (delegateReads) as the active delegate of the head. */
  async function maySendAs(
    c: RouteContext,
    resource: Resource,
    actingFor: string | undefined,
    head?: string,
  ) {
    const me = actorId(c);
    if (!actingFor && (await allowed(c, db, `report.${kind}.send`, resource)))
      return head === undefined || head === me;
    if (!spec.delegateReads) return false;
    const principal = actingFor ?? (await delegatedSender(me, resource));
    return principal !== undefined && (head === undefined || head === principal);
  }

  /** Reading the report: its readers (report.{kind}.read) and, with delegateReads, the head's active delegate. */
  async function checkRead(c: RouteContext, resource: Resource): Promise<string | undefined> {
    if (!spec.delegateReads) return void (await check(c, db, resource));
    if (await allowed(c, db, `report.${kind}.read`, resource)) return void markChecked(c);
    const principal = await delegatedSender(actorId(c), resource);
    if (!principal) await check(c, db, resource);
    markChecked(c);
    return principal;
  }

  const routed = app
    .openapi(
      createRoute({
        method: 'get',
        path: base,
        tags,
        summary: spec.summaries.status,
        middleware: [requires(`report.${kind}.read`)],
        request: { query: z.object({ unitId: uuid, period: spec.period }) },
        responses: { 200: jsonOk(ReportStatus), ...errorResponses },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('query');
        const resource = await reportResourceOf(db, unitId);
        const actingFor = await checkRead(c, resource);
        const unit = await reportUnitOf(db, unitId);
        if (!unit) throw reportUnitNotFound(kind);
        const sent = await sentUnitReportOf(db, kind, unitId, period);
        const narrative = await spec.narrativeOf?.(unitId, period);
        let summary: MonthlyUnitReport['summary'];
        let senderName = '';
        if (sent) {
          const frozen = await sentUnitReportModel(db, kind, unitId, period);
          summary = (frozen.model as MonthlyUnitReport).summary;
          senderName = frozen.senderName;
        } else summary = (await built(unitId, period, narrative)).report.summary;
        const w = await windowOf(unitId, period);
        const opened = w !== undefined && now().getTime() >= w.dates.opensAt;
        const mayAsHead = () => maySendAs(c, resource, actingFor, w?.input.parties.unitHead.personId);
        const lock = await reportLockOut(c, db, kind, { unitId, period, resource, sent: !!sent }, mayAsHead);
        const locked = lock.state === 'locked' || lock.state === 'reopen-requested';
        const status = {
          unitId,
          unitName: unit.name,
          period,
          status: sent ? ('sent' as const) : ('draft' as const),
          dueDate: w?.dates.dueDate ?? null,
          canSend: !sent && opened && !locked && (await mayAsHead()),
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
                byName: senderName,
                onBehalfOf: sent.on_behalf_of,
                at: iso(sent.sent_at),
                date: sent.report_date,
                number: sent.number,
                pdfSha256: sent.pdf_sha256,
                xlsxSha256: sent.xlsx_sha256,
              }
            : null,
          files: { pdf: fileUrl(unitId, period, 'pdf'), xlsx: fileUrl(unitId, period, 'xlsx') },
          ...(await spec.statusExtras({
            c,
            unitId,
            period,
            resource,
            sent: !!sent,
            dates: w?.dates,
            narrative,
          })),
        };
        return c.json(status as z.infer<typeof ReportStatus>, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: `${base}/{unitId}/{file}` as const,
        tags,
        summary: spec.summaries.file,
        middleware: [requires(`report.${kind}.read`)],
        request: {
          params: z.object({
            unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
            file: z
              .string()
              .regex(spec.file, { message: 'REPORT_FILE_INVALID' })
              .openapi({ param: { name: 'file', in: 'path' }, example: spec.fileExample }),
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
        const [, period, ext] = spec.file.exec(file) as unknown as [string, string, 'pdf' | 'xlsx'];
        await checkRead(c, await reportResourceOf(db, unitId));
        const unit = await reportUnitOf(db, unitId);
        if (!unit) throw reportUnitNotFound(kind);
        const frozen = await sentUnitReportFile(db, kind, unitId, period, ext);
        let bytes: Buffer;
        if (frozen) bytes = frozen.bytes;
        else {
          const { report } = await built(unitId, period);
          bytes =
            ext === 'pdf'
              ? await renderMonthlyUnitReportPdf(report)
              : await renderMonthlyUnitReportXlsx(report);
        }
        return c.body(new Uint8Array(bytes), 200, {
          'Content-Type': ext === 'pdf' ? PDF_TYPE : XLSX_TYPE,
          'Content-Length': String(bytes.byteLength),
          'Content-Disposition': attachmentDisposition(fileName(unit.name, period, ext)),
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
        path: `${base}/{unitId}/{period}/send` as const,
        tags,
        summary: spec.summaries.send,
        middleware: [requires(`report.${kind}.send`)],
        request: { params, headers: idempotencyHeader, body: jsonBody(SendIn) },
        responses: { 200: jsonOk(SendOut), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { unitId, period } = c.req.valid('param');
        const body = c.req.valid('json');
        const acting = await sendActing(c, me, await reportResourceOf(db, unitId), body.onBehalfOf);
        if (!(await reportUnitOf(db, unitId))) throw reportUnitNotFound(kind);
        const sent = await sentUnitReportOf(db, kind, unitId, period);
        if (sent) throw reportAlreadySent(kind, iso(sent.sent_at));
        const w = await windowOf(unitId, period);
        if (!w) throw calendarMissing();
        if (now().getTime() < w.dates.opensAt) throw spec.windowOpen(w.dates);
        const head = w.input.parties.unitHead.personId;
        if (head !== undefined && head !== (acting.onBehalfOf ?? me)) throw reportNotUnitHead(kind);
        await refuseSendIfLocked(db, kind, unitId, period);
        const wid = flow.workflowId(period, unitId);
        const updateId = `send:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${me}`)}`;
        const outcome: { ok: SendMonthlyReportResult } | { refused: string } = await withTemporal(
          deps.temporal,
          async (client) => {
            try {
              await client.workflow.start(flow.workflowType, {
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
              const r = await client.workflow.getHandle(wid).executeUpdate(spec.sendUpdate, {
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
            const again = await sentUnitReportOf(db, kind, unitId, period);
            throw reportAlreadySent(kind, again ? iso(again.sent_at) : '');
          }
          if (m.startsWith(REPORT_REFUSAL.windowOpen)) throw spec.windowOpen(w.dates);
          if (m.startsWith(REPORT_REFUSAL.notUnitHead)) throw reportNotUnitHead(kind);
          if (m.startsWith(REPORT_REFUSAL.locked)) throw reportLocked(kind, null);
          throw rule(422, 'UPDATE_REJECTED', m, m);
        }
        const { date, pdfSha256, xlsxSha256 } = outcome.ok;
        return c.json({ unitId, period, status: 'sent' as const, date, pdfSha256, xlsxSha256 }, 200);
      },
    );
  return routed.route(
    '/',
    reportReopenRoutes(deps, {
      kind,
      period: spec.period,
      inputFor: async (unitId, period) => (await windowOf(unitId, period))?.input,
    }),
  );
}
