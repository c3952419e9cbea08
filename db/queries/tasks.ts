import { type ExpressionBuilder, type RawBuilder, sql } from 'kysely';
import type { Executor } from '../executor.ts';
import type { DB } from '../schema.ts';
import '../schema-delegations.ts';
import '../schema-plans.ts';
import type { TaskEventRow, TaskRow } from '../schema-plans.ts';

/** Tasks assigned to a person, or to a role they hold (on `day`) in the task's own unit (the tiered rule). */
function assignedTo(personId: string, day: string) {
  return (eb: ExpressionBuilder<DB, 'task'>) =>
    eb.or([
      eb('task.assignee_person_id', '=', personId),
      eb.exists(
        eb
          .selectFrom('role_assignment as r')
          .select('r.id')
          .where('r.person_id', '=', personId)
          .whereRef('r.scope_unit_id', '=', 'task.assignee_unit_id')
          .whereRef('r.role_code', '=', 'task.assignee_role')
          .where('r.valid_from', '<=', day)
          .where((e) => e.or([e('r.valid_to', 'is', null), e('r.valid_to', '>=', day)])),
      ),
    ]);
}

/**
 * The granted delegations (DESIGN §3) to `personId` in force on `day` whose principal the task is assigned
 * to — in person, or through a role the principal holds (on `day`) in the task's unit.
 */
function delegationsCovering(eb: ExpressionBuilder<DB, 'task'>, personId: string, day: string) {
  return eb
    .selectFrom('delegation as d')
    .where('d.delegate_id', '=', personId)
    .where('d.status', 'in', ['APPROVED', 'ACTIVE'])
    .where('d.from_date', '<=', day)
    .where('d.to_date', '>=', day)
    .where((e) =>
      e.or([
        e(e.ref('task.assignee_person_id'), '=', e.ref('d.principal_id')),
        e.exists(
          e
            .selectFrom('role_assignment as r')
            .select('r.id')
            .whereRef('r.person_id', '=', 'd.principal_id')
            .whereRef('r.scope_unit_id', '=', 'task.assignee_unit_id')
            .whereRef('r.role_code', '=', 'task.assignee_role')
            .where('r.valid_from', '<=', day)
            .where((x) => x.or([x('r.valid_to', 'is', null), x('r.valid_to', '>=', day)])),
        ),
      ]),
    );
}

/** A person's open tasks, or the open tasks of a principal they stand in for on `day`. */
function assignedOrDelegated(personId: string, day: string) {
  return (eb: ExpressionBuilder<DB, 'task'>) =>
    eb.or([
      assignedTo(personId, day)(eb),
      eb.and([
        eb('task.status', '=', 'open'),
        eb.exists(delegationsCovering(eb, personId, day).select('d.id')),
      ]),
    ]);
}

/** The open month-plan task that rides on a check-in task (see `bundledPlanTask`). */
export interface BundledTask {
  id: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  period: string;
}

/** An inbox row: the task, for a task of a principal the person stands in for that principal, and the task
 *  bundled with it into one entry. */
export type InboxRow = TaskRow & {
  on_behalf_of_id: string | null;
  on_behalf_of_name: string | null;
  bundled: BundledTask | null;
};

// DESIGN §3, one sitting: the check-in for month m and the plan for month m+1 are both due on the 5th of m+1.
// When the same person has both open with the same due day they are one inbox entry: the check-in task
// carries the plan task, which is then not listed (nor counted) on its own. Either one done, the other is
// listed alone again.
const CHECK_IN_SUBMIT = 'check-in.submit';
const MONTH_PLAN_SUBMIT = 'plan.period-submit';
const nextMonthOf = (period: RawBuilder<unknown>) =>
  sql`to_char(to_date(${period}, 'YYYY-MM') + interval '1 month', 'YYYY-MM')`;

/** The open month-plan task bundled with the check-in task `task`, as json (or null). */
function bundledPlanTask() {
  return sql<BundledTask | null>`(
    SELECT json_build_object('id', p.id, 'kind', p.kind, 'subjectType', p.subject_type,
                             'subjectId', p.subject_id, 'period', p.details->>'period')
      FROM task p
     WHERE task.kind = ${CHECK_IN_SUBMIT} AND task.status = 'open'
       AND p.kind = ${MONTH_PLAN_SUBMIT} AND p.status = 'open'
       AND p.assignee_person_id = task.assignee_person_id
       AND p.logical_due_date = task.logical_due_date
       AND p.details->>'period' = ${nextMonthOf(sql`task.details->>'period'`)}
     ORDER BY p.id LIMIT 1)`;
}

/** `task` is an open month-plan task that rides on an open check-in task of the same person and day. */
function ridesOnCheckIn() {
  return sql<boolean>`(task.kind = ${MONTH_PLAN_SUBMIT} AND task.status = 'open' AND EXISTS (
    SELECT 1 FROM task c
     WHERE c.kind = ${CHECK_IN_SUBMIT} AND c.status = 'open'
       AND c.assignee_person_id = task.assignee_person_id
       AND c.logical_due_date = task.logical_due_date
       AND ${nextMonthOf(sql`c.details->>'period'`)} = task.details->>'period'))`;
}

export interface InboxFilter {
  /** Today in Asia/Ho_Chi_Minh (yyyy-mm-dd): role grants valid on it; overdue = due before it. */
  day: string;
  limit?: number;
  /** 'open' (default): by due time, soonest first; 'done': by due time, latest first. */
  status?: 'open' | 'done';
  kind?: string;
  overdueOnly?: boolean;
  /** Keyset: the due time (ISO) and id of the last row of the previous page. */
  after?: [string, string];
  /** One task by id, whatever its status (still only when it is the person's). */
  id?: string;
}

/** A person's inbox: open tasks assigned to them or to a role they hold in the task's unit, by due time. */
export function inboxOf(executor: Executor, personId: string, opts: InboxFilter): Promise<InboxRow[]> {
  const done = opts.status === 'done';
  const day = opts.day;
  let q = executor
    .selectFrom('task')
    .selectAll('task')
    .select((eb) => {
      const direct = assignedTo(personId, day)(eb);
      const principal = delegationsCovering(eb, personId, day)
        .innerJoin('person as pp', 'pp.id', 'd.principal_id')
        .orderBy('d.from_date')
        .limit(1);
      return [
        sql<string | null>`CASE WHEN ${direct} THEN NULL ELSE (${principal.select('d.principal_id')}) END`.as(
          'on_behalf_of_id',
        ),
        sql<string | null>`CASE WHEN ${direct} THEN NULL ELSE (${principal.select('pp.full_name')}) END`.as(
          'on_behalf_of_name',
        ),
        bundledPlanTask().as('bundled'),
      ];
    })
    .where(assignedOrDelegated(personId, day));
  q = opts.id ? q.where('task.id', '=', opts.id) : q.where('task.status', '=', done ? 'done' : 'open');
  // A filter on the month-plan kind lists those tasks themselves; otherwise a bundled one is not listed twice.
  if (!opts.id && opts.kind !== MONTH_PLAN_SUBMIT) q = q.where(sql<boolean>`NOT ${ridesOnCheckIn()}`);
  if (opts.kind) q = q.where('task.kind', '=', opts.kind);
  if (opts.overdueOnly) q = q.where('task.logical_due_date', '<', opts.day);
  if (opts.after) {
    const [dueAt, id] = opts.after;
    q = q.where((eb) =>
      eb(eb.refTuple('task.due_at', 'task.id'), done ? '<' : '>', eb.tuple(new Date(dueAt), id)),
    );
  }
  return q
    .orderBy('task.due_at', done ? 'desc' : 'asc')
    .orderBy('task.id', done ? 'desc' : 'asc')
    .limit(opts.limit ?? 100)
    .execute();
}

/** Counts of a person's open tasks: all, overdue (due before `day`), due from `day` to `weekEnd` inclusive. */
export async function inboxCounts(
  executor: Executor,
  personId: string,
  opts: { day: string; weekEnd: string },
): Promise<{ open: number; overdue: number; dueThisWeek: number }> {
  const r = await executor
    .selectFrom('task')
    .select((eb) => [
      eb.fn.countAll<string>().as('open'),
      eb.fn.countAll<string>().filterWhere('task.logical_due_date', '<', opts.day).as('overdue'),
      eb.fn
        .countAll<string>()
        .filterWhere((e) =>
          e.and([e('task.logical_due_date', '>=', opts.day), e('task.logical_due_date', '<=', opts.weekEnd)]),
        )
        .as('dueThisWeek'),
    ])
    .where('task.status', '=', 'open')
    .where(assignedOrDelegated(personId, opts.day))
    .where(sql<boolean>`NOT ${ridesOnCheckIn()}`)
    .executeTakeFirstOrThrow();
  return { open: Number(r.open), overdue: Number(r.overdue), dueThisWeek: Number(r.dueThisWeek) };
}

export function tasksOfSubject(
  executor: Executor,
  subjectType: string,
  subjectId: string,
): Promise<TaskRow[]> {
  return executor
    .selectFrom('task')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function getTask(executor: Executor, id: string): Promise<TaskRow | undefined> {
  return executor.selectFrom('task').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A task's events in the order they were recorded. */
export function eventsOfTask(executor: Executor, taskId: string): Promise<TaskEventRow[]> {
  return executor.selectFrom('task_event').selectAll().where('task_id', '=', taskId).orderBy('id').execute();
}

/** Every event of the tasks of a subject (e.g. a plan), in recorded order. */
export function eventsOfSubject(
  executor: Executor,
  subjectType: string,
  subjectId: string,
): Promise<TaskEventRow[]> {
  return executor
    .selectFrom('task_event as e')
    .innerJoin('task as t', 't.id', 'e.task_id')
    .selectAll('e')
    .where('t.subject_type', '=', subjectType)
    .where('t.subject_id', '=', subjectId)
    .orderBy('e.id')
    .execute();
}
