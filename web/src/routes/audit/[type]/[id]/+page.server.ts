import { error } from '@sveltejs/kit';
import { AUDITED_TYPES } from '#lib/labels.ts';
import { m } from '#lib/paraglide/messages.js';
import { api, problemText } from '#lib/server/api.ts';
import { clientFor, problemOf } from '#lib/server/client.ts';
import type { PersonDto, UnitDto } from '#lib/types.ts';
import type { PageServerLoad } from './$types';

type AuditedType = Parameters<
  ReturnType<typeof clientFor>['api']['audit'][':aggregateType'][':aggregateId']['$get']
>[0]['param']['aggregateType'];

export interface Change {
  field: string;
  before: string | null;
  after: string | null;
}

const show = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);

/** Field-by-field difference of two audit snapshots (objects), or the whole values when they are not objects. */
function diff(before: unknown, after: unknown): Change[] {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(before) && !isObj(after)) {
    return show(before) === show(after) ? [] : [{ field: '—', before: show(before), after: show(after) }];
  }
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .map((k) => ({ field: k, before: show(b[k]), after: show(a[k]) }))
    .filter((c) => c.before !== c.after);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  const { type, id } = event.params;
  if (!AUDITED_TYPES.includes(type)) error(404, m.error_not_found());
  const cursor = event.url.searchParams.get('cursor');
  const res = await clientFor(event).api.audit[':aggregateType'][':aggregateId'].$get({
    param: { aggregateType: type as AuditedType, aggregateId: id },
    query: { limit: '100', ...(cursor ? { cursor } : {}) },
  });
  if (res.status !== 200) {
    const p = await problemOf(res);
    error(p.status, problemText(p));
  }
  const trail = await res.json();
  // Names of the people who acted (ids the reader may not see stay as they are).
  const actorIds = [...new Set(trail.items.map((e) => e.actor).filter((a) => UUID.test(a)))];
  const me = event.locals.session!.person;
  const names: Record<string, string> = { [me.id]: me.fullName };
  await Promise.all(
    actorIds
      .filter((pid) => !names[pid])
      .map(async (pid) => {
        const p = await api<PersonDto>(event, 'GET', `/api/admin/people/${pid}`);
        if (p.ok) names[pid] = p.data.fullName;
      }),
  );
  let title: string = id;
  if (type === 'org_unit') {
    const u = await api<UnitDto>(event, 'GET', `/api/admin/org-units/${id}`);
    if (u.ok) title = `${u.data.code} — ${u.data.nameVi}`;
  } else if (type === 'person') {
    const p = await api<PersonDto>(event, 'GET', `/api/admin/people/${id}`);
    if (p.ok) title = p.data.fullName;
  }
  return {
    type,
    id,
    title,
    chainIntact: trail.chainIntact,
    nextCursor: trail.nextCursor,
    entries: trail.items.map((e) => ({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      actorName: names[e.actor] ?? null,
      action: e.action,
      changes: diff(e.before, e.after),
    })),
  };
};
