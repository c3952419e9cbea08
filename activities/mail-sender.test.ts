// The outbox sender commits each message as it goes (issue 9 point 2, the smtp-outage drill): while a message is
// in flight, every message sent before it in the same batch is already SENT for any other connection — a process
// killed at that moment sends only the in-flight one again.
import { describe, expect, it } from 'vitest';
import { enqueueMail } from '../db/queries/outbox.ts';
import { startMailCatcher } from '../devstack/mail-catcher.ts';
import { freshDatabase } from '../test/support/database.ts';
import { deliverDueMail, type Mailer, smtpMailer } from './mail-sender.ts';

const { db } = await freshDatabase();

describe('deliverDueMail', () => {
  it('commits every message sent before the one in flight', async () => {
    for (let i = 0; i < 4; i++) {
      await enqueueMail(db, {
        idempotencyKey: `batch:${i}`,
        to: [`p${i}@woms.vn`],
        subject: `s${i}`,
        bodyText: 'b',
      });
    }
    const sentKeys: string[] = [];
    let release!: () => void;
    const hold = new Promise<void>((r) => {
      release = r;
    });
    let inFlight!: () => void;
    const third = new Promise<void>((r) => {
      inFlight = r;
    });
    const mailer: Mailer = {
      async send(row) {
        if (sentKeys.length === 2) {
          inFlight();
          await hold;
        }
        sentKeys.push(row.idempotency_key);
      },
    };
    // a second ahead: the rows' next_attempt_at (PostgreSQL's now(), microseconds) may fall in the same millisecond
    // as a Date taken right after the last insert, which would leave the last row not yet due
    const batch = deliverDueMail(db, mailer, { limit: 20, now: new Date(Date.now() + 1000) });
    await third;
    const midway = await db.selectFrom('mail_outbox').select(['idempotency_key', 'status']).execute();
    expect(midway.filter((r) => r.status === 'SENT').map((r) => r.idempotency_key)).toEqual(sentKeys);
    expect(midway.filter((r) => r.status === 'PENDING')).toHaveLength(2);
    release();
    expect(await batch).toEqual({ sent: 4, failed: 0 });
    const after = await db.selectFrom('mail_outbox').select('status').execute();
    expect(after.every((r) => r.status === 'SENT')).toBe(true);
    expect((await deliverDueMail(db, mailer)).sent).toBe(0);
  });
});

describe('smtpMailer', () => {
  it('sends a batch over one SMTP connection, each message with its own Message-ID, and connects again after the server closed it', async () => {
    const catcher = await startMailCatcher({ smtpPort: 0 });
    const mailer = smtpMailer({ host: '127.0.0.1', port: catcher.smtpPort });
    try {
      for (let i = 0; i < 5; i++)
        await enqueueMail(db, {
          idempotencyKey: `pool:${i}`,
          to: [`q${i}@woms.vn`],
          subject: `p${i}`,
          bodyText: 'b',
        });
      expect(await deliverDueMail(db, mailer, { now: new Date(Date.now() + 1000) })).toEqual({
        sent: 5,
        failed: 0,
      });
      expect(catcher.connections).toBe(1);
      const rows = await db
        .selectFrom('mail_outbox')
        .select('message_id')
        .where('idempotency_key', 'like', 'pool:%')
        .execute();
      expect(catcher.messages.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.message_id).sort());
      // the server drops its connections (an idle timeout, a restart): the next message connects again
      catcher.dropConnections();
      await new Promise((r) => setTimeout(r, 200));
      await enqueueMail(db, {
        idempotencyKey: 'pool:after',
        to: ['r@woms.vn'],
        subject: 'after',
        bodyText: 'b',
      });
      expect(await deliverDueMail(db, mailer, { now: new Date(Date.now() + 1000) })).toEqual({
        sent: 1,
        failed: 0,
      });
      expect(catcher.connections).toBe(2);
    } finally {
      mailer.close();
      await catcher.stop();
    }
  });
});
