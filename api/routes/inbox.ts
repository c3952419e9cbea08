// The inbox (DESIGN §3): the signed-in person's tasks — assigned to them, or to a role they hold in the
// task's own unit (the tiered rule) — by due date, with the overdue flag and the counts computed for the
// day in Asia/Ho_Chi_Minh, and the screen where each task is done.
import { createRoute } from '@hono/zod-openapi';
import { type InboxRow, inboxCounts, inboxOf } from '../../db/queries/tasks.ts';
import type { TaskRow } from '../../db/schema-plans.ts';
import { addCalendarDays, isoWeekday, vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { check, requires } from '../authz/middleware.ts';
import { contentApp, decodeCursor, errorResponses, jsonOk, PageQuery, pageFrom, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { actorId } from './admin/common.ts';

const cursorInvalid = () =>
  new ApiProblem({
    status: 400,
    code: 'CURSOR_INVALID',
    vi: 'Con trỏ phân trang không hợp lệ.',
    en: 'The page cursor is invalid.',
  });

/** The screen where a task is done: its subject's screen (a plan's page; a check-in's verify screen for its
 *  verifier, the check-in screen for its person), else the inbox itself. */
export function taskLink(
  t: Pick<TaskRow, 'subject_type' | 'subject_id' | 'kind'> & { details?: unknown },
): string {
  if (t.subject_type === 'plan') return `/plans/${encodeURIComponent(t.subject_id)}`;
  if (t.subject_type === 'delegation') return '/account/delegation';
  if (t.subject_type === 'period_assessment') return `/assessments/${encodeURIComponent(t.subject_id)}`;
  if (t.subject_type === 'unit_ranking') {
    // the ranking of a unit's people (issue 8): the head's decision and the committee's exception approval
    const d = (t.details ?? {}) as { unitId?: unknown; year?: unknown };
    if (typeof d.unitId === 'string' && typeof d.year === 'number')
      return `/evaluation/ranking/${encodeURIComponent(d.unitId)}/${d.year}`;
  }
  if (t.subject_type === 'year_end_assessment')
    return t.kind === 'year-end.self'
      ? '/evaluation/self'
      : `/evaluation/supervisor/${encodeURIComponent(t.subject_id)}`;
  if (t.subject_type === 'check_in') {
    if (t.kind === 'check-in.verify') return `/check-ins/${encodeURIComponent(t.subject_id)}/verify`;
    if (t.kind === 'check-in.reopen') return `/check-ins/${encodeURIComponent(t.subject_id)}/reopen`;
    const period = (t.details as { period?: unknown } | null | undefined)?.period;
    return typeof period === 'string' && /^\d{4}-\d{2}$/.test(period)
      ? `/check-ins?period=${period}`
      : '/check-ins';
  }
  if (t.kind === 'forecast.warning') {
    // the early warning (issue 7 point 3): the key result's check-in history
    const d = (t.details ?? {}) as { planId?: unknown; keyResultId?: unknown };
    if (typeof d.planId === 'string' && typeof d.keyResultId === 'string')
      return `/check-ins/history?planId=${encodeURIComponent(d.planId)}&krId=${encodeURIComponent(d.keyResultId)}`;
  }
  if (t.subject_type === 'monthly_unit_report') {
    // subject id '<unitId>:<period>': the unit's monthly report screen
    const [unitId, period] = t.subject_id.split(':');
    if (unitId && period && /^\d{4}-\d{2}$/.test(period))
      return `/reports/monthly?unitId=${encodeURIComponent(unitId)}&period=${period}`;
  }
  if (t.subject_type === 'quarterly_unit_report') {
    // subject id '<unitId>:<YYYY-Qn>': the unit's quarterly report screen
    const [unitId, period] = t.subject_id.split(':');
    if (unitId && period && /^\d{4}-Q[1-4]$/.test(period))
      return `/reports/quarterly?unitId=${encodeURIComponent(unitId)}&period=${period}`;
  }
  if (t.kind === 'giao-ban.conclude') {
    // the giao ban (issue 7 point 2): subject id '<provinceId>:<session>', the session's workspace
    const session = t.subject_id.split(':')[1];
    if (session && /^\d{4}-(Q[1-4]|year)$/.test(session)) return `/giao-ban/${session}`;
  }
  if (t.kind === 'giao-ban.direction') {
    // a direction of a giao ban to the unit: the unit's directions
    const unitId = (t.details as { unitId?: unknown } | null | undefined)?.unitId;
    if (typeof unitId === 'string') return `/giao-ban/directions?unitId=${encodeURIComponent(unitId)}`;
  }
  return '/inbox';
}

const InboxTask = z
  .object({
    id: z.string(),
    kind: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    assignee: z.object({
      personId: z.string().nullable(),
      role: z.string().nullable(),
      unitId: z.string().nullable(),
    }),
    dueAt: z.string(),
    dueDate: z.string(),
    status: z.enum(['open', 'done', 'cancelled']),
    overdue: z.boolean(),
    /** Working out the traffic light: overdue = red, due within the week = amber, else green. */
    urgency: z.enum(['overdue', 'soon', 'later']),
    escalationLevel: z.number().int(),
    link: z.string(),
    details: z.unknown(),
    /** A task of a principal the person stands in for under a delegation in force today (DESIGN §3). */
    onBehalfOf: z.object({ personId: z.string(), name: z.string() }).nullable(),
    /** The next month's plan, due the same day as this month's check-in: one entry, done in one sitting. */
    bundled: z.object({ id: z.string(), kind: z.string(), period: z.string(), link: z.string() }).nullable(),
  })
  .openapi('InboxTask');

const Counts = z.object({ open: z.number().int(), overdue: z.number().int(), dueThisWeek: z.number().int() });

const InboxQuery = PageQuery.extend({
  status: z.enum(['open', 'done']).default('open'),
  kind: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9._-]*$/, { message: 'CODE_INVALID' })
    .optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

/** The last day (Sunday) of the ISO week of `day`. */
export function weekEndOf(day: string): string {
  return addCalendarDays(day, 7 - isoWeekday(day));
}

export function inboxRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['inbox'],
        summary: 'My tasks by due date, with the overdue flag, counts and the screen where each is done',
        middleware: [requires('inbox.read')],
        request: { query: InboxQuery },
        responses: {
          200: jsonOk(
            z.object({ items: z.array(InboxTask), nextCursor: z.string().nullable(), counts: Counts }),
          ),
          ...errorResponses,
        },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const q = c.req.valid('query');
        const day = vnLocalDate(now().getTime());
        const weekEnd = weekEndOf(day);
        const after = decodeCursor(q.cursor);
        if (after && Number.isNaN(Date.parse(after[0]))) throw cursorInvalid();
        const [rows, counts] = await Promise.all([
          inboxOf(db, me, {
            day,
            limit: q.limit + 1,
            status: q.status,
            ...(q.kind ? { kind: q.kind } : {}),
            overdueOnly: q.overdue === 'true',
            ...(after ? { after } : {}),
          }),
          inboxCounts(db, me, { day, weekEnd }),
        ]);
        const page = pageFrom(
          rows,
          q.limit,
          (t) => taskDto(t, day, weekEnd),
          (t) => [t.due_at.toISOString(), t.id],
        );
        return c.json({ ...page, counts }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags: ['inbox'],
        summary: 'One of my tasks (open or closed), with the screen where it is done',
        middleware: [requires('inbox.read')],
        request: {
          params: z.object({
            id: z
              .string()
              .max(300)
              .openapi({ param: { name: 'id', in: 'path' } }),
          }),
        },
        responses: { 200: jsonOk(InboxTask), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, { path: [], tier: 'internal', subjectPersonId: me });
        const { id } = c.req.valid('param');
        const day = vnLocalDate(now().getTime());
        const [t] = await inboxOf(db, me, { day, id, limit: 1 });
        if (!t)
          throw new ApiProblem({
            status: 404,
            code: 'TASK_NOT_FOUND',
            vi: 'Không tìm thấy việc này trong hộp việc của bạn.',
            en: 'This task is not in your inbox.',
          });
        return c.json(taskDto(t, day, weekEndOf(day)), 200);
      },
    );
}

function taskDto(t: InboxRow, day: string, weekEnd: string): z.infer<typeof InboxTask> {
  const overdue = t.status === 'open' && t.logical_due_date < day;
  return {
    id: t.id,
    kind: t.kind,
    subjectType: t.subject_type,
    subjectId: t.subject_id,
    assignee: { personId: t.assignee_person_id, role: t.assignee_role, unitId: t.assignee_unit_id },
    dueAt: t.due_at.toISOString(),
    dueDate: t.logical_due_date,
    status: t.status,
    overdue,
    urgency: overdue ? 'overdue' : t.status === 'open' && t.logical_due_date <= weekEnd ? 'soon' : 'later',
    escalationLevel: t.escalation_level,
    link: taskLink(t),
    details: t.details,
    onBehalfOf:
      t.on_behalf_of_id && t.on_behalf_of_name
        ? { personId: t.on_behalf_of_id, name: t.on_behalf_of_name }
        : null,
    bundled: t.bundled
      ? {
          id: t.bundled.id,
          kind: t.bundled.kind,
          period: t.bundled.period,
          link: taskLink({
            subject_type: t.bundled.subjectType,
            subject_id: t.bundled.subjectId,
            kind: t.bundled.kind,
          }),
        }
      : null,
  };
}
