import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { safeNext } from '#lib/session.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const s = locals.session!;
  return {
    totpEnrolled: s.totpEnrolled,
    required: s.secondFactorRequired && !s.secondFactorDone,
    next: safeNext(url.searchParams.get('next')),
  };
};

export const actions: Actions = {
  enrol: async (event) => {
    const r = await api<{ secret: string; otpauthUri: string }>(event, 'POST', '/api/auth/totp/enrol');
    if (!r.ok) return failWith(r.problem);
    // Shown once, in this answer only (never stored by the web app).
    return { enrolment: r.data };
  },
  confirm: async (event) => {
    const form = await event.request.formData();
    const code = field(form, 'code');
    const enrolment = { secret: field(form, 'secret'), otpauthUri: field(form, 'otpauthUri') };
    if (!code) return failText(m.signin_code_required(), { enrolment });
    const r = await api<{ recoveryCodes: string[] }>(event, 'POST', '/api/auth/totp/confirm', { code });
    if (!r.ok) return failWith(r.problem, { enrolment });
    return { recoveryCodes: r.data.recoveryCodes, next: safeNext(field(form, 'next')) };
  },
  done: async (event) => {
    const form = await event.request.formData();
    redirect(303, safeNext(field(form, 'next')));
  },
};
