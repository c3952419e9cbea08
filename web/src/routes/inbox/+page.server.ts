import { redirect } from '@sveltejs/kit';
import { apiGet } from '#lib/server/api.ts';
import { TASK_KINDS } from '#lib/tasks.ts';
import type { PageServerLoad } from './$types';

export interface InboxTask {
  id: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  dueAt: string;
  dueDate: string;
  status: 'open' | 'done' | 'cancelled';
  overdue: boolean;
  urgency: 'overdue' | 'soon' | 'later';
  escalationLevel: number;
  link: string;
  details: { year?: number; period?: string } | null;
  /** The next month's plan, done in the same sitting as this check-in (same due day). */
  bundled?: { id: string; kind: string; period: string; link: string } | null;
  /** A task of a principal this person stands in for (delegation in force). */
  onBehalfOf?: { personId: string; name: string } | null;
}

interface InboxPage {
  items: InboxTask[];
  nextCursor: string | null;
  counts: { open: number; overdue: number; dueThisWeek: number };
}

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const sp = event.url.searchParams;
  const status = sp.get('status') === 'done' ? 'done' : 'open';
  const kind = TASK_KINDS.includes(sp.get('kind') ?? '') ? (sp.get('kind') as string) : '';
  const overdue = sp.get('overdue') === 'true' && status === 'open';
  const cursor = sp.get('cursor') ?? '';
  const q = new URLSearchParams({ status, limit: '50' });
  if (kind) q.set('kind', kind);
  if (overdue) q.set('overdue', 'true');
  if (cursor) q.set('cursor', cursor);
  const page = await apiGet<InboxPage>(event, `/api/inbox?${q}`);
  const next = page.nextCursor
    ? new URLSearchParams({ ...Object.fromEntries(q), cursor: page.nextCursor })
    : null;
  next?.delete('limit');
  return {
    ...page,
    filter: { status, kind, overdue },
    kinds: TASK_KINDS,
    nextHref: next ? `/inbox?${next}` : null,
  };
};
