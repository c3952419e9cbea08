import { redirect } from '@sveltejs/kit';
import { todayVn } from '#lib/labels.ts';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field, optional } from '#lib/server/forms.ts';
import { unitOptions } from '#lib/server/org.ts';
import type { EmploymentDto, Page, PersonDto, UnitDto } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { provinceId } = await event.parent();
  const id = event.params.id;
  const [person, employment] = await Promise.all([
    apiGet<PersonDto>(event, `/api/admin/people/${id}`),
    apiGet<Page<EmploymentDto>>(event, `/api/admin/employment?personId=${id}`),
  ]);
  const unitIds = [...new Set(employment.items.map((e) => e.unitId))];
  const units = new Map<string, UnitDto>();
  await Promise.all(
    unitIds.map(async (uid) => {
      const r = await api<UnitDto>(event, 'GET', `/api/admin/org-units/${uid}`);
      if (r.ok) units.set(uid, r.data);
    }),
  );
  // Departments offered are those of the units the person works in (and the units themselves).
  const within = [...units.values()]
    .map((u) => (u.typeCode === 'department' ? u.parentId : u.id))
    .filter((x): x is string => !!x);
  return {
    person,
    employment: employment.items.map((e) => ({ ...e, unit: units.get(e.unitId) ?? null })),
    options: await unitOptions(event, provinceId, within),
    today: todayVn(),
    created: event.url.searchParams.has('created'),
    saved: event.url.searchParams.has('saved'),
  };
};

const back = (id: string) => `/admin/people/${id}?saved=1`;

export const actions: Actions = {
  update: async (event) => {
    const form = await event.request.formData();
    const id = event.params.id;
    const body = {
      fullName: field(form, 'fullName'),
      familyName: optional(form, 'familyName') ?? null,
      middleName: optional(form, 'middleName') ?? null,
      givenName: optional(form, 'givenName') ?? null,
      email: field(form, 'email'),
      phone: optional(form, 'phone') ?? null,
      dutyGroup: field(form, 'dutyGroup'),
    };
    const r = await api(event, 'PATCH', `/api/admin/people/${id}`, body);
    if (!r.ok) return failWith(r.problem, { action: 'update' });
    redirect(303, back(id));
  },
  hire: async (event) => {
    const form = await event.request.formData();
    const personId = event.params.id;
    const r = await api(event, 'POST', '/api/admin/employment/hire', {
      personId,
      unitId: field(form, 'unitId'),
      positionCode: field(form, 'positionCode'),
      validFrom: field(form, 'validFrom'),
      isConcurrent: form.get('isConcurrent') === 'on',
    });
    if (!r.ok) return failWith(r.problem, { action: 'hire' });
    redirect(303, back(personId));
  },
  transfer: async (event) => {
    const form = await event.request.formData();
    const personId = event.params.id;
    const r = await api(event, 'POST', '/api/admin/employment/transfer', {
      personId,
      unitId: field(form, 'unitId'),
      positionCode: field(form, 'positionCode'),
      effectiveDate: field(form, 'effectiveDate'),
    });
    if (!r.ok) return failWith(r.problem, { action: 'transfer' });
    // the key results they reported are handed over next (DESIGN §1)
    redirect(303, `/handover/${personId}`);
  },
  leave: async (event) => {
    const form = await event.request.formData();
    const personId = event.params.id;
    const r = await api(event, 'POST', '/api/admin/employment/leave', {
      personId,
      lastDay: field(form, 'lastDay'),
    });
    if (!r.ok) return failWith(r.problem, { action: 'leave' });
    redirect(303, `/handover/${personId}`);
  },
  reset: async (event) => {
    const r = await api<{ temporaryPassword: string }>(
      event,
      'POST',
      `/api/admin/accounts/${event.params.id}/reset-password`,
    );
    if (!r.ok) return failWith(r.problem, { action: 'account' });
    // Shown once in this answer; the web app keeps no copy.
    return { action: 'account', temporaryPassword: r.data.temporaryPassword };
  },
  unlock: async (event) => {
    const r = await api<{ wasLocked: boolean }>(
      event,
      'POST',
      `/api/admin/accounts/${event.params.id}/unlock`,
    );
    if (!r.ok) return failWith(r.problem, { action: 'account' });
    return { action: 'account', wasLocked: r.data.wasLocked };
  },
};
