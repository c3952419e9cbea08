// The plan phase of the scripted year (issue 8 point 6): before the months, each unit's annual plan goes through
// the annual-plan workflow as POST /plans and the process routes drive it — created in late November of the year
// before (the API's workflowInput; the plan row, its first version and the audit entry in one transaction with
// the start), submitted by the unit's plan officer (the drafter), appraised and decided by the chain's parties
// (Updates submitPlan, appraisePlan, decidePlan), some plans returned once with comments and resubmitted as a new
// version, then approved; the decomposition into the people's personal plans (the cascade's first draft as
// POST /plans/{id}/children writes it, then the Update completeDecomposition with the coverage the API checks),
// each personal plan through its own workflow (the person submits, the unit's leadership approves; one returned
// once). What it answers is what the months need: each person's plan in force, its version and key result.
//
// Each plan workflow gets a compressed clock from the day it starts (warpFrom); its Updates carry stable update ids
// (a retry after a lost answer or a continue-as-new is answered, not applied twice); a handle without runId
// follows the continue-as-new chain. A person whose plan only they could approve themselves (the unit head: the
// unit's leadership is the head) gets no personal plan here (the caller writes it directly and says so).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApiDeps } from '../../api/deps.ts';
import { childFirstDraft, childKeyResultId } from '../../api/routes/plans/cascade.ts';
import type { PlanContent } from '../../api/routes/plans/content.ts';
import { workflowInput } from '../../api/routes/plans/index.ts';
import { GAP_CODES } from '../../api/routes/plans/process-routes.ts';
import { appendAudit } from '../../db/audit/chain.ts';
import type { Database } from '../../db/connection.ts';
import { holdersOfRole } from '../../db/queries/org.ts';
import { unitPath } from '../../db/queries/org-tree.ts';
import { latestPlanVersion } from '../../db/queries/plan-content.ts';
import { createPlanVersion, getPlan } from '../../db/queries/plans.ts';
import type { RoleCode } from '../../db/schema.ts';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import { checkChildrenCoverage } from '../../domain/plan/prechecks-coverage.ts';
import {
  type AnnualPlanInput,
  type AnnualPlanView,
  type AssigneeRef,
  annualPlanId,
  appraisePlan,
  completeDecomposition,
  decidePlan,
  getAnnualPlan,
  type ItemComment,
  type PlanUpdateResult,
  personalPlanId,
  submitPlan,
} from '../../workflows/annual-plan.messages.ts';
import type { TimeWarp } from '../../workflows/plan-time.ts';
import { SA } from '../../workflows/search-attributes.ts';

/** The key result of the unit's plan the people's plans are cascaded from (their check-ins report on its copy). */
export const UNIT_KR_ID = 'kr-sim';
/** The key result of a personal plan decomposed from the unit's plan. */
export const PERSONAL_KR_ID = childKeyResultId(UNIT_KR_ID);

export interface PlanPhasePerson {
  personId: string;
  name: string;
  /** The person's unit (the top unit or a sub-unit of it). */
  unitId: string;
}

export interface PlanPhaseOptions {
  db: Database;
  client: Client;
  taskQueue: string;
  year: number;
  /** The top unit whose plan is decomposed into its people's plans. */
  unitId: string;
  unitName: string;
  people: readonly PlanPhasePerson[];
  /** The unit's plan is returned once (comments), then resubmitted as a new version. */
  returnUnitPlan: boolean;
  /** The person whose personal plan is returned once (undefined: none). */
  returnPersonId?: string | undefined;
  /** Real milliseconds per virtual day of the plan workflows' clocks. */
  msPerDay: number;
  /** The day the unit's plan is created (default 24 November of the year before). */
  createdOn?: string;
  /** A step on the timeline (kind 'plan'): the virtual day the workflow answered, the text. */
  emit: (date: string, text: string) => void;
}

export interface PlanPhaseResult {
  unitPlanId: string;
  /** The plans returned once (the unit's and the personal ones). */
  returned: number;
  /** Each person's plan in force (those the plan phase gave one). */
  plans: Map<string, { planId: string; versionId: string; keyResultId: string }>;
  /** The people left without a personal plan (their approver would be themselves). */
  skipped: PlanPhasePerson[];
}

export function warpFrom(day: string, msPerDay: number): TimeWarp {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // 09:00 in Asia/Ho_Chi_Minh (UTC+7) of `day`
  return { realEpoch: Date.now(), virtualEpoch: Date.UTC(y, m - 1, d, 2), speed: 86_400_000 / msPerDay };
}

/** The day (Asia/Ho_Chi_Minh) a workflow's clock shows now, `plus` days later. */
function dayOf(w: TimeWarp, plus = 0): string {
  const v = w.virtualEpoch + (Date.now() - w.realEpoch) * w.speed + plus * 86_400_000;
  return new Date(v + 7 * 3_600_000).toISOString().slice(0, 10);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` (a query a busy worker may not answer at once is asked again) until it answers or time is out. */
async function poll<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch((e: unknown) => {
      if (Date.now() > end) throw e;
      return undefined;
    });
    if (v) return v;
    if (Date.now() > end) throw new Error(`plan phase: timed out waiting for ${what}`);
    await sleep(150);
  }
}

/**
 * Sends an Update with its stable id; a lost answer, a worker too slow for the deadline or a continue-as-new
 * under way is retried (the workflow answers a repeated update id from its record). A validator's refusal is
 * thrown at once.
 */
async function update(what: string, fn: () => Promise<PlanUpdateResult>): Promise<PlanUpdateResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Promise.race([
        fn(),
        sleep(60_000).then(() => {
          throw new Error(`plan phase: ${what} not answered in 60 s`);
        }),
      ]);
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError) {
        const reason = (e.cause as Error | undefined)?.message ?? e.message;
        throw new Error(`plan phase: ${what} refused: ${reason}`, { cause: e });
      }
      if (attempt >= 5) throw new Error(`plan phase: ${what} failed`, { cause: e });
      await sleep(500 * attempt);
    }
  }
}

const state = (h: WorkflowHandle) => h.query(getAnnualPlan);

/** The person acting for a party: the person, or the first holder of the role (not `not`) on `day`. */
async function actorOf(db: Database, ref: AssigneeRef, day: string, not?: string): Promise<string> {
  if ('personId' in ref && ref.personId) return ref.personId;
  const r = ref as { role: string; unitId: string };
  const role = r.role.replace(/-/g, '_') as RoleCode;
  const holders = (await holdersOfRole(db, role, r.unitId, day)).filter((h) => h.id !== not);
  if (!holders[0]) throw new Error(`plan phase: nobody holds ${r.role} at ${r.unitId} on ${day}`);
  return holders[0].id;
}

/** The party of an approval chain's level (as the workflow's levelParty answers it). */
function levelParty(input: AnnualPlanInput, level: number): AssigneeRef {
  const l = input.chain.levels[level];
  if (!l) throw new Error(`plan phase: no approval level ${level}`);
  if (l.actorId) return { personId: l.actorId };
  const p = input.parties;
  switch (l.role) {
    case 'supervisor':
      return p.supervisor;
    case 'unit-head':
      return p.unitHead;
    case 'secretariat':
      return p.secretariat;
    case 'standing-committee':
      return p.standingCommittee;
    case 'organisation-department':
      return p.organisationDepartment ?? p.secretariat;
    default:
      return p.drafter;
  }
}

const deps = (o: PlanPhaseOptions): ApiDeps => ({
  db: o.db,
  temporal: async () => o.client,
  version: 'simulation',
  plans: { taskQueue: o.taskQueue },
});

/** The task queues of the simulations (`npm run simulate`: woms-simulate-<time>; the tests: simulate-…). */
const SIMULATION_QUEUE = /^(woms-)?simulate-/;

/**
 * Starts a plan's workflow as the API's startPlanWorkflow does (same type, id, task queue and search attributes).
 * The ids are business keys and the database is fresh each run: a closed workflow of that id (an earlier run on
 * the same server) is no obstacle, a running one left by an interrupted simulation is terminated; one running for
 * another application (the task queue of `npm start`) is left alone and the unit's plan phase stops.
 */
async function startPlan(o: PlanPhaseOptions, input: AnnualPlanInput, provinceId: string) {
  const existing = await o.client.workflow
    .getHandle(input.planId)
    .describe()
    .catch(() => undefined);
  if (existing?.status.name === 'RUNNING') {
    if (!SIMULATION_QUEUE.test(existing.taskQueue))
      throw new Error(
        `plan phase: the workflow ${input.planId} runs for another application (task queue ${existing.taskQueue}); simulate another year (--year) or --plans direct`,
      );
    await o.client.workflow
      .getHandle(input.planId)
      .terminate('an earlier simulation left it running')
      .catch(() => undefined);
  }
  await o.client.workflow.start('annualPlanWorkflow', {
    taskQueue: o.taskQueue,
    workflowId: input.planId,
    args: [input],
    typedSearchAttributes: [
      { key: SA.PlanYear, value: input.year },
      { key: SA.UnitId, value: input.owner.unitId },
      { key: SA.Province, value: provinceId },
    ],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return o.client.workflow.getHandle(input.planId);
}

/** Creates a plan as the API does: the row, its first version and the audit entry, the workflow started inside
 *  the same transaction. */
async function createPlan(
  o: PlanPhaseOptions,
  a: {
    input: AnnualPlanInput;
    content: PlanContent;
    by: string;
    provinceId: string;
    parent?: { planId: string; mandatory: unknown };
  },
) {
  const { input } = a;
  return o.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('plan')
      .values({
        id: input.planId,
        owner_kind: input.owner.kind,
        unit_id: input.owner.unitId,
        person_id: input.owner.kind === 'person' ? input.owner.personId : null,
        year: input.year,
        workflow_id: input.planId,
        submitted_version_id: null,
        in_force_version_id: null,
        next_deadline_at: null,
        details: JSON.stringify({ createdBy: a.by }),
        ...(a.parent
          ? {
              parent_plan_id: a.parent.planId,
              cascade: JSON.stringify({ mandatory: a.parent.mandatory }),
            }
          : {}),
      })
      .execute();
    const v = await createPlanVersion(trx, { planId: input.planId, content: a.content, createdBy: a.by });
    await appendAudit(trx, {
      aggregateType: 'plan',
      aggregateId: input.planId,
      actor: a.by,
      action: 'plan.created',
      after: {
        ownerKind: input.owner.kind,
        unitId: input.owner.unitId,
        year: input.year,
        ...(a.parent ? { parentPlanId: a.parent.planId } : {}),
        version: v.number,
        hash: v.hash,
      },
    });
    if (a.parent)
      await appendAudit(trx, {
        aggregateType: 'plan',
        aggregateId: a.parent.planId,
        actor: a.by,
        action: 'plan.child-created',
        after: { childPlanId: input.planId },
      });
    const h = await startPlan(o, input, a.provinceId);
    return { v, h };
  });
}

/** A new version of a returned plan's content (the drafter's correction), audited as PUT /plans/{id}/draft. */
async function reviseDraft(o: PlanPhaseOptions, planId: string, content: PlanContent, by: string) {
  return o.db.transaction().execute(async (trx) => {
    const latest = await latestPlanVersion(trx, planId);
    const v = await createPlanVersion(trx, { planId, content, createdBy: by });
    await appendAudit(trx, {
      aggregateType: 'plan',
      aggregateId: planId,
      actor: by,
      action: 'plan.draft-saved',
      before: latest ? { version: latest.number, hash: latest.hash } : null,
      after: { version: v.number, hash: v.hash },
    });
    return v;
  });
}

/** The plan's version in force once the workflow's projection has written it. */
const inForce = (o: PlanPhaseOptions, planId: string) =>
  poll(`the version in force of ${planId}`, async () => (await getPlan(o.db, planId))?.in_force_version_id);

/** Waits for an open item of `kind` on the plan's workflow. */
const itemOpen = (h: WorkflowHandle, kind: string) =>
  poll<AnnualPlanView>(`the ${kind} item of ${h.workflowId}`, async () => {
    const v = await state(h);
    return v.openItems.some((i) => i.kind === kind) ? v : undefined;
  });

/**
 * Submits, appraises (every appraising level of the chain endorses) and decides a plan; returned once first when
 * `returnWith` is given (the drafter's corrected content resubmitted as a new version). Answers the day it was
 * approved.
 */
async function approvalRound(
  o: PlanPhaseOptions,
  a: {
    h: WorkflowHandle;
    input: AnnualPlanInput;
    drafter: string;
    version: { id: string; hash: string };
    label: string;
    returnWith?: { comments: ItemComment[]; revised: PlanContent };
  },
): Promise<{ approvedOn: string; returned: boolean }> {
  const { h, input } = a;
  const last = input.chain.levels.length - 1;
  let version = a.version;
  let returnWith = a.returnWith;
  for (let round = 1; ; round++) {
    await itemOpen(h, round === 1 ? 'submit' : 'revise');
    const submitted = await update(`${a.label}: submit`, () =>
      h.executeUpdate(submitPlan, {
        args: [{ by: a.drafter, versionId: version.id, hash: version.hash }],
        updateId: `sim:plan-submit:${input.planId}:${version.id}`,
      }),
    );
    o.emit(submitted.date, `Nộp kế hoạch: ${a.label} (phiên bản lần ${round})`);
    for (let level = 0; level < last; level++) {
      const by = await actorOf(o.db, levelParty(input, level), submitted.date, a.drafter);
      const r = await update(`${a.label}: appraise L${level}`, () =>
        h.executeUpdate(appraisePlan, {
          args: [{ by, opinion: 'endorse' }],
          updateId: `sim:plan-appraise:${input.planId}:${version.id}:L${level}`,
        }),
      );
      o.emit(r.date, `Thẩm định kế hoạch: ${a.label} (thống nhất)`);
    }
    const decider = await actorOf(o.db, levelParty(input, last), submitted.date, a.drafter);
    if (returnWith) {
      const comments = returnWith.comments;
      const r = await update(`${a.label}: return`, () =>
        h.executeUpdate(decidePlan, {
          args: [{ by: decider, decision: 'return', comments }],
          updateId: `sim:plan-decide:${input.planId}:${version.id}:return`,
        }),
      );
      o.emit(r.date, `Trả lại kế hoạch: ${a.label} — ${comments.map((x) => x.text).join('; ')}`);
      const v = await reviseDraft(o, input.planId, returnWith.revised, a.drafter);
      version = { id: v.id, hash: v.hash };
      returnWith = undefined;
      continue;
    }
    const r = await update(`${a.label}: approve`, () =>
      h.executeUpdate(decidePlan, {
        args: [{ by: decider, decision: 'approve', comments: [] }],
        updateId: `sim:plan-decide:${input.planId}:${version.id}:approve`,
      }),
    );
    o.emit(r.date, `Phê duyệt kế hoạch: ${a.label}`);
    return { approvedOn: r.date, returned: round > 1 };
  }
}

const KR_TITLE = 'Hồ sơ thủ tục hành chính giải quyết đúng hạn';

/** The unit's plan content: one task, one monthly key result cascaded (mandatory) to the people, 120 each. */
function unitContent(
  o: PlanPhaseOptions,
  planId: string,
  to: readonly string[],
  title = KR_TITLE,
): PlanContent {
  const kr: KeyResult = {
    id: UNIT_KR_ID,
    title,
    type: 'KPI',
    breakthrough: false,
    unit: 'hồ sơ',
    direction: { kind: 'higher' },
    target: String(120 * to.length),
    weight: '1',
    cadence: 'month',
    aggregation: 'sum',
    evidenceRequired: false,
    cascade: { mode: 'mandatory', to: [...to] },
  };
  const plan: Plan = {
    id: planId,
    year: o.year,
    owner: { kind: 'unit', unitId: o.unitId },
    tasks: [
      {
        id: 't1',
        title: 'Giải quyết thủ tục hành chính',
        perspective: 'citizens',
        weight: '1',
        keyResults: [kr],
      },
    ],
  };
  return { ...plan, sections: [] } as unknown as PlanContent;
}

/** Runs the plan phase of one unit; answers each person's plan in force. */
export async function planPhaseOfUnit(o: PlanPhaseOptions): Promise<PlanPhaseResult> {
  const path = (await unitPath(o.db, o.unitId)) ?? [];
  const provinceId = path[0]?.id ?? o.unitId;
  const createdOn = o.createdOn ?? `${o.year - 1}-11-24`;
  // The plan officer: the unit's first supervisor, else its first person who is not the unit head.
  const heads = await holdersOfRole(o.db, 'unit_head', o.unitId, createdOn);
  const headIds = new Set(heads.map((x) => x.id));
  const supervisors = await holdersOfRole(o.db, 'supervisor', o.unitId, createdOn);
  const drafter =
    supervisors.find((x) => !headIds.has(x.id))?.id ??
    o.people.find((p) => !headIds.has(p.personId))?.personId ??
    o.people[0]?.personId;
  if (!drafter) throw new Error(`plan phase: ${o.unitName} has nobody to draft its plan`);
  const d = deps(o);
  const unitPlanId = annualPlanId(o.unitId, o.year);
  // The people's plans are approved by the unit's leadership: a person who is that leadership gets none here.
  const leadership = await workflowInput(d, {
    planId: personalPlanId(o.people[0]?.personId ?? drafter, o.year),
    owner: { kind: 'person', personId: o.people[0]?.personId ?? drafter, unitId: o.unitId },
    unitId: o.unitId,
    ownerName: o.unitName,
    year: o.year,
    drafter,
    parent: { planId: unitPlanId, unitId: o.unitId },
  });
  const approverId = leadership.parties.unitHead.personId;
  const decomposed = o.people.filter((p) => p.personId !== approverId);
  const skipped = o.people.filter((p) => p.personId === approverId);
  // The person whose plan is returned once: the one asked for, else (the leadership) the next one with a plan.
  const asked = o.people.findIndex((p) => p.personId === o.returnPersonId);
  const returnee =
    asked < 0
      ? undefined
      : [...o.people.slice(asked), ...o.people.slice(0, asked)].find((p) => p.personId !== approverId)
          ?.personId;

  // The unit's plan: created, submitted, appraised, (returned and resubmitted,) approved.
  const unitInput = await workflowInput(d, {
    planId: unitPlanId,
    owner: { kind: 'unit', unitId: o.unitId },
    unitId: o.unitId,
    ownerName: o.unitName,
    year: o.year,
    drafter,
  });
  const ids = decomposed.map((p) => p.personId);
  const first = unitContent(o, unitPlanId, ids);
  const unitClock = warpFrom(createdOn, o.msPerDay);
  const { v: v1, h } = await createPlan(o, {
    input: { ...unitInput, timeWarp: unitClock },
    content: first,
    by: drafter,
    provinceId,
  });
  o.emit(createdOn, `Lập kế hoạch năm ${o.year} của đơn vị (phiên bản 1)`);
  const unitRound = await approvalRound(o, {
    h,
    input: unitInput,
    drafter,
    version: { id: v1.id, hash: v1.hash },
    label: `kế hoạch năm ${o.year} của đơn vị`,
    ...(o.returnUnitPlan
      ? {
          returnWith: {
            comments: [
              {
                itemId: UNIT_KR_ID,
                text: 'Ghi rõ cách đo chỉ tiêu (số hồ sơ giải quyết đúng hạn trong tháng) và người thực hiện.',
              },
            ],
            revised: unitContent(o, unitPlanId, ids, `${KR_TITLE} (đo theo tháng, giao từng người)`),
          },
        }
      : {}),
  });
  const unitInForce = await inForce(o, unitPlanId);
  const parentContent = ((
    await o.db
      .selectFrom('plan_version')
      .select('content')
      .where('id', '=', unitInForce)
      .executeTakeFirstOrThrow()
  ).content ?? first) as unknown as PlanContent;

  // The decomposition (POST /plans/{id}/children for each person, then the Update completeDecomposition by the
  // unit's leadership once the children cover the unit's key result).
  await itemOpen(h, 'decompose');
  const head = await actorOf(o.db, unitInput.parties.unitHead, unitRound.approvedOn);
  const children: {
    p: PlanPhasePerson;
    input: AnnualPlanInput;
    h: WorkflowHandle;
    v: { id: string; hash: string };
    content: PlanContent;
  }[] = [];
  const drafts: { p: PlanPhasePerson; input: AnnualPlanInput; draft: ReturnType<typeof childFirstDraft> }[] =
    [];
  for (const p of decomposed) {
    const planId = personalPlanId(p.personId, o.year);
    const draft = childFirstDraft(
      parentContent,
      { id: planId, year: o.year, owner: { kind: 'person', personId: p.personId } },
      p.personId,
    );
    const input = await workflowInput(d, {
      planId,
      owner: { kind: 'person', personId: p.personId, unitId: p.unitId },
      unitId: p.unitId,
      ownerName: p.name,
      year: o.year,
      drafter: p.personId,
      parent: { planId: unitPlanId, unitId: o.unitId },
    });
    drafts.push({ p, input, draft });
  }
  // The people's plans start the day after the unit's clock shows now (the decomposition is declared meanwhile).
  const childrenFrom = dayOf(unitClock, 1);
  for (const { p, input, draft } of drafts) {
    const created = await createPlan(o, {
      input: { ...input, timeWarp: warpFrom(childrenFrom, o.msPerDay) },
      content: draft.content,
      by: head,
      provinceId,
      parent: { planId: unitPlanId, mandatory: draft.mandatory },
    });
    children.push({
      p,
      input,
      h: created.h,
      v: { id: created.v.id, hash: created.v.hash },
      content: draft.content,
    });
  }
  const childContents = children.map((x) => x.content as unknown as Plan);
  const findings = checkChildrenCoverage(parentContent as unknown as Plan, childContents);
  const gaps = findings.filter((f) => GAP_CODES.has(f.code));
  if (gaps.length) throw new Error(`plan phase: the people's plans do not cover ${o.unitName}'s key result`);
  const childPlanIds = children.map((x) => x.input.planId);
  if (childPlanIds.length) {
    const done = await update(`${o.unitName}: decomposition`, () =>
      h.executeUpdate(completeDecomposition, {
        args: [{ by: head, childPlanIds, coverage: { checked: 1, gaps: 0 } }],
        updateId: `sim:plan-decompose:${unitPlanId}`,
      }),
    );
    o.emit(done.date, `Giao kế hoạch cá nhân: ${childPlanIds.length} người, chỉ tiêu 120 hồ sơ mỗi người`);
  }

  // Each personal plan: the person submits, the unit's leadership approves (one returned once first).
  let returned = unitRound.returned ? 1 : 0;
  const plans: PlanPhaseResult['plans'] = new Map();
  await Promise.all(
    children.map(async (ch) => {
      const revised = JSON.parse(JSON.stringify(ch.content)) as PlanContent;
      const kr = revised.tasks[0]?.keyResults[0];
      if (kr) kr.title = `${kr.title}: tiếp nhận, thẩm tra và trả kết quả đúng hẹn`;
      const r = await approvalRound(o, {
        h: ch.h,
        input: ch.input,
        drafter: ch.p.personId,
        version: ch.v,
        label: `kế hoạch cá nhân của ${ch.p.name}`,
        ...(ch.p.personId === returnee
          ? {
              returnWith: {
                comments: [
                  {
                    itemId: PERSONAL_KR_ID,
                    text: 'Nêu rõ các bước thực hiện để bảo đảm trả kết quả đúng hẹn.',
                  },
                ],
                revised,
              },
            }
          : {}),
      });
      if (r.returned) returned++;
      plans.set(ch.p.personId, {
        planId: ch.input.planId,
        versionId: await inForce(o, ch.input.planId),
        keyResultId: PERSONAL_KR_ID,
      });
    }),
  );
  return { unitPlanId, returned, plans, skipped };
}
