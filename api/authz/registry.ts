// The route registry: every route of the app with its declared access rule, read from the app's router.
import type { Hono } from 'hono';
import type { AuthzMarked } from './middleware.ts';
import type { Action } from './policy.ts';

export interface RouteRule {
  method: string;
  path: string;
  /** The declared action, 'public', or undefined when the route declares nothing (a bug). */
  rule: Action | 'public' | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: any Hono app
export function routeTable(app: Hono<any, any, any>): RouteRule[] {
  const byRoute = new Map<string, RouteRule>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // app-wide middleware
    const key = `${r.method} ${r.path}`;
    const entry = byRoute.get(key) ?? { method: r.method, path: r.path, rule: undefined };
    const marked = r.handler as unknown as AuthzMarked;
    if (marked.authzAction) entry.rule = marked.authzAction;
    else if (marked.authzPublic) entry.rule = 'public';
    byRoute.set(key, entry);
  }
  return [...byRoute.values()];
}
