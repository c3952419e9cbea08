// The audit trail of any entity (DESIGN §5), for administrators and auditors within their scope.
import { createRoute } from '@hono/zod-openapi';
import { verifyChain } from '../../db/audit/index.ts';
import type { Executor } from '../../db/executor.ts';
import { check, requires } from '../authz/middleware.ts';
import type { Resource } from '../authz/policy.ts';
import {
  grantResource,
  insideUnitResource,
  personResource,
  provinceResource,
  unitResource,
} from '../authz/resources.ts';
import { contentApp, decodeCursor, encodeCursor, errorResponses, jsonOk, PageQuery, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';

export const AUDITED_TYPES = [
  'org_unit',
  'person',
  'role_assignment',
  'approval_chain',
  'calendar_profile',
  'metric_template',
  'conversion_catalogue',
] as const;
type AuditedType = (typeof AUDITED_TYPES)[number];

const AuditEntry = z
  .object({
    seq: z.number().int(),
    actor: z.string(),
    action: z.string(),
    at: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    hash: z.string(),
  })
  .openapi('AuditEntry');

const Params = z.object({
  aggregateType: z.enum(AUDITED_TYPES).openapi({ param: { name: 'aggregateType', in: 'path' } }),
  aggregateId: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'CODE_INVALID' })
    .openapi({ param: { name: 'aggregateId', in: 'path' } }),
});

const entityNotFound = () =>
  new ApiProblem({
    status: 404,
    code: 'AUDIT_ENTITY_NOT_FOUND',
    vi: 'Không tìm thấy đối tượng.',
    en: 'Entity not found.',
  });

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Where an audited entity sits, so its trail is read under the same tiered rule as the entity. */
async function resourceOf(db: Executor, type: AuditedType, id: string): Promise<Resource> {
  if (type !== 'calendar_profile' && !isUuid(id)) throw entityNotFound();
  switch (type) {
    case 'org_unit':
      return unitResource(db, id);
    case 'person':
      return personResource(db, id);
    case 'role_assignment': {
      const r = await db.selectFrom('role_assignment').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw entityNotFound();
      return grantResource(db, r.role_code, r.scope_unit_id, r.person_id);
    }
    case 'approval_chain': {
      const r = await db
        .selectFrom('approval_chain')
        .select('province_id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw entityNotFound();
      return provinceResource(db, r.province_id);
    }
    case 'calendar_profile': {
      const r = await db
        .selectFrom('calendar_profile')
        .select('province_id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw entityNotFound();
      return r.province_id ? provinceResource(db, r.province_id) : { path: [], tier: 'province' };
    }
    case 'metric_template': {
      const r = await db
        .selectFrom('metric_template')
        .select('province_id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw entityNotFound();
      return provinceResource(db, r.province_id);
    }
    case 'conversion_catalogue': {
      const r = await db
        .selectFrom('conversion_catalogue')
        .select('unit_id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw entityNotFound();
      return insideUnitResource(db, r.unit_id);
    }
  }
}

export function auditRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp().openapi(
    createRoute({
      method: 'get',
      path: '/{aggregateType}/{aggregateId}',
      tags: ['audit'],
      summary: 'The audit trail of one entity, oldest first, with its hash-chain check',
      middleware: [requires('audit.read')],
      request: { params: Params, query: PageQuery },
      responses: {
        200: jsonOk(
          z.object({
            items: z.array(AuditEntry),
            nextCursor: z.string().nullable(),
            chainIntact: z.boolean(),
          }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { aggregateType, aggregateId } = c.req.valid('param');
      const q = c.req.valid('query');
      await check(c, db, await resourceOf(db, aggregateType, aggregateId));
      const after = decodeCursor(q.cursor);
      const afterSeq = after ? Number.parseInt(after[0], 10) : 0;
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('aggregate_type', '=', aggregateType)
        .where('aggregate_id', '=', aggregateId)
        .where('seq', '>', Number.isFinite(afterSeq) ? afterSeq : 0)
        .orderBy('seq')
        .limit(q.limit + 1)
        .execute();
      const more = rows.length > q.limit;
      const items = rows.slice(0, q.limit);
      const last = items.at(-1);
      const chain = await verifyChain(db, aggregateType, aggregateId);
      return c.json(
        {
          items: items.map((r) => ({
            seq: r.seq,
            actor: r.actor,
            action: r.action,
            at: r.at.toISOString(),
            before: r.before,
            after: r.after,
            hash: r.hash,
          })),
          nextCursor: more && last ? encodeCursor(String(last.seq), aggregateId) : null,
          chainIntact: chain.ok,
        },
        200,
      );
    },
  );
}
