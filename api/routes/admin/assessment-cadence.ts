// The per-agency assessment cadence (DESIGN §3 "each assessment period", RULES.md; issue 6 loose ends): whether
// the people of an agency (a unit directly under its province) are assessed every month or every quarter. Read by
// the administrators and auditors of the province or the agency and the agency's head; set by the administrators
// of the province or the agency. A change takes effect from the next assessment period — the first month of
// the next quarter (Asia/Ho_Chi_Minh) — so a period under way is neither cut short nor assessed twice; the
// answer says which cadence is in force now and from when the new one applies. Audited.
import { createRoute } from '@hono/zod-openapi';
import { todayVn } from '../../../db/queries/org-tree.ts';
import { cadenceOf, setCadence } from '../../../db/queries/period-assessments.ts';
import { check, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { actorId, rule } from './common.ts';

const tags = ['assessment-cadence'];
const Cadence = z.enum(['month', 'quarter']);
const UnitParam = z.object({ unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }) });

const CadenceOut = z
  .object({
    unitId: z.string(),
    unitName: z.string(),
    cadence: Cadence.openapi({ description: 'The cadence set (in force from `effectiveFrom` when given)' }),
    inForce: Cadence.openapi({ description: 'The cadence of the current month' }),
    effectiveFrom: z
      .string()
      .nullable()
      .openapi({ description: "The first month ('YYYY-MM') of `cadence` when it is not in force yet" }),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .openapi('AssessmentCadence');
const CadenceIn = z.object({ cadence: Cadence }).strict().openapi('AssessmentCadenceSet');

const notAgency = () =>
  rule(
    404,
    'CADENCE_UNIT_NOT_AGENCY',
    'Kỳ đánh giá chỉ đặt cho cơ quan, đơn vị trực thuộc tỉnh.',
    'The assessment cadence is set only for agencies directly under the province.',
  );

export function assessmentCadenceRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const month = () => todayVn(now()).slice(0, 7);

  /** The agency as a unit-level resource; 404 (before any check) for anything but a unit under its province. */
  async function agencyOf(unitId: string): Promise<{ resource: Resource; name: string } | undefined> {
    const path = await loadPath(db, unitId);
    if (path.length !== 2) return undefined;
    const unit = await db
      .selectFrom('org_unit')
      .select('name_vi')
      .where('id', '=', unitId)
      .executeTakeFirst();
    return { resource: { path: path.map((n) => n.id), tier: 'unit' }, name: unit?.name_vi ?? '' };
  }

  async function view(unitId: string, name: string) {
    const row = await db
      .selectFrom('assessment_cadence')
      .selectAll()
      .where('unit_id', '=', unitId)
      .executeTakeFirst();
    const inForce = await cadenceOf(db, unitId, month());
    const pending = row?.effective_from && month() < row.effective_from ? row.effective_from : null;
    return {
      unitId,
      unitName: name,
      cadence: row?.cadence ?? 'month',
      inForce,
      effectiveFrom: pending,
      updatedBy: row?.updated_by ?? null,
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    };
  }

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{unitId}',
        tags,
        summary:
          "An agency's assessment cadence (month unless set): the one set, the one in force this month, and the first month of a change not in force yet",
        middleware: [requires('assessment.cadence.read')] as const,
        request: { params: UnitParam },
        responses: { 200: jsonOk(CadenceOut), ...errorResponses },
      }),
      async (c) => {
        const { unitId } = c.req.valid('param');
        const a = await agencyOf(unitId);
        if (!a) throw notAgency();
        await check(c, db, a.resource);
        return c.json(await view(unitId, a.name), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{unitId}',
        tags,
        summary:
          "Set an agency's assessment cadence (month | quarter), by the administrators of the province or the agency; audited. It takes effect from the next assessment period — the first month of the next quarter — and the current one keeps its cadence (effectiveFrom in the answer)",
        middleware: [requires('assessment.cadence.manage')] as const,
        request: { params: UnitParam, body: jsonBody(CadenceIn) },
        responses: { 200: jsonOk(CadenceOut), ...errorResponses },
      }),
      async (c) => {
        const { unitId } = c.req.valid('param');
        const a = await agencyOf(unitId);
        if (!a) throw notAgency();
        await check(c, db, a.resource);
        const { cadence } = c.req.valid('json');
        await setCadence(db, { unitId, cadence, by: actorId(c), month: month() });
        return c.json(await view(unitId, a.name), 200);
      },
    );
}
