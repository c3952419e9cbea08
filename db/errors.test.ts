import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../test/support/database.ts';
import { DbRuleError, knownConstraints, registerDbRules, translateDbError } from './errors.ts';

const { db } = await freshDatabase();

// The tables of migrations 0001–0007 (later features register their own rules with registerDbRules).
const CORE_TABLES = [
  'org_unit_type',
  'org_unit',
  'person',
  'job_position',
  'employment',
  'role',
  'role_assignment',
  'approval_chain',
  'approval_chain_step',
  'calendar_profile',
  'calendar_holiday',
  'calendar_make_up_day',
  'audit_log',
  'audit_chain_head',
  'audit_anchor',
  'mail_outbox',
  'notification',
];

async function rejection(p: Promise<unknown>): Promise<DbRuleError> {
  try {
    await p;
  } catch (e) {
    const t = translateDbError(e);
    if (!t) throw new Error(`not translated: ${String(e)}`);
    return t;
  }
  throw new Error('expected the database to reject this');
}

async function expectCode(p: Promise<unknown>, code: string, status: number, constraint?: string) {
  const err = await rejection(p);
  expect(err).toBeInstanceOf(DbRuleError);
  expect({ code: err.code, status: err.status }).toEqual({ code, status });
  if (constraint) expect(err.constraint).toBe(constraint);
  expect(err.messageVi.length).toBeGreaterThan(5);
  expect(err.messageEn.length).toBeGreaterThan(5);
  expect(err.messageVi).not.toBe(err.messageEn);
}

const P = randomUUID();
const P2 = randomUUID();
const A = randomUUID();
const D = randomUUID();
const X = randomUUID();
const Y = randomUUID();
const unit = (o: Partial<Record<string, unknown>> & { id: string }) => ({
  type_code: 'department',
  province_id: P,
  parent_id: A,
  code: `U${o.id.slice(0, 8)}`,
  name_vi: 'Phòng thử',
  active_from: '2025-07-01',
  ...o,
});

beforeAll(async () => {
  await db
    .insertInto('org_unit')
    .values([
      {
        id: P,
        type_code: 'province',
        province_id: P,
        parent_id: null,
        code: 'P',
        name_vi: 'Tỉnh A',
        active_from: '2025-07-01',
      },
      {
        id: P2,
        type_code: 'province',
        province_id: P2,
        parent_id: null,
        code: 'P',
        name_vi: 'Tỉnh B',
        active_from: '2025-07-01',
      },
      {
        id: A,
        type_code: 'agency',
        province_id: P,
        parent_id: P,
        code: 'STC',
        name_vi: 'Sở Tài chính',
        active_from: '2025-07-01',
      },
      {
        id: D,
        type_code: 'department',
        province_id: P,
        parent_id: A,
        code: 'STC.VP',
        name_vi: 'Văn phòng Sở',
        active_from: '2025-07-01',
      },
    ])
    .execute();
  await db
    .insertInto('person')
    .values([
      { id: X, full_name: 'Nguyễn Văn An', email: 'an@demo.woms.vn', duty_group: 'civil_servant' },
      { id: Y, full_name: 'Trần Thị Bình', email: 'binh@demo.woms.vn', duty_group: 'civil_servant' },
    ])
    .execute();
  await db
    .insertInto('job_position')
    .values({ code: 'chuyen_vien', title_vi: 'Chuyên viên', title_en: 'Officer' })
    .execute();
  await db
    .insertInto('employment')
    .values({
      person_id: X,
      org_unit_id: D,
      position_code: 'chuyen_vien',
      valid_from: '2025-07-01',
      valid_to: '2025-12-31',
    })
    .execute();
});

describe('the error catalogue', () => {
  it('names every constraint the core schema declares', async () => {
    const r = await sql<{ conname: string }>`
      SELECT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      JOIN pg_class t ON t.oid = c.conrelid
      WHERE n.nspname = 'public' AND c.contype IN ('c', 'f', 'u', 'p', 'x') AND t.relname = ANY(${CORE_TABLES})`.execute(
      db,
    );
    const names = r.rows.map((x) => x.conname);
    expect(names.length).toBeGreaterThan(60);
    const known = knownConstraints();
    expect(names.filter((n) => !known.includes(n))).toEqual([]);
  });

  it('lets a feature register the rules of its own constraints', async () => {
    registerDbRules({
      test_widget_name_uq: { code: 'WIDGET_NAME_TAKEN', status: 409, vi: 'Tên đã dùng.', en: 'Name taken.' },
    });
    await sql`CREATE TABLE test_widget (name text CONSTRAINT test_widget_name_uq UNIQUE)`.execute(db);
    await sql`INSERT INTO test_widget VALUES ('a')`.execute(db);
    await expectCode(
      sql`INSERT INTO test_widget VALUES ('a')`.execute(db),
      'WIDGET_NAME_TAKEN',
      409,
      'test_widget_name_uq',
    );
    expect(() =>
      registerDbRules({ person_email_uq: { code: 'OTHER', status: 409, vi: 'x', en: 'y' } }),
    ).toThrow(/already mapped/);
  });

  it('leaves non-database errors alone and falls back on SQLSTATE', async () => {
    expect(translateDbError(new Error('boom'))).toBeUndefined();
    expect(translateDbError((await rejection(sql`SELECT 'x'::uuid`.execute(db))).cause)?.code).toBe(
      'INVALID_INPUT',
    );
    const wrapped = translateDbError(
      new Error('outer', { cause: { code: '23505', message: 'dup', constraint: 'nope' } }),
    );
    expect(wrapped?.code).toBe('UNIQUE_VIOLATION');
    await expect(sql`SELEC 1`.execute(db).catch((e) => translateDbError(e))).resolves.toBeUndefined();
  });
});

describe('org units', () => {
  it('unique code per province, but the same code in another province is fine', async () => {
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), code: 'STC', type_code: 'agency', parent_id: P }))
        .execute(),
      'ORG_UNIT_CODE_TAKEN',
      409,
      'org_unit_code_uq',
    );
    await db
      .insertInto('org_unit')
      .values(unit({ id: randomUUID(), code: 'STC', type_code: 'agency', province_id: P2, parent_id: P2 }))
      .execute();
  });
  it('parent must exist in the same province', async () => {
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), parent_id: randomUUID() }))
        .execute(),
      'ORG_UNIT_PARENT_MISSING',
      422,
      'org_unit_parent_fk',
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), province_id: P2, parent_id: A }))
        .execute(),
      'ORG_UNIT_PARENT_MISSING',
      422,
    );
  });
  it('deleting a unit with sub-units is refused', async () => {
    await expectCode(
      db.deleteFrom('org_unit').where('id', '=', A).execute(),
      'ORG_UNIT_HAS_CHILDREN',
      409,
      'org_unit_parent_fk',
    );
  });
  it('unknown type, missing province, bad root', async () => {
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), type_code: 'galaxy' }))
        .execute(),
      'ORG_UNIT_TYPE_UNKNOWN',
      422,
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), province_id: randomUUID(), parent_id: null, type_code: 'agency' }))
        .execute(),
      'ORG_UNIT_ROOT_INVALID',
      422,
      'org_unit_root_ck',
    );
    const id = randomUUID();
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id, type_code: 'province', province_id: id, parent_id: P }))
        .execute(),
      'ORG_UNIT_ROOT_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), province_id: randomUUID() }))
        .execute(),
      'ORG_UNIT_PROVINCE_MISSING',
      422,
      'org_unit_province_fk',
    );
  });
  it('province_id must name a province', async () => {
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), province_id: A, parent_id: A }))
        .execute(),
      'ORG_UNIT_PROVINCE_INVALID',
      422,
      'org_unit_province_type_ck',
    );
  });
  it('no cycles', async () => {
    await expectCode(
      db.updateTable('org_unit').set({ parent_id: D }).where('id', '=', A).execute(),
      'ORG_UNIT_CYCLE',
      422,
      'org_unit_cycle_ck',
    );
    await expectCode(
      db.updateTable('org_unit').set({ parent_id: A }).where('id', '=', A).execute(),
      'ORG_UNIT_CYCLE',
      422,
    );
  });
  it('period, merge, code and name rules', async () => {
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), active_to: '2025-01-01' }))
        .execute(),
      'ORG_UNIT_PERIOD_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), merged_into_id: A }))
        .execute(),
      'ORG_UNIT_MERGE_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), merged_into_id: randomUUID(), active_to: '2025-12-31' }))
        .execute(),
      'ORG_UNIT_MERGE_TARGET_MISSING',
      422,
      'org_unit_merged_into_fk',
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), code: 'có dấu' }))
        .execute(),
      'ORG_UNIT_CODE_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: randomUUID(), name_vi: '  ' }))
        .execute(),
      'ORG_UNIT_NAME_REQUIRED',
      422,
    );
    await expectCode(
      db
        .insertInto('org_unit')
        .values(unit({ id: D }))
        .execute(),
      'ORG_UNIT_EXISTS',
      409,
    );
  });
});

describe('people and employment', () => {
  it('email is unique and lower case', async () => {
    await expectCode(
      db
        .insertInto('person')
        .values({ full_name: 'Lê An', email: 'an@demo.woms.vn', duty_group: 'cadre' })
        .execute(),
      'PERSON_EMAIL_TAKEN',
      409,
      'person_email_uq',
    );
    await expectCode(
      db
        .insertInto('person')
        .values({ full_name: 'Lê An', email: 'An@Demo.woms.vn', duty_group: 'cadre' })
        .execute(),
      'PERSON_EMAIL_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('person')
        .values({ full_name: 'Lê An', email: 'no-at-sign', duty_group: 'cadre' })
        .execute(),
      'PERSON_EMAIL_INVALID',
      422,
    );
  });
  it('duty group and name', async () => {
    await expectCode(
      db
        .insertInto('person')
        .values({ full_name: 'Lê An', email: 'le@x.vn', duty_group: 'boss' as never })
        .execute(),
      'PERSON_DUTY_GROUP_INVALID',
      422,
    );
    await expectCode(
      db.insertInto('person').values({ full_name: '', email: 'le2@x.vn', duty_group: 'cadre' }).execute(),
      'PERSON_NAME_REQUIRED',
      422,
    );
    await expectCode(
      sql`INSERT INTO person (email, duty_group) VALUES ('n@x.vn', 'cadre')`.execute(db),
      'VALUE_REQUIRED',
      422,
    );
  });
  it('no overlapping employment periods for a person, except concurrent posts', async () => {
    const base = { person_id: X, org_unit_id: A, position_code: 'chuyen_vien' };
    await expectCode(
      db
        .insertInto('employment')
        .values({ ...base, valid_from: '2025-12-31', valid_to: null })
        .execute(),
      'EMPLOYMENT_PERIODS_OVERLAP',
      422,
      'employment_no_overlap_ex',
    );
    await expectCode(
      db
        .insertInto('employment')
        .values({ ...base, valid_from: '2025-01-01', valid_to: '2025-07-01' })
        .execute(),
      'EMPLOYMENT_PERIODS_OVERLAP',
      422,
    );
    // adjacent periods and concurrent posts are fine; another person is unaffected
    await db
      .insertInto('employment')
      .values({ ...base, valid_from: '2026-01-01', valid_to: null })
      .execute();
    await db
      .insertInto('employment')
      .values({ ...base, valid_from: '2025-08-01', valid_to: null, is_concurrent: true })
      .execute();
    await db
      .insertInto('employment')
      .values({ ...base, person_id: Y, valid_from: '2025-08-01', valid_to: null })
      .execute();
  });
  it('period order and references', async () => {
    const base = { person_id: Y, org_unit_id: A, position_code: 'chuyen_vien', valid_to: '2020-12-31' };
    await expectCode(
      db
        .insertInto('employment')
        .values({ ...base, valid_from: '2020-02-01', valid_to: '2020-01-01' })
        .execute(),
      'EMPLOYMENT_PERIOD_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('employment')
        .values({ ...base, person_id: randomUUID(), valid_from: '2020-01-01' })
        .execute(),
      'EMPLOYMENT_PERSON_MISSING',
      422,
    );
    await expectCode(
      db
        .insertInto('employment')
        .values({ ...base, org_unit_id: randomUUID(), valid_from: '2020-01-01' })
        .execute(),
      'EMPLOYMENT_UNIT_MISSING',
      422,
    );
    await expectCode(
      db
        .insertInto('employment')
        .values({ ...base, position_code: 'vua', valid_from: '2020-01-01' })
        .execute(),
      'EMPLOYMENT_POSITION_UNKNOWN',
      422,
    );
    await expectCode(db.deleteFrom('person').where('id', '=', X).execute(), 'PERSON_IN_USE', 409);
    await expectCode(
      db.deleteFrom('job_position').where('code', '=', 'chuyen_vien').execute(),
      'POSITION_IN_USE',
      409,
    );
    await expectCode(
      db.insertInto('job_position').values({ code: 'chuyen_vien', title_vi: 'x', title_en: 'x' }).execute(),
      'POSITION_CODE_TAKEN',
      409,
    );
    await expectCode(
      db.insertInto('job_position').values({ code: 'Bad Code', title_vi: 'x', title_en: 'x' }).execute(),
      'POSITION_CODE_INVALID',
      422,
    );
  });
});

describe('roles and approval chains', () => {
  it('role assignments', async () => {
    const base = {
      person_id: Y,
      role_code: 'supervisor' as const,
      scope_unit_id: D,
      valid_from: '2025-07-01',
    };
    await db.insertInto('role_assignment').values(base).execute();
    await expectCode(
      db
        .insertInto('role_assignment')
        .values({ ...base, valid_from: '2026-01-01' })
        .execute(),
      'ROLE_ASSIGNMENT_OVERLAP',
      422,
      'role_assignment_no_overlap_ex',
    );
    await db
      .insertInto('role_assignment')
      .values({ ...base, scope_unit_id: A })
      .execute();
    await expectCode(
      db
        .insertInto('role_assignment')
        .values({ ...base, role_code: 'king' as never })
        .execute(),
      'ROLE_UNKNOWN',
      422,
    );
    await expectCode(
      db
        .insertInto('role_assignment')
        .values({ ...base, scope_unit_id: randomUUID() })
        .execute(),
      'ROLE_SCOPE_MISSING',
      422,
    );
    await expectCode(
      db
        .insertInto('role_assignment')
        .values({ ...base, person_id: randomUUID() })
        .execute(),
      'ROLE_ASSIGNMENT_PERSON_MISSING',
      422,
    );
    await expectCode(
      db
        .insertInto('role_assignment')
        .values({ ...base, role_code: 'auditor', valid_to: '2000-01-01' })
        .execute(),
      'ROLE_ASSIGNMENT_PERIOD_INVALID',
      422,
    );
    await expectCode(db.deleteFrom('role').where('code', '=', 'supervisor').execute(), 'ROLE_IN_USE', 409);
  });
  it('approval chains', async () => {
    const chain = await db
      .insertInto('approval_chain')
      .values({ province_id: P, unit_type_code: 'agency', subject: 'plan' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expectCode(
      db
        .insertInto('approval_chain')
        .values({ province_id: P, unit_type_code: 'agency', subject: 'plan' })
        .execute(),
      'APPROVAL_CHAIN_EXISTS',
      409,
      'approval_chain_uq',
    );
    await expectCode(
      db
        .insertInto('approval_chain')
        .values({ province_id: P, unit_type_code: 'agency', subject: 'lunch' as never })
        .execute(),
      'APPROVAL_CHAIN_SUBJECT_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('approval_chain')
        .values({ province_id: P, unit_type_code: 'x', subject: 'plan' })
        .execute(),
      'ORG_UNIT_TYPE_UNKNOWN',
      422,
    );
    const step = {
      chain_id: chain.id,
      step_no: 1,
      role_code: 'secretariat' as const,
      scope: 'province' as const,
    };
    await db.insertInto('approval_chain_step').values(step).execute();
    await expectCode(
      db.insertInto('approval_chain_step').values(step).execute(),
      'APPROVAL_STEP_DUPLICATE',
      409,
    );
    await expectCode(
      db
        .insertInto('approval_chain_step')
        .values({ ...step, step_no: 0 })
        .execute(),
      'APPROVAL_STEP_NO_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('approval_chain_step')
        .values({ ...step, step_no: 2, scope: 'moon' as never })
        .execute(),
      'APPROVAL_STEP_SCOPE_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('approval_chain_step')
        .values({ ...step, step_no: 2, role_code: 'auditor' })
        .execute(),
      'APPROVAL_STEP_ROLE_NOT_APPROVER',
      422,
    );
    await expectCode(
      db
        .insertInto('approval_chain_step')
        .values({ ...step, chain_id: randomUUID() })
        .execute(),
      'APPROVAL_CHAIN_MISSING',
      422,
    );
  });
});

describe('calendar profiles', () => {
  it('rules', async () => {
    await db.insertInto('calendar_profile').values({ id: 'cal', province_id: P, name: 'Lịch' }).execute();
    await expectCode(
      db.insertInto('calendar_profile').values({ id: 'cal', name: 'x' }).execute(),
      'CALENDAR_PROFILE_EXISTS',
      409,
    );
    await expectCode(
      db
        .insertInto('calendar_profile')
        .values({ id: 'c2', name: 'x', weekend_days: [0] })
        .execute(),
      'CALENDAR_WEEKEND_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('calendar_profile')
        .values({ id: 'c3', name: 'x', weekend_days: [1, 2, 3, 4, 5, 6, 7] })
        .execute(),
      'CALENDAR_WEEKEND_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('calendar_profile')
        .values({ id: 'c4', name: 'x', time_zone: 'UTC' as never })
        .execute(),
      'CALENDAR_TIME_ZONE_INVALID',
      422,
    );
    await expectCode(
      db.insertInto('calendar_profile').values({ id: 'c5', name: 'x', deadline_settings: '[1]' }).execute(),
      'CALENDAR_DEADLINE_SETTINGS_INVALID',
      422,
    );
    await expectCode(
      db.insertInto('calendar_profile').values({ id: 'c6', name: 'x', province_id: randomUUID() }).execute(),
      'CALENDAR_PROFILE_PROVINCE_MISSING',
      422,
    );
    const h = { profile_id: 'cal', day: '2026-09-02', name_vi: 'Quốc khánh', name_en: 'National Day' };
    await db.insertInto('calendar_holiday').values(h).execute();
    await expectCode(
      db.insertInto('calendar_holiday').values(h).execute(),
      'CALENDAR_HOLIDAY_DUPLICATE',
      409,
    );
    await expectCode(
      db
        .insertInto('calendar_holiday')
        .values({ ...h, profile_id: 'nope' })
        .execute(),
      'CALENDAR_PROFILE_MISSING',
      422,
    );
    await db.insertInto('calendar_make_up_day').values({ profile_id: 'cal', day: '2026-01-10' }).execute();
    await expectCode(
      db.insertInto('calendar_make_up_day').values({ profile_id: 'cal', day: '2026-01-10' }).execute(),
      'CALENDAR_MAKE_UP_DAY_DUPLICATE',
      409,
    );
    await expectCode(
      db
        .insertInto('calendar_holiday')
        .values({ ...h, day: '2026-02-30' })
        .execute(),
      'INVALID_DATE',
      422,
    );
  });
});

describe('mail outbox and notifications', () => {
  const mail = (o: Record<string, unknown> = {}) => ({
    idempotency_key: 'k1',
    message_id: '<k1@woms.demo>',
    to_addresses: ['an@demo.woms.vn'],
    subject: 'Nhắc việc',
    body_text: 'Xin chào',
    ...o,
  });
  it('outbox rules', async () => {
    await db.insertInto('mail_outbox').values(mail()).execute();
    await expectCode(
      db
        .insertInto('mail_outbox')
        .values(mail({ message_id: '<k2@woms.demo>' }))
        .execute(),
      'MAIL_IDEMPOTENCY_KEY_TAKEN',
      409,
      'mail_outbox_idempotency_key_uq',
    );
    await expectCode(
      db
        .insertInto('mail_outbox')
        .values(mail({ idempotency_key: 'k2' }))
        .execute(),
      'MAIL_MESSAGE_ID_TAKEN',
      409,
    );
    await expectCode(
      db
        .insertInto('mail_outbox')
        .values(mail({ idempotency_key: 'k3', message_id: 'k3' }))
        .execute(),
      'MAIL_MESSAGE_ID_INVALID',
      422,
    );
    await expectCode(
      db
        .insertInto('mail_outbox')
        .values(mail({ idempotency_key: 'k4', message_id: '<k4@x>', to_addresses: [] }))
        .execute(),
      'MAIL_RECIPIENT_REQUIRED',
      422,
    );
    await expectCode(
      db
        .updateTable('mail_outbox')
        .set({ status: 'LOST' as never })
        .execute(),
      'MAIL_STATUS_INVALID',
      422,
    );
    await expectCode(
      db.updateTable('mail_outbox').set({ status: 'SENT' }).execute(),
      'MAIL_SENT_AT_INCONSISTENT',
      422,
    );
    await expectCode(
      db.updateTable('mail_outbox').set({ attempts: -1 }).execute(),
      'MAIL_ATTEMPTS_INVALID',
      422,
    );
    await db.updateTable('mail_outbox').set({ status: 'SENT', sent_at: new Date(), attempts: 1 }).execute();
    await expectCode(
      db
        .insertInto('mail_outbox')
        .values(mail({ idempotency_key: 'k5', message_id: '<k5@x>', person_id: randomUUID() }))
        .execute(),
      'MAIL_PERSON_MISSING',
      422,
    );
  });
  it('notification rules', async () => {
    const n = {
      person_id: Y,
      kind: 'task.due',
      title_vi: 'Sắp đến hạn',
      title_en: 'Due soon',
      idempotency_key: 'n1',
    };
    await db.insertInto('notification').values(n).execute();
    await expectCode(db.insertInto('notification').values(n).execute(), 'NOTIFICATION_DUPLICATE', 409);
    await expectCode(
      db
        .insertInto('notification')
        .values({ ...n, idempotency_key: null, person_id: randomUUID() })
        .execute(),
      'NOTIFICATION_PERSON_MISSING',
      422,
    );
    await expectCode(
      db.updateTable('notification').set({ read_at: '2000-01-01T00:00:00Z' }).execute(),
      'NOTIFICATION_READ_BEFORE_CREATED',
      422,
    );
  });
});
