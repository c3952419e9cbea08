// Plans (issue 5, points 2 and 3). The content path (DESIGN §5): create a plan (optionally from the agency
// or commune outline), read it with its pre-check findings and versions, save a draft as a new immutable
// version under optimistic concurrency, diff two versions, import a workbook — screen → API → PostgreSQL,
// audited in the same transaction. The process path: submit, appraise, decide — screen → API → workflow
// Update (its validator accepts or gives the reason) → activity → read model; the response carries the new
// phase the Update answered.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { calendarProfileOfProvince } from '../../../db/queries/calendar.ts';
import { activeDelegation } from '../../../db/queries/delegations.ts';
import { holdersOfRole } from '../../../db/queries/org.ts';
import { employmentUnitOf, todayVn } from '../../../db/queries/org-tree.ts';
import {
  latestPlanVersion,
  lockPlan,
  plansOfUnit,
  planVersionByNumber,
  versionsOfPlan,
} from '../../../db/queries/plan-content.ts';
import { approvalChainSteps, createPlanVersion, getPlan, getPlanVersion } from '../../../db/queries/plans.ts';
import type { RoleCode } from '../../../db/schema.ts';
import { PLAN_STATUSES, type PlanRow } from '../../../db/schema-plans.ts';
import type { ApprovalChain } from '../../../domain/calendar/forwarding.ts';
import { computePlanYearCalendar, deadlineById } from '../../../domain/calendar/plan-year.ts';
import { sequenceByLevel } from '../../../domain/calendar/sequencing.ts';
import { workingCalendar } from '../../../domain/calendar/working-days.ts';
import { runPrechecks } from '../../../domain/plan/prechecks.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import {
  type Acting,
  type AnnualPlanInput,
  type AssigneeRef,
  annualPlanId,
  appraisePlan,
  decidePlan,
  type PlanUpdateResult,
  personalPlanId,
  submitPlan,
} from '../../../workflows/annual-plan.messages.ts';
import { SA } from '../../../workflows/search-attributes.ts';
import type { AuthzEnv } from '../../authz/middleware.ts';
import { check, forbidden, requires } from '../../authz/middleware.ts';
import {
  type Action,
  assigneeMay,
  authorizeOnBehalf,
  type ItemAssignee,
  itemBindsRole,
  type Resource,
} from '../../authz/policy.ts';
import { loadPath, personNotFound, tierOfUnit } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, plainText, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, audit, rule } from '../admin/common.ts';
import { openItemOf } from './assignable.ts';
import { checkMandatoryCascade } from './cascade.ts';
import {
  contentFromTemplate,
  contentOf,
  diffPlans,
  type PlanContent,
  PlanContentInput,
  PlanContentSchema,
  TEMPLATES,
} from './content.ts';
import {
  PLAN_COLUMNS,
  planTemplateWorkbook,
  readPlanWorkbook,
  WorkbookUnreadable,
  XLSX_TYPE,
} from './import.ts';
import { planProcessRoutes } from './process-routes.ts';
import { subjectOfPerson } from './subjects.ts';
import { updateIdOf, withTemporal } from './temporal.ts';

const tags = ['plans'];
export const unavailableResponse = {
  description: 'The workflow service is unreachable or too slow (DEPENDENCY_UNAVAILABLE, with Retry-After)',
  content: errorResponses[409].content,
};
export const MAX_PLAN_JSON_BYTES = 2 * 1024 * 1024;
export const MAX_PLAN_IMPORT_BYTES = 6 * 1024 * 1024;
/** Statuses in which the draft may change (a returned plan is DRAFTING again; on an approved or filed plan the
 * new version is an amendment draft — the version in force stays until an amendment is approved). */
const EDITABLE: ReadonlySet<string> = new Set(['DRAFTING', 'APPROVED', 'FILED']);

export const planNotFound = () => rule(404, 'PLAN_NOT_FOUND', 'Không tìm thấy kế hoạch.', 'Plan not found.');
export const versionNotFound = () =>
  rule(404, 'PLAN_VERSION_NOT_FOUND', 'Không tìm thấy phiên bản kế hoạch.', 'Plan version not found.');
const notEditable = (status: string) =>
  new ApiProblem({
    status: 409,
    code: 'PLAN_NOT_EDITABLE',
    vi: `Kế hoạch đang ở trạng thái ${status}, không thể sửa bản dự thảo.`,
    en: `The plan is ${status}; its draft cannot be changed.`,
    details: { status },
  });

export const PlanIdParam = z.object({
  id: z
    .string()
    .max(120)
    .regex(/^plan:\d{4}:(unit|person):[0-9a-f-]{36}$/, { message: 'PLAN_ID_INVALID' })
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const VersionSummary = z
  .object({
    id: z.string(),
    number: z.number().int(),
    hash: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('PlanVersionSummary');
const Finding = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    targetKind: z.string(),
    target: z.string(),
    params: z.record(z.string(), z.string()),
  })
  .openapi('PrecheckFinding');
export const Prechecks = z
  .object({
    findings: z.array(Finding),
    counts: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
    ok: z.boolean(),
  })
  .openapi('PrecheckReport');
export const PlanSummary = z
  .object({
    id: z.string(),
    ownerKind: z.enum(['unit', 'person']),
    unitId: z.string().nullable(),
    personId: z.string().nullable(),
    year: z.number().int(),
    status: z.enum(PLAN_STATUSES),
    phase: z.string(),
    filed: z.boolean(),
    submittedVersionId: z.string().nullable(),
    inForceVersionId: z.string().nullable(),
    workflowId: z.string().nullable(),
    /** The plan this one was decomposed from (a sub-unit's or a person's plan), else null. */
    parentPlanId: z.string().nullable(),
    editable: z.boolean(),
  })
  .openapi('PlanSummary');
const PlanDetail = PlanSummary.extend({
  version: VersionSummary,
  content: PlanContentSchema,
  prechecks: Prechecks,
  versions: z.array(VersionSummary),
  /** The ids of the versions submitted so far, oldest first (the approval screen diffs against them). */
  submittedVersionIds: z.array(z.string()),
}).openapi('PlanDetail');
const PlanVersion = VersionSummary.extend({ planId: z.string(), content: PlanContentSchema }).openapi(
  'PlanVersion',
);
const SavedDraft = z
  .object({ version: VersionSummary, prechecks: Prechecks, unchanged: z.boolean() })
  .openapi('SavedDraft');
const ItemChange = z.object({
  id: z.string(),
  title: z.string(),
  taskId: z.string().optional(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});
const Changes = z.object({
  added: z.array(ItemChange),
  removed: z.array(ItemChange),
  changed: z.array(ItemChange),
});
const PlanDiff = z
  .object({ from: z.number().int(), to: z.number().int(), tasks: Changes, keyResults: Changes })
  .openapi('PlanDiff');
const RowReport = z.object({
  row: z.number().int(),
  ok: z.boolean(),
  errors: z.array(z.object({ field: z.string(), code: z.string() })),
});
const ImportResult = z
  .object({ version: VersionSummary, rows: z.array(RowReport), prechecks: Prechecks })
  .openapi('PlanImportResult');
export const Transition = z
  .object({
    planId: z.string(),
    phase: z.string(),
    status: z.string(),
    round: z.number().int(),
    date: z.string(),
  })
  .openapi('PlanTransition');

const CreatePlan = z
  .discriminatedUnion('ownerKind', [
    z.object({
      ownerKind: z.literal('unit'),
      unitId: uuid,
      year: z.number().int().min(2020).max(2100),
      template: z.enum(TEMPLATES).optional(),
    }),
    z.object({
      ownerKind: z.literal('person'),
      personId: uuid,
      year: z.number().int().min(2020).max(2100),
      template: z.enum(TEMPLATES).optional(),
    }),
  ])
  .openapi('CreatePlan');
const SaveDraft = z
  .object({ baseVersion: z.number().int().min(1), content: PlanContentInput })
  .strict()
  .openapi('SaveDraft');
export const Comment = z.object({ itemId: z.string().max(100).optional(), text: plainText(2000) }).strict();
const Submit = z.object({ versionId: uuid }).strict().openapi('SubmitPlan');
const Appraise = z
  .object({ opinion: z.enum(['endorse', 'concerns']), comments: z.array(Comment).max(200).optional() })
  .strict()
  .openapi('AppraisePlan');
const Decide = z
  .object({ decision: z.enum(['approve', 'return']), comments: z.array(Comment).max(200).default([]) })
  .strict()
  .openapi('DecidePlan');
export const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .max(200)
    .optional()
    .openapi({ param: { name: 'idempotency-key', in: 'header' } }),
});

type VersionRowLike = {
  id: string;
  number: number;
  hash: string;
  created_by: string;
  created_at: Date | string;
};
export const toVersion = (v: VersionRowLike) => ({
  id: v.id,
  number: v.number,
  hash: v.hash,
  createdBy: v.created_by,
  createdAt: new Date(v.created_at).toISOString(),
});
export const toSummary = (p: PlanRow) => ({
  id: p.id,
  ownerKind: p.owner_kind,
  unitId: p.unit_id,
  personId: p.person_id,
  year: p.year,
  status: p.status,
  phase: p.phase,
  filed: p.filed,
  submittedVersionId: p.submitted_version_id,
  inForceVersionId: p.in_force_version_id,
  workflowId: p.workflow_id,
  parentPlanId: p.parent_plan_id ?? null,
  editable: EDITABLE.has(p.status),
});
export const prechecksOf = (content: unknown) => runPrechecks(content as PlanContent);

/** Comments on items must name a task or key result of the submitted version. */
async function checkCommentItems(
  db: ApiDeps['db'],
  p: PlanRow,
  comments: { itemId?: string | undefined }[] | undefined,
) {
  const named = (comments ?? []).flatMap((x) => (x.itemId ? [x.itemId] : []));
  if (!named.length || !p.submitted_version_id) return;
  const v = await getPlanVersion(db, p.submitted_version_id);
  const content = v?.content as unknown as PlanContent | undefined;
  const known = new Set((content?.tasks ?? []).flatMap((t) => [t.id, ...t.keyResults.map((k) => k.id)]));
  const unknown = named.filter((id) => !known.has(id));
  if (unknown.length)
    throw new ApiProblem({
      status: 422,
      code: 'COMMENT_ITEM_UNKNOWN',
      vi: 'Ý kiến gắn với mục không có trong phiên bản đã nộp.',
      en: 'A comment names an item that is not in the submitted version.',
      details: { itemIds: unknown },
    });
}

/** Where a plan sits for authorization: a unit's plan at its unit (unit-level for a unit under the
 * province), a person's plan inside their unit; its drafter is the subject (nobody appraises their own). */
export async function planResource(db: ApiDeps['db'], p: PlanRow): Promise<Resource> {
  const unitId = p.unit_id;
  if (!unitId) return { path: [], tier: 'internal' };
  const path = await loadPath(db, unitId);
  // plans created before projections stopped rewriting plan.details: the first version's author is the creator
  const createdBy =
    (p.details as { createdBy?: string } | null)?.createdBy ??
    (await planVersionByNumber(db, p.id, 1))?.created_by;
  const subject = p.owner_kind === 'person' ? (p.person_id ?? undefined) : createdBy;
  return {
    path: path.map((n) => n.id),
    tier: p.owner_kind === 'person' ? 'internal' : tierOfUnit(path) === 'unit' ? 'unit' : 'internal',
    ...(subject ? { subjectPersonId: subject } : {}),
  };
}

async function loadPlan(c: Context<AuthzEnv>, db: ApiDeps['db'], id: string): Promise<PlanRow> {
  const p = await getPlan(db, id);
  if (!p) {
    await check(c, db, { path: [], tier: 'province' }).catch(() => undefined);
    throw planNotFound();
  }
  await check(c, db, await planResource(db, p));
  return p;
}

/** The approval chain's level role for a role of approval_chain_step (the workflow's parties). */
const LEVEL_ROLE: Record<string, string> = {
  secretariat: 'secretariat',
  standing_committee: 'standing-committee',
  unit_head: 'unit-head',
  supervisor: 'supervisor',
  organisation_department: 'organisation-department',
};

/** A province's configured chain as the workflow's ApprovalChain; undefined when none is configured (or none
 * of its roles is a workflow party). A 'parent'-scoped unit head of a sub-unit's plan is the parent's head
 * when exactly one person holds it. */
async function chainFromData(
  deps: ApiDeps,
  where: { provinceId: string; unitTypeCode: string; parentUnitId?: string | undefined },
  subject: 'plan' | 'amendment',
  step: string,
): Promise<ApprovalChain | undefined> {
  const steps = await approvalChainSteps(deps.db, where.provinceId, where.unitTypeCode, subject);
  if (!steps?.length) return undefined;
  const levels: ApprovalChain['levels'] = [];
  for (const st of steps) {
    const role = LEVEL_ROLE[st.roleCode];
    if (!role) continue;
    if (st.scope === 'parent' && where.parentUnitId && st.roleCode === 'unit_head') {
      const heads = await holdersOfRole(deps.db, 'unit_head', where.parentUnitId, todayVn());
      if (heads.length === 1 && heads[0]) {
        levels.push({ role, actorId: heads[0].id });
        continue;
      }
    }
    levels.push({ role });
  }
  return levels.length ? { step, levels } : undefined;
}

/** The nearest unit head at or above `unitId` (the province left out): one person, or the role at that unit. */
async function leadershipOf(deps: ApiDeps, unitId: string): Promise<AssigneeRef> {
  const path = await loadPath(deps.db, unitId);
  for (const n of path.slice(1).reverse()) {
    const heads = await holdersOfRole(deps.db, 'unit_head', n.id, todayVn());
    if (heads.length === 1 && heads[0]) return { personId: heads[0].id };
    if (heads.length > 1) return { role: 'unit_head', unitId: n.id };
  }
  return { role: 'unit_head', unitId };
}

export interface WorkflowOf {
  planId: string;
  owner: AnnualPlanInput['owner'];
  /** The plan's unit (a person's: their unit); for a child plan, the parent plan's unit leads it. */
  unitId: string;
  ownerName: string;
  year: number;
  drafter: string;
  /** A plan decomposed from another plan (a sub-unit's or a person's). */
  parent?: { planId: string; unitId: string } | undefined;
}

/** The workflow input of a plan. A unit's own plan: the calendar from the province's profile, the parties from
 * role holders, the chains from approval_chain for its province and unit type (default: the secretariat
 * appraises, the standing committee decides), then decomposition and period plans. A sub-unit's or a
 * person's plan: approved by the unit's leadership (one decide level, 'unit-head'), its deadlines sequenced
 * before the Q1 plan date (persons 4 working days, departments 2, approval by 'plan.q1'). */
export async function workflowInput(deps: ApiDeps, w: WorkflowOf): Promise<AnnualPlanInput> {
  const { db } = deps;
  const path = await loadPath(db, w.unitId);
  const provinceId = path[0]?.id ?? w.unitId;
  const unitTypeCode = path[path.length - 1]?.typeCode ?? '';
  const stored = await calendarProfileOfProvince(db, provinceId);
  if (!stored)
    throw rule(
      422,
      'CALENDAR_PROFILE_MISSING',
      'Tỉnh chưa có hồ sơ lịch làm việc; quản trị viên cần tạo trước khi lập kế hoạch.',
      'The province has no calendar profile yet; an administrator must create one first.',
    );
  const today = todayVn();
  const own = w.owner.kind === 'unit' && !w.parent;
  const leadUnit = w.parent?.unitId ?? w.unitId;
  const heads = await holdersOfRole(db, 'unit_head', w.unitId, today);
  const unitHead: AssigneeRef = own
    ? heads.length === 1 && heads[0]
      ? { personId: heads[0].id }
      : { role: 'unit_head', unitId: w.unitId }
    : await leadershipOf(deps, leadUnit);
  let calendar = computePlanYearCalendar(stored.profile, w.year);
  if (!own) {
    // persons first, departments +2 working days, the unit +2 more (DESIGN §3): the unit's level is the Q1 date
    const q1 = deadlineById(calendar, 'plan.q1').date;
    const cal = workingCalendar(stored.profile);
    const levels = sequenceByLevel(stored.profile, cal.addWorkingDays(q1, -4));
    const level = w.owner.kind === 'person' ? 'person' : 'department';
    const submit = levels.find((l) => l.level === level)?.date ?? q1;
    calendar = computePlanYearCalendar(stored.profile, w.year, undefined, {
      'plan.submit': submit,
      'plan.approve': q1,
    });
  }
  const defaultChain: ApprovalChain = own
    ? { step: 'plan-approval', levels: [{ role: 'secretariat' }, { role: 'standing-committee' }] }
    : { step: 'plan-approval', levels: [{ role: 'unit-head' }] };
  const where = { provinceId, unitTypeCode, parentUnitId: w.parent?.unitId };
  const chain = own
    ? ((await chainFromData(deps, where, 'plan', 'plan-approval')) ?? defaultChain)
    : defaultChain;
  const amendmentChain = own
    ? await chainFromData(deps, where, 'amendment', 'amendment-approval')
    : undefined;
  const input: AnnualPlanInput = {
    planId: w.planId,
    owner: w.owner,
    year: w.year,
    ownerName: w.ownerName,
    calendar,
    profile: stored.profile,
    // a plan inside a unit stays inside it: its reminders escalate to the unit's leadership, not the province
    ...(own ? {} : { scope: 'individual' as const }),
    parties: {
      drafter: { personId: w.drafter },
      supervisor: { role: 'supervisor', unitId: w.unitId },
      unitHead,
      secretariat: { role: 'secretariat', unitId: provinceId },
      standingCommittee: { role: 'standing_committee', unitId: provinceId },
      organisationDepartment: { role: 'organisation_department', unitId: provinceId },
    },
    chain,
    ...(amendmentChain ? { amendmentChain } : {}),
    ...(own ? { decompose: true, periodPlans: true } : {}),
    ...(w.parent ? { parentPlanId: w.parent.planId } : {}),
  };
  return deps.plans?.adjustInput ? deps.plans.adjustInput(input) : input;
}

/** Starts a plan's workflow with the ids administrators filter by (ids only, no PII). */
export async function startPlanWorkflow(deps: ApiDeps, input: AnnualPlanInput, provinceId: string) {
  const unitId = input.owner.kind === 'unit' ? input.owner.unitId : input.owner.unitId;
  await withTemporal(deps.temporal, (client) =>
    client.workflow.start('annualPlanWorkflow', {
      taskQueue: deps.plans?.taskQueue ?? TASK_QUEUE,
      workflowId: input.planId,
      args: [input],
      typedSearchAttributes: [
        { key: SA.PlanYear, value: input.year },
        { key: SA.UnitId, value: unitId },
        { key: SA.Province, value: provinceId },
      ],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }),
  );
}

export function planRoutes(deps: ApiDeps) {
  const { db } = deps;
  const app = contentApp();
  const jsonLimit = bodyLimit({
    maxSize: MAX_PLAN_JSON_BYTES,
    onError: () => {
      throw rule422Large();
    },
  });
  const importLimit = bodyLimit({
    maxSize: MAX_PLAN_IMPORT_BYTES,
    onError: () => {
      throw rule422Large();
    },
  });
  app.use('/plans/*', (c, next) =>
    c.req.path.endsWith('/import') ? importLimit(c, next) : jsonLimit(c, next),
  );
  app.use('/plans', jsonLimit);

  /** Sends an Update to the plan's workflow; answers the transition. */
  async function transition(
    plan: PlanRow,
    send: (
      h: ReturnType<Awaited<ReturnType<ApiDeps['temporal']>>['workflow']['getHandle']>,
    ) => Promise<PlanUpdateResult>,
  ) {
    if (!plan.workflow_id)
      throw rule(
        409,
        'PLAN_NO_WORKFLOW',
        'Kế hoạch này chưa có quy trình phê duyệt.',
        'This plan has no approval workflow.',
      );
    const wid = plan.workflow_id;
    const r = await withTemporal(
      deps.temporal,
      (client) => send(client.workflow.getHandle(wid)),
      deps.plans?.updateDeadlineMs,
    );
    return { planId: plan.id, phase: r.phase, status: r.status, round: r.round, date: r.date };
  }

  /**
   * Loads a plan and authorizes the caller for a process step: the route's action — or `actionFor`'s, chosen
   * by the plan's resource (a plan inside a unit is decided by the unit's head) — by the role rule; else as
   * the assignee of the open item of `kinds` (policy assigneeMay: the item is assigned to the caller, or to a
   * role the caller holds today at the item's unit — a configured approval chain may put any of its parties
   * at a level); else, when that item's assignee (the person, or a holder of the role) delegated to the
   * caller (an approved delegation in force now, H4's activeDelegation), as that person's delegate: the
   * policy's authorizeOnBehalf allows it only then, and only when the principal would be allowed. Nobody acts
   * on their own plan or amendment either way. The Update then carries `by: caller, onBehalfOf: principal`;
   * the workflow's validator still checks a person-assigned level.
   */
  async function loadActing(
    c: Context<AuthzEnv>,
    id: string,
    opts: { kinds?: string[]; actionFor?: (r: Resource) => Action | undefined } = {},
  ): Promise<{ plan: PlanRow; acting: Acting; taskId: string | undefined }> {
    const p = await getPlan(db, id);
    if (!p) {
      await check(c, db, { path: [], tier: 'province' }).catch(() => undefined);
      throw planNotFound();
    }
    const r = await planResource(db, p);
    const declared = c.get('authzAction');
    const act = opts.actionFor?.(r) ?? declared;
    if (!act) throw planNotFound();
    const by = actorId(c);
    const item = opts.kinds ? await openItemOf(db, p.id, opts.kinds) : undefined;
    let refused: unknown;
    try {
      await check(c, db, r, act);
    } catch (e) {
      if (!(e instanceof ApiProblem) || e.status !== 403 || !item) throw e;
      refused = e;
    }
    if (refused === undefined) {
      c.set('authzChecked', true);
      if (!item || !itemBindsRole(act, item.assignee)) return { plan: p, acting: { by }, taskId: item?.id };
    }
    // the role rule refused, or a review item assigned to a role binds the step to that role's holders
    if (!item) throw refused ?? forbidden();
    const me = await subjectOfPerson(db, by);
    if (assigneeMay(me, act, r, item.assignee).allowed) {
      c.set('authzChecked', true);
      return { plan: p, acting: { by }, taskId: item.id };
    }
    for (const principalId of await assigneesOf(item.assignee)) {
      if (principalId === by) continue;
      const d = await activeDelegation(db, { delegateId: by, principalId, at: new Date() });
      if (!d) continue;
      const principal = await subjectOfPerson(db, principalId);
      const decision = authorizeOnBehalf(
        me,
        principal,
        act,
        r,
        { active: true, principalId, delegateId: by },
        item.assignee,
      );
      if (!decision.allowed) continue;
      c.set('authzChecked', true);
      return { plan: p, acting: { by, onBehalfOf: principalId }, taskId: item.id };
    }
    throw refused ?? forbidden();
  }
  /** The persons an item is assigned to: its person, or the holders today of its role at its unit. */
  async function assigneesOf(a: ItemAssignee): Promise<string[]> {
    if (a.personId) return [a.personId];
    if (!a.role || !a.unitId) return [];
    const role = a.role.trim().replace(/-/g, '_') as RoleCode;
    return (await holdersOfRole(db, role, a.unitId, todayVn())).map((h) => h.id);
  }
  const internalDecide = (r: Resource): Action | undefined =>
    r.tier === 'internal' ? 'plan.decide.internal' : undefined;

  const routed = app
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans',
        tags,
        summary:
          "Create a unit's or a person's plan for a year (optionally from an outline); a unit's plan starts its annual-plan workflow",
        middleware: [requires('plan.draft')],
        request: { body: jsonBody(CreatePlan) },
        responses: { 201: jsonOk(PlanDetail, 'Created'), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const by = actorId(c);
        let unitId: string;
        let resource: Resource;
        let planId: string;
        if (b.ownerKind === 'unit') {
          unitId = b.unitId;
          const path = await loadPath(db, unitId);
          resource = { path: path.map((n) => n.id), tier: tierOfUnit(path) === 'unit' ? 'unit' : 'internal' };
          if (path.length < 2) await check(c, db, { ...resource, tier: 'province' });
          planId = annualPlanId(unitId, b.year);
        } else {
          const person = await db
            .selectFrom('person')
            .select('id')
            .where('id', '=', b.personId)
            .executeTakeFirst();
          if (!person) {
            await check(c, db, { path: [], tier: 'province' }).catch(() => undefined);
            throw personNotFound();
          }
          const u = await employmentUnitOf(db, b.personId, todayVn());
          if (!u)
            throw rule(
              422,
              'PERSON_NOT_EMPLOYED',
              'Người này hiện không thuộc đơn vị nào.',
              'The person has no current unit.',
            );
          unitId = u;
          const path = await loadPath(db, unitId);
          resource = { path: path.map((n) => n.id), tier: 'internal', subjectPersonId: b.personId };
          planId = personalPlanId(b.personId, b.year);
        }
        await check(c, db, resource);
        const owner =
          b.ownerKind === 'unit'
            ? ({ kind: 'unit', unitId } as const)
            : ({ kind: 'person', personId: b.personId } as const);
        const content = contentFromTemplate({ id: planId, year: b.year, owner }, b.template);
        const unit = await db
          .selectFrom('org_unit')
          .select(['name_vi', 'province_id'])
          .where('id', '=', unitId)
          .executeTakeFirstOrThrow();
        const owner_name =
          b.ownerKind === 'unit'
            ? unit.name_vi
            : ((
                await db
                  .selectFrom('person')
                  .select('full_name')
                  .where('id', '=', b.personId)
                  .executeTakeFirst()
              )?.full_name ?? unit.name_vi);
        const input = await workflowInput(deps, {
          planId,
          owner:
            b.ownerKind === 'unit'
              ? { kind: 'unit', unitId }
              : { kind: 'person', personId: b.personId, unitId },
          unitId,
          ownerName: owner_name,
          year: b.year,
          drafter: b.ownerKind === 'unit' ? by : b.personId,
        });
        const result = await db.transaction().execute(async (trx) => {
          const exists = await trx
            .selectFrom('plan')
            .select('id')
            .where('id', '=', planId)
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
              id: planId,
              owner_kind: b.ownerKind,
              unit_id: unitId,
              person_id: b.ownerKind === 'person' ? b.personId : null,
              year: b.year,
              workflow_id: planId,
              submitted_version_id: null,
              in_force_version_id: null,
              next_deadline_at: null,
              details: JSON.stringify({ createdBy: by, template: b.template ?? null }),
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const v = await createPlanVersion(trx, { planId, content, createdBy: by });
          await audit(trx, c, 'plan', planId, 'plan.created', null, {
            ownerKind: b.ownerKind,
            unitId,
            year: b.year,
            template: b.template ?? null,
            version: v.number,
            hash: v.hash,
          });
          // Started inside the transaction: a refused or failed start rolls the plan back.
          await startPlanWorkflow(deps, input, unit.province_id);
          return { plan, v };
        });
        return c.json(
          {
            ...toSummary(result.plan),
            version: toVersion(result.v),
            content: content as z.infer<typeof PlanContentSchema>,
            prechecks: prechecksOf(content),
            versions: [toVersion(result.v)],
            submittedVersionIds: [],
          },
          201,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans',
        tags,
        summary: "A unit's plans (its own and its people's), optionally of one year",
        middleware: [requires('plan.read')],
        request: {
          query: z.object({ unitId: uuid, year: z.coerce.number().int().min(2000).max(2200).optional() }),
        },
        responses: { 200: jsonOk(z.object({ items: z.array(PlanSummary) })), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const path = await loadPath(db, q.unitId);
        await check(c, db, {
          path: path.map((n) => n.id),
          tier: path.length < 2 ? 'province' : tierOfUnit(path) === 'unit' ? 'unit' : 'internal',
        });
        const rows = await plansOfUnit(db, q.unitId, q.year);
        return c.json({ items: rows.map(toSummary) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/import-template',
        tags,
        summary: 'The empty workbook in the template columns of a plan import',
        middleware: [requires('plan.read')],
        responses: {
          200: {
            description: 'The workbook',
            content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
          401: errorResponses[401],
        },
      }),
      async (c) => {
        c.set('authzChecked', true); // reference data: the column headers only
        return c.body(new Uint8Array(await planTemplateWorkbook()), 200, {
          'Content-Type': XLSX_TYPE,
          'Content-Disposition': 'attachment; filename="woms-plan-import.xlsx"',
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/{id}',
        tags,
        summary: 'A plan: its current draft, status, pre-check findings and versions',
        middleware: [requires('plan.read')],
        request: { params: PlanIdParam },
        responses: { 200: jsonOk(PlanDetail), ...errorResponses },
      }),
      async (c) => {
        const p = await loadPlan(c, db, c.req.valid('param').id);
        const latest = await latestPlanVersion(db, p.id);
        if (!latest) throw versionNotFound();
        const versions = await versionsOfPlan(db, p.id);
        // every submission is audited ('plan.submitted', with the version it froze)
        const submissions = await db
          .selectFrom('audit_log')
          .select('after')
          .where('aggregate_type', '=', 'plan')
          .where('aggregate_id', '=', p.id)
          .where('action', '=', 'plan.submitted')
          .orderBy('seq')
          .execute();
        const submittedVersionIds = [
          ...new Set(
            submissions.flatMap((s) => {
              const a = (s.after ?? {}) as { versionId?: unknown; submittedVersionId?: unknown };
              const v = a.versionId ?? a.submittedVersionId;
              return typeof v === 'string' ? [v] : [];
            }),
          ),
        ];
        return c.json(
          {
            ...toSummary(p),
            version: toVersion(latest),
            content: latest.content as z.infer<typeof PlanContentSchema>,
            prechecks: prechecksOf(latest.content),
            versions: versions.map(toVersion),
            submittedVersionIds,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/plans/{id}/draft',
        tags,
        summary:
          'Save the draft as a new version (409 PLAN_VERSION_CONFLICT when baseVersion is not the latest)',
        middleware: [requires('plan.draft')],
        request: { params: PlanIdParam, body: jsonBody(SaveDraft) },
        responses: { 200: jsonOk(SavedDraft), 201: jsonOk(SavedDraft, 'Saved'), ...errorResponses },
      }),
      async (c) => {
        const id = c.req.valid('param').id;
        const b = c.req.valid('json');
        const p = await loadPlan(c, db, id);
        const content = contentOf({ id: p.id, year: p.year, owner: ownerOf(p) }, b.content);
        checkMandatoryCascade(p, content);
        const r = await saveVersion(c, p.id, b.baseVersion, content, 'plan.draft-saved');
        return c.json(
          { version: toVersion(r.version), prechecks: prechecksOf(content), unchanged: r.unchanged },
          r.unchanged ? 200 : 201,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/{id}/versions/{n}',
        tags,
        summary: 'One version of a plan (immutable)',
        middleware: [requires('plan.read')],
        request: {
          params: PlanIdParam.extend({
            n: z.coerce
              .number()
              .int()
              .min(1)
              .openapi({ param: { name: 'n', in: 'path' } }),
          }),
        },
        responses: { 200: jsonOk(PlanVersion), ...errorResponses },
      }),
      async (c) => {
        const prm = c.req.valid('param');
        const p = await loadPlan(c, db, prm.id);
        const v = await planVersionByNumber(db, p.id, prm.n);
        if (!v) throw versionNotFound();
        return c.json(
          { ...toVersion(v), planId: p.id, content: v.content as z.infer<typeof PlanContentSchema> },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/plans/{id}/diff',
        tags,
        summary: 'Added, removed and changed tasks and key results between two versions, field by field',
        middleware: [requires('plan.read')],
        request: {
          params: PlanIdParam,
          query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
        },
        responses: { 200: jsonOk(PlanDiff), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const p = await loadPlan(c, db, c.req.valid('param').id);
        const [a, b] = await Promise.all([
          planVersionByNumber(db, p.id, q.from),
          planVersionByNumber(db, p.id, q.to),
        ]);
        if (!a || !b) throw versionNotFound();
        return c.json(
          {
            from: a.number,
            to: b.number,
            ...diffPlans(a.content as unknown as PlanContent, b.content as unknown as PlanContent),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/import',
        tags,
        summary:
          'Import a workbook in the template columns as a new draft version (all rows valid, or nothing)',
        middleware: [requires('plan.draft')],
        request: {
          params: PlanIdParam,
          query: z.object({ baseVersion: z.coerce.number().int().min(1) }),
          body: {
            required: true,
            content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
        },
        responses: { 201: jsonOk(ImportResult, 'Imported'), ...errorResponses },
      }),
      async (c) => {
        const p = await loadPlan(c, db, c.req.valid('param').id);
        const baseVersion = c.req.valid('query').baseVersion;
        if ((c.req.header('content-type') ?? '').split(';')[0]?.trim() !== XLSX_TYPE)
          throw new ApiProblem({
            status: 415,
            code: 'UNSUPPORTED_MEDIA_TYPE',
            vi: 'Hãy gửi tệp .xlsx.',
            en: 'Send an .xlsx file.',
          });
        let parsed: Awaited<ReturnType<typeof readPlanWorkbook>>;
        try {
          parsed = await readPlanWorkbook(Buffer.from(await c.req.arrayBuffer()));
        } catch (e) {
          if (!(e instanceof WorkbookUnreadable)) throw e;
          throw rule(
            422,
            'PLAN_IMPORT_UNREADABLE',
            'Không đọc được tệp .xlsx.',
            'The .xlsx file cannot be read.',
          );
        }
        if (!parsed.content)
          throw new ApiProblem({
            status: 422,
            code: 'PLAN_IMPORT_INVALID',
            vi: 'Tệp nhập có dòng không hợp lệ; chưa lưu gì.',
            en: 'The workbook has invalid rows; nothing was saved.',
            details: { rows: parsed.rows, columns: PLAN_COLUMNS.map((x) => x.header) },
          });
        const content = contentOf({ id: p.id, year: p.year, owner: ownerOf(p) }, parsed.content);
        checkMandatoryCascade(p, content);
        const r = await saveVersion(c, p.id, baseVersion, content, 'plan.imported');
        return c.json(
          { version: toVersion(r.version), rows: parsed.rows, prechecks: prechecksOf(content) },
          201,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/submit',
        tags,
        summary: 'Submit a version of the plan (the Update carries its id and hash, freezing it)',
        middleware: [requires('plan.submit')],
        request: { params: PlanIdParam, headers: idempotencyHeader, body: jsonBody(Submit) },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const kinds = ['plan.submit', 'plan.revise'];
        const { plan: p, acting, taskId } = await loadActing(c, c.req.valid('param').id, { kinds });
        const { versionId } = c.req.valid('json');
        const v = await getPlanVersion(db, versionId);
        if (!v || v.plan_id !== p.id) throw versionNotFound();
        const task = taskId ?? `${p.id}:submit`;
        const updateId = `submit:${updateIdOf(c.req.header('idempotency-key'), `${task}:${v.id}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(submitPlan, { args: [{ versionId: v.id, hash: v.hash, ...acting }], updateId }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/appraise',
        tags,
        summary: "The secretariat's appraisal of a submitted unit plan",
        middleware: [requires('plan.appraise')],
        request: { params: PlanIdParam, headers: idempotencyHeader, body: jsonBody(Appraise) },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const {
          plan: p,
          acting,
          taskId,
        } = await loadActing(c, c.req.valid('param').id, {
          kinds: ['plan.appraise'],
        });
        const b = c.req.valid('json');
        await checkCommentItems(db, p, b.comments);
        const by = acting.by;
        const task = taskId ?? `${p.id}:appraise`;
        const updateId = `appraise:${updateIdOf(c.req.header('idempotency-key'), `${task}:${p.submitted_version_id ?? ''}:${by}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(appraisePlan, {
            args: [{ ...acting, opinion: b.opinion, ...(b.comments ? { comments: b.comments } : {}) }],
            updateId,
          }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/plans/{id}/decide',
        tags,
        summary:
          "The decision: the standing committee's on a unit's plan, the unit head's on a plan inside the unit (a sub-unit's or a person's); approve, or return with comments on items",
        middleware: [requires('plan.decide')],
        request: { params: PlanIdParam, headers: idempotencyHeader, body: jsonBody(Decide) },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const {
          plan: p,
          acting,
          taskId,
        } = await loadActing(c, c.req.valid('param').id, {
          kinds: ['plan.decide'],
          actionFor: internalDecide,
        });
        const b = c.req.valid('json');
        await checkCommentItems(db, p, b.comments);
        const task = taskId ?? `${p.id}:decide`;
        const updateId = `decide:${updateIdOf(c.req.header('idempotency-key'), `${task}:${p.submitted_version_id ?? ''}:${b.decision}`)}`;
        const r = await transition(p, (h) =>
          h.executeUpdate(decidePlan, {
            args: [{ ...acting, decision: b.decision, comments: b.comments }],
            updateId,
          }),
        );
        return c.json(r, 200);
      },
    );

  const withProcess = routed.route(
    '/',
    planProcessRoutes({
      deps,
      loadPlan: (c, id) => loadPlan(c, db, id),
      loadActing,
      transition,
      saveVersion,
      internalDecide,
    }),
  );

  /** Appends a version under the plan's lock: the plan must be drafting and `baseVersion` the latest. */
  async function saveVersion(
    c: Context<AuthzEnv>,
    planId: string,
    baseVersion: number,
    content: PlanContent,
    action: string,
  ) {
    return db
      .transaction()
      .execute(async (trx) => {
        const locked = await lockPlan(trx, planId);
        if (!locked) throw planNotFound();
        if (!EDITABLE.has(locked.status)) throw notEditable(locked.status);
        const latest = await latestPlanVersion(trx, planId);
        if (!latest || latest.number !== baseVersion)
          throw new ApiProblem({
            status: 409,
            code: 'PLAN_VERSION_CONFLICT',
            vi: `Kế hoạch đã được lưu thành phiên bản ${latest?.number ?? 0} sau phiên bản bạn đang sửa (${baseVersion}). Nội dung của bạn chưa được lưu; hãy tải lại và gộp thay đổi.`,
            en: `The plan was saved as version ${latest?.number ?? 0} after the version you edited (${baseVersion}). Your content was not saved; reload and merge your changes.`,
            details: { baseVersion, currentVersion: latest?.number ?? 0 },
          });
        const version = await createPlanVersion(trx, { planId, content, createdBy: actorId(c) });
        if (version.hash === latest.hash) {
          // same content: keep the history clean (the insert is undone with the savepoint-free rollback below)
          throw new Unchanged(latest);
        }
        await audit(
          trx,
          c,
          'plan',
          planId,
          action,
          { version: latest.number, hash: latest.hash },
          { version: version.number, hash: version.hash },
        );
        return { version, unchanged: false };
      })
      .catch((e) => {
        if (e instanceof Unchanged) return { version: e.latest, unchanged: true };
        throw e;
      });
  }

  return withProcess;
}

class Unchanged extends Error {
  readonly latest: VersionRowLike;
  constructor(latest: VersionRowLike) {
    super('unchanged');
    this.latest = latest;
  }
}

export const ownerOf = (p: PlanRow): PlanContent['owner'] =>
  p.owner_kind === 'unit'
    ? { kind: 'unit', unitId: p.unit_id ?? '' }
    : { kind: 'person', personId: p.person_id ?? '' };

const rule422Large = () =>
  new ApiProblem({
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    vi: 'Dữ liệu gửi lên quá lớn.',
    en: 'The request body is too large.',
  });
