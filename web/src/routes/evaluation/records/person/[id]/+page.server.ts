// A person's evaluation attributes (issue 8 point 3): the duty group (nhóm chức trách tương tự, the quota group
// of their agency) and Party membership, each from a date, with their history; set through PUT
// /api/people/{id}/duty-group and /party-membership (the API checks the tiered rule and audits).
import { redirect } from '@sveltejs/kit';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field } from '#lib/server/forms.ts';
import type { Actions, PageServerLoad } from './$types';

interface DutyGroupDto {
  personId: string;
  current: string;
  history: { effectiveFrom: string; dutyGroup: string; setAt: string }[];
}
interface PartyDto {
  personId: string;
  isMember: boolean;
  history: { effectiveFrom: string; isMember: boolean; setAt: string }[];
}

export const load: PageServerLoad = async (event) => {
  const id = encodeURIComponent(event.params.id);
  const [person, duty, party] = await Promise.all([
    api<{ fullName: string }>(event, 'GET', `/api/admin/people/${id}`),
    apiGet<DutyGroupDto>(event, `/api/people/${id}/duty-group`),
    apiGet<PartyDto>(event, `/api/people/${id}/party-membership`),
  ]);
  return {
    personId: event.params.id,
    fullName: person.ok ? person.data.fullName : '',
    unit: event.url.searchParams.get('unit'),
    duty,
    party,
    saved: event.url.searchParams.has('saved'),
  };
};

const back = (event: { params: { id: string }; url: URL }) =>
  `/evaluation/records/person/${encodeURIComponent(event.params.id)}?${new URLSearchParams({
    ...(event.url.searchParams.get('unit') ? { unit: event.url.searchParams.get('unit') ?? '' } : {}),
    saved: '1',
  })}`;

export const actions: Actions = {
  dutyGroup: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'PUT', `/api/people/${encodeURIComponent(event.params.id)}/duty-group`, {
      dutyGroup: field(form, 'dutyGroup'),
      effectiveFrom: field(form, 'effectiveFrom'),
    });
    if (!r.ok) return failWith(r.problem, { section: 'dutyGroup' });
    redirect(303, back(event));
  },
  party: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'PUT', `/api/people/${encodeURIComponent(event.params.id)}/party-membership`, {
      isMember: field(form, 'isMember') === 'true',
      effectiveFrom: field(form, 'effectiveFrom'),
    });
    if (!r.ok) return failWith(r.problem, { section: 'party' });
    redirect(303, back(event));
  },
};
