// The completion tracker (issue 6 point 5): for a unit's manager, who has and has not reported in a month and
// each person's check-in status, with counts at the top; for the province, counts per unit only (the tiered rule:
// GET /api/check-ins answers scope 'counts' without names). The period defaults to last month (Hà Nội time); the
// unit to the first unit the signed-in person manages.
import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import type { UnitDto } from '#lib/types.ts';
import type { PageServerLoad } from './$types';

export interface TrackerCounts {
  unitId: string;
  code: string;
  name: string;
  people: number;
  notStarted: number;
  draft: number;
  submitted: number;
  verified: number;
  returned: number;
  locked: number;
}
export interface TrackerPerson {
  personId: string;
  fullName: string;
  unitId: string;
  checkInId: string | null;
  status: 'DRAFT' | 'SUBMITTED' | 'VERIFIED' | 'RETURNED' | 'LOCKED' | null;
  valueCount: number;
  updatedAt: string | null;
}
export interface Tracker {
  unitId: string;
  period: string;
  scope: 'persons' | 'counts';
  counts: TrackerCounts[];
  persons: TrackerPerson[] | null;
}

/** Roles that read a completion tracker (the API decides what each sees). */
const TRACKING_ROLES = new Set([
  'unit_head',
  'supervisor',
  'administrator',
  'auditor',
  'secretariat',
  'standing_committee',
  'organisation_department',
]);
const PERIOD = /^(20\d{2}|21\d{2})-(0[1-9]|1[0-2])$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Last month in Hà Nội time, 'YYYY-MM'. */
function lastMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3600_000);
  const y = local.getUTCFullYear();
  const mth = local.getUTCMonth(); // 0-based: this month's index is last month's number
  return mth === 0 ? `${y - 1}-12` : `${y}-${String(mth).padStart(2, '0')}`;
}

export const load: PageServerLoad = async (event) => {
  const session = event.locals.session;
  if (!session) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const asked = event.url.searchParams.get('period') ?? '';
  const period = PERIOD.test(asked) ? asked : lastMonth();
  const scopes = [
    ...new Set(session.grants.filter((g) => TRACKING_ROLES.has(g.role)).map((g) => g.scopeUnitId)),
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
  const unitId = UUID.test(askedUnit) ? askedUnit : (units[0]?.id ?? '');
  if (unitId && !units.some((u) => u.id === unitId)) units.push({ id: unitId, label: unitId });
  const tracker = unitId
    ? await apiGet<Tracker>(
        event,
        `/api/check-ins?unitId=${encodeURIComponent(unitId)}&period=${encodeURIComponent(period)}`,
      )
    : null;
  // a unit reached from the province's counts is labelled with its own count row
  for (const u of units) {
    const row = tracker?.counts.find((c) => c.unitId === u.id);
    if (u.label === u.id && row) u.label = `${row.code} — ${row.name}`;
  }
  return { period, unitId, units, tracker };
};
