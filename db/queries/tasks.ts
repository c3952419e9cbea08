import { type ExpressionBuilder, sql } from 'kysely';
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

/** An inbox row: the task, and for a task of a principal the person stands in for, that principal. */
export type InboxRow = TaskRow & { on_behalf_of_id: string | null; on_behalf_of_name: string | null };

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
      ];
    })
    .where(assignedOrDelegated(personId, day));
  q = opts.id ? q.where('task.id', '=', opts.id) : q.where('task.status', '=', done ? 'done' : 'open');
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
