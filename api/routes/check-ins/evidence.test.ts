// Evidence files of a check-in (issue 6 point 1–2), on a real database: an upload sniffed, hashed, kept in
// PostgreSQL, audited and attached to a value; the attach through PUT values end to end; the download for the
// check-in's readers only (404 for everyone else), always as a sandboxed attachment; detaching and deleting
// while the check-in is editable.
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { valuesOfCheckIn } from '../../../db/queries/check-ins.ts';
import { storeEvidence } from '../../../db/queries/evidence.ts';
import { pdf, png } from '../../../domain/evidence/test-files.ts';
import { checkInPlans } from '../../../test/support/check-in-plans.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import {
  ACTORS,
  type ActorKey,
  buildOrg,
  type OrgFixture,
  requestAs,
} from '../../../test/support/org-fixture.ts';
import { createApp } from '../../app.ts';
import { contentDisposition } from './evidence.ts';

const { db } = await freshDatabase();
const NOW = new Date('2026-03-10T03:00:00Z');
let now = new Date();
const app = createApp({
  db,
  temporal: () => Promise.reject(new Error('unused')),
  version: 'test',
  clock: () => now,
  evidence: { maxBytes: 64 * 1024 },
});
let f: OrgFixture;
let plan: Awaited<ReturnType<typeof checkInPlans>>;

// biome-ignore lint/suspicious/noExplicitAny: response bodies in tests
type Json = Record<string, any>;

async function upload(who: ActorKey, period: string, name: string, bytes: Uint8Array, keyResult?: string) {
  const fd = new FormData();
  fd.append('file', new File([bytes], name, { type: name.endsWith('.pdf') ? 'application/pdf' : '' }));
  if (keyResult) fd.append('keyResult', keyResult);
  const headers: Record<string, string> = { ...f.session[who].headers };
  delete headers['content-type'];
  const res = await app.request(`/api/check-ins/mine/${period}/evidence`, {
    method: 'POST',
    headers,
    body: fd,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Json };
}
const as = async (who: ActorKey | 'anon', method: string, path: string, body?: unknown) => {
  const res = await requestAs(app, who === 'anon' ? undefined : f.session[who], method, path, body);
  return res;
};
const json = async (res: Response) => ({
  status: res.status,
  body: (await res.json().catch(() => null)) as Json,
});
const checkInOf = (period: string) =>
  db
    .selectFrom('check_in')
    .selectAll()
    .where('person_id', '=', f.person.officialA)
    .where('period', '=', period)
    .executeTakeFirst();

beforeAll(async () => {
  f = await buildOrg(db, app);
  now = NOW;
  plan = await checkInPlans(db, f, 2026);
});

const report = pdf('Biên bản nghiệm thu tháng 3');
let fileId = '';

describe('uploading evidence', () => {
  it('keeps the file with its sha256 and sniffed type, audited, attached to the value at once', async () => {
    const r = await upload('officialA', '2026-03', 'Biên bản nghiệm thu.pdf', report, `${plan.A}/k-ms`);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    fileId = r.body.file.id;
    expect(r.body).toMatchObject({
      created: true,
      file: {
        fileName: 'Biên bản nghiệm thu.pdf',
        type: 'application/pdf',
        size: report.byteLength,
        sha256: createHash('sha256').update(report).digest('hex'),
      },
      checkIn: { status: 'DRAFT', revision: 1 },
      attachedTo: { planId: plan.A, keyResultId: 'k-ms' },
    });
    const row = await db
      .selectFrom('evidence_file')
      .selectAll()
      .where('id', '=', fileId)
      .executeTakeFirstOrThrow();
    const ci = await checkInOf('2026-03');
    expect(row).toMatchObject({ subject_type: 'check_in', subject_id: ci?.id, unit_id: f.unit.AD1 });
    expect(Buffer.compare(row.bytes, Buffer.from(report))).toBe(0);
    const values = await valuesOfCheckIn(db, ci?.id ?? '');
    expect(values.map((v) => [v.key_result_id, v.evidence_ids, v.done])).toEqual([['k-ms', [fileId], null]]);
    const audits = await db
      .selectFrom('audit_log')
      .select(['aggregate_type', 'action', 'actor'])
      .where('aggregate_id', 'in', [fileId, ci?.id ?? ''])
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      { aggregate_type: 'evidence_file', action: 'evidence_file.stored', actor: f.person.officialA },
      { aggregate_type: 'check_in', action: 'check-in.evidence-attached', actor: f.person.officialA },
    ]);
  });

  it('keeps the same bytes once per check-in: a retried upload answers the file already kept', async () => {
    const r = await upload('officialA', '2026-03', 'Biên bản nghiệm thu.pdf', report, `${plan.A}/k-ms`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ created: false, file: { id: fileId }, checkIn: { revision: 1 } });
    const n = await db.selectFrom('evidence_file').select('id').execute();
    expect(n).toHaveLength(1);
  });

  it('lists the files of each value on my check-in, and keeps them when a save leaves evidenceIds out', async () => {
    const put = await json(
      await as('officialA', 'PUT', '/api/check-ins/mine/2026-03/values', {
        baseRevision: 1,
        locale: 'vi',
        values: [{ planId: plan.A, keyResultId: 'k-ms', done: true, status: 'on-track' }],
      }),
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const mine = await json(await as('officialA', 'GET', '/api/check-ins/mine?period=2026-03'));
    const ms = mine.body.items.find((i: Json) => i.keyResult.id === 'k-ms');
    expect(ms.value).toMatchObject({ done: true, evidenceIds: [fileId] });
    expect(ms.evidence).toEqual([
      expect.objectContaining({ id: fileId, fileName: 'Biên bản nghiệm thu.pdf', type: 'application/pdf' }),
    ]);
    expect(mine.body.unattached).toEqual([]);
  });

  it('attaches an uploaded file to another value through PUT values, end to end', async () => {
    const up = await upload('officialA', '2026-03', 'anh-chup.png', png());
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.attachedTo).toBeNull();
    const before = await json(await as('officialA', 'GET', '/api/check-ins/mine?period=2026-03'));
    expect(before.body.unattached.map((x: Json) => x.id)).toEqual([up.body.file.id]);
    const put = await json(
      await as('officialA', 'PUT', '/api/check-ins/mine/2026-03/values', {
        baseRevision: before.body.checkIn.revision,
        locale: 'vi',
        values: [
          {
            planId: plan.A,
            keyResultId: 'k-m',
            value: '12',
            status: 'on-track',
            evidenceIds: [up.body.file.id],
          },
        ],
      }),
    );
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const after = await json(await as('officialA', 'GET', '/api/check-ins/mine?period=2026-03'));
    const km = after.body.items.find((i: Json) => i.keyResult.id === 'k-m');
    expect(km.evidence.map((x: Json) => [x.fileName, x.type])).toEqual([['anh-chup.png', 'image/png']]);
    expect(after.body.unattached).toEqual([]);
    // the submitted view of the check-in names the same files
    const read = await json(await as('supervisorA', 'GET', `/api/check-ins/${after.body.checkIn.id}`));
    expect(read.status).toBe(200);
    expect(read.body.values.map((v: Json) => [v.keyResultId, v.evidenceIds])).toEqual([
      ['k-m', [up.body.file.id]],
      ['k-ms', [fileId]],
    ]);
  });
});

describe('downloading evidence', () => {
  it('serves the file as an attachment in a sandbox, with its sniffed type and RFC 5987 name', async () => {
    const res = await as('officialA', 'GET', `/api/evidence/${fileId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Bien ban nghiem thu.pdf"; filename*=UTF-8''${encodeURIComponent('Biên bản nghiệm thu.pdf')}`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), Buffer.from(report))).toBe(0);
  });

  it("is read by the person, their supervisor and their unit's head; 404 for everyone else", async () => {
    const outcome: Record<string, number> = {};
    for (const who of [
      'officialA',
      'supervisorA',
      'headA',
      'adminA',
      'auditorA',
      'secretariatP',
      'standingP',
      'adminP',
      'adminQ',
      'anon',
    ] as const)
      outcome[who] = (await as(who, 'GET', `/api/evidence/${fileId}`)).status;
    expect(outcome).toEqual({
      officialA: 200,
      supervisorA: 200,
      headA: 200,
      adminA: 404,
      auditorA: 404,
      secretariatP: 404,
      standingP: 404,
      adminP: 404,
      adminQ: 404,
      anon: 401,
    });
    const missing = await json(await as('headA', 'GET', `/api/evidence/${randomUUID()}`));
    const hidden = await json(await as('adminA', 'GET', `/api/evidence/${fileId}`));
    expect(hidden).toEqual(missing);
    expect(hidden.body).toMatchObject({ code: 'EVIDENCE_NOT_FOUND' });
  });

  it('names any file safely', () => {
    expect(contentDisposition('a"b;c.pdf')).toBe(
      `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%3Bc.pdf`,
    );
    expect(contentDisposition('Đề án (bản 2).docx')).toBe(
      `attachment; filename="De an _ban 2_.docx"; filename*=UTF-8''%C4%90%E1%BB%81%20%C3%A1n%20%28b%E1%BA%A3n%202%29.docx`,
    );
  });
});

describe('removing evidence', () => {
  it('detaches a file from its value and deletes it, audited', async () => {
    const up = await upload('officialA', '2026-03', 'thu-nghiem.pdf', pdf('xoá'), `${plan.mine}/k-p`);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const id = up.body.file.id;
    const r = await json(await as('officialA', 'DELETE', `/api/check-ins/mine/2026-03/evidence/${id}`));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      deleted: true,
      detachedFrom: [{ planId: plan.mine, keyResultId: 'k-p' }],
    });
    expect(await db.selectFrom('evidence_file').select('id').where('id', '=', id).execute()).toEqual([]);
    const ci = await checkInOf('2026-03');
    const kp = (await valuesOfCheckIn(db, ci?.id ?? '')).find((v) => v.key_result_id === 'k-p');
    expect(kp?.evidence_ids).toEqual([]);
    const audits = await db
      .selectFrom('audit_log')
      .select('action')
      .where('aggregate_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['evidence_file.stored', 'evidence_file.deleted']);
    // gone: a second delete is 404, and so is the download
    expect((await as('officialA', 'DELETE', `/api/check-ins/mine/2026-03/evidence/${id}`)).status).toBe(404);
    expect((await as('officialA', 'GET', `/api/evidence/${id}`)).status).toBe(404);
  });

  it("refuses another person's file (404) and any removal once the check-in is submitted (409)", async () => {
    const sup = await json(
      await as('supervisorA', 'DELETE', `/api/check-ins/mine/2026-03/evidence/${fileId}`),
    );
    expect(sup.status).toBe(404);
    expect(sup.body.code).toBe('EVIDENCE_NOT_FOUND');
    await db
      .updateTable('check_in')
      .set({ status: 'SUBMITTED' })
      .where('person_id', '=', f.person.officialA)
      .where('period', '=', '2026-03')
      .execute();
    const r = await json(await as('officialA', 'DELETE', `/api/check-ins/mine/2026-03/evidence/${fileId}`));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'CHECK_IN_CLOSED', details: { status: 'SUBMITTED' } });
    expect(await db.selectFrom('evidence_file').select('id').where('id', '=', fileId).execute()).toHaveLength(
      1,
    );
  });
});

describe('who downloads which file: by what it is evidence of (the tiered rule)', () => {
  const store = async (
    o: { unitId: string; by: string; subjectType: string; subjectId: string },
    text: string,
  ) => {
    const r = await storeEvidence(db, {
      unitId: o.unitId,
      uploadedBy: o.by,
      subjectType: o.subjectType,
      subjectId: o.subjectId,
      fileName: `${text}.pdf`,
      declaredType: 'application/pdf',
      bytes: pdf(text),
    });
    if (!r.ok) throw new Error(r.code);
    return r.file.id;
  };
  /** A waiver of the person's assessment with its evidence file (kept at the assessment's unit). */
  const waiverFile = async (personId: string, unitId: string, by: string, text: string) => {
    const a = await db
      .insertInto('period_assessment')
      .values({ person_id: personId, unit_id: unitId, period: '2026-Q1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const waiverId = randomUUID();
    const file = await store(
      { unitId, by, subjectType: 'period_assessment_waiver', subjectId: waiverId },
      text,
    );
    await db
      .insertInto('period_assessment_waiver')
      .values({
        id: waiverId,
        assessment_id: a.id,
        target_kind: 'late',
        target_ref: '2026-02',
        objective_cause: 'Mất điện diện rộng',
        evidence_ids: [file],
        recorded_by: by,
      })
      .execute();
    return file;
  };
  const readers = async (id: string) => {
    const ok: string[] = [];
    for (const who of ACTORS) {
      const status = (await as(who, 'GET', `/api/evidence/${id}`)).status;
      expect([200, 404], `${who}: ${status}`).toContain(status);
      if (status === 200) ok.push(who);
    }
    return ok.sort();
  };

  it('an individual is read by the person, the managers over them and the uploader; the province only a unit-level record', async () => {
    // a waiver of a person working directly in the top unit A (kept at A): still an individual's document
    const waiverTop = await waiverFile(f.person.auditorA, f.unit.A, f.person.headA, 'waiver-top');
    // a waiver of a person in a department, recorded by their supervisor
    const waiverDept = await waiverFile(f.person.officialA, f.unit.AD1, f.person.supervisorA, 'waiver-dept');
    // a file of one value of the official's check-in (stored by someone else, so the uploader rule is not it)
    const ci = await checkInOf('2026-03');
    const value = (await valuesOfCheckIn(db, ci?.id ?? ''))[0];
    const valueFile = await store(
      { unitId: f.unit.AD1, by: f.person.headA, subjectType: 'check_in_value', subjectId: value?.id ?? '' },
      'value',
    );
    // a unit-level record of the top unit A (its monthly report)
    const unitRecord = await store(
      {
        unitId: f.unit.A,
        by: f.person.headA,
        subjectType: 'monthly_report',
        subjectId: `${f.unit.A}:2026-03`,
      },
      'report',
    );
    // a subject of a kind not known to be unit-level, kept at A: internal (closed by default)
    const other = await store(
      { unitId: f.unit.A, by: f.person.adminA, subjectType: 'something_else', subjectId: 'x' },
      'other',
    );
    const table = {
      waiverTop: await readers(waiverTop),
      waiverDept: await readers(waiverDept),
      valueFile: await readers(valueFile),
      unitRecord: await readers(unitRecord),
      other: await readers(other),
    };
    expect(table).toEqual({
      waiverTop: ['auditorA', 'headA'],
      waiverDept: ['headA', 'officialA', 'supervisorA'],
      valueFile: ['headA', 'officialA', 'supervisorA'],
      unitRecord: ['auditorP', 'headA', 'orgdeptP', 'secretariatP', 'standingP'],
      other: ['adminA', 'headA'],
    });
    // a refusal is the same 404 as a file that does not exist
    const hidden = await json(await as('secretariatP', 'GET', `/api/evidence/${waiverTop}`));
    expect(hidden).toEqual(await json(await as('secretariatP', 'GET', `/api/evidence/${randomUUID()}`)));
  });
});
