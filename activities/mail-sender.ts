import nodemailer from 'nodemailer';
import type { Database } from '../db/connection.ts';
import { claimDueMail, markMailAttemptFailed, markMailSent } from '../db/queries/outbox.ts';
import type { MailOutboxRow } from '../db/schema.ts';

// The outbox sender (DESIGN §5: at-least-once e-mail with a stable Message-ID). It runs as a loop in the
// worker process, not as a Temporal activity: the notify activities only write outbox rows in the same
// transaction as the task change, so an SMTP outage never fails or retries a workflow activity, no history
// events are spent per e-mail, and several worker processes can run the loop side by side (rows are claimed
// FOR UPDATE SKIP LOCKED). Only a message in flight when a process dies can be sent twice, and it then
// carries the same Message-ID.

export interface Mailer {
  send(row: MailOutboxRow): Promise<void>;
}

export interface SmtpSettings {
  host: string;
  port: number;
  from?: string;
  secure?: boolean;
}

/**
 * A nodemailer transport to SMTP_HOST/SMTP_PORT that keeps the outbox row's Message-ID. Pooled, with one
 * connection: the sender sends one message at a time, and each no longer opens, greets and quits a connection of
 * its own (a month's opening queues a message per person; unpooled, a province's took over an hour to leave).
 * nodemailer reconnects after an idle close or a failure, and recycles the connection every `maxMessages`.
 */
export function smtpMailer(s: SmtpSettings): Mailer & { close(): void } {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 1,
    maxMessages: 1000,
    host: s.host,
    port: s.port,
    secure: s.secure ?? false,
    ignoreTLS: !s.secure,
  });
  const from = s.from ?? 'WOMS <no-reply@woms.local>';
  return {
    async send(row) {
      await transport.sendMail({
        from,
        to: row.to_addresses,
        subject: row.subject,
        text: row.body_text,
        ...(row.body_html ? { html: row.body_html } : {}),
        messageId: row.message_id,
        headers: { 'X-WOMS-Key': row.idempotency_key },
      });
    },
    close: () => transport.close(),
  };
}

export function smtpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpSettings | undefined {
  if (!env.SMTP_HOST) return undefined;
  return {
    host: env.SMTP_HOST,
    port: Number(env.SMTP_PORT ?? 25),
    ...(env.MAIL_FROM ? { from: env.MAIL_FROM } : {}),
  };
}

/** Backoff for a failed attempt: 30 s, 1, 2, 4 … minutes, capped at 1 h; FAILED after `maxAttempts`. */
export function retryAt(attempts: number, now: Date, maxAttempts = 12): Date | undefined {
  if (attempts + 1 >= maxAttempts) return undefined;
  const ms = Math.min(3_600_000, 30_000 * 2 ** attempts);
  return new Date(now.getTime() + ms);
}

/**
 * Sends up to `limit` due PENDING rows, each claimed, sent and marked SENT in a transaction of its own: a process
 * killed mid-batch has committed every message it sent before the one in flight, so only that one is sent again
 * (with the same Message-ID). A row already SENT is never claimed again (a repeated run is a no-op for it).
 * Returns how many were sent and failed.
 */
export async function deliverDueMail(
  db: Database,
  mailer: Mailer,
  opts: { now?: Date; limit?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 20;
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < limit; i++) {
    const outcome = await db.transaction().execute(async (trx) => {
      const [row] = await claimDueMail(trx, now, 1);
      if (!row) return undefined;
      try {
        await mailer.send(row);
        await markMailSent(trx, row.id, new Date());
        return 'sent' as const;
      } catch (e) {
        await markMailAttemptFailed(trx, row.id, String(e), retryAt(row.attempts, now));
        return 'failed' as const;
      }
    });
    if (!outcome) break;
    if (outcome === 'sent') sent++;
    else failed++;
  }
  return { sent, failed };
}

/** Sends one outbox row by id unless it is already SENT (idempotent resend). */
export async function sendOutboxRow(
  db: Database,
  mailer: Mailer,
  id: string,
): Promise<'sent' | 'already-sent'> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('mail_outbox')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.status === 'SENT') return 'already-sent';
    await mailer.send(row);
    await markMailSent(trx, row.id, new Date());
    return 'sent';
  });
}

export interface MailSenderLoop {
  stop(): Promise<void>;
  /** Runs one pass now (tests). */
  kick(): Promise<void>;
}

/** Polls the outbox every `intervalMs` until stopped. */
export function startMailSender(
  db: Database,
  mailer: Mailer,
  opts: { intervalMs?: number } = {},
): MailSenderLoop {
  const interval = opts.intervalMs ?? 5000;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    try {
      for (;;) {
        const r = await deliverDueMail(db, mailer);
        if (r.sent + r.failed === 0 || stopped) break;
      }
    } catch (e) {
      if (!stopped) console.warn('[mail-sender]', e);
    }
  };
  const tick = () => {
    running = pass().finally(() => {
      if (!stopped) timer = setTimeout(tick, interval);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    async kick() {
      await running;
      await pass();
    },
  };
}
