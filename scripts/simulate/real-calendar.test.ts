// The year of one unit on the real calendar (issue 8 points 6–7, `npm run simulate -- --real-calendar`): the demo
// province's smallest unit with three of its people, January to December, on the time-skipping test server with
// the real activities — every workflow reads one clock that the run moves forward day by day
// (scripts/simulate/real-calendar.ts), so each deadline, reminder and escalation falls on its true date: the
// month's check-ins with a late one escalated and a returned one corrected, the assessments, the quarters' giao
// ban sessions, the year-end self- and supervisor assessments, the ranking started on 1 December, decided and
// published before its deadline, one appeal decided, the year-end review session, December's check-in after the
// ranking. Real PostgreSQL; the Temporal server is the test server (its clock only moves forward: the engine runs
// the person-months one after another in date order).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { simulateYear, smallestUnitWith, type TimelineEvent } from './engine.ts';
import { type RealCalendar, startRealCalendar } from './real-calendar.ts';

const { db } = await freshDatabase();
const YEAR = 2027;
let rc: RealCalendar;
let provinceId = '';
let unitId = '';

beforeAll(async () => {
  provinceId = (await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE })).provinceId;
  // The smallest unit directly under the province with a head and at least three people.
  unitId = (await smallestUnitWith(db, { provinceId, year: YEAR, minPeople: 3 })) ?? '';
  expect(unitId).not.toBe('');
  rc = await startRealCalendar({
    db,
    startDate: `${YEAR}-01-01`,
    taskQueue: `real-calendar-${randomUUID()}`,
  });
}, 300_000);
afterAll(async () => {
  await rc?.stop();
});

describe('one unit’s year on the real calendar (time-skipping server)', () => {
  it('January to December: check-ins, giao ban, year-end, the ranking published, an appeal, December after', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`);
    const run = await simulateYear({
      db,
      client: rc.client,
      taskQueue: rc.taskQueue,
      provinceId,
      year: YEAR,
      unitIds: [unitId],
      months,
      clock: rc.clock,
      sleep: rc.sleep,
      advanceTo: rc.advanceTo,
      peoplePerUnit: 3,
      seed: 11,
      log: () => {},
    });
    const [u] = run.units;
    const t = run.timeline;
    expect(t.filter((e) => e.kind === 'error')).toEqual([]);
    expect(u).toMatchObject({ people: 3, failures: 0, rankingStatus: 'published' });
    expect(u!.checkIns).toBe(3 * 12);
    expect(u!.yearEndReady).toBe(3);
    expect(u!.appeal).not.toBeNull();
    expect(u!.late).toBeGreaterThanOrEqual(1);
    expect(u!.escalations).toBeGreaterThanOrEqual(1);

    // each month's check-ins were submitted on or after the month they report (the real dates)
    const submitted = (m: string) =>
      t.filter((e: TimelineEvent) => e.kind === 'check-in' && e.text.includes(`tháng ${m}`));
    for (const m of months) {
      const lines = submitted(m);
      expect(lines.length, m).toBeGreaterThanOrEqual(3);
      expect(lines.every((e) => e.date > `${m}-27`)).toBe(true);
    }
    // the quarters' giao ban sessions and the year-end review session, in date order
    const giaoBan = t.filter((e) => e.kind === 'giao-ban');
    for (const q of [1, 2, 3])
      expect(
        giaoBan.some((e) => e.text.includes(`quý ${q}/${YEAR}`)),
        `Q${q}`,
      ).toBe(true);
    expect(giaoBan.some((e) => e.text.includes(`tổng kết năm ${YEAR}`))).toBe(true);
    // the ranking decided and published before its deadline (15/12), on the real dates
    const published = t.find((e) => e.kind === 'ranking' && e.text.startsWith('Công bố'));
    expect(published?.date).toBeDefined();
    expect(published!.date >= `${YEAR}-12-01` && published!.date < `${YEAR}-12-15`).toBe(true);
    // the year-end review session announces it: its conclusions published after the ranking, on the one clock
    const review = giaoBan.find((e) => e.text.startsWith(`Công bố kết luận giao ban tổng kết năm ${YEAR}`));
    expect(review!.date > published!.date).toBe(true);
    expect(t.map((e) => e.date)).toEqual([...t.map((e) => e.date)].sort());
  }, 1_500_000);
});
