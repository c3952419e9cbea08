// The monthly unit report's data (db/queries/monthly-reports.ts) on real PostgreSQL: verified values of the
// unit's and its sub-units' people, cascaded through an intermediate plan (a person's key result → a
// department's → the unit's), combined by the unit key result's rule per month and year to date; a quarterly
// key result listed only in its quarter's last month; the heading fields; a department is no report unit; the
// frozen copy written once and immutable.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KeyResult, Plan } from '../../domain/plan/model.ts';
import { type PlanPeople, seedPlanPeople } from '../../test/support/annual-plan.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildMonthlyUnitReport, reportUnitOf } from './monthly-reports.ts';
import { createPlanVersion } from './plans.ts';
import { insertSentUnitReport } from './sent-unit-reports.ts';

const { db } = await freshDatabase();

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '1200',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

async function planInForce(
  id: string,
  o: { unitId: string; personId?: string },
  keyResults: KeyResult[],
): Promise<string> {
  await db
    .insertInto('plan')
    .values({
      id,
      owner_kind: o.personId ? 'person' : 'unit',
      unit_id: o.unitId,
      person_id: o.personId ?? null,
      year: 2027,
      status: 'APPROVED',
      workflow_id: null,
      submitted_version_id: null,
      in_force_version_id: null,
      next_deadline_at: null,
    })
    .execute();
  const content: Plan = {
    id,
    year: 2027,
    owner: o.personId ? { kind: 'person', personId: o.personId } : { kind: 'unit', unitId: o.unitId },
    tasks: [{ id: 't', title: 'Nhiệm vụ trọng tâm', perspective: 'citizens', weight: '1', keyResults }],
  };
  const v = await createPlanVersion(db, {
    planId: id,
    content: { ...content, sections: [] },
    createdBy: 'test',
  });
  await db.updateTable('plan').set({ in_force_version_id: v.id }).where('id', '=', id).execute();
  return v.id;
}

async function value(
  personId: string,
  unitId: string,
  period: string,
  planId: string,
  versionId: string,
  krId: string,
  v: string,
  verifiedBy: string | null,
) {
  await db
    .insertInto('check_in')
    .values({ person_id: personId, unit_id: unitId, period, workflow_id: null })
    .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
    .execute();
  const ci = await db
    .selectFrom('check_in')
    .select('id')
    .where('person_id', '=', personId)
    .where('period', '=', period)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('check_in_value')
    .values({
      check_in_id: ci.id,
      plan_id: planId,
      plan_version_id: versionId,
      key_result_id: krId,
      value: v,
      kr_status: 'on-track',
      updated_by: personId,
      ...(verifiedBy ? { verification: 'verified', verified_by: verifiedBy, verified_at: new Date() } : {}),
    })
    .execute();
}

let p: PlanPeople;
let dept: { id: string };

beforeAll(async () => {
  p = await seedPlanPeople(db);
  dept = await db
    .insertInto('org_unit')
    .values({
      type_code: 'department',
      province_id: p.provinceId,
      parent_id: p.unitId,
      code: `D-${randomUUID().slice(0, 6)}`,
      name_vi: 'Phòng Cải cách hành chính',
      active_from: '2025-01-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const unitPlan = `plan:2027:unit:${p.unitId}`;
  const deptPlan = `plan:2027:unit:${dept.id}`;
  const personPlan = `plan:2027:person:${p.drafter}`;
  const uv = await planInForce(unitPlan, { unitId: p.unitId }, [
    kr('k1', { title: 'Hồ sơ được số hóa', periodTargets: { '2027-06': '100' } }),
    kr('kq', {
      title: 'Kỳ họp giao ban quý',
      cadence: 'quarter',
      aggregation: 'last',
      periodTargets: { '2027-Q2': '30' },
    }),
  ]);
  const dv = await planInForce(deptPlan, { unitId: dept.id }, [kr('d1', { parentKeyResultId: 'k1' })]);
  const pv = await planInForce(personPlan, { unitId: dept.id, personId: p.drafter }, [
    kr('p1', { parentKeyResultId: 'd1' }),
  ]);
  await value(p.drafter, dept.id, '2027-05', personPlan, pv, 'p1', '10', p.supervisor);
  await value(p.drafter, dept.id, '2027-06', personPlan, pv, 'p1', '40', p.supervisor);
  await value(p.drafter, dept.id, '2027-06', unitPlan, uv, 'kq', '25', p.supervisor);
  await value(p.supervisor, dept.id, '2027-06', deptPlan, dv, 'd1', '60', p.head);
  // Waiting for verification: not counted.
  await value(p.committee, dept.id, '2027-06', deptPlan, dv, 'd1', '500', null);
});

describe('the monthly unit report from verified values', () => {
  it('combines the cascaded values by the unit key result’s rule, month and year to date', async () => {
    const june = (await buildMonthlyUnitReport(db, {
      unitId: p.unitId,
      period: '2027-06',
      date: '2027-07-12',
    }))!;
    const rows = june.report.perspectives.flatMap((x) => x.tasks).flatMap((t) => t.keyResults);
    const k1 = rows.find((r) => r.title === 'Hồ sơ được số hóa')!;
    expect([k1.monthTarget, k1.verifiedValue, k1.yearToDate, k1.attainment, k1.status]).toEqual([
      '100',
      '100',
      '110',
      '1',
      'on_track',
    ]);
    expect(k1.note).toBe('Còn 1 giá trị chưa xác nhận, chưa tính');
    const kq = rows.find((r) => r.title === 'Kỳ họp giao ban quý')!;
    expect([kq.monthTarget, kq.verifiedValue]).toEqual(['30', '25']);
    expect(june.countedValues).toBe(3);
    expect(june.unverifiedValues).toBe(1);
    expect(june.report.summary).toMatchObject({ keyResults: 2, unverified: 0 });

    // May: the quarterly key result is not due; k1 has only the person's 10.
    const may = (await buildMonthlyUnitReport(db, {
      unitId: p.unitId,
      period: '2027-05',
      date: '2027-06-14',
    }))!;
    const mayRows = may.report.perspectives.flatMap((x) => x.tasks).flatMap((t) => t.keyResults);
    expect(mayRows.map((r) => [r.title, r.verifiedValue])).toEqual([['Hồ sơ được số hóa', '10']]);
  });

  it('fills the heading: superior body, unit, symbol, place, date, number, signer', async () => {
    const r = (await buildMonthlyUnitReport(db, {
      unitId: p.unitId,
      period: '2027-06',
      date: '2027-07-12',
      number: '3',
    }))!.report;
    const province = await db
      .selectFrom('org_unit')
      .select('name_vi')
      .where('id', '=', p.provinceId)
      .executeTakeFirstOrThrow();
    const place = province.name_vi.replace(/^Tỉnh /, '');
    expect(r).toMatchObject({
      superiorBody: `Ủy ban nhân dân tỉnh ${place}`,
      issuingBody: 'Sở Nội vụ',
      symbol: 'BC-SNV',
      place,
      date: '2027-07-12',
      number: '3',
      period: { year: 2027, month: 6 },
      signer: { title: 'THỦ TRƯỞNG ĐƠN VỊ', name: 'Lê Văn Giám' },
    });
  });

  it('is only for a unit directly under its province', async () => {
    expect(await reportUnitOf(db, dept.id)).toBeUndefined();
    expect(
      await buildMonthlyUnitReport(db, { unitId: dept.id, period: '2027-06', date: '2027-07-12' }),
    ).toBeUndefined();
  });

  it('writes the sent copy once; it is immutable', async () => {
    const built = (await buildMonthlyUnitReport(db, {
      unitId: p.unitId,
      period: '2027-06',
      date: '2027-07-12',
    }))!;
    const files = { pdf: Buffer.from('%PDF-1.7 test'), xlsx: Buffer.from('PK test') };
    const write = (by: string) =>
      insertSentUnitReport(db, 'monthly', {
        unitId: p.unitId,
        period: '2027-06',
        number: null,
        date: '2027-07-12',
        model: built.report,
        ...files,
        workflowId: 'unit-report:2027-06:unit:x',
        sentBy: by,
      });
    const first = await write(p.head);
    expect(first.created).toBe(true);
    const second = await write(p.supervisor);
    expect(second.created).toBe(false);
    expect(second.row.sent_by).toBe(p.head);
    await expect(
      db.updateTable('monthly_unit_report').set({ number: '9' }).where('unit_id', '=', p.unitId).execute(),
    ).rejects.toThrow(/immutable/);
    await expect(
      db
        .insertInto('monthly_unit_report')
        .values({
          unit_id: p.unitId,
          period: '2027-07',
          number: null,
          report_date: '2027-08-12',
          model: '{}',
          model_sha256: 'a'.repeat(64),
          pdf: files.pdf,
          pdf_sha256: 'b'.repeat(64),
          xlsx: files.xlsx,
          xlsx_sha256: 'c'.repeat(64),
          workflow_id: 'w',
          sent_by: p.head,
        })
        .execute(),
    ).rejects.toThrow(/monthly_unit_report_pdf_ck/);
  });
});
