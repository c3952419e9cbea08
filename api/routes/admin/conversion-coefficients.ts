// The catalogue of conversion coefficients per job position (DESIGN §4, RULES.md): versioned per unit; a new
// version supersedes the current one, which stays for history.
import { createRoute } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { ConversionCatalogueTable } from '../../../db/schema-admin.ts';
import { check, requires } from '../../authz/middleware.ts';
import { insideUnitResource } from '../../authz/resources.ts';
import {
  contentApp,
  errorResponses,
  IdParam,
  isoDate,
  jsonBody,
  jsonOk,
  nameText,
  pageOf,
  uuid,
  z,
} from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { audit, rule } from './common.ts';
import { positionCode } from './people.ts';

const Entry = z
  .object({
    positionCode,
    productCode: z
      .string()
      .max(40)
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'CODE_INVALID' }),
    productNameVi: nameText(200),
    productNameEn: nameText(200).optional(),
    coefficient: z.string().regex(/^(0|[1-9][0-9]{0,7})(\.[0-9]{1,4})?$/, { message: 'DECIMAL_INVALID' }),
  })
  .strict();
const EntryOut = z.object({
  positionCode: z.string(),
  productCode: z.string(),
  productNameVi: z.string(),
  productNameEn: z.string().nullable(),
  coefficient: z.string(),
});
const VersionOut = z
  .object({
    id: z.string(),
    unitId: z.string(),
    version: z.number().int(),
    validFrom: z.string(),
    approvedBy: z.string(),
    approvedOn: z.string(),
    supersededById: z.string().nullable(),
    current: z.boolean(),
  })
  .openapi('ConversionCatalogueVersion');
export const Catalogue = VersionOut.extend({ entries: z.array(EntryOut) }).openapi('ConversionCatalogue');
type VersionDto = z.infer<typeof VersionOut>;
type CatalogueDto = z.infer<typeof Catalogue>;

const NewVersion = z
  .object({
    unitId: uuid,
    validFrom: isoDate,
    approvedBy: nameText(150),
    approvedOn: isoDate,
    entries: z.array(Entry).min(1).max(2000),
  })
  .strict()
  .openapi('NewConversionCatalogueVersion');
const tags = ['conversion-coefficients'];
const notFound = () =>
  rule(
    404,
    'CONVERSION_CATALOGUE_NOT_FOUND',
    'Không tìm thấy bảng hệ số quy đổi.',
    'Conversion catalogue not found.',
  );

const toVersion = (r: Selectable<ConversionCatalogueTable>): VersionDto => ({
  id: r.id,
  unitId: r.unit_id,
  version: r.version,
  validFrom: r.valid_from,
  approvedBy: r.approved_by,
  approvedOn: r.approved_on,
  supersededById: r.superseded_by_id,
  current: r.superseded_by_id === null,
});

async function loadCatalogue(db: Executor, id: string): Promise<CatalogueDto | undefined> {
  const row = await db.selectFrom('conversion_catalogue').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const entries = await db
    .selectFrom('conversion_coefficient')
    .selectAll()
    .where('catalogue_id', '=', id)
    .orderBy('position_code')
    .orderBy('product_code')
    .execute();
  return {
    ...toVersion(row),
    entries: entries.map((e) => ({
      positionCode: e.position_code,
      productCode: e.product_code,
      productNameVi: e.product_name_vi,
      productNameEn: e.product_name_en,
      coefficient: e.coefficient,
    })),
  };
}

export function conversionCoefficientRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: "A unit's catalogue versions, newest first",
        middleware: [requires('conversion.read')],
        request: { query: z.object({ unitId: uuid }) },
        responses: { 200: jsonOk(pageOf(VersionOut)), ...errorResponses },
      }),
      async (c) => {
        const { unitId } = c.req.valid('query');
        await check(c, db, await insideUnitResource(db, unitId));
        const rows = await db
          .selectFrom('conversion_catalogue')
          .selectAll()
          .where('unit_id', '=', unitId)
          .orderBy('version', 'desc')
          .execute();
        return c.json({ items: rows.map(toVersion), nextCursor: null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'Read a catalogue version with its coefficients',
        middleware: [requires('conversion.read')],
        request: { params: IdParam },
        responses: { 200: jsonOk(Catalogue), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const cat = await loadCatalogue(db, id);
        if (!cat) throw notFound();
        await check(c, db, await insideUnitResource(db, cat.unitId));
        return c.json(cat, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Publish a new catalogue version (supersedes the current one)',
        middleware: [requires('conversion.manage')],
        request: { body: jsonBody(NewVersion) },
        responses: { 201: jsonOk(Catalogue, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        await check(c, db, await insideUnitResource(db, b.unitId));
        const keys = new Set<string>();
        for (const e of b.entries) {
          const k = `${e.positionCode}/${e.productCode}`;
          if (keys.has(k))
            throw rule(
              422,
              'CONVERSION_COEFFICIENT_DUPLICATE',
              `Hệ số cho ${k} bị lặp.`,
              `The coefficient for ${k} is listed twice.`,
            );
          keys.add(k);
        }
        if (b.entries.some((e) => /^0(\.0*)?$/.test(e.coefficient)))
          throw rule(
            422,
            'CONVERSION_COEFFICIENT_INVALID',
            'Hệ số quy đổi phải lớn hơn 0.',
            'A conversion coefficient must be positive.',
          );
        const id = await db.transaction().execute(async (trx) => {
          // serialise versions of one unit on the unit row
          await trx.selectFrom('org_unit').select('id').where('id', '=', b.unitId).forUpdate().execute();
          const current = await trx
            .selectFrom('conversion_catalogue')
            .selectAll()
            .where('unit_id', '=', b.unitId)
            .where('superseded_by_id', 'is', null)
            .executeTakeFirst();
          if (current && current.valid_from >= b.validFrom)
            throw rule(
              422,
              'CONVERSION_VERSION_NOT_LATER',
              'Phiên bản mới phải có hiệu lực sau phiên bản hiện hành.',
              'A new version must take effect after the current one.',
            );
          const created = await trx
            .insertInto('conversion_catalogue')
            .values({
              unit_id: b.unitId,
              version: (current?.version ?? 0) + 1,
              valid_from: b.validFrom,
              approved_by: b.approvedBy,
              approved_on: b.approvedOn,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('conversion_coefficient')
            .values(
              b.entries.map((e) => ({
                catalogue_id: created.id,
                position_code: e.positionCode,
                product_code: e.productCode,
                product_name_vi: e.productNameVi,
                product_name_en: e.productNameEn ?? null,
                coefficient: e.coefficient,
              })),
            )
            .execute();
          if (current) {
            await trx
              .updateTable('conversion_catalogue')
              .set({ superseded_by_id: created.id })
              .where('id', '=', current.id)
              .execute();
            await audit(
              trx,
              c,
              'conversion_catalogue',
              current.id,
              'conversion_catalogue.superseded',
              toVersion(current),
              {
                supersededById: created.id,
              },
            );
          }
          await audit(
            trx,
            c,
            'conversion_catalogue',
            created.id,
            'conversion_catalogue.published',
            null,
            await loadCatalogue(trx, created.id),
          );
          return created.id;
        });
        const cat = await loadCatalogue(db, id);
        if (!cat) throw notFound();
        return c.json(cat, 201);
      },
    );
}
