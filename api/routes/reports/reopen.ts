// The period lock of a unit report and its reopen requests (DESIGN §3: "a reporting period locks when its window
// closes and reopens only by a request with a reason, approved by … the secretariat (unit items)"; issue 6 point
// 3), shared by the monthly and the quarterly report (api/routes/reports/unit-report-routes.ts). The report
// workflow (runUnitReport, patch 'unit-report-period-lock') locks an unsent report when its ladder's window ends;
// the unit head (or their delegate) asks to reopen it with a reason — POST …/reopen, the Update
// `requestReportReopen` — and the province's secretariat (or the standing committee the request climbed to)
// decides — POST …/reopen/decide, the Update `decideReportReopen`: an approval opens a new send task, a refusal
// (with its reason) leaves the period locked. Both are the process path; a repeated Idempotency-Key (or, without
// one, the same request number) is applied once. The status routes show the lock (reportLockOut) with the
// caller's can-request / can-decide flags.
import { createRoute } from '@hono/zod-openapi';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { UNIT_REPORT_KINDS } from '../../../activities/unit-report.ts';
import { reportUnitOf } from '../../../db/queries/monthly-reports.ts';
import { sentUnitReportOf } from '../../../db/queries/sent-unit-reports.ts';
import { type UnitReportLockView, unitReportLockOf } from '../../../db/queries/unit-report-lock.ts';
import type { UnitReportKind } from '../../../db/schema-unit-report-lock.ts';
import {
  decideReportReopen,
  type MonthlyUnitReportInput,
  REPORT_REFUSAL,
  type ReportReopenResult,
  requestReportReopen,
} from '../../../workflows/monthly-unit-report.messages.ts';
import { delegableAction } from '../../authz/acting.ts';
import { allowed, check, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';
import {
  calendarMissing,
  reportAlreadySent,
  reportNotUnitHead,
  reportUnitNotFound,
  WORD,
} from './unit-report-problems.ts';

const tags = ['reports'];
const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

// ---- problems

export const reportLocked = (kind: UnitReportKind, lockedOn: string | null) =>
  new ApiProblem({
    status: 409,
    code: 'REPORT_LOCKED',
    vi: `Kỳ báo cáo ${WORD[kind].vi} đã khóa${lockedOn ? ` (hết ngày ${dmy(lockedOn)})` : ''}; muốn gửi, thủ trưởng đơn vị gửi yêu cầu mở lại kèm lý do để Văn phòng phê duyệt.`,
    en: `The ${WORD[kind].en} report's period is locked${lockedOn ? ` (since the end of ${lockedOn})` : ''}; to send it, the unit head asks for a reopening with a reason, for the secretariat's approval.`,
    details: { lockedOn },
  });
export const reportNotLocked = (kind: UnitReportKind) =>
  rule(
    409,
    'REPORT_NOT_LOCKED',
    `Kỳ báo cáo ${WORD[kind].vi} không bị khóa; không cần yêu cầu mở lại.`,
    `The ${WORD[kind].en} report's period is not locked; there is nothing to reopen.`,
  );
export const reportReopenPending = () =>
  rule(
    409,
    'REPORT_REOPEN_PENDING',
    'Đã có yêu cầu mở lại đang chờ Văn phòng quyết định.',
    'A reopen request is already waiting for the secretariat’s decision.',
  );
export const reportNoReopenPending = () =>
  rule(
    409,
    'REPORT_NO_REOPEN_PENDING',
    'Không có yêu cầu mở lại nào đang chờ quyết định.',
    'There is no reopen request waiting for a decision.',
  );
export const reportReopenCommentRequired = () =>
  rule(
    422,
    'REPORT_REOPEN_COMMENT_REQUIRED',
    'Từ chối yêu cầu mở lại cần nêu lý do.',
    'Refusing a reopen request needs a reason.',
  );
export const reportReopenSelf = () =>
  new ApiProblem({
    status: 403,
    code: 'REPORT_REOPEN_SELF',
    vi: 'Không được tự quyết định yêu cầu mở lại của chính mình.',
    en: 'Nobody decides their own reopen request.',
  });

// ---- schemas

const Person = z.object({ id: z.string(), name: z.string() });
export const ReportLockOut = z
  .object({
    state: z.enum(['open', 'locked', 'reopen-requested', 'reopened']).openapi({
      description:
        'open: never locked; locked: the window closed with the report unsent; reopen-requested: a request waits for the secretariat; reopened: an approved request opened a new send task (reopenDueDate)',
    }),
    lockedOn: z.string().nullable().openapi({ description: "The last lock's closed window (its last day)" }),
    reopenDueDate: z.string().nullable(),
    canRequestReopen: z.boolean().openapi({ description: 'The caller may ask to reopen the period now' }),
    canDecideReopen: z.boolean().openapi({ description: 'The caller may decide the pending request now' }),
    requests: z.array(
      z.object({
        number: z.number().int(),
        requestedBy: Person,
        onBehalfOf: z.string().nullable(),
        requestedAt: z.string(),
        reason: z.string(),
        decision: z.enum(['approve', 'reject']).nullable(),
        decidedBy: Person.nullable(),
        decidedAt: z.string().nullable(),
        comment: z.string().nullable(),
        newDueDate: z.string().nullable(),
      }),
    ),
  })
  .openapi('UnitReportLock');
const RequestIn = z
  .object({
    reason: z.string().trim().min(1, { message: 'REASON_REQUIRED' }).max(2000),
    onBehalfOf: uuid.optional().openapi({
      description:
        "The unit head the caller acts for as their delegate (an approved delegation in force today); absent: the caller's own request, or — for a delegate of the unit's head — on their behalf",
    }),
  })
  .strict()
  .openapi('UnitReportReopenRequest');
const DecideIn = z
  .object({
    approve: z.boolean(),
    comment: z.string().trim().max(2000).optional().openapi({ description: 'Required when refusing' }),
  })
  .strict()
  .openapi('UnitReportReopenDecision');
const ReopenOut = z
  .object({
    unitId: z.string(),
    period: z.string(),
    state: z.enum(['locked', 'reopen-requested', 'reopened']),
    number: z.number().int(),
    taskId: z
      .string()
      .nullable()
      .openapi({ description: 'The decision task (a request) or the new send task' }),
    dueDate: z.string().nullable(),
  })
  .openapi('UnitReportReopenResult');

// ---- shared helpers

export async function reportResourceOf(db: ApiDeps['db'], unitId: string): Promise<Resource> {
  const path = (await loadPath(db, unitId)).map((n) => n.id);
  return { path, tier: path.length === 2 ? 'unit' : path.length === 1 ? 'province' : 'internal' };
}

export interface ReopenSpec {
  kind: UnitReportKind;
  /** The period in paths ('YYYY-MM' or 'YYYY-Qn'). */
  period: z.ZodString;
  inputFor: (unitId: string, period: string) => Promise<MonthlyUnitReportInput | undefined>;
}

/**
 * The lock of a report for its status route, with the caller's flags: may ask to reopen (the unit head or their
 * delegate — `mayActAsHead` — while locked with nothing pending) and may decide (the secretariat or the standing
 * committee of the province, while a request is pending and not their own).
 */
export async function reportLockOut(
  c: Parameters<typeof check>[0],
  db: ApiDeps['db'],
  kind: UnitReportKind,
  q: { unitId: string; period: string; resource: Resource; sent: boolean },
  mayActAsHead: () => Promise<boolean>,
): Promise<z.infer<typeof ReportLockOut>> {
  const lock = await unitReportLockOf(db, kind, q.unitId, q.period);
  const last = lock.requests.at(-1);
  const me = actorId(c);
  const canRequestReopen = !q.sent && lock.state === 'locked' && (await mayActAsHead());
  const canDecideReopen =
    !q.sent &&
    lock.state === 'reopen-requested' &&
    last !== undefined &&
    last.requestedBy.id !== me &&
    last.onBehalfOf !== me &&
    (await allowed(c, db, 'report.reopen.decide', q.resource));
  return {
    state: lock.state,
    lockedOn: lock.lockedOn,
    reopenDueDate: lock.reopenDueDate,
    canRequestReopen,
    canDecideReopen,
    requests: lock.requests,
  };
}

/** 409 REPORT_LOCKED for a send while the period is locked (or its reopen request is pending). */
export async function refuseSendIfLocked(
  db: ApiDeps['db'],
  kind: UnitReportKind,
  unitId: string,
  period: string,
): Promise<void> {
  const lock = await unitReportLockOf(db, kind, unitId, period);
  if (lock.state === 'locked' || lock.state === 'reopen-requested') throw reportLocked(kind, lock.lockedOn);
}

function refusalProblem(kind: UnitReportKind, m: string, lock: UnitReportLockView): ApiProblem {
  if (m.startsWith(REPORT_REFUSAL.notLocked)) return reportNotLocked(kind);
  if (m.startsWith(REPORT_REFUSAL.reopenPending)) return reportReopenPending();
  if (m.startsWith(REPORT_REFUSAL.noReopenPending)) return reportNoReopenPending();
  if (m.startsWith(REPORT_REFUSAL.selfDecide)) return reportReopenSelf();
  if (m.startsWith(REPORT_REFUSAL.reasonRequired)) return reportReopenCommentRequired();
  if (m.startsWith(REPORT_REFUSAL.notUnitHead)) return reportNotUnitHead(kind);
  if (m.startsWith(REPORT_REFUSAL.locked)) return reportLocked(kind, lock.lockedOn);
  return rule(422, 'UPDATE_REJECTED', m, m);
}

/** POST …/{unitId}/{period}/reopen and …/reopen/decide of one report kind. */
export function reportReopenRoutes(deps: ApiDeps, spec: ReopenSpec) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const { acting: sendActing } = delegableAction(db, now, 'report.reopen.request');
  const { kind } = spec;
  const workflowId = UNIT_REPORT_KINDS[kind].workflowId;
  /** 404 for a unit not directly under its province; 409 once the report is sent. */
  async function refuseUnsendable(unitId: string, period: string) {
    if (!(await reportUnitOf(db, unitId))) throw reportUnitNotFound(kind);
    const sent = await sentUnitReportOf(db, kind, unitId, period);
    if (sent) throw reportAlreadySent(kind, new Date(sent.sent_at).toISOString());
  }
  const app = contentApp();
  const params = z.object({
    unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
    period: spec.period.openapi({ param: { name: 'period', in: 'path' } }),
  });

  /** Sends a reopen Update to the report's workflow; a refusal is answered as its problem. */
  async function update(
    unitId: string,
    period: string,
    lock: UnitReportLockView,
    send: (
      h: ReturnType<import('@temporalio/client').Client['workflow']['getHandle']>,
    ) => Promise<ReportReopenResult>,
  ): Promise<ReportReopenResult> {
    const outcome: { ok: ReportReopenResult } | { refused: string } | { missing: true } = await withTemporal(
      deps.temporal,
      async (client) => {
        try {
          return { ok: await send(client.workflow.getHandle(workflowId(period, unitId))) };
        } catch (e) {
          if (e instanceof WorkflowUpdateFailedError)
            return { refused: String((e.cause as Error | undefined)?.message ?? e.message) };
          if (e instanceof WorkflowNotFoundError) return { missing: true as const };
          throw e;
        }
      },
      deps.plans?.updateDeadlineMs,
    );
    if ('missing' in outcome) throw reportNotLocked(kind);
    if ('refused' in outcome) throw refusalProblem(kind, outcome.refused, lock);
    return outcome.ok;
  }

  const out = (
    unitId: string,
    period: string,
    r: ReportReopenResult,
    state: z.infer<typeof ReopenOut>['state'],
  ) => ({
    unitId,
    period,
    state,
    number: r.number,
    taskId: r.taskId ?? null,
    dueDate: r.dueDate ?? null,
  });

  return app
    .openapi(
      createRoute({
        method: 'post',
        path: `/reports/${kind}/{unitId}/{period}/reopen`,
        tags,
        summary: `The unit head (or their active delegate) asks to reopen the locked period of the unit's ${kind} report, with a reason: a decision task for the province's secretariat (its ladder climbs to the standing committee). 409 REPORT_NOT_LOCKED, 409 REPORT_REOPEN_PENDING, 409 REPORT_ALREADY_SENT, 403 for anyone but the unit head or their delegate; a repeated Idempotency-Key is applied once`,
        middleware: [requires('report.reopen.request')],
        request: { params, headers: idempotencyHeader, body: jsonBody(RequestIn) },
        responses: { 200: jsonOk(ReopenOut), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { unitId, period } = c.req.valid('param');
        const body = c.req.valid('json');
        const acting = await sendActing(c, me, await reportResourceOf(db, unitId), body.onBehalfOf);
        await refuseUnsendable(unitId, period);
        const input = await spec.inputFor(unitId, period);
        if (!input) throw calendarMissing();
        const head = input.parties.unitHead.personId;
        if (head !== undefined && head !== (acting.onBehalfOf ?? me)) throw reportNotUnitHead(kind);
        const lock = await unitReportLockOf(db, kind, unitId, period);
        if (lock.state === 'reopen-requested') throw reportReopenPending();
        if (lock.state !== 'locked') throw reportNotLocked(kind);
        const wid = workflowId(period, unitId);
        const updateId = `reopen:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${lock.requests.length + 1}`)}`;
        const r = await update(unitId, period, lock, (h) =>
          h.executeUpdate(requestReportReopen, { args: [{ ...acting, reason: body.reason }], updateId }),
        );
        return c.json(out(unitId, period, r, 'reopen-requested'), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: `/reports/${kind}/{unitId}/{period}/reopen/decide`,
        tags,
        summary: `The province's secretariat (or the standing committee) decides the pending reopen request of the unit's ${kind} report: approve — a new send task for the unit head, due 2 working days later, with its ladder — or refuse with a reason (comment; 422 REPORT_REOPEN_COMMENT_REQUIRED without one): the period stays locked and the head is told why. 409 REPORT_NO_REOPEN_PENDING; 403 for anyone else; a repeated Idempotency-Key is applied once`,
        middleware: [requires('report.reopen.decide')],
        request: { params, headers: idempotencyHeader, body: jsonBody(DecideIn) },
        responses: { 200: jsonOk(ReopenOut), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { unitId, period } = c.req.valid('param');
        const body = c.req.valid('json');
        const resource = await reportResourceOf(db, unitId);
        const lock = await unitReportLockOf(db, kind, unitId, period);
        const last = lock.requests.at(-1);
        const pending = lock.state === 'reopen-requested' ? last : undefined;
        await check(c, db, { ...resource, ...(pending ? { subjectPersonId: pending.requestedBy.id } : {}) });
        await refuseUnsendable(unitId, period);
        if (!pending) throw reportNoReopenPending();
        if (pending.onBehalfOf === me) throw reportReopenSelf();
        const comment = body.comment?.trim() ? body.comment.trim() : undefined;
        if (!body.approve && !comment) throw reportReopenCommentRequired();
        const wid = workflowId(period, unitId);
        const updateId = `reopen-decide:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${pending.number}`)}`;
        const r = await update(unitId, period, lock, (h) =>
          h.executeUpdate(decideReportReopen, {
            args: [{ by: me, approve: body.approve, ...(comment ? { comment } : {}) }],
            updateId,
          }),
        );
        return c.json(out(unitId, period, r, body.approve ? 'reopened' : 'locked'), 200);
      },
    );
}
