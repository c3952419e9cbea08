// The org tree (DESIGN §1): create, rename, move, deactivate and merge units with an effective date.
import { createRoute } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { OrgUnitTable } from '../../../db/schema.ts';
import { check, requires } from '../../authz/middleware.ts';
import { childrenResource, loadPath, unitNotFound, unitResource } from '../../authz/resources.ts';
import {
  codeText,
  contentApp,
  decodeCursor,
  errorResponses,
  IdParam,
  isoDate,
  jsonBody,
  jsonOk,
  nameText,
  PageQuery,
  pageFrom,
  pageOf,
  uuid,
  z,
} from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { audit, columnPatch, dayBefore, rule, updateRowAudited } from './common.ts';

const TOP_TYPES = ['agency', 'party_body', 'commune', 'ward'] as const;
const CREATABLE_TYPES = [...TOP_TYPES, 'department'] as const;

export const OrgUnit = z
  .object({
    id: z.string(),
    typeCode: z.string(),
    provinceId: z.string(),
    parentId: z.string().nullable(),
    code: z.string(),
    nameVi: z.string(),
    shortNameVi: z.string().nullable(),
    nameEn: z.string().nullable(),
    activeFrom: z.string(),
    activeTo: z.string().nullable(),
    mergedIntoId: z.string().nullable(),
  })
  .openapi('OrgUnit');
export type OrgUnitDto = z.infer<typeof OrgUnit>;

export const toOrgUnit = (r: Selectable<OrgUnitTable>): OrgUnitDto => ({
  id: r.id,
  typeCode: r.type_code,
  provinceId: r.province_id,
  parentId: r.parent_id,
  code: r.code,
  nameVi: r.name_vi,
  shortNameVi: r.short_name_vi,
  nameEn: r.name_en,
  activeFrom: r.active_from,
  activeTo: r.active_to,
  mergedIntoId: r.merged_into_id,
});

export const CreateOrgUnit = z
  .object({
    parentId: uuid,
    typeCode: z.enum(CREATABLE_TYPES),
    code: codeText(40),
    nameVi: nameText(200),
    shortNameVi: nameText(80).optional(),
    nameEn: nameText(200).optional(),
    activeFrom: isoDate,
  })
  .strict()
  .openapi('CreateOrgUnit');

const RenameOrgUnit = z
  .object({
    nameVi: nameText(200).optional(),
    shortNameVi: nameText(80).nullable().optional(),
    nameEn: nameText(200).nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'NOTHING_TO_CHANGE' })
  .openapi('RenameOrgUnit');

const MoveOrgUnit = z.object({ parentId: uuid }).strict().openapi('MoveOrgUnit');
const DeactivateOrgUnit = z.object({ activeTo: isoDate }).strict().openapi('DeactivateOrgUnit');
const MergeOrgUnit = z.object({ intoId: uuid, effectiveDate: isoDate }).strict().openapi('MergeOrgUnit');
const ListQuery = PageQuery.extend({
  parentId: uuid,
  includeInactive: z.enum(['true', 'false']).optional(),
});

const tags = ['org-units'];

/** A department sits inside a unit; every other creatable type sits directly under the province. */
export function checkPlacement(typeCode: string, parentIsProvince: boolean): void {
  const wantsProvince = typeCode !== 'department';
  if (wantsProvince !== parentIsProvince)
    throw rule(
      422,
      'ORG_UNIT_PLACEMENT_INVALID',
      'Phòng, đơn vị trực thuộc phải nằm trong một đơn vị; các loại đơn vị khác nằm ngay dưới tỉnh.',
      'A department sits inside a unit; other unit types sit directly under the province.',
    );
}

const inactive = () =>
  rule(422, 'ORG_UNIT_INACTIVE', 'Đơn vị đã ngừng hoạt động.', 'The unit is no longer active.');

export function orgUnitRoutes(deps: ApiDeps) {
  const { db } = deps;
  const load = async (id: string) => {
    const row = await db.selectFrom('org_unit').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw unitNotFound();
    return row;
  };

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: 'List the sub-units of a unit',
        middleware: [requires('org.unit.read')],
        request: { query: ListQuery },
        responses: { 200: jsonOk(pageOf(OrgUnit)), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        await check(c, db, await childrenResource(db, q.parentId));
        const after = decodeCursor(q.cursor);
        let query = db.selectFrom('org_unit').selectAll().where('parent_id', '=', q.parentId);
        if (q.includeInactive !== 'true') query = query.where('active_to', 'is', null);
        if (after) query = query.where(sql<boolean>`(code, id) > (${after[0]}, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('code')
          .orderBy('id')
          .limit(q.limit + 1)
          .execute();
        return c.json(
          pageFrom(rows, q.limit, toOrgUnit, (r) => [r.code, r.id]),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'Read a unit',
        middleware: [requires('org.unit.read')],
        request: { params: IdParam },
        responses: { 200: jsonOk(OrgUnit), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await check(c, db, await unitResource(db, id));
        return c.json(toOrgUnit(await load(id)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Create a unit under a parent',
        middleware: [requires('org.unit.create')],
        request: { body: jsonBody(CreateOrgUnit) },
        responses: { 201: jsonOk(OrgUnit, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        await check(c, db, await childrenResource(db, b.parentId));
        const parent = await load(b.parentId);
        if (parent.active_to !== null) throw inactive();
        checkPlacement(b.typeCode, parent.type_code === 'province');
        const row = await db.transaction().execute(async (trx) => {
          const created = await trx
            .insertInto('org_unit')
            .values({
              type_code: b.typeCode,
              province_id: parent.province_id,
              parent_id: parent.id,
              code: b.code,
              name_vi: b.nameVi,
              short_name_vi: b.shortNameVi ?? null,
              name_en: b.nameEn ?? null,
              active_from: b.activeFrom,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'org_unit', created.id, 'org_unit.created', null, toOrgUnit(created));
          return created;
        });
        return c.json(toOrgUnit(row), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags,
        summary: 'Rename a unit',
        middleware: [requires('org.unit.update')],
        request: { params: IdParam, body: jsonBody(RenameOrgUnit) },
        responses: { 200: jsonOk(OrgUnit), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        await check(c, db, await unitResource(db, id));
        const { after } = await db.transaction().execute((trx) =>
          updateRowAudited(trx, c, {
            table: 'org_unit',
            id,
            notFound: unitNotFound,
            set: columnPatch(b, { name_vi: 'nameVi', short_name_vi: 'shortNameVi', name_en: 'nameEn' }),
            audit: { action: 'org_unit.renamed', view: toOrgUnit },
          }),
        );
        return c.json(toOrgUnit(after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/move',
        tags,
        summary: 'Move a unit under another parent',
        middleware: [requires('org.unit.move')],
        request: { params: IdParam, body: jsonBody(MoveOrgUnit) },
        responses: { 200: jsonOk(OrgUnit), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        await check(c, db, [await unitResource(db, id), await childrenResource(db, b.parentId)]);
        const unit = await load(id);
        const parent = await load(b.parentId);
        if (parent.active_to !== null || unit.active_to !== null) throw inactive();
        checkPlacement(unit.type_code, parent.type_code === 'province');
        const row = await db.transaction().execute(async (trx) => {
          const after = await trx
            .updateTable('org_unit')
            .set({ parent_id: b.parentId })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'org_unit', id, 'org_unit.moved', toOrgUnit(unit), toOrgUnit(after));
          return after;
        });
        return c.json(toOrgUnit(row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/deactivate',
        tags,
        summary: 'Deactivate a unit from a date (its last active day)',
        middleware: [requires('org.unit.deactivate')],
        request: { params: IdParam, body: jsonBody(DeactivateOrgUnit) },
        responses: { 200: jsonOk(OrgUnit), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        await check(c, db, await unitResource(db, id));
        const { after } = await db.transaction().execute((trx) =>
          updateRowAudited(trx, c, {
            table: 'org_unit',
            id,
            notFound: unitNotFound,
            check: async (before) => {
              if (before.active_to !== null) throw inactive();
              const child = await trx
                .selectFrom('org_unit')
                .select('id')
                .where('parent_id', '=', id)
                .where((eb) => eb.or([eb('active_to', 'is', null), eb('active_to', '>', b.activeTo)]))
                .executeTakeFirst();
              if (child)
                throw rule(
                  409,
                  'ORG_UNIT_HAS_ACTIVE_CHILDREN',
                  'Đơn vị còn đơn vị trực thuộc đang hoạt động.',
                  'The unit still has active sub-units.',
                );
              const staff = await trx
                .selectFrom('employment')
                .select('id')
                .where('org_unit_id', '=', id)
                .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', b.activeTo)]))
                .executeTakeFirst();
              if (staff)
                throw rule(
                  409,
                  'ORG_UNIT_HAS_STAFF',
                  'Đơn vị còn nhân sự đang công tác sau ngày này.',
                  'People are still employed in the unit after this date.',
                );
            },
            set: { active_to: b.activeTo },
            audit: { action: 'org_unit.deactivated', view: toOrgUnit },
          }),
        );
        return c.json(toOrgUnit(after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/merge',
        tags,
        summary: 'Merge a unit into another from an effective date (sub-units and staff move over)',
        middleware: [requires('org.unit.merge')],
        request: { params: IdParam, body: jsonBody(MergeOrgUnit) },
        responses: {
          200: jsonOk(
            z.object({ unit: OrgUnit, movedUnits: z.number().int(), movedPeople: z.number().int() }),
          ),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        await check(c, db, [await unitResource(db, id), await unitResource(db, b.intoId)]);
        const [srcPath, dstPath] = [await loadPath(db, id), await loadPath(db, b.intoId)];
        if (srcPath.length !== dstPath.length || srcPath.length < 2 || id === b.intoId)
          throw rule(
            422,
            'ORG_UNIT_MERGE_INVALID',
            'Chỉ sáp nhập hai đơn vị khác nhau cùng cấp.',
            'Only two different units of the same level can be merged.',
          );
        const lastDay = dayBefore(b.effectiveDate);
        const result = await db.transaction().execute(async (trx) => {
          const src = await trx
            .selectFrom('org_unit')
            .selectAll()
            .where('id', '=', id)
            .forUpdate()
            .executeTakeFirstOrThrow();
          const dst = await trx
            .selectFrom('org_unit')
            .selectAll()
            .where('id', '=', b.intoId)
            .forUpdate()
            .executeTakeFirstOrThrow();
          if (src.active_to !== null || dst.active_to !== null) throw inactive();
          const children = await trx
            .updateTable('org_unit')
            .set({ parent_id: b.intoId })
            .where('parent_id', '=', id)
            .where('active_to', 'is', null)
            .returning(['id'])
            .execute();
          for (const ch of children)
            await audit(
              trx,
              c,
              'org_unit',
              ch.id,
              'org_unit.moved',
              { parentId: id },
              { parentId: b.intoId, reason: 'merge' },
            );
          const open = await trx
            .selectFrom('employment')
            .selectAll()
            .where('org_unit_id', '=', id)
            .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', b.effectiveDate)]))
            .execute();
          for (const e of open) {
            if (e.valid_from >= b.effectiveDate) {
              await trx
                .updateTable('employment')
                .set({ org_unit_id: b.intoId })
                .where('id', '=', e.id)
                .execute();
            } else {
              await trx.updateTable('employment').set({ valid_to: lastDay }).where('id', '=', e.id).execute();
              await trx
                .insertInto('employment')
                .values({
                  person_id: e.person_id,
                  org_unit_id: b.intoId,
                  position_code: e.position_code,
                  valid_from: b.effectiveDate,
                  valid_to: e.valid_to,
                  is_concurrent: e.is_concurrent,
                })
                .execute();
            }
            await audit(
              trx,
              c,
              'person',
              e.person_id,
              'employment.transferred',
              { unitId: id },
              {
                unitId: b.intoId,
                effectiveDate: b.effectiveDate,
                reason: 'merge',
              },
            );
          }
          const after = await trx
            .updateTable('org_unit')
            .set({ active_to: lastDay, merged_into_id: b.intoId })
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'org_unit', id, 'org_unit.merged', toOrgUnit(src), toOrgUnit(after));
          await audit(trx, c, 'org_unit', b.intoId, 'org_unit.absorbed', null, {
            mergedUnitId: id,
            effectiveDate: b.effectiveDate,
          });
          return {
            unit: toOrgUnit(after),
            movedUnits: children.length,
            movedPeople: new Set(open.map((e) => e.person_id)).size,
          };
        });
        return c.json(result, 200);
      },
    );
}
