// The metric library (DESIGN §2, thư viện thước đo): measurable key-result templates of a province.
import { createRoute } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import {
  METRIC_AGGREGATIONS,
  METRIC_DIRECTIONS,
  type MetricTemplateTable,
} from '../../../db/schema-admin.ts';
import { PERSPECTIVES } from '../../../domain/plan/model.ts';
import { METRIC_LIBRARY } from '../../../domain/plan/templates/index.ts';
import { check, requires } from '../../authz/middleware.ts';
import { provinceResource } from '../../authz/resources.ts';
import {
  codeText,
  contentApp,
  decodeCursor,
  errorResponses,
  IdParam,
  jsonBody,
  jsonOk,
  PageQuery,
  pageFrom,
  pageOf,
  plainText,
  uuid,
  z,
} from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { audit, columnPatch, rule, updateRowAudited } from './common.ts';

export const MetricTemplate = z
  .object({
    id: z.string(),
    provinceId: z.string(),
    code: z.string(),
    titleVi: z.string(),
    titleEn: z.string().nullable(),
    unit: z.string(),
    direction: z.enum(METRIC_DIRECTIONS),
    aggregation: z.enum(METRIC_AGGREGATIONS),
    perspective: z.enum(PERSPECTIVES),
    exampleSource: z.string().nullable(),
    active: z.boolean(),
  })
  .openapi('MetricTemplate');
type MetricTemplateDto = z.infer<typeof MetricTemplate>;

const toDto = (r: Selectable<MetricTemplateTable>): MetricTemplateDto => ({
  id: r.id,
  provinceId: r.province_id,
  code: r.code,
  titleVi: r.title_vi,
  titleEn: r.title_en,
  unit: r.unit,
  direction: r.direction,
  aggregation: r.aggregation,
  perspective: r.perspective,
  exampleSource: r.example_source,
  active: r.active,
});

const fields = {
  titleVi: plainText(300),
  titleEn: plainText(300),
  unit: plainText(40),
  direction: z.enum(METRIC_DIRECTIONS),
  aggregation: z.enum(METRIC_AGGREGATIONS),
  perspective: z.enum(PERSPECTIVES),
  exampleSource: plainText(500),
};
const CreateMetric = z
  .object({
    provinceId: uuid,
    code: codeText(40),
    ...fields,
    titleEn: fields.titleEn.optional(),
    exampleSource: fields.exampleSource.optional(),
  })
  .strict()
  .openapi('CreateMetricTemplate');
const UpdateMetric = z
  .object({
    titleVi: fields.titleVi.optional(),
    titleEn: fields.titleEn.nullable().optional(),
    unit: fields.unit.optional(),
    direction: fields.direction.optional(),
    aggregation: fields.aggregation.optional(),
    perspective: fields.perspective.optional(),
    exampleSource: fields.exampleSource.nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'NOTHING_TO_CHANGE' })
  .openapi('UpdateMetricTemplate');
const ListQuery = PageQuery.extend({
  provinceId: uuid,
  perspective: z.enum(PERSPECTIVES).optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});
const tags = ['metric-library'];
const notFound = () =>
  rule(404, 'METRIC_TEMPLATE_NOT_FOUND', 'Không tìm thấy thước đo.', 'Metric template not found.');

/** A milestone is done or not: it aggregates only by all-done, and all-done fits only milestones. */
function checkShape(direction: string, aggregation: string): void {
  if ((direction === 'milestone') !== (aggregation === 'allDone'))
    throw rule(
      422,
      'METRIC_AGGREGATION_MISMATCH',
      'Mốc hoàn thành chỉ tổng hợp theo "tất cả hoàn thành", và ngược lại.',
      'A milestone aggregates by all-done, and all-done fits only milestones.',
    );
}

export function metricLibraryRoutes(deps: ApiDeps) {
  const { db } = deps;
  const load = async (id: string) => {
    const row = await db.selectFrom('metric_template').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    return row;
  };
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: "A province's metric templates",
        middleware: [requires('metric.read')],
        request: { query: ListQuery },
        responses: { 200: jsonOk(pageOf(MetricTemplate)), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        await check(c, db, await provinceResource(db, q.provinceId));
        const after = decodeCursor(q.cursor);
        let query = db.selectFrom('metric_template').selectAll().where('province_id', '=', q.provinceId);
        if (q.perspective) query = query.where('perspective', '=', q.perspective);
        if (q.includeInactive !== 'true') query = query.where('active', '=', true);
        if (after) query = query.where(sql<boolean>`(code, id) > (${after[0]}, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('code')
          .orderBy('id')
          .limit(q.limit + 1)
          .execute();
        return c.json(
          pageFrom(rows, q.limit, toDto, (r) => [r.code, r.id]),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'Read a metric template',
        middleware: [requires('metric.read')],
        request: { params: IdParam },
        responses: { 200: jsonOk(MetricTemplate), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const row = await load(id);
        await check(c, db, await provinceResource(db, row.province_id));
        return c.json(toDto(row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Add a metric template',
        middleware: [requires('metric.manage')],
        request: { body: jsonBody(CreateMetric) },
        responses: { 201: jsonOk(MetricTemplate, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        await check(c, db, await provinceResource(db, b.provinceId));
        checkShape(b.direction, b.aggregation);
        const row = await db.transaction().execute(async (trx) => {
          const r = await trx
            .insertInto('metric_template')
            .values({
              province_id: b.provinceId,
              code: b.code,
              title_vi: b.titleVi,
              title_en: b.titleEn ?? null,
              unit: b.unit,
              direction: b.direction,
              aggregation: b.aggregation,
              perspective: b.perspective,
              example_source: b.exampleSource ?? null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'metric_template', r.id, 'metric_template.created', null, toDto(r));
          return r;
        });
        return c.json(toDto(row), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/seed',
        tags,
        summary:
          "Add the built-in library (seed 004's example key results) to a province; existing codes are kept",
        middleware: [requires('metric.manage')],
        request: { body: jsonBody(z.object({ provinceId: uuid }).strict().openapi('SeedMetricLibrary')) },
        responses: {
          200: jsonOk(z.object({ added: z.number().int(), kept: z.number().int() })),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { provinceId } = c.req.valid('json');
        await check(c, db, await provinceResource(db, provinceId));
        const result = await db.transaction().execute(async (trx) => {
          await trx.selectFrom('org_unit').select('id').where('id', '=', provinceId).forUpdate().execute();
          const existing = new Set(
            (
              await trx
                .selectFrom('metric_template')
                .select('code')
                .where('province_id', '=', provinceId)
                .execute()
            ).map((r) => r.code),
          );
          let added = 0;
          for (const m of METRIC_LIBRARY) {
            if (existing.has(m.id)) continue;
            const r = await trx
              .insertInto('metric_template')
              .values({
                province_id: provinceId,
                code: m.id,
                title_vi: m.title,
                title_en: m.titleEn,
                unit: m.unit,
                direction: m.direction,
                aggregation: m.aggregation,
                perspective: m.perspective,
                example_source: m.sources
                  .map((x) => `${x.doc} ${x.section} (dòng ${x.line})`)
                  .join('; ')
                  .slice(0, 500),
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            await audit(trx, c, 'metric_template', r.id, 'metric_template.seeded', null, toDto(r));
            added++;
          }
          return { added, kept: existing.size };
        });
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags,
        summary: 'Change or retire a metric template',
        middleware: [requires('metric.manage')],
        request: { params: IdParam, body: jsonBody(UpdateMetric) },
        responses: { 200: jsonOk(MetricTemplate), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        const existing = await load(id);
        await check(c, db, await provinceResource(db, existing.province_id));
        checkShape(b.direction ?? existing.direction, b.aggregation ?? existing.aggregation);
        const { after } = await db.transaction().execute((trx) =>
          updateRowAudited(trx, c, {
            table: 'metric_template',
            id,
            notFound,
            set: {
              ...columnPatch(b, {
                title_vi: 'titleVi',
                title_en: 'titleEn',
                unit: 'unit',
                direction: 'direction',
                aggregation: 'aggregation',
                perspective: 'perspective',
                example_source: 'exampleSource',
                active: 'active',
              }),
              updated_at: new Date(),
            },
            audit: { action: 'metric_template.updated', view: toDto },
          }),
        );
        return c.json(toDto(after), 200);
      },
    );
}
