import type { Database } from '../../db/connection.ts';
import type { ApiDeps } from '../deps.ts';
import { type AuthConfig, authConfigFromEnv, resolveAuthConfig } from './config.ts';

/** What the sign-in code needs, resolved once per ApiDeps (so middleware and routes share one config). */
export interface AuthRuntime {
  db: Database;
  config: AuthConfig;
  now: () => Date;
}

const runtimes = new WeakMap<ApiDeps, AuthRuntime>();

export function authRuntime(deps: ApiDeps): AuthRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    const clock = deps.clock;
    // Environment settings (AUTH_*, OIDC_*) first, then what the caller injected.
    rt = {
      db: deps.db,
      config: resolveAuthConfig({ ...authConfigFromEnv(), ...deps.auth }),
      now: clock ? () => clock() : () => new Date(),
    };
    runtimes.set(deps, rt);
  }
  return rt;
}
