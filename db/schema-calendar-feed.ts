// Kysely types of the calendar feed tokens (migration 0510_calendar_feed), added to DB by module augmentation.
import type { Selectable } from 'kysely';
import type { GeneratedTimestamp } from './schema.ts';

export type FeedLanguage = 'vi' | 'en';

export interface CalendarFeedTokenTable {
  person_id: string;
  /** sha256 of the token, lower-case hex; the token itself is never stored. */
  token_sha256: string;
  language: FeedLanguage;
  created_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    calendar_feed_token: CalendarFeedTokenTable;
  }
}

export type CalendarFeedTokenRow = Selectable<CalendarFeedTokenTable>;
