// A task's address in notifications and e-mails (/tasks/{id}): opens the screen where the task is done.
import { redirect } from '@sveltejs/kit';
import { apiGet } from '#lib/server/api.ts';
import { sameSite } from '#lib/tasks.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const task = await apiGet<{ link: string }>(event, `/api/inbox/${encodeURIComponent(event.params.id)}`);
  redirect(303, sameSite(task.link) ?? '/inbox');
};
