// The quarterly unit report (issue 7 point 1: "each unit's report is generated from its verified values with a
// narrative the unit writes"): the 'quarterly' kind of the unit report routes (unit-report-routes.ts) — a
// 'YYYY-Qn' period, files named "Báo cáo quý N-YYYY", sendable once the quarter is over (opensOn in its status),
// built with the unit's narrative; its status also shows whether the caller may write the narrative and the
// next quarter's draft plan. Writing the narrative is the content path: PUT …/narrative with the revision it
// was edited on (409 REPORT_NARRATIVE_CONFLICT when another save came in between), audited.
import { createRoute } from '@hono/zod-openapi';
import { reportUnitOf } from '../../../db/queries/monthly-reports.ts';
import {
  NARRATIVE_MAX_CHARS,
  narrativeOf,
  QUARTER_PERIOD,
  type StoredNarrative,
  saveNarrative,
} from '../../../db/queries/quarterly-reports.ts';
import { sentUnitReportOf } from '../../../db/queries/sent-unit-reports.ts';
import { quarterlyReportDates, sendQuarterlyReport } from '../../../workflows/quarterly-unit-report.ts';
import { allowed, check, requires } from '../../authz/middleware.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { NextQuarterPlanOut, nextQuarterPlanOf } from './quarter-plan-status.ts';
import { reportResourceOf } from './reopen.ts';
import { reportUnitNotFound } from './unit-report-problems.ts';
import { unitReportRoutes } from './unit-report-routes.ts';

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
export const quarterlySentNarrative = () =>
  rule(
    409,
    'REPORT_ALREADY_SENT',
    'Báo cáo quý đã được gửi; phần thuyết minh không sửa được nữa.',
    'The quarterly report has been sent; its narrative can no longer change.',
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

/** PUT /reports/quarterly/{unitId}/{period}/narrative. */
function narrativeRoutes(db: ApiDeps['db']) {
  return contentApp().openapi(
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
      await check(c, db, await reportResourceOf(db, unitId));
      if (!(await reportUnitOf(db, unitId))) throw reportUnitNotFound('quarterly');
      if (await sentUnitReportOf(db, 'quarterly', unitId, period)) throw quarterlySentNarrative();
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
  );
}

export function quarterlyReportRoutes(deps: ApiDeps) {
  const { db } = deps;
  return unitReportRoutes(deps, {
    kind: 'quarterly',
    period: PeriodText,
    file: FILE,
    fileExample: '2026-Q2.pdf',
    periodInName: (period) => `${period.slice(6)}-${period.slice(0, 4)}`,
    summaries: {
      status:
        "A unit's quarterly report: the draft built from the verified values now, its summary counts, the unit's narrative (with its revision) and the links of its files",
      file: "A unit's quarterly report as a file: {YYYY-Qn}.pdf (to print, sign and stamp; Nghị định 30/2020 layout, fonts embedded) or {YYYY-Qn}.xlsx (its Excel twin) — the live draft from the verified values with the unit's narrative, or the frozen copy once sent; always an attachment",
      send: "The unit head signs and sends the unit's quarterly report: freezes the PDF and the Excel file (the verified values and the narrative now) and notifies the province's secretariat. 409 REPORT_WINDOW_NOT_CLOSED before the month after the quarter, 409 REPORT_ALREADY_SENT, 403 for anyone but the unit head or their active delegate (onBehalfOf); a repeated Idempotency-Key is applied once",
    },
    dates: quarterlyReportDates,
    sendUpdate: sendQuarterlyReport,
    windowOpen: (dates) => quarterNotOver(dates.opensOn),
    delegateReads: false,
    narrativeOf: (unitId, period) => narrativeOf(db, unitId, period),
    statusShape: {
      opensOn: z.string().nullable().openapi({ description: 'The first day the report can be sent' }),
      canWrite: z.boolean().openapi({ description: 'The caller may edit the narrative' }),
      narrative: NarrativeOut,
      nextQuarterPlan: NextQuarterPlanOut,
    },
    statusExtras: async ({ c, unitId, period, resource, sent, dates, narrative }) => ({
      opensOn: dates?.opensOn ?? null,
      canWrite: !sent && (await allowed(c, db, 'report.quarterly.write', resource)),
      narrative: narrative as StoredNarrative,
      nextQuarterPlan: await nextQuarterPlanOf(db, unitId, period),
    }),
  }).route('/', narrativeRoutes(db));
}
