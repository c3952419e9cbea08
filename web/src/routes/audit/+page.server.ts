import { redirect } from '@sveltejs/kit';
import { AUDITED_TYPES } from '#lib/labels.ts';
import { m } from '#lib/paraglide/messages.js';
import { failText, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ types: AUDITED_TYPES });

export const actions: Actions = {
  default: async ({ request }) => {
    const form = await request.formData();
    const type = field(form, 'type');
    const id = field(form, 'id');
    if (!AUDITED_TYPES.includes(type) || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id))
      return failText(m.error_not_found(), { type, id });
    redirect(303, `/audit/${type}/${encodeURIComponent(id)}`);
  },
};
