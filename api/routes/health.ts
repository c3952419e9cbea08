import { Hono } from 'hono';
import { sql } from 'kysely';
import type { ApiDeps } from '../deps.ts';
import { dependencyDown } from '../problem.ts';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, rej) => (t = setTimeout(() => rej(new Error('timeout')), ms))),
    ]);
  } finally {
    clearTimeout(t);
  }
}

/** Liveness (the process answers) and readiness (its dependencies answer, each bounded by a timeout). */
export function healthRoutes(deps: ApiDeps) {
  return new Hono()
    .get('/health', (c) => c.json({ status: 'ok' as const, version: deps.version }))
    .get('/ready', async (c) => {
      const checks: Record<string, 'up' | 'down'> = {};
      await Promise.all([
        within(2000, sql`select 1`.execute(deps.db)).then(
          () => (checks.postgres = 'up'),
          () => (checks.postgres = 'down'),
        ),
        within(
          2000,
          deps.temporal().then((t) => t.connection.workflowService.getSystemInfo({})),
        ).then(
          () => (checks.temporal = 'up'),
          () => (checks.temporal = 'down'),
        ),
      ]);
      const down = Object.entries(checks)
        .filter(([, v]) => v === 'down')
        .map(([k]) => k);
      if (down.length) throw dependencyDown(down.join(', '), 5, { checks });
      return c.json({ status: 'ready' as const, checks });
    });
}
