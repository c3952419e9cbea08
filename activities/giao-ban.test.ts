// The giao ban's activities (activities/giao-ban.ts) are idempotent by their business keys, on real PostgreSQL: a
// phase never moves back, the dossiers are frozen once, the same conclusion again is no new revision, publishing
// twice answers the first publication (same directions, same ids), the same report again changes nothing — and
// every change is audited.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveCalendarProfile } from '../db/queries/calendar.ts';
import * as dossierQueries from '../db/queries/giao-ban-dossier.ts';
import { computePlanYearCalendar } from '../domain/calendar/plan-year.ts';
import { vnInstant } from '../domain/calendar/vn-time.ts';
import { giaoBanDates } from '../domain/giao-ban/dates.ts';
import { type PlanPeople, seedPlanPeople, TEST_PROFILE } from '../test/support/annual-plan.ts';
import { freshDatabase } from '../test/support/database.ts';
import { directionId, type GiaoBanDocs, giaoBanActivities } from './giao-ban.ts';

const { db } = await freshDatabase();
let p: PlanPeople;
let rendered = 0;
const pdf = async () => {
  rendered++;
  return new TextEncoder().encode(`%PDF-1.4\n% ${rendered}\n%%EOF\n`);
};
const docs: GiaoBanDocs = {
  buildAgenda: dossierQueries.buildAgenda,
  buildUnitDossier: dossierQueries.buildUnitDossier,
  giaoBanUnitsOf: dossierQueries.giaoBanUnitsOf,
  renderUnitDossierPdf: pdf,
  renderMinutesPdf: pdf,
};
const acts = () => giaoBanActivities({ db, docs });
const SESSION = '2027-Q2';
const dates = giaoBanDates(SESSION, TEST_PROFILE, (y) => computePlanYearCalendar(TEST_PROFILE, y));

beforeAll(async () => {
  p = await seedPlanPeople(db);
  await saveCalendarProfile(db, { ...TEST_PROFILE, id: `cal-${randomUUID()}` }, { provinceId: p.provinceId });
});

const audits = async () =>
  (
    await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'giao_ban_session')
      .where('aggregate_id', '=', `${p.provinceId}:${SESSION}`)
      .orderBy('seq')
      .execute()
  ).map((a) => a.action);

describe('giao ban activities (idempotent)', () => {
  it('project, freeze, conclude, publish and report: a second call changes nothing', async () => {
    const a = acts();
    const base = {
      provinceId: p.provinceId,
      session: SESSION,
      workflowId: `giaoban:${p.provinceId}:${SESSION}`,
      dates,
    };
    expect(await a.projectGiaoBanSession({ ...base, phase: 'REPORTING' })).toEqual({ changed: true });
    expect(await a.projectGiaoBanSession({ ...base, phase: 'REPORTING' })).toEqual({ changed: false });

    const asOf = vnInstant(dates.dossierDate);
    const frozen = await a.freezeGiaoBanDossiers({ ...base, sessionDate: dates.sessionDate, asOf });
    expect(frozen.units).toEqual([{ unitId: p.unitId, unitName: 'Sở Nội vụ', head: { personId: p.head } }]);
    const renders = rendered;
    expect(
      await a.freezeGiaoBanDossiers({ ...base, sessionDate: dates.sessionDate, asOf: asOf + 86_400_000 }),
    ).toEqual(frozen);
    expect(rendered).toBe(renders); // the frozen agenda answered, nothing rebuilt
    const row = await db
      .selectFrom('giao_ban_session')
      .select(['phase', 'dossiers_sent_at'])
      .where('province_id', '=', p.provinceId)
      .executeTakeFirstOrThrow();
    expect([row.phase, row.dossiers_sent_at?.getTime()]).toEqual(['DOSSIERS_SENT', asOf]);
    // A phase never moves back.
    expect(await a.projectGiaoBanSession({ ...base, phase: 'REPORTING' })).toEqual({ changed: false });
    expect(await a.projectGiaoBanSession({ ...base, phase: 'IN_SESSION' })).toEqual({ changed: true });

    const c = {
      provinceId: p.provinceId,
      session: SESSION,
      unitId: p.unitId,
      completionLevel: 'good' as const,
      summary: 'Hoàn thành tốt.',
      directions: [{ text: 'Số hóa hồ sơ', dueDate: '2027-09-30' }],
      planDecision: 'approved' as const,
      planNote: null,
      by: p.secretary,
    };
    expect(await a.recordGiaoBanConclusion(c)).toEqual({ revision: 1, changed: true });
    expect(await a.recordGiaoBanConclusion(c)).toEqual({ revision: 1, changed: false });
    expect(await a.recordGiaoBanConclusion({ ...c, completionLevel: 'excellent' })).toEqual({
      revision: 2,
      changed: true,
    });

    const pub = { ...base, by: p.secretary, at: vnInstant('2027-07-21', 10), publishedOn: '2027-07-21' };
    const first = await a.publishGiaoBanConclusions(pub);
    const id = directionId(p.provinceId, SESSION, p.unitId, 1);
    expect(first.directions).toEqual([
      {
        id,
        unitId: p.unitId,
        ordinal: 1,
        text: 'Số hóa hồ sơ',
        dueDate: '2027-09-30',
        taskId: `${base.workflowId}:direction:${id}`,
      },
    ]);
    expect(await a.publishGiaoBanConclusions({ ...pub, at: pub.at + 60_000 })).toEqual(first);

    const r = { directionId: id, status: 'in-progress' as const, note: 'Đang làm', by: p.head };
    expect(await a.reportGiaoBanDirection(r)).toEqual({ changed: true });
    expect(await a.reportGiaoBanDirection(r)).toEqual({ changed: false });

    expect(await audits()).toEqual([
      'giao-ban.opened',
      'giao-ban.dossiers-sent',
      'giao-ban.phase',
      'giao-ban.conclusion-recorded',
      'giao-ban.conclusion-recorded',
      'giao-ban.published',
      'giao-ban.direction-reported',
    ]);
  });
});
