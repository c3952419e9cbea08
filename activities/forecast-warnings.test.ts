// The forecast warnings (activities/forecast-warnings.ts) on real PostgreSQL: a unit with its plan and a person's
// plan, verified values over several months. A key result on track gets no warning; one falling behind gets one
// for its owner and the unit head, with the projection, band and target; values not verified are not used; an
// undone milestone past its date is warned to the unit head; running the month again changes nothing; a later
// month that still misses updates the same tasks; a later month that no longer misses closes them; the opening's
// per-unit call runs once per unit and month.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskLink } from '../api/routes/inbox.ts';
import { createPlanVersion } from '../db/queries/plans.ts';
import '../db/schema-forecast.ts';
import type { KeyResult, Plan } from '../domain/plan/model.ts';
import { type PlanPeople, seedPlanPeople } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { checkInOpeningActivities } from './check-in-opening.ts';
import { forecastWarningsActivities } from './forecast-warnings.ts';

const { db } = await freshDatabase();
const acts = forecastWarningsActivities({ db });

const kr = (id: string, o: Partial<KeyResult> = {}): KeyResult => ({
  id,
  title: `Mục tiêu ${id}`,
  type: 'KPI',
  breakthrough: false,
  unit: 'hồ sơ',
  direction: { kind: 'higher' },
  target: '120',
  weight: '1',
  cadence: 'month',
  aggregation: 'sum',
  evidenceRequired: false,
  ...o,
});

async function planInForce(id: string, o: { unitId: string; personId?: string }, keyResults: KeyResult[]) {
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
  c: { personId: string; unitId: string; planId: string; versionId: string; krId: string },
  period: string,
  v: { value?: string; done?: boolean; verifiedBy: string | null },
) {
  await db
    .insertInto('check_in')
    .values({ person_id: c.personId, unit_id: c.unitId, period, workflow_id: null })
    .onConflict((oc) => oc.columns(['person_id', 'period']).doNothing())
    .execute();
  const ci = await db
    .selectFrom('check_in')
    .select('id')
    .where('person_id', '=', c.personId)
    .where('period', '=', period)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('check_in_value')
    .values({
      check_in_id: ci.id,
      plan_id: c.planId,
      plan_version_id: c.versionId,
      key_result_id: c.krId,
      value: v.value ?? null,
      done: v.done ?? null,
      kr_status: 'on-track',
      updated_by: c.personId,
      ...(v.verifiedBy
        ? { verification: 'verified', verified_by: v.verifiedBy, verified_at: new Date() }
        : {}),
    })
    .execute();
}

const months = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `2027-${String(from + i).padStart(2, '0')}`);

let p: PlanPeople;
let unitPlan: string;
let personPlan: string;
let unitVersion: string;
let otherUnit: string;

const warningTasks = (krId: string, plan = unitPlan) =>
  db
    .selectFrom('task')
    .selectAll()
    .where('kind', '=', 'forecast.warning')
    .where('subject_id', '=', `${plan}/${krId}`)
    .orderBy('id')
    .execute();
const auditCount = async () =>
  Number((await db.selectFrom('audit_log').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  p = await seedPlanPeople(db);
  const dept = await db
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
  await db
    .insertInto('job_position')
    .values({ code: 'chuyen_vien', title_vi: 'Chuyên viên', title_en: 'Officer' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  await db
    .insertInto('employment')
    .values({
      person_id: p.drafter,
      org_unit_id: dept.id,
      position_code: 'chuyen_vien',
      valid_from: '2025-01-01',
    })
    .execute();
  unitPlan = `plan:2027:unit:${p.unitId}`;
  personPlan = `plan:2027:person:${p.drafter}`;
  unitVersion = await planInForce(unitPlan, { unitId: p.unitId }, [
    kr('on', { ownerId: p.drafter, title: 'Hồ sơ được số hóa' }),
    kr('behind', { ownerId: p.supervisor, title: 'Thủ tục trực tuyến toàn trình' }),
    kr('unverified', { ownerId: p.supervisor }),
    kr('ms', {
      direction: { kind: 'milestone', dueDate: '2027-03-31' },
      aggregation: 'allDone',
      target: '1',
    }),
  ]);
  const personVersion = await planInForce(personPlan, { unitId: dept.id, personId: p.drafter }, [
    kr('late', { direction: { kind: 'lower' }, target: '30', title: 'Hồ sơ trễ hạn' }),
  ]);
  const on = { personId: p.drafter, unitId: dept.id, planId: unitPlan, versionId: unitVersion, krId: 'on' };
  const behind = { personId: p.supervisor, unitId: dept.id, planId: unitPlan, versionId: unitVersion };
  for (const [i, m] of months(1, 6).entries()) {
    await value(on, m, { value: String(9 + (i % 3)), verifiedBy: p.supervisor });
    await value({ ...behind, krId: 'behind' }, m, { value: String(5 + (i % 2)), verifiedBy: p.head });
    // Entered but never verified: not a basis for a forecast.
    await value({ ...behind, krId: 'unverified' }, m, { value: '1', verifiedBy: null });
    await value(
      { personId: p.drafter, unitId: dept.id, planId: personPlan, versionId: personVersion, krId: 'late' },
      m,
      { value: String(7 + (i % 2)), verifiedBy: p.supervisor },
    );
  }
  await value({ ...behind, personId: p.head, krId: 'ms' }, '2027-05', { done: false, verifiedBy: p.head });
  // A unit elsewhere in the province: none of its plans are read.
  otherUnit = (
    await db
      .insertInto('org_unit')
      .values({
        type_code: 'agency',
        province_id: p.provinceId,
        parent_id: p.provinceId,
        code: `O-${randomUUID().slice(0, 6)}`,
        name_vi: 'Sở Tài chính',
        active_from: '2025-01-01',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

describe('raiseForecastWarnings', () => {
  it('warns the owner and the unit head about a key result falling behind, and no one about one on track', async () => {
    const r = await acts.raiseForecastWarnings({ unitId: p.unitId, period: '2027-06', day: '2027-08-01' });
    expect(r).toMatchObject({ plans: 2, forecasts: 5, warnings: 3, opened: 5, updated: 0, closed: 0 });
    expect(await warningTasks('on')).toEqual([]);
    expect(await warningTasks('unverified')).toEqual([]);

    const behind = await warningTasks('behind');
    expect(behind.map((t) => t.assignee_person_id).sort()).toEqual([p.supervisor, p.head].sort());
    for (const t of behind) {
      expect(t.status).toBe('open');
      expect(t.logical_due_date).toBe('2027-08-31');
      const d = t.details as Record<string, string>;
      expect(d).toMatchObject({ period: '2027-06', planId: unitPlan, keyResultId: 'behind', target: '120' });
      expect(Number(d.projected)).toBeLessThan(80);
      expect(Number(d.low)).toBeLessThan(Number(d.projected));
      expect(Number(d.high)).toBeGreaterThan(Number(d.projected));
      expect(Number(d.high)).toBeLessThan(120);
      expect(Number(d.pMiss)).toBeGreaterThanOrEqual(0.8);
      // The inbox links the task to the key result's check-in history.
      expect(taskLink(t)).toBe(`/check-ins/history?planId=${encodeURIComponent(unitPlan)}&krId=behind`);
    }
    // A personal plan's key result (lower is better): the person and the unit head.
    const late = await warningTasks('late', personPlan);
    expect(late.map((t) => t.assignee_person_id).sort()).toEqual([p.drafter, p.head].sort());
    // The milestone of the unit without an owner: the unit head alone.
    const ms = await warningTasks('ms');
    expect(ms.map((t) => t.assignee_person_id)).toEqual([p.head]);
    expect(ms[0]?.details).toMatchObject({ done: false, dueDate: '2027-03-31' });

    // The forecasts are stored for every key result, with a reason when there is none.
    const stored = await db
      .selectFrom('key_result_forecast')
      .select(['key_result_id', 'kind', 'warning', 'projected', 'low', 'high', 'target'])
      .where('period', '=', '2027-06')
      .orderBy('key_result_id')
      .execute();
    expect(stored.map((s) => [s.key_result_id, s.kind, s.warning])).toEqual([
      ['behind', 'projection', true],
      ['late', 'projection', true],
      ['ms', 'milestone', true],
      ['on', 'projection', false],
      ['unverified', 'none', false],
    ]);
    const on = stored.find((s) => s.key_result_id === 'on');
    expect(Number(on?.low)).toBeLessThan(120);
    expect(Number(on?.high)).toBeGreaterThan(120);

    // The owner is told, with a link to the key result's check-in history.
    const note = await db
      .selectFrom('notification')
      .selectAll()
      .where('person_id', '=', p.supervisor)
      .where('kind', '=', 'forecast.warning')
      .executeTakeFirstOrThrow();
    expect(note.link).toBe(`/check-ins/history?planId=${encodeURIComponent(unitPlan)}&krId=behind`);
    expect(note.body_vi).toContain('chỉ tiêu 120');
  });

  it('running the same month again changes nothing', async () => {
    const tasksBefore = await db
      .selectFrom('task')
      .selectAll()
      .where('kind', '=', 'forecast.warning')
      .execute();
    const audits = await auditCount();
    const r = await acts.raiseForecastWarnings({ unitId: p.unitId, period: '2027-06', day: '2027-08-01' });
    expect(r).toMatchObject({ opened: 0, updated: 0, closed: 0, warnings: 3 });
    const tasksAfter = await db
      .selectFrom('task')
      .selectAll()
      .where('kind', '=', 'forecast.warning')
      .execute();
    expect(tasksAfter.map((t) => [t.id, t.status, t.details])).toEqual(
      tasksBefore.map((t) => [t.id, t.status, t.details]),
    );
    expect(await auditCount()).toBe(audits);
    const notes = await db
      .selectFrom('notification')
      .select('id')
      .where('kind', '=', 'forecast.warning')
      .execute();
    expect(notes).toHaveLength(5);
  });

  it('a later month still missing updates the same tasks; one no longer missing closes them', async () => {
    const behind = { personId: p.supervisor, unitId: p.unitId, planId: unitPlan, versionId: unitVersion };
    await value({ ...behind, krId: 'behind' }, '2027-07', { value: '5', verifiedBy: p.head });
    const before = await warningTasks('behind');
    const r = await acts.raiseForecastWarnings({ unitId: p.unitId, period: '2027-07', day: '2027-09-01' });
    expect(r.opened).toBe(0);
    expect(r.updated).toBeGreaterThanOrEqual(2);
    const after = await warningTasks('behind');
    expect(after.map((t) => t.id)).toEqual(before.map((t) => t.id));
    for (const t of after) {
      expect(t.details).toMatchObject({ period: '2027-07' });
      expect(t.logical_due_date).toBe('2027-09-30');
    }
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'key_result')
      .where('aggregate_id', '=', `${unitPlan}/behind`)
      .where('action', '=', 'forecast.warning.updated')
      .execute();
    expect(audit).toHaveLength(2);

    // August catches up strongly: the projection no longer misses.
    await value({ ...behind, krId: 'behind' }, '2027-08', { value: '60', verifiedBy: p.head });
    const r2 = await acts.raiseForecastWarnings({ unitId: p.unitId, period: '2027-08', day: '2027-10-01' });
    expect(r2.closed).toBeGreaterThanOrEqual(2);
    const closed = await warningTasks('behind');
    expect(closed.map((t) => t.status)).toEqual(['done', 'done']);
    const stored = await db
      .selectFrom('key_result_forecast')
      .select(['warning', 'projected'])
      .where('plan_id', '=', unitPlan)
      .where('key_result_id', '=', 'behind')
      .where('period', '=', '2027-08')
      .executeTakeFirstOrThrow();
    expect(stored.warning).toBe(false);
    // The other warnings stay open (still missing).
    expect((await warningTasks('late', personPlan)).map((t) => t.status)).toEqual(['open', 'open']);
  });

  it('the monthly opening runs each unit once per month', async () => {
    const first = await acts.raiseForecastWarningsForUnits({
      unitIds: [otherUnit, p.unitId],
      period: '2027-09',
      day: '2027-11-01',
    });
    expect(first.plans).toBe(2);
    expect(first.forecasts).toBe(5);
    const second = await acts.raiseForecastWarningsForUnits({
      unitIds: [otherUnit, p.unitId],
      period: '2027-09',
      day: '2027-11-01',
    });
    expect(second).toEqual({ plans: 0, forecasts: 0, warnings: 0, opened: 0, updated: 0, closed: 0 });
    const runs = await db.selectFrom('forecast_run').selectAll().where('period', '=', '2027-09').execute();
    expect(runs.map((r) => r.unit_id).sort()).toEqual([otherUnit, p.unitId].sort());
  });

  it('the monthly opening makes the forecasts after the month whose verification window has closed', async () => {
    // A stand-in for the worker's Temporal client: the opening's workflow starts are not what is tested here.
    const started: string[] = [];
    const temporal = {
      workflow: {
        start: async (name: string) => {
          started.push(name);
          return {};
        },
      },
    } as unknown as Client;
    const opening = checkInOpeningActivities({ db, temporal });
    // Opening November (on 1 December): the forecast is made after October.
    await opening.openCheckInPage({ period: '2027-11', day: '2027-12-01', provinceId: p.provinceId });
    const run = await db
      .selectFrom('forecast_run')
      .selectAll()
      .where('unit_id', '=', p.unitId)
      .where('period', '=', '2027-10')
      .executeTakeFirstOrThrow();
    expect(run.plans).toBe(2);
    const stored = await db
      .selectFrom('key_result_forecast')
      .select('key_result_id')
      .where('period', '=', '2027-10')
      .where('plan_id', 'in', [unitPlan, personPlan])
      .execute();
    expect(stored).toHaveLength(5);
    // The still-missing personal key result keeps its one task per recipient, now carrying October's forecast.
    const late = await warningTasks('late', personPlan);
    expect(late.map((t) => [t.status, (t.details as { period: string }).period])).toEqual([
      ['open', '2027-10'],
      ['open', '2027-10'],
    ]);
  });
});
