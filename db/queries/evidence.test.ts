// The evidence file store on a real PostgreSQL: classification before writing, sha256 checked by the
// database, one row per subject for the same bytes, each stored file audited.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVIDENCE_LIMITS } from '../../domain/evidence/policy.ts';
import { exe, html, pdf, png } from '../../domain/evidence/test-files.ts';
import { freshDatabase } from '../../test/support/database.ts';
import { knownConstraints, translateDbError } from '../errors.ts';
import {
  deleteEvidence,
  evidenceInUse,
  listEvidence,
  readEvidenceBytes,
  readEvidenceMeta,
  readEvidenceMetas,
  sha256Hex,
  storeEvidence,
} from './evidence.ts';

const { db } = await freshDatabase();
const UNIT = randomUUID();
const PERSON = randomUUID();

beforeAll(async () => {
  await db
    .insertInto('org_unit')
    .values({
      id: UNIT,
      type_code: 'province',
      province_id: UNIT,
      parent_id: null,
      code: 'HY',
      name_vi: 'Tỉnh Hưng Yên',
      active_from: '2025-07-01',
    })
    .execute();
  await db
    .insertInto('person')
    .values({
      id: PERSON,
      full_name: 'Trần Văn Đức',
      email: 'duc@hungyen.gov.vn',
      duty_group: 'civil_servant',
    })
    .execute();
});

const input = (o: Partial<Parameters<typeof storeEvidence>[1]> = {}) => ({
  unitId: UNIT,
  uploadedBy: PERSON,
  subjectType: 'check_in',
  subjectId: randomUUID(),
  fileName: 'Biên bản nghiệm thu.pdf',
  declaredType: 'application/pdf',
  bytes: pdf(),
  ...o,
});

const count = async (subjectId?: string) => {
  let q = db.selectFrom('evidence_file').select((eb) => eb.fn.countAll<string>().as('n'));
  if (subjectId) q = q.where('subject_id', '=', subjectId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe('storeEvidence', () => {
  it('stores a file with its sniffed type, size and the sha256 of its bytes, audited', async () => {
    const i = input();
    const r = await storeEvidence(db, i);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.created).toBe(true);
    const expected = createHash('sha256').update(i.bytes).digest('hex');
    expect(r.file).toMatchObject({
      unitId: UNIT,
      uploadedBy: PERSON,
      subjectType: 'check_in',
      subjectId: i.subjectId,
      fileName: 'Biên bản nghiệm thu.pdf',
      declaredType: 'application/pdf',
      sniffedType: 'application/pdf',
      size: i.bytes.length,
      sha256: expected,
    });
    // The database's own digest of the stored bytes is the one recorded.
    const row = await sql<{ digest: string; sha256: string; len: number }>`
      SELECT encode(sha256(bytes), 'hex') AS digest, sha256, octet_length(bytes) AS len
      FROM evidence_file WHERE id = ${r.file.id}`.execute(db);
    expect(row.rows[0]).toEqual({ digest: expected, sha256: expected, len: i.bytes.length });
    const read = await readEvidenceBytes(db, r.file.id);
    expect(read?.bytes.equals(i.bytes)).toBe(true);
    expect(sha256Hex(read!.bytes)).toBe(expected);
    expect(await readEvidenceMeta(db, r.file.id)).toEqual(r.file);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'after'])
      .where('aggregate_type', '=', 'evidence_file')
      .where('aggregate_id', '=', r.file.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'evidence_file.stored',
      actor: PERSON,
      after: { sha256: expected },
    });
  });

  it('stores the same bytes once per subject (a retried upload), again for another subject', async () => {
    const i = input();
    const first = await storeEvidence(db, i);
    const again = await storeEvidence(db, { ...i, fileName: 'ban-sao.pdf' });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.created).toBe(false);
    expect(again.file).toEqual(first.file);
    expect(await count(i.subjectId)).toBe(1);
    const auditRows = await db
      .selectFrom('audit_log')
      .select('id')
      .where('aggregate_id', '=', first.file.id)
      .execute();
    expect(auditRows).toHaveLength(1);
    // Concurrent duplicates: still one row.
    const j = input({ bytes: png(), fileName: 'anh.png', declaredType: 'image/png' });
    const both = await Promise.all([storeEvidence(db, j), storeEvidence(db, j), storeEvidence(db, j)]);
    expect(both.filter((b) => b.ok && b.created)).toHaveLength(1);
    expect(new Set(both.map((b) => (b.ok ? b.file.id : '')))).toHaveProperty('size', 1);
    expect(await count(j.subjectId)).toBe(1);
    // Another subject keeps its own copy.
    const other = await storeEvidence(db, { ...i, subjectId: randomUUID() });
    expect(other).toMatchObject({ ok: true, created: true });
    if (other.ok) expect(other.file.id).not.toBe(first.file.id);
    // A different file for the same subject is added beside the first.
    const second = await storeEvidence(db, { ...i, bytes: pdf('Phụ lục'), fileName: 'phu-luc.pdf' });
    expect(second).toMatchObject({ ok: true, created: true });
    expect((await listEvidence(db, 'check_in', i.subjectId)).map((f) => f.fileName)).toEqual([
      'Biên bản nghiệm thu.pdf',
      'phu-luc.pdf',
    ]);
  });

  it('refuses a disguised file and writes nothing', async () => {
    const before = await count();
    for (const bytes of [exe(), html()]) {
      const r = await storeEvidence(db, input({ bytes, fileName: 'bao-cao.pdf' }));
      expect(r).toMatchObject({ ok: false, code: 'EVIDENCE_TYPE_MISMATCH' });
      if (!r.ok) expect(r.message.vi).toContain('không phải application/pdf');
    }
    expect(await count()).toBe(before);
  });

  it('refuses a file above the limit (default 10 MB, or as configured) and an empty one', async () => {
    const before = await count();
    const big = Buffer.concat([pdf(), Buffer.alloc(DEFAULT_EVIDENCE_LIMITS.maxBytes)]);
    expect(await storeEvidence(db, input({ bytes: big }))).toMatchObject({
      ok: false,
      code: 'EVIDENCE_TOO_LARGE',
    });
    const limits = { ...DEFAULT_EVIDENCE_LIMITS, maxBytes: 100 };
    expect(await storeEvidence(db, input({ limits }))).toMatchObject({
      ok: false,
      code: 'EVIDENCE_TOO_LARGE',
    });
    expect(await storeEvidence(db, input({ bytes: Buffer.alloc(0) }))).toMatchObject({
      ok: false,
      code: 'EVIDENCE_EMPTY',
    });
    expect(await count()).toBe(before);
  });

  it('joins the caller transaction: rolled back with it', async () => {
    const i = input();
    await expect(
      db.transaction().execute(async (trx) => {
        const r = await storeEvidence(trx, i);
        expect(r).toMatchObject({ ok: true, created: true });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await count(i.subjectId)).toBe(0);
  });
});

describe('reading several, telling what is in use, deleting', () => {
  it('reads the metadata of the files that exist, in the order asked', async () => {
    const a = await storeEvidence(db, input({ bytes: pdf('một') }));
    const b = await storeEvidence(
      db,
      input({ bytes: png(), fileName: 'anh.png', declaredType: 'image/png' }),
    );
    if (!a.ok || !b.ok) throw new Error('not stored');
    const metas = await readEvidenceMetas(db, [b.file.id, randomUUID(), a.file.id, b.file.id]);
    expect(metas.map((m) => [m.id, m.sniffedType])).toEqual([
      [b.file.id, 'image/png'],
      [a.file.id, 'application/pdf'],
    ]);
    expect(await readEvidenceMetas(db, [])).toEqual([]);
  });

  it('tells a file a frozen check-in version names (kept); deletes an unused one, audited', async () => {
    const r = await storeEvidence(db, input({ bytes: pdf('xoá') }));
    if (!r.ok) throw new Error('not stored');
    const id = r.file.id;
    const checkIn = randomUUID();
    expect(await evidenceInUse(db, id, checkIn)).toBe(false);
    await db
      .insertInto('check_in')
      .values({ id: checkIn, person_id: PERSON, unit_id: UNIT, period: '2026-03', workflow_id: null })
      .execute();
    await db
      .insertInto('check_in_version')
      .values({
        check_in_id: checkIn,
        number: 1,
        content: JSON.stringify({ values: [{ evidenceIds: [id] }] }),
        hash: 'a'.repeat(64),
        created_by: PERSON,
      } as never)
      .execute();
    expect(await evidenceInUse(db, id, checkIn)).toBe(true);
    // a file no value and no version names
    const other = await storeEvidence(db, input({ bytes: pdf('không dùng') }));
    if (!other.ok) throw new Error('not stored');
    expect(await evidenceInUse(db, other.file.id, checkIn)).toBe(false);
    expect(await deleteEvidence(db, other.file.id, PERSON)).toBe(true);
    expect(await readEvidenceMeta(db, other.file.id)).toBeUndefined();
    expect(await deleteEvidence(db, other.file.id, PERSON)).toBe(false);
    expect(await readEvidenceMeta(db, id)).toBeDefined();
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('aggregate_id', '=', other.file.id)
      .orderBy('id')
      .execute();
    expect(audit.map((x) => x.action)).toEqual(['evidence_file.stored', 'evidence_file.deleted']);
    expect(audit[1]?.before).toMatchObject({ id: other.file.id, fileName: 'Biên bản nghiệm thu.pdf' });
  });
});

describe('the evidence_file table', () => {
  const row = (o: Record<string, unknown> = {}) => {
    const bytes = pdf();
    return {
      unit_id: UNIT,
      uploaded_by: PERSON,
      subject_type: 'check_in',
      subject_id: randomUUID(),
      file_name: 'a.pdf',
      declared_type: null,
      sniffed_type: 'application/pdf',
      size_bytes: bytes.length,
      sha256: sha256Hex(bytes),
      bytes,
      ...o,
    };
  };
  async function code(values: Record<string, unknown>): Promise<string | undefined> {
    try {
      await db.insertInto('evidence_file').values(row(values)).execute();
    } catch (e) {
      return translateDbError(e)?.code;
    }
    return 'inserted';
  }

  it('checks the sha256 and the size against the bytes, and the names', async () => {
    expect(await code({})).toBe('inserted');
    expect(await code({ sha256: sha256Hex(png()) })).toBe('EVIDENCE_DIGEST_MISMATCH');
    expect(await code({ sha256: 'ABC' })).toBe('EVIDENCE_DIGEST_MISMATCH');
    expect(await code({ size_bytes: 3 })).toBe('EVIDENCE_SIZE_INVALID');
    expect(await code({ bytes: Buffer.alloc(0), size_bytes: 0, sha256: sha256Hex(Buffer.alloc(0)) })).toBe(
      'EVIDENCE_SIZE_INVALID',
    );
    expect(await code({ file_name: ' ' })).toBe('EVIDENCE_NAME_INVALID');
    expect(await code({ file_name: 'a/b.pdf' })).toBe('EVIDENCE_NAME_INVALID');
    expect(await code({ file_name: 'a\u0001.pdf' })).toBe('EVIDENCE_NAME_INVALID');
    expect(await code({ subject_type: 'Check In' })).toBe('EVIDENCE_SUBJECT_INVALID');
    expect(await code({ sniffed_type: 'pdf' })).toBe('EVIDENCE_TYPE_INVALID');
    expect(await code({ unit_id: randomUUID() })).toBe('EVIDENCE_UNIT_MISSING');
    expect(await code({ uploaded_by: randomUUID() })).toBe('EVIDENCE_UPLOADER_MISSING');
    const dup = row();
    await db.insertInto('evidence_file').values(dup).execute();
    expect(await code({ subject_id: dup.subject_id })).toBe('EVIDENCE_DUPLICATE');
  });

  it('has an error code for every constraint it declares', async () => {
    const r = await sql<{ conname: string }>`
      SELECT c.conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE t.relname = 'evidence_file' AND c.contype IN ('c', 'f', 'u', 'p', 'x')`.execute(db);
    const names = r.rows.map((x) => x.conname);
    expect(names.length).toBeGreaterThanOrEqual(9);
    expect(names.filter((n) => !knownConstraints().includes(n))).toEqual([]);
  });
});
