// The entry of the province ranking of units and their heads (issue 8): the signed-in person's province (the scope
// of their province-level grant) and the current year in Viet Nam (January still shows the year just ended).
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import type { PageServerLoad } from './$types';

const PROVINCE_ROLES = [
  'secretariat',
  'standing_committee',
  'organisation_department',
  'administrator',
  'auditor',
];

export const load: PageServerLoad = async (event) => {
  const s = event.locals.session;
  if (!s) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const grant = PROVINCE_ROLES.map((r) => s.grants.find((g) => g.role === r)).find((g) => g !== undefined);
  if (!grant) error(404, m.provRank_none());
  const vn = new Date(Date.now() + 7 * 3_600_000);
  const year = vn.getUTCMonth() === 0 ? vn.getUTCFullYear() - 1 : vn.getUTCFullYear();
  redirect(303, `/evaluation/province-ranking/${encodeURIComponent(grant.scopeUnitId)}/${year}`);
};
