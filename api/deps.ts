import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import type { AuthConfig } from './auth/config.ts';

/** Everything the API needs, created once at start-up and injected (STYLE.md: no god objects, no per-request connections). */
export interface ApiDeps {
  db: Database;
  /** The one Temporal client of this process; the API alone holds it (DESIGN §5). */
  temporal: () => Promise<Client>;
  version: string;
  /** Sign-in settings (api/auth/config.ts defaults: 30 min idle, 12 h absolute, 5 failures → 15 min lock). */
  auth?: Partial<AuthConfig>;
  /** Clock of the sign-in code (sessions, lockouts, TOTP); tests inject one. */
  clock?: () => Date;
}
