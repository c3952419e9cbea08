// The dashboards' reads (db/queries/dashboards.ts) on real PostgreSQL: verified values only, grouped by plan, key
// result and month in the order they were verified (a milestone's done as 1); one key result's values with their
// reporter and evidence; a person's own values, verified or not; and the indexes the province-scale statements
// can use (checked on the plan PostgreSQL makes with sequential scans switched off).
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdf } from '../../domain/evidence/test-files.ts';
import { type PlanPeople, seedPlanPeople } from '../../test/support/annual-plan.ts';
import { dashKr, seedUnitPlan, seedVerifiedValue } from '../../test/support/dashboard-seed.ts';
import { freshDatabase } from '../../test/support/database.ts';
import {
  personValuesOf,
  topUnitsOf,
  unitPlansInForce,
  verifiedValueDetails,
  verifiedValuesOfPlans,
} from './dashboards.ts';

const { db } = await freshDatabase();
let p: PlanPeople;
let plan: { planId: string; versionId: string };

beforeAll(async () => {
  p = await seedPlanPeople(db);
  plan = await seedUnitPlan(db, {
    unitId: p.unitId,
    year: 2027,
    createdBy: p.head,
    tasks: [
      {
        perspective: 'citizens',
        keyResults: [dashKr('k1'), dashKr('m1', { direction: { kind: 'milestone', dueDate: '2027-06-30' } })],
      },
    ],
  });
  const v = (personId: string, period: string, krId: string, value: string, verified = true) =>
    seedVerifiedValue(db, {
      personId,
      unitId: p.unitId,
      period,
      plan,
      krId,
      value,
      verifiedBy: p.head,
      verified,
    });
  await seedVerifiedValue(db, {
    personId: p.drafter,
    unitId: p.unitId,
    period: '2027-01',
    plan,
    krId: 'k1',
    value: '10',
    verifiedBy: p.head,
    evidence: { fileName: 'bien-ban.pdf', bytes: pdf() },
  });
  await v(p.supervisor, '2027-01', 'k1', '5');
  await v(p.drafter, '2027-02', 'k1', '7', false);
  await v(p.drafter, '2027-03', 'k1', '9');
  // a milestone reported as done
  const ci = await db
    .selectFrom('check_in')
    .select('id')
    .where('person_id', '=', p.supervisor)
    .where('period', '=', '2027-01')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('check_in_value')
    .values({
      check_in_id: ci.id,
      plan_id: plan.planId,
      plan_version_id: plan.versionId,
      key_result_id: 'm1',
      done: true,
      updated_by: p.supervisor,
      verification: 'verified',
      verified_by: p.head,
      verified_at: new Date(),
    })
    .execute();
});

describe('the dashboards reads', () => {
  it('lists the units and plans in force of the province', async () => {
    const units = await topUnitsOf(db, p.provinceId, 2027);
    expect(units.map((u) => [u.id, u.typeCode])).toEqual([[p.unitId, 'agency']]);
    const plans = await unitPlansInForce(db, [p.unitId], 2027);
    expect(plans.map((x) => [x.planId, x.versionId])).toEqual([[plan.planId, plan.versionId]]);
    expect(await unitPlansInForce(db, [p.unitId], 2026)).toEqual([]);
  });

  it('groups the verified values by key result and month, unverified ones left out', async () => {
    const rows = await verifiedValuesOfPlans(db, [plan.planId], 2027, 3);
    expect(rows.map((r) => [r.keyResultId, r.period, [...r.values].sort()])).toEqual([
      ['k1', '2027-01', ['10', '5']],
      ['k1', '2027-03', ['9']],
      ['m1', '2027-01', ['1']],
    ]);
    const through2 = await verifiedValuesOfPlans(db, [plan.planId], 2027, 2);
    expect(through2.some((r) => r.period === '2027-03')).toBe(false);
  });

  it("gives one key result's values with who reported them and their evidence", async () => {
    const d = await verifiedValueDetails(db, plan.planId, 'k1', 2027);
    expect(d.map((x) => x.period)).toEqual(['2027-01', '2027-01', '2027-03']);
    const withFile = d.find((x) => x.evidence.length);
    expect(withFile?.personName).toBe('Nguyễn Văn Soạn');
    expect(withFile?.evidence[0]).toMatchObject({ fileName: 'bien-ban.pdf', type: 'application/pdf' });
  });

  it("gives a person's own values, verified or waiting", async () => {
    const mine = await personValuesOf(db, p.drafter, 2027);
    expect(mine.map((r) => [r.period, r.values, r.verified])).toEqual([
      ['2027-01', ['10'], true],
      ['2027-02', ['7'], false],
      ['2027-03', ['9'], true],
    ]);
  });

  it('can read the values and plans by their indexes (no scan of every value)', async () => {
    const plans = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const values = await sql<{ 'QUERY PLAN': string }>`EXPLAIN
        SELECT v.plan_id, v.key_result_id, c.period FROM check_in_value v JOIN check_in c ON c.id = v.check_in_id
         WHERE v.plan_id IN (${plan.planId}) AND v.verification = 'verified'`.execute(trx);
      const unitPlans = await sql<{ 'QUERY PLAN': string }>`EXPLAIN
        SELECT id FROM plan WHERE owner_kind = 'unit' AND year = 2027 AND unit_id IN (${p.unitId}::uuid)`.execute(
        trx,
      );
      return [values, unitPlans].map((r) => r.rows.map((x) => x['QUERY PLAN']).join('\n'));
    });
    expect(plans[0]).toContain('check_in_value_kr_ix');
    expect(plans[1]).toContain('plan_unit_year_uq');
  });
});
