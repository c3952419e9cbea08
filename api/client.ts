// The typed client of the API for the web app (hono/client over AppType): paths, inputs and outputs are
// checked against the routes' zod schemas at compile time.
import { hc } from 'hono/client';
import type { AppType } from './app.ts';

export type { AppType };

/** A client rooted at the API origin ('' in the browser, the API's URL on the server). */
export function apiClient(
  baseUrl: string,
  init?: { fetch?: typeof fetch; headers?: Record<string, string> },
) {
  return hc<AppType>(baseUrl, {
    ...(init?.fetch ? { fetch: init.fetch } : {}),
    ...(init?.headers ? { headers: init.headers } : {}),
    init: { credentials: 'include' },
  });
}

export type ApiClient = ReturnType<typeof apiClient>;

/** The problem body every error answers with (application/problem+json). */
export interface ApiProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  message: { vi: string; en: string };
  details?: unknown;
}
