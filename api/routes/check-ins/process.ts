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
import { createRoute } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
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
import { employmentUnitOf, todayVn } from '../../../db/queries/org-tree.ts';
import '../../../db/schema-check-ins.ts';
import { dueKeyResults } from '../../../domain/check-in/due.ts';
import { EDITABLE_CHECK_IN_STATUSES } from '../../../domain/check-in/model.ts';
import { isPeriodOpen, parseMonthPeriod, periodOpensAt } from '../../../domain/check-in/period.ts';
import { submitBlockers } from '../../../domain/check-in/validate.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import {
  type CheckInInput,
  checkInWorkflowId,
  submitCheckIn,
  verifyCheckIn,
} from '../../../workflows/check-in.messages.ts';
import { check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
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
const Verify = z.object({ values: z.array(Verdict).min(1).max(500) }).openapi('CheckInVerify');
const Transition = z
  .object({
    checkInId: z.string(),
    phase: z.enum(['OPEN', 'SUBMITTED', 'RETURNED', 'VERIFIED']),
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
  });
  return client.workflow.getHandle(checkInWorkflowId(input.period, input.personId));
}

export function checkInProcessRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const app = contentApp();
  const own = (personId: string): Resource => ({ path: [], tier: 'internal', subjectPersonId: personId });

  const routed = app
    .openapi(
      createRoute({
        method: 'post',
        path: '/check-ins/mine/{period}/submit',
        tags,
        summary:
          'Submit my check-in of a month: freezes the current draft and sends it to my supervisor. 422 CHECK_IN_INCOMPLETE with the list of what is missing (nothing changed); a repeated Idempotency-Key is applied once',
        middleware: [requires('check-in.submit')],
        request: { params: PeriodParam, headers: idempotencyHeader },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const { period } = c.req.valid('param');
        const header = c.req.header('idempotency-key');
        if (!isPeriodOpen(period, now().getTime())) throw periodNotOpen(period, periodOpensAt(period));
        const current = await checkInOf(db, me, period);
        const wid = checkInWorkflowId(period, me);
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
          const r = await withTemporal(
            deps.temporal,
            (client) =>
              client.workflow.getHandle(wid).executeUpdate(submitCheckIn, {
                args: [{ by: me, versionId: v.id, hash: v.hash }],
                updateId,
              }),
            deps.plans?.updateDeadlineMs,
          );
          return c.json({ checkInId: current.id, ...r, versionId: v.id }, 200);
        }
        const unitId = await employmentUnitOf(db, me, todayVn(now()));
        if (!unitId) throw notEmployed();
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        const plans = await plansInForceFor(db, me, parseMonthPeriod(period).year, path);
        const due = dueKeyResults(me, plans, period);
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
          const row = await lockOrCreateCheckIn(trx, { personId: me, unitId, period });
          const content = checkInSnapshot(row, await valuesOfCheckIn(trx, row.id));
          const last = await trx
            .selectFrom('check_in_version')
            .selectAll()
            .where('check_in_id', '=', row.id)
            .orderBy('number', 'desc')
            .limit(1)
            .executeTakeFirst();
          if (last && last.hash === checkInContentHash(content)) return last;
          return createCheckInVersion(trx, { checkInId: row.id, content, createdBy: me });
        });
        const checkInId = version.check_in_id;
        const input = await checkInWorkflowInput(deps, {
          checkInId,
          personId: me,
          unitId,
          period,
          day: todayVn(now()),
        });
        const updateId = `submit:${updateIdOf(header, `${wid}:${version.id}`)}`;
        const r = await withTemporal(
          deps.temporal,
          async (client) => {
            const h = await ensureCheckInWorkflow(deps, client, input);
            return h.executeUpdate(submitCheckIn, {
              args: [{ by: me, versionId: version.id, hash: version.hash }],
              updateId,
            });
          },
          deps.plans?.updateDeadlineMs,
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
          "The supervisor's verification of a submitted check-in: a verdict per value (verified, or returned with a comment and whether it is a major error). 409 CHECK_IN_NOT_SUBMITTED when nothing awaits verification",
        middleware: [requires('check-in.verify')],
        request: { params: CheckInIdParam, headers: idempotencyHeader, body: jsonBody(Verify) },
        responses: { 200: jsonOk(Transition), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { checkInId } = c.req.valid('param');
        const row = await db
          .selectFrom('check_in')
          .selectAll()
          .where('id', '=', checkInId)
          .executeTakeFirst();
        if (!row) {
          markChecked(c);
          throw checkInNotFound();
        }
        const r: Resource = {
          path: (await loadPath(db, row.unit_id)).map((n) => n.id),
          tier: 'internal',
          subjectPersonId: row.person_id,
        };
        try {
          await check(c, db, r);
        } catch (e) {
          // The person assigned the open verify task (a forwarded verification) may act too — never on their own.
          if (!(e instanceof ApiProblem) || e.status !== 403 || row.person_id === me) throw e;
          const task = await db
            .selectFrom('task')
            .select('id')
            .where('subject_type', '=', 'check_in')
            .where('subject_id', '=', checkInId)
            .where('kind', '=', 'check-in.verify')
            .where('status', '=', 'open')
            .where('assignee_person_id', '=', me)
            .executeTakeFirst();
          if (!task) throw e;
          markChecked(c);
        }
        if (row.status !== 'SUBMITTED' || !row.workflow_id || !row.submitted_version_id)
          throw notSubmitted(row.status);
        const wid = row.workflow_id;
        const { values } = c.req.valid('json');
        const updateId = `verify:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${row.submitted_version_id}:${me}`)}`;
        const res = await withTemporal(
          deps.temporal,
          (client) =>
            client.workflow
              .getHandle(wid)
              .executeUpdate(verifyCheckIn, { args: [{ by: me, values }], updateId }),
          deps.plans?.updateDeadlineMs,
        );
        return c.json({ checkInId, ...res }, 200);
      },
    );
  return routed;
}
