import { sql } from 'kysely';
import { appendAudit } from '../db/audit/index.ts';
import type { Database } from '../db/connection.ts';
import { inTransaction } from '../db/executor.ts';
import '../db/schema-plans.ts';
import type { TaskEventKind, TaskStatus } from '../db/schema-plans.ts';
import {
  type AssigneeRef,
  failFastOnBadReference,
  type NotifyInput,
  notifyInTransaction,
} from './notifications.ts';

export interface OpenTaskInput {
  /** Stable business key; the UI uses it as the Update id. */
  id: string;
  workflowId: string;
  updateName?: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  assignee: AssigneeRef;
  /** Exclusive end of the logical due day (epoch ms). */
  dueAt: number;
  logicalDueDate: string;
  details?: Record<string, unknown>;
  actor: string;
  /** Optional message to the assignee, written in the same transaction. */
  notify?: NotifyInput;
}

export interface CloseTaskInput {
  id: string;
  status: Exclude<TaskStatus, 'open'>;
  by: string;
  /** The assignee `by` acted for (a delegate); recorded in the task event and the audit entry. */
  onBehalfOf?: string;
  reason?: string;
}

export interface TaskEventInput {
  /** Business idempotency key: a second call with it writes nothing. */
  key: string;
  taskId: string;
  kind: TaskEventKind;
  actor: string;
  recipientRole?: string;
  recipientPersonId?: string;
  logicalDate?: string;
  details?: Record<string, unknown>;
}

export interface FireRungInput {
  event: TaskEventInput;
  /** Raise the task's escalation level to at least this. */
  escalationLevel?: number;
  notify?: NotifyInput;
  /** Audit aggregate (the plan). */
  audit: { aggregateType: string; aggregateId: string };
}

export function taskActivities({ db, mailDomain }: { db: Database; mailDomain?: string }) {
  return {
    /**
     * Opens (or reschedules) an inbox task. Idempotent by id: a retry changes nothing; a call with a new due
     * date or assignee updates an open task (a moved deadline, a forward); a closed task is never reopened.
     */
    async openTask(t: OpenTaskInput): Promise<{ created: boolean; changed: boolean }> {
      return failFastOnBadReference(`openTask ${t.id}`, () => openTaskTx(t));
    },

    /** Closes an open task (done or cancelled); closing a closed task is a no-op. */
    async closeTask(c: CloseTaskInput): Promise<{ closed: boolean }> {
      return inTransaction(db, async (trx) => {
        const row = await trx
          .updateTable('task')
          .set({ status: c.status, closed_at: sql`now()`, closed_by: c.by, updated_at: sql`now()` })
          .where('id', '=', c.id)
          .where('status', '=', 'open')
          .returning(['subject_type', 'subject_id', 'kind'])
          .executeTakeFirst();
        if (!row) return { closed: false };
        const who = c.onBehalfOf ? { onBehalfOf: c.onBehalfOf } : {};
        await trx
          .insertInto('task_event')
          .values({
            idempotency_key: `closed:${c.id}`,
            task_id: c.id,
            kind: 'closed',
            actor: c.by,
            details: JSON.stringify({ status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...who }),
          })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .execute();
        await appendAudit(trx, {
          aggregateType: row.subject_type,
          aggregateId: row.subject_id,
          actor: c.by,
          action: `task.${c.status}`,
          after: { taskId: c.id, kind: row.kind, status: c.status, reason: c.reason, ...who },
        });
        return { closed: true };
      });
    },

    /** Records a reminder, escalation, forward or miss against a task. Idempotent by key. */
    async recordTaskEvent(e: TaskEventInput): Promise<{ created: boolean }> {
      const r = await db
        .insertInto('task_event')
        .values(eventValues(e))
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      return { created: r !== undefined };
    },

    /**
     * One rung of the ladder, in one transaction: the task event (idempotency key
     * `escalate:{workflowId}:{step}:{rung}`), the raised escalation level, the audit entry, and the
     * notification + outbox e-mail. A retry after success finds the event and does nothing.
     */
    async fireRung(f: FireRungInput): Promise<{ created: boolean }> {
      return failFastOnBadReference(`fireRung ${f.event.key}`, () => fireRungTx(f));
    },
  };

  function openTaskTx(t: OpenTaskInput): Promise<{ created: boolean; changed: boolean }> {
    return inTransaction(db, async (trx) => {
      const existing = await trx
        .selectFrom('task')
        .selectAll()
        .where('id', '=', t.id)
        .forUpdate()
        .executeTakeFirst();
      const row = {
        workflow_id: t.workflowId,
        update_name: t.updateName ?? null,
        kind: t.kind,
        subject_type: t.subjectType,
        subject_id: t.subjectId,
        assignee_person_id: t.assignee.personId ?? null,
        assignee_role: t.assignee.personId ? null : (t.assignee.role ?? null),
        assignee_unit_id: t.assignee.personId ? null : (t.assignee.unitId ?? null),
        due_at: new Date(t.dueAt),
        logical_due_date: t.logicalDueDate,
        details: JSON.stringify(t.details ?? {}),
      };
      if (!existing) {
        await trx
          .insertInto('task')
          .values({ id: t.id, ...row, closed_at: null, closed_by: null })
          .execute();
        await trx
          .insertInto('task_event')
          .values({
            idempotency_key: `opened:${t.id}`,
            task_id: t.id,
            kind: 'opened',
            actor: t.actor,
            recipient_role: t.assignee.role ?? null,
            recipient_person_id: t.assignee.personId ?? null,
            logical_date: t.logicalDueDate,
          })
          .onConflict((oc) => oc.column('idempotency_key').doNothing())
          .execute();
        await appendAudit(trx, {
          aggregateType: t.subjectType,
          aggregateId: t.subjectId,
          actor: t.actor,
          action: 'task.opened',
          after: { taskId: t.id, kind: t.kind, assignee: t.assignee, dueDate: t.logicalDueDate },
        });
        if (t.notify) await notifyInTransaction(trx, t.notify, mailDomain);
        return { created: true, changed: true };
      }
      const same =
        existing.logical_due_date === t.logicalDueDate &&
        existing.due_at.getTime() === t.dueAt &&
        existing.assignee_person_id === row.assignee_person_id &&
        existing.assignee_role === row.assignee_role &&
        existing.assignee_unit_id === row.assignee_unit_id;
      if (existing.status !== 'open' || same) return { created: false, changed: false };
      await trx
        .updateTable('task')
        .set({ ...row, updated_at: sql`now()` })
        .where('id', '=', t.id)
        .execute();
      await appendAudit(trx, {
        aggregateType: t.subjectType,
        aggregateId: t.subjectId,
        actor: t.actor,
        action: 'task.rescheduled',
        before: {
          taskId: t.id,
          dueDate: existing.logical_due_date,
          assignee: {
            personId: existing.assignee_person_id,
            role: existing.assignee_role,
            unitId: existing.assignee_unit_id,
          },
        },
        after: { taskId: t.id, dueDate: t.logicalDueDate, assignee: t.assignee },
      });
      if (t.notify) await notifyInTransaction(trx, t.notify, mailDomain);
      return { created: false, changed: true };
    });
  }

  function fireRungTx(f: FireRungInput): Promise<{ created: boolean }> {
    return inTransaction(db, async (trx) => {
      const ins = await trx
        .insertInto('task_event')
        .values(eventValues(f.event))
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!ins) return { created: false };
      if (f.escalationLevel !== undefined) {
        await trx
          .updateTable('task')
          .set({
            escalation_level: sql`greatest(escalation_level, ${f.escalationLevel})`,
            updated_at: sql`now()`,
          })
          .where('id', '=', f.event.taskId)
          .execute();
      }
      await appendAudit(trx, {
        aggregateType: f.audit.aggregateType,
        aggregateId: f.audit.aggregateId,
        actor: f.event.actor,
        action: `task.${f.event.kind}`,
        after: {
          taskId: f.event.taskId,
          key: f.event.key,
          recipientRole: f.event.recipientRole,
          date: f.event.logicalDate,
          ...(f.event.details ?? {}),
        },
      });
      if (f.notify) await notifyInTransaction(trx, f.notify, mailDomain);
      return { created: true };
    });
  }
}

function eventValues(e: TaskEventInput) {
  return {
    idempotency_key: e.key,
    task_id: e.taskId,
    kind: e.kind,
    actor: e.actor,
    recipient_role: e.recipientRole ?? null,
    recipient_person_id: e.recipientPersonId ?? null,
    logical_date: e.logicalDate ?? null,
    details: JSON.stringify(e.details ?? {}),
  };
}
