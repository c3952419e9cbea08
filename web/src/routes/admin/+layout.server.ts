import { error } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { apiGet } from '#lib/server/api.ts';
import { hasRole } from '#lib/session.ts';
import type { UnitDto } from '#lib/types.ts';
import type { LayoutServerLoad } from './$types';

/** Administration is for administrators (the API checks every request again, within their scope). */
export const load: LayoutServerLoad = async (event) => {
  const s = event.locals.session!;
  if (!hasRole(s, 'administrator')) error(403, m.error_forbidden());
  const scopes = [...new Set(s.grants.filter((g) => g.role === 'administrator').map((g) => g.scopeUnitId))];
  const units = await Promise.all(scopes.map((id) => apiGet<UnitDto>(event, `/api/admin/org-units/${id}`)));
  const provinceId = units[0]?.provinceId ?? scopes[0]!;
  return { scopes: units, provinceId };
};
