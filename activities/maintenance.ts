// Housekeeping of the sign-in tables: sessions and login throttles outlive their use. A session is kept
// for `keepDays` after it expired or was revoked (for security review: who was signed in from where),
// then deleted; a throttle row is deleted once its failure window has passed and no lock is in force.
// Idempotent: running twice deletes nothing more the second time.
import type { Database } from '../db/connection.ts';
import '../db/schema-auth.ts';

export interface PurgeAuthInput {
  /** Now, passed in by the workflow (its task time). */
  at: number;
  /** Days an ended session is kept (default 30). */
  keepDays?: number;
  /** Length of the login-failure window (default 1 day, longer than api/auth/throttle.ts's). */
  throttleWindowMs?: number;
}

export interface PurgeAuthResult {
  sessions: number;
  throttles: number;
}

export function maintenanceActivities({ db }: { db: Database }) {
  return {
    async purgeEndedAuthRows(input: PurgeAuthInput): Promise<PurgeAuthResult> {
      const now = new Date(input.at);
      const keep = new Date(input.at - (input.keepDays ?? 30) * 86_400_000);
      const windowStart = new Date(input.at - (input.throttleWindowMs ?? 86_400_000));
      const sessions = await db
        .deleteFrom('auth_session')
        .where((eb) => eb.or([eb('expires_at', '<', keep), eb('revoked_at', '<', keep)]))
        .executeTakeFirst();
      const throttles = await db
        .deleteFrom('auth_throttle')
        .where('window_start', '<', windowStart)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .executeTakeFirst();
      return {
        sessions: Number(sessions.numDeletedRows),
        throttles: Number(throttles.numDeletedRows),
      };
    },
  };
}
