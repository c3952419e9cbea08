// Handing a person's key results over (DESIGN §1: transfers and leavers; issue 6 point 2). A person moves to
// another unit or leaves: the manager of each plan that holds their key results hands each one to a person of
// that plan's unit from a month on, with a reason. The record is append-only (migration 0460): the key
// result's history shows who reported it when, the leaver keeps reporting the months before the handover
// (their check-ins and period scores stay theirs and follow them), the successor reports from its month.
// Content path: screen → API → PostgreSQL; audited.
import { createRoute } from '@hono/zod-openapi';
import {
  openTasksOf,
  peopleEmployedUnder,
  plansHoldingKeyResultsOf,
  recordReassignment,
  reportedFrom,
  verifiersFor,
} from '../../db/queries/handover.ts';
import { getPlan } from '../../db/queries/plans.ts';
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { ownerInPeriod } from '../../domain/handover/owner.ts';
import { allowed, check, markChecked, requires } from '../authz/middleware.ts';
import { personResource } from '../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { actorId, audit, rule } from './admin/common.ts';
import { taskLink } from './inbox.ts';
import { planResource } from './plans/index.ts';

const tags = ['handover'];

const Period = z
  .string()
  .regex(/^(20\d{2}|21\d{2}|2200)-(0[1-9]|1[0-2])$/, { message: 'PERIOD_INVALID' })
  .openapi({ example: '2026-04' });

const err = {
  personNotFound: () =>
    rule(404, 'PERSON_NOT_FOUND', 'Không tìm thấy người này.', 'There is no such person.'),
  planNotFound: (planId: string) =>
    rule(404, 'PLAN_NOT_FOUND', `Không tìm thấy kế hoạch ${planId}.`, `There is no plan ${planId}.`),
  notInForce: (planId: string) =>
    rule(
      409,
      'PLAN_NOT_IN_FORCE',
      `Kế hoạch ${planId} chưa có phiên bản có hiệu lực.`,
      `The plan ${planId} has no version in force.`,
    ),
  keyResultNotFound: (krId: string) =>
    rule(
      404,
      'KEY_RESULT_NOT_FOUND',
      `Kế hoạch không có mục tiêu then chốt ${krId}.`,
      `The plan has no key result ${krId}.`,
    ),
  notOwned: (krId: string, period: string) =>
    rule(
      409,
      'KEY_RESULT_NOT_OWNED',
      `Người này không phụ trách mục tiêu then chốt ${krId} trong kỳ ${period}.`,
      `This person does not report the key result ${krId} in ${period}.`,
    ),
  samePerson: () =>
    rule(
      422,
      'HANDOVER_SAME_PERSON',
      'Người nhận bàn giao phải là người khác.',
      'The key result must go to somebody else.',
    ),
  otherUnit: (krId: string) =>
    rule(
      422,
      'HANDOVER_SUCCESSOR_OTHER_UNIT',
      `Người nhận mục tiêu then chốt ${krId} phải đang công tác tại đơn vị của kế hoạch hoặc đơn vị trực thuộc.`,
      `Whoever takes over the key result ${krId} must work in the plan's unit or a unit below it.`,
    ),
  pastPeriod: (current: string) =>
    rule(
      422,
      'HANDOVER_PERIOD_PAST',
      `Không bàn giao từ một kỳ đã qua; kỳ sớm nhất là ${current}.`,
      `A handover cannot start in a past period; the earliest is ${current}.`,
    ),
  otherYear: (year: number) =>
    rule(
      422,
      'HANDOVER_PERIOD_OTHER_YEAR',
      `Kỳ bàn giao phải thuộc năm kế hoạch ${year}.`,
      `The period must be in the plan year ${year}.`,
    ),
  alreadyReported: (krId: string, period: string) =>
    rule(
      409,
      'HANDOVER_ALREADY_REPORTED',
      `Mục tiêu then chốt ${krId} đã được báo cáo cho kỳ ${period}; hãy bàn giao từ kỳ sau.`,
      `The key result ${krId} was already reported for ${period}; hand it over from a later period.`,
    ),
  duplicate: (krId: string) =>
    rule(
      422,
      'HANDOVER_DUPLICATE',
      `Mục tiêu then chốt ${krId} được nêu hai lần.`,
      `The key result ${krId} is listed twice.`,
    ),
};

const HeldKeyResult = z.object({
  planId: z.string(),
  planYear: z.number().int(),
  planOwnerKind: z.enum(['unit', 'person']),
  planUnitId: z.string().nullable(),
  taskTitle: z.string(),
  keyResultId: z.string(),
  title: z.string(),
  /** The people of the plan's unit (and below) who may take it over. */
  candidates: z.array(z.object({ id: z.string(), fullName: z.string() })),
});
const OpenTask = z.object({
  id: z.string(),
  kind: z.string(),
  dueDate: z.string(),
  link: z.string(),
  /** A check-in verification: the check-in, and who may take it over (POST /api/check-ins/{id}/verifier). */
  checkInId: z.string().nullable(),
  reassignTo: z.array(z.object({ id: z.string(), fullName: z.string() })),
});
const Handover = z
  .object({
    personId: z.string(),
    fullName: z.string(),
    period: z.string(),
    keyResults: z.array(HeldKeyResult),
    openTasks: z.array(OpenTask),
  })
  .openapi('Handover');

const HandoverBody = z
  .object({
    effectivePeriod: Period,
    reason: z.string().trim().min(1).max(2000),
    assignments: z
      .array(
        z
          .object({
            planId: z.string().min(1).max(200),
            keyResultId: z.string().min(1).max(100),
            toPersonId: uuid,
          })
          .strict(),
      )
      .min(1)
      .max(200),
  })
  .strict()
  .openapi('HandoverRequest');

const PersonParam = z.object({ personId: uuid.openapi({ param: { name: 'personId', in: 'path' } }) });

export function handoverRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const currentPeriod = () => vnLocalDate(now().getTime()).slice(0, 7);

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{personId}',
        tags,
        summary:
          "A person's key results in this year's plans in force that I may hand over, with who may take each over, and their open tasks",
        middleware: [requires('key-result.reassign')],
        request: { params: PersonParam, query: z.object({ period: Period.optional() }) },
        responses: { 200: jsonOk(Handover), ...errorResponses },
      }),
      async (c) => {
        const { personId } = c.req.valid('param');
        const period = c.req.valid('query').period ?? currentPeriod();
        const person = await db
          .selectFrom('person')
          .select(['id', 'full_name'])
          .where('id', '=', personId)
          .executeTakeFirst();
        if (!person) {
          await check(c, db, { path: [], tier: 'province' }).catch(() => undefined);
          throw err.personNotFound();
        }
        const day = vnLocalDate(now().getTime());
        const keyResults: z.infer<typeof HeldKeyResult>[] = [];
        let mayAny = false;
        for (const h of await plansHoldingKeyResultsOf(db, personId, Number(period.slice(0, 4)))) {
          if (!(await allowed(c, db, 'key-result.reassign', await planResource(db, h.plan)))) continue;
          mayAny = true;
          const unitId = h.plan.unit_id;
          const candidates = unitId ? await peopleEmployedUnder(db, unitId, day, personId) : [];
          for (const t of h.content.tasks)
            for (const kr of t.keyResults)
              if (ownerInPeriod(h.content, kr.id, kr.ownerId, h.reassignments, period) === personId)
                keyResults.push({
                  planId: h.plan.id,
                  planYear: h.plan.year,
                  planOwnerKind: h.plan.owner_kind,
                  planUnitId: unitId,
                  taskTitle: t.title,
                  keyResultId: kr.id,
                  title: kr.title,
                  candidates: candidates.map((p) => ({ id: p.id, fullName: p.fullName })),
                });
        }
        // Nothing of theirs I may hand over: I must at least be one who manages the person.
        if (!mayAny) await check(c, db, await personResource(db, personId), 'employment.change');
        markChecked(c);
        const openTasks: z.infer<typeof OpenTask>[] = [];
        for (const t of await openTasksOf(db, personId)) {
          const verify = t.kind === 'check-in.verify' && t.subject_type === 'check_in';
          openTasks.push({
            id: t.id,
            kind: t.kind,
            dueDate: t.logical_due_date,
            link: taskLink(t),
            checkInId: verify ? t.subject_id : null,
            reassignTo: verify ? await verifiersFor(db, t.subject_id, day, personId) : [],
          });
        }
        return c.json({ personId, fullName: person.full_name, period, keyResults, openTasks }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{personId}',
        tags,
        summary:
          "Hand some of a person's key results to people of the plan's unit from a period on, with a reason",
        middleware: [requires('key-result.reassign')],
        request: { params: PersonParam, body: jsonBody(HandoverBody) },
        responses: {
          200: jsonOk(z.object({ reassigned: z.number().int(), ids: z.array(z.string()) })),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { personId } = c.req.valid('param');
        const body = c.req.valid('json');
        const me = actorId(c);
        const period = body.effectivePeriod;
        const current = currentPeriod();
        const seen = new Set<string>();
        // Every row is checked before anything is written: one bad row and nothing is saved.
        const checked: { planId: string; keyResultId: string; toPersonId: string }[] = [];
        for (const a of body.assignments) {
          const plan = await getPlan(db, a.planId);
          if (!plan) {
            await check(c, db, { path: [], tier: 'province' }).catch(() => undefined);
            throw err.planNotFound(a.planId);
          }
          await check(c, db, await planResource(db, plan));
          const key = `${a.planId}/${a.keyResultId}`;
          if (seen.has(key)) throw err.duplicate(a.keyResultId);
          seen.add(key);
          if (Number(period.slice(0, 4)) !== plan.year) throw err.otherYear(plan.year);
          if (period < current) throw err.pastPeriod(current);
          if (a.toPersonId === personId) throw err.samePerson();
          const held = (await plansHoldingKeyResultsOf(db, personId, plan.year)).find(
            (h) => h.plan.id === plan.id,
          );
          if (!plan.in_force_version_id) throw err.notInForce(plan.id);
          const content =
            held?.content ??
            ((
              await db
                .selectFrom('plan_version')
                .select('content')
                .where('id', '=', plan.in_force_version_id)
                .executeTakeFirstOrThrow()
            ).content as unknown as NonNullable<typeof held>['content']);
          const kr = content.tasks.flatMap((t) => t.keyResults).find((k) => k.id === a.keyResultId);
          if (!kr) throw err.keyResultNotFound(a.keyResultId);
          if (ownerInPeriod(content, kr.id, kr.ownerId, held?.reassignments ?? [], period) !== personId)
            throw err.notOwned(a.keyResultId, period);
          const day = [vnLocalDate(now().getTime()), `${period}-01`].sort()[1]!;
          const successors = plan.unit_id ? await peopleEmployedUnder(db, plan.unit_id, day, personId) : [];
          if (!successors.some((p) => p.id === a.toPersonId)) throw err.otherUnit(a.keyResultId);
          const reported = await reportedFrom(db, personId, plan.id, kr.id, period);
          if (reported) throw err.alreadyReported(a.keyResultId, reported);
          checked.push(a);
        }
        const ids = await db.transaction().execute(async (trx) => {
          const out: string[] = [];
          for (const a of checked) {
            const id = await recordReassignment(trx, {
              planId: a.planId,
              keyResultId: a.keyResultId,
              fromPersonId: personId,
              toPersonId: a.toPersonId,
              effectivePeriod: period,
              reason: body.reason,
              changedBy: me,
            });
            await audit(
              trx,
              c,
              'key_result',
              `${a.planId}/${a.keyResultId}`,
              'key-result.reassigned',
              { ownerId: personId },
              { ownerId: a.toPersonId, effectivePeriod: period, reason: body.reason, assignmentId: id },
            );
            out.push(id);
          }
          return out;
        });
        return c.json({ reassigned: ids.length, ids }, 200);
      },
    );
}
