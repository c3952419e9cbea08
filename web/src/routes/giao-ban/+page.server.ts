// The giao ban sessions of a year (issue 7 point 2): each with its dates, stage and how many units reported and
// were concluded (GET /api/giao-ban?year=; the actor's province; sessions with no workflow yet come from the
// calendar). A unit head also gets the link to the unit's directions.
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { apiGet } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';
import type { SessionSummary } from './giao-ban.ts';

const thisYear = () => new Date(Date.now() + 7 * 3600_000).getUTCFullYear();

export const load: PageServerLoad = async (event) => {
  if (!event.locals.session)
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const raw = event.url.searchParams.get('year');
  const year = raw ? Number(raw) : thisYear();
  if (!Number.isInteger(year) || year < 2000 || year > 2200) error(400, m.giaoBan_session_invalid());
  const r = await apiGet<{ sessions: SessionSummary[] }>(event, `/api/giao-ban?year=${year}`);
  const headOf = event.locals.session.grants.find((g) => g.role === 'unit_head')?.scopeUnitId ?? null;
  return { year, sessions: r.sessions, headOf };
};
