import { redirect } from '@sveltejs/kit';
import { api, problemText } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export type HitKind = 'plan' | 'task' | 'keyResult';

export interface SearchHit {
  kind: HitKind;
  id: string;
  title: string;
  plan: { id: string; year: number; status: string; ownerKind: 'unit' | 'person'; ownerName: string };
  taskTitle: string | null;
  link: string;
  score: number;
}

interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
  total: number;
  counts: Record<HitKind, number>;
}

const KINDS: HitKind[] = ['plan', 'task', 'keyResult'];

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const cursor = event.url.searchParams.get('cursor');
  if (!q) return { q, result: null, error: null, nextHref: null };
  const params = new URLSearchParams({ q, limit: '100' });
  if (cursor) params.set('cursor', cursor);
  const r = await api<SearchPage>(event, 'GET', `/api/search?${params}`);
  if (!r.ok) return { q, result: null, error: problemText(r.problem), nextHref: null };
  const groups = KINDS.map((kind) => ({ kind, hits: r.data.items.filter((h) => h.kind === kind) })).filter(
    (g) => g.hits.length > 0,
  );
  return {
    q,
    result: { total: r.data.total, groups },
    error: null,
    nextHref: r.data.nextCursor ? `/search?${new URLSearchParams({ q, cursor: r.data.nextCursor })}` : null,
  };
};
