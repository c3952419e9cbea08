// Employment periods (DESIGN §1: transfers, leavers): hire, transfer with an effective date closing the
// old period, leave. A transfer across units needs authority over both; otherwise the old unit records the
// leave and the new unit hires.
import { createRoute } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { EmploymentTable } from '../../../db/schema.ts';
import { check, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { headsOfUnitResource, insideUnitResource, personResource } from '../../authz/resources.ts';
import { contentApp, errorResponses, isoDate, jsonBody, jsonOk, pageOf, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { audit, dayBefore, rule } from './common.ts';
import { positionCode } from './people.ts';

export const Employment = z
  .object({
    id: z.string(),
    personId: z.string(),
    unitId: z.string(),
    positionCode: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    isConcurrent: z.boolean(),
  })
  .openapi('Employment');
type EmploymentDto = z.infer<typeof Employment>;

const toEmployment = (r: Selectable<EmploymentTable>): EmploymentDto => ({
  id: r.id,
  personId: r.person_id,
  unitId: r.org_unit_id,
  positionCode: r.position_code,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  isConcurrent: r.is_concurrent,
});

const Hire = z
  .object({
    personId: uuid,
    unitId: uuid,
    positionCode,
    validFrom: isoDate,
    isConcurrent: z.boolean().optional(),
  })
  .strict()
  .openapi('Hire');
const Transfer = z
  .object({ personId: uuid, unitId: uuid, positionCode, effectiveDate: isoDate })
  .strict()
  .openapi('Transfer');
const Leave = z.object({ personId: uuid, lastDay: isoDate }).strict().openapi('Leave');
const ListQuery = z.object({ personId: uuid });
const tags = ['employment'];

/** Where a person goes: a unit head lands as unit-level data of the target unit, anyone else inside it. */
async function targetResource(db: Executor, person: Resource, unitId: string): Promise<Resource> {
  const r =
    person.tier === 'unit' ? await headsOfUnitResource(db, unitId) : await insideUnitResource(db, unitId);
  return { ...r, subjectPersonId: person.subjectPersonId };
}

export function employmentRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: "A person's employment periods",
        middleware: [requires('employment.read')],
        request: { query: ListQuery },
        responses: { 200: jsonOk(pageOf(Employment)), ...errorResponses },
      }),
      async (c) => {
        const { personId } = c.req.valid('query');
        await check(c, db, await personResource(db, personId));
        const rows = await db
          .selectFrom('employment')
          .selectAll()
          .where('person_id', '=', personId)
          .orderBy('valid_from')
          .execute();
        return c.json({ items: rows.map(toEmployment), nextCursor: null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/hire',
        tags,
        summary: 'Open an employment period in a unit',
        middleware: [requires('employment.change')],
        request: { body: jsonBody(Hire) },
        responses: { 201: jsonOk(Employment, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const person = await personResource(db, b.personId);
        await check(c, db, await targetResource(db, person, b.unitId));
        const row = await db.transaction().execute(async (trx) => {
          const e = await trx
            .insertInto('employment')
            .values({
              person_id: b.personId,
              org_unit_id: b.unitId,
              position_code: b.positionCode,
              valid_from: b.validFrom,
              is_concurrent: b.isConcurrent ?? false,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'person', b.personId, 'employment.hired', null, toEmployment(e));
          return e;
        });
        return c.json(toEmployment(row), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/transfer',
        tags,
        summary:
          'Transfer to another unit or position from an effective date (closes the current main period)',
        middleware: [requires('employment.change')],
        request: { body: jsonBody(Transfer) },
        responses: { 200: jsonOk(z.object({ closed: Employment, opened: Employment })), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const person = await personResource(db, b.personId);
        await check(c, db, [person, await targetResource(db, person, b.unitId)]);
        const result = await db.transaction().execute(async (trx) => {
          const current = await trx
            .selectFrom('employment')
            .selectAll()
            .where('person_id', '=', b.personId)
            .where('is_concurrent', '=', false)
            .where('valid_from', '<', b.effectiveDate)
            .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', b.effectiveDate)]))
            .forUpdate()
            .executeTakeFirst();
          if (!current)
            throw rule(
              422,
              'EMPLOYMENT_NONE_OPEN',
              'Người này không có quá trình công tác chính đang mở vào ngày hiệu lực.',
              'The person has no open main employment period on the effective date.',
            );
          const closed = await trx
            .updateTable('employment')
            .set({ valid_to: dayBefore(b.effectiveDate) })
            .where('id', '=', current.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          const opened = await trx
            .insertInto('employment')
            .values({
              person_id: b.personId,
              org_unit_id: b.unitId,
              position_code: b.positionCode,
              valid_from: b.effectiveDate,
              valid_to: current.valid_to,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await audit(trx, c, 'person', b.personId, 'employment.transferred', toEmployment(current), {
            closed: toEmployment(closed),
            opened: toEmployment(opened),
          });
          return { closed: toEmployment(closed), opened: toEmployment(opened) };
        });
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/leave',
        tags,
        summary: 'Record a leaver: closes open periods and role grants at the last day',
        middleware: [requires('employment.change')],
        request: { body: jsonBody(Leave) },
        responses: {
          200: jsonOk(z.object({ closed: z.array(Employment), rolesEnded: z.number().int() })),
          ...errorResponses,
        },
      }),
      async (c) => {
        const b = c.req.valid('json');
        await check(c, db, await personResource(db, b.personId));
        const result = await db.transaction().execute(async (trx) => {
          const closed = await trx
            .updateTable('employment')
            .set({ valid_to: b.lastDay })
            .where('person_id', '=', b.personId)
            .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', b.lastDay)]))
            .returningAll()
            .execute();
          if (closed.length === 0)
            throw rule(
              422,
              'EMPLOYMENT_NONE_OPEN',
              'Người này không có quá trình công tác nào còn mở sau ngày này.',
              'The person has no employment period open after this day.',
            );
          const roles = await trx
            .updateTable('role_assignment')
            .set({ valid_to: b.lastDay })
            .where('person_id', '=', b.personId)
            .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', b.lastDay)]))
            .returning('id')
            .execute();
          const stillEmployed = await trx
            .selectFrom('employment')
            .select('id')
            .where('person_id', '=', b.personId)
            .where('valid_from', '>', b.lastDay)
            .executeTakeFirst();
          if (!stillEmployed)
            await trx.updateTable('person').set({ active: false }).where('id', '=', b.personId).execute();
          await audit(trx, c, 'person', b.personId, 'employment.left', null, {
            lastDay: b.lastDay,
            closed: closed.map(toEmployment),
            rolesEnded: roles.map((r) => r.id),
          });
          return { closed: closed.map(toEmployment), rolesEnded: roles.length };
        });
        return c.json(result, 200);
      },
    );
}
