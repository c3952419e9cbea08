// The API's typed client (api/client.ts, over the app's AppType) for server-side loads and actions: paths,
// inputs and outputs are checked against the routes' zod schemas at compile time.
import type { RequestEvent } from '@sveltejs/kit';
import { apiClient } from '../../../../api/client.ts';
import { type Problem, SESSION_COOKIE } from './api.ts';
import { apiUrl } from './config.ts';

type Event = Pick<RequestEvent, 'cookies' | 'locals'>;

/** A client acting as the signed-in person (session cookie, anti-forgery token and the API's own origin). */
export function clientFor(event: Event) {
  const headers: Record<string, string> = { origin: new URL(apiUrl()).origin };
  const token = event.cookies.get(SESSION_COOKIE);
  if (token) headers.cookie = `${SESSION_COOKIE}=${token}`;
  if (event.locals.session?.csrfToken) headers['x-csrf-token'] = event.locals.session.csrfToken;
  return apiClient(apiUrl(), { headers });
}

/** The problem body of a typed-client answer that is not a success. */
export async function problemOf(res: { status: number; json(): Promise<unknown> }): Promise<Problem> {
  const body = (await res.json().catch(() => null)) as Problem | null;
  return body && typeof body.code === 'string' && body.message
    ? { ...body, status: res.status }
    : {
        status: res.status,
        code: `HTTP_${res.status}`,
        message: { vi: 'Lỗi hệ thống. Vui lòng thử lại.', en: 'System error. Please try again.' },
      };
}
