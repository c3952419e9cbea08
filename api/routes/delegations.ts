// Delegations (DESIGN §3, §5; issue 5 of WOMS): a person on leave names a delegate from their own unit for
// a window of local days (Asia/Ho_Chi_Minh); the approver — the first step of the unit type's 'delegation'
// approval chain, by default the person's supervisor (else the unit head, up the tree) — decides it from an
// inbox task. Screen → API → workflow (start / Update decideDelegation / revokeDelegation) → activity →
// PostgreSQL read model → screen. Bad input is refused with a stable code before anything is saved.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import {
  type DelegationView,
  delegationsOf,
  delegationView,
  overlappingGranted,
  overlappingRequested,
} from '../../db/queries/delegations.ts';
import { holdersOfRole, unitAncestry } from '../../db/queries/org.ts';
import { employmentUnitOf } from '../../db/queries/org-tree.ts';
import type { RoleCode } from '../../db/schema.ts';
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { TASK_QUEUE } from '../../worker/task-queues.ts';
import {
  type DelegationInput,
  decideDelegation,
  delegationId,
  revokeDelegation,
} from '../../workflows/delegation.messages.ts';
import type { AuthzEnv } from '../authz/middleware.ts';
import { check, requires } from '../authz/middleware.ts';
import { contentApp, errorResponses, isoDate, jsonBody, jsonOk, plainText, uuid, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { actorId, audit, rule } from './admin/common.ts';
import { updateIdOf, withTemporal } from './plans/temporal.ts';

const tags = ['delegations'];
const unavailableResponse = {
  description: 'The workflow service is unreachable or too slow (DEPENDENCY_UNAVAILABLE, with Retry-After)',
  content: errorResponses[409].content,
};
/** Longest window one request may name (a year). */
export const MAX_DELEGATION_DAYS = 366;

const err = {
  self: () =>
    rule(422, 'DELEGATION_SELF', 'Không thể ủy quyền cho chính mình.', 'You cannot delegate to yourself.'),
  period: () =>
    rule(
      422,
      'DELEGATION_PERIOD_INVALID',
      'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.',
      'The last day must be on or after the first day.',
    ),
  tooLong: () =>
    rule(
      422,
      'DELEGATION_PERIOD_TOO_LONG',
      `Một lần ủy quyền không quá ${MAX_DELEGATION_DAYS} ngày.`,
      `One delegation may not exceed ${MAX_DELEGATION_DAYS} days.`,
    ),
  past: () =>
    rule(
      422,
      'DELEGATION_FROM_PAST',
      'Ngày bắt đầu không được trước hôm nay.',
      'The first day cannot be before today.',
    ),
  reason: () => rule(422, 'DELEGATION_REASON_REQUIRED', 'Cần nêu lý do ủy quyền.', 'A reason is required.'),
  otherUnit: () =>
    rule(
      422,
      'DELEGATION_DELEGATE_OTHER_UNIT',
      'Người được ủy quyền phải công tác cùng đơn vị trong thời gian ủy quyền.',
      'The delegate must work in the same unit during the delegation.',
    ),
  notEmployed: () =>
    rule(422, 'PERSON_NOT_EMPLOYED', 'Bạn hiện không thuộc đơn vị nào.', 'You have no current unit.'),
  noApprover: () =>
    rule(
      422,
      'DELEGATION_NO_APPROVER',
      'Không tìm thấy người duyệt ủy quyền (người quản lý trực tiếp hoặc thủ trưởng đơn vị).',
      'No approver was found (supervisor or unit head).',
    ),
  overlap: () =>
    rule(
      409,
      'DELEGATION_OVERLAP',
      'Thời gian này trùng với một ủy quyền khác của bạn.',
      'This period overlaps another delegation of yours.',
    ),
  exists: () =>
    rule(
      409,
      'DELEGATION_EXISTS',
      'Đã có đề nghị ủy quyền bắt đầu từ ngày này.',
      'A delegation starting on this day already exists.',
    ),
  notFound: () => rule(404, 'DELEGATION_NOT_FOUND', 'Không tìm thấy ủy quyền.', 'Delegation not found.'),
  notPending: (status: string) =>
    new ApiProblem({
      status: 409,
      code: 'DELEGATION_NOT_PENDING',
      vi: `Ủy quyền đang ở trạng thái ${status}, không thể quyết định.`,
      en: `The delegation is ${status}; it cannot be decided.`,
      details: { status },
    }),
  notRevocable: (status: string) =>
    new ApiProblem({
      status: 409,
      code: 'DELEGATION_NOT_REVOCABLE',
      vi: `Ủy quyền đang ở trạng thái ${status}, không thể thu hồi.`,
      en: `The delegation is ${status}; it cannot be revoked.`,
      details: { status },
    }),
};

const Party = z.object({ id: z.string(), name: z.string() });
const Delegation = z
  .object({
    id: z.string(),
    principal: Party,
    delegate: Party,
    approver: Party.nullable(),
    unitId: z.string(),
    unitName: z.string(),
    from: z.string(),
    to: z.string(),
    reason: z.string(),
    status: z.enum(['REQUESTED', 'APPROVED', 'REJECTED', 'ACTIVE', 'ENDED', 'REVOKED']),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    revokedBy: z.string().nullable(),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
    /** What the signed-in person may do with it now. */
    can: z.object({ decide: z.boolean(), revoke: z.boolean() }),
  })
  .openapi('Delegation');
type DelegationDto = z.infer<typeof Delegation>;

const Colleague = z.object({ id: z.string(), name: z.string() }).openapi('DelegationColleague');

const RequestBody = z
  .object({
    delegateId: uuid,
    from: isoDate,
    to: isoDate,
    reason: z.string().max(4000),
  })
  .openapi('DelegationRequest');
const DecideBody = z
  .object({ decision: z.enum(['approve', 'reject']), note: z.string().max(4000).optional() })
  .openapi('DelegationDecision');
const RevokeBody = z.object({ reason: z.string().max(4000).optional() }).openapi('DelegationRevocation');

const DelegationIdParam = z.object({
  id: z
    .string()
    .max(100)
    .regex(/^delegation:[0-9a-f-]{36}:\d{4}-\d{2}-\d{2}$/, { message: 'DELEGATION_ID_INVALID' })
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const OPEN_STATUSES = new Set(['REQUESTED', 'APPROVED', 'ACTIVE']);

function toDto(d: DelegationView, me: string): DelegationDto {
  return {
    id: d.id,
    principal: { id: d.principal_id, name: d.principal_name },
    delegate: { id: d.delegate_id, name: d.delegate_name },
    approver: d.approver_id ? { id: d.approver_id, name: d.approver_name ?? '' } : null,
    unitId: d.unit_id,
    unitName: d.unit_name_vi,
    from: d.from_date,
    to: d.to_date,
    reason: d.reason,
    status: d.status,
    decidedBy: d.decided_by,
    decidedAt: d.decided_at ? d.decided_at.toISOString() : null,
    decisionNote: d.decision_note,
    revokedBy: d.revoked_by,
    revokedAt: d.revoked_at ? d.revoked_at.toISOString() : null,
    createdAt: d.created_at.toISOString(),
    can: {
      decide: d.status === 'REQUESTED' && d.approver_id === me,
      revoke: OPEN_STATUSES.has(d.status) && (d.principal_id === me || d.approver_id === me),
    },
  };
}

/** Free text through the shared rules (NFC, trimmed, no markup); empty → undefined. */
function cleanText(raw: string | undefined, field: string): string | undefined {
  if (raw === undefined) return undefined;
  const r = plainText(1000).safeParse(raw);
  if (r.success) return r.data;
  const codes = r.error.issues.map((i) => i.message);
  if (codes.every((c) => c === 'TEXT_REQUIRED')) return undefined;
  throw new ApiProblem({
    status: 400,
    code: 'VALIDATION_FAILED',
    vi: 'Dữ liệu gửi lên không hợp lệ.',
    en: 'The request data is invalid.',
    details: {
      issues: r.error.issues.map((i) => ({
        path: field,
        code: /^[A-Z_]+$/.test(i.message) ? i.message : i.code.toUpperCase(),
        message: i.message,
      })),
    },
  });
}

/**
 * Who approves a delegation of `principalId` in `unitId` on `day`: the first step of the 'delegation' chain
 * of the unit's type (else of its nearest ancestor's type that has one) — its role in the unit, its parent
 * or the province; by default (no chain, or nobody holds the step's role) the supervisor of the unit, else
 * its unit head, then up the tree the head (else a supervisor) of each ancestor. Never the principal, nor the delegate (`delegateId`).
 */
export async function approverOf(
  db: Executor,
  principalId: string,
  unitId: string,
  day: string,
  delegateId?: string,
): Promise<{ id: string; full_name: string } | undefined> {
  const ancestry = await unitAncestry(db, unitId);
  const province = ancestry.at(-1);
  const pick = async (role: RoleCode, scope: string | undefined) => {
    if (!scope) return undefined;
    const holders = await holdersOfRole(db, role, scope, day);
    return holders.find((h) => h.id !== principalId && h.id !== delegateId);
  };
  if (province) {
    for (const u of ancestry) {
      const chain = await db
        .selectFrom('approval_chain')
        .select('id')
        .where('province_id', '=', province.id)
        .where('unit_type_code', '=', u.type_code as never)
        .where('subject', '=', 'delegation')
        .executeTakeFirst();
      if (!chain) continue;
      const step = await db
        .selectFrom('approval_chain_step')
        .select(['role_code', 'scope'])
        .where('chain_id', '=', chain.id)
        .orderBy('step_no')
        .executeTakeFirst();
      if (step) {
        const scope =
          step.scope === 'unit' ? unitId : step.scope === 'parent' ? ancestry[1]?.id : province.id;
        const found = await pick(step.role_code as RoleCode, scope);
        if (found) return found;
      }
      break;
    }
  }
  for (const u of ancestry) {
    if (u.id === province?.id) break;
    // in the person's own unit the direct manager first; above it, the head of the unit first
    const roles =
      u.id === unitId ? (['supervisor', 'unit_head'] as const) : (['unit_head', 'supervisor'] as const);
    for (const role of roles) {
      const found = await pick(role, u.id);
      if (found) return found;
    }
  }
  return undefined;
}

export function delegationRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const own = (personId: string) => ({
    path: [] as string[],
    tier: 'internal' as const,
    subjectPersonId: personId,
  });

  async function load(c: Context<AuthzEnv>, id: string, subject: (d: DelegationView, me: string) => string) {
    const me = actorId(c);
    const d = await delegationView(db, id);
    if (!d) {
      await check(c, db, own(me));
      throw err.notFound();
    }
    await check(c, db, own(subject(d, me)));
    return { d, me };
  }

  async function send(
    id: string,
    fn: (
      h: ReturnType<Awaited<ReturnType<ApiDeps['temporal']>>['workflow']['getHandle']>,
    ) => Promise<unknown>,
  ) {
    await withTemporal(
      deps.temporal,
      (client) => fn(client.workflow.getHandle(id)),
      deps.delegations?.updateDeadlineMs,
    );
  }

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: 'My delegations: as principal, as delegate, and the ones I approve',
        middleware: [requires('delegation.read')],
        responses: {
          200: jsonOk(
            z.object({
              asPrincipal: z.array(Delegation),
              asDelegate: z.array(Delegation),
              toApprove: z.array(Delegation),
            }),
          ),
          ...errorResponses,
        },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const r = await delegationsOf(db, me);
        return c.json(
          {
            asPrincipal: r.asPrincipal.map((d) => toDto(d, me)),
            asDelegate: r.asDelegate.map((d) => toDto(d, me)),
            toApprove: r.toApprove.map((d) => toDto(d, me)),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/colleagues',
        tags,
        summary: 'The people of my unit I may name as my delegate (employed there today)',
        middleware: [requires('delegation.read')],
        responses: {
          200: jsonOk(z.object({ unitId: z.string().nullable(), items: z.array(Colleague) })),
          ...errorResponses,
        },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const day = vnLocalDate(now().getTime());
        const unitId = await employmentUnitOf(db, me, day);
        if (!unitId) return c.json({ unitId: null, items: [] }, 200);
        const rows = await db
          .selectFrom('employment as e')
          .innerJoin('person as p', 'p.id', 'e.person_id')
          .select(['p.id', 'p.full_name'])
          .distinct()
          .where('e.org_unit_id', '=', unitId)
          .where('p.id', '<>', me)
          .where('p.active', '=', true)
          .where('e.valid_from', '<=', day)
          .where((eb) => eb.or([eb('e.valid_to', 'is', null), eb('e.valid_to', '>=', day)]))
          .orderBy('p.full_name')
          .orderBy('p.id')
          .limit(500)
          .execute();
        return c.json({ unitId, items: rows.map((r) => ({ id: r.id, name: r.full_name })) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary:
          'Ask for a delegation to a person of my unit (the approver comes from the delegation chain, by default my supervisor)',
        middleware: [requires('delegation.request')],
        request: { body: jsonBody(RequestBody) },
        responses: { 201: jsonOk(Delegation, 'Requested'), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const b = c.req.valid('json');
        const reason = cleanText(b.reason, 'reason');
        if (!reason) throw err.reason();
        if (b.delegateId === me) throw err.self();
        if (b.to < b.from) throw err.period();
        const day = vnLocalDate(now().getTime());
        if (b.from < day) throw err.past();
        const days = Math.round((Date.parse(b.to) - Date.parse(b.from)) / 86_400_000) + 1;
        if (days > MAX_DELEGATION_DAYS) throw err.tooLong();
        const unitId = await employmentUnitOf(db, me, day);
        if (!unitId) throw err.notEmployed();
        const delegate = await db
          .selectFrom('person as p')
          .select(['p.id', 'p.full_name'])
          .where('p.id', '=', b.delegateId)
          .where('p.active', '=', true)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('employment as e')
                .select('e.id')
                .whereRef('e.person_id', '=', 'p.id')
                .where('e.org_unit_id', '=', unitId)
                .where('e.valid_from', '<=', b.to)
                .where((x) => x.or([x('e.valid_to', 'is', null), x('e.valid_to', '>=', b.from)])),
            ),
          )
          .executeTakeFirst();
        if (!delegate) throw err.otherUnit();
        if (
          (await overlappingGranted(db, { principalId: me, from: b.from, to: b.to })) ||
          (await overlappingRequested(db, { principalId: me, from: b.from, to: b.to }))
        )
          throw err.overlap();
        const approver = await approverOf(db, me, unitId, day, delegate.id);
        if (!approver) throw err.noApprover();
        const principal = await db
          .selectFrom('person')
          .select('full_name')
          .where('id', '=', me)
          .executeTakeFirstOrThrow();
        const id = delegationId(me, b.from);
        let input: DelegationInput = {
          delegationId: id,
          principalId: me,
          delegateId: delegate.id,
          approverId: approver.id,
          unitId,
          from: b.from,
          to: b.to,
          reason,
          principalName: principal.full_name,
          delegateName: delegate.full_name,
        };
        if (deps.delegations?.adjustInput) input = deps.delegations.adjustInput(input);
        await db.transaction().execute(async (trx) => {
          // one request at a time per principal: serialises the overlap check with the insert
          await sql`SELECT pg_advisory_xact_lock(hashtext(${`delegation:${me}`}))`.execute(trx);
          if (await trx.selectFrom('delegation').select('id').where('id', '=', id).executeTakeFirst())
            throw err.exists();
          if (
            (await overlappingGranted(trx, { principalId: me, from: b.from, to: b.to })) ||
            (await overlappingRequested(trx, { principalId: me, from: b.from, to: b.to }))
          )
            throw err.overlap();
          await trx
            .insertInto('delegation')
            .values({
              id,
              principal_id: me,
              delegate_id: delegate.id,
              unit_id: unitId,
              from_date: b.from,
              to_date: b.to,
              reason,
              status: 'REQUESTED',
              approver_id: approver.id,
              decided_by: null,
              decided_at: null,
              decision_note: null,
              revoked_by: null,
              revoked_at: null,
              workflow_id: id,
              requested_by: me,
            })
            .execute();
          await audit(trx, c, 'delegation', id, 'delegation.requested', null, {
            principalId: me,
            delegateId: delegate.id,
            approverId: approver.id,
            unitId,
            from: b.from,
            to: b.to,
            reason,
          });
          // Started inside the transaction: a refused or failed start rolls the request back.
          await withTemporal(deps.temporal, (client) =>
            client.workflow.start('delegationWorkflow', {
              taskQueue: deps.delegations?.taskQueue ?? TASK_QUEUE,
              workflowId: id,
              args: [input],
              workflowIdConflictPolicy: 'FAIL',
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
            }),
          );
        });
        const d = await delegationView(db, id);
        if (!d) throw err.notFound();
        return c.json(toDto(d, me), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/decide',
        tags,
        summary: 'Approve or reject a delegation (its approver only; nobody approves their own)',
        middleware: [requires('delegation.decide')],
        request: { params: DelegationIdParam, body: jsonBody(DecideBody) },
        responses: { 200: jsonOk(Delegation), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { d, me } = await load(c, id, (x) => x.approver_id ?? x.principal_id);
        const b = c.req.valid('json');
        const note = cleanText(b.note, 'note');
        if (d.status !== 'REQUESTED') throw err.notPending(d.status);
        if (
          b.decision === 'approve' &&
          (await overlappingGranted(db, {
            principalId: d.principal_id,
            from: d.from_date,
            to: d.to_date,
            exceptId: d.id,
          }))
        )
          throw err.overlap();
        const updateId = `decide:${updateIdOf(c.req.header('idempotency-key'), `${id}:${b.decision}:${me}`)}`;
        await send(id, (h) =>
          h.executeUpdate(decideDelegation, {
            args: [{ decision: b.decision, by: me, ...(note ? { note } : {}) }],
            updateId,
          }),
        );
        const after = await delegationView(db, id);
        if (!after) throw err.notFound();
        return c.json(toDto(after, me), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{id}/revoke',
        tags,
        summary: 'Revoke a requested, approved or active delegation (its principal or its approver)',
        middleware: [requires('delegation.revoke')],
        request: { params: DelegationIdParam, body: jsonBody(RevokeBody) },
        responses: { 200: jsonOk(Delegation), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { d, me } = await load(c, id, (x, who) =>
          who === x.principal_id || who === x.approver_id ? who : x.principal_id,
        );
        const b = c.req.valid('json');
        const reason = cleanText(b.reason, 'reason');
        if (!OPEN_STATUSES.has(d.status)) throw err.notRevocable(d.status);
        const updateId = `revoke:${updateIdOf(c.req.header('idempotency-key'), `${id}:${me}`)}`;
        await send(id, (h) =>
          h.executeUpdate(revokeDelegation, { args: [{ by: me, ...(reason ? { reason } : {}) }], updateId }),
        );
        const after = await delegationView(db, id);
        if (!after) throw err.notFound();
        return c.json(toDto(after, me), 200);
      },
    );
}
