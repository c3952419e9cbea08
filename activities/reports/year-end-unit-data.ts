// The model of the year-end evaluation of a unit's people (activities/reports/year-end-model.ts) read from the unit
// ranking (db/queries/rankings.ts): each person's state level (the frozen one once decided), their Party level
// when the ranking holds a Party track for them (the `track` column of unit_ranking_entry, when present), the score
// and its source, the failed gates in plain Vietnamese, the quota per duty group and the approved exceptions, the
// rule set and legal basis, who decided and when; the unit's heads, ranked by the superior body, are named.

import type { Executor } from '../../db/executor.ts';
import { holdersOfRole } from '../../db/queries/org.ts';
import { provinceRankingEntriesOf } from '../../db/queries/province-rankings.ts';
import {
  entriesOf,
  exceptionsOf,
  quotaOf,
  type SelectedFrozenRanking,
  selectionMessage,
  selectionsOf,
} from '../../db/queries/rankings.ts';
import type { ProvinceRankingRow } from '../../db/schema-province-rankings.ts';
import type { UnitRankingEntryRow, UnitRankingRow } from '../../db/schema-rankings.ts';
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { getRuleSet } from '../../domain/rulesets/catalogue.ts';
import type { RankLevel } from '../../domain/rulesets/types.ts';
import type { FrozenRanking, RankingResult } from '../../domain/scoring/index.ts';
import {
  type AppealOutcome,
  explanationNotes,
  type ProvinceYearEndReport,
  provinceYearEndReportFrom,
  type UnitYearEndReport,
  type YearEndPersonRow,
} from './year-end-model.ts';

/** The appeal outcomes of a ranking keyed `${rankingId}:${subjectId}:${track}` (db/queries/ranking-notices.ts appealOutcomesOf). */
export type AppealOutcomesOf = (
  executor: Executor,
  a: { rankingKind: 'unit' | 'province'; rankingIds: string[] },
) => Promise<Map<string, AppealOutcome>>;

/** The place of the date line: the province's name without "Tỉnh"/"Thành phố". */
export function placeOf(provinceName: string): string {
  return provinceName.replace(/^(Tỉnh ủy|Tỉnh|Thành phố|Thành ủy|UBND tỉnh)\s+/iu, '').trim() || provinceName;
}

const trackOf = (e: UnitRankingEntryRow) => ((e as { track?: string }).track === 'party' ? 'party' : 'state');

/** The head's selections within the quota of a draft: `${personId}/${track}` → reason (rankings.ts). */
type DraftSelections = ReadonlyMap<string, string>;

/** The level printed: the frozen (chosen) one once decided; in a draft, 'good' for an 'excellent' entry the head
 *  placed at 'good' within the quota. */
function levelOf(e: UnitRankingEntryRow, selected: DraftSelections = new Map()): RankLevel | null {
  const frozen = e.frozen as unknown as FrozenRanking | null;
  if (frozen) return frozen.level;
  return e.level === 'excellent' && selected.has(`${e.person_id}/${trackOf(e)}`) ? 'good' : e.level;
}

function notesOf(e: UnitRankingEntryRow, selected: DraftSelections = new Map()): string[] {
  const frozen = e.frozen as unknown as SelectedFrozenRanking | null;
  const result = e.result as unknown as RankingResult | null;
  const reason = frozen ? undefined : selected.get(`${e.person_id}/${trackOf(e)}`);
  // the selection within the quota, said after the engine's explanation (the engine's level and the chosen one)
  const selection =
    frozen?.selection?.message.vi ??
    (reason !== undefined && e.level === 'excellent' ? selectionMessage(reason).vi : undefined);
  return [...explanationNotes(frozen?.explanation ?? result?.explanation), ...(selection ? [selection] : [])];
}

export async function unitYearEndReportOf(
  db: Executor,
  a: { ranking: UnitRankingRow; date: string; appealOutcomesOf?: AppealOutcomesOf },
): Promise<UnitYearEndReport> {
  const row = a.ranking;
  const unit = await db
    .selectFrom('org_unit as u')
    .leftJoin('org_unit as p', 'p.id', 'u.province_id')
    .select(['u.name_vi as name', 'p.name_vi as province'])
    .where('u.id', '=', row.unit_id)
    .executeTakeFirstOrThrow();
  const [entries, exceptions, quota, heads, appeals, selections] = await Promise.all([
    entriesOf(db, row.id),
    exceptionsOf(db, row.id),
    quotaOf(db, row),
    holdersOfRole(db, 'unit_head', row.unit_id, a.date),
    a.appealOutcomesOf
      ? a.appealOutcomesOf(db, { rankingKind: 'unit', rankingIds: [row.id] })
      : Promise.resolve(new Map<string, AppealOutcome>()),
    selectionsOf(db, row.id),
  ]);
  const selected: DraftSelections = new Map(selections.map((x) => [`${x.person_id}/${x.track}`, x.reason]));
  const ids = [...new Set([...entries.map((e) => e.person_id), ...(row.decided_by ? [row.decided_by] : [])])];
  const names = new Map(
    ids.length === 0
      ? []
      : (await db.selectFrom('person').select(['id', 'full_name']).where('id', 'in', ids).execute()).map(
          (p) => [p.id, p.full_name],
        ),
  );
  const party = new Map(entries.filter((e) => trackOf(e) === 'party').map((e) => [e.person_id, e]));
  const rows: YearEndPersonRow[] = entries
    .filter((e) => trackOf(e) === 'state')
    .map((e) => {
      const p = party.get(e.person_id);
      return {
        name: names.get(e.person_id) ?? '',
        dutyGroup: e.duty_group,
        score: (e.frozen as unknown as FrozenRanking | null)?.score ?? e.score,
        scoreSource: e.score_source,
        level: levelOf(e, selected),
        ...(p ? { partyLevel: levelOf(p, selected) } : {}),
        appeal: appeals.get(`${row.id}:${e.person_id}:state`) ?? null,
        notes: notesOf(e, selected),
      };
    });
  const ranked = new Set(entries.map((e) => e.person_id));
  const rs = getRuleSet(row.rule_set_id, row.rule_set_version);
  const province = unit.province ?? '';
  const decidedBy = row.decided_by ? (names.get(row.decided_by) ?? null) : null;
  return {
    superiorBody: province,
    issuingBody: unit.name,
    number: null,
    symbol: 'BC',
    place: placeOf(province),
    date: a.date,
    signer: { title: 'Thủ trưởng cơ quan, đơn vị', name: decidedBy ?? heads[0]?.full_name ?? '' },
    recipients: ['Ban Tổ chức Tỉnh ủy', 'Sở Nội vụ', 'Lưu: VT'],
    unitName: unit.name,
    year: row.year,
    status: row.status,
    ruleSet: { id: rs.id, version: rs.version, title: rs.title.vi, legalBasis: rs.legalBasis },
    rows,
    quota: quota.groups.map((g) => ({
      dutyGroup: g.dutyGroup,
      good: g.good,
      excellent: g.excellent,
      // the places allowed in all: the rule set's share plus the approved exception ("trong đó … do ngoại lệ")
      allowed: g.allowed + g.exceptionPlaces,
      exceptionPlaces: g.exceptionPlaces,
      over: g.over,
    })),
    exceptions: exceptions
      .filter((x) => x.status === 'approved')
      .map((x) => ({
        dutyGroup: x.duty_group,
        extraPlaces: x.extra_places,
        decisionNumber: x.decision_number,
        decidedOn: x.decided_on,
      })),
    decidedBy,
    decidedOn: row.decided_on,
    publishedOn: row.published_at ? vnLocalDate(row.published_at.getTime()) : null,
    headsRankedAbove: heads.filter((h) => !ranked.has(h.id)).map((h) => h.full_name),
  };
}

/** The year-end evaluation of a province's units and heads from its province ranking (the report's model). */
export async function provinceYearEndReportOf(
  db: Executor,
  a: { ranking: ProvinceRankingRow; date: string; appealOutcomesOf?: AppealOutcomesOf },
): Promise<ProvinceYearEndReport> {
  const row = a.ranking;
  const [province, decider, rows, appeals] = await Promise.all([
    db.selectFrom('org_unit').select('name_vi').where('id', '=', row.province_id).executeTakeFirstOrThrow(),
    row.decided_by
      ? db.selectFrom('person').select('full_name').where('id', '=', row.decided_by).executeTakeFirst()
      : Promise.resolve(undefined),
    provinceRankingEntriesOf(db, { provinceId: row.province_id, year: row.year }),
    a.appealOutcomesOf
      ? a.appealOutcomesOf(db, { rankingKind: 'province', rankingIds: [row.id] })
      : Promise.resolve(new Map<string, AppealOutcome>()),
  ]);
  const rs = getRuleSet(row.rule_set_id, row.rule_set_version);
  return provinceYearEndReportFrom({
    rankingId: row.id,
    provinceName: province.name_vi,
    year: row.year,
    date: a.date,
    status: row.status,
    ruleSet: { id: rs.id, version: rs.version, title: rs.title.vi, legalBasis: rs.legalBasis },
    decidedBy: decider?.full_name ?? null,
    decidedOn: row.decided_on,
    rows,
    appeals,
  });
}
