/**
 * The web server's calls to the API (DESIGN §5: the web app talks only to the API). Every call carries the
 * browser's session cookie and, on state-changing requests, the session's anti-forgery token; Set-Cookie
 * answers (sign-in, sign-out) are passed back to the browser through SvelteKit's cookies.
 */
import { type Cookies, error, type RequestEvent } from '@sveltejs/kit';
import { getLocale } from '#lib/paraglide/runtime.js';
import { apiUrl } from './config.ts';
import { publicOrigin } from './origin.ts';

export const SESSION_COOKIE = 'woms_session';

/** The problem body every API error answers with (application/problem+json). */
export interface Problem {
  status: number;
  code: string;
  message: { vi: string; en: string };
  details?: unknown;
  /** Seconds from the Retry-After header (lockout, throttling). */
  retryAfter?: number;
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; problem: Problem };

type Event = Pick<RequestEvent, 'cookies' | 'request' | 'getClientAddress' | 'locals'>;

const unreachable = (): Problem => ({
  status: 502,
  code: 'API_UNREACHABLE',
  message: { vi: 'Không kết nối được tới máy chủ API.', en: 'The API server cannot be reached.' },
});

/** The problem's message in the reader's language. */
export function problemText(p: Problem): string {
  return getLocale() === 'en' ? p.message.en : p.message.vi;
}

/** Copies the API's Set-Cookie for the session onto the browser's response. */
function passCookies(res: Response, cookies: Cookies, request: Request): void {
  const secure = publicOrigin(request)?.startsWith('https:') ?? false;
  for (const line of res.headers.getSetCookie()) {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = decodeURIComponent(pair.slice(eq + 1));
    if (name !== SESSION_COOKIE) continue;
    const maxAge = attrs.find((a) => a.toLowerCase().startsWith('max-age='));
    const expires = attrs.find((a) => a.toLowerCase().startsWith('expires='));
    const gone =
      value === '' ||
      (maxAge !== undefined && Number(maxAge.split('=')[1]) <= 0) ||
      (expires !== undefined && new Date(expires.slice(8)).getTime() < Date.now());
    if (gone) cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    else cookies.set(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  }
}

/**
 * Calls the API as the signed-in person. `body` is sent as JSON unless it is a Blob/ArrayBuffer (then
 * `contentType` says what it is). Never throws: an unreachable API is a 502 problem.
 */
export async function api<T = unknown>(
  event: Event,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  opts: { contentType?: string; csrfToken?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const base = apiUrl();
  const headers = new Headers({ ...opts.headers, accept: 'application/json' });
  const token = event.cookies.get(SESSION_COOKIE);
  if (token) headers.set('cookie', `${SESSION_COOKIE}=${token}`);
  const ua = event.request.headers.get('user-agent');
  if (ua) headers.set('user-agent', ua);
  let client = 'unknown';
  try {
    client = event.getClientAddress();
  } catch {
    // not available (prerendering)
  }
  headers.set('x-forwarded-for', client);
  let payload: BodyInit | undefined;
  if (method !== 'GET') {
    // The API's origin check: this server speaks from the API's own origin.
    headers.set('origin', new URL(base).origin);
    const csrf = opts.csrfToken ?? event.locals.session?.csrfToken;
    if (csrf) headers.set('x-csrf-token', csrf);
    if (body instanceof Uint8Array || body instanceof ArrayBuffer || body instanceof Blob) {
      headers.set('content-type', opts.contentType ?? 'application/octet-stream');
      payload = body as BodyInit;
    } else if (body !== undefined) {
      headers.set('content-type', 'application/json');
      payload = JSON.stringify(body);
    }
  }
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: payload ?? null,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    return { ok: false, status: 502, problem: unreachable() };
  }
  passCookies(res, event.cookies, event.request);
  if (res.ok) {
    const text = await res.text();
    return { ok: true, status: res.status, data: (text ? JSON.parse(text) : null) as T };
  }
  if (res.status >= 300 && res.status < 400) {
    return { ok: true, status: res.status, data: { location: res.headers.get('location') } as T };
  }
  const problem = (await res.json().catch(() => null)) as Problem | null;
  const retry = Number(res.headers.get('retry-after'));
  if (problem && retry > 0) problem.retryAfter = retry;
  return {
    ok: false,
    status: res.status,
    problem:
      problem && typeof problem.code === 'string' && problem.message
        ? { ...problem, status: res.status }
        : { status: res.status, code: `HTTP_${res.status}`, message: unreachable().message },
  };
}

/** GET that must succeed for the page to render: otherwise SvelteKit's error page with the API's message. */
export async function apiGet<T>(event: Event, path: string): Promise<T> {
  const r = await api<T>(event, 'GET', path);
  if (r.ok) return r.data;
  error(r.status === 502 ? 502 : r.status, problemText(r.problem));
}
