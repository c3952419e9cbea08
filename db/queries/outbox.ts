import { createHash } from 'node:crypto';
import type { Executor } from '../executor.ts';
import type { MailOutboxRow, Notification } from '../schema.ts';

/** The stable Message-ID of an idempotency key: a resend of the same message carries the same id. */
export function messageIdFor(idempotencyKey: string, domain = 'woms.local'): string {
  const h = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  return `<${h}@${domain}>`;
}

export interface OutboundMail {
  idempotencyKey: string;
  to: string[];
  subject: string;
  bodyText: string;
  bodyHtml?: string;
  personId?: string;
  /** Domain of the Message-ID (the sender's domain). */
  messageIdDomain?: string;
}

/**
 * Writes a message to the outbox (call in the transaction of the change it reports). Idempotent by key:
 * a second call returns the row already there (created = false) and writes nothing.
 */
export async function enqueueMail(
  executor: Executor,
  mail: OutboundMail,
): Promise<{ created: boolean; row: MailOutboxRow }> {
  const inserted = await executor
    .insertInto('mail_outbox')
    .values({
      idempotency_key: mail.idempotencyKey,
      message_id: messageIdFor(mail.idempotencyKey, mail.messageIdDomain),
      person_id: mail.personId ?? null,
      to_addresses: mail.to,
      subject: mail.subject,
      body_text: mail.bodyText,
      body_html: mail.bodyHtml ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { created: true, row: inserted };
  const row = await executor
    .selectFrom('mail_outbox')
    .selectAll()
    .where('idempotency_key', '=', mail.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { created: false, row };
}

/**
 * Claims up to `limit` due PENDING messages for sending (FOR UPDATE SKIP LOCKED: several senders never take
 * the same row). Call inside a transaction and mark each row before it ends.
 */
export function claimDueMail(executor: Executor, now: Date, limit = 20): Promise<MailOutboxRow[]> {
  return executor
    .selectFrom('mail_outbox')
    .selectAll()
    .where('status', '=', 'PENDING')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markMailSent(executor: Executor, id: string, at: Date): Promise<void> {
  await executor
    .updateTable('mail_outbox')
    .set((eb) => ({ status: 'SENT', sent_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('id', '=', id)
    .execute();
}

/** Records a failed attempt: retried at `retryAt`, or FAILED for good when retryAt is undefined. */
export async function markMailAttemptFailed(
  executor: Executor,
  id: string,
  error: string,
  retryAt?: Date,
): Promise<void> {
  await executor
    .updateTable('mail_outbox')
    .set((eb) => ({
      status: retryAt ? 'PENDING' : 'FAILED',
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 2000),
      ...(retryAt ? { next_attempt_at: retryAt } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

export interface NewInAppNotification {
  personId: string;
  kind: string;
  titleVi: string;
  titleEn: string;
  bodyVi?: string;
  bodyEn?: string;
  link?: string;
  /** When given, a second call with the same key writes nothing. */
  idempotencyKey?: string;
}

export async function notify(executor: Executor, n: NewInAppNotification): Promise<Notification | undefined> {
  return executor
    .insertInto('notification')
    .values({
      person_id: n.personId,
      kind: n.kind,
      title_vi: n.titleVi,
      title_en: n.titleEn,
      body_vi: n.bodyVi ?? null,
      body_en: n.bodyEn ?? null,
      link: n.link ?? null,
      idempotency_key: n.idempotencyKey ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** A person's notifications, newest first. */
export function notificationsOf(
  executor: Executor,
  personId: string,
  opts: { unreadOnly?: boolean; limit?: number } = {},
) {
  let q = executor.selectFrom('notification').selectAll().where('person_id', '=', personId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  return q
    .orderBy('created_at', 'desc')
    .limit(opts.limit ?? 50)
    .execute();
}

/** Marks notifications read (only the person's own); returns how many changed. */
export async function markNotificationsRead(
  executor: Executor,
  personId: string,
  ids: string[],
  at: Date,
): Promise<number> {
  if (!ids.length) return 0;
  const r = await executor
    .updateTable('notification')
    .set({ read_at: at })
    .where('person_id', '=', personId)
    .where('id', 'in', ids)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
