import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { ssoConfigured } from '#lib/server/sso.ts';
import { safeNext } from '#lib/session.ts';
import type { Actions, PageServerLoad } from './$types';

interface SignInAnswer {
  requiresSecondFactor: boolean;
  mustChangePassword: boolean;
  totpEnrolled: boolean;
  csrfToken: string;
}

export const load: PageServerLoad = async (event) => {
  const s = event.locals.session;
  const next = safeNext(event.url.searchParams.get('next'));
  const pending = Boolean(s?.secondFactorRequired && !s.secondFactorDone);
  if (s && !pending) redirect(303, next);
  return {
    step: pending ? ('second-factor' as const) : ('password' as const),
    next,
    sso: pending ? false : await ssoConfigured(event),
    signedOut: event.url.searchParams.has('signedOut'),
  };
};

/** Minutes from a Retry-After header value the API put in the problem (rounded up). */
const retryMinutes = (seconds: unknown) =>
  typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds / 60) : undefined;

export const actions: Actions = {
  password: async (event) => {
    const form = await event.request.formData();
    const email = field(form, 'email');
    const password = form.get('password');
    const next = safeNext(field(form, 'next'));
    if (!email || typeof password !== 'string' || !password)
      return failText(m.signin_required_fields(), { email });
    const r = await api<SignInAnswer>(event, 'POST', '/api/auth/sign-in', { email, password });
    if (!r.ok) {
      const minutes = retryMinutes(r.problem.retryAfter);
      return failWith(r.problem, { email, retry: minutes ? m.signin_retry_after({ minutes }) : null });
    }
    const q = `?next=${encodeURIComponent(next)}`;
    if (r.data.requiresSecondFactor)
      redirect(303, r.data.totpEnrolled ? `/sign-in${q}` : `/account/security${q}`);
    if (r.data.mustChangePassword) redirect(303, `/account/password${q}`);
    redirect(303, next);
  },
  code: async (event) => {
    const form = await event.request.formData();
    const code = field(form, 'code');
    const next = safeNext(field(form, 'next'));
    if (!code) return failText(m.signin_code_required());
    const r = await api(event, 'POST', '/api/auth/second-factor', { code });
    if (!r.ok) return failWith(r.problem);
    if (event.locals.session?.mustChangePassword)
      redirect(303, `/account/password?next=${encodeURIComponent(next)}`);
    redirect(303, next);
  },
};
