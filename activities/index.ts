import type { Database } from '../db/connection.ts';
import { auditActivities } from './audit.ts';

export interface ActivityDeps {
  db: Database;
}

/** Builds every activity with its dependencies injected (STYLE.md: tests pass real or fake ones explicitly). */
export function createActivities(deps: ActivityDeps) {
  return { ...auditActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
