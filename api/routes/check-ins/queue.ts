// The verify/return queue (issue 6, point 5): the submitted check-ins whose open 'check-in.verify' task is the
// caller's — assigned to them, to a role they hold at the task's unit (a forward to the unit head included), or
// to a principal they stand in for under a delegation in force — with the person, the period, when it was
// submitted, the verification's due date and the overdue flag, by due date.
import { createRoute } from '@hono/zod-openapi';
import { checkInsForQueue } from '../../../db/queries/escalations.ts';
import { inboxOf } from '../../../db/queries/tasks.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { check, requires } from '../../authz/middleware.ts';
import { contentApp, errorResponses, jsonOk, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { actorId } from '../admin/common.ts';

const QueueItem = z
  .object({
    taskId: z.string(),
    checkInId: z.string(),
    person: z.object({ id: z.string(), name: z.string() }),
    unit: z.object({ id: z.string(), name: z.string() }),
    period: z.string(),
    status: z.string(),
    submittedAt: z.string().nullable(),
    dueDate: z.string(),
    overdue: z.boolean(),
    escalationLevel: z.number().int(),
    /** A verification forwarded to the unit head after the supervisor missed it. */
    forwarded: z.boolean(),
    onBehalfOf: z.object({ personId: z.string(), name: z.string() }).nullable(),
    link: z.string(),
  })
  .openapi('VerifyQueueItem');

export function checkInQueueRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  return contentApp().openapi(
    createRoute({
      method: 'get',
      path: '/check-ins/awaiting-verification',
      tags: ['check-ins'],
      summary:
        'The submitted check-ins awaiting my verification (assigned to me, to a role I hold at the unit, forwarded to me as unit head, or to someone I stand in for), by due date',
      middleware: [requires('check-in.queue')],
      responses: {
        200: jsonOk(z.object({ day: z.string(), items: z.array(QueueItem) })),
        ...errorResponses,
      },
    }),
    async (c) => {
      const me = actorId(c);
      await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
      const day = vnLocalDate(now().getTime());
      const tasks = await inboxOf(db, me, { day, kind: 'check-in.verify', limit: 500 });
      const checkIns = await checkInsForQueue(
        db,
        tasks.filter((t) => t.subject_type === 'check_in').map((t) => t.subject_id),
      );
      const items = tasks.flatMap((t) => {
        const ci = checkIns.get(t.subject_id);
        // only a check-in awaiting a verdict, never the caller's own
        if (ci?.status !== 'SUBMITTED' || ci.personId === me) return [];
        return [
          {
            taskId: t.id,
            checkInId: ci.id,
            person: { id: ci.personId, name: ci.personName },
            unit: { id: ci.unitId, name: ci.unitName },
            period: ci.period,
            status: ci.status,
            submittedAt: ci.submittedAt ? new Date(ci.submittedAt).toISOString() : null,
            dueDate: t.logical_due_date,
            overdue: t.logical_due_date < day,
            escalationLevel: t.escalation_level,
            forwarded: t.id.endsWith(':fwd'),
            onBehalfOf:
              t.on_behalf_of_id && t.on_behalf_of_name
                ? { personId: t.on_behalf_of_id, name: t.on_behalf_of_name }
                : null,
            link: `/check-ins/${encodeURIComponent(ci.id)}/verify`,
          },
        ];
      });
      return c.json({ day, items }, 200);
    },
  );
}
