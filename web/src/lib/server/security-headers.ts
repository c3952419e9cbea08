/**
 * Headers every page of the web app carries (the Content-Security-Policy itself comes from SvelteKit's `csp`
 * option in vite.config.ts, which adds nonces for its own inline scripts).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

export function withSecurityHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!response.headers.has(name)) {
      try {
        response.headers.set(name, value);
      } catch {
        // Immutable headers (a fetched response passed through): the API sets its own.
      }
    }
  }
  return response;
}

/** What a signed-in person reads is never kept by a cache, shared or the browser's (issue 9 security checks),
 *  unless the route chose a Cache-Control of its own. */
export function withNoStore(response: Response): Response {
  if (!response.headers.has('Cache-Control')) {
    try {
      response.headers.set('Cache-Control', 'private, no-store');
    } catch {
      // Immutable headers (a fetched response passed through): the API sets its own.
    }
  }
  return response;
}
