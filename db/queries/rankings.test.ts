// The ranking's default sources (db/queries/rankings.ts defaultRankingSources): the year score is the supervisor's
// year-end score when the person has one (otherwise the ranking falls back to the period assessments), and the
// records, duty groups and Party membership are the evaluation records' own queries. Real PostgreSQL.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { buildOrg } from '../../test/support/org-fixture.ts';
import {
  conclusionRecordsOf,
  disciplineRecordsOf,
  dutyGroupsOf,
  partyMembersOf,
} from './evaluation-records.ts';
import { defaultRankingSources } from './rankings.ts';

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
