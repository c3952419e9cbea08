// The year-end evaluation of a unit's people, and of a province's units and heads, as files (issue 8 point 5):
// GET /rankings/{unitId}/{year}/report.pdf and /province-rankings/{provinceId}/{year}/report.pdf
// (an administrative document per Nghị định 30/2020 to print, sign and stamp; fonts embedded) and …/report.xlsx
// (its Excel twin), built from the unit ranking (activities/reports/year-end-unit-data.ts): each person's score and
// its source, state level, Party level when held, the appeal outcome when given, the quota summary, the rule set and
// legal basis, who decided and when. A draft is marked "Dự thảo". Access: whoever may read the ranking
// (policy ranking.read, the tiered rule); the check comes before the ranking is looked up, so a refused reader
// never learns whether it exists.
import { createRoute } from '@hono/zod-openapi';
import { reportFileName } from '../../../activities/reports/year-end-model.ts';
import { renderProvinceYearEndPdf, renderUnitYearEndPdf } from '../../../activities/reports/year-end-pdf.ts';
import type { AppealOutcomesOf } from '../../../activities/reports/year-end-unit-data.ts';
import {
  provinceYearEndReportOf,
  unitYearEndReportOf,
} from '../../../activities/reports/year-end-unit-data.ts';
import {
  renderProvinceYearEndXlsx,
  renderUnitYearEndXlsx,
} from '../../../activities/reports/year-end-xlsx.ts';
import { provinceRankingOf } from '../../../db/queries/province-rankings.ts';
import { appealOutcomesOf } from '../../../db/queries/ranking-notices.ts';
import { rankingNotFound, rankingOf } from '../../../db/queries/rankings.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { check, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { attachmentDisposition, PDF_TYPE, XLSX_TYPE } from '../reports/attachment.ts';

const tags = ['rankings'];
const Params = z.object({
  unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2200)
    .openapi({ param: { name: 'year', in: 'path' }, example: 2026 }),
});

const fileResponses = (ext: 'pdf' | 'xlsx') => ({
  200: {
    description: ext === 'pdf' ? 'The report as a PDF' : 'The report as an Excel workbook',
    content: {
      [ext === 'pdf' ? PDF_TYPE : XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
    },
  },
  ...errorResponses,
});

/** A report file: always an attachment, never sniffed, never cached; its ranking's status in a header. */
const attachment = (
  c: Parameters<typeof check>[0],
  bytes: Buffer,
  ext: 'pdf' | 'xlsx',
  fileName: string,
  status: string,
) =>
  c.body(new Uint8Array(bytes), 200, {
    'Content-Type': ext === 'pdf' ? PDF_TYPE : XLSX_TYPE,
    'Content-Length': String(bytes.byteLength),
    'Content-Disposition': attachmentDisposition(fileName),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
    'X-Report-Status': status,
  });

/** Options of the report routes: the appeal outcomes' source (default: the recorded appeals). */
export interface RankingReportOptions {
  appealOutcomesOf?: AppealOutcomesOf;
}

export function rankingReportRoutes(deps: ApiDeps, options: RankingReportOptions = {}) {
  const appeals = options.appealOutcomesOf ?? appealOutcomesOf;
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const resourceOf = async (unitId: string): Promise<Resource> => {
    const path = (await loadPath(db, unitId)).map((n) => n.id);
    return { path, tier: path.length === 2 ? 'unit' : path.length === 1 ? 'province' : 'internal' };
  };

  const file = (ext: 'pdf' | 'xlsx') =>
    createRoute({
      method: 'get',
      path: `/rankings/{unitId}/{year}/report.${ext}` as const,
      tags,
      summary:
        ext === 'pdf'
          ? "The year-end evaluation of a unit's people as a PDF (Nghị định 30/2020 layout, fonts embedded; a draft is marked): name, duty group, score and source, state level, Party level, appeal outcome, quota summary, rule set and legal basis, who decided and when. 404 RANKING_NOT_FOUND before the ranking exists; always an attachment"
          : "The year-end evaluation of a unit's people as an Excel workbook (the PDF's twin; scores as numbers). 404 RANKING_NOT_FOUND before the ranking exists; always an attachment",
      middleware: [requires('ranking.read')] as const,
      request: { params: Params },
      responses: fileResponses(ext),
    });

  const serve = async (
    c: Parameters<typeof check>[0],
    unitId: string,
    year: number,
    ext: 'pdf' | 'xlsx',
  ): Promise<Response> => {
    await check(c, db, await resourceOf(unitId));
    const ranking = await rankingOf(db, unitId, year);
    if (!ranking) throw rankingNotFound();
    const report = await unitYearEndReportOf(db, {
      ranking,
      date: vnLocalDate(now().getTime()),
      appealOutcomesOf: appeals,
    });
    const bytes = ext === 'pdf' ? await renderUnitYearEndPdf(report) : await renderUnitYearEndXlsx(report);
    return attachment(c, bytes, ext, reportFileName(report.unitName, year, ext), ranking.status);
  };

  const ProvinceParams = z.object({
    provinceId: uuid.openapi({ param: { name: 'provinceId', in: 'path' } }),
    year: Params.shape.year,
  });
  const provinceFile = (ext: 'pdf' | 'xlsx') =>
    createRoute({
      method: 'get',
      path: `/province-rankings/{provinceId}/{year}/report.${ext}` as const,
      tags,
      summary:
        ext === 'pdf'
          ? "The year-end evaluation of a province's units (collectives) and their heads as a PDF (Nghị định 30/2020 layout; a draft is marked): score, level, failed gates, appeal outcome, rule set and legal basis, the standing committee's decision. 404 RANKING_NOT_FOUND before the province ranking exists; always an attachment"
          : "The year-end evaluation of a province's units and heads as an Excel workbook (the PDF's twin). 404 RANKING_NOT_FOUND before the province ranking exists; always an attachment",
      middleware: [requires('provinceRanking.read')] as const,
      request: { params: ProvinceParams },
      responses: fileResponses(ext),
    });
  const serveProvince = async (
    c: Parameters<typeof check>[0],
    provinceId: string,
    year: number,
    ext: 'pdf' | 'xlsx',
  ): Promise<Response> => {
    await check(c, db, { path: [provinceId], tier: 'province' });
    const ranking = await provinceRankingOf(db, provinceId, year);
    if (!ranking) throw rankingNotFound();
    const report = await provinceYearEndReportOf(db, {
      ranking,
      date: vnLocalDate(now().getTime()),
      appealOutcomesOf: appeals,
    });
    const bytes =
      ext === 'pdf' ? await renderProvinceYearEndPdf(report) : await renderProvinceYearEndXlsx(report);
    return attachment(c, bytes, ext, reportFileName(report.provinceName, year, ext), ranking.status);
  };

  return contentApp()
    .openapi(provinceFile('pdf'), async (c) => {
      const { provinceId, year } = c.req.valid('param');
      return serveProvince(c, provinceId, year, 'pdf');
    })
    .openapi(provinceFile('xlsx'), async (c) => {
      const { provinceId, year } = c.req.valid('param');
      return serveProvince(c, provinceId, year, 'xlsx');
    })
    .openapi(file('pdf'), async (c) => {
      const { unitId, year } = c.req.valid('param');
      return serve(c, unitId, year, 'pdf');
    })
    .openapi(file('xlsx'), async (c) => {
      const { unitId, year } = c.req.valid('param');
      return serve(c, unitId, year, 'xlsx');
    });
}
