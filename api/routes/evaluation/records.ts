// Year-end evaluation records (issue 8 point 3, RULES.md; the content write path, DESIGN §5): structured
// discipline decisions and conclusions (type, form or kind, decision number, date, issuer; about a person or a
// unit) entered by authorised staff by the tiered rule (policy 'evaluation.record.manage': the province's
// organisation department and administrators for a unit under the province and its head, a unit's head and
// administrators for the people and departments inside it; never about oneself), never deleted — revoked with a
// reason, the history kept; a person's duty group (the quota group) and Party membership, each from a date.
// Every write is audited. Auditors read.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  dutyGroupHistory,
  listRecords,
  partyMembershipHistory,
  recordById,
} from '../../../db/queries/evaluation-records.ts';
import { employmentUnitOf, todayVn } from '../../../db/queries/org-tree.ts';
import type { EvaluationRecordKind, EvaluationRecordRow } from '../../../db/schema-evaluation-records.ts';
import type { AuthzEnv } from '../../authz/middleware.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath, personNotFound, personResource, unitResource } from '../../authz/resources.ts';
import { contentApp, errorResponses, IdParam, isoDate, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { audit, rule } from '../admin/common.ts';

const tags = ['evaluation-records'];

export const DISCIPLINE_FORMS = [
  'khienTrach',
  'canhCao',
  'haBac',
  'giangChuc',
  'cachChuc',
  'buocThoiViec',
  'khaiTru',
  'other',
] as const;
export const CONCLUSION_KINDS = ['degradation', 'exampleBreach', 'corruptionInUnit', 'wasteInUnit'] as const;

const HIDDEN = /[\p{Cc}\p{Cf}]/u;

// ---- problems (stable codes, Vietnamese and English)
const decisionNumberRequired = () =>
  rule(422, 'RECORD_DECISION_NUMBER_REQUIRED', 'Cần nhập số quyết định.', 'The decision number is required.');
const issuerRequired = () =>
  rule(422, 'RECORD_ISSUER_REQUIRED', 'Cần nhập cơ quan, người ban hành.', 'The issuer is required.');
const dateRequired = () =>
  rule(
    422,
    'RECORD_DATE_REQUIRED',
    'Cần nhập ngày ban hành (ngày/tháng/năm).',
    'The decision date (yyyy-mm-dd) is required.',
  );
const dateInFuture = () =>
  rule(
    422,
    'RECORD_DATE_IN_FUTURE',
    'Ngày ban hành không được sau ngày hôm nay.',
    'The decision date cannot be later than today.',
  );
const textInvalid = () =>
  rule(
    422,
    'RECORD_TEXT_INVALID',
    'Số quyết định và cơ quan ban hành không được chứa ký tự ẩn hoặc dấu < >.',
    'The decision number and issuer may not contain hidden characters or < >.',
  );
const subjectRequired = () =>
  rule(
    422,
    'RECORD_SUBJECT_REQUIRED',
    'Chọn đúng một đối tượng: một người hoặc một đơn vị.',
    'Choose exactly one subject: a person or a unit.',
  );
const outsideScope = () =>
  rule(
    422,
    'RECORD_OUTSIDE_SCOPE',
    'Đối tượng không thuộc đơn vị nào trong cơ cấu tổ chức (không phải cấp tỉnh, không có quá trình công tác).',
    'The subject belongs to no unit of the organisation (the province itself, or a person without employment).',
  );
const recordNotFound = () => rule(404, 'RECORD_NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Record not found.');
const alreadyRevoked = () =>
  rule(409, 'RECORD_ALREADY_REVOKED', 'Hồ sơ này đã bị thu hồi.', 'This record has already been revoked.');
const reasonRequired = () =>
  rule(
    422,
    'RECORD_REVOKE_REASON_REQUIRED',
    'Cần nêu lý do thu hồi.',
    'A reason for the revocation is required.',
  );
const listScopeRequired = () =>
  rule(
    422,
    'RECORD_LIST_SCOPE_REQUIRED',
    'Chọn một đơn vị hoặc một người để xem hồ sơ.',
    'Choose a unit or a person to list records.',
  );
const dutyGroupInvalid = () =>
  rule(
    422,
    'DUTY_GROUP_INVALID',
    'Mã nhóm chức trách chỉ gồm chữ thường không dấu, số, gạch ngang, gạch dưới (tối đa 64 ký tự).',
    'A duty group code has lower-case letters, digits, - and _ only (at most 64).',
  );
const personNoUnit = () =>
  rule(
    422,
    'RECORD_OUTSIDE_SCOPE',
    'Người này không có quá trình công tác tại đơn vị nào.',
    'This person is employed in no unit.',
  );

// ---- schemas
const RecordOut = z
  .object({
    id: z.string(),
    recordKind: z.enum(['discipline', 'conclusion']),
    subjectKind: z.enum(['person', 'unit']),
    personId: z.string().nullable(),
    personName: z.string().nullable(),
    unitId: z.string(),
    unitName: z.string(),
    type: z.enum(['party', 'state']).nullable(),
    form: z.enum(DISCIPLINE_FORMS).nullable(),
    kind: z.enum(CONCLUSION_KINDS).nullable(),
    decisionNumber: z.string(),
    date: z.string(),
    issuer: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    revokeReason: z.string().nullable(),
  })
  .openapi('EvaluationRecord');
type RecordDto = z.infer<typeof RecordOut>;

const ListQuery = z.object({
  unitId: uuid
    .optional()
    .openapi({ description: 'Records about the unit, the units inside it and their people' }),
  personId: uuid.optional().openapi({ description: 'Records about the person' }),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  includeRevoked: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Also list revoked records (the history)' }),
});

const loose = z.string().max(2000).optional();
const RecordInBase = {
  personId: uuid.optional(),
  unitId: uuid.optional(),
  decisionNumber: loose.openapi({ description: 'Số quyết định, e.g. 12-QĐ/UBKT' }),
  date: loose.openapi({ description: 'Decision date, yyyy-mm-dd, not later than today' }),
  issuer: loose.openapi({ description: 'The issuing body or person' }),
};
const DisciplineIn = z
  .object({ ...RecordInBase, type: z.enum(['party', 'state']), form: z.enum(DISCIPLINE_FORMS) })
  .strict()
  .openapi('DisciplineRecordCreate');
const ConclusionIn = z
  .object({ ...RecordInBase, kind: z.enum(CONCLUSION_KINDS) })
  .strict()
  .openapi('ConclusionRecordCreate');
const RevokeIn = z.object({ reason: loose }).strict().openapi('EvaluationRecordRevoke');

const SubjectsQuery = z.object({ unitId: uuid });
const SubjectsOut = z
  .object({
    people: z.array(
      z.object({ id: z.string(), fullName: z.string(), unitId: z.string(), unitName: z.string() }),
    ),
    units: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .openapi('EvaluationRecordSubjects');

const DutyGroupOut = z
  .object({
    personId: z.string(),
    current: z.string().openapi({ description: "The duty group today ('default' when none set)" }),
    history: z.array(
      z.object({
        effectiveFrom: z.string(),
        unitId: z.string(),
        dutyGroup: z.string(),
        setBy: z.string(),
        setAt: z.string(),
      }),
    ),
  })
  .openapi('PersonDutyGroup');
const DutyGroupIn = z
  .object({ dutyGroup: z.string().max(200), effectiveFrom: isoDate })
  .strict()
  .openapi('PersonDutyGroupSet');
const PartyOut = z
  .object({
    personId: z.string(),
    isMember: z.boolean().openapi({ description: 'A Party member today (holds a Party ranking too)' }),
    history: z.array(
      z.object({ effectiveFrom: z.string(), isMember: z.boolean(), setBy: z.string(), setAt: z.string() }),
    ),
  })
  .openapi('PersonPartyMembership');
const PartyIn = z
  .object({ isMember: z.boolean(), effectiveFrom: isoDate })
  .strict()
  .openapi('PersonPartyMembershipSet');

/** NFC, trimmed; undefined when blank; refuses hidden characters and markup brackets. */
function cleanText(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (HIDDEN.test(s) || /[<>]/.test(s)) throw textInvalid();
  const t = s.normalize('NFC').trim();
  return t === '' ? undefined : t;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function evaluationRecordRoutes(deps: ApiDeps) {
  const { db } = deps;
  const today = () => todayVn((deps.clock ?? (() => new Date()))());

  /** A record's subject as a resource (a person by where they work now, a unit by its place in the tree). */
  async function subjectResource(r: { person_id: string | null; unit_id: string }): Promise<Resource> {
    return r.person_id ? personResource(db, r.person_id) : unitResource(db, r.unit_id);
  }

  async function toDtos(rows: EvaluationRecordRow[]): Promise<RecordDto[]> {
    if (rows.length === 0) return [];
    const personIds = [...new Set(rows.flatMap((r) => (r.person_id ? [r.person_id] : [])))];
    const unitIds = [...new Set(rows.map((r) => r.unit_id))];
    const people = personIds.length
      ? await db.selectFrom('person').select(['id', 'full_name']).where('id', 'in', personIds).execute()
      : [];
    const units = await db
      .selectFrom('org_unit')
      .select(['id', 'name_vi'])
      .where('id', 'in', unitIds)
      .execute();
    const pName = new Map(people.map((p) => [p.id, p.full_name]));
    const uName = new Map(units.map((u) => [u.id, u.name_vi]));
    return rows.map((r) => ({
      id: r.id,
      recordKind: r.record_kind,
      subjectKind: r.subject_kind,
      personId: r.person_id,
      personName: r.person_id ? (pName.get(r.person_id) ?? null) : null,
      unitId: r.unit_id,
      unitName: uName.get(r.unit_id) ?? '',
      type: r.discipline_type,
      form: r.discipline_form,
      kind: r.conclusion_kind,
      decisionNumber: r.decision_number,
      date: r.decided_on,
      issuer: r.issuer,
      createdBy: r.created_by,
      createdAt: new Date(r.created_at).toISOString(),
      revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
      revokedBy: r.revoked_by,
      revokeReason: r.revoke_reason,
    }));
  }

  const auditView = (d: RecordDto) => ({
    recordKind: d.recordKind,
    subjectKind: d.subjectKind,
    personId: d.personId,
    unitId: d.unitId,
    type: d.type,
    form: d.form,
    kind: d.kind,
    decisionNumber: d.decisionNumber,
    date: d.date,
    issuer: d.issuer,
    revokedAt: d.revokedAt,
    revokedBy: d.revokedBy,
    revokeReason: d.revokeReason,
  });

  async function list(c: Context<AuthzEnv>, kind: EvaluationRecordKind, q: z.infer<typeof ListQuery>) {
    if (!q.unitId === !q.personId) throw listScopeRequired();
    // the scope listed: a person as themself; a unit as its unit-level record (its own people and the province
    // both reach it), each record then shown only when its own subject may be read (the tiered rule)
    const scope: Resource = q.personId
      ? await personResource(db, q.personId)
      : await (async () => {
          const path = await loadPath(db, q.unitId ?? '');
          const ids = path.map((n) => n.id);
          return { path: ids, tier: path.length <= 2 ? 'unit' : 'internal' } satisfies Resource;
        })();
    await check(c, db, scope);
    const rows = await listRecords(db, {
      kind,
      personId: q.personId,
      unitId: q.unitId,
      year: q.year,
      includeRevoked: q.includeRevoked === 'true',
    });
    const seen = new Map<string, boolean>();
    const visible: EvaluationRecordRow[] = [];
    for (const r of rows) {
      const key = r.person_id ?? `u:${r.unit_id}`;
      let ok = seen.get(key);
      if (ok === undefined) {
        ok = await allowed(c, db, 'evaluation.record.read', await subjectResource(r));
        seen.set(key, ok);
      }
      if (ok) visible.push(r);
    }
    return { items: await toDtos(visible) };
  }

  async function create(
    c: Context<AuthzEnv>,
    kind: EvaluationRecordKind,
    body: z.infer<typeof DisciplineIn> | z.infer<typeof ConclusionIn>,
  ): Promise<RecordDto> {
    if (!body.personId === !body.unitId) throw subjectRequired();
    const decisionNumber = cleanText(body.decisionNumber);
    const issuer = cleanText(body.issuer);
    const date = body.date?.trim();
    if (!decisionNumber) throw decisionNumberRequired();
    if (decisionNumber.length > 100) throw textInvalid();
    if (!date || !validDate(date)) throw dateRequired();
    if (date > today()) throw dateInFuture();
    if (!issuer) throw issuerRequired();
    if (issuer.length > 300) throw textInvalid();
    let unitId: string;
    let resource: Resource;
    if (body.personId) {
      resource = await personResource(db, body.personId);
      const at = await employmentUnitOf(db, body.personId, date);
      if (!at || resource.path.length === 0) throw personNoUnit();
      unitId = at;
    } else {
      unitId = body.unitId ?? '';
      resource = await unitResource(db, unitId);
      if (resource.tier === 'province') throw outsideScope();
    }
    await check(c, db, resource);
    const id = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('evaluation_record')
        .values({
          record_kind: kind,
          subject_kind: body.personId ? 'person' : 'unit',
          person_id: body.personId ?? null,
          unit_id: unitId,
          discipline_type: 'type' in body ? body.type : null,
          discipline_form: 'form' in body ? body.form : null,
          conclusion_kind: 'kind' in body ? body.kind : null,
          decision_number: decisionNumber,
          decided_on: date,
          issuer,
          created_by: c.get('actor')?.personId ?? '',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const [dto] = await toDtos([row]);
      await audit(
        trx,
        c,
        'evaluation_record',
        row.id,
        `evaluation.${kind}.create`,
        null,
        auditView(dto as RecordDto),
      );
      return row.id;
    });
    const [dto] = await toDtos([(await recordById(db, id)) as EvaluationRecordRow]);
    return dto as RecordDto;
  }

  async function revoke(
    c: Context<AuthzEnv>,
    kind: EvaluationRecordKind,
    id: string,
    body: z.infer<typeof RevokeIn>,
  ): Promise<RecordDto> {
    const existing = await recordById(db, id);
    if (!existing || existing.record_kind !== kind) throw recordNotFound();
    await check(c, db, await subjectResource(existing));
    const reason = cleanText(body.reason);
    if (!reason) throw reasonRequired();
    if (reason.length > 1000) throw textInvalid();
    await db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('evaluation_record')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (before.revoked_at) throw alreadyRevoked();
      const after = await trx
        .updateTable('evaluation_record')
        .set({ revoked_at: new Date(), revoked_by: c.get('actor')?.personId ?? null, revoke_reason: reason })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const [b, a] = await toDtos([before, after]);
      await audit(
        trx,
        c,
        'evaluation_record',
        id,
        `evaluation.${kind}.revoke`,
        auditView(b as RecordDto),
        auditView(a as RecordDto),
      );
    });
    const [dto] = await toDtos([(await recordById(db, id)) as EvaluationRecordRow]);
    return dto as RecordDto;
  }

  async function personScope(personId: string): Promise<Resource> {
    const person = await db.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst();
    if (!person) throw personNotFound();
    return personResource(db, personId);
  }

  async function dutyGroupView(personId: string) {
    const history = await dutyGroupHistory(db, personId);
    const now = today();
    return {
      personId,
      current: history.find((h) => h.effectiveFrom <= now)?.dutyGroup ?? 'default',
      history,
    };
  }
  async function partyView(personId: string) {
    const history = await partyMembershipHistory(db, personId);
    const now = today();
    return { personId, isMember: history.find((h) => h.effectiveFrom <= now)?.isMember ?? false, history };
  }

  let app = contentApp();
  for (const [kind, segment, In, what] of [
    ['discipline', 'discipline-records', DisciplineIn, 'discipline decisions'],
    [
      'conclusion',
      'conclusion-records',
      ConclusionIn,
      'conclusions (degradation, example breach, corruption or waste in the unit)',
    ],
  ] as const) {
    app = app
      .openapi(
        createRoute({
          method: 'get',
          path: `/evaluation/${segment}`,
          tags,
          summary: `List ${what} about a person or within a unit (its units and people), by year; revoked ones only when asked. Each record is shown only to who may read its subject (the tiered rule)`,
          middleware: [requires('evaluation.record.read')] as const,
          request: { query: ListQuery },
          responses: { 200: jsonOk(z.object({ items: z.array(RecordOut) })), ...errorResponses },
        }),
        async (c) => c.json(await list(c, kind, c.req.valid('query')), 200),
      )
      .openapi(
        createRoute({
          method: 'post',
          path: `/evaluation/${segment}`,
          tags,
          summary: `Record one of the ${what}, about a person or a unit, with its decision number, date (not in the future) and issuer; by the tiered rule; audited`,
          middleware: [requires('evaluation.record.manage')] as const,
          request: { body: jsonBody(In) },
          responses: { 201: jsonOk(RecordOut, 'Created'), ...errorResponses },
        }),
        // biome-ignore lint/suspicious/noExplicitAny: the body schema differs per kind; validated above
        async (c) => c.json(await create(c, kind, c.req.valid('json') as any), 201),
      )
      .openapi(
        createRoute({
          method: 'post',
          path: `/evaluation/${segment}/{id}/revoke`,
          tags,
          summary: `Revoke one of the ${what} with a reason (never deleted: it stays in the history, out of the year's gates); audited`,
          middleware: [requires('evaluation.record.manage')] as const,
          request: { params: IdParam, body: jsonBody(RevokeIn) },
          responses: { 200: jsonOk(RecordOut), ...errorResponses },
        }),
        async (c) => c.json(await revoke(c, kind, c.req.valid('param').id, c.req.valid('json')), 200),
      ) as unknown as typeof app;
  }

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/evaluation/record-subjects',
        tags,
        summary:
          'The people (employed today) and units within a unit about whom the caller may enter evaluation records (the tiered rule), for the entry form',
        middleware: [requires('evaluation.record.read')] as const,
        request: { query: SubjectsQuery },
        responses: { 200: jsonOk(SubjectsOut), ...errorResponses },
      }),
      async (c) => {
        const { unitId } = c.req.valid('query');
        const path = await loadPath(db, unitId);
        await check(c, db, { path: path.map((n) => n.id), tier: path.length <= 2 ? 'unit' : 'internal' });
        const now = today();
        const units = await db
          .withRecursive('sub(id)', (qb) =>
            qb
              .selectFrom('org_unit')
              .select('id')
              .where('id', '=', unitId)
              .union((u) =>
                u.selectFrom('org_unit as o').innerJoin('sub', 'sub.id', 'o.parent_id').select('o.id'),
              ),
          )
          .selectFrom('org_unit as u')
          .innerJoin('sub', 'sub.id', 'u.id')
          .select(['u.id', 'u.name_vi'])
          .orderBy('u.code')
          .execute();
        const uName = new Map(units.map((u) => [u.id, u.name_vi]));
        const people = units.length
          ? await db
              .selectFrom('employment as e')
              .innerJoin('person as p', 'p.id', 'e.person_id')
              .select(['p.id', 'p.full_name', 'e.org_unit_id'])
              .distinctOn(['p.full_name', 'p.id'])
              .where('e.org_unit_id', 'in', [...uName.keys()])
              .where('e.valid_from', '<=', now)
              .where((eb) => eb.or([eb('e.valid_to', 'is', null), eb('e.valid_to', '>=', now)]))
              .orderBy('p.full_name')
              .orderBy('p.id')
              .execute()
          : [];
        const outPeople = [];
        for (const p of people)
          if (await allowed(c, db, 'evaluation.record.manage', await personResource(db, p.id)))
            outPeople.push({
              id: p.id,
              fullName: p.full_name,
              unitId: p.org_unit_id,
              unitName: uName.get(p.org_unit_id) ?? '',
            });
        const outUnits = [];
        for (const u of units)
          if (await allowed(c, db, 'evaluation.record.manage', await unitResource(db, u.id)))
            outUnits.push({ id: u.id, name: u.name_vi });
        markChecked(c);
        return c.json({ people: outPeople, units: outUnits }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/people/{id}/duty-group',
        tags,
        summary:
          "A person's duty group (nhóm chức trách tương tự, the quota group of their agency) today and its history",
        middleware: [requires('evaluation.record.read')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(DutyGroupOut), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await check(c, db, await personScope(id));
        return c.json(await dutyGroupView(id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/people/{id}/duty-group',
        tags,
        summary:
          "Set a person's duty group from a date (replacing one set from the same date), by the tiered rule; audited",
        middleware: [requires('evaluation.record.manage')] as const,
        request: { params: IdParam, body: jsonBody(DutyGroupIn) },
        responses: { 200: jsonOk(DutyGroupOut), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const resource = await personScope(id);
        const dutyGroup = body.dutyGroup.trim();
        if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(dutyGroup)) throw dutyGroupInvalid();
        const at = await employmentUnitOf(db, id, body.effectiveFrom);
        if (!at || resource.path.length < 2) throw personNoUnit();
        await check(c, db, resource);
        const agency = resource.path[1] as string;
        await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom('person_duty_group')
            .select(['duty_group', 'unit_id'])
            .where('person_id', '=', id)
            .where('effective_from', '=', body.effectiveFrom)
            .forUpdate()
            .executeTakeFirst();
          const by = c.get('actor')?.personId ?? '';
          await trx
            .insertInto('person_duty_group')
            .values({
              person_id: id,
              effective_from: body.effectiveFrom,
              unit_id: agency,
              duty_group: dutyGroup,
              set_by: by,
            })
            .onConflict((oc) =>
              oc.columns(['person_id', 'effective_from']).doUpdateSet({
                duty_group: dutyGroup,
                unit_id: agency,
                set_by: by,
                set_at: new Date(),
              }),
            )
            .execute();
          await audit(
            trx,
            c,
            'person_duty_group',
            id,
            'evaluation.duty-group.set',
            before
              ? { effectiveFrom: body.effectiveFrom, dutyGroup: before.duty_group, unitId: before.unit_id }
              : null,
            { effectiveFrom: body.effectiveFrom, dutyGroup, unitId: agency },
          );
        });
        return c.json(await dutyGroupView(id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/people/{id}/party-membership',
        tags,
        summary:
          'Whether a person is a Party member today (and so holds a Party ranking too), with its history',
        middleware: [requires('evaluation.record.read')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(PartyOut), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await check(c, db, await personScope(id));
        return c.json(await partyView(id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/people/{id}/party-membership',
        tags,
        summary:
          "Record a person's Party membership (member or not) from a date (replacing one set from the same date), by the tiered rule; audited",
        middleware: [requires('evaluation.record.manage')] as const,
        request: { params: IdParam, body: jsonBody(PartyIn) },
        responses: { 200: jsonOk(PartyOut), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const resource = await personScope(id);
        if (resource.path.length < 2) throw personNoUnit();
        await check(c, db, resource);
        await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom('person_party_membership')
            .select('is_member')
            .where('person_id', '=', id)
            .where('effective_from', '=', body.effectiveFrom)
            .forUpdate()
            .executeTakeFirst();
          const by = c.get('actor')?.personId ?? '';
          await trx
            .insertInto('person_party_membership')
            .values({
              person_id: id,
              effective_from: body.effectiveFrom,
              is_member: body.isMember,
              set_by: by,
            })
            .onConflict((oc) =>
              oc
                .columns(['person_id', 'effective_from'])
                .doUpdateSet({ is_member: body.isMember, set_by: by, set_at: new Date() }),
            )
            .execute();
          await audit(
            trx,
            c,
            'person_party_membership',
            id,
            'evaluation.party-membership.set',
            before ? { effectiveFrom: body.effectiveFrom, isMember: before.is_member } : null,
            { effectiveFrom: body.effectiveFrom, isMember: body.isMember },
          );
        });
        return c.json(await partyView(id), 200);
      },
    );
}
