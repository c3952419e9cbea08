// Discipline decisions and conclusions (issue 8 point 3): pick a unit within one's reach, list its records of a
// year (revoked ones kept, marked), record a new one about a person or a unit (structured: type, form or kind,
// decision number, date, issuer) and revoke one with a reason. The API decides who may (the tiered rule) and
// audits every write; this page only shapes the data.
import { error, redirect } from '@sveltejs/kit';
import { m } from '#lib/paraglide/messages.js';
import { api, apiGet } from '#lib/server/api.ts';
import { failWith, field, optional } from '#lib/server/forms.ts';
import { childUnits } from '#lib/server/org.ts';
import { hasRole } from '#lib/session.ts';
import type { UnitDto } from '#lib/types.ts';
import type { Actions, PageServerLoad } from './$types';

export interface EvalRecordDto {
  id: string;
  recordKind: 'discipline' | 'conclusion';
  subjectKind: 'person' | 'unit';
  personId: string | null;
  personName: string | null;
  unitId: string;
  unitName: string;
  type: 'party' | 'state' | null;
  form: string | null;
  kind: string | null;
  decisionNumber: string;
  date: string;
  issuer: string;
  revokedAt: string | null;
  revokeReason: string | null;
}
interface SubjectsDto {
  people: { id: string; fullName: string; unitId: string; unitName: string }[];
  units: { id: string; name: string }[];
}

const READER_ROLES = [
  'organisation_department',
  'administrator',
  'auditor',
  'standing_committee',
  'unit_head',
] as const;

const SEGMENT = { discipline: 'discipline-records', conclusion: 'conclusion-records' } as const;

export const load: PageServerLoad = async (event) => {
  const s = event.locals.session;
  if (!s || !hasRole(s, ...READER_ROLES)) error(403, m.error_forbidden());
  const scopes = [
    ...new Set(
      s.grants.filter((g) => (READER_ROLES as readonly string[]).includes(g.role)).map((g) => g.scopeUnitId),
    ),
  ];
  const units = new Map<string, UnitDto>();
  for (const id of scopes) {
    const r = await api<UnitDto>(event, 'GET', `/api/admin/org-units/${encodeURIComponent(id)}`);
    if (!r.ok) continue;
    if (r.data.parentId === null) for (const u of (await childUnits(event, id)).items) units.set(u.id, u);
    else units.set(r.data.id, r.data);
  }
  const options = [...units.values()];
  const year =
    Number(event.url.searchParams.get('year')) || new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
  const unitId = event.url.searchParams.get('unit') ?? options[0]?.id ?? null;
  const base = {
    units: options,
    year,
    saved: event.url.searchParams.get('saved'),
  };
  if (!unitId)
    return { ...base, unit: null, discipline: [], conclusion: [], subjects: { people: [], units: [] } };
  const q = `unitId=${encodeURIComponent(unitId)}&year=${year}&includeRevoked=true`;
  const [discipline, conclusion, subjects] = await Promise.all([
    apiGet<{ items: EvalRecordDto[] }>(event, `/api/evaluation/discipline-records?${q}`),
    apiGet<{ items: EvalRecordDto[] }>(event, `/api/evaluation/conclusion-records?${q}`),
    apiGet<SubjectsDto>(event, `/api/evaluation/record-subjects?unitId=${encodeURIComponent(unitId)}`),
  ]);
  return {
    ...base,
    unit: units.get(unitId) ?? null,
    discipline: discipline.items,
    conclusion: conclusion.items,
    subjects,
  };
};

function back(form: FormData, saved: string): string {
  const unit = field(form, 'unit');
  const year = field(form, 'year');
  return `/evaluation/records?unit=${encodeURIComponent(unit)}&year=${encodeURIComponent(year)}&saved=${saved}`;
}

function subjectOf(form: FormData): { personId?: string; unitId?: string } {
  const [kind, id] = field(form, 'subject').split(':');
  if (kind === 'person' && id) return { personId: id };
  if (kind === 'unit' && id) return { unitId: id };
  return {};
}

export const actions: Actions = {
  discipline: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'POST', '/api/evaluation/discipline-records', {
      ...subjectOf(form),
      type: field(form, 'type'),
      form: field(form, 'form'),
      decisionNumber: optional(form, 'decisionNumber'),
      date: optional(form, 'date'),
      issuer: optional(form, 'issuer'),
    });
    if (!r.ok) return failWith(r.problem, { section: 'discipline' });
    redirect(303, back(form, 'created'));
  },
  conclusion: async (event) => {
    const form = await event.request.formData();
    const r = await api(event, 'POST', '/api/evaluation/conclusion-records', {
      ...subjectOf(form),
      kind: field(form, 'kind'),
      decisionNumber: optional(form, 'decisionNumber'),
      date: optional(form, 'date'),
      issuer: optional(form, 'issuer'),
    });
    if (!r.ok) return failWith(r.problem, { section: 'conclusion' });
    redirect(303, back(form, 'created'));
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    const kind = field(form, 'recordKind') === 'conclusion' ? 'conclusion' : 'discipline';
    const id = field(form, 'id');
    const r = await api(event, 'POST', `/api/evaluation/${SEGMENT[kind]}/${encodeURIComponent(id)}/revoke`, {
      reason: optional(form, 'reason'),
    });
    if (!r.ok) return failWith(r.problem, { section: `revoke-${id}` });
    redirect(303, back(form, 'revoked'));
  },
};
