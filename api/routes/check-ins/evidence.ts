// Evidence files of a check-in (DESIGN §5 content path, issue 6 point 1): the person uploads a file to their
// own check-in of an open month (one file per request, multipart field `file`; `keyResult` = "<planId>/<krId>"
// attaches it to that value at once), kept in PostgreSQL with its sha256 and the type sniffed from its content
// (domain/evidence: a program or a web page named .pdf is refused); detaches or deletes it while the check-in is
// editable; and the download, always as an attachment in a sandbox (never rendered inline as active content), for
// whoever may read what the file is evidence of (mayReadSubject: an individual's check-in, value or waiver only
// inside the unit — never the province, even for a person working directly in a top unit; a unit-level record
// also the province). A file outside the caller's reach answers 404: its existence is not told.
import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import {
  lockOrCreateCheckIn,
  plansInForceFor,
  rowView,
  saveDraftValues,
  valuesOfCheckIn,
} from '../../../db/queries/check-ins.ts';
import {
  deleteEvidence,
  evidenceInUse,
  readEvidenceBytes,
  readEvidenceMeta,
  storeEvidence,
} from '../../../db/queries/evidence.ts';
import { employmentUnitOf, todayVn } from '../../../db/queries/org-tree.ts';
import type { CheckInRow } from '../../../db/schema-check-ins.ts';
import { dueKeyResults } from '../../../domain/check-in/due.ts';
import { checkInError } from '../../../domain/check-in/messages.ts';
import { EDITABLE_CHECK_IN_STATUSES, EVIDENCE_MAX } from '../../../domain/check-in/model.ts';
import { isPeriodOpen, parseMonthPeriod, periodOpensAt } from '../../../domain/check-in/period.ts';
import {
  DEFAULT_EVIDENCE_LIMITS,
  EVIDENCE_HARD_MAX_BYTES,
  type EvidenceLimits,
  type EvidenceRejection,
  formatBytes,
} from '../../../domain/evidence/policy.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { servedEvidenceType } from '../../security/served-type.ts';
import { actorId, audit, rule } from '../admin/common.ts';
import { EvidenceFile, evidenceView } from './evidence-view.ts';
import { checkInClosed, periodNotOpen } from './index.ts';

const tags = ['check-ins'];
/** What a unit-level file is evidence of: a unit's own record (its monthly report, its plan), which the
 * province's levels read when the unit is a top unit. Everything else is an individual's or internal. */
export const UNIT_LEVEL_EVIDENCE_SUBJECTS: ReadonlySet<string> = new Set(['monthly_report', 'unit_plan']);
/** Room for the multipart envelope around the file (boundaries, headers, the keyResult field). */
const MULTIPART_OVERHEAD = 64 * 1024;

const PeriodParam = z
  .string()
  .regex(/^(20\d{2}|21\d{2}|2200)-(0[1-9]|1[0-2])$/, { message: 'PERIOD_INVALID' })
  .openapi({ param: { name: 'period', in: 'path' }, example: '2026-03' });

const Uploaded = z
  .object({
    file: EvidenceFile,
    created: z
      .boolean()
      .openapi({ description: 'false: the same bytes were already kept for this check-in' }),
    checkIn: z.object({ id: z.string(), status: z.string(), revision: z.number().int() }),
    attachedTo: z.object({ planId: z.string(), keyResultId: z.string() }).nullable(),
  })
  .openapi('UploadedEvidence');

const Removed = z
  .object({
    deleted: z
      .boolean()
      .openapi({ description: 'false: still named elsewhere (a submission), only detached' }),
    detachedFrom: z.array(z.object({ planId: z.string(), keyResultId: z.string() })),
    checkIn: z.object({ id: z.string(), status: z.string(), revision: z.number().int() }),
  })
  .openapi('RemovedEvidence');

// ---- problems

const evidenceNotFound = () =>
  rule(404, 'EVIDENCE_NOT_FOUND', 'Không tìm thấy tệp minh chứng.', 'Evidence file not found.');
const notEmployed = () =>
  rule(422, 'PERSON_NOT_EMPLOYED', 'Bạn hiện không thuộc đơn vị nào.', 'You have no current unit.');
const fileMissing = () =>
  new ApiProblem({
    status: 400,
    code: 'EVIDENCE_FILE_MISSING',
    vi: 'Chưa chọn tệp minh chứng (trường "file" của biểu mẫu).',
    en: 'No evidence file was sent (the form field "file").',
  });
const keyResultInvalid = () =>
  new ApiProblem({
    status: 400,
    code: 'EVIDENCE_KEY_RESULT_INVALID',
    vi: 'Mục tiêu then chốt cần gắn tệp phải có dạng "<mã kế hoạch>/<mã mục tiêu>".',
    en: 'The key result to attach to must read "<planId>/<keyResultId>".',
  });
const tooLarge = (max: number) =>
  new ApiProblem({
    status: 413,
    code: 'EVIDENCE_TOO_LARGE',
    vi: `Tệp vượt quá giới hạn ${formatBytes(max, 'vi')} cho mỗi tệp minh chứng.`,
    en: `The file is above the limit of ${formatBytes(max, 'en')} per evidence file.`,
    details: { maxBytes: max },
  });
/** A refused file: 413 when too large, 422 otherwise (empty, a type not accepted, a disguised file). */
const refused = (r: EvidenceRejection) =>
  new ApiProblem({
    status: r.code === 'EVIDENCE_TOO_LARGE' ? 413 : 422,
    code: r.code,
    vi: r.message.vi,
    en: r.message.en,
    details: r.params,
  });

const summary = (c: CheckInRow) => ({ id: c.id, status: c.status, revision: c.revision });

/** "<planId>/<krId>" (the plan id has no slash; the key result id is the rest). */
function parseKeyResult(text: string): { planId: string; keyResultId: string } {
  const at = text.indexOf('/');
  const planId = text.slice(0, at);
  const keyResultId = text.slice(at + 1);
  if (at <= 0 || keyResultId === '' || planId.length > 120 || keyResultId.length > 100)
    throw keyResultInvalid();
  return { planId, keyResultId };
}

/** "attachment; filename=…; filename*=UTF-8''…" (RFC 6266 / RFC 5987): an ASCII stand-in and the real name. */
export function contentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .replace(/[^A-Za-z0-9._ -]/g, '_')
      .trim() || 'evidence';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function evidenceRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const limits: EvidenceLimits = {
    ...DEFAULT_EVIDENCE_LIMITS,
    maxBytes: Math.min(deps.evidence?.maxBytes ?? DEFAULT_EVIDENCE_LIMITS.maxBytes, EVIDENCE_HARD_MAX_BYTES),
  };
  const uploadLimit = bodyLimit({
    maxSize: limits.maxBytes + MULTIPART_OVERHEAD,
    onError: () => {
      throw tooLarge(limits.maxBytes);
    },
  });
  const own = (personId: string): Resource => ({ path: [], tier: 'internal', subjectPersonId: personId });

  /** Whether an open verify item of the check-in is the caller's. */
  const verifiesCheckIn = async (me: string, checkInId: string) =>
    (await db
      .selectFrom('task')
      .select('id')
      .where('subject_type', '=', 'check_in')
      .where('subject_id', '=', checkInId)
      .where('kind', '=', 'check-in.verify')
      .where('status', '=', 'open')
      .where('assignee_person_id', '=', me)
      .executeTakeFirst()) !== undefined;

  /**
   * Who reads a file depends on what it is evidence OF (the tiered rule, DESIGN §1): an individual's subject (a
   * check-in, one of its values, a waiver of a period assessment) is read by the person, the supervisor or head
   * over the person's unit (a grant on the unit's path — never the province, wherever the person works) and,
   * for a waiver, the assessment's manager; only a unit-level subject kept at a unit is read by the province.
   * Any other subject is read as internal to the unit that keeps it (closed by default).
   */
  async function mayReadSubject(
    c: Parameters<typeof allowed>[0],
    me: string,
    meta: { subjectType: string; subjectId: string; unitId: string },
  ): Promise<boolean> {
    if (meta.subjectType === 'check_in' || meta.subjectType === 'check_in_value') {
      const checkInId =
        meta.subjectType === 'check_in'
          ? meta.subjectId
          : (
              await db
                .selectFrom('check_in_value')
                .select('check_in_id')
                .where('id', '=', meta.subjectId)
                .executeTakeFirst()
            )?.check_in_id;
      const ci = checkInId
        ? await db
            .selectFrom('check_in')
            .select(['id', 'person_id', 'unit_id'])
            .where('id', '=', checkInId)
            .executeTakeFirst()
        : undefined;
      if (!ci) return false;
      if (ci.person_id === me) return true;
      const path = (await loadPath(db, ci.unit_id)).map((n) => n.id);
      return (
        (await allowed(c, db, 'evidence.read', { path, tier: 'internal', subjectPersonId: ci.person_id })) ||
        (await verifiesCheckIn(me, ci.id))
      );
    }
    if (meta.subjectType === 'period_assessment_waiver') {
      const a = await db
        .selectFrom('period_assessment_waiver as w')
        .innerJoin('period_assessment as a', 'a.id', 'w.assessment_id')
        .select(['a.person_id', 'a.unit_id', 'a.confirmed_by'])
        .where('w.id', '=', meta.subjectId)
        .executeTakeFirst();
      if (!a) return false;
      if (a.person_id === me || a.confirmed_by === me) return true;
      const r: Resource = {
        path: (await loadPath(db, a.unit_id)).map((n) => n.id),
        tier: 'internal',
        subjectPersonId: a.person_id,
      };
      return (await allowed(c, db, 'evidence.read', r)) || (await allowed(c, db, 'assessment.manage', r));
    }
    const path = (await loadPath(db, meta.unitId)).map((n) => n.id);
    const unitLevel = UNIT_LEVEL_EVIDENCE_SUBJECTS.has(meta.subjectType) && path.length <= 2;
    return allowed(c, db, 'evidence.read', { path, tier: unitLevel ? 'unit' : 'internal' });
  }

  return contentApp()
    .openapi(
      createRoute({
        method: 'post',
        path: '/check-ins/mine/{period}/evidence',
        tags,
        summary:
          'Upload one evidence file to my check-in of a month (multipart field `file`; `keyResult` = "<planId>/<krId>" attaches it to that value). The type is sniffed from the content: 422 EVIDENCE_TYPE_MISMATCH for a disguised file, 422 EVIDENCE_EMPTY, 413 EVIDENCE_TOO_LARGE; 409 CHECK_IN_CLOSED once submitted; 422 PERIOD_NOT_OPEN before the month starts',
        middleware: [uploadLimit, requires('check-in.own')] as const,
        request: {
          params: z.object({ period: PeriodParam }),
          body: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: z.object({
                  file: z.any().optional().openapi({ type: 'string', format: 'binary' }),
                  keyResult: z.string().max(240).optional().openapi({ example: 'plan:2026:unit:…/kr-1' }),
                }),
              },
            },
          },
        },
        responses: {
          200: jsonOk(Uploaded, 'The same bytes were already kept for this check-in'),
          201: jsonOk(Uploaded, 'Stored'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const { period } = c.req.valid('param');
        const form = c.req.valid('form') as { file?: unknown; keyResult?: string };
        const file = form.file;
        if (!(file instanceof File)) throw fileMissing();
        const target = form.keyResult ? parseKeyResult(form.keyResult) : null;
        if (!isPeriodOpen(period, now().getTime())) throw periodNotOpen(period, periodOpensAt(period));
        const unitId = await employmentUnitOf(db, me, todayVn(now()));
        if (!unitId) throw notEmployed();
        let planVersionId = '';
        if (target) {
          const path = (await loadPath(db, unitId)).map((n) => n.id);
          const plans = await plansInForceFor(db, me, parseMonthPeriod(period).year, path);
          const due = dueKeyResults(me, plans, period).find(
            (d) => d.planId === target.planId && d.keyResult.id === target.keyResultId,
          );
          if (!due) {
            const e = checkInError({ ...target, field: 'keyResult' }, 'KR_NOT_IN_PERIOD', {
              keyResultId: target.keyResultId,
              period,
            });
            throw new ApiProblem({
              status: 422,
              code: 'KR_NOT_IN_PERIOD',
              vi: e.message.vi,
              en: e.message.en,
              details: target,
            });
          }
          planVersionId = due.planVersionId;
        }
        const bytes = new Uint8Array(await file.arrayBuffer());
        const r = await db.transaction().execute(async (trx) => {
          const checkIn = await lockOrCreateCheckIn(trx, { personId: me, unitId, period });
          if (!EDITABLE_CHECK_IN_STATUSES.has(checkIn.status)) throw checkInClosed(checkIn.status);
          const stored = await storeEvidence(trx, {
            unitId: checkIn.unit_id,
            uploadedBy: me,
            subjectType: 'check_in',
            subjectId: checkIn.id,
            fileName: file.name,
            declaredType: file.type || null,
            bytes,
            limits,
          });
          if (!stored.ok) throw refused(stored);
          if (!target) return { checkIn, stored };
          const values = await valuesOfCheckIn(trx, checkIn.id);
          const row = values.find(
            (v) => v.plan_id === target.planId && v.key_result_id === target.keyResultId,
          );
          const view = row
            ? rowView(row)
            : {
                value: null,
                done: null,
                input: null,
                status: null,
                confidence: null,
                explanation: null,
                evidenceIds: [],
              };
          if (view.evidenceIds.includes(stored.file.id)) return { checkIn, stored };
          const evidenceIds = [...view.evidenceIds, stored.file.id];
          if (evidenceIds.length > EVIDENCE_MAX) {
            const e = checkInError({ ...target, field: 'evidenceIds' }, 'EVIDENCE_TOO_MANY', {
              title: target.keyResultId,
              count: String(evidenceIds.length),
              max: String(EVIDENCE_MAX),
            });
            throw new ApiProblem({
              status: 422,
              code: 'EVIDENCE_TOO_MANY',
              vi: e.message.vi,
              en: e.message.en,
            });
          }
          const saved = await saveDraftValues(trx, {
            checkIn,
            values: [
              { ...target, ...view, evidenceIds, planVersionId: row?.plan_version_id ?? planVersionId },
            ],
            by: me,
          });
          await audit(
            trx,
            c,
            'check_in',
            checkIn.id,
            'check-in.evidence-attached',
            { revision: checkIn.revision, ...target, evidenceIds: view.evidenceIds },
            { revision: saved.revision, period, ...target, evidenceIds, fileId: stored.file.id },
          );
          return { checkIn: { ...checkIn, revision: saved.revision }, stored, attached: target };
        });
        return c.json(
          {
            file: evidenceView(r.stored.file),
            created: r.stored.created,
            checkIn: summary(r.checkIn),
            attachedTo: 'attached' in r ? (r.attached ?? null) : null,
          },
          r.stored.created ? 201 : 200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/check-ins/mine/{period}/evidence/{evidenceId}',
        tags,
        summary:
          'Detach an evidence file from my check-in of a month and delete it (kept, only detached, when a submission or another check-in names it); 409 CHECK_IN_CLOSED once submitted',
        middleware: [requires('check-in.own')] as const,
        request: {
          params: z.object({
            period: PeriodParam,
            evidenceId: uuid.openapi({ param: { name: 'evidenceId', in: 'path' } }),
          }),
        },
        responses: { 200: jsonOk(Removed), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const { period, evidenceId } = c.req.valid('param');
        if (!isPeriodOpen(period, now().getTime())) throw periodNotOpen(period, periodOpensAt(period));
        const r = await db.transaction().execute(async (trx) => {
          const checkIn = await trx
            .selectFrom('check_in')
            .selectAll()
            .where('person_id', '=', me)
            .where('period', '=', period)
            .forUpdate()
            .executeTakeFirst();
          const file = await readEvidenceMeta(trx, evidenceId);
          if (!checkIn || !file || file.subjectType !== 'check_in' || file.subjectId !== checkIn.id)
            throw evidenceNotFound();
          if (!EDITABLE_CHECK_IN_STATUSES.has(checkIn.status)) throw checkInClosed(checkIn.status);
          const holding = (await valuesOfCheckIn(trx, checkIn.id)).filter((v) =>
            v.evidence_ids.includes(evidenceId),
          );
          let revision = checkIn.revision;
          if (holding.length) {
            const saved = await saveDraftValues(trx, {
              checkIn,
              values: holding.map((v) => {
                const view = rowView(v);
                return {
                  planId: v.plan_id,
                  keyResultId: v.key_result_id,
                  planVersionId: v.plan_version_id,
                  ...view,
                  evidenceIds: view.evidenceIds.filter((id) => id !== evidenceId),
                };
              }),
              by: me,
            });
            revision = saved.revision;
          }
          const detachedFrom = holding.map((v) => ({ planId: v.plan_id, keyResultId: v.key_result_id }));
          const deleted =
            !(await evidenceInUse(trx, evidenceId, checkIn.id)) &&
            (await deleteEvidence(trx, evidenceId, me));
          await audit(
            trx,
            c,
            'check_in',
            checkIn.id,
            'check-in.evidence-removed',
            { revision: checkIn.revision, fileId: evidenceId, attachedTo: detachedFrom },
            { revision, period, fileId: evidenceId, deleted },
          );
          return { checkIn: { ...checkIn, revision }, deleted, detachedFrom };
        });
        return c.json({ deleted: r.deleted, detachedFrom: r.detachedFrom, checkIn: summary(r.checkIn) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/evidence/{evidenceId}',
        tags,
        summary:
          'Download an evidence file, always as an attachment (Content-Disposition attachment, the sniffed type, nosniff, CSP sandbox): by what it is evidence of — an individual one (a check-in, a value, a waiver): the person, the supervisor or head over their unit, the manager of the assessment, never the province; a unit-level record of a top unit: also the levels of the province; 404 for anyone else',
        middleware: [requires('evidence.read')] as const,
        request: {
          params: z.object({ evidenceId: uuid.openapi({ param: { name: 'evidenceId', in: 'path' } }) }),
        },
        responses: {
          200: {
            description: 'The file',
            content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const me = actorId(c);
        const { evidenceId } = c.req.valid('param');
        markChecked(c);
        const meta = await readEvidenceMeta(db, evidenceId);
        if (!meta) throw evidenceNotFound();
        const may = meta.uploadedBy === me || (await mayReadSubject(c, me, meta));
        if (!may) throw evidenceNotFound();
        const got = await readEvidenceBytes(db, evidenceId);
        if (!got) throw evidenceNotFound();
        return c.body(new Uint8Array(got.bytes), 200, {
          'Content-Type': servedEvidenceType(got.file.sniffedType),
          'Content-Length': String(got.bytes.byteLength),
          'Content-Disposition': contentDisposition(got.file.fileName),
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
          'Cache-Control': 'private, no-store',
          'Cross-Origin-Resource-Policy': 'same-origin',
          ETag: `"${got.file.sha256}"`,
        });
      },
    );
}
