// Approval chains per unit type and subject (DESIGN §1): who approves plans, amendments, reopenings,
// delegations and evaluations. Province-wide settings.
import { createRoute } from '@hono/zod-openapi';
import type { Executor } from '../../../db/executor.ts';
import { APPROVAL_SUBJECTS, ROLES } from '../../../db/schema.ts';
import { check, requires } from '../../authz/middleware.ts';
import { provinceResource } from '../../authz/resources.ts';
import { contentApp, errorResponses, IdParam, jsonBody, jsonOk, pageOf, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { audit, rule } from './common.ts';

const Step = z.object({ roleCode: z.enum(ROLES), scope: z.enum(['unit', 'parent', 'province']) }).strict();
export const ApprovalChain = z
  .object({
    id: z.string(),
    provinceId: z.string(),
    unitTypeCode: z.string(),
    subject: z.enum(APPROVAL_SUBJECTS),
    steps: z.array(
      z.object({
        stepNo: z.number().int(),
        roleCode: z.enum(ROLES),
        scope: z.enum(['unit', 'parent', 'province']),
      }),
    ),
  })
  .openapi('ApprovalChain');
type ApprovalChainDto = z.infer<typeof ApprovalChain>;

const Steps = z.array(Step).min(1).max(8);
const CreateChain = z
  .object({
    provinceId: uuid,
    unitTypeCode: z
      .string()
      .max(40)
      .regex(/^[a-z][a-z_]*$/, { message: 'CODE_INVALID' }),
    subject: z.enum(APPROVAL_SUBJECTS),
    steps: Steps,
  })
  .strict()
  .openapi('CreateApprovalChain');
const ReplaceSteps = z.object({ steps: Steps }).strict().openapi('ReplaceApprovalSteps');
const tags = ['approval-chains'];

const chainNotFound = () =>
  rule(404, 'APPROVAL_CHAIN_NOT_FOUND', 'Không tìm thấy quy trình phê duyệt.', 'Approval chain not found.');

function checkSteps(steps: z.infer<typeof Steps>): void {
  const seen = new Set<string>();
  for (const s of steps) {
    const k = `${s.roleCode}/${s.scope}`;
    if (seen.has(k))
      throw rule(
        422,
        'APPROVAL_STEPS_DUPLICATE',
        'Một vai trò ở cùng cấp không được phê duyệt hai lần trong một quy trình.',
        'The same role at the same level cannot approve twice in one chain.',
      );
    seen.add(k);
  }
}

async function loadChain(db: Executor, id: string): Promise<ApprovalChainDto | undefined> {
  const chain = await db.selectFrom('approval_chain').selectAll().where('id', '=', id).executeTakeFirst();
  if (!chain) return undefined;
  const steps = await db
    .selectFrom('approval_chain_step')
    .selectAll()
    .where('chain_id', '=', id)
    .orderBy('step_no')
    .execute();
  return {
    id: chain.id,
    provinceId: chain.province_id,
    unitTypeCode: chain.unit_type_code,
    subject: chain.subject,
    steps: steps.map((s) => ({ stepNo: s.step_no, roleCode: s.role_code, scope: s.scope })),
  };
}

export function approvalChainRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: "A province's approval chains",
        middleware: [requires('approval.chain.read')],
        request: { query: z.object({ provinceId: uuid }) },
        responses: { 200: jsonOk(pageOf(ApprovalChain)), ...errorResponses },
      }),
      async (c) => {
        const { provinceId } = c.req.valid('query');
        await check(c, db, await provinceResource(db, provinceId));
        const chains = await db
          .selectFrom('approval_chain')
          .select('id')
          .where('province_id', '=', provinceId)
          .orderBy('unit_type_code')
          .orderBy('subject')
          .execute();
        const items: ApprovalChainDto[] = [];
        for (const ch of chains) {
          const full = await loadChain(db, ch.id);
          if (full) items.push(full);
        }
        return c.json({ items, nextCursor: null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'Read an approval chain',
        middleware: [requires('approval.chain.read')],
        request: { params: IdParam },
        responses: { 200: jsonOk(ApprovalChain), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const chain = await loadChain(db, id);
        if (!chain) throw chainNotFound();
        await check(c, db, await provinceResource(db, chain.provinceId));
        return c.json(chain, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Create the approval chain of a unit type and subject',
        middleware: [requires('approval.chain.manage')],
        request: { body: jsonBody(CreateChain) },
        responses: { 201: jsonOk(ApprovalChain, 'Created'), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        await check(c, db, await provinceResource(db, b.provinceId));
        checkSteps(b.steps);
        const id = await db.transaction().execute(async (trx) => {
          const ch = await trx
            .insertInto('approval_chain')
            .values({ province_id: b.provinceId, unit_type_code: b.unitTypeCode, subject: b.subject })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('approval_chain_step')
            .values(
              b.steps.map((s, i) => ({
                chain_id: ch.id,
                step_no: i + 1,
                role_code: s.roleCode,
                scope: s.scope,
              })),
            )
            .execute();
          await audit(
            trx,
            c,
            'approval_chain',
            ch.id,
            'approval_chain.created',
            null,
            await loadChain(trx, ch.id),
          );
          return ch.id;
        });
        const chain = await loadChain(db, id);
        if (!chain) throw chainNotFound();
        return c.json(chain, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}/steps',
        tags,
        summary: 'Replace the steps of an approval chain',
        middleware: [requires('approval.chain.manage')],
        request: { params: IdParam, body: jsonBody(ReplaceSteps) },
        responses: { 200: jsonOk(ApprovalChain), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        const before = await loadChain(db, id);
        if (!before) throw chainNotFound();
        await check(c, db, await provinceResource(db, before.provinceId));
        checkSteps(b.steps);
        await db.transaction().execute(async (trx) => {
          await trx.selectFrom('approval_chain').select('id').where('id', '=', id).forUpdate().execute();
          await trx.deleteFrom('approval_chain_step').where('chain_id', '=', id).execute();
          await trx
            .insertInto('approval_chain_step')
            .values(
              b.steps.map((s, i) => ({
                chain_id: id,
                step_no: i + 1,
                role_code: s.roleCode,
                scope: s.scope,
              })),
            )
            .execute();
          await audit(
            trx,
            c,
            'approval_chain',
            id,
            'approval_chain.steps_replaced',
            before,
            await loadChain(trx, id),
          );
        });
        const chain = await loadChain(db, id);
        if (!chain) throw chainNotFound();
        return c.json(chain, 200);
      },
    );
}
