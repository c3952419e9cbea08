// The manager's period-assessment list (issue 6 point 2/5): a unit's people for a period with their task points,
// general-criteria points, total and status, from GET /api/assessments (the API applies the tiered rule: the
// supervisors and head of the unit, never the province). The period defaults to last month (Hà Nội time); the
// unit to the first unit the signed-in person manages.
import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import type { UnitDto } from '#lib/types.ts';
import type { PageServerLoad } from './$types';

export interface AssessmentListItem {
  id: string;
  person: { id: string; name: string };
  period: string;
  status: 'draft' | 'confirmed';
  revision: number;
  taskPoints: string | null;
  generalPoints: string | null;
  total: string | null;
}

const MANAGING_ROLES = new Set(['unit_head', 'supervisor']);
const PERIOD = /^(20\d{2}|21\d{2})-(Q[1-4]|0[1-9]|1[0-2])$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Last month in Hà Nội time, 'YYYY-MM'. */
function lastMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3600_000);
  const y = local.getUTCFullYear();
  const mth = local.getUTCMonth();
  return mth === 0 ? `${y - 1}-12` : `${y}-${String(mth).padStart(2, '0')}`;
}

export const load: PageServerLoad = async (event) => {
  const session = event.locals.session;
  if (!session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const asked = (event.url.searchParams.get('period') ?? '').trim();
  const period = PERIOD.test(asked) ? asked : lastMonth();
  const scopes = [
    ...new Set(session.grants.filter((g) => MANAGING_ROLES.has(g.role)).map((g) => g.scopeUnitId)),
  ];
  const units = (
    await Promise.all(
      scopes.map((id) => api<UnitDto>(event, 'GET', `/api/admin/org-units/${encodeURIComponent(id)}`)),
    )
  ).map((r, i) =>
    r.ok
      ? { id: r.data.id, label: `${r.data.code} — ${r.data.nameVi}` }
      : { id: scopes[i] ?? '', label: scopes[i] ?? '' },
  );
  const askedUnit = event.url.searchParams.get('unitId') ?? '';
  const unitId =
    UUID.test(askedUnit) && units.some((u) => u.id === askedUnit) ? askedUnit : (units[0]?.id ?? '');
  const list = unitId
    ? await apiGet<{ items: AssessmentListItem[] }>(
        event,
        `/api/assessments?unitId=${encodeURIComponent(unitId)}&period=${encodeURIComponent(period)}`,
      )
    : null;
  return { period, unitId, units, items: list?.items ?? null };
};
