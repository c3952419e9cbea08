// Check-ins, the process half (DESIGN §3 monthly row, TEMPORAL.md §1.3): submitting my check-in of a month and
// the supervisor's verification, as Updates of the check-in workflow (workflows/check-in.ts).
//
// Submit freezes the current draft (check_in_version, number + sha256) after the domain's submitBlockers found
// nothing missing (else 422 CHECK_IN_INCOMPLETE with the list, nothing written), starts the person's workflow
// for the period on first use (start with the conflict policy USE_EXISTING: a second start finds the running
// one), then sends submitCheckIn with an update id derived from the Idempotency-Key (a double click is applied
// once: Temporal answers a repeated update id with the first result). Verify is allowed to the supervisor or
// unit head over the person's unit (policy check-in.verify) or the person assigned the open verify task;
// nobody verifies their own check-in.
//
// The period lock (DESIGN §3) and its reopening: a LOCKED check-in is reopened only by a request with a reason
// (requestReopen) decided by the unit head (decideReopen). A delegate (an approved delegation in force today)
// acts for the person (submit, reopen request: body onBehalfOf) or for the assignee of the open item (verify,
// reopen decision); an item assigned to a role binds the step to the role's holders and their delegates. The
// verify item may be moved to another supervisor or the unit head (reassignCheckInVerifier). A step refused by
// the workflow because the check-in moved on (another click won, the period locked) answers the state's 409.
import { createRoute } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { Context } from 'hono';
import { inTransaction } from '../../../db/executor.ts';
import { checkInInputFor } from '../../../db/queries/check-in-workflow-input.ts';
import {
  checkInContentHash,
  checkInOf,
  checkInSnapshot,
  createCheckInVersion,
  lockOrCreateCheckIn,
  plansInForceFor,
  valuesOfCheckIn,
} from '../../../db/queries/check-ins.ts';
import { activeDelegation } from '../../../db/queries/delegations.ts';
import { holdersOfRole } from '../../../db/queries/org.ts';
import { employmentUnitOf, todayVn } from '../../../db/queries/org-tree.ts';
import '../../../db/schema-check-in-reopen.ts';
import '../../../db/schema-check-ins.ts';
import type { RoleCode } from '../../../db/schema.ts';
import { dueKeyResults } from '../../../domain/check-in/due.ts';
import { EDITABLE_CHECK_IN_STATUSES } from '../../../domain/check-in/model.ts';
import { isPeriodOpen, parseMonthPeriod, periodOpensAt } from '../../../domain/check-in/period.ts';
import { submitBlockers } from '../../../domain/check-in/validate.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import type { Acting } from '../../../workflows/check-in.messages.ts';
import {
  type CheckInInput,
  checkInWorkflowId,
  decideReopen,
  reassignCheckInVerifier,
  requestReopen,
  submitCheckIn,
  verifyCheckIn,
} from '../../../workflows/check-in.messages.ts';
import { LONG_WORKFLOW_TASK_TIMEOUT } from '../../../workflows/task-timeout.ts';
import { type AuthzEnv, check, forbidden, markChecked, requires } from '../../authz/middleware.ts';
import { type Action, authorize, type Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, emptyJsonIsNoBody, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { subjectOfPerson } from '../plans/subjects.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';

const tags = ['check-ins'];

const PeriodParam = z.object({
  period: z
    .string()
    .regex(/^(20\d{2}|21\d{2}|2200)-(0[1-9]|1[0-2])$/, { message: 'PERIOD_INVALID' })
    .openapi({ param: { name: 'period', in: 'path' }, example: '2026-03' }),
});
const CheckInIdParam = z.object({ checkInId: uuid.openapi({ param: { name: 'checkInId', in: 'path' } }) });
const Verdict = z.object({
  planId: z.string().min(1).max(200),
  keyResultId: z.string().min(1).max(100),
  verdict: z.enum(['verified', 'returned']),
  majorError: z.boolean().optional(),
  comment: z.string().max(2000).optional(),
});
const OnBehalfOf = uuid
  .optional()
  .openapi({ description: 'A delegate acting for this person (an approved delegation in force today)' });
const Verify = z
  .object({ values: z.array(Verdict).min(1).max(500), onBehalfOf: OnBehalfOf })
  .openapi('CheckInVerify');
const Submit = z.object({ onBehalfOf: OnBehalfOf }).openapi('CheckInSubmit');
const ReopenRequest = z
  .object({
    reason: z.string().max(2000).optional().openapi({ description: 'Required (422 REOPEN_REASON_REQUIRED)' }),
    onBehalfOf: OnBehalfOf,
  })
  .openapi('CheckInReopenRequest');
const ReopenDecision = z
  .object({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().trim().max(2000).optional(),
    onBehalfOf: OnBehalfOf,
  })
  .openapi('CheckInReopenDecision');
const Reassign = z
  .object({
    toPersonId: uuid,
    reason: z.string().trim().min(1, { message: 'REASSIGN_REASON_REQUIRED' }).max(2000),
    onBehalfOf: OnBehalfOf,
  })
  .openapi('CheckInVerifierReassign');
const Transition = z
  .object({
    checkInId: z.string(),
    phase: z.enum(['OPEN', 'SUBMITTED', 'RETURNED', 'VERIFIED', 'LOCKED']),
    round: z.number().int(),
    date: z.string(),
    versionId: z.string().optional(),
  })
  .openapi('CheckInTransition');

export const checkInIncomplete = (errors: unknown[]) =>
  new ApiProblem({
    status: 422,
    code: 'CHECK_IN_INCOMPLETE',
    vi: 'Báo cáo còn thiếu thông tin; chưa thể nộp.',
    en: 'The check-in is incomplete; it cannot be submitted yet.',
    details: { errors },
  });
const nothingDue = (period: string) =>
  rule(
    422,
    'CHECK_IN_NOTHING_DUE',
    `Bạn không có mục tiêu nào phải báo cáo trong kỳ ${period}.`,
    `You have no key result to report in ${period}.`,
  );
const notEmployed = () =>
  rule(422, 'PERSON_NOT_EMPLOYED', 'Bạn hiện không thuộc đơn vị nào.', 'You have no current unit.');
const checkInNotFound = () =>
  rule(404, 'CHECK_IN_NOT_FOUND', 'Không tìm thấy báo cáo kết quả.', 'Check-in not found.');
const notSubmitted = (status: string) =>
  new ApiProblem({
    status: 409,
    code: 'CHECK_IN_NOT_SUBMITTED',
    vi: `Báo cáo đang ở trạng thái ${status}; không có gì để xác nhận.`,
    en: `The check-in is ${status}; there is nothing to verify.`,
    details: { status },
  });
const periodLocked = (period: string) =>
  new ApiProblem({
    status: 409,
    code: 'PERIOD_LOCKED',
    vi: `Kỳ báo cáo ${period} đã khóa; hãy gửi yêu cầu mở lại kèm lý do.`,
    en: `The period ${period} is locked; send a reopen request with a reason.`,
    details: { period },
  });
const notLocked = (status: string) =>
  new ApiProblem({
    status: 409,
    code: 'CHECK_IN_NOT_LOCKED',
    vi: `Báo cáo đang ở trạng thái ${status}, không bị khóa; không cần mở lại.`,
    en: `The check-in is ${status}, not locked; there is nothing to reopen.`,
    details: { status },
  });
const reopenPending = () =>
  rule(
    409,
    'CHECK_IN_REOPEN_PENDING',
    'Đã có yêu cầu mở lại đang chờ thủ trưởng quyết định.',
    'A reopen request already awaits the unit head’s decision.',
  );
const reopenDecided = () =>
  rule(
    409,
    'CHECK_IN_REOPEN_ALREADY_DECIDED',
    'Yêu cầu mở lại đã được quyết định; không có yêu cầu nào đang chờ.',
    'The reopen request has already been decided; none is pending.',
  );
const reopenNotRequested = () =>
  rule(
    409,
    'CHECK_IN_REOPEN_NOT_REQUESTED',
    'Chưa có yêu cầu mở lại nào đang chờ quyết định.',
    'No reopen request awaits a decision.',
  );
const reasonRequired = () =>
  rule(
    422,
    'REOPEN_REASON_REQUIRED',
    'Cần nêu lý do đề nghị mở lại kỳ báo cáo.',
    'A reason is required to ask for the period to be reopened.',
  );
const verifierNotEligible = () =>
  rule(
    422,
    'VERIFIER_NOT_ELIGIBLE',
    'Người nhận phải là người giữ vai trò giám sát hoặc thủ trưởng của đơn vị, không phải người báo cáo.',
    'The new verifier must hold the supervisor or unit-head role of the unit, and not be the person reporting.',
  );
const periodNotOpen = (period: string, opensAt: number) =>
  new ApiProblem({
    status: 422,
    code: 'PERIOD_NOT_OPEN',
    vi: `Kỳ ${period} chưa bắt đầu.`,
    en: `The period ${period} has not started.`,
    details: { period, opensAt: new Date(opensAt).toISOString() },
  });
const calendarMissing = () =>
  rule(
    422,
    'CALENDAR_PROFILE_MISSING',
    'Tỉnh chưa có hồ sơ lịch làm việc.',
    'The province has no calendar profile yet.',
  );

/** The check-in workflow's input (db/queries/check-in-workflow-input.ts, shared with the monthly opening):
 *  the plan-year calendar of the province, the person, their supervisor (a supervisor's own check-in: the unit
 *  head verifies it) and the unit head of their top unit. */
export async function checkInWorkflowInput(
  deps: ApiDeps,
  c: { checkInId: string; personId: string; unitId: string; period: string; day: string },
): Promise<CheckInInput> {
  const path = (await loadPath(deps.db, c.unitId)).map((n) => n.id);
  const input = await checkInInputFor(deps.db, { ...c, path });
  if (!input) throw calendarMissing();
  return input;
}

/**
 * Starts the person's check-in workflow for the period, or finds the running one (conflict policy
 * USE_EXISTING), for the submit route (the monthly opening, workflows/check-in-opening.ts, starts it when the
 * month's cycle opens; a first submit before that starts it here). Call inside withTemporal.
 */
export async function ensureCheckInWorkflow(deps: ApiDeps, client: Client, input: CheckInInput) {
  await client.workflow.start('checkInWorkflow', {
    taskQueue: deps.plans?.taskQueue ?? TASK_QUEUE,
    workflowId: checkInWorkflowId(input.period, input.personId),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowTaskTimeout: LONG_WORKFLOW_TASK_TIMEOUT,
  });
  return client.workflow.getHandle(checkInWorkflowId(input.period, input.personId));
}

export function checkInProcessRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const app = contentApp();
  // `Content-Type: application/json` with an empty body is no body (issue 6): runs after the check-in body limit
  app.use('/check-ins/*', emptyJsonIsNoBody);
  const own = (personId: string): Resource => ({ path: [], tier: 'internal', subjectPersonId: personId });
  const deadline = deps.plans?.updateDeadlineMs;

  /** An approved delegation from `principalId` to `me` in force today, or 403. */
  async function requireDelegation(me: string, principalId: string) {
    if (principalId === me) return;
    const d = await activeDelegation(db, { delegateId: me, principalId, at: now() });
    if (!d) throw forbidden('NOT_DELEGATE');
  }

  /** The person acting on their own check-in: the caller, or the person whose delegate the caller is. */
  async function ownActing(c: Context<AuthzEnv>, onBehalfOf: string | undefined): Promise<Acting> {
    const me = actorId(c);
    if (onBehalfOf === undefined || onBehalfOf === me) {
      await check(c, db, own(me));
      return { by: me };
    }
    await requireDelegation(me, onBehalfOf);
    markChecked(c);
    return { by: me, onBehalfOf };
  }

  const rowOf = (checkInId: string) =>
    db.selectFrom('check_in').selectAll().where('id', '=', checkInId).executeTakeFirst();
  const openTaskOf = (checkInId: string, kind: string) =>
    db
      .selectFrom('task')
      .select(['id', 'assignee_person_id', 'assignee_role', 'assignee_unit_id'])
      .where('subject_type', '=', 'check_in')
      .where('subject_id', '=', checkInId)
      .where('kind', '=', kind)
      .where('status', '=', 'open')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  type OpenTask = NonNullable<Awaited<ReturnType<typeof openTaskOf>>>;
  /** The persons an open task binds: its person, or the holders today of its role at its unit. */
  async function assigneesOf(t: OpenTask): Promise<string[]> {
    if (t.assignee_person_id) return [t.assignee_person_id];
    if (!t.assignee_role || !t.assignee_unit_id) return [];
    const role = t.assignee_role.replace(/-/g, '_') as RoleCode;
    return (await holdersOfRole(db, role, t.assignee_unit_id, todayVn(now()))).map((h) => h.id);
  }

  /**
   * Who acts on a step of someone's check-in (verify, reopen decision): never the person or their delegate.
   * With an open item of the step: its assignee (a person-assigned item: that person; a role-assigned item binds
   * the step to the role's holders), or a delegate of one of them (then `onBehalfOf`, when given, must name
   * that assignee); an unassigned step (no open item) falls back to the route's action by the role rule (the
   * state's 409 follows). A person-assigned item also admits whoever the role rule allows (the workflow's
   * validator has the last word on a person-assigned level).
   */
  async function stepActing(
    c: Context<AuthzEnv>,
    row: { id: string; person_id: string; unit_id: string },
    kind: string,
    action: Action,
    onBehalfOf: string | undefined,
  ): Promise<Acting> {
    const me = actorId(c);
    const r: Resource = {
      path: (await loadPath(db, row.unit_id)).map((n) => n.id),
      tier: 'internal',
      subjectPersonId: row.person_id,
    };
    if (me === row.person_id || onBehalfOf === row.person_id) throw forbidden('SELF');
    const task = await openTaskOf(row.id, kind);
    const byRule = authorize(await subjectOfPerson(db, me), action, r).allowed;
    if (!task) {
      if (onBehalfOf !== undefined && onBehalfOf !== me) throw forbidden('NOT_DELEGATE');
      await check(c, db, r, action);
      return { by: me };
    }
    const assignees = await assigneesOf(task);
    if (onBehalfOf === undefined || onBehalfOf === me) {
      if (assignees.includes(me)) {
        markChecked(c);
        return { by: me };
      }
      // Not an assignee: the delegate of an assignee acts for them.
      for (const principalId of assignees) {
        if (principalId === row.person_id) continue;
        if (await activeDelegation(db, { delegateId: me, principalId, at: now() })) {
          markChecked(c);
          return { by: me, onBehalfOf: principalId };
        }
      }
      // A person-assigned item: whoever the role rule allows may try (the workflow's validator decides).
      if (task.assignee_person_id && byRule) {
        markChecked(c);
        return { by: me };
      }
      throw forbidden('NO_GRANT');
    }
    if (!assignees.includes(onBehalfOf)) throw forbidden('NO_GRANT');
    await requireDelegation(me, onBehalfOf);
    markChecked(c);
    return { by: me, onBehalfOf };
  }

  /** Sends an Update; a refusal by the workflow (or a finished run) answers the state's problem when the row
   *  moved on (`refusal`), else the validator's reason (422 UPDATE_REJECTED). */
  async function send<R>(
    wid: string,
    fn: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<R>,
    refusal: () => Promise<ApiProblem | undefined>,
  ): Promise<R> {
    try {
      return await withTemporal(deps.temporal, (client) => fn(client.workflow.getHandle(wid)), deadline);
    } catch (e) {
      if (e instanceof ApiProblem && (e.code === 'UPDATE_REJECTED' || e.code === 'WORKFLOW_NOT_FOUND')) {
        const p = await refusal();
        if (p) throw p;
      }
      throw e;
    }
  }
  const acting = (a: Acting) => (a.onBehalfOf ? { by: a.by, onBehalfOf: a.onBehalfOf } : { by: a.by });

  const routed = app
    .openapi(
      createRoute({
        method: 'post',
        path: '/check-ins/mine/{period}/submit',
        tags,
        summary:
          'Submit my check-in of a month (or, as their delegate, the check-in of `onBehalfOf`): freezes the current draft and sends it to the supervisor. 422 CHECK_IN_INCOMPLETE with the list of what is missing (nothing changed); 409 PERIOD_LOCKED when the period is locked; a repeated Idempotency-Key (or the same unchanged draft) is applied once',
        middleware: [requires('check-in.submit')],
        request: {
          params: PeriodParam,
          headers: idempotencyHeader,
          body: { required: false, content: { 'application/json': { schema: Submit } } },
        },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const body = (c.req.header('content-type')?.includes('json') ? c.req.valid('json') : undefined) ?? {};
        const a = await ownActing(c, body.onBehalfOf);
        const who = a.onBehalfOf ?? a.by;
        const { period } = c.req.valid('param');
        const header = c.req.header('idempotency-key');
        if (!isPeriodOpen(period, now().getTime())) throw periodNotOpen(period, periodOpensAt(period));
        const current = await checkInOf(db, who, period);
        const wid = checkInWorkflowId(period, who);
        const stateProblem = async () => {
          const row = await checkInOf(db, who, period);
          if (!row) return undefined;
          if (row.status === 'LOCKED') return periodLocked(period);
          return EDITABLE_CHECK_IN_STATUSES.has(row.status) ? undefined : notSubmitted(row.status);
        };
        if (current?.status === 'LOCKED') throw periodLocked(period);
        if (current && !EDITABLE_CHECK_IN_STATUSES.has(current.status)) {
          // Already submitted: a repeated click (same Idempotency-Key) gets the first answer; else the validator refuses.
          const v = current.submitted_version_id
            ? await db
                .selectFrom('check_in_version')
                .selectAll()
                .where('id', '=', current.submitted_version_id)
                .executeTakeFirst()
            : undefined;
          if (!v) throw notSubmitted(current.status);
          const updateId = `submit:${updateIdOf(header, `${wid}:${v.id}`)}`;
          const r = await send(
            wid,
            (h) =>
              h.executeUpdate(submitCheckIn, {
                args: [{ ...acting(a), versionId: v.id, hash: v.hash }],
                updateId,
              }),
            stateProblem,
          );
          return c.json({ checkInId: current.id, ...r, versionId: v.id }, 200);
        }
        const unitId = await employmentUnitOf(db, who, todayVn(now()));
        if (!unitId) throw notEmployed();
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        const plans = await plansInForceFor(db, who, parseMonthPeriod(period).year, path);
        const due = dueKeyResults(who, plans, period);
        if (!due.length) throw nothingDue(period);
        const saved = current ? await valuesOfCheckIn(db, current.id) : [];
        const blockers = submitBlockers(
          due,
          saved.map((v) => ({
            planId: v.plan_id,
            keyResultId: v.key_result_id,
            value: v.value,
            done: v.done,
            status: v.kr_status,
            evidenceIds: v.evidence_ids,
          })),
        );
        if (blockers.length) throw checkInIncomplete(blockers);
        // Freeze: the snapshot of the locked draft; an unchanged draft reuses its last version (a retry).
        const version = await inTransaction(db, async (trx) => {
          const row = await lockOrCreateCheckIn(trx, { personId: who, unitId, period });
          if (row.status === 'LOCKED') throw periodLocked(period);
          const content = checkInSnapshot(row, await valuesOfCheckIn(trx, row.id));
          const last = await trx
            .selectFrom('check_in_version')
            .selectAll()
            .where('check_in_id', '=', row.id)
            .orderBy('number', 'desc')
            .limit(1)
            .executeTakeFirst();
          if (last && last.hash === checkInContentHash(content)) return last;
          return createCheckInVersion(trx, { checkInId: row.id, content, createdBy: a.by });
        });
        const checkInId = version.check_in_id;
        const input = await checkInWorkflowInput(deps, {
          checkInId,
          personId: who,
          unitId,
          period,
          day: todayVn(now()),
        });
        const updateId = `submit:${updateIdOf(header, `${wid}:${version.id}`)}`;
        const r = await withTemporal(
          deps.temporal,
          async (client) => {
            await ensureCheckInWorkflow(deps, client, input);
            return null;
          },
          deadline,
        ).then(() =>
          send(
            wid,
            (h) =>
              h.executeUpdate(submitCheckIn, {
                args: [{ ...acting(a), versionId: version.id, hash: version.hash }],
                updateId,
              }),
            stateProblem,
          ),
        );
        return c.json({ checkInId, ...r, versionId: version.id }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/check-ins/{checkInId}/verify',
        tags,
        summary:
          "The supervisor's verification of a submitted check-in: a verdict per value (verified, or returned with a comment and whether it is a major error). 409 CHECK_IN_NOT_SUBMITTED when nothing awaits verification (also for a second verification); a repeated Idempotency-Key gets the first answer. A verify item assigned to a role binds it to the role's holders (and their delegates: onBehalfOf)",
        middleware: [requires('check-in.verify')],
        request: { params: CheckInIdParam, headers: idempotencyHeader, body: jsonBody(Verify) },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { checkInId } = c.req.valid('param');
        const row = await rowOf(checkInId);
        if (!row) {
          markChecked(c);
          throw checkInNotFound();
        }
        const { values, onBehalfOf } = c.req.valid('json');
        const a = await stepActing(c, row, 'check-in.verify', 'check-in.verify', onBehalfOf);
        const header = c.req.header('idempotency-key');
        const stateProblem = async () => {
          const now = await rowOf(checkInId);
          return now && now.status !== 'SUBMITTED' ? notSubmitted(now.status) : undefined;
        };
        if (!row.workflow_id || !row.submitted_version_id) throw notSubmitted(row.status);
        // Not awaiting verification: only a repeat of an accepted verification (same key) is answered.
        if (row.status !== 'SUBMITTED' && !header) throw notSubmitted(row.status);
        const wid = row.workflow_id;
        const updateId = `verify:${updateIdOf(header, `${wid}:${row.submitted_version_id}:${a.by}`)}`;
        const res = await send(
          wid,
          (h) => h.executeUpdate(verifyCheckIn, { args: [{ ...acting(a), values }], updateId }),
          stateProblem,
        );
        return c.json({ checkInId, ...res }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/check-ins/mine/{period}/reopen-request',
        tags,
        summary:
          'Ask the unit head to reopen my locked check-in of a month (or, as their delegate, that of `onBehalfOf`), with a reason. 409 CHECK_IN_NOT_LOCKED, 409 CHECK_IN_REOPEN_PENDING, 422 REOPEN_REASON_REQUIRED; a repeated Idempotency-Key is applied once',
        middleware: [requires('check-in.submit')],
        request: {
          params: PeriodParam,
          headers: idempotencyHeader,
          body: jsonBody(ReopenRequest),
        },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { reason: typed, onBehalfOf } = c.req.valid('json');
        const a = await ownActing(c, onBehalfOf);
        const reason = typed?.trim() ?? '';
        if (!reason) throw reasonRequired();
        const who = a.onBehalfOf ?? a.by;
        const { period } = c.req.valid('param');
        const row = await checkInOf(db, who, period);
        if (!row) throw checkInNotFound();
        const stateProblem = async () => {
          const now = await checkInOf(db, who, period);
          if (!now) return undefined;
          if (now.status !== 'LOCKED') return notLocked(now.status);
          return (await pendingRequestOf(now.id)) ? reopenPending() : undefined;
        };
        const header = c.req.header('idempotency-key');
        if (!header) {
          const p = await stateProblem();
          if (p) throw p;
        }
        const wid = row.workflow_id ?? checkInWorkflowId(period, who);
        const requests = await requestsOf(row.id);
        const updateId = `reopen-request:${updateIdOf(header, `${wid}:${requests.length + 1}`)}`;
        const r = await send(
          wid,
          (h) => h.executeUpdate(requestReopen, { args: [{ ...acting(a), reason }], updateId }),
          stateProblem,
        );
        return c.json({ checkInId: row.id, ...r }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/check-ins/{checkInId}/reopen-decision',
        tags,
        summary:
          "The unit head's decision on the pending reopen request of a locked check-in: approve (the person may edit and submit again, with a new due date) or reject (with a comment sent to the person). 403 for anyone but the unit head the request is assigned to (or their delegate), never the person; 409 CHECK_IN_REOPEN_ALREADY_DECIDED / CHECK_IN_REOPEN_NOT_REQUESTED",
        middleware: [requires('check-in.reopen.decide')],
        request: { params: CheckInIdParam, headers: idempotencyHeader, body: jsonBody(ReopenDecision) },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { checkInId } = c.req.valid('param');
        const row = await rowOf(checkInId);
        if (!row) {
          markChecked(c);
          throw checkInNotFound();
        }
        const { decision, comment, onBehalfOf } = c.req.valid('json');
        // Whoever decided the last request may repeat the call (a retry of the same key gets the first answer).
        const latest = (await requestsOf(checkInId)).at(-1);
        const me = actorId(c);
        let a: Acting;
        if (
          latest?.decided_by === me &&
          (onBehalfOf ?? latest.decided_on_behalf_of) === latest.decided_on_behalf_of
        ) {
          markChecked(c);
          a = latest.decided_on_behalf_of ? { by: me, onBehalfOf: latest.decided_on_behalf_of } : { by: me };
        } else a = await stepActing(c, row, 'check-in.reopen', 'check-in.reopen.decide', onBehalfOf);
        const stateProblem = async () => {
          const reqs = await requestsOf(checkInId);
          const last = reqs[reqs.length - 1];
          if (!last) return reopenNotRequested();
          return last.decision ? reopenDecided() : undefined;
        };
        const header = c.req.header('idempotency-key');
        const pending = await pendingRequestOf(checkInId);
        if (!pending && !header) throw (await stateProblem()) ?? reopenNotRequested();
        const last = (await requestsOf(checkInId)).at(-1);
        if (!last) throw reopenNotRequested();
        const wid = row.workflow_id ?? last.workflow_id;
        const updateId = `reopen-decision:${updateIdOf(header, `${wid}:${last.number}:${a.by}`)}`;
        const r = await send(
          wid,
          (h) =>
            h.executeUpdate(decideReopen, {
              args: [{ ...acting(a), decision, ...(comment ? { comment } : {}) }],
              updateId,
            }),
          stateProblem,
        );
        return c.json({ checkInId, ...r }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/check-ins/{checkInId}/verifier',
        tags,
        summary:
          "Move the open verify item of a submitted check-in to another holder of the supervisor or unit-head roles of the person's unit (or take it over: the unit head names themself), with a reason; the old task is cancelled, the new one keeps the due date. By the unit head or the current verifier (or their delegate). 409 CHECK_IN_NOT_SUBMITTED, 422 VERIFIER_NOT_ELIGIBLE",
        middleware: [requires('check-in.verifier.reassign')],
        request: { params: CheckInIdParam, headers: idempotencyHeader, body: jsonBody(Reassign) },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { checkInId } = c.req.valid('param');
        const row = await rowOf(checkInId);
        if (!row) {
          markChecked(c);
          throw checkInNotFound();
        }
        const { toPersonId, reason, onBehalfOf } = c.req.valid('json');
        const me = actorId(c);
        const path = (await loadPath(db, row.unit_id)).map((n) => n.id);
        const day = todayVn(now());
        const inUnit = path.slice(1);
        const heads = (await holdersOfRole(db, 'unit_head', path[1] ?? row.unit_id, day)).map((h) => h.id);
        const task = await openTaskOf(checkInId, 'check-in.verify');
        if (me === row.person_id || onBehalfOf === row.person_id) throw forbidden('SELF');
        const mayAct = [...heads, ...(task ? await assigneesOf(task) : [])].filter(
          (x) => x !== row.person_id,
        );
        let a: Acting;
        if (onBehalfOf !== undefined && onBehalfOf !== me) {
          if (!mayAct.includes(onBehalfOf)) throw forbidden('NO_GRANT');
          await requireDelegation(me, onBehalfOf);
          a = { by: me, onBehalfOf };
        } else if (mayAct.includes(me)) a = { by: me };
        else {
          let found: string | undefined;
          for (const p of mayAct)
            if (await activeDelegation(db, { delegateId: me, principalId: p, at: now() })) {
              found = p;
              break;
            }
          if (!found) throw forbidden('NO_GRANT');
          a = { by: me, onBehalfOf: found };
        }
        markChecked(c);
        const header = c.req.header('idempotency-key');
        const stateProblem = async () => {
          const cur = await rowOf(checkInId);
          return cur && cur.status !== 'SUBMITTED' ? notSubmitted(cur.status) : undefined;
        };
        if (row.status !== 'SUBMITTED' && !header) throw notSubmitted(row.status);
        if (!row.workflow_id || !task) throw notSubmitted(row.status);
        if (toPersonId === row.person_id) throw verifierNotEligible();
        let eligible = false;
        for (const unitId of inUnit) {
          for (const role of ['supervisor', 'unit_head'] as const)
            if ((await holdersOfRole(db, role, unitId, day)).some((h) => h.id === toPersonId))
              eligible = true;
        }
        if (!eligible) throw verifierNotEligible();
        const updateId = `reassign:${updateIdOf(header, `${row.workflow_id}:${task.id}:${toPersonId}`)}`;
        const r = await send(
          row.workflow_id,
          (h) =>
            h.executeUpdate(reassignCheckInVerifier, {
              args: [{ ...acting(a), toPersonId, reason }],
              updateId,
            }),
          stateProblem,
        );
        return c.json({ checkInId, ...r }, 200);
      },
    );
  return routed;

  function requestsOf(checkInId: string) {
    return db
      .selectFrom('check_in_reopen_request')
      .selectAll()
      .where('check_in_id', '=', checkInId)
      .orderBy('number')
      .execute();
  }
  function pendingRequestOf(checkInId: string) {
    return db
      .selectFrom('check_in_reopen_request')
      .select('id')
      .where('check_in_id', '=', checkInId)
      .where('decision', 'is', null)
      .executeTakeFirst();
  }
}
