// Roles and their scopes (DESIGN §1): the role catalogue, grants (role × scope unit × period) and revokes.
import { createRoute } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { todayVn } from '../../../db/queries/org-tree.ts';
import { ROLES, type RoleAssignmentTable } from '../../../db/schema.ts';
import { allowed, check, requires } from '../../authz/middleware.ts';
import { grantResource, headsOfUnitResource, insideUnitResource } from '../../authz/resources.ts';
import {
  contentApp,
  decodeCursor,
  errorResponses,
  IdParam,
  isoDate,
  jsonBody,
  jsonOk,
  PageQuery,
  pageFrom,
  pageOf,
  uuid,
  z,
} from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { audit, rule, updateRowAudited } from './common.ts';

export const Role = z
  .object({ code: z.enum(ROLES), nameVi: z.string(), nameEn: z.string(), readOnly: z.boolean() })
  .openapi('Role');

export const RoleAssignment = z
  .object({
    id: z.string(),
    personId: z.string(),
    roleCode: z.enum(ROLES),
    scopeUnitId: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
  })
  .openapi('RoleAssignment');
type RoleAssignmentDto = z.infer<typeof RoleAssignment>;

const toAssignment = (r: Selectable<RoleAssignmentTable>): RoleAssignmentDto => ({
  id: r.id,
  personId: r.person_id,
  roleCode: r.role_code,
  scopeUnitId: r.scope_unit_id,
  validFrom: r.valid_from,
  validTo: r.valid_to,
});

const Grant = z
  .object({
    personId: uuid,
    roleCode: z.enum(ROLES),
    scopeUnitId: uuid,
    validFrom: isoDate,
    validTo: isoDate.optional(),
  })
  .strict()
  .openapi('Grant');
const Revoke = z.object({ validTo: isoDate }).strict().openapi('Revoke');
const ListQuery = PageQuery.extend({ unitId: uuid, includeEnded: z.enum(['true', 'false']).optional() });
const tags = ['roles'];

const assignmentNotFound = () =>
  rule(404, 'ROLE_ASSIGNMENT_NOT_FOUND', 'Không tìm thấy phân quyền.', 'Role assignment not found.');

export function roleRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/roles',
        tags,
        summary: 'The role catalogue',
        middleware: [requires('role.catalogue.read')],
        responses: { 200: jsonOk(pageOf(Role)), ...errorResponses },
      }),
      async (c) => {
        await check(c, db, { path: [], tier: 'province' });
        const rows = await db.selectFrom('role').selectAll().orderBy('code').execute();
        return c.json(
          {
            items: rows.map((r) => ({
              code: r.code,
              nameVi: r.name_vi,
              nameEn: r.name_en,
              readOnly: r.read_only,
            })),
            nextCursor: null,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/role-assignments',
        tags,
        summary: 'Role grants scoped at a unit (the province sees only heads and administrators of units)',
        middleware: [requires('role.assignment.read')],
        request: { query: ListQuery },
        responses: { 200: jsonOk(pageOf(RoleAssignment)), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const insideRes = await insideUnitResource(db, q.unitId);
        const inside = await allowed(c, db, 'role.assignment.read', insideRes);
        await check(c, db, inside ? insideRes : await headsOfUnitResource(db, q.unitId));
        const after = decodeCursor(q.cursor);
        let query = db.selectFrom('role_assignment').selectAll().where('scope_unit_id', '=', q.unitId);
        if (!inside) query = query.where('role_code', 'in', ['unit_head', 'administrator']);
        if (q.includeEnded !== 'true') {
          const today = todayVn();
          query = query.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]));
        }
        if (after)
          query = query.where(sql<boolean>`(valid_from::text, id) > (${after[0]}, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy(sql`valid_from::text`)
          .orderBy('id')
          .limit(q.limit + 1)
          .execute();
        return c.json(
          pageFrom(rows, q.limit, toAssignment, (r) => [r.valid_from, r.id]),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/role-assignments',
        tags,
        summary: 'Grant a role over a scope unit for a period',
        middleware: [requires('role.grant')],
        request: { body: jsonBody(Grant) },
        responses: { 201: jsonOk(RoleAssignment, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        await check(c, db, await grantResource(db, b.roleCode, b.scopeUnitId, b.personId));
        const row = await db.transaction().execute(async (trx) => {
          const r = await trx
            .insertInto('role_assignment')
            .values({
              person_id: b.personId,
              role_code: b.roleCode,
              scope_unit_id: b.scopeUnitId,
              valid_from: b.validFrom,
              valid_to: b.validTo ?? null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'role_assignment', r.id, 'role.granted', null, toAssignment(r));
          await audit(trx, c, 'person', r.person_id, 'role.granted', null, toAssignment(r));
          return r;
        });
        return c.json(toAssignment(row), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/role-assignments/{id}/revoke',
        tags,
        summary: 'Revoke a grant: it ends on the given day (history stays)',
        middleware: [requires('role.revoke')],
        request: { params: IdParam, body: jsonBody(Revoke) },
        responses: { 200: jsonOk(RoleAssignment), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        const existing = await db
          .selectFrom('role_assignment')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        if (!existing) throw assignmentNotFound();
        await check(
          c,
          db,
          await grantResource(db, existing.role_code, existing.scope_unit_id, existing.person_id),
        );
        const row = await db.transaction().execute(async (trx) => {
          const { before, after } = await updateRowAudited(trx, c, {
            table: 'role_assignment',
            id,
            notFound: assignmentNotFound,
            check: (grant) => {
              if (grant.valid_to !== null && grant.valid_to <= b.validTo)
                throw rule(
                  409,
                  'ROLE_ASSIGNMENT_ENDED',
                  'Phân quyền đã kết thúc trước ngày này.',
                  'The grant already ended by this day.',
                );
            },
            set: { valid_to: b.validTo },
            audit: { action: 'role.revoked', view: toAssignment },
          });
          // the grant shows in the person's history too
          await audit(
            trx,
            c,
            'person',
            before.person_id,
            'role.revoked',
            toAssignment(before),
            toAssignment(after),
          );
          return after;
        });
        return c.json(toAssignment(row), 200);
      },
    );
}
