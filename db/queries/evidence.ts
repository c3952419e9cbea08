// Evidence files in PostgreSQL (DESIGN §5; migration 0400_evidence): store after classifying the bytes
// (domain/evidence), read the metadata, read the bytes. Storing the same bytes twice for the same subject
// keeps one row (the sha256 is unique per subject), so a retried upload is harmless. Each stored file is
// audited in the same transaction.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { classifyEvidence } from '../../domain/evidence/classify.ts';
import {
  DEFAULT_EVIDENCE_LIMITS,
  type EvidenceLimits,
  type EvidenceRejection,
} from '../../domain/evidence/policy.ts';
import { appendAudit } from '../audit/index.ts';
import { registerDbRules } from '../errors.ts';
import { type Executor, inTransaction } from '../executor.ts';
import '../schema-check-ins.ts';
import '../schema-evidence.ts';

const invalid = (code: string, vi: string, en: string) => ({ code, status: 422, vi, en });
const conflict = (code: string, vi: string, en: string) => ({ code, status: 409, vi, en });

registerDbRules({
  evidence_file_pk: conflict(
    'EVIDENCE_EXISTS',
    'Tệp minh chứng đã tồn tại.',
    'The evidence file already exists.',
  ),
  evidence_file_unit_fk: {
    ...invalid(
      'EVIDENCE_UNIT_MISSING',
      'Đơn vị của tệp minh chứng không tồn tại.',
      "The evidence file's unit does not exist.",
    ),
    inUse: conflict(
      'ORG_UNIT_IN_USE',
      'Không thể xóa đơn vị vì còn dữ liệu liên quan (nhân sự, vai trò, cấu hình).',
      'The unit cannot be deleted while people, roles or settings refer to it.',
    ),
  },
  evidence_file_uploader_fk: {
    ...invalid(
      'EVIDENCE_UPLOADER_MISSING',
      'Người tải tệp lên không tồn tại.',
      'The uploading person does not exist.',
    ),
    inUse: conflict(
      'PERSON_IN_USE',
      'Không thể xóa người này vì còn dữ liệu liên quan.',
      'This person cannot be deleted while other records refer to them.',
    ),
  },
  evidence_file_subject_ck: invalid(
    'EVIDENCE_SUBJECT_INVALID',
    'Đối tượng gắn với tệp minh chứng không hợp lệ.',
    'The subject of the evidence file is invalid.',
  ),
  evidence_file_name_ck: invalid(
    'EVIDENCE_NAME_INVALID',
    'Tên tệp không hợp lệ: tên phải có từ 1 đến 255 ký tự và không chứa ký tự điều khiển.',
    'The file name is invalid: it must have 1 to 255 characters and no control characters.',
  ),
  evidence_file_type_ck: invalid(
    'EVIDENCE_TYPE_INVALID',
    'Kiểu tệp minh chứng không hợp lệ.',
    'The type of the evidence file is invalid.',
  ),
  evidence_file_size_ck: invalid(
    'EVIDENCE_SIZE_INVALID',
    'Dung lượng tệp minh chứng không hợp lệ (rỗng, quá lớn hoặc không khớp nội dung).',
    'The size of the evidence file is invalid (empty, too large or not that of its content).',
  ),
  evidence_file_sha256_ck: invalid(
    'EVIDENCE_DIGEST_MISMATCH',
    'Mã băm SHA-256 của tệp minh chứng không khớp với nội dung.',
    "The evidence file's SHA-256 digest does not match its content.",
  ),
  evidence_file_subject_sha256_uq: conflict(
    'EVIDENCE_DUPLICATE',
    'Tệp này đã được đính kèm cho cùng đối tượng.',
    'This file is already attached to the same subject.',
  ),
});

/** An evidence file without its bytes. */
export interface EvidenceFileMeta {
  id: string;
  unitId: string;
  uploadedBy: string;
  subjectType: string;
  subjectId: string;
  fileName: string;
  declaredType: string | null;
  sniffedType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}

const META = [
  'id',
  'unit_id',
  'uploaded_by',
  'subject_type',
  'subject_id',
  'file_name',
  'declared_type',
  'sniffed_type',
  'size_bytes',
  'sha256',
  'created_at',
] as const;

type MetaRow = {
  id: string;
  unit_id: string;
  uploaded_by: string;
  subject_type: string;
  subject_id: string;
  file_name: string;
  declared_type: string | null;
  sniffed_type: string;
  size_bytes: number;
  sha256: string;
  created_at: Date;
};

function toMeta(r: MetaRow): EvidenceFileMeta {
  return {
    id: r.id,
    unitId: r.unit_id,
    uploadedBy: r.uploaded_by,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    fileName: r.file_name,
    declaredType: r.declared_type,
    sniffedType: r.sniffed_type,
    size: r.size_bytes,
    sha256: r.sha256,
    createdAt: r.created_at,
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface StoreEvidenceInput {
  unitId: string;
  uploadedBy: string;
  subjectType: string;
  subjectId: string;
  /** The file name as uploaded. */
  fileName: string;
  /** The MIME type the browser declared, or null. */
  declaredType: string | null;
  bytes: Uint8Array;
  limits?: EvidenceLimits;
}

export type StoreEvidenceResult = { ok: true; created: boolean; file: EvidenceFileMeta } | EvidenceRejection;

/**
 * Classifies and stores an evidence file, in the caller's transaction when given one. A rejected file
 * (empty, too large, a type not accepted, content that is not what its name claims) is answered with its
 * code and messages and nothing is written. The same bytes already stored for the same subject are not
 * stored again: the existing file is answered with created = false (and no audit entry).
 */
export async function storeEvidence(
  executor: Executor,
  input: StoreEvidenceInput,
): Promise<StoreEvidenceResult> {
  const verdict = await classifyEvidence(
    input.bytes,
    input.fileName,
    input.declaredType,
    input.limits ?? DEFAULT_EVIDENCE_LIMITS,
  );
  if (!verdict.ok) return verdict;
  const sha256 = sha256Hex(input.bytes);
  return inTransaction(executor, async (trx) => {
    const inserted = await trx
      .insertInto('evidence_file')
      .values({
        unit_id: input.unitId,
        uploaded_by: input.uploadedBy,
        subject_type: input.subjectType,
        subject_id: input.subjectId,
        file_name: verdict.fileName,
        declared_type: input.declaredType,
        sniffed_type: verdict.mime,
        size_bytes: verdict.size,
        sha256,
        bytes: Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength),
      })
      .onConflict((oc) => oc.columns(['subject_type', 'subject_id', 'sha256']).doNothing())
      .returning(META)
      .executeTakeFirst();
    if (inserted) {
      const file = toMeta(inserted);
      await appendAudit(trx, {
        aggregateType: 'evidence_file',
        aggregateId: file.id,
        actor: input.uploadedBy,
        action: 'evidence_file.stored',
        after: { ...file, createdAt: file.createdAt.toISOString() },
      });
      return { ok: true as const, created: true, file };
    }
    const existing = await trx
      .selectFrom('evidence_file')
      .select(META)
      .where('subject_type', '=', input.subjectType)
      .where('subject_id', '=', input.subjectId)
      .where('sha256', '=', sha256)
      .executeTakeFirstOrThrow();
    return { ok: true as const, created: false, file: toMeta(existing) };
  });
}

/** One file's metadata, or undefined. */
export async function readEvidenceMeta(
  executor: Executor,
  id: string,
): Promise<EvidenceFileMeta | undefined> {
  const r = await executor.selectFrom('evidence_file').select(META).where('id', '=', id).executeTakeFirst();
  return r && toMeta(r);
}

/** The files attached to a subject, oldest first (metadata only). */
export async function listEvidence(
  executor: Executor,
  subjectType: string,
  subjectId: string,
): Promise<EvidenceFileMeta[]> {
  const rows = await executor
    .selectFrom('evidence_file')
    .select(META)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toMeta);
}

/** One file's metadata and bytes, or undefined. */
export async function readEvidenceBytes(
  executor: Executor,
  id: string,
): Promise<{ file: EvidenceFileMeta; bytes: Buffer } | undefined> {
  const r = await executor
    .selectFrom('evidence_file')
    .select([...META, 'bytes'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { file: toMeta(r), bytes: r.bytes };
}

/** The metadata of the given files that exist, in the order asked. */
export async function readEvidenceMetas(
  executor: Executor,
  ids: readonly string[],
): Promise<EvidenceFileMeta[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const rows = await executor.selectFrom('evidence_file').select(META).where('id', 'in', unique).execute();
  const byId = new Map(rows.map((r) => [r.id, toMeta(r)]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

/**
 * True when a file is still needed elsewhere: a value of another check-in lists it, or a frozen check-in
 * version (a submission) names it. Such a file is only detached, never deleted.
 */
export async function evidenceInUse(
  executor: Executor,
  id: string,
  exceptCheckInId: string,
): Promise<boolean> {
  const value = await executor
    .selectFrom('check_in_value')
    .select('id')
    .where(sql<boolean>`evidence_ids @> ARRAY[${id}]::uuid[]`)
    .where('check_in_id', '<>', exceptCheckInId)
    .limit(1)
    .executeTakeFirst();
  if (value) return true;
  const version = await executor
    .selectFrom('check_in_version')
    .select('id')
    .where(sql<boolean>`position(${id} in content::text) > 0`)
    .limit(1)
    .executeTakeFirst();
  return version !== undefined;
}

/** Deletes a file, audited (its metadata kept in the audit entry); false when it was already gone. */
export async function deleteEvidence(executor: Executor, id: string, by: string): Promise<boolean> {
  return inTransaction(executor, async (trx) => {
    const gone = await trx
      .deleteFrom('evidence_file')
      .where('id', '=', id)
      .returning(META)
      .executeTakeFirst();
    if (!gone) return false;
    const file = toMeta(gone);
    await appendAudit(trx, {
      aggregateType: 'evidence_file',
      aggregateId: id,
      actor: by,
      action: 'evidence_file.deleted',
      before: { ...file, createdAt: file.createdAt.toISOString() },
      after: null,
    });
    return true;
  });
}
