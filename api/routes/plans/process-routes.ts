// Plans after approval (issue 5; DESIGN §2 Cascading and Amendments, §3 "after approval (or filing)"):
// decomposition into sub-unit and person plans with cascaded key results and the coverage report, adopting
// suggested key results, declaring the decomposition done, the Q1 and monthly plans, mid-year amendments,
// and the workflow's view of all of it. Content changes go screen → API → PostgreSQL (audited); process
// steps go through workflow Updates with an Idempotency-Key, like the transitions in index.ts.
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { employmentUnitOf, todayVn } from '../../../db/queries/org-tree.ts';
import { latestPlanVersion } from '../../../db/queries/plan-content.ts';
import { childPlansOf, createPlanVersion, getPlanVersion } from '../../../db/queries/plans.ts';
import type { PlanRow } from '../../../db/schema-plans.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import { checkChildrenCoverage } from '../../../domain/plan/prechecks-coverage.ts';
import { renderFinding } from '../../../domain/plan/prechecks-messages.ts';
import type { Finding } from '../../../domain/plan/prechecks-types.ts';
import {
  type Acting,
  type AnnualPlanView,
  annualPlanId,
  completeDecomposition,
  decidePeriodPlan,
  getAnnualPlan,
  type PlanUpdateResult,
  personalPlanId,
  proposeAmendment,
  reviewAmendment,
  submitPeriodPlan,
} from '../../../workflows/annual-plan.messages.ts';
import type { AuthzEnv } from '../../authz/middleware.ts';
import { requires } from '../../authz/middleware.ts';
import type { Action, Resource } from '../../authz/policy.ts';
import { loadPath, personNotFound } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, audit, rule } from '../admin/common.ts';
import { assignablePersonsOf, subUnitsOf } from './assignable.ts';
import { adoptInto, childDetailsOf, childFirstDraft, suggestedNotAdopted } from './cascade.ts';
import { diffPlans, type PlanContent, PlanContentSchema } from './content.ts';
import {
  Comment,
  idempotencyHeader,
  PlanIdParam,
  PlanSummary,
  Prechecks,
  prechecksOf,
  startPlanWorkflow,
  Transition,
  toSummary,
  toVersion,
  unavailableResponse,
  VersionSummary,
  versionNotFound,
  workflowInput,
} from './index.ts';
import { updateIdOf, withTemporal } from './temporal.ts';

type Db = ApiDeps['db'];
type VersionLike = Parameters<typeof toVersion>[0];
type Handle = ReturnType<Awaited<ReturnType<ApiDeps['temporal']>>['workflow']['getHandle']>;

/** What index.ts's plan routes lend these routes (their loads, authorization, Updates and version saves). */
export interface PlanKit {
  deps: ApiDeps;
  loadPlan: (c: Context<AuthzEnv>, id: string) => Promise<PlanRow>;
  loadActing: (
    c: Context<AuthzEnv>,
    id: string,
    opts?: { kinds?: string[]; actionFor?: (r: Resource) => Action | undefined },
  ) => Promise<{ plan: PlanRow; acting: Acting; taskId: string | undefined }>;
  transition: (
    plan: PlanRow,
    send: (h: Handle) => Promise<PlanUpdateResult>,
  ) => Promise<{ planId: string; phase: string; status: string; round: number; date: string }>;
  saveVersion: (
    c: Context<AuthzEnv>,
    planId: string,
    baseVersion: number,
    content: PlanContent,
    action: string,
  ) => Promise<{ version: VersionLike; unchanged: boolean }>;
  internalDecide: (r: Resource) => Action | undefined;
}

const tags = ['plans'];
const KEY_RESULT_ID = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9:/._-]*$/, { message: 'ID_INVALID' });
const IN_FORCE: ReadonlySet<string> = new Set(['APPROVED', 'FILED']);
/** Coverage findings that block declaring the decomposition done. */
export const GAP_CODES: ReadonlySet<string> = new Set([
  'CHILDREN_DO_NOT_COVER_PARENT',
  'PERSONS_DO_NOT_COVER_UNIT',
  'CHILD_TARGET_NOT_NUMERIC',
]);

const notInForce = (status: string) =>
  new ApiProblem({
    status: 409,
    code: 'PLAN_NOT_IN_FORCE',
    vi: `Kế hoạch đang ở trạng thái ${status}; chỉ kế hoạch đã phê duyệt hoặc đã lưu hồ sơ mới được phân rã, điều chỉnh hoặc lập kế hoạch quý, tháng.`,
    en: `The plan is ${status}; only an approved or filed plan can be decomposed, amended or given period plans.`,
    details: { status },
  });
const noParent = () =>
  rule(
    409,
    'PLAN_HAS_NO_PARENT',
    'Kế hoạch này không được phân rã từ kế hoạch cấp trên.',
    'This plan was not decomposed from a parent plan.',
  );

/** The version in force of a plan (the approved or filed one), else its latest. */
async function contentInForce(db: Db, p: PlanRow): Promise<PlanContent | undefined> {
  const v = p.in_force_version_id ? await getPlanVersion(db, p.in_force_version_id) : undefined;
  const latest = v ?? (await latestPlanVersion(db, p.id));
  return latest?.content as unknown as PlanContent | undefined;
}

/** The coverage of a plan by its children's latest versions (checkChildrenCoverage, by each key result's
 * aggregation rule). */
async function coverageOf(db: Db, p: PlanRow, children: PlanRow[]) {
  const parent = await contentInForce(db, p);
  const childContents: Plan[] = [];
  for (const ch of children) {
    const v = await latestPlanVersion(db, ch.id);
    if (v) childContents.push(v.content as unknown as Plan);
  }
  const findings: Finding[] = parent ? checkChildrenCoverage(parent, childContents) : [];
  const cascaded = new Set(
    childContents.flatMap((x) =>
      x.tasks.flatMap((t) => t.keyResults.flatMap((k) => (k.parentKeyResultId ? [k.parentKeyResultId] : []))),
    ),
  );
  const checked = (parent?.tasks ?? []).flatMap((t) => t.keyResults).filter((k) => cascaded.has(k.id)).length;
  const gaps = findings.filter((f) => GAP_CODES.has(f.code));
  return {
    checked,
    gaps: gaps.length,
    findings: findings.map((f) => ({
      ...f,
      message: { vi: renderFinding(f, 'vi'), en: renderFinding(f, 'en') },
    })),
  };
}

const ownerIdOf = (p: PlanRow) => (p.owner_kind === 'person' ? p.person_id : p.unit_id) ?? '';
const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function planProcessRoutes(kit: PlanKit) {
  const { deps, loadPlan, loadActing, transition, saveVersion, internalDecide } = kit;
  const { db } = deps;
  const app = contentApp();

  const Localized = z.object({ vi: z.string(), en: z.string() });
  const CoverageFinding = z.object({
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    targetKind: z.string(),
    target: z.string(),
    params: z.record(z.string(), z.string()),
    message: Localized,
  });
  const Coverage = z
    .object({ checked: z.number().int(), gaps: z.number().int(), findings: z.array(CoverageFinding) })
    .openapi('PlanCoverage');
  const CascadeItem = z
    .object({
      keyResultId: z.string(),
      taskId: z.string(),
      taskTitle: z.string(),
      title: z.string(),
      target: z.string(),
      unit: z.string(),
      aggregation: z.string(),
      mode: z.enum(['mandatory', 'suggested']),
    })
    .openapi('PlanCascadeItem');
  const Mandatory = z.object({
    parentKeyResultId: z.string(),
    keyResultId: z.string(),
    title: z.string(),
    share: z.string().optional(),
    lowerIsBetter: z.boolean(),
  });
  const ChildPlan = PlanSummary.extend({
    version: VersionSummary,
    content: PlanContentSchema,
    prechecks: Prechecks,
    mandatory: z.array(Mandatory),
    suggested: z.array(CascadeItem),
  }).openapi('ChildPlan');
  const ChildList = z
    .object({
      items: z.array(PlanSummary.extend({ latestVersion: z.number().int().nullable() })),
      coverage: Coverage,
    })
    .openapi('ChildPlanList');
  const CreateChild = z
    .object({
      owner: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('unit'), unitId: uuid }).strict(),
        z.object({ kind: z.literal('person'), personId: uuid }).strict(),
      ]),
    })
    .strict()
    .openapi('CreateChildPlan');
  const Assignable = z
    .object({
      units: z.array(
        z.object({
          id: z.string(),
          code: z.string(),
          name: z.string(),
          nameEn: z.string().nullable(),
          hasPlan: z.boolean(),
        }),
      ),
      persons: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          positionCode: z.string(),
          position: Localized,
          unitId: z.string(),
          unitCode: z.string(),
          unitName: z.string(),
          unitNameEn: z.string().nullable(),
        }),
      ),
    })
    .openapi('PlanAssignable');
  const Adopt = z
    .object({ keyResultId: KEY_RESULT_ID, taskId: KEY_RESULT_ID.optional() })
    .strict()
    .openapi('AdoptCascadedKeyResult');
  const Adopted = z.object({ version: VersionSummary, prechecks: Prechecks }).openapi('AdoptedKeyResult');
  const PeriodParam = PlanIdParam.extend({
    period: z
      .string()
      .regex(/^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/, { message: 'PERIOD_INVALID' })
      .openapi({ param: { name: 'period', in: 'path' }, example: '2027-Q1' }),
  });
  const SubmitVersion = z.object({ versionId: uuid }).strict().openapi('SubmitPeriodPlan');
  const DecidePeriod = z
    .object({ decision: z.enum(['approve', 'return']), comments: z.array(Comment).max(200).default([]) })
    .strict()
    .openapi('DecidePeriodPlan');
  const ProposeAmendment = z
    .object({ versionId: uuid, reason: z.string().max(4000) })
    .strict()
    .openapi('ProposeAmendment');
  const ReviewAmendment = z
    .object({
      decision: z.enum(['endorse', 'approve', 'return']),
      comments: z.array(Comment).max(200).default([]),
    })
    .strict()
    .openapi('ReviewAmendment');
  const AmendmentTransition = Transition.extend({
    changes: z.object({ added: z.number().int(), adjusted: z.number().int(), dropped: z.number().int() }),
  }).openapi('AmendmentTransition');
  const Process = z
    .object({
      planId: z.string(),
      phase: z.string(),
      status: z.string(),
      round: z.number().int(),
      filed: z.boolean(),
      inForceVersionId: z.string().nullable(),
      parentPlanId: z.string().nullable(),
      openItems: z.array(
        z.object({
          taskId: z.string(),
          kind: z.string(),
          dueDate: z.string(),
          escalation: z.number().int(),
          partyRole: z.string(),
        }),
      ),
      decomposition: z
        .object({ status: z.enum(['open', 'done']), childPlanIds: z.array(z.string()) })
        .nullable(),
      periodPlans: z.array(
        z.object({
          period: z.string(),
          status: z.enum(['open', 'submitted', 'approved', 'returned']),
          versionId: z.string().optional(),
          submittedOn: z.string().optional(),
          decidedOn: z.string().optional(),
          comments: z.array(z.object({ itemId: z.string().optional(), text: z.string() })).optional(),
          // a Q2–Q4 draft decided at the giao ban (workflows/annual-plan.ts PATCH_QUARTER_DRAFTS)
          decider: z.literal('giao-ban').optional(),
          decision: z.enum(['approved', 'adjusted']).optional(),
          note: z.string().optional(),
          session: z.string().optional(),
        }),
      ),
      amendments: z.array(
        z.object({
          number: z.number().int(),
          versionId: z.string(),
          hash: z.string(),
          reason: z.string(),
          by: z.string(),
          date: z.string(),
          status: z.enum(['open', 'approved', 'returned']),
          decidedBy: z.string().optional(),
          decidedOn: z.string().optional(),
          comments: z.array(z.object({ itemId: z.string().optional(), text: z.string() })).optional(),
        }),
      ),
    })
    .openapi('PlanProcess');

  const processResponses = { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse };

  const routed = app
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/children',
        tags,
        summary:
          "Decompose an approved or filed unit plan: create a sub-unit's or a person's plan with the parent's mandatory key results cascaded into its first draft (the suggested ones listed), and start its workflow (approved by the unit's leadership, due before the Q1 plan date)",
        middleware: [requires('plan.decompose')],
        request: { params: PlanIdParam, body: jsonBody(CreateChild) },
        responses: { 201: jsonOk(ChildPlan, 'Created'), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { plan: parent } = await loadActing(c, c.req.valid('param').id, { kinds: ['plan.decompose'] });
        const { owner } = c.req.valid('json');
        const by = actorId(c);
        if (parent.owner_kind !== 'unit' || !parent.unit_id)
          throw rule(
            422,
            'PLAN_NOT_DECOMPOSABLE',
            'Chỉ kế hoạch của đơn vị mới được phân rã.',
            "Only a unit's plan can be decomposed.",
          );
        if (!IN_FORCE.has(parent.status)) throw notInForce(parent.status);
        const parentUnit = parent.unit_id;
        let unitId: string;
        let childId: string;
        let ownerName: string;
        if (owner.kind === 'unit') {
          const path = await loadPath(db, owner.unitId);
          if (owner.unitId === parentUnit || !path.some((n) => n.id === parentUnit))
            throw rule(
              422,
              'CHILD_UNIT_NOT_UNDER_PARENT',
              'Đơn vị được giao không phải đơn vị trực thuộc đơn vị của kế hoạch này.',
              "The unit is not a sub-unit of this plan's unit.",
            );
          unitId = owner.unitId;
          childId = annualPlanId(unitId, parent.year);
          const u = await db
            .selectFrom('org_unit')
            .select('name_vi')
            .where('id', '=', unitId)
            .executeTakeFirstOrThrow();
          ownerName = u.name_vi;
        } else {
          const person = await db
            .selectFrom('person')
            .select(['id', 'full_name'])
            .where('id', '=', owner.personId)
            .executeTakeFirst();
          if (!person) throw personNotFound();
          const u = await employmentUnitOf(db, owner.personId, todayVn());
          const path = u ? await loadPath(db, u) : [];
          if (!u || !path.some((n) => n.id === parentUnit))
            throw rule(
              422,
              'PERSON_NOT_IN_UNIT',
              'Người được giao hiện không công tác tại đơn vị của kế hoạch này.',
              "The person does not currently work in this plan's unit.",
            );
          unitId = u;
          childId = personalPlanId(owner.personId, parent.year);
          ownerName = person.full_name;
        }
        const ownerId = owner.kind === 'unit' ? owner.unitId : owner.personId;
        const parentContent = await contentInForce(db, parent);
        if (!parentContent) throw versionNotFound();
        const childOwner =
          owner.kind === 'unit'
            ? ({ kind: 'unit', unitId } as const)
            : ({ kind: 'person', personId: owner.personId } as const);
        const draft = childFirstDraft(
          parentContent,
          { id: childId, year: parent.year, owner: childOwner },
          ownerId,
        );
        const input = await workflowInput(deps, {
          planId: childId,
          owner:
            owner.kind === 'unit'
              ? { kind: 'unit', unitId }
              : { kind: 'person', personId: owner.personId, unitId },
          unitId,
          ownerName,
          year: parent.year,
          drafter: owner.kind === 'person' ? owner.personId : by,
          parent: { planId: parent.id, unitId: parentUnit },
        });
        const provinceId = (await loadPath(db, unitId))[0]?.id ?? unitId;
        const result = await db.transaction().execute(async (trx) => {
          const exists = await trx
            .selectFrom('plan')
            .select('id')
            .where('id', '=', childId)
            .executeTakeFirst();
          if (exists)
            throw rule(
              409,
              'PLAN_EXISTS',
              'Kế hoạch của năm này đã có.',
              'A plan for this year already exists.',
            );
          const plan = await trx
            .insertInto('plan')
            .values({
              id: childId,
              owner_kind: owner.kind,
              unit_id: unitId,
              person_id: owner.kind === 'person' ? owner.personId : null,
              year: parent.year,
              workflow_id: childId,
              submitted_version_id: null,
              in_force_version_id: null,
              next_deadline_at: null,
              details: JSON.stringify({ createdBy: by }),
              parent_plan_id: parent.id,
              cascade: JSON.stringify({ mandatory: draft.mandatory }),
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const v = await createPlanVersion(trx, { planId: childId, content: draft.content, createdBy: by });
          await audit(trx, c, 'plan', childId, 'plan.created', null, {
            ownerKind: owner.kind,
            unitId,
            year: parent.year,
            parentPlanId: parent.id,
            mandatory: draft.mandatory.map((m) => m.parentKeyResultId),
            version: v.number,
            hash: v.hash,
          });
          await audit(trx, c, 'plan', parent.id, 'plan.child-created', null, { childPlanId: childId });
          await startPlanWorkflow(deps, input, provinceId);
          return { plan, v };
        });
        return c.json(
          {
            ...toSummary(result.plan),
            version: toVersion(result.v),
            content: draft.content as z.infer<typeof PlanContentSchema>,
            prechecks: prechecksOf(draft.content),
            mandatory: draft.mandatory,
            suggested: draft.suggested,
          },
          201,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/{id}/assignable',
        tags,
        summary:
          "Whom a unit's plan may be decomposed to (the picker of POST /plans/{id}/children): the plan's unit's direct sub-units in force today, and the people whose main post today is in the unit or below it and who have no plan of the year yet",
        middleware: [requires('plan.decompose')],
        request: { params: PlanIdParam },
        responses: { 200: jsonOk(Assignable), ...errorResponses },
      }),
      async (c) => {
        const { plan: p } = await loadActing(c, c.req.valid('param').id, { kinds: ['plan.decompose'] });
        if (p.owner_kind !== 'unit' || !p.unit_id) return c.json({ units: [], persons: [] }, 200);
        const day = todayVn();
        return c.json(
          {
            units: await subUnitsOf(db, p.unit_id, p.year, day),
            persons: await assignablePersonsOf(db, p.unit_id, p.year, day),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/{id}/children',
        tags,
        summary:
          "The plans decomposed from a plan with their status, and the coverage report (the children's targets combined by each key result's aggregation rule against the parent's)",
        middleware: [requires('plan.read')],
        request: { params: PlanIdParam },
        responses: { 200: jsonOk(ChildList), ...errorResponses },
      }),
      async (c) => {
        const p = await loadPlan(c, c.req.valid('param').id);
        const children = await childPlansOf(db, p.id);
        const items = [];
        for (const ch of children) {
          const v = await latestPlanVersion(db, ch.id);
          items.push({ ...toSummary(ch), latestVersion: v?.number ?? null });
        }
        return c.json({ items, coverage: await coverageOf(db, p, children) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/{id}/cascade',
        tags,
        summary:
          "For a plan decomposed from a parent plan: the parent's suggested key results not yet adopted",
        middleware: [requires('plan.read')],
        request: { params: PlanIdParam },
        responses: {
          200: jsonOk(
            z.object({ parentPlanId: z.string(), items: z.array(CascadeItem) }).openapi('PlanCascade'),
          ),
          ...errorResponses,
        },
      }),
      async (c) => {
        const p = await loadPlan(c, c.req.valid('param').id);
        const parentId = childDetailsOf(p).parentPlanId;
        if (!parentId) throw noParent();
        const parent = await db.selectFrom('plan').selectAll().where('id', '=', parentId).executeTakeFirst();
        const parentContent = parent ? await contentInForce(db, parent) : undefined;
        const child = await latestPlanVersion(db, p.id);
        if (!parentContent || !child) throw versionNotFound();
        return c.json(
          {
            parentPlanId: parentId,
            items: suggestedNotAdopted(parentContent, child.content as unknown as PlanContent, ownerIdOf(p)),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/cascade/adopt',
        tags,
        summary:
          "Adopt one of the parent's suggested key results into this plan's draft (a new version, audited): under taskId, else under a copy of the parent's task",
        middleware: [requires('plan.draft')],
        request: { params: PlanIdParam, body: jsonBody(Adopt) },
        responses: { 201: jsonOk(Adopted, 'Adopted'), ...errorResponses },
      }),
      async (c) => {
        const p = await loadPlan(c, c.req.valid('param').id);
        const b = c.req.valid('json');
        const parentId = childDetailsOf(p).parentPlanId;
        if (!parentId) throw noParent();
        const parent = await db.selectFrom('plan').selectAll().where('id', '=', parentId).executeTakeFirst();
        const parentContent = parent ? await contentInForce(db, parent) : undefined;
        const latest = await latestPlanVersion(db, p.id);
        if (!parentContent || !latest) throw versionNotFound();
        const child = latest.content as unknown as PlanContent;
        const open = suggestedNotAdopted(parentContent, child, ownerIdOf(p));
        if (!open.some((x) => x.keyResultId === b.keyResultId))
          throw new ApiProblem({
            status: 404,
            code: 'CASCADE_ITEM_NOT_FOUND',
            vi: 'Kế hoạch cấp trên không gợi ý kết quả then chốt này cho kế hoạch này, hoặc đã được nhận.',
            en: 'The parent plan suggests no such key result to this plan, or it was already adopted.',
            details: { keyResultId: b.keyResultId },
          });
        const next = adoptInto(parentContent, child, b.keyResultId, ownerIdOf(p), b.taskId);
        if (!next)
          throw new ApiProblem({
            status: 422,
            code: 'TASK_NOT_FOUND',
            vi: 'Không có nhiệm vụ này trong bản dự thảo.',
            en: 'The draft has no such task.',
            details: { taskId: b.taskId },
          });
        const r = await saveVersion(c, p.id, latest.number, next, 'plan.cascade-adopted');
        return c.json({ version: toVersion(r.version), prechecks: prechecksOf(next) }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/decomposition/complete',
        tags,
        summary:
          'Declare the decomposition done: the coverage is checked first (gaps → 409 DECOMPOSITION_GAPS with the findings), then the workflow is told (Update completeDecomposition)',
        middleware: [requires('plan.decompose')],
        request: { params: PlanIdParam, headers: idempotencyHeader },
        responses: processResponses,
      }),
      async (c) => {
        const {
          plan: p,
          acting,
          taskId,
        } = await loadActing(c, c.req.valid('param').id, {
          kinds: ['plan.decompose'],
        });
        if (!IN_FORCE.has(p.status)) throw notInForce(p.status);
        const children = await childPlansOf(db, p.id);
        if (!children.length)
          throw rule(
            409,
            'DECOMPOSITION_EMPTY',
            'Chưa có kế hoạch nào được phân rã từ kế hoạch này.',
            'No plan has been decomposed from this plan yet.',
          );
        const coverage = await coverageOf(db, p, children);
        if (coverage.gaps > 0)
          throw new ApiProblem({
            status: 409,
            code: 'DECOMPOSITION_GAPS',
            vi: `Các kế hoạch cấp dưới chưa bao phủ đủ chỉ tiêu (${coverage.gaps} chỗ thiếu): ${coverage.findings.map((f) => f.message.vi).join(' ')}`,
            en: `The children's plans do not yet cover the targets (${coverage.gaps} gaps): ${coverage.findings.map((f) => f.message.en).join(' ')}`,
            details: coverage,
          });
        const childPlanIds = children.map((x) => x.id);
        const task = taskId ?? `${p.id}:decompose`;
        const updateId = `decompose:${updateIdOf(c.req.header('idempotency-key'), `${task}:${shortHash(childPlanIds.join(','))}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(completeDecomposition, {
            args: [{ ...acting, childPlanIds, coverage: { checked: coverage.checked, gaps: 0 } }],
            updateId,
          }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/period-plans/{period}/submit',
        tags,
        summary:
          "Submit the Q1 plan ('2027-Q1') or a month's plan ('2027-03'): a version of the plan, frozen by its hash (Update submitPeriodPlan)",
        middleware: [requires('plan.period.submit')],
        request: { params: PeriodParam, headers: idempotencyHeader, body: jsonBody(SubmitVersion) },
        responses: processResponses,
      }),
      async (c) => {
        const prm = c.req.valid('param');
        const { plan: p, acting, taskId } = await loadActing(c, prm.id, { kinds: ['plan.period-submit'] });
        if (!IN_FORCE.has(p.status)) throw notInForce(p.status);
        const v = await getPlanVersion(db, c.req.valid('json').versionId);
        if (!v || v.plan_id !== p.id) throw versionNotFound();
        const task = taskId ?? `${p.id}:period-submit`;
        const updateId = `period-submit:${updateIdOf(c.req.header('idempotency-key'), `${task}:${prm.period}:${v.id}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(submitPeriodPlan, {
            args: [{ ...acting, period: prm.period, versionId: v.id, hash: v.hash }],
            updateId,
          }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/period-plans/{period}/decide',
        tags,
        summary: "The unit head approves or returns a submitted Q1 or month's plan (Update decidePeriodPlan)",
        middleware: [requires('plan.period.decide')],
        request: { params: PeriodParam, headers: idempotencyHeader, body: jsonBody(DecidePeriod) },
        responses: processResponses,
      }),
      async (c) => {
        const prm = c.req.valid('param');
        const b = c.req.valid('json');
        const { plan: p, acting, taskId } = await loadActing(c, prm.id, { kinds: ['plan.period-decide'] });
        if (!IN_FORCE.has(p.status)) throw notInForce(p.status);
        const task = taskId ?? `${p.id}:period-decide`;
        const updateId = `period-decide:${updateIdOf(c.req.header('idempotency-key'), `${task}:${prm.period}:${b.decision}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(decidePeriodPlan, {
            args: [{ ...acting, period: prm.period, decision: b.decision, comments: b.comments }],
            updateId,
          }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/amendments',
        tags,
        summary:
          'Propose a mid-year amendment: a version of the plan with a reason, diffed against the version in force (added, adjusted, dropped), sent to the amendment chain (Update proposeAmendment)',
        middleware: [requires('plan.amend')],
        request: { params: PlanIdParam, headers: idempotencyHeader, body: jsonBody(ProposeAmendment) },
        responses: { 200: jsonOk(AmendmentTransition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { plan: p, acting, taskId } = await loadActing(c, c.req.valid('param').id);
        const b = c.req.valid('json');
        const reason = b.reason.trim();
        if (!reason)
          throw rule(
            422,
            'AMENDMENT_REASON_REQUIRED',
            'Đề nghị điều chỉnh kế hoạch phải nêu lý do.',
            'An amendment needs a reason.',
          );
        if (!IN_FORCE.has(p.status)) throw notInForce(p.status);
        const v = await getPlanVersion(db, b.versionId);
        if (!v || v.plan_id !== p.id) throw versionNotFound();
        const inForce = p.in_force_version_id ? await getPlanVersion(db, p.in_force_version_id) : undefined;
        if (!inForce) throw notInForce(p.status);
        if (v.hash === inForce.hash)
          throw rule(
            422,
            'AMENDMENT_NO_CHANGES',
            'Phiên bản này không khác phiên bản đang có hiệu lực.',
            'This version does not differ from the version in force.',
          );
        const d = diffPlans(inForce.content as unknown as PlanContent, v.content as unknown as PlanContent);
        const changes = {
          added: d.tasks.added.length + d.keyResults.added.length,
          adjusted: d.tasks.changed.length + d.keyResults.changed.length,
          dropped: d.tasks.removed.length + d.keyResults.removed.length,
        };
        const task = taskId ?? `${p.id}:amend`;
        const updateId = `amend:${updateIdOf(c.req.header('idempotency-key'), `${task}:${v.id}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(proposeAmendment, {
            args: [{ ...acting, versionId: v.id, hash: v.hash, reason, changes }],
            updateId,
          }),
        );
        return c.json({ ...r, changes }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/amendments/review',
        tags,
        summary:
          "Review the open amendment: an appraising level endorses or returns, the last level approves or returns (the province's levels for a unit's plan, the unit head for a plan inside the unit); Update reviewAmendment",
        middleware: [requires('plan.amendment.review')],
        request: { params: PlanIdParam, headers: idempotencyHeader, body: jsonBody(ReviewAmendment) },
        responses: processResponses,
      }),
      async (c) => {
        const b = c.req.valid('json');
        const {
          plan: p,
          acting,
          taskId,
        } = await loadActing(c, c.req.valid('param').id, {
          kinds: ['plan.amend-appraise', 'plan.amend-decide'],
          actionFor: internalDecide,
        });
        if (!IN_FORCE.has(p.status)) throw notInForce(p.status);
        const task = taskId ?? `${p.id}:amend-review`;
        const updateId = `amend-review:${updateIdOf(c.req.header('idempotency-key'), `${task}:${acting.by}:${b.decision}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(reviewAmendment, {
            args: [{ ...acting, decision: b.decision, comments: b.comments }],
            updateId,
          }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/{id}/process',
        tags,
        summary:
          "The plan's workflow as it stands: phase, open items, decomposition, Q1 and monthly plans, amendments (the workflow's query)",
        middleware: [requires('plan.read')],
        request: { params: PlanIdParam },
        responses: { 200: jsonOk(Process), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const p = await loadPlan(c, c.req.valid('param').id);
        if (!p.workflow_id)
          throw rule(
            409,
            'PLAN_NO_WORKFLOW',
            'Kế hoạch này chưa có quy trình phê duyệt.',
            'This plan has no approval workflow.',
          );
        const wid = p.workflow_id;
        const view: AnnualPlanView = await withTemporal(
          deps.temporal,
          (client) => client.workflow.getHandle(wid).query(getAnnualPlan),
          deps.plans?.updateDeadlineMs,
        );
        return c.json(
          {
            planId: p.id,
            phase: view.phase,
            status: view.status,
            round: view.round,
            filed: view.filed,
            inForceVersionId: p.in_force_version_id,
            parentPlanId: childDetailsOf(p).parentPlanId ?? null,
            openItems: view.openItems,
            decomposition: view.decomposition ?? null,
            periodPlans: view.periodPlans ?? [],
            amendments: view.amendments ?? [],
          },
          200,
        );
      },
    );
  return routed;
}
