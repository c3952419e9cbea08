// The quarterly unit report (issue 7 point 1: "each unit's report is generated from its verified values with a
// narrative the unit writes"), a unit-level document (DESIGN §1: the unit's leadership reads its own; the
// province reads every unit's). Reading: its status and summary and its files — the PDF (Nghị định 30/2020
// layout, as the monthly one: db/queries/monthly-reports.ts builds it with a 'YYYY-Qn' period) and the Excel
// twin — as the live draft from the verified values now with the unit's narrative. Writing the narrative is the
// content path: PUT …/narrative with the revision it was edited on (409 REPORT_NARRATIVE_CONFLICT when another
// save came in between), audited.
import { createRoute } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { quarterlyUnitReportInputFor } from '../../../activities/quarterly-unit-report.ts';
import {
  renderMonthlyUnitReportPdf,
  renderMonthlyUnitReportXlsx,
} from '../../../activities/reports/index.ts';
import { buildMonthlyUnitReport, reportUnitOf } from '../../../db/queries/monthly-reports.ts';
import { todayVn } from '../../../db/queries/org-tree.ts';
import {
  NARRATIVE_MAX_CHARS,
  narrativeOf,
  QUARTER_PERIOD,
  type StoredNarrative,
  saveNarrative,
  sentQuarterlyReportFile,
  sentQuarterlyReportOf,
} from '../../../db/queries/quarterly-reports.ts';
import type { MonthlyUnitReport } from '../../../domain/report/monthly-unit-report.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import { REPORT_REFUSAL } from '../../../workflows/monthly-unit-report.messages.ts';
import {
  quarterlyReportDates,
  quarterlyUnitReportWorkflowId,
  type SendQuarterlyReportResult,
  sendQuarterlyReport,
} from '../../../workflows/quarterly-unit-report.ts';
import { allowed, check, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';
import { attachmentDisposition, PDF_TYPE, XLSX_TYPE } from './monthly.ts';
import { NextQuarterPlanOut, nextQuarterPlanOf } from './quarter-plan-status.ts';
import {
  ReportLockOut,
  refuseSendIfLocked,
  reportLocked,
  reportLockOut,
  reportReopenRoutes,
} from './reopen.ts';
import { reportSender } from './sender.ts';

const tags = ['reports'];
const FILE = /^((?:20\d{2}|21\d{2}|2200)-Q[1-4])\.(pdf|xlsx)$/;

const PeriodText = z
  .string()
  .regex(QUARTER_PERIOD, { message: 'PERIOD_INVALID' })
  .openapi({ example: '2026-Q2', description: 'The quarter, YYYY-Qn' });

/** Control and format characters other than the line break (a narrative keeps its paragraphs). */
const HIDDEN_BUT_NEWLINE = /(?![\n])[\p{Cc}\p{Cf}]/u;
const NarrativeText = z
  .string()
  .max(NARRATIVE_MAX_CHARS * 2)
  .transform((s) => s.replace(/\r\n?/g, '\n'))
  .refine((s) => !HIDDEN_BUT_NEWLINE.test(s), { message: 'TEXT_HIDDEN_CHARACTER' })
  .refine((s) => !/[<>]/.test(s), { message: 'TEXT_FORBIDDEN_CHARACTER' })
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().max(NARRATIVE_MAX_CHARS, { message: 'TEXT_TOO_LONG' }));

// ---- problems

export const quarterlyUnitNotFound = () =>
  rule(
    404,
    'REPORT_UNIT_NOT_FOUND',
    'Báo cáo quý chỉ có cho đơn vị trực thuộc tỉnh.',
    'Quarterly reports exist only for units directly under the province.',
  );
export const narrativeConflict = (baseRevision: number, current: StoredNarrative) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_NARRATIVE_CONFLICT',
    vi: `Phần thuyết minh đã được lưu (lần ${current.revision}) sau lần bạn đang sửa (${baseRevision}). Nội dung của bạn chưa được lưu.`,
    en: `The narrative was saved (revision ${current.revision}) after the revision you edited (${baseRevision}). Your text was not saved.`,
    details: { baseRevision, currentRevision: current.revision },
  });

export const quarterNotOver = (opensOn: string) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_WINDOW_NOT_CLOSED',
    vi: `Quý chưa kết thúc (báo cáo được gửi từ ngày ${opensOn}); chưa thể gửi báo cáo.`,
    en: `The quarter is not over (the report can be sent from ${opensOn}); the report cannot be sent yet.`,
    details: { opensOn },
  });
export const quarterlyAlreadySent = (sentAt: string) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_ALREADY_SENT',
    vi: 'Báo cáo quý của đơn vị đã được gửi; bản đã gửi không thay đổi được.',
    en: "The unit's quarterly report has already been sent; the sent copy cannot change.",
    details: { sentAt },
  });
export const quarterlyNotUnitHead = () =>
  new ApiProblem({
    status: 403,
    code: 'REPORT_NOT_UNIT_HEAD',
    vi: 'Chỉ thủ trưởng đơn vị ký và gửi báo cáo quý.',
    en: "Only the unit's head signs and sends the quarterly report.",
  });
export const quarterlySentNarrative = () =>
  rule(
    409,
    'REPORT_ALREADY_SENT',
    'Báo cáo quý đã được gửi; phần thuyết minh không sửa được nữa.',
    'The quarterly report has been sent; its narrative can no longer change.',
  );
const calendarMissing = () =>
  rule(
    422,
    'CALENDAR_PROFILE_MISSING',
    'Tỉnh chưa có hồ sơ lịch làm việc.',
    'The province has no calendar profile yet.',
  );

// ---- schemas

const NarrativeOut = z
  .object({
    results: z.string(),
    difficulties: z.string(),
    nextFocus: z.string(),
    revision: z.number().int().openapi({ description: '0 while nothing is saved' }),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .openapi('QuarterlyReportNarrative');
const NarrativeIn = z
  .object({
    results: NarrativeText.openapi({ description: "The quarter's results (plain text, paragraphs by line)" }),
    difficulties: NarrativeText.openapi({ description: 'Difficulties and their causes' }),
    nextFocus: NarrativeText.openapi({ description: "Next quarter's focus" }),
    baseRevision: z
      .number()
      .int()
      .min(0)
      .openapi({ description: 'The revision the text was edited on (0: nothing saved yet)' }),
  })
  .strict()
  .openapi('QuarterlyReportNarrativeSave');
const ReportStatus = z
  .object({
    unitId: z.string(),
    unitName: z.string(),
    period: z.string(),
    status: z.enum(['draft', 'sent']),
    opensOn: z.string().nullable().openapi({ description: 'The first day the report can be sent' }),
    dueDate: z.string().nullable(),
    canWrite: z.boolean().openapi({ description: 'The caller may edit the narrative' }),
    canSend: z.boolean().openapi({ description: 'The caller may send the report now' }),
    lock: ReportLockOut,
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
    summary: z.object({
      keyResults: z.number().int(),
      onTrack: z.number().int(),
      atRisk: z.number().int(),
      offTrack: z.number().int(),
      unverified: z.number().int(),
    }),
    narrative: NarrativeOut,
    files: z.object({ pdf: z.string(), xlsx: z.string() }),
    nextQuarterPlan: NextQuarterPlanOut,
  })
  .openapi('QuarterlyReportStatus');

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
        'The unit head the caller acts for as their delegate (an approved delegation in force today)',
    }),
  })
  .strict()
  .openapi('QuarterlyReportSend');
const SendOut = z
  .object({
    unitId: z.string(),
    period: z.string(),
    status: z.literal('sent'),
    date: z.string(),
    pdfSha256: z.string(),
    xlsxSha256: z.string(),
  })
  .openapi('QuarterlyReportSent');

const iso = (d: Date | string) => new Date(d).toISOString();
const fileUrl = (unitId: string, period: string, ext: string) =>
  `/api/reports/quarterly/${encodeURIComponent(unitId)}/${period}.${ext}`;
export const quarterlyFileName = (unitName: string, period: string, ext: 'pdf' | 'xlsx') =>
  `Báo cáo quý ${period.slice(6)}-${period.slice(0, 4)} - ${unitName.replace(/[\\/:*?"<>|]/g, ' ')}.${ext}`;

export function quarterlyReportRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const { sendActing } = reportSender(db, now, 'report.quarterly.send');
  const app = contentApp();

  async function resourceOf(unitId: string): Promise<Resource> {
    const path = (await loadPath(db, unitId)).map((n) => n.id);
    return { path, tier: path.length === 2 ? 'unit' : path.length === 1 ? 'province' : 'internal' };
  }

  async function windowOf(unitId: string, period: string) {
    const input = await quarterlyUnitReportInputFor(db, { unitId, period, day: todayVn(now()) });
    if (!input) return undefined;
    try {
      return { input, dates: quarterlyReportDates(input) };
    } catch {
      return undefined;
    }
  }

  async function built(unitId: string, period: string) {
    const n = await narrativeOf(db, unitId, period);
    const b = await buildMonthlyUnitReport(db, {
      unitId,
      period,
      date: todayVn(now()),
      narrative: { results: n.results, difficulties: n.difficulties, nextFocus: n.nextFocus },
    });
    if (!b) throw quarterlyUnitNotFound();
    return { built: b, narrative: n };
  }

  const routed = app
    .openapi(
      createRoute({
        method: 'get',
        path: '/reports/quarterly',
        tags,
        summary:
          "A unit's quarterly report: the draft built from the verified values now, its summary counts, the unit's narrative (with its revision) and the links of its files",
        middleware: [requires('report.quarterly.read')],
        request: { query: z.object({ unitId: uuid, period: PeriodText }) },
        responses: { 200: jsonOk(ReportStatus), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const resource = await resourceOf(q.unitId);
        await check(c, db, resource);
        const unit = await reportUnitOf(db, q.unitId);
        if (!unit) throw quarterlyUnitNotFound();
        const sent = await sentQuarterlyReportOf(db, q.unitId, q.period);
        const { built: b, narrative } = await built(q.unitId, q.period);
        let s = b.report.summary;
        let sender = '';
        if (sent) {
          const m = await db
            .selectFrom('quarterly_unit_report as r')
            .innerJoin('person as p', 'p.id', 'r.sent_by')
            .select(['r.model', 'p.full_name'])
            .where('r.unit_id', '=', q.unitId)
            .where('r.period', '=', q.period)
            .executeTakeFirstOrThrow();
          s = (m.model as unknown as MonthlyUnitReport).summary;
          sender = m.full_name;
        }
        const w = await windowOf(q.unitId, q.period);
        const over = w !== undefined && now().getTime() >= w.dates.opensAt;
        const head = w?.input.parties.unitHead.personId;
        const mayAsHead = async () =>
          (await allowed(c, db, 'report.quarterly.send', resource)) &&
          (head === undefined || head === actorId(c));
        const lock = await reportLockOut(
          c,
          db,
          'quarterly',
          { unitId: q.unitId, period: q.period, resource, sent: !!sent },
          mayAsHead,
        );
        const locked = lock.state === 'locked' || lock.state === 'reopen-requested';
        return c.json(
          {
            unitId: q.unitId,
            unitName: unit.name,
            period: q.period,
            status: sent ? ('sent' as const) : ('draft' as const),
            opensOn: w?.dates.opensOn ?? null,
            dueDate: w?.dates.dueDate ?? null,
            canWrite: !sent && (await allowed(c, db, 'report.quarterly.write', resource)),
            lock,
            canSend:
              !sent &&
              over &&
              !locked &&
              (await allowed(c, db, 'report.quarterly.send', resource)) &&
              (head === undefined || head === actorId(c)),
            sent: sent
              ? {
                  by: sent.sent_by,
                  byName: sender,
                  onBehalfOf: sent.on_behalf_of,
                  at: iso(sent.sent_at),
                  date: sent.report_date,
                  number: sent.number,
                  pdfSha256: sent.pdf_sha256,
                  xlsxSha256: sent.xlsx_sha256,
                }
              : null,
            summary: {
              keyResults: s.keyResults,
              onTrack: s.onTrack,
              atRisk: s.atRisk,
              offTrack: s.offTrack,
              unverified: s.unverified,
            },
            narrative,
            files: { pdf: fileUrl(q.unitId, q.period, 'pdf'), xlsx: fileUrl(q.unitId, q.period, 'xlsx') },
            nextQuarterPlan: await nextQuarterPlanOf(db, q.unitId, q.period),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/reports/quarterly/{unitId}/{file}',
        tags,
        summary:
          "A unit's quarterly report as a file: {YYYY-Qn}.pdf (to print, sign and stamp; Nghị định 30/2020 layout, fonts embedded) or {YYYY-Qn}.xlsx (its Excel twin) — the live draft from the verified values with the unit's narrative, or the frozen copy once sent; always an attachment",
        middleware: [requires('report.quarterly.read')],
        request: {
          params: z.object({
            unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
            file: z
              .string()
              .regex(FILE, { message: 'REPORT_FILE_INVALID' })
              .openapi({ param: { name: 'file', in: 'path' }, example: '2026-Q2.pdf' }),
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
        await check(c, db, await resourceOf(unitId));
        const unit = await reportUnitOf(db, unitId);
        if (!unit) throw quarterlyUnitNotFound();
        const frozen = await sentQuarterlyReportFile(db, unitId, period, ext);
        let bytes: Buffer;
        if (frozen) bytes = frozen.bytes;
        else {
          const { built: b } = await built(unitId, period);
          bytes =
            ext === 'pdf'
              ? await renderMonthlyUnitReportPdf(b.report)
              : await renderMonthlyUnitReportXlsx(b.report);
        }
        return c.body(new Uint8Array(bytes), 200, {
          'Content-Type': ext === 'pdf' ? PDF_TYPE : XLSX_TYPE,
          'Content-Length': String(bytes.byteLength),
          'Content-Disposition': attachmentDisposition(quarterlyFileName(unit.name, period, ext)),
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'private, no-store',
          'X-Report-Status': frozen ? 'sent' : 'draft',
          ...(frozen ? { ETag: `"${frozen.sha256}"` } : {}),
        });
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/reports/quarterly/{unitId}/{period}/narrative',
        tags,
        summary:
          "The unit writes its quarterly report's narrative (results, difficulties and causes, next quarter's focus; plain text, at most 8000 characters each) on the revision it read; 409 REPORT_NARRATIVE_CONFLICT when another save came in between (nothing saved). Audited",
        middleware: [requires('report.quarterly.write')],
        request: {
          params: z.object({
            unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
            period: PeriodText.openapi({ param: { name: 'period', in: 'path' } }),
          }),
          body: jsonBody(NarrativeIn),
        },
        responses: { 200: jsonOk(NarrativeOut), ...errorResponses },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        const body = c.req.valid('json');
        await check(c, db, await resourceOf(unitId));
        const unit = await reportUnitOf(db, unitId);
        if (!unit) throw quarterlyUnitNotFound();
        if (await sentQuarterlyReportOf(db, unitId, period)) throw quarterlySentNarrative();
        const r = await saveNarrative(db, {
          unitId,
          period,
          baseRevision: body.baseRevision,
          narrative: { results: body.results, difficulties: body.difficulties, nextFocus: body.nextFocus },
          by: actorId(c),
        });
        if ('conflict' in r) throw narrativeConflict(body.baseRevision, r.conflict);
        return c.json(r.saved, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/reports/quarterly/{unitId}/{period}/send',
        tags,
        summary:
          "The unit head signs and sends the unit's quarterly report: freezes the PDF and the Excel file (the verified values and the narrative now) and notifies the province's secretariat. 409 REPORT_WINDOW_NOT_CLOSED before the month after the quarter, 409 REPORT_ALREADY_SENT, 403 for anyone but the unit head or their active delegate (onBehalfOf); a repeated Idempotency-Key is applied once",
        middleware: [requires('report.quarterly.send')],
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
        if (!unit) throw quarterlyUnitNotFound();
        const sent = await sentQuarterlyReportOf(db, unitId, period);
        if (sent) throw quarterlyAlreadySent(iso(sent.sent_at));
        const w = await windowOf(unitId, period);
        if (!w) throw calendarMissing();
        if (now().getTime() < w.dates.opensAt) throw quarterNotOver(w.dates.opensOn);
        const head = w.input.parties.unitHead.personId;
        if (head !== undefined && head !== (acting.onBehalfOf ?? me)) throw quarterlyNotUnitHead();
        await refuseSendIfLocked(db, 'quarterly', unitId, period);
        const wid = quarterlyUnitReportWorkflowId(period, unitId);
        const updateId = `send:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${me}`)}`;
        const outcome: { ok: SendQuarterlyReportResult } | { refused: string } = await withTemporal(
          deps.temporal,
          async (client) => {
            try {
              await client.workflow.start('quarterlyUnitReportWorkflow', {
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
              const r = await client.workflow.getHandle(wid).executeUpdate(sendQuarterlyReport, {
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
            const again = await sentQuarterlyReportOf(db, unitId, period);
            throw quarterlyAlreadySent(again ? iso(again.sent_at) : '');
          }
          if (m.startsWith(REPORT_REFUSAL.windowOpen)) throw quarterNotOver(w.dates.opensOn);
          if (m.startsWith(REPORT_REFUSAL.notUnitHead)) throw quarterlyNotUnitHead();
          if (m.startsWith(REPORT_REFUSAL.locked)) throw reportLocked('quarterly', null);
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
      kind: 'quarterly',
      period: PeriodText,
      workflowId: quarterlyUnitReportWorkflowId,
      inputFor: async (unitId, period) => (await windowOf(unitId, period))?.input,
      sentAt: async (unitId, period) => (await sentQuarterlyReportOf(db, unitId, period))?.sent_at,
      alreadySent: quarterlyAlreadySent,
      notUnitHead: quarterlyNotUnitHead,
      unitNotFound: quarterlyUnitNotFound,
    }),
  );
}
