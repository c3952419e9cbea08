import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api } from '#lib/server/api.ts';
import { failText, failWith, field } from '#lib/server/forms.ts';
import { safeNext } from '#lib/session.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => ({
  forced: Boolean(locals.session?.mustChangePassword),
  next: safeNext(url.searchParams.get('next')),
  changed: url.searchParams.has('changed'),
});

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const currentPassword = form.get('currentPassword');
    const newPassword = form.get('newPassword');
    const confirm = form.get('confirmPassword');
    if (
      typeof currentPassword !== 'string' ||
      typeof newPassword !== 'string' ||
      typeof confirm !== 'string' ||
      !currentPassword ||
      !newPassword
    )
      return failText(m.password_required());
    if (newPassword !== confirm) return failText(m.password_mismatch(), { fields: ['confirmPassword'] });
    const wasForced = Boolean(event.locals.session?.mustChangePassword);
    const r = await api(event, 'POST', '/api/auth/password', { currentPassword, newPassword });
    if (!r.ok) return failWith(r.problem);
    if (wasForced) redirect(303, safeNext(field(form, 'next')));
    redirect(303, '/account/password?changed=1');
  },
};
