// The giao ban's agenda and unit dossier (db/queries/giao-ban-dossier.ts) on real PostgreSQL, on a seeded province:
// the units reviewed (active, directly under the province, by code, with their head), the quarterly report's
// status against the province calendar's deadline (sent, late, missing), the scorecard from verified values, each
// kind of red flag, overdue items by the tiered rule (individuals counted, unit-level items listed), the forecast
// band and the earlier sessions' directions with their status.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PlanPeople,
  seedPlanPeople,
  TEST_PROFILE,
  testCalendar,
} from '../../test/support/annual-plan.ts';
import { dashKr, seedUnitPlan, seedVerifiedValue } from '../../test/support/dashboard-seed.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { saveCalendarProfile } from './calendar.ts';
import {
  buildAgenda,
  buildUnitDossier,
  buildYearReview,
  giaoBanUnitsOf,
  sessionOrder,
} from './giao-ban-dossier.ts';
import type { PublishedRankingsOf } from './giao-ban-year-review.ts';
import { sha256Of } from './monthly-reports.ts';

const { db } = await freshDatabase();
let p: PlanPeople;
let plan: { planId: string; versionId: string };
const units = { snv: '', syt: '', stc: '' };
const AS_OF = new Date('2027-04-16T02:00:00Z');
const dueQ1 = testCalendar().deadlines.find((d) => d.id === 'quarter-report.2027-Q1')!;

async function unit(code: string, name: string, o: { parent?: string; activeTo?: string } = {}) {
  const r = await db
    .insertInto('org_unit')
    .values({
      type_code: 'agency',
      province_id: p.provinceId,
      parent_id: o.parent ?? p.provinceId,
      code,
      name_vi: name,
      active_from: '2025-01-01',
      active_to: o.activeTo ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

async function sendReport(unitId: string, sentAt: string) {
  const model = { unitId };
  const pdf = Buffer.from('%PDF-1.4');
  const xlsx = Buffer.from('PK');
  await db
    .insertInto('quarterly_unit_report')
    .values({
      unit_id: unitId,
      period: '2027-Q1',
      number: null,
      report_date: sentAt.slice(0, 10),
      model: JSON.stringify(model),
      model_sha256: sha256Of(model),
      pdf,
      pdf_sha256: sha256Of(pdf),
      xlsx,
      xlsx_sha256: sha256Of(xlsx),
      workflow_id: `quarterly:${unitId}:2027-Q1`,
      sent_by: p.head,
      sent_at: new Date(sentAt),
    })
    .execute();
}

async function task(o: {
  kind: string;
  subjectType: string;
  subjectId: string;
  assigneePersonId?: string;
  assigneeRole?: string;
  assigneeUnitId?: string;
  due: string;
}) {
  await db
    .insertInto('task')
    .values({
      id: `t:${randomUUID()}`,
      workflow_id: 'wf:test',
      update_name: null,
      kind: o.kind,
      subject_type: o.subjectType,
      subject_id: o.subjectId,
      assignee_person_id: o.assigneePersonId ?? null,
      assignee_role: (o.assigneeRole ?? null) as never,
      assignee_unit_id: o.assigneeUnitId ?? null,
      due_at: new Date(`${o.due}T17:00:00Z`),
      logical_due_date: o.due,
      status: 'open',
      details: JSON.stringify({}),
    })
    .execute();
}

async function session(key: string, date: string) {
  await db
    .insertInto('giao_ban_session')
    .values({
      province_id: p.provinceId,
      session: key,
      workflow_id: `giaoban:${p.provinceId}:${key}`,
      phase: 'CLOSED',
      session_date: date,
      dossier_date: date,
      conclusions_due: date,
    })
    .execute();
}

async function direction(
  key: string,
  ordinal: number,
  text: string,
  status: 'open' | 'in-progress' | 'done',
) {
  await db
    .insertInto('giao_ban_direction')
    .values({
      id: randomUUID(),
      province_id: p.provinceId,
      session: key,
      unit_id: p.unitId,
      ordinal,
      text,
      due_date: '2027-03-31',
      status,
      status_note: status === 'open' ? null : `Ghi chú ${text}`,
    })
    .execute();
}

beforeAll(async () => {
  p = await seedPlanPeople(db);
  const code = (
    await db.selectFrom('org_unit').select('code').where('id', '=', p.provinceId).executeTakeFirstOrThrow()
  ).code;
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: p.provinceId });
  units.snv = p.unitId;
  units.syt = await unit(`${code}.SYT`, 'Sở Y tế');
  units.stc = await unit(`${code}.STC`, 'Sở Tài chính');
  await unit(`${code}.SAA`, 'Sở đã giải thể', { activeTo: '2026-12-31' });
  await unit(`${code}.SNV.VP`, 'Văn phòng Sở Nội vụ', { parent: p.unitId });

  const q1 = { '2027-01': '100', '2027-02': '100', '2027-03': '100' };
  plan = await seedUnitPlan(db, {
    unitId: p.unitId,
    year: 2027,
    createdBy: p.head,
    tasks: [
      {
        perspective: 'citizens',
        keyResults: [dashKr('k1', { title: 'Hồ sơ giải quyết đúng hạn', periodTargets: q1 })],
      },
      {
        perspective: 'budget',
        keyResults: [dashKr('k2', { title: 'Giải ngân vốn đầu tư', periodTargets: q1 })],
      },
      { perspective: 'processes', keyResults: [dashKr('k3', { title: 'Thủ tục trực tuyến toàn trình' })] },
      { perspective: 'learning', keyResults: [dashKr('k4', { title: 'Cán bộ được bồi dưỡng' })] },
    ],
  });
  const v = (period: string, krId: string, value: string, verified = true) =>
    seedVerifiedValue(db, {
      personId: p.drafter,
      unitId: p.unitId,
      period,
      plan,
      krId,
      value,
      verifiedBy: p.head,
      verified,
    });
  await v('2027-01', 'k1', '100');
  await v('2027-02', 'k1', '100');
  await v('2027-03', 'k1', '80');
  const returned = await v('2027-02', 'k3', '5', false);
  await db
    .updateTable('check_in_value')
    .set({ verification: 'returned', verified_by: p.head, verified_at: new Date() })
    .where('check_in_id', '=', returned.checkInId)
    .where('key_result_id', '=', 'k3')
    .execute();
  await db
    .insertInto('key_result_forecast')
    .values([
      {
        plan_id: plan.planId,
        key_result_id: 'k4',
        period: '2027-02',
        kind: 'projection',
        projected: '700',
        low: '600',
        high: '800',
        target: '1200',
        p_miss: '0.7',
        warning: false,
        details: JSON.stringify({}),
      },
      {
        plan_id: plan.planId,
        key_result_id: 'k4',
        period: '2027-03',
        kind: 'projection',
        projected: '900',
        low: '750',
        high: '1050',
        target: '1200',
        p_miss: '0.93',
        warning: true,
        details: JSON.stringify({}),
      },
      {
        // made after the period reviewed: not in the dossier
        plan_id: plan.planId,
        key_result_id: 'k1',
        period: '2027-04',
        kind: 'projection',
        projected: '100',
        low: '50',
        high: '150',
        target: '1200',
        p_miss: '0.99',
        warning: true,
        details: JSON.stringify({}),
      },
    ])
    .execute();

  // reports: SNV late, SYT on time, STC none (and one sent after the dossier was built does not count)
  await sendReport(units.snv, new Date(dueQ1.dueAt + 3_600_000).toISOString());
  await sendReport(units.syt, '2027-04-05T03:00:00Z');
  await sendReport(units.stc, '2027-04-17T03:00:00Z');

  // overdue: an individual's check-in task (counted), the unit's own report task (listed), another unit's (not)
  await task({
    kind: 'check-in.revise',
    subjectType: 'check_in',
    subjectId: returned.checkInId,
    assigneePersonId: p.drafter,
    due: '2027-03-10',
  });
  await task({
    kind: 'report.quarterly',
    subjectType: 'quarterly_report',
    subjectId: `${units.snv}:2027-Q1`,
    assigneeRole: 'unit_head',
    assigneeUnitId: units.snv,
    due: '2027-04-12',
  });
  await task({
    kind: 'report.quarterly',
    subjectType: 'quarterly_report',
    subjectId: `${units.stc}:2027-Q1`,
    assigneeRole: 'unit_head',
    assigneeUnitId: units.stc,
    due: '2027-04-12',
  });

  // earlier sessions' directions
  await session('2026-Q3', '2026-10-20');
  await session('2026-year', '2026-12-20');
  await session('2026-Q4', '2027-01-20');
  await session('2027-Q1', '2027-04-20');
  await direction('2026-Q3', 1, 'Việc cũ đã xong', 'done');
  await direction('2026-Q3', 2, 'Việc cũ đang làm', 'in-progress');
  await direction('2026-year', 1, 'Việc tổng kết chưa làm', 'open');
  await direction('2026-Q4', 1, 'Việc quý 4 đã xong', 'done');
  await direction('2026-Q4', 2, 'Việc quý 4 chưa làm', 'open');
  await direction('2027-Q1', 1, 'Việc của chính phiên này', 'open');
});

describe('giao ban units and agenda', () => {
  it('reviews the active units directly under the province, by code, with their head', async () => {
    const us = await giaoBanUnitsOf(db, p.provinceId, AS_OF);
    expect(us.map((u) => u.name)).toEqual(['Sở Nội vụ', 'Sở Tài chính', 'Sở Y tế']);
    expect(us[0]).toEqual({ unitId: units.snv, name: 'Sở Nội vụ', typeCode: 'agency', headPersonId: p.head });
    expect(us[1]!.headPersonId).toBeNull();
  });

  it('lists each unit with its quarterly report sent, late or missing at the time it is built', async () => {
    const agenda = await buildAgenda(db, {
      provinceId: p.provinceId,
      session: '2027-Q1',
      sessionDate: '2027-04-20',
      asOf: AS_OF,
    });
    expect(agenda.provinceName).toMatch(/^Tỉnh /);
    expect(agenda.builtAt).toBe(AS_OF.toISOString());
    expect(agenda.items).toEqual([
      { order: 1, unitId: units.snv, unitName: 'Sở Nội vụ', reportStatus: 'late' },
      { order: 2, unitId: units.stc, unitName: 'Sở Tài chính', reportStatus: 'missing' },
      { order: 3, unitId: units.syt, unitName: 'Sở Y tế', reportStatus: 'sent' },
    ]);
  });
});

describe("a unit's dossier", () => {
  let d: Awaited<ReturnType<typeof buildUnitDossier>>;
  beforeAll(async () => {
    d = await buildUnitDossier(db, {
      provinceId: p.provinceId,
      session: '2027-Q1',
      unitId: units.snv,
      asOf: AS_OF,
    });
  });

  it('names the unit and its report against the deadline of the province calendar', () => {
    expect(d.unit).toEqual({ id: units.snv, name: 'Sở Nội vụ', typeCode: 'agency' });
    expect(dueQ1.date.slice(0, 7)).toBe('2027-04');
    expect(d.report).toMatchObject({ period: '2027-Q1', status: 'late', dueDate: dueQ1.date });
    expect(new Date(d.report.sentAt!).getTime()).toBe(dueQ1.dueAt + 3_600_000);
  });

  it('scores from verified values only: each perspective ×100 and the mean of the monthly completions', () => {
    // k1: 280 of 1200 for the year (23.3); the months 100/100, 100/100, 80/100 (93.3); nothing else verified
    expect(d.scorecard.overall).toBe('93.3');
    expect(d.scorecard.perspectives).toEqual([
      { perspective: 'citizens', score: '23.3' },
      { perspective: 'budget', score: null },
      { perspective: 'processes', score: null },
      { perspective: 'learning', score: null },
    ]);
  });

  it('raises each kind of red flag on the key result concerned', () => {
    expect(d.redFlags.map((f) => [f.keyResultId, f.reason])).toEqual([
      ['k1', 'behind-target'],
      ['k2', 'not-reported'],
      ['k3', 'returned'],
      ['k4', 'forecast-miss'],
    ]);
    expect(d.redFlags[0]!.detail).toContain('Tháng 3/2027: đạt 80/100 hồ sơ (80% chỉ tiêu kỳ)');
    expect(d.redFlags[2]!.detail).toContain('1 giá trị');
    expect(d.redFlags[3]!.detail).toContain('900/1.200');
    expect(d.redFlags[3]!.detail).toContain('93%');
  });

  it('carries the latest forecast of the period, not one made after it', () => {
    expect(d.forecast).toEqual([
      {
        keyResultId: 'k4',
        title: 'Cán bộ được bồi dưỡng',
        target: '1200',
        p10: '750',
        p50: '900',
        p90: '1050',
        missProbability: '0.93',
      },
    ]);
  });

  it("counts the individuals' overdue items and lists the unit's own", () => {
    expect(d.overdue.individualCount).toBe(1);
    expect(d.overdue.unitLevel).toEqual([
      {
        kind: 'report.quarterly',
        title: 'Gửi báo cáo quý của đơn vị',
        dueDate: '2027-04-12',
        escalationLevel: 0,
      },
    ]);
  });

  it('follows up the earlier directions: all not done, and the latest earlier session in full', () => {
    expect(d.previousDirections.map((x) => [x.session, x.text, x.status])).toEqual([
      ['2026-Q3', 'Việc cũ đang làm', 'in-progress'],
      ['2026-year', 'Việc tổng kết chưa làm', 'open'],
      ['2026-Q4', 'Việc quý 4 đã xong', 'done'],
      ['2026-Q4', 'Việc quý 4 chưa làm', 'open'],
    ]);
    expect(d.previousDirections[0]).toMatchObject({
      dueDate: '2027-03-31',
      note: 'Ghi chú Việc cũ đang làm',
    });
  });

  it('orders sessions in time: the year-end review in December, before the Q4 one in January', () => {
    expect(sessionOrder('2026-Q3')).toBeLessThan(sessionOrder('2026-year'));
    expect(sessionOrder('2026-year')).toBeLessThan(sessionOrder('2026-Q4'));
    expect(sessionOrder('2026-Q4')).toBeLessThan(sessionOrder('2027-Q1'));
  });

  it('looks at the Q3 report and the year so far for the year-end session', async () => {
    const y = await buildUnitDossier(db, {
      provinceId: p.provinceId,
      session: '2027-year',
      unitId: units.syt,
      asOf: new Date('2027-12-16T02:00:00Z'),
    });
    expect(y.report).toMatchObject({ period: '2027-Q3', status: 'missing', sentAt: null });
    expect(y.scorecard.overall).toBeNull();
    expect(y.redFlags).toEqual([]);
  });
});

describe("the year-end review session's dossier", () => {
  const DEC = new Date('2027-12-16T02:00:00Z');

  it("carries every agenda unit's year results, scored as the unit's own scorecard, and no rankings yet", async () => {
    const y = await buildUnitDossier(db, {
      provinceId: p.provinceId,
      session: '2027-year',
      unitId: units.snv,
      asOf: DEC,
    });
    expect(y.yearReview).toBeDefined();
    const r = y.yearReview!;
    expect([r.year, r.through]).toEqual([2027, '2027-12']);
    expect(r.results.map((x) => x.unitName)).toEqual(['Sở Nội vụ', 'Sở Tài chính', 'Sở Y tế']);
    const snv = r.results[0]!;
    // the same scoring as the dossier's own scorecard (k1: 280 of 1200 for the year, verified Jan–Mar only)
    expect({ overall: snv.overall, perspectives: snv.perspectives }).toEqual(y.scorecard);
    expect(snv.perspectives.find((x) => x.perspective === 'citizens')?.score).toBe('23.3');
    expect(r.results[2]).toMatchObject({ unitName: 'Sở Y tế', overall: null });
    // no ranking of the province is published yet (db/queries/rankings.ts): "not decided"
    expect(r.rankings).toEqual({ status: 'not-decided' });
  });

  it('has no year review in a quarterly session', async () => {
    const q = await buildUnitDossier(db, {
      provinceId: p.provinceId,
      session: '2027-Q1',
      unitId: units.syt,
      asOf: AS_OF,
    });
    expect(q.yearReview).toBeUndefined();
  });

  it('lists the published rankings with their subjects and units named, or "not decided" when none is', async () => {
    const published: PublishedRankingsOf = async (_db, a) =>
      a.year === 2027
        ? [
            {
              subjectId: p.head,
              subjectKind: 'individual',
              unitId: units.snv,
              level: 'good',
              decidedOn: '2027-12-10',
            },
            {
              subjectId: units.snv,
              subjectKind: 'collective',
              unitId: units.snv,
              level: 'excellent',
              decidedOn: '2027-12-12',
            },
          ]
        : [];
    const head = await db
      .selectFrom('person')
      .select('full_name')
      .where('id', '=', p.head)
      .executeTakeFirstOrThrow();
    const r = await buildYearReview(
      db,
      { provinceId: p.provinceId, year: 2027, through: 12, asOf: DEC },
      published,
    );
    expect(r.rankings).toEqual({
      status: 'published',
      items: [
        {
          subjectId: units.snv,
          subjectKind: 'collective',
          subjectName: 'Sở Nội vụ',
          unitId: units.snv,
          unitName: 'Sở Nội vụ',
          level: 'excellent',
          decidedOn: '2027-12-12',
        },
        {
          subjectId: p.head,
          subjectKind: 'individual',
          subjectName: head.full_name,
          unitId: units.snv,
          unitName: 'Sở Nội vụ',
          level: 'good',
          decidedOn: '2027-12-10',
        },
      ],
    });
    const none = await buildYearReview(
      db,
      { provinceId: p.provinceId, year: 2026, through: 12, asOf: DEC },
      published,
    );
    expect(none.rankings).toEqual({ status: 'not-decided' });
  });
});
