import type { Executor } from '../executor.ts';
import '../schema-plans.ts';
import type { TaskEventRow, TaskRow } from '../schema-plans.ts';

/** A person's inbox: open tasks assigned to them or to a role they hold in the task's unit, by due time. */
export function inboxOf(
  executor: Executor,
  personId: string,
  opts: { day: string; limit?: number },
): Promise<TaskRow[]> {
  return executor
    .selectFrom('task')
    .selectAll('task')
    .where('task.status', '=', 'open')
    .where((eb) =>
      eb.or([
        eb('task.assignee_person_id', '=', personId),
        eb.exists(
          eb
            .selectFrom('role_assignment as r')
            .select('r.id')
            .where('r.person_id', '=', personId)
            .whereRef('r.scope_unit_id', '=', 'task.assignee_unit_id')
            .whereRef('r.role_code', '=', 'task.assignee_role')
            .where('r.valid_from', '<=', opts.day)
            .where((e) => e.or([e('r.valid_to', 'is', null), e('r.valid_to', '>=', opts.day)])),
        ),
      ]),
    )
    .orderBy('task.due_at')
    .orderBy('task.id')
    .limit(opts.limit ?? 100)
    .execute();
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
