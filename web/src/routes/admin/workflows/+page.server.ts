import { apiGet } from '#lib/server/api.ts';
import { childUnits } from '#lib/server/org.ts';
import type { PageServerLoad } from './$types';
import { WORKFLOW_STATUSES, type WorkflowRunDto } from './labels.ts';

const TYPES = ['annualPlanWorkflow', 'auditAnchorWorkflow', 'historyExportWorkflow'];

export const load: PageServerLoad = async (event) => {
  const { provinceId, scopes } = await event.parent();
  const sp = event.url.searchParams;
  const filters = {
    type: TYPES.includes(sp.get('type') ?? '') ? sp.get('type')! : '',
    status: (WORKFLOW_STATUSES as readonly string[]).includes(sp.get('status') ?? '')
      ? sp.get('status')!
      : '',
    unitId: /^[0-9a-f-]{36}$/i.test(sp.get('unitId') ?? '') ? sp.get('unitId')! : '',
    year: /^\d{4}$/.test(sp.get('year') ?? '') ? sp.get('year')! : '',
  };
  const q = new URLSearchParams({ limit: '100' });
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  const [list, units] = await Promise.all([
    apiGet<{ items: WorkflowRunDto[]; truncated: boolean; temporalAvailable: boolean }>(
      event,
      `/api/workflows?${q}`,
    ),
    childUnits(event, provinceId),
  ]);
  // the unit filter offers the administrator's own scopes and the units under the province they can read
  const unitOptions = [...new Map([...scopes, ...units.items].map((u) => [u.id, u])).values()];
  const unitNames = Object.fromEntries(unitOptions.map((u) => [u.id, u.nameVi]));
  return { ...list, filters, types: TYPES, statuses: [...WORKFLOW_STATUSES], unitOptions, unitNames };
};
