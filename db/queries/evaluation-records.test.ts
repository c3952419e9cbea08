// The exported evaluation-record queries (issue 8 point 3; the contract the ranking uses), on a real database:
// the year filter, revoked records left out, people and units (with the units inside them) matched, the duty
// group and the Party membership as of a date.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/database.ts';
import {
  conclusionRecordsOf,
  disciplineRecordsOf,
  dutyGroupsOf,
  partyMembersOf,
} from './evaluation-records.ts';

const { db } = await freshDatabase();
const id = () => randomUUID();
const P = id();
const A = id();
const AD = id();
const B = id();
const [p1, p2, p3, clerk] = [id(), id(), id(), id()];

async function record(o: {
  kind?: 'discipline' | 'conclusion';
  person?: string;
  unit: string;
  date: string;
  revoked?: boolean;
  number?: string;
}) {
  const kind = o.kind ?? 'discipline';
  await db
    .insertInto('evaluation_record')
    .values({
      record_kind: kind,
      subject_kind: o.person ? 'person' : 'unit',
      person_id: o.person ?? null,
      unit_id: o.unit,
      discipline_type: kind === 'discipline' ? 'party' : null,
      discipline_form: kind === 'discipline' ? 'canhCao' : null,
      conclusion_kind: kind === 'conclusion' ? 'wasteInUnit' : null,
      decision_number: o.number ?? `${o.date}-QĐ`,
      decided_on: o.date,
      issuer: 'Ủy ban kiểm tra Tỉnh ủy',
      created_by: clerk,
      ...(o.revoked ? { revoked_at: new Date(), revoked_by: clerk, revoke_reason: 'Nhầm người' } : {}),
    })
    .execute();
}

beforeAll(async () => {
  await db
    .insertInto('org_unit')
    .values([
      {
        id: P,
        type_code: 'province',
        province_id: P,
        parent_id: null,
        code: `P${P.slice(0, 4)}`,
        name_vi: 'Tỉnh',
        active_from: '2025-01-01',
      },
      {
        id: A,
        type_code: 'agency',
        province_id: P,
        parent_id: P,
        code: 'A',
        name_vi: 'Sở A',
        active_from: '2025-01-01',
      },
      {
        id: AD,
        type_code: 'department',
        province_id: P,
        parent_id: A,
        code: 'A.D',
        name_vi: 'Phòng',
        active_from: '2025-01-01',
      },
      {
        id: B,
        type_code: 'agency',
        province_id: P,
        parent_id: P,
        code: 'B',
        name_vi: 'Sở B',
        active_from: '2025-01-01',
      },
    ])
    .execute();
  await db
    .insertInto('person')
    .values(
      [p1, p2, p3, clerk].map((pid, i) => ({
        id: pid,
        full_name: `Người ${i}`,
        email: `${pid.slice(0, 8)}@t.vn`,
        duty_group: 'civil_servant' as const,
      })),
    )
    .execute();
  await record({ person: p1, unit: AD, date: '2026-03-01', number: 'p1-2026' });
  await record({ person: p1, unit: AD, date: '2025-12-31', number: 'p1-2025' });
  await record({ person: p1, unit: AD, date: '2026-05-05', revoked: true, number: 'p1-revoked' });
  await record({ person: p2, unit: B, date: '2026-01-01', number: 'p2-2026' });
  await record({ unit: A, date: '2026-12-31', number: 'A-2026' });
  await record({ kind: 'conclusion', unit: B, date: '2026-07-07', number: 'B-waste' });
  await record({ kind: 'conclusion', person: p1, unit: AD, date: '2027-01-01', number: 'p1-2027' });
});

describe('disciplineRecordsOf', () => {
  it('answers the records in force dated in the year, about the given people', async () => {
    const r = await disciplineRecordsOf(db, { personIds: [p1], year: 2026 });
    expect(r).toEqual([
      {
        subjectId: p1,
        type: 'party',
        form: 'canhCao',
        decisionNumber: 'p1-2026',
        date: '2026-03-01',
        issuer: 'Ủy ban kiểm tra Tỉnh ủy',
      },
    ]);
    expect(
      (await disciplineRecordsOf(db, { personIds: [p1], year: 2025 })).map((x) => x.decisionNumber),
    ).toEqual(['p1-2025']);
  });

  it('matches a unit, the units inside it and their people; either list', async () => {
    const a = await disciplineRecordsOf(db, { unitIds: [A], year: 2026 });
    expect(a.map((x) => [x.decisionNumber, x.subjectId])).toEqual([
      ['p1-2026', p1],
      ['A-2026', A],
    ]);
    const both = await disciplineRecordsOf(db, { unitIds: [A], personIds: [p2], year: 2026 });
    expect(both.map((x) => x.decisionNumber).sort()).toEqual(['A-2026', 'p1-2026', 'p2-2026']);
    expect(await disciplineRecordsOf(db, { personIds: [p3], year: 2026 })).toEqual([]);
    expect(await disciplineRecordsOf(db, { year: 2026 })).toEqual([]);
  });
});

describe('conclusionRecordsOf', () => {
  it('answers conclusions only, by year', async () => {
    expect(await conclusionRecordsOf(db, { unitIds: [B], year: 2026 })).toEqual([
      {
        kind: 'wasteInUnit',
        subjectId: B,
        decisionNumber: 'B-waste',
        date: '2026-07-07',
        issuer: 'Ủy ban kiểm tra Tỉnh ủy',
      },
    ]);
    expect(
      (await conclusionRecordsOf(db, { personIds: [p1], year: 2027 })).map((x) => x.decisionNumber),
    ).toEqual(['p1-2027']);
    expect(await conclusionRecordsOf(db, { personIds: [p1], year: 2026 })).toEqual([]);
  });
});

describe('dutyGroupsOf and partyMembersOf', () => {
  beforeAll(async () => {
    await db
      .insertInto('person_duty_group')
      .values([
        { person_id: p1, effective_from: '2026-01-01', unit_id: A, duty_group: 'chuyen-vien', set_by: clerk },
        {
          person_id: p1,
          effective_from: '2026-07-01',
          unit_id: A,
          duty_group: 'lanh-dao-phong',
          set_by: clerk,
        },
        { person_id: p2, effective_from: '2027-01-01', unit_id: B, duty_group: 'chuyen-vien', set_by: clerk },
      ])
      .execute();
    await db
      .insertInto('person_party_membership')
      .values([
        { person_id: p1, effective_from: '2010-01-01', is_member: true, set_by: clerk },
        { person_id: p1, effective_from: '2026-09-01', is_member: false, set_by: clerk },
        { person_id: p2, effective_from: '2026-06-01', is_member: true, set_by: clerk },
      ])
      .execute();
  });

  it('answers the duty group in force on the date, default otherwise', async () => {
    const on = (asOf: string) => dutyGroupsOf(db, { personIds: [p1, p2, p3], asOf });
    expect(Object.fromEntries(await on('2026-06-30'))).toEqual({
      [p1]: 'chuyen-vien',
      [p2]: 'default',
      [p3]: 'default',
    });
    expect((await on('2026-07-01')).get(p1)).toBe('lanh-dao-phong');
    expect((await on('2025-12-31')).get(p1)).toBe('default');
    expect((await on('2027-01-01')).get(p2)).toBe('chuyen-vien');
    expect(await dutyGroupsOf(db, { personIds: [], asOf: '2026-01-01' })).toEqual(new Map());
  });

  it('answers the Party members on the date', async () => {
    expect(await partyMembersOf(db, { personIds: [p1, p2, p3], asOf: '2026-05-31' })).toEqual(new Set([p1]));
    expect(await partyMembersOf(db, { personIds: [p1, p2, p3], asOf: '2026-12-31' })).toEqual(new Set([p2]));
  });
});
