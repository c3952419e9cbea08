// The simulated unit head's selection within the quota (scripts/simulate/engine.ts rankingOfUnit): a unit whose
// draft is over the quota of "Hoàn thành xuất sắc nhiệm vụ" by more than the rule set's exception cap — the year
// scores are raised here, after the year-end assessments, so that three people are "Xuất sắc" — cannot be decided
// as computed; the head places the (over − cap) lowest-scored "Xuất sắc" people at "Tốt" in the draft (the same db
// function as PUT /api/rankings/{id}/selections/{personId}), decides, requests an exception of at most the cap
// when still over, and publishes. Real PostgreSQL, a real worker on the dev server, the compressed calendar; one
// month (November) played; year 2033 (workflow ids are business keys on the shared dev server).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoProvince } from '../../db/demo/index.ts';
import {
  entriesOf,
  exceptionsOf,
  headsOf,
  rankingById,
  type SelectedFrozenRanking,
  selectionsOf,
} from '../../db/queries/rankings.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { startTestWorker, type TestWorker } from '../../test/support/test-worker.ts';
import { peopleOfUnit, simulateYear, startRealRankings } from './engine.ts';

const { db } = await freshDatabase();
const YEAR = 2033;
let w: TestWorker;
let provinceId = '';
let unitId = '';

beforeAll(async () => {
  w = await startTestWorker(db, { taskQueue: `simulate-selection-${randomUUID()}` });
  provinceId = (await loadDemoProvince(db, { calendarProfile: DEFAULT_CALENDAR_PROFILE })).provinceId;
  // the smallest state body directly under the province with a head and at least 8 people (NĐ 335: no gates; a
  // Party body's QĐ 366 gates would lower the raised scores)
  const r = await sql<{ id: string }>`
    SELECT u.id FROM org_unit u JOIN org_unit_type t ON t.code = u.type_code
     WHERE u.parent_id = ${provinceId}::uuid AND NOT t.is_party
       AND EXISTS (SELECT 1 FROM role_assignment r WHERE r.scope_unit_id = u.id AND r.role_code = 'unit_head'
                     AND r.valid_to IS NULL)
     ORDER BY (SELECT count(*) FROM employment e JOIN org_unit s ON s.id = e.org_unit_id
                WHERE (s.id = u.id OR s.parent_id = u.id) AND e.valid_to IS NULL) ASC, u.code
     LIMIT 20`.execute(db);
  for (const row of r.rows)
    if ((await peopleOfUnit(db, row.id, YEAR)).length >= 9) {
      unitId = row.id;
      break;
    }
  expect(unitId).not.toBe('');
}, 300_000);
afterAll(async () => {
  await w?.stop();
});

describe('the simulated head over the quota by more than the cap', () => {
  it('places the lowest-scored at Tốt, decides, asks at most the cap and publishes', async () => {
    const raised: string[] = [];
    const run = await simulateYear({
      db,
      client: w.client,
      taskQueue: w.taskQueue,
      provinceId,
      year: YEAR,
      unitIds: [unitId],
      months: [`${YEAR}-11`],
      giaoBanSessions: [],
      msPerDay: 800,
      seed: 11,
      hooks: {
        startRanking: async (c, id) => {
          const started = await startRealRankings(c, id);
          // the supervisors' year scores: three "Xuất sắc" (95, 93, 91), five "Tốt" (80: one place allowed, over
          // by 2), the others "Hoàn thành" (60)
          // (the unit's head is ranked by the superior body, not in this ranking)
          const heads = (await headsOf(db, id, `${YEAR}-12-01`)).map((h) => h.personId);
          const scored = (
            await db
              .selectFrom('year_end_assessment')
              .select('person_id')
              .where('year', '=', YEAR)
              .where('supervisor_score', 'is not', null)
              .orderBy('person_id')
              .execute()
          ).filter((r) => !heads.includes(r.person_id));
          for (const [i, r] of scored.entries()) {
            const score = i < 3 ? String(95 - 2 * i) : i < 8 ? '80' : '60';
            if (i < 3) raised.push(r.person_id);
            await db
              .updateTable('year_end_assessment')
              .set({ supervisor_score: score })
              .where('year', '=', YEAR)
              .where('person_id', '=', r.person_id)
              .execute();
          }
          return started;
        },
        afterPublication: async () => {},
      },
    });
    const [u] = run.units;
    expect(run.timeline.filter((e) => e.kind === 'error')).toEqual([]);
    expect(u!.rankingStatus).toBe('published');
    const ranking = (await rankingById(db, u!.rankingId!))!;
    expect(ranking.status).toBe('published');
    const entries = (await entriesOf(db, ranking.id)).filter((e) => e.track === 'state');
    expect(raised.filter((p) => entries.some((e) => e.person_id === p))).toHaveLength(3);
    expect(entries.filter((e) => e.score !== null).length).toBeGreaterThanOrEqual(8);
    const selections = await selectionsOf(db, ranking.id);
    const good = entries.filter((e) => e.level === 'good').length;
    // the draft: 3 "Xuất sắc" for (good − placed) "Tốt": over by more than the cap 1, so (over − 1) placed at "Tốt"
    const over = 3 - Math.floor(0.2 * (good - selections.length));
    expect(over).toBe(2);
    expect(selections).toHaveLength(1);
    // the lowest-scored "Xuất sắc" first: 91 points
    const byScore = entries
      .filter((e) => selections.some((s) => s.person_id === e.person_id))
      .map((e) => Number(e.score));
    expect(Math.min(...byScore)).toBe(91);
    for (const s of selections) {
      const e = entries.find((x) => x.person_id === s.person_id)!;
      const frozen = e.frozen as unknown as SelectedFrozenRanking;
      expect(e.level).toBe('good');
      expect(frozen.level).toBe('good');
      expect(frozen.selection?.engineLevel).toBe('excellent');
    }
    const excellent = entries.filter((e) => e.level === 'excellent').length;
    expect(excellent + selections.length).toBe(3);
    // within the quota, or over by at most the cap with an approved exception of at most the cap
    const exceptions = await exceptionsOf(db, ranking.id);
    expect(exceptions.every((x) => x.extra_places <= 1 && x.status === 'approved')).toBe(true);
    // after the placement: 2 "Xuất sắc" for 6 "Tốt" → 1 allowed, over by 1 → one exception of 1 place
    expect(exceptions.map((x) => x.extra_places)).toEqual([1]);
    expect(excellent).toBeLessThanOrEqual(Math.floor(0.2 * good) + exceptions.length);
    expect(run.timeline.some((e) => e.kind === 'ranking' && e.text.includes('do giới hạn tỷ lệ'))).toBe(true);
  }, 900_000);
});
