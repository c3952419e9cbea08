import { writeDailyAnchor } from '../db/audit/anchor.ts';
import type { Database } from '../db/connection.ts';
import { vnLocalDate } from '../domain/calendar/vn-time.ts';

export function auditActivities({ db }: { db: Database }) {
  return {
    /** Idempotent: one anchor per Asia/Ho_Chi_Minh day; a retry returns the one already written. */
    async writeAuditAnchor({ at }: { at: number }): Promise<{ day: string; heads: number }> {
      const day = vnLocalDate(at);
      const { anchor } = await writeDailyAnchor(db, day);
      return { day, heads: anchor.headCount };
    },
  };
}
