import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import type { Page } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

interface ChainDto {
  id: string;
  provinceId: string;
  unitTypeCode: string;
  subject: string;
  steps: { stepNo: number; roleCode: string; scope: string }[];
}

const MAX_STEPS = 4;
const UNIT_TYPES = ['province', 'agency', 'party_body', 'commune', 'ward', 'department'];

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  const chains = await apiGet<Page<ChainDto>>(event, `/api/admin/approval-chains?provinceId=${provinceId}`);
  return {
    provinceId,
    chains: chains.items,
    maxSteps: MAX_STEPS,
    unitTypes: UNIT_TYPES,
    saved: event.url.searchParams.has('saved'),
  };
};

/** Steps from the rows of the form (a row without a role is not used). */
function steps(form: FormData) {
  const out: { roleCode: string; scope: string }[] = [];
  for (let i = 1; i <= MAX_STEPS; i++) {
    const roleCode = field(form, `role${i}`);
    if (roleCode) out.push({ roleCode, scope: field(form, `scope${i}`) });
  }
  return out;
}

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'POST', '/api/admin/approval-chains', {
      provinceId: field(form, 'provinceId'),
      unitTypeCode: field(form, 'unitTypeCode'),
      subject: field(form, 'subject'),
      steps: steps(form),
    });
    if (!r.ok) return failWith(r.problem, { action: 'create' });
    redirect(303, '/admin/approval-chains?saved=1');
  },
  steps: async (event) => {
    const form = await event.request.formData();
    const id = field(form, 'id');
    const r = await api(event, 'PUT', `/api/admin/approval-chains/${id}/steps`, { steps: steps(form) });
    if (!r.ok) return failWith(r.problem, { action: 'steps', id });
    redirect(303, '/admin/approval-chains?saved=1');
  },
};
