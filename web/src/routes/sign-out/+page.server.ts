import { redirect } from '@sveltejs/kit';
import { api, SESSION_COOKIE } from '#lib/server/api.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.session) redirect(303, '/sign-in');
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    if (event.locals.session) await api(event, 'POST', '/api/auth/sign-out');
    event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
    redirect(303, '/sign-in?signedOut=1');
  },
};
