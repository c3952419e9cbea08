import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/database.ts';
import { DEMO_PROVINCE_CODE, DEMO_ROSTER, loadDemoProvince } from '../demo/index.ts';
import { translateDbError } from '../errors.ts';
import { employmentsOn, holdersOfRole, rolesOfPerson, unitAncestry } from './org.ts';
import {
  claimDueMail,
  enqueueMail,
  markMailAttemptFailed,
  markMailSent,
  markNotificationsRead,
  messageIdFor,
  notificationsOf,
  notify,
} from './outbox.ts';

const { db } = await freshDatabase();
await loadDemoProvince(db, {
  calendarProfile: {
    id: 'p',
    name: 'p',
    timeZone: 'Asia/Ho_Chi_Minh',
    weekendDays: [6, 7],
    holidays: [],
    makeUpWorkingDays: [],
  },
});
const personId = async (email: string) =>
  (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

describe('org queries', () => {
  it('roles, employment, ancestry and role holders', async () => {
    const sup = DEMO_ROSTER.find((r) => r.key === 'supervisor')!;
    const id = await personId(sup.email);
    const roles = await rolesOfPerson(db, id, '2026-06-01');
    expect(roles.map((r) => `${r.role_code}@${r.scope_code}`).sort()).toEqual([
      'official@STC.QLNS',
      'supervisor@STC.QLNS',
    ]);
    expect(await rolesOfPerson(db, id, '2020-01-01')).toEqual([]);
    const [emp] = await employmentsOn(db, id, '2026-06-01');
    expect(emp).toMatchObject({
      unit_code: 'STC.QLNS',
      position_code: 'truong_phong',
      title_vi: 'Trưởng phòng',
    });
    const chain = await unitAncestry(db, emp!.org_unit_id);
    expect(chain.map((u) => u.code)).toEqual(['STC.QLNS', 'STC', DEMO_PROVINCE_CODE]);
    const stc = chain[1]!;
    const heads = await holdersOfRole(db, 'unit_head', stc.id, '2026-06-01');
    expect(heads.map((h) => h.email)).toEqual(['giamdoc@demo.woms.vn']);
  });
});

describe('mail outbox', () => {
  it('is idempotent by key with a stable Message-ID', async () => {
    const mail = {
      idempotencyKey: 'task:1:reminder:D-3',
      to: ['canbo@demo.woms.vn'],
      subject: 'Nhắc việc',
      bodyText: 'Còn 3 ngày',
    };
    const a = await enqueueMail(db, mail);
    const b = await enqueueMail(db, { ...mail, subject: 'changed' });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, row: { id: a.row.id, subject: 'Nhắc việc' } });
    expect(a.row.message_id).toBe(messageIdFor(mail.idempotencyKey));
    expect(messageIdFor('other')).not.toBe(a.row.message_id);
    expect(a.row.status).toBe('PENDING');
  });

  it('claims due rows once across concurrent senders and records attempts', async () => {
    for (let i = 0; i < 5; i++)
      await enqueueMail(db, { idempotencyKey: `bulk:${i}`, to: ['x@y.vn'], subject: 's', bodyText: 'b' });
    const now = new Date(Date.now() + 1000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstClaim: string[] = [];
    const holder = db.transaction().execute(async (trx) => {
      firstClaim = (await claimDueMail(trx, now, 3)).map((r) => r.id);
      await gate;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = await db
      .transaction()
      .execute(async (trx) => (await claimDueMail(trx, now, 10)).map((r) => r.id));
    release();
    await holder;
    expect(firstClaim).toHaveLength(3);
    expect(second.filter((id) => firstClaim.includes(id))).toEqual([]);
    expect(second).toHaveLength(3); // 6 pending in all
    const [sent, retry, dead] = second as [string, string, string];
    await markMailSent(db, sent, new Date());
    await markMailAttemptFailed(db, retry, 'timeout', new Date(Date.now() + 60_000));
    await markMailAttemptFailed(db, dead, 'mailbox unavailable');
    const rows = await db
      .selectFrom('mail_outbox')
      .select(['id', 'status', 'attempts', 'sent_at'])
      .where('id', 'in', second)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(sent)).toMatchObject({ status: 'SENT', attempts: 1 });
    expect(byId.get(retry)).toMatchObject({ status: 'PENDING', attempts: 1, sent_at: null });
    expect(byId.get(dead)).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect((await claimDueMail(db, now, 10)).map((r) => r.id)).not.toContain(retry);
  });
});

describe('notifications', () => {
  it('are idempotent by key, listed newest first and marked read only by their owner', async () => {
    const me = await personId('canbo@demo.woms.vn');
    const other = await personId('giamdoc@demo.woms.vn');
    const n = {
      personId: me,
      kind: 'task.due',
      titleVi: 'Sắp đến hạn',
      titleEn: 'Due soon',
      idempotencyKey: 'n:1',
    };
    const first = await notify(db, n);
    expect(first).toBeDefined();
    expect(await notify(db, n)).toBeUndefined();
    await notify(db, { ...n, idempotencyKey: 'n:2', titleVi: 'Quá hạn', titleEn: 'Overdue' });
    const list = await notificationsOf(db, me, { unreadOnly: true });
    expect(list).toHaveLength(2);
    expect(await markNotificationsRead(db, other, [first!.id], new Date())).toBe(0);
    expect(await markNotificationsRead(db, me, [first!.id], new Date())).toBe(1);
    expect(await notificationsOf(db, me, { unreadOnly: true })).toHaveLength(1);
    const err = await notify(db, {
      ...n,
      idempotencyKey: 'n:3',
      personId: '00000000-0000-4000-8000-000000000000',
    }).then(
      () => undefined,
      (e) => translateDbError(e),
    );
    expect(err?.code).toBe('NOTIFICATION_PERSON_MISSING');
  });
});
