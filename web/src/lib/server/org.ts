import type { RequestEvent } from '@sveltejs/kit';
import { error } from '@sveltejs/kit';
import type { Page, PersonDto, UnitDto } from '#lib/types.ts';
import { api, type Problem, problemText } from './api.ts';
import { clientFor } from './client.ts';

type Event = Pick<RequestEvent, 'cookies' | 'request' | 'getClientAddress' | 'locals'>;

/** A unit, read with the typed client (an API refusal becomes the error page with the API's message). */
export async function getUnit(event: Event, id: string): Promise<UnitDto> {
  const res = await clientFor(event).api.admin['org-units'][':id'].$get({ param: { id } });
  if (res.status !== 200) error(res.status, problemText((await res.json()) as unknown as Problem));
  return res.json();
}

/** The unit and its ancestors up to the province (root first). */
export async function unitPath(event: Event, unit: UnitDto): Promise<UnitDto[]> {
  const path = [unit];
  let current = unit;
  for (let i = 0; i < 8 && current.parentId; i++) {
    const r = await api<UnitDto>(event, 'GET', `/api/admin/org-units/${current.parentId}`);
    if (!r.ok) break;
    current = r.data;
    path.unshift(current);
  }
  return path;
}

/** Sub-units of a unit (first 200), active only unless asked. */
export async function childUnits(
  event: Event,
  parentId: string,
  includeInactive = false,
): Promise<Page<UnitDto>> {
  const res = await clientFor(event).api.admin['org-units'].$get({
    query: { parentId, limit: '200', ...(includeInactive ? { includeInactive: 'true' as const } : {}) },
  });
  return res.status === 200 ? res.json() : { items: [], nextCursor: null };
}

/** Units a person can be placed in: the units directly under the province and the departments of `within`. */
export async function unitOptions(
  event: Event,
  provinceId: string,
  within: string[] = [],
): Promise<UnitDto[]> {
  const top = (await childUnits(event, provinceId)).items;
  const inner = await Promise.all([...new Set(within)].map((id) => childUnits(event, id)));
  const out = new Map<string, UnitDto>();
  for (const u of top) {
    out.set(u.id, u);
    for (const d of inner.flatMap((p) => p.items).filter((d) => d.parentId === u.id)) out.set(d.id, d);
  }
  return [...out.values()];
}

/** Everyone employed in the unit now (pages of 200, at most 2,000). */
export async function peopleOf(event: Event, unitId: string): Promise<PersonDto[]> {
  const out: PersonDto[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const q = new URLSearchParams({ unitId, limit: '200' });
    if (cursor) q.set('cursor', cursor);
    const r = await api<Page<PersonDto>>(event, 'GET', `/api/admin/people?${q}`);
    if (!r.ok) break;
    out.push(...r.data.items);
    cursor = r.data.nextCursor;
    if (!cursor) break;
  }
  return out;
}
