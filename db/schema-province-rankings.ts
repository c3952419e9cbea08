// Kysely types of the province ranking of units and their heads (migration 0660_province_ranking), added to DB by
// module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { RankLevel } from '../domain/rulesets/types.ts';
import type { GeneratedTimestamp, Json } from './schema.ts';
import type { UnitRankingStatus } from './schema-rankings.ts';

export type ProvinceRankingSubjectKind = 'collective' | 'individual';
/** 'plan': the unit plan's year score; 'supervisor': the head's year-end supervisor score; 'unit': the head's score
 *  derived from the unit's result (provisional); 'none': no score yet. */
export type ProvinceRankingScoreSource = 'plan' | 'supervisor' | 'unit' | 'none';

export interface ProvinceRankingTable {
  id: Generated<string>;
  province_id: string;
  year: number;
  status: ColumnType<UnitRankingStatus, UnitRankingStatus | undefined, UnitRankingStatus>;
  revision: ColumnType<number, number | undefined, number>;
  workflow_id: string | null;
  rule_set_id: string;
  rule_set_version: number;
  deadline: ColumnType<string, string, string>;
  decided_by: string | null;
  decided_on: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** An approved exception to the heads' quota recorded by the committee's decision. */
  exception_places: number | null;
  exception_decision_number: string | null;
  exception_justification: string | null;
  published_by: string | null;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ProvinceRankingEntryTable {
  ranking_id: string;
  subject_kind: ProvinceRankingSubjectKind;
  /** The unit (collective) or the head (individual). */
  subject_id: string;
  unit_id: string;
  person_id: string | null;
  score: ColumnType<string | null, string | null | undefined, string | null>;
  score_source: ProvinceRankingScoreSource;
  level: ColumnType<RankLevel | null, RankLevel | null | undefined, RankLevel | null>;
  result: ColumnType<Json | null, Json | string | null | undefined, Json | string | null>;
  frozen: ColumnType<Json | null, Json | string | null | undefined, Json | string | null>;
}

declare module './schema.ts' {
  interface DB {
    province_ranking: ProvinceRankingTable;
    province_ranking_entry: ProvinceRankingEntryTable;
  }
}

export type ProvinceRankingRow = Selectable<ProvinceRankingTable>;
export type ProvinceRankingEntryRow = Selectable<ProvinceRankingEntryTable>;
