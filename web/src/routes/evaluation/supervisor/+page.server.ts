// The manager's list of a unit's year-end assessments (issue 8 points 1–2): each person's status, scores and
// proposed level, opening the assessment. The API decides who may see it (the unit's supervisors and head).
import { error, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/api.ts';
import { currentYear, type Level, type Status } from '../self/year-end.ts';
import type { PageServerLoad } from './$types';

export interface Row {
  id: string;
  person: { id: string; name: string };
  status: Status;
  selfScore: string | null;
  supervisorScore: string | null;
  proposedLevel: Level | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const y = Number(event.url.searchParams.get('year'));
  const year = Number.isInteger(y) && y >= 2000 && y <= 2200 ? y : currentYear();
  const unitId = event.url.searchParams.get('unitId') ?? '';
  if (!UUID.test(unitId)) return { year, unitId: null, items: [] as Row[] };
  const r = await api<{ items: Row[] }>(
    event,
    'GET',
    `/api/evaluation/year-end?unitId=${unitId}&year=${year}`,
  );
  if (!r.ok) error(r.status, r.problem.message.vi);
  return { year, unitId, items: r.data.items };
};
