// One check-in as submitted (issue 6, the verify/return queue): the person, the period, its deadline and each
// value with its key result (title, unit, target of the period), status, confidence, explanation, evidence and
// its verification. Readable by the person, by whoever may verify it (policy check-in.verify: the supervisor or
// unit head over the person's unit), by the person assigned its open verify task (a forwarded verification) and
// by the active delegate of any of those (an approved delegation in force today, db/queries/delegations.ts), who
// may decide it through the API too (onBehalfOf).
import { createRoute } from '@hono/zod-openapi';
import { provinceCalendarOfYear } from '../../../db/queries/calendar.ts';
import { reopenRequestsOf } from '../../../db/queries/check-in-reopen.ts';
import { valuesOfCheckIn } from '../../../db/queries/check-ins.ts';
import { principalsOf } from '../../../db/queries/delegations.ts';
import { readEvidenceMetas } from '../../../db/queries/evidence.ts';
import '../../../db/schema-check-ins.ts';
import { CHECK_IN_STATUSES, KR_STATUSES } from '../../../domain/check-in/model.ts';
import { parseMonthPeriod, periodTargetOf } from '../../../domain/check-in/period.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import { authorize, type Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { actorId, rule } from '../admin/common.ts';
import { subjectOfPerson } from '../plans/subjects.ts';
import { EvidenceFile, evidenceView } from './evidence-view.ts';

const CheckInIdParam = z.object({ checkInId: uuid.openapi({ param: { name: 'checkInId', in: 'path' } }) });

const SubmittedValue = z.object({
  planId: z.string(),
  keyResultId: z.string(),
  keyResult: z
    .object({ title: z.string(), unit: z.string(), target: z.string(), taskTitle: z.string() })
    .nullable()
    .openapi({ description: 'From the plan version the value was read from (null if it is gone)' }),
  periodTarget: z.string().nullable(),
  value: z.string().nullable(),
  done: z.boolean().nullable(),
  status: z.enum(KR_STATUSES).nullable(),
  confidence: z.number().int().nullable(),
  explanation: z.string().nullable(),
  evidenceIds: z.array(z.string()),
  evidence: z
    .array(EvidenceFile)
    .openapi({ description: "The files of the value's evidenceIds (name, type, size)" }),
  verification: z.enum(['verified', 'returned']).nullable(),
  majorError: z.boolean().nullable(),
  verifierComment: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
});
const SubmittedCheckIn = z
  .object({
    id: z.string(),
    period: z.string(),
    status: z.enum(CHECK_IN_STATUSES),
    person: z.object({ id: z.string(), name: z.string() }),
    unit: z.object({ id: z.string(), name: z.string() }),
    deadline: z.object({ date: z.string(), dueAt: z.string() }).nullable(),
    verifyTask: z
      .object({ id: z.string(), dueDate: z.string(), assigneePersonId: z.string().nullable() })
      .nullable(),
    /** True when the caller may verify it now (it is SUBMITTED and they are not its person). */
    canVerify: z.boolean(),
    delegateFor: z.string().nullable().openapi({
      description:
        'When the caller reads it as the active delegate of its verifier (or of the assignee of its verify task): that person',
    }),
    values: z.array(SubmittedValue),
    /** The reopen requests of a locked period (oldest first) and the open decision task (helper A, period lock). */
    reopenRequests: z.array(
      z.object({
        id: z.string(),
        number: z.number().int(),
        requestedBy: z.object({ id: z.string(), name: z.string() }),
        onBehalfOf: z.string().nullable(),
        requestedAt: z.string(),
        reason: z.string(),
        decision: z.enum(['approve', 'reject']).nullable(),
        decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
        decidedAt: z.string().nullable(),
        comment: z.string().nullable(),
      }),
    ),
    reopenTask: z
      .object({ id: z.string(), dueDate: z.string(), assigneePersonId: z.string().nullable() })
      .nullable(),
  })
  .openapi('SubmittedCheckIn');

const checkInNotFound = () =>
  rule(404, 'CHECK_IN_NOT_FOUND', 'Không tìm thấy báo cáo kết quả.', 'Check-in not found.');

function keyResultIn(plan: Plan | undefined, krId: string): { kr: KeyResult; taskTitle: string } | undefined {
  for (const t of plan?.tasks ?? []) {
    const kr = t.keyResults.find((k) => k.id === krId);
    if (kr) return { kr, taskTitle: t.title };
  }
  return undefined;
}

export function checkInReadRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();

  /** The person among those `me` acts for today who may verify the check-in (by rule or as the assignee). */
  async function verifierPrincipal(
    me: string,
    r: Resource,
    personId: string,
    assigneeId: string | null | undefined,
  ): Promise<string | undefined> {
    for (const { principalId } of await principalsOf(db, me, now())) {
      if (principalId === personId) continue;
      if (principalId === assigneeId) return principalId;
      if (authorize(await subjectOfPerson(db, principalId), 'check-in.verify', r).allowed) return principalId;
    }
    return undefined;
  }

  return contentApp().openapi(
    createRoute({
      method: 'get',
      path: '/check-ins/{checkInId}',
      tags: ['check-ins'],
      summary:
        'One check-in with its values, key results, targets of the period and verification: for its person, its verifiers, the assignee of its open verify task and the active delegates of those verifiers (delegateFor)',
      middleware: [requires('check-in.verify')],
      request: { params: CheckInIdParam },
      responses: { 200: jsonOk(SubmittedCheckIn), ...errorResponses },
    }),
    async (c) => {
      const me = actorId(c);
      const { checkInId } = c.req.valid('param');
      const row = await db.selectFrom('check_in').selectAll().where('id', '=', checkInId).executeTakeFirst();
      if (!row) {
        markChecked(c);
        throw checkInNotFound();
      }
      const path = (await loadPath(db, row.unit_id)).map((n) => n.id);
      const r: Resource = { path, tier: 'internal', subjectPersonId: row.person_id };
      const task = await db
        .selectFrom('task')
        .select(['id', 'logical_due_date', 'assignee_person_id'])
        .where('subject_type', '=', 'check_in')
        .where('subject_id', '=', checkInId)
        .where('kind', '=', 'check-in.verify')
        .where('status', '=', 'open')
        .orderBy('due_at', 'desc')
        .executeTakeFirst();
      const mine = row.person_id === me;
      const verifier = !mine && (await allowed(c, db, 'check-in.verify', r));
      const assignee = !mine && task?.assignee_person_id === me;
      const delegateFor =
        !mine && !verifier && !assignee
          ? await verifierPrincipal(me, r, row.person_id, task?.assignee_person_id)
          : undefined;
      if (!mine && !verifier && !assignee && !delegateFor) await check(c, db, r); // throws the 403 with its reason
      markChecked(c);

      const values = await valuesOfCheckIn(db, row.id);
      const versionIds = [...new Set(values.map((v) => v.plan_version_id))];
      const versions = versionIds.length
        ? await db
            .selectFrom('plan_version')
            .select(['id', 'content'])
            .where('id', 'in', versionIds)
            .execute()
        : [];
      const contentOf = new Map(versions.map((v) => [v.id, v.content as unknown as Plan]));
      const files = new Map(
        (
          await readEvidenceMetas(
            db,
            values.flatMap((v) => v.evidence_ids),
          )
        ).map((f) => [f.id, f]),
      );
      const [person, unit] = await Promise.all([
        db.selectFrom('person').select('full_name').where('id', '=', row.person_id).executeTakeFirst(),
        db.selectFrom('org_unit').select('name_vi').where('id', '=', row.unit_id).executeTakeFirst(),
      ]);
      const year = path[0]
        ? await provinceCalendarOfYear(db, path[0], parseMonthPeriod(row.period).year)
        : undefined;
      const due = year?.calendar.deadlines.find((x) => x.id === `check-in.${row.period}`);
      const deadline = due ? { date: due.date, dueAt: new Date(due.dueAt).toISOString() } : null;
      const reopenRequests = await reopenRequestsOf(db, row.id);
      const reopenTask = await db
        .selectFrom('task')
        .select(['id', 'logical_due_date', 'assignee_person_id'])
        .where('subject_type', '=', 'check_in')
        .where('subject_id', '=', checkInId)
        .where('kind', '=', 'check-in.reopen')
        .where('status', '=', 'open')
        .executeTakeFirst();
      return c.json(
        {
          reopenRequests,
          reopenTask: reopenTask
            ? {
                id: reopenTask.id,
                dueDate: reopenTask.logical_due_date,
                assigneePersonId: reopenTask.assignee_person_id,
              }
            : null,
          id: row.id,
          period: row.period,
          status: row.status,
          person: { id: row.person_id, name: person?.full_name ?? '' },
          unit: { id: row.unit_id, name: unit?.name_vi ?? '' },
          deadline,
          verifyTask: task
            ? { id: task.id, dueDate: task.logical_due_date, assigneePersonId: task.assignee_person_id }
            : null,
          // a delegate of the verify task's assignee verifies for them (process.ts); a delegate of another verifier
          // reads only (the open item is the assignee's)
          canVerify:
            row.status === 'SUBMITTED' &&
            !mine &&
            (verifier || assignee || (!!delegateFor && delegateFor === task?.assignee_person_id)),
          delegateFor: delegateFor ?? null,
          values: values.map((v) => {
            const found = keyResultIn(contentOf.get(v.plan_version_id), v.key_result_id);
            return {
              planId: v.plan_id,
              keyResultId: v.key_result_id,
              keyResult: found
                ? {
                    title: found.kr.title,
                    unit: found.kr.unit,
                    target: found.kr.target,
                    taskTitle: found.taskTitle,
                  }
                : null,
              periodTarget: found ? (periodTargetOf(found.kr, row.period) ?? null) : null,
              value: v.value,
              done: v.done,
              status: v.kr_status,
              confidence: v.confidence,
              explanation: v.explanation,
              evidenceIds: v.evidence_ids,
              evidence: v.evidence_ids.flatMap((id) => {
                const f = files.get(id);
                return f ? [evidenceView(f)] : [];
              }),
              verification: v.verification,
              majorError: v.major_error,
              verifierComment: v.verifier_comment,
              verifiedBy: v.verified_by,
              verifiedAt: v.verified_at ? new Date(v.verified_at).toISOString() : null,
            };
          }),
        },
        200,
      );
    },
  );
}
