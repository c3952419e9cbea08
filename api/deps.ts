import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection.ts';

/** Everything the API needs, created once at start-up and injected (STYLE.md: no god objects, no per-request connections). */
export interface ApiDeps {
  db: Database;
  /** The one Temporal client of this process; the API alone holds it (DESIGN §5). */
  temporal: () => Promise<Client>;
  version: string;
}
