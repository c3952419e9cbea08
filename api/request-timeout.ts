// The bound of every API request (issue 9 point 2): a request that has not been answered within
// API_REQUEST_TIMEOUT_MS (15 s by default) is answered 503 DEPENDENCY_UNAVAILABLE with Retry-After instead of
// hanging — a dependency that stopped answering without refusing (PostgreSQL hung, a cut network), the pool's
// connect timeout (db/connection.ts) and the Temporal Update deadline (api/routes/plans/temporal.ts
// UPDATE_DEADLINE_MS, 10 s) come first and name their dependency; this one is the last word.
//
// What the bound covers: until the handler returns its Response. A file streamed to the client (evidence, PDF)
// is not cut once its Response is returned. A file upload (multipart/form-data) gets UPLOAD_FACTOR times the
// bound, for the transfer of the file itself. A handler cut by the bound is not cancelled: what it writes stays
// consistent by itself (one transaction; process steps are Updates with an idempotent update id), and the client
// sends again with the same Idempotency-Key after Retry-After.
import type { MiddlewareHandler } from 'hono';
import { ApiProblem } from './problem.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Uploads (multipart/form-data) are bounded by this many times the request timeout. */
export const UPLOAD_FACTOR = 8;
/** Seconds the client waits before it tries again. */
export const REQUEST_TIMEOUT_RETRY_AFTER_S = 5;

export const requestTimedOut = (ms: number) =>
  new ApiProblem({
    status: 503,
    code: 'DEPENDENCY_UNAVAILABLE',
    vi: `Hệ thống không trả lời kịp trong ${Math.round(ms / 1000)} giây. Vui lòng thử lại sau.`,
    en: `The system did not answer within ${Math.round(ms / 1000)} seconds. Please try again later.`,
    details: { reason: 'REQUEST_TIMEOUT', timeoutMs: ms },
    headers: { 'Retry-After': String(REQUEST_TIMEOUT_RETRY_AFTER_S) },
  });

/** The bound as a middleware: the request's handler races a timer; the timer's problem goes to app.onError. */
export function requestTimeout(ms = DEFAULT_REQUEST_TIMEOUT_MS): MiddlewareHandler {
  return async (c, next) => {
    const upload = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '');
    const bound = upload ? ms * UPLOAD_FACTOR : ms;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(requestTimedOut(bound)), bound);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
