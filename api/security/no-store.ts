import type { MiddlewareHandler } from 'hono';

/**
 * No answer of the API is kept by a cache, shared or the browser's (issue 9: authenticated JSON is `no-store`),
 * unless its route chose a Cache-Control of its own (file downloads: `private, no-store`; the calendar feed:
 * `private, no-cache`).
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('Cache-Control')) {
    try {
      c.res.headers.set('Cache-Control', 'no-store');
    } catch {
      // immutable headers (a response passed through as it is): left alone
    }
  }
};
