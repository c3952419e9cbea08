// Kysely types of the ranking notices and appeals (migration 0650_ranking_notice), added to DB by module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { RankLevel } from '../domain/rulesets/types.ts';
import type { GeneratedTimestamp } from './schema.ts';

export type RankingKind = 'unit' | 'province';
export type RankingTrack = 'state' | 'party';
export type AppealStatus = 'filed' | 'decided';
export type AppealOutcome = 'upheld' | 'changed';
type DateCol = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export interface RankingNoticeTable {
  id: Generated<string>;
  ranking_kind: RankingKind;
  ranking_id: string;
  subject_id: string;
  track: ColumnType<RankingTrack, RankingTrack | undefined, RankingTrack>;
  unit_id: string;
  province_id: string;
  year: number;
  level: RankLevel;
  score: ColumnType<string | null, string | null | undefined, string | null>;
  issued_on: DateCol;
  /** The last day an appeal is accepted (working days from the notice, the province's setting). */
  appeal_until: DateCol;
  read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: GeneratedTimestamp;
}

export interface RankingAppealTable {
  id: Generated<string>;
  notice_id: string;
  filed_by: string;
  reason: string;
  filed_on: DateCol;
  status: ColumnType<AppealStatus, AppealStatus | undefined, AppealStatus>;
  workflow_id: string | null;
  decided_by: string | null;
  decision_number: string | null;
  decided_on: NullableDate;
  outcome: AppealOutcome | null;
  new_level: RankLevel | null;
  note: string | null;
  created_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    ranking_notice: RankingNoticeTable;
    ranking_appeal: RankingAppealTable;
  }
}

export type RankingNoticeRow = Selectable<RankingNoticeTable>;
export type RankingAppealRow = Selectable<RankingAppealTable>;
