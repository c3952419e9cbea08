// The year-end review session's part of every dossier (issue 7 point 2: the December session "reviews the year and
// announces the rankings the year-end issue decides"): each agenda unit's year scorecard, scored the dashboards' way
// (the same functions as the dossier's own scorecard), and the year's published rankings when the rankings module
// (db/queries/rankings.ts) — none published yet: the dossier states that they are not decided yet.
import type { Executor } from '../executor.ts';
import '../schema-plans.ts';
import type { YearRanking, YearResult, YearReview } from '../../domain/giao-ban/model.ts';
import { publishedRankingsOf } from './rankings.ts';

/** How the published rankings are read (db/queries/rankings.ts publishedRankingsOf; a test may pass its own). */
export type PublishedRankingsOf = typeof publishedRankingsOf;

/** The year review of a province: `results` are given (computed by the dossier module with its scoring), the
 *  rankings read through `rankings` (default publishedRankingsOf) with their subjects' and units' names. */
export async function yearRankingsOf(
  executor: Executor,
  a: { provinceId: string; year: number },
  rankings: PublishedRankingsOf = publishedRankingsOf,
): Promise<YearReview['rankings']> {
  // the state rankings (a Party member's Party ranking, track 'party', is a second row: not announced here)
  const rows = (await rankings(executor, a)).filter((r) => (r.track ?? 'state') === 'state');
  if (!rows.length) return { status: 'not-decided' };
  const personIds = [...new Set(rows.filter((r) => r.subjectKind === 'individual').map((r) => r.subjectId))];
  const unitIds = [
    ...new Set([
      ...rows.map((r) => r.unitId),
      ...rows.filter((r) => r.subjectKind === 'collective').map((r) => r.subjectId),
    ]),
  ];
  const people = personIds.length
    ? await executor.selectFrom('person').select(['id', 'full_name']).where('id', 'in', personIds).execute()
    : [];
  const units = unitIds.length
    ? await executor.selectFrom('org_unit').select(['id', 'name_vi']).where('id', 'in', unitIds).execute()
    : [];
  const personName = new Map(people.map((p) => [p.id, p.full_name]));
  const unitName = new Map(units.map((u) => [u.id, u.name_vi]));
  const LEVEL_ORDER = ['excellent', 'good', 'completed', 'notCompleted'];
  const items: YearRanking[] = rows.map((r) => ({
    subjectId: r.subjectId,
    subjectKind: r.subjectKind,
    subjectName:
      (r.subjectKind === 'individual' ? personName.get(r.subjectId) : unitName.get(r.subjectId)) ??
      r.subjectId,
    unitId: r.unitId,
    unitName: unitName.get(r.unitId) ?? r.unitId,
    level: r.level,
    decidedOn: r.decidedOn,
  }));
  items.sort(
    (x, y) =>
      x.unitName.localeCompare(y.unitName, 'vi') ||
      (x.subjectKind === y.subjectKind ? 0 : x.subjectKind === 'collective' ? -1 : 1) ||
      LEVEL_ORDER.indexOf(x.level) - LEVEL_ORDER.indexOf(y.level) ||
      x.subjectName.localeCompare(y.subjectName, 'vi'),
  );
  return { status: 'published', items };
}

export type { YearResult };
