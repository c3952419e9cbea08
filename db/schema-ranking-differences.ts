// Kysely types of the December differences after a ranking (migration 0670_ranking_difference), added to DB by
// module augmentation.
import type { Generated, Selectable } from 'kysely';
import type { RankLevel } from '../domain/rulesets/types.ts';
import type { GeneratedTimestamp, Json } from './schema.ts';

export interface RankingDifferenceTable {
  id: Generated<string>;
  ranking_id: string;
  person_id: string;
  period_assessment_id: string;
  frozen_level: RankLevel;
  /** numeric → string (exact). */
  frozen_score: string;
  new_level: RankLevel;
  new_score: string;
  detail: Json;
  recorded_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    ranking_difference: RankingDifferenceTable;
  }
}

export type RankingDifferenceRow = Selectable<RankingDifferenceTable>;
