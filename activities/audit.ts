import { writeDailyAnchor } from '../db/audit/anchor.ts';
import type { Database } from '../db/connection.ts';

const vnDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function auditActivities({ db }: { db: Database }) {
  return {
    /** Idempotent: one anchor per Asia/Ho_Chi_Minh day; a retry returns the existing one. */
    async writeAuditAnchor({ at }: { at: number }): Promise<{ day: string; heads: number }> {
      const day = vnDay.format(at);
      const anchor = await writeDailyAnchor(db, day);
      return { day, heads: anchor.heads };
    },
  };
}
