// People (DESIGN §1): create with a first employment period, update names, contact and duty group.
import { createRoute } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { todayVn } from '../../../db/queries/org-tree.ts';
import { DUTY_GROUPS, type PersonTable } from '../../../db/schema.ts';
import { allowed, check, requires } from '../../authz/middleware.ts';
import {
  headsOfUnitResource,
  insideUnitResource,
  personNotFound,
  personResource,
} from '../../authz/resources.ts';
import {
  contentApp,
  decodeCursor,
  email,
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
import { audit, columnPatch, rule, updateRowAudited } from './common.ts';

export const Person = z
  .object({
    id: z.string(),
    fullName: z.string(),
    familyName: z.string().nullable(),
    middleName: z.string().nullable(),
    givenName: z.string().nullable(),
    email: z.string(),
    phone: z.string().nullable(),
    dutyGroup: z.enum(DUTY_GROUPS),
    active: z.boolean(),
  })
  .openapi('Person');
export type PersonDto = z.infer<typeof Person>;

export const toPerson = (r: Selectable<PersonTable>): PersonDto => ({
  id: r.id,
  fullName: r.full_name,
  familyName: r.family_name,
  middleName: r.middle_name,
  givenName: r.given_name,
  email: r.email,
  phone: r.phone,
  dutyGroup: r.duty_group,
  active: r.active,
});

export const phone = z
  .string()
  .max(20)
  .regex(/^\+?[0-9 .-]{6,20}$/, { message: 'PHONE_INVALID' });
export const positionCode = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, { message: 'CODE_INVALID' });

export const CreatePerson = z
  .object({
    fullName: nameText(150),
    familyName: nameText(60).optional(),
    middleName: nameText(60).optional(),
    givenName: nameText(60).optional(),
    email,
    phone: phone.optional(),
    dutyGroup: z.enum(DUTY_GROUPS),
    employment: z
      .object({ unitId: uuid, positionCode, validFrom: isoDate, isConcurrent: z.boolean().optional() })
      .strict(),
  })
  .strict()
  .openapi('CreatePerson');

const UpdatePerson = z
  .object({
    fullName: nameText(150).optional(),
    familyName: nameText(60).nullable().optional(),
    middleName: nameText(60).nullable().optional(),
    givenName: nameText(60).nullable().optional(),
    email: email.optional(),
    phone: phone.nullable().optional(),
    dutyGroup: z.enum(DUTY_GROUPS).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'NOTHING_TO_CHANGE' })
  .openapi('UpdatePerson');

const ListQuery = PageQuery.extend({ unitId: uuid });
const tags = ['people'];

export const positionUnknown = () =>
  rule(422, 'EMPLOYMENT_POSITION_UNKNOWN', 'Chức vụ không tồn tại.', 'The position does not exist.');

export function peopleRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: "List the people currently employed in a unit (the province sees only the unit's heads)",
        middleware: [requires('person.read')],
        request: { query: ListQuery },
        responses: { 200: jsonOk(pageOf(Person)), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const inside = await allowed(c, db, 'person.read', await insideUnitResource(db, q.unitId));
        const headsRes = await headsOfUnitResource(db, q.unitId);
        await check(c, db, inside ? await insideUnitResource(db, q.unitId) : headsRes);
        const today = todayVn();
        const after = decodeCursor(q.cursor);
        let query = db
          .selectFrom('person as p')
          .selectAll('p')
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('employment as e')
                .select('e.id')
                .whereRef('e.person_id', '=', 'p.id')
                .where('e.org_unit_id', '=', q.unitId)
                .where('e.valid_from', '<=', today)
                .where((eb) => eb.or([eb('e.valid_to', 'is', null), eb('e.valid_to', '>=', today)])),
            ),
          );
        if (!inside) {
          const top = headsRes.path[1] ?? '';
          query = query.where(({ exists, selectFrom }) =>
            exists(
              selectFrom('role_assignment as ra')
                .select('ra.id')
                .whereRef('ra.person_id', '=', 'p.id')
                .where('ra.role_code', '=', 'unit_head')
                .where('ra.scope_unit_id', '=', top)
                .where('ra.valid_from', '<=', today)
                .where((eb) => eb.or([eb('ra.valid_to', 'is', null), eb('ra.valid_to', '>=', today)])),
            ),
          );
        }
        if (after) query = query.where(sql<boolean>`(p.full_name, p.id) > (${after[0]}, ${after[1]}::uuid)`);
        const rows = await query
          .orderBy('p.full_name')
          .orderBy('p.id')
          .limit(q.limit + 1)
          .execute();
        return c.json(
          pageFrom(rows, q.limit, toPerson, (r) => [r.full_name, r.id]),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'Read a person',
        middleware: [requires('person.read')],
        request: { params: IdParam },
        responses: { 200: jsonOk(Person), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await check(c, db, await personResource(db, id));
        const row = await db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw personNotFound();
        return c.json(toPerson(row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Create a person with a first employment period',
        middleware: [requires('person.create')],
        request: { body: jsonBody(CreatePerson) },
        responses: { 201: jsonOk(Person, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        await check(c, db, await insideUnitResource(db, b.employment.unitId));
        const row = await db.transaction().execute(async (trx) => {
          const p = await trx
            .insertInto('person')
            .values({
              full_name: b.fullName,
              family_name: b.familyName ?? null,
              middle_name: b.middleName ?? null,
              given_name: b.givenName ?? null,
              email: b.email,
              phone: b.phone ?? null,
              duty_group: b.dutyGroup,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const e = await trx
            .insertInto('employment')
            .values({
              person_id: p.id,
              org_unit_id: b.employment.unitId,
              position_code: b.employment.positionCode,
              valid_from: b.employment.validFrom,
              is_concurrent: b.employment.isConcurrent ?? false,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'person', p.id, 'person.created', null, {
            ...toPerson(p),
            employment: {
              id: e.id,
              unitId: e.org_unit_id,
              positionCode: e.position_code,
              validFrom: e.valid_from,
            },
          });
          return p;
        });
        return c.json(toPerson(row), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags,
        summary: 'Update a person (names, e-mail, phone, duty group)',
        middleware: [requires('person.update')],
        request: { params: IdParam, body: jsonBody(UpdatePerson) },
        responses: { 200: jsonOk(Person), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        await check(c, db, await personResource(db, id));
        const { after } = await db.transaction().execute((trx) =>
          updateRowAudited(trx, c, {
            table: 'person',
            id,
            notFound: personNotFound,
            set: columnPatch(b, {
              full_name: 'fullName',
              family_name: 'familyName',
              middle_name: 'middleName',
              given_name: 'givenName',
              email: 'email',
              phone: 'phone',
              duty_group: 'dutyGroup',
            }),
            audit: { action: 'person.updated', view: toPerson },
          }),
        );
        return c.json(toPerson(after), 200);
      },
    );
}
