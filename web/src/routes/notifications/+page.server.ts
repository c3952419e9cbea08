import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith } from '#lib/server/forms.ts';
import { sameSite } from '#lib/tasks.ts';
import type { Actions, PageServerLoad } from './$types';

export interface NotificationItem {
  id: string;
  kind: string;
  title: { vi: string; en: string };
  body: { vi: string; en: string } | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

interface NotificationPage {
  items: NotificationItem[];
  nextCursor: string | null;
  unread: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const cursor = event.url.searchParams.get('cursor');
  const q = new URLSearchParams({ limit: '50' });
  if (cursor) q.set('cursor', cursor);
  const page = await apiGet<NotificationPage>(event, `/api/notifications?${q}`);
  return {
    ...page,
    saved: event.url.searchParams.get('saved') === '1',
    nextHref: page.nextCursor ? `/notifications?${new URLSearchParams({ cursor: page.nextCursor })}` : null,
  };
};

export const actions: Actions = {
  /** Marks one notification read and opens where it points (or stays here). */
  open: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const link = sameSite(String(form.get('link') ?? ''));
    if (UUID.test(id)) {
      const r = await api(event, 'POST', '/api/notifications/read', { ids: [id] });
      if (!r.ok) return failWith(r.problem);
    }
    redirect(303, link ?? '/notifications?saved=1');
  },
  read: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    if (!UUID.test(id)) redirect(303, '/notifications');
    const r = await api(event, 'POST', '/api/notifications/read', { ids: [id] });
    if (!r.ok) return failWith(r.problem);
    redirect(303, '/notifications?saved=1');
  },
  all: async (event) => {
    const r = await api(event, 'POST', '/api/notifications/read', { all: true });
    if (!r.ok) return failWith(r.problem);
    redirect(303, '/notifications?saved=1');
  },
};
