// The ranking's default sources (db/queries/rankings.ts defaultRankingSources): the year score is the supervisor's
// year-end score when the person has one (otherwise the ranking falls back to the period assessments), and the
// records, duty groups and Party membership are the evaluation records' own queries. Real PostgreSQL. Also: when
// a key result counts as exceeded (QĐ 366's statistic), and no Party track before cycle 2026 (QĐ 124, not
// modelled). The Party track, the head's absence and the exceeded gate through the API and the workflow:
// api/routes/evaluation/ranking.test.ts.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { keyResult } from '../../test/support/check-in-plans.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg } from '../../test/support/org-fixture.ts';
import {
  conclusionRecordsOf,
  disciplineRecordsOf,
  dutyGroupsOf,
  partyMembersOf,
} from './evaluation-records.ts';
import {
  defaultRankingSources,
  ensureRanking,
  entriesOf,
  keyResultExceeded,
  recomputeDraft,
} from './rankings.ts';

const { db } = await freshDatabase();
const f = await buildOrg(
  db,
  createApp({ db, temporal: () => Promise.reject(new Error('unused')), version: 'test' }),
);

describe('the ranking’s default sources', () => {
  it('reads the supervisor’s year-end score, and nothing for a person without one', async () => {
    await db
      .insertInto('year_end_assessment')
      .values({ person_id: f.person.officialA, unit_id: f.unit.AD1, year: 2027, supervisor_score: '87.5' })
      .execute();
    await db
      .insertInto('year_end_assessment')
      .values({ person_id: f.person.supervisorA, unit_id: f.unit.AD1, year: 2027 })
      .execute();
    const s = await defaultRankingSources();
    const scores = await s.yearScores!(db, { unitId: f.unit.AD1, year: 2027 });
    expect(Number(scores.get(f.person.officialA))).toBe(87.5);
    expect(scores.has(f.person.supervisorA)).toBe(false);
    expect((await s.yearScores!(db, { unitId: f.unit.AD1, year: 2026 })).size).toBe(0);
    // the ranking of the top unit reads its divisions' people too (their rows carry the division)
    const ofTopUnit = await s.yearScores!(db, { unitId: f.unit.A, year: 2027 });
    expect(Number(ofTopUnit.get(f.person.officialA))).toBe(87.5);
    expect((await s.yearScores!(db, { unitId: f.unit.B, year: 2027 })).size).toBe(0);
  });

  it('takes the records, duty groups and Party membership from the evaluation records', async () => {
    const s = await defaultRankingSources();
    expect([s.disciplineRecordsOf, s.conclusionRecordsOf, s.dutyGroupsOf, s.partyMembersOf]).toEqual([
      disciplineRecordsOf,
      conclusionRecordsOf,
      dutyGroupsOf,
      partyMembersOf,
    ]);
  });
});

describe('the exceeded statistic and the Party track', () => {
  it('counts a key result exceeded when its year value passes the target, never a milestone', () => {
    const sum = keyResult('k', { target: '120', aggregation: 'sum' });
    expect(keyResultExceeded(sum, ['80', '70'])).toBe(true);
    expect(keyResultExceeded(sum, ['60', '60'])).toBe(false); // met, not exceeded
    expect(keyResultExceeded(sum, [])).toBe(false);
    const lower = keyResult('l', { target: '5', direction: { kind: 'lower' }, aggregation: 'average' });
    expect(keyResultExceeded(lower, ['4', '3'])).toBe(true);
    expect(keyResultExceeded(lower, ['6', '5'])).toBe(false);
    const last = keyResult('x', { target: '10', aggregation: 'last' });
    expect(keyResultExceeded(last, ['12', '9'])).toBe(false);
    const milestone = keyResult('m', {
      target: '1',
      direction: { kind: 'milestone', dueDate: '2027-06-30' },
    });
    expect(keyResultExceeded(milestone, ['1'])).toBe(false);
  });

  it('ranks a Party member on the Party track from 2026 only, and never ranks the unit head', async () => {
    const people = [f.person.officialA!, f.person.staffA!, f.person.headA!];
    const sources = {
      yearScores: async () => new Map(people.map((p) => [p, '85'])),
      partyMembersOf: async () => new Set(people),
    };
    for (const [year, party] of [
      [2025, 0],
      [2027, 2],
    ] as const) {
      const row = await ensureRanking(db, {
        unitId: f.unit.A,
        year,
        deadline: `${year}-12-14`,
        by: f.person.headA!,
      });
      await recomputeDraft(db, { rankingId: row.id, by: f.person.headA!, sources });
      const entries = await entriesOf(db, row.id);
      expect(entries.filter((e) => e.track === 'party')).toHaveLength(party);
      expect(entries.some((e) => e.person_id === f.person.headA)).toBe(false);
      const official = entries.filter((e) => e.person_id === f.person.officialA);
      expect(official.map((e) => e.track)).toEqual(party ? ['state', 'party'] : ['state']);
      if (party) expect(official[1]).toMatchObject({ duty_group: 'party', level: 'good', score: '85.00' });
    }
  });
});
