// Year-end evaluation records through the API (issue 8 point 3), on a real database: structured discipline
// decisions and conclusions — each field required, no date in the future, one subject —, entered by the tiered
// rule (a unit's head for the people inside the unit, the province's organisation department for a unit's head;
// nobody about themself), revoked with a reason and kept in the history, every write audited; a person's duty
// group and Party membership from a date.
import { beforeAll, describe, expect, it } from 'vitest';
import { disciplineRecordsOf, dutyGroupsOf, partyMembersOf } from '../../../db/queries/evaluation-records.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { buildOrg, type OrgFixture, requestAs } from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';

const { db } = await freshDatabase();
// Thursday 26 November 2026, 10:00 in Hà Nội.
const NOW = new Date('2026-11-26T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
});
let f: OrgFixture;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;
const as = async (who: keyof OrgFixture['session'], method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, f.session[who], method, path, body);
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
};
const valid = () => ({
  personId: f.person.staffA,
  type: 'state',
  form: 'canhCao',
  decisionNumber: '45/QĐ-SNV',
  date: '2026-06-15',
  issuer: 'Giám đốc Sở Nội vụ',
});

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = NOW;
});

describe('entering a discipline record: validation', () => {
  const cases: [string, () => Json, number, string][] = [
    [
      'no decision number',
      () => ({ ...valid(), decisionNumber: undefined }),
      422,
      'RECORD_DECISION_NUMBER_REQUIRED',
    ],
    [
      'a blank decision number',
      () => ({ ...valid(), decisionNumber: '   ' }),
      422,
      'RECORD_DECISION_NUMBER_REQUIRED',
    ],
    ['no issuer', () => ({ ...valid(), issuer: '' }), 422, 'RECORD_ISSUER_REQUIRED'],
    ['no date', () => ({ ...valid(), date: undefined }), 422, 'RECORD_DATE_REQUIRED'],
    ['an impossible date', () => ({ ...valid(), date: '2026-02-30' }), 422, 'RECORD_DATE_REQUIRED'],
    [
      'a date tomorrow (Hà Nội time)',
      () => ({ ...valid(), date: '2026-11-27' }),
      422,
      'RECORD_DATE_IN_FUTURE',
    ],
    ['no subject', () => ({ ...valid(), personId: undefined }), 422, 'RECORD_SUBJECT_REQUIRED'],
    ['two subjects', () => ({ ...valid(), unitId: f.unit.AD1 }), 422, 'RECORD_SUBJECT_REQUIRED'],
    [
      'the province as subject',
      () => ({ ...valid(), personId: undefined, unitId: f.unit.P }),
      422,
      'RECORD_OUTSIDE_SCOPE',
    ],
    ['markup in the issuer', () => ({ ...valid(), issuer: '<b>x</b>' }), 422, 'RECORD_TEXT_INVALID'],
    ['a hidden character', () => ({ ...valid(), decisionNumber: '45\u200b/QĐ' }), 422, 'RECORD_TEXT_INVALID'],
    ['an unknown form', () => ({ ...valid(), form: 'fine' }), 400, 'VALIDATION_FAILED'],
    ['an unknown type', () => ({ ...valid(), type: 'civil' }), 400, 'VALIDATION_FAILED'],
    ['free text instead of fields', () => ({ ...valid(), note: 'bị kỷ luật' }), 400, 'VALIDATION_FAILED'],
  ];
  for (const [what, body, status, code] of cases)
    it(`refuses ${what} with ${code}`, async () => {
      const r = await as('headA', 'POST', '/api/evaluation/discipline-records', body());
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.code).toBe(code);
      expect(r.body.message.vi).toBeTruthy();
      expect(r.body.message.en).toBeTruthy();
    });

  it('saved nothing for the refused requests', async () => {
    const n = await db
      .selectFrom('evaluation_record')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('accepts a record dated today (Hà Nội time)', async () => {
    const r = await as('headA', 'POST', '/api/evaluation/discipline-records', {
      ...valid(),
      date: '2026-11-26',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await as('headA', 'POST', `/api/evaluation/discipline-records/${r.body.id}/revoke`, {
      reason: 'Nhập thử',
    });
  });
});

describe('who enters records (the tiered rule)', () => {
  it("lets unit A's head record a discipline decision about a staff member of A.D1, audited", async () => {
    const r = await as('headA', 'POST', '/api/evaluation/discipline-records', valid());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      recordKind: 'discipline',
      subjectKind: 'person',
      personId: f.person.staffA,
      personName: 'Nguyễn Văn An',
      unitId: f.unit.AD1,
      type: 'state',
      form: 'canhCao',
      decisionNumber: '45/QĐ-SNV',
      date: '2026-06-15',
      issuer: 'Giám đốc Sở Nội vụ',
      createdBy: f.person.headA,
      revokedAt: null,
    });
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'before', 'after'])
      .where('aggregate_type', '=', 'evaluation_record')
      .where('aggregate_id', '=', r.body.id)
      .execute();
    expect(audits).toEqual([
      {
        action: 'evaluation.discipline.create',
        actor: f.person.headA,
        before: null,
        after: expect.objectContaining({
          personId: f.person.staffA,
          decisionNumber: '45/QĐ-SNV',
          form: 'canhCao',
        }),
      },
    ]);
  });

  it('refuses the province for a person inside a unit, and a supervisor, and an auditor', async () => {
    for (const who of ['orgdeptP', 'adminP', 'supervisorA', 'auditorA'] as const) {
      const r = await as(who, 'POST', '/api/evaluation/discipline-records', valid());
      expect(r.status, who).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
  });

  it("lets the province's organisation department record about unit B's head, never unit A's head", async () => {
    const body = {
      ...valid(),
      personId: f.person.headB,
      decisionNumber: '7-QĐ/TU',
      issuer: 'Ban Thường vụ Tỉnh ủy',
      type: 'party',
      form: 'khienTrach',
    };
    const ok = await as('orgdeptP', 'POST', '/api/evaluation/discipline-records', body);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const refused = await as('headA', 'POST', '/api/evaluation/discipline-records', body);
    expect(refused.status).toBe(403);
  });

  it('refuses a record about oneself', async () => {
    const r = await as('headA', 'POST', '/api/evaluation/conclusion-records', {
      personId: f.person.headA,
      kind: 'exampleBreach',
      decisionNumber: '3-KL/UBKT',
      date: '2026-03-01',
      issuer: 'Ủy ban kiểm tra',
    });
    // unit A's head is unit-level data: the province's, and never one's own
    expect(r.status).toBe(403);
    const self = await as('adminA', 'POST', '/api/evaluation/conclusion-records', {
      personId: f.person.adminA,
      kind: 'exampleBreach',
      decisionNumber: '3-KL/UBKT',
      date: '2026-03-01',
      issuer: 'Ủy ban kiểm tra',
    });
    expect(self.status).toBe(403);
  });

  it('records a conclusion about a unit (corruption in the unit) by the province', async () => {
    const r = await as('orgdeptP', 'POST', '/api/evaluation/conclusion-records', {
      unitId: f.unit.B,
      kind: 'corruptionInUnit',
      decisionNumber: '9-KL/TU',
      date: '2026-09-09',
      issuer: 'Ban Thường vụ Tỉnh ủy',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      subjectKind: 'unit',
      unitId: f.unit.B,
      personId: null,
      kind: 'corruptionInUnit',
      form: null,
    });
  });
});

describe('listing and revoking', () => {
  it("lists unit A's records to its head and auditor, and only the unit-level ones to the province", async () => {
    const head = await as('headA', 'GET', `/api/evaluation/discipline-records?unitId=${f.unit.A}&year=2026`);
    expect(head.status).toBe(200);
    expect(head.body.items.map((i: Json) => i.decisionNumber)).toEqual(['45/QĐ-SNV']);
    const auditor = await as(
      'auditorA',
      'GET',
      `/api/evaluation/discipline-records?unitId=${f.unit.A}&year=2026`,
    );
    expect(auditor.body.items).toHaveLength(1);
    const province = await as(
      'orgdeptP',
      'GET',
      `/api/evaluation/discipline-records?unitId=${f.unit.A}&year=2026`,
    );
    expect(province.status).toBe(200);
    expect(province.body.items).toEqual([]);
    const b = await as('orgdeptP', 'GET', `/api/evaluation/discipline-records?unitId=${f.unit.B}`);
    expect(b.body.items.map((i: Json) => i.decisionNumber)).toEqual(['7-QĐ/TU']);
    const otherYear = await as(
      'headA',
      'GET',
      `/api/evaluation/discipline-records?unitId=${f.unit.A}&year=2025`,
    );
    expect(otherYear.body.items).toEqual([]);
    const noScope = await as('headA', 'GET', '/api/evaluation/discipline-records');
    expect(noScope.body.code).toBe('RECORD_LIST_SCOPE_REQUIRED');
  });

  it('revokes with a reason, keeps the record in the history, takes it out of the year, audited', async () => {
    const list = await as('headA', 'GET', `/api/evaluation/discipline-records?personId=${f.person.staffA}`);
    const id = list.body.items[0].id as string;
    expect(await disciplineRecordsOf(db, { personIds: [f.person.staffA], year: 2026 })).toHaveLength(1);

    const noReason = await as('headA', 'POST', `/api/evaluation/discipline-records/${id}/revoke`, {
      reason: ' ',
    });
    expect(noReason.body.code).toBe('RECORD_REVOKE_REASON_REQUIRED');
    const wrongKind = await as('headA', 'POST', `/api/evaluation/conclusion-records/${id}/revoke`, {
      reason: 'x',
    });
    expect(wrongKind.status).toBe(404);
    const byAuditor = await as('auditorA', 'POST', `/api/evaluation/discipline-records/${id}/revoke`, {
      reason: 'x',
    });
    expect(byAuditor.status).toBe(403);

    const r = await as('adminA', 'POST', `/api/evaluation/discipline-records/${id}/revoke`, {
      reason: 'Quyết định bị hủy bởi cấp trên',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      revokedBy: f.person.adminA,
      revokeReason: 'Quyết định bị hủy bởi cấp trên',
    });
    const again = await as('adminA', 'POST', `/api/evaluation/discipline-records/${id}/revoke`, {
      reason: 'lại',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('RECORD_ALREADY_REVOKED');

    const current = await as(
      'headA',
      'GET',
      `/api/evaluation/discipline-records?personId=${f.person.staffA}`,
    );
    expect(current.body.items.map((i: Json) => i.id)).not.toContain(id);
    const history = await as(
      'headA',
      'GET',
      `/api/evaluation/discipline-records?personId=${f.person.staffA}&includeRevoked=true`,
    );
    expect(history.body.items.find((i: Json) => i.id === id)).toMatchObject({
      decisionNumber: '45/QĐ-SNV',
      revokeReason: 'Quyết định bị hủy bởi cấp trên',
    });
    const row = await db.selectFrom('evaluation_record').selectAll().where('id', '=', id).executeTakeFirst();
    expect(row?.decision_number).toBe('45/QĐ-SNV');
    expect(await disciplineRecordsOf(db, { personIds: [f.person.staffA], year: 2026 })).toEqual([]);
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'before', 'after'])
      .where('aggregate_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audits.map((a) => a.action)).toEqual([
      'evaluation.discipline.create',
      'evaluation.discipline.revoke',
    ]);
    expect(audits[1]).toMatchObject({
      actor: f.person.adminA,
      before: { revokedAt: null },
      after: { revokeReason: 'Quyết định bị hủy bởi cấp trên' },
    });
  });
});

describe("a person's duty group and Party membership", () => {
  it('sets the duty group from a date, audited; default before it', async () => {
    const before = await as('headA', 'GET', `/api/people/${f.person.staffA}/duty-group`);
    expect(before.body).toMatchObject({ current: 'default', history: [] });
    const bad = await as('headA', 'PUT', `/api/people/${f.person.staffA}/duty-group`, {
      dutyGroup: 'Chuyên viên',
      effectiveFrom: '2026-01-01',
    });
    expect(bad.body.code).toBe('DUTY_GROUP_INVALID');
    const r = await as('headA', 'PUT', `/api/people/${f.person.staffA}/duty-group`, {
      dutyGroup: 'chuyen-vien',
      effectiveFrom: '2026-01-01',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      current: 'chuyen-vien',
      history: [{ effectiveFrom: '2026-01-01', unitId: f.unit.A }],
    });
    const groups = await dutyGroupsOf(db, { personIds: [f.person.staffA], asOf: '2025-12-31' });
    expect(groups.get(f.person.staffA)).toBe('default');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('aggregate_type', '=', 'person_duty_group')
      .where('aggregate_id', '=', f.person.staffA)
      .execute();
    expect(audit).toEqual([
      {
        action: 'evaluation.duty-group.set',
        after: { effectiveFrom: '2026-01-01', dutyGroup: 'chuyen-vien', unitId: f.unit.A },
      },
    ]);
    const province = await as('orgdeptP', 'PUT', `/api/people/${f.person.staffA}/duty-group`, {
      dutyGroup: 'x',
      effectiveFrom: '2026-01-01',
    });
    expect(province.status).toBe(403);
  });

  it('records Party membership from a date, audited', async () => {
    const r = await as('orgdeptP', 'PUT', `/api/people/${f.person.headB}/party-membership`, {
      isMember: true,
      effectiveFrom: '2020-05-19',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      isMember: true,
      history: [{ effectiveFrom: '2020-05-19', isMember: true }],
    });
    expect(
      await partyMembersOf(db, { personIds: [f.person.headB, f.person.staffB], asOf: '2026-12-31' }),
    ).toEqual(new Set([f.person.headB]));
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_type', '=', 'person_party_membership')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['evaluation.party-membership.set']);
  });

  it('offers the entry form only the subjects the caller may record about', async () => {
    const head = await as('headA', 'GET', `/api/evaluation/record-subjects?unitId=${f.unit.A}`);
    expect(head.status).toBe(200);
    const names = head.body.people.map((p: Json) => p.id);
    expect(names).toContain(f.person.staffA);
    expect(names).not.toContain(f.person.headA);
    expect(head.body.units.map((u: Json) => u.id)).toContain(f.unit.AD1);
    expect(head.body.units.map((u: Json) => u.id)).not.toContain(f.unit.A);
    const province = await as('orgdeptP', 'GET', `/api/evaluation/record-subjects?unitId=${f.unit.A}`);
    expect(province.body.people.map((p: Json) => p.id)).toEqual([f.person.headA]);
    expect(province.body.units.map((u: Json) => u.id)).toEqual([f.unit.A]);
  });
});
