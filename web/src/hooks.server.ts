import type { Handle } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '#lib/paraglide/server.js';
import { isCrossSiteFormPost } from '#lib/server/origin.ts';
import { proxyToApi } from '#lib/server/proxy.ts';

export const handle: Handle = async ({ event, resolve }) => {
  if (isCrossSiteFormPost(event.request)) {
    return new Response('Cross-site form submissions are forbidden', { status: 403 });
  }
  // The browser talks to one origin: /api/* is forwarded to the API untouched.
  if (event.url.pathname === '/api' || event.url.pathname.startsWith('/api/')) {
    return proxyToApi(event.request, event.url, event.getClientAddress());
  }
  // The locale comes from the cookie (else Vietnamese); URLs carry no locale, so the request is passed on as is.
  return paraglideMiddleware(event.request, ({ locale }) =>
    resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale),
    }),
  );
};
