// Escalations (issue 6 point 5; DESIGN §1 tiered rule, §3 ladder): the overdue and escalated items the signed-in
// supervisor, unit head or provincial body may see — who, what, since when, at which level — filtered by level
// and kind; the province also sees counts per unit of individuals' overdue items. Actions: act (the item's own
// screen), reassign (a verification: the verifier's handover screen, for unit heads and administrators; else delegation) and nudge (a form action: the API notifies the assignee).
import { redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failText, failWith, field, optional } from '#lib/server/forms.ts';
import { hasRole } from '#lib/session.ts';
import type { Actions, PageServerLoad } from './$types';

export interface EscalationItem {
  taskId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  period: string | null;
  tier: 'unit' | 'internal';
  assignee: { personId: string | null; name: string | null; role: string | null; unitId: string | null };
  person: { id: string; name: string } | null;
  unit: { id: string; code: string; name: string } | null;
  dueDate: string;
  overdue: boolean;
  workingDaysOverdue: number;
  level: { rank: number; escalatedTo: string | null; escalatedAt: string | null };
  link: string;
  nudgedToday: boolean;
  canNudge: boolean;
}
export interface UnitCount {
  unitId: string;
  code: string;
  name: string;
  overdue: number;
  escalated: number;
}

const LEVELS = ['overdue', 'supervisor', 'unit-head', 'province'] as const;
const KIND = /^[a-z][a-z0-9._-]{0,63}$/;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const kind = event.url.searchParams.get('kind') ?? '';
  const level = event.url.searchParams.get('level') ?? '';
  const cursor = event.url.searchParams.get('cursor') ?? '';
  const q = new URLSearchParams();
  if (KIND.test(kind)) q.set('kind', kind);
  if ((LEVELS as readonly string[]).includes(level)) q.set('level', level);
  const page = new URLSearchParams(q);
  if (cursor) page.set('cursor', cursor);
  const r = await apiGet<{
    day: string;
    items: EscalationItem[];
    unitCounts: UnitCount[];
    kinds: string[];
    nextCursor: string | null;
  }>(event, `/api/escalations${page.size ? `?${page}` : ''}`);
  const next = r.nextCursor ? new URLSearchParams({ ...Object.fromEntries(q), cursor: r.nextCursor }) : null;
  return {
    ...r,
    filter: { kind: q.get('kind') ?? '', level: q.get('level') ?? '' },
    nextHref: next ? `/escalations?${next}` : null,
    // unit heads and administrators give a verifier's open verifications to another verifier (/handover)
    mayHandOver: hasRole(event.locals.session, 'unit_head', 'administrator'),
  };
};

export const actions: Actions = {
  nudge: async (event) => {
    const form = await event.request.formData();
    const taskId = field(form, 'taskId');
    if (!taskId) return failText(m.escalation_empty());
    const message = optional(form, 'message');
    const r = await api<{ recipients: number }>(
      event,
      'POST',
      `/api/escalations/${encodeURIComponent(taskId)}/nudge`,
      message ? { message } : {},
    );
    if (!r.ok) return failWith(r.problem, { taskId });
    return { nudged: taskId, count: r.data.recipients };
  },
};
