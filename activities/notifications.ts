import { ApplicationFailure } from '@temporalio/common';
import type { Transaction } from 'kysely';
import type { Database } from '../db/connection.ts';
import { type Executor, inTransaction } from '../db/executor.ts';
import { holdersOfRole } from '../db/queries/org.ts';
import { enqueueMail, notify as insertNotification } from '../db/queries/outbox.ts';
import type { DB, RoleCode } from '../db/schema.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';

/**
 * Runs `fn`; a bad reference (a foreign-key violation: unknown person, unit or plan; or an id that is not
 * a UUID) can never succeed on a retry, so it becomes a non-retryable failure with a clear message instead
 * of an activity retried forever. Other errors (a lost connection…) stay retryable.
 */
export async function failFastOnBadReference<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; detail?: string; message?: string };
    if (e?.code === '23503' || e?.code === '22P02') {
      throw ApplicationFailure.nonRetryable(
        `${what}: bad reference (${e.code === '23503' ? 'unknown person, unit or plan' : 'malformed id'}): ${e.detail ?? e.message}`,
        'BadReference',
      );
    }
    throw err;
  }
}

/** Who a task or message goes to: a person, or the holders of a role in a unit. */
export interface AssigneeRef {
  personId?: string;
  role?: string;
  unitId?: string;
}

export interface NotifyInput {
  /** Business idempotency key (e.g. `escalate:{workflowId}:{step}:{rung}`); one message per key and person. */
  key: string;
  recipients: AssigneeRef[];
  kind: string;
  titleVi: string;
  titleEn: string;
  bodyVi: string;
  bodyEn: string;
  link?: string;
  /** The logical date the message is about (yyyy-mm-dd, Asia/Ho_Chi_Minh), shown in it. */
  logicalDate?: string;
}

export interface NotificationDeps {
  db: Database;
  /** Domain of the Message-IDs ('woms.local' by default). */
  mailDomain?: string;
}

async function resolveRecipients(
  executor: Executor,
  refs: AssigneeRef[],
  day: string,
): Promise<{ id: string; email: string }[]> {
  const out = new Map<string, { id: string; email: string }>();
  for (const r of refs) {
    if (r.personId) {
      const p = await executor
        .selectFrom('person')
        .select(['id', 'email'])
        .where('id', '=', r.personId)
        .executeTakeFirst();
      if (p) out.set(p.id, p);
    } else if (r.role && r.unitId) {
      for (const p of await holdersOfRole(executor, r.role as RoleCode, r.unitId, day)) {
        out.set(p.id, { id: p.id, email: p.email });
      }
    }
  }
  return [...out.values()];
}

/**
 * The in-app notification and the outbox e-mail for every recipient, in the caller's transaction (so they
 * commit with the task change they report). Idempotent by `${key}:${personId}`; returns how many were new.
 */
export async function notifyInTransaction(
  trx: Transaction<DB>,
  n: NotifyInput,
  mailDomain?: string,
): Promise<number> {
  const people = await resolveRecipients(trx, n.recipients, vnLocalDate(Date.now()));
  let created = 0;
  for (const p of people) {
    const key = `${n.key}:${p.id}`;
    await insertNotification(trx, {
      personId: p.id,
      kind: n.kind,
      titleVi: n.titleVi,
      titleEn: n.titleEn,
      bodyVi: n.bodyVi,
      bodyEn: n.bodyEn,
      ...(n.link ? { link: n.link } : {}),
      idempotencyKey: key,
    });
    const mail = await enqueueMail(trx, {
      idempotencyKey: key,
      to: [p.email],
      personId: p.id,
      subject: `[WOMS] ${n.titleVi}`,
      bodyText: `${n.bodyVi}\n\n— ${n.bodyEn}\n${n.link ? `\n${n.link}\n` : ''}`,
      ...(mailDomain ? { messageIdDomain: mailDomain } : {}),
    });
    if (mail.created) created++;
  }
  return created;
}

export function notificationActivities({ db, mailDomain }: NotificationDeps) {
  return {
    /** In-app notification + outbox e-mail per recipient, one transaction; a retry writes nothing new. */
    async notify(n: NotifyInput): Promise<{ created: number }> {
      const created = await failFastOnBadReference(`notify ${n.key}`, () =>
        inTransaction(db, (trx) => notifyInTransaction(trx, n, mailDomain)),
      );
      return { created };
    },
  };
}
