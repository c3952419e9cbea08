// Kysely types of the ranking of a unit's people (migration 0630_unit_ranking), added to DB by module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { RankLevel } from '../domain/rulesets/types.ts';
import type { GeneratedTimestamp, Json } from './schema.ts';

export type UnitRankingStatus = 'draft' | 'decided' | 'published';
export type RankingScoreSource = 'supervisor' | 'periods' | 'none';
export type QuotaExceptionStatus = 'requested' | 'approved' | 'rejected';
/** The state ranking, or the Party ranking of a Party member (QĐ 366; migration 0640). */
export type RankingTrack = 'state' | 'party';

export interface UnitRankingTable {
  id: Generated<string>;
  unit_id: string;
  year: number;
  status: ColumnType<UnitRankingStatus, UnitRankingStatus | undefined, UnitRankingStatus>;
  /** +1 on every recomputation of the draft: the decision names the revision the head saw. */
  revision: ColumnType<number, number | undefined, number>;
  workflow_id: string | null;
  /** The rule set the draft is computed with (chosen per unit type and cycle); frozen per entry on decision. */
  rule_set_id: string;
  rule_set_version: number;
  /** The rule set of the Party track (QĐ 366; migration 0640). */
  party_rule_set_id: ColumnType<string, string | undefined, string>;
  party_rule_set_version: ColumnType<number, number | undefined, number>;
  /** The plan-year calendar's `year-end.ranking` deadline (before 15/12). */
  deadline: ColumnType<string, string, string>;
  decided_by: string | null;
  decided_on: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  published_by: string | null;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface UnitRankingEntryTable {
  ranking_id: string;
  person_id: string;
  /** Part of the key: a Party member has a 'state' and a 'party' entry. */
  track: ColumnType<RankingTrack, RankingTrack | undefined, RankingTrack>;
  agency_id: string;
  duty_group: string;
  is_head: ColumnType<boolean, boolean | undefined, boolean>;
  /** numeric → string (exact); null without any score. */
  score: ColumnType<string | null, string | null | undefined, string | null>;
  /** 'supervisor': the year-end supervisor assessment; 'periods': the mean of the confirmed period assessments
   *  (provisional); 'none': no score yet. */
  score_source: RankingScoreSource;
  level: ColumnType<RankLevel | null, RankLevel | null | undefined, RankLevel | null>;
  /** The engine's RankingResult (explanation with steps and failed gates). */
  result: ColumnType<Json | null, Json | string | null | undefined, Json | string | null>;
  /** domain/scoring FrozenRanking, set on decision and never changed afterwards. */
  frozen: ColumnType<Json | null, Json | string | null | undefined, Json | string | null>;
}

export interface UnitRankingExceptionTable {
  id: Generated<string>;
  ranking_id: string;
  /** The track whose quota the exception lifts. */
  track: ColumnType<RankingTrack, RankingTrack | undefined, RankingTrack>;
  agency_id: string;
  duty_group: string;
  extra_places: number;
  justification: string;
  status: ColumnType<QuotaExceptionStatus, QuotaExceptionStatus | undefined, QuotaExceptionStatus>;
  requested_by: string;
  requested_at: GeneratedTimestamp;
  decided_by: string | null;
  decision_number: string | null;
  decided_on: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The head's selection within the quota (migration 0690): an entry the engine ranked 'excellent' placed at
 *  'good' in the draft ("xếp Hoàn thành tốt do giới hạn tỷ lệ"), with a reason. */
export interface UnitRankingSelectionTable {
  ranking_id: string;
  person_id: string;
  track: ColumnType<RankingTrack, RankingTrack | undefined, RankingTrack>;
  engine_level: ColumnType<'excellent', 'excellent' | undefined, 'excellent'>;
  level: ColumnType<'good', 'good' | undefined, 'good'>;
  reason: string;
  selected_by: string;
  selected_at: GeneratedTimestamp;
}

/** The standing committee's selection within the heads' quota of the province ranking (migration 0690). */
export interface ProvinceRankingSelectionTable {
  ranking_id: string;
  person_id: string;
  engine_level: ColumnType<'excellent', 'excellent' | undefined, 'excellent'>;
  level: ColumnType<'good', 'good' | undefined, 'good'>;
  reason: string;
  selected_by: string;
  selected_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    unit_ranking_selection: UnitRankingSelectionTable;
    province_ranking_selection: ProvinceRankingSelectionTable;
    unit_ranking: UnitRankingTable;
    unit_ranking_entry: UnitRankingEntryTable;
    unit_ranking_exception: UnitRankingExceptionTable;
  }
}

export type UnitRankingRow = Selectable<UnitRankingTable>;
export type UnitRankingEntryRow = Selectable<UnitRankingEntryTable>;
export type UnitRankingExceptionRow = Selectable<UnitRankingExceptionTable>;
export type UnitRankingSelectionRow = Selectable<UnitRankingSelectionTable>;
export type ProvinceRankingSelectionRow = Selectable<ProvinceRankingSelectionTable>;
