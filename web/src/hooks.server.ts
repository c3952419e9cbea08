import { redirect } from '@sveltejs/kit';
import type { Handle } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '#lib/paraglide/server.js';
import { api, SESSION_COOKIE } from '#lib/server/api.ts';
import { isCrossSiteFormPost } from '#lib/server/origin.ts';
import { proxyToApi } from '#lib/server/proxy.ts';
import { withNoStore, withSecurityHeaders } from '#lib/server/security-headers.ts';
import type { Session } from '#lib/session.ts';

/** Screens that need a signed-in person (the API decides what each may do). */
const PROTECTED = ['/account', '/admin', '/audit'];
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Where a session that is not finished yet must go first (second factor, forced password change). */
function pendingStep(s: Session, path: string): string | undefined {
  if (under(path, '/sign-out') || under(path, '/language')) return undefined;
  if (s.secondFactorRequired && !s.secondFactorDone) {
    const step = s.totpEnrolled ? '/sign-in' : '/account/security';
    return under(path, step) ? undefined : step;
  }
  if (s.mustChangePassword) return under(path, '/account/password') ? undefined : '/account/password';
  return undefined;
}

export const handle: Handle = async (input) => {
  const response = withSecurityHeaders(await handlePage(input));
  return input.event.locals.session ? withNoStore(response) : response;
};

const handlePage: Handle = async ({ event, resolve }) => {
  if (isCrossSiteFormPost(event.request)) {
    return new Response('Cross-site form submissions are forbidden', { status: 403 });
  }
  const path = event.url.pathname;
  // The browser talks to one origin: /api/* is forwarded to the API untouched.
  if (path === '/api' || path.startsWith('/api/')) {
    return proxyToApi(event.request, event.url, event.getClientAddress());
  }
  // The locale comes from the cookie (else Vietnamese); URLs carry no locale, so the request is passed on as is.
  return paraglideMiddleware(event.request, async ({ locale }) => {
    event.locals.session = null;
    if (event.cookies.get(SESSION_COOKIE) && path !== '/favicon.svg') {
      const r = await api<Session>(event, 'GET', '/api/auth/session');
      if (r.ok) event.locals.session = r.data;
      else if (r.status === 401)
        event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
    }
    const s = event.locals.session;
    if (!s && PROTECTED.some((p) => under(path, p))) {
      redirect(303, `/sign-in?next=${encodeURIComponent(path + event.url.search)}`);
    }
    if (s) {
      const step = pendingStep(s, path);
      if (step) {
        const next = under(path, '/sign-in')
          ? (event.url.searchParams.get('next') ?? '/')
          : path + event.url.search;
        redirect(303, `${step}?next=${encodeURIComponent(next)}`);
      }
    }
    return resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale),
    });
  });
};
