import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection.ts';
import type { ProvinceRankingSources } from '../db/queries/province-rankings.ts';
import type { RankingSources } from '../db/queries/rankings.ts';
import type { AnnualPlanInput } from '../workflows/annual-plan.messages.ts';
import type { DelegationInput } from '../workflows/delegation.messages.ts';
import type { ProvinceRankingInput } from '../workflows/province-ranking.messages.ts';
import type { UnitRankingInput } from '../workflows/unit-ranking.messages.ts';
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
  /** The Temporal Web UI (TEMPORAL_UI_URL) and namespace, for the administrators' links to a run. */
  temporalUiUrl?: string | undefined;
  temporalNamespace?: string | undefined;
  /** Annual-plan workflows started by the plan routes: the task queue (TASK_QUEUE by default) and, for tests
   * and demos only, a hook that adjusts the input (a time warp). */
  plans?: {
    taskQueue?: string;
    adjustInput?: (input: AnnualPlanInput) => AnnualPlanInput;
    /** How long a request waits for a worker to accept an Update (10 s). */
    updateDeadlineMs?: number;
  };
  /** The web app's public origin (WOMS_WEB_URL, e.g. https://woms.example.gov.vn): absolute links in the calendar
   * feed. Unset: the origin the request came through (the web app's /api proxy forwards it). */
  webUrl?: string | undefined;
  /** Evidence files (DESIGN §5): the largest file accepted (domain/evidence DEFAULT_EVIDENCE_LIMITS by default). */
  evidence?: { maxBytes?: number } | undefined;
  /** Delegation workflows started by POST /api/delegations: the task queue (TASK_QUEUE by default) and, for
   * tests and demos only, a hook that adjusts the input (a time warp). */
  delegations?: {
    taskQueue?: string;
    adjustInput?: (input: DelegationInput) => DelegationInput;
    updateDeadlineMs?: number;
  };
  /** Unit-ranking workflows started by POST /api/rankings (issue 8): the task queue, for tests and demos a hook
   * that adjusts the input (a time warp), and the year-end sources tests inject (db/queries/rankings.ts). */
  rankings?: {
    taskQueue?: string;
    adjustInput?: (input: UnitRankingInput) => UnitRankingInput;
    sources?: RankingSources;
    updateDeadlineMs?: number;
  };
  /** GET /metrics (api/metrics): the bearer token that admits a scraper from another machine (METRICS_TOKEN;
   * unset: loopback only). */
  metrics?: { token?: string | undefined } | undefined;
  /** The bound of every request in milliseconds (API_REQUEST_TIMEOUT_MS; api/request-timeout.ts, 15 s). */
  requestTimeoutMs?: number | undefined;
  /** Province-ranking workflows started by POST /api/province-rankings (issue 8): as `rankings`. */
  provinceRankings?: {
    taskQueue?: string;
    adjustInput?: (input: ProvinceRankingInput) => ProvinceRankingInput;
    sources?: ProvinceRankingSources;
    updateDeadlineMs?: number;
  };
}
