// Period assessments (DESIGN §3 "each assessment period", RULES.md ND 335; issue 6 point 2). The content half:
// the manager's list of a unit's people for a period, one assessment with every step of its computation in
// plain Vietnamese and English, the general-criteria points (bounded by the rule set, optimistic concurrency
// by revision) and the waivers — an objective cause with an evidence file for a late check-in or a value
// returned as a major error — each recomputing the draft, all audited. The process half: the confirmation, an
// Update of the period-assessment workflow (workflows/period-assessment.ts) with an Idempotency-Key.
// Tiered rule (policy assessment.manage): the direct manager (a supervisor over the person's unit) and the unit
// head; never one's own; the province none. The person reads their own.
import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { listEvidence, storeEvidence } from '../../../db/queries/evidence.ts';
import {
  assessmentById,
  assessmentCriteria,
  assessmentsOfUnit,
  type ComputedAssessment,
  deleteWaiver,
  recordWaiver,
  setGeneralCriteria,
  waiversOf,
} from '../../../db/queries/period-assessments.ts';
import type { PeriodAssessmentRow } from '../../../db/schema-assessments.ts';
import { STEP_TEXT } from '../../../domain/assessment/period.ts';
import {
  DEFAULT_EVIDENCE_LIMITS,
  EVIDENCE_HARD_MAX_BYTES,
  type EvidenceLimits,
  type EvidenceRejection,
  formatBytes,
} from '../../../domain/evidence/policy.ts';
import { confirmAssessment } from '../../../workflows/period-assessment.messages.ts';
import { type Acting, delegableAction } from '../../authz/acting.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, plainText, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { EvidenceFile, evidenceView } from '../check-ins/evidence-view.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';

const tags = ['assessments'];
const MULTIPART_OVERHEAD = 64 * 1024;

const Period = z
  .string()
  .regex(/^(20\d{2}|21\d{2}|2200)-(Q[1-4]|0[1-9]|1[0-2])$/, { message: 'PERIOD_INVALID' })
  .openapi({ example: '2026-03' });
const IdParam = z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) });
const WaiverParams = z.object({
  id: uuid.openapi({ param: { name: 'id', in: 'path' } }),
  waiverId: uuid.openapi({ param: { name: 'waiverId', in: 'path' } }),
});
const Text = z.object({ vi: z.string(), en: z.string() });

const ListItem = z.object({
  id: z.string(),
  person: z.object({ id: z.string(), name: z.string() }),
  period: z.string(),
  status: z.enum(['draft', 'confirmed']),
  revision: z.number().int(),
  taskPoints: z.string().nullable(),
  generalPoints: z.string().nullable(),
  total: z.string().nullable(),
});
const List = z.object({ items: z.array(ListItem) }).openapi('AssessmentList');

const Assessment = z
  .object({
    id: z.string(),
    period: z.string(),
    status: z.enum(['draft', 'confirmed']),
    revision: z.number().int(),
    person: z.object({ id: z.string(), name: z.string() }),
    unit: z.object({ id: z.string(), name: z.string() }),
    computed: z.boolean().openapi({ description: 'false: not computed yet, or the engine refused (error)' }),
    error: Text.nullable(),
    taskPoints: z.string().nullable(),
    generalPoints: z.string().nullable(),
    total: z.string().nullable(),
    measures: z
      .object({ quantity: z.string(), progress: z.string(), quality: z.string() })
      .nullable()
      .openapi({ description: 'Fractions 0–1, exact' }),
    steps: z
      .array(z.object({ key: z.string(), text: Text, formula: z.string(), value: z.string() }))
      .openapi({ description: "Every step of the engine's computation, in order, in plain words" }),
    notes: z.array(z.object({ key: z.string(), vi: z.string(), en: z.string() })),
    ruleSet: z.object({ id: z.string(), version: z.number().int() }).nullable(),
    keyResults: z.array(
      z.object({
        month: z.string(),
        planId: z.string(),
        keyResultId: z.string(),
        title: z.string(),
        delivered: z.boolean(),
        majorErrorReturns: z.array(z.string()),
      }),
    ),
    items: z
      .array(
        z.object({
          kind: z.enum(['late', 'major-error']),
          ref: z.string(),
          month: z.string(),
          title: z.string().nullable(),
          dueDate: z.string().nullable(),
          date: z.string().nullable(),
          waiverId: z.string().nullable(),
        }),
      )
      .openapi({ description: 'What a waiver may name: late months and returns for a major error' }),
    waivers: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(['late', 'major-error']),
        ref: z.string(),
        objectiveCause: z.string(),
        evidence: z.array(EvidenceFile),
        recordedBy: z.string(),
        recordedAt: z.string(),
      }),
    ),
    criteria: z.array(
      z.object({
        id: z.string(),
        vi: z.string(),
        en: z.string(),
        maxPoints: z.string(),
        points: z.string().nullable(),
      }),
    ),
    confirmedBy: z.string().nullable(),
    confirmedAt: z.string().nullable(),
    canManage: z
      .boolean()
      .openapi({ description: 'The caller may change and confirm it (a draft, not their own)' }),
  })
  .openapi('PeriodAssessment');

const Criteria = z
  .object({
    revision: z.number().int().min(0),
    points: z.record(
      z.string().max(64),
      z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, { message: 'POINTS_INVALID' }),
    ),
  })
  .openapi('AssessmentGeneralCriteria');
const Confirm = z
  .object({
    revision: z.number().int().min(0),
    onBehalfOf: uuid.optional().openapi({
      description:
        "The manager the caller confirms for as their delegate (an approved delegation in force today); absent: the caller's own confirmation, or — for a delegate of a manager of the person — on their behalf",
    }),
  })
  .openapi('AssessmentConfirm');
const Summary = z
  .object({
    id: z.string(),
    status: z.enum(['draft', 'confirmed']),
    revision: z.number().int(),
    taskPoints: z.string().nullable(),
    generalPoints: z.string().nullable(),
    total: z.string().nullable(),
  })
  .openapi('AssessmentSummary');
const Confirmed = Summary.extend({ confirmedBy: z.string().nullable(), date: z.string() }).openapi(
  'AssessmentConfirmed',
);

const notFound = () =>
  rule(404, 'ASSESSMENT_NOT_FOUND', 'Không tìm thấy phiếu đánh giá.', 'Assessment not found.');
const notOpen = () =>
  rule(
    409,
    'ASSESSMENT_NOT_OPEN',
    'Chưa đến kỳ xác nhận: thời hạn xác nhận báo cáo của kỳ chưa kết thúc.',
    'Not open for confirmation yet: the verification window of the period has not closed.',
  );
const alreadyConfirmed = () =>
  rule(
    409,
    'ASSESSMENT_CONFIRMED',
    'Phiếu đánh giá đã được xác nhận; không thể thay đổi.',
    'The assessment is confirmed; it cannot be changed.',
  );
const fileMissing = () =>
  new ApiProblem({
    status: 400,
    code: 'ASSESSMENT_EVIDENCE_MISSING',
    vi: 'Lý do khách quan cần có tệp minh chứng (trường "file" của biểu mẫu).',
    en: 'An objective cause needs an evidence file (the form field "file").',
  });
const tooLarge = (max: number) =>
  new ApiProblem({
    status: 413,
    code: 'EVIDENCE_TOO_LARGE',
    vi: `Tệp vượt quá giới hạn ${formatBytes(max, 'vi')} cho mỗi tệp minh chứng.`,
    en: `The file is above the limit of ${formatBytes(max, 'en')} per evidence file.`,
    details: { maxBytes: max },
  });
const refused = (r: EvidenceRejection) =>
  new ApiProblem({
    status: r.code === 'EVIDENCE_TOO_LARGE' ? 413 : 422,
    code: r.code,
    vi: r.message.vi,
    en: r.message.en,
    details: r.params,
  });

const summary = (r: PeriodAssessmentRow) => ({
  id: r.id,
  status: r.status,
  revision: r.revision,
  taskPoints: r.task_points,
  generalPoints: r.general_points,
  total: r.total,
});

export function assessmentRoutes(deps: ApiDeps) {
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
  const resourceOf = async (row: PeriodAssessmentRow): Promise<Resource> => ({
    path: (await loadPath(db, row.unit_id)).map((n) => n.id),
    tier: 'internal',
    subjectPersonId: row.person_id,
  });
  /** The row, after the declared check (assessment.manage) on it; 404 before any check when missing. */
  const managed = async (c: Parameters<typeof check>[0], id: string) => {
    const row = await assessmentById(db, id);
    if (!row) {
      markChecked(c);
      throw notFound();
    }
    await check(c, db, await resourceOf(row));
    return row;
  };

  /**
   * Who confirms: a manager of the person (assessment.manage: the supervisor over the person's unit or the unit
   * head), or the active delegate of one — named in `onBehalfOf`, or found among the people the caller acts for
   * today (an approved delegation whose window contains today; outside it, 403). Never the person, as themselves
   * or as anyone's delegate; the workflow's validator still binds it to the person's manager or unit head.
   */
  const managers = delegableAction(db, now, 'assessment.manage');
  const confirmActing = async (
    c: Parameters<typeof check>[0],
    id: string,
    named: string | undefined,
  ): Promise<{ row: PeriodAssessmentRow; acting: Acting }> => {
    const row = await assessmentById(db, id);
    if (!row) {
      markChecked(c);
      throw notFound();
    }
    const acting = await managers.acting(c, actorId(c), await resourceOf(row), named, row.person_id);
    return { row, acting };
  };

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/assessments',
        tags,
        summary:
          "The manager's list: the period assessments of a unit's people (the unit and the units inside it) for a period, with their points and status. For the unit's supervisors and head; never the province",
        middleware: [requires('assessment.manage')] as const,
        request: { query: z.object({ unitId: uuid, period: Period }) },
        responses: { 200: jsonOk(List), ...errorResponses },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('query');
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        await check(c, db, { path, tier: 'internal' });
        const me = actorId(c);
        const rows = (await assessmentsOfUnit(db, unitId, period)).filter((r) => r.personId !== me);
        return c.json(
          {
            items: rows.map((r) => ({
              id: r.id,
              person: { id: r.personId, name: r.personName },
              period: r.period,
              status: r.status as 'draft' | 'confirmed',
              revision: r.revision,
              taskPoints: r.taskPoints,
              generalPoints: r.generalPoints,
              total: r.total,
            })),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/assessments/{id}',
        tags,
        summary:
          'One period assessment with every step of its computation in plain Vietnamese and English, the items a waiver may name, the waivers with their evidence and the general criteria: for the person, their direct manager and the unit head',
        middleware: [requires('assessment.manage')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(Assessment), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        const { id } = c.req.valid('param');
        const row = await assessmentById(db, id);
        if (!row) {
          markChecked(c);
          throw notFound();
        }
        const r = await resourceOf(row);
        const mine = row.person_id === me;
        // a manager, or the active delegate today of one of the person's managers (who confirms for them)
        const manager =
          !mine &&
          ((await allowed(c, db, 'assessment.manage', r)) ||
            (await managers.delegatedPrincipal(me, r, row.person_id)) !== undefined);
        if (!mine && !manager) await check(c, db, r);
        markChecked(c);
        const [person, unit, waivers] = await Promise.all([
          db.selectFrom('person').select('full_name').where('id', '=', row.person_id).executeTakeFirst(),
          db.selectFrom('org_unit').select('name_vi').where('id', '=', row.unit_id).executeTakeFirst(),
          waiversOf(db, row.id),
        ]);
        const files = await Promise.all(
          waivers.map((w) => listEvidence(db, 'period_assessment_waiver', w.id)),
        );
        const computed = row.computed as unknown as ComputedAssessment | null;
        const explanation = computed?.explanation;
        const entered = row.general_criteria as Record<string, string>;
        return c.json(
          {
            id: row.id,
            period: row.period,
            status: row.status,
            revision: row.revision,
            person: { id: row.person_id, name: person?.full_name ?? '' },
            unit: { id: row.unit_id, name: unit?.name_vi ?? '' },
            computed: computed?.ok === true,
            error: computed?.error ? { vi: computed.error.vi, en: computed.error.en } : null,
            taskPoints: row.task_points,
            generalPoints: row.general_points,
            total: row.total,
            measures:
              computed?.ok && computed.quantity && computed.progress && computed.quality
                ? { quantity: computed.quantity, progress: computed.progress, quality: computed.quality }
                : null,
            steps: (explanation?.steps ?? []).map((s) => ({
              key: s.key,
              text: STEP_TEXT[s.key] ?? { vi: s.key, en: s.key },
              formula: s.formula,
              value: s.value,
            })),
            notes: (explanation?.notes ?? []).map((n) => ({ key: n.key, vi: n.vi, en: n.en })),
            ruleSet: explanation ? explanation.parameters.ruleSet : null,
            keyResults: computed?.keyResults ?? [],
            items: (computed?.items ?? []).map((i) => ({
              kind: i.kind,
              ref: i.ref,
              month: i.month,
              title: i.title ?? null,
              dueDate: i.dueDate ?? null,
              date: i.date ?? null,
              waiverId: i.waiverId ?? null,
            })),
            waivers: waivers.map((w, i) => ({
              id: w.id,
              kind: w.target_kind,
              ref: w.target_ref,
              objectiveCause: w.objective_cause,
              evidence: (files[i] ?? []).map(evidenceView),
              recordedBy: w.recorded_by,
              recordedAt: w.recorded_at.toISOString(),
            })),
            criteria: assessmentCriteria().map((k) => ({
              id: k.id,
              vi: k.vi,
              en: k.en,
              maxPoints: k.maxPoints,
              points: entered[k.id] ?? null,
            })),
            confirmedBy: row.confirmed_by,
            confirmedAt: row.confirmed_at?.toISOString() ?? null,
            canManage: manager && row.status === 'draft',
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/assessments/{id}/general-criteria',
        tags,
        summary:
          "The direct manager's general-criteria points (content path): each within the rule set's bounds (422 ASSESSMENT_CRITERIA_OUT_OF_BOUNDS), at the revision last read (409 ASSESSMENT_REVISION_CONFLICT), a draft only (409 ASSESSMENT_CONFIRMED); recomputes the total",
        middleware: [requires('assessment.manage')] as const,
        request: { params: IdParam, body: jsonBody(Criteria) },
        responses: { 200: jsonOk(Summary), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await managed(c, id);
        const b = c.req.valid('json');
        const row = await setGeneralCriteria(db, {
          id,
          revision: b.revision,
          points: b.points,
          by: actorId(c),
        });
        return c.json(summary(row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assessments/{id}/waivers',
        tags,
        summary:
          'Record an objective cause for a late check-in (kind "late", ref the month) or a value returned as a major error (kind "major-error", ref from the items) with one evidence file (multipart: kind, ref, objectiveCause, revision, file); the type is sniffed from the content. Recomputes the draft; 409 ASSESSMENT_CONFIRMED once confirmed',
        middleware: [uploadLimit, requires('assessment.manage')] as const,
        request: {
          params: IdParam,
          body: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: z.object({
                  kind: z.enum(['late', 'major-error']),
                  ref: z.string().min(1).max(400),
                  objectiveCause: plainText(2000),
                  revision: z.coerce.number().int().min(0).optional(),
                  file: z.any().optional().openapi({ type: 'string', format: 'binary' }),
                }),
              },
            },
          },
        },
        responses: { 201: jsonOk(Summary.extend({ waiverId: z.string() }), 'Recorded'), ...errorResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const row = await managed(c, id);
        if (row.status === 'confirmed') throw alreadyConfirmed();
        const form = c.req.valid('form') as {
          kind: 'late' | 'major-error';
          ref: string;
          objectiveCause: string;
          revision?: number;
          file?: unknown;
        };
        const file = form.file;
        if (!(file instanceof File)) throw fileMissing();
        const me = actorId(c);
        const bytes = new Uint8Array(await file.arrayBuffer());
        const waiverId = crypto.randomUUID();
        const r = await db.transaction().execute(async (trx) => {
          const stored = await storeEvidence(trx, {
            unitId: row.unit_id,
            uploadedBy: me,
            subjectType: 'period_assessment_waiver',
            subjectId: waiverId,
            fileName: file.name,
            declaredType: file.type || null,
            bytes,
            limits,
          });
          if (!stored.ok) throw refused(stored);
          return recordWaiver(trx, {
            id,
            waiverId,
            ...(form.revision !== undefined ? { revision: form.revision } : {}),
            kind: form.kind,
            ref: form.ref,
            objectiveCause: form.objectiveCause,
            evidenceIds: [stored.file.id],
            by: me,
          });
        });
        return c.json({ ...summary(r.assessment), waiverId: r.waiver.id }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/assessments/{id}/waivers/{waiverId}',
        tags,
        summary: 'Remove a waiver while the assessment is a draft (audited); recomputes the draft',
        middleware: [requires('assessment.manage')] as const,
        request: { params: WaiverParams },
        responses: { 200: jsonOk(Summary), ...errorResponses },
      }),
      async (c) => {
        const { id, waiverId } = c.req.valid('param');
        await managed(c, id);
        const row = await deleteWaiver(db, { id, waiverId, by: actorId(c) });
        return c.json(summary(row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assessments/{id}/confirm',
        tags,
        summary:
          'The direct manager confirms the assessment at the revision read (the Update confirmAssessment of the period-assessment workflow): it freezes and the person is notified. A repeated click (same Idempotency-Key) or a repeat by the confirmer answers the first result; 409 ASSESSMENT_NOT_OPEN before the verification window closes. The active delegate of a manager confirms on their behalf (onBehalfOf; outside the delegation window 403)',
        middleware: [requires('assessment.manage')] as const,
        request: { params: IdParam, headers: idempotencyHeader, body: jsonBody(Confirm) },
        responses: { 200: jsonOk(Confirmed), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { revision, onBehalfOf } = c.req.valid('json');
        const { row, acting } = await confirmActing(c, id, onBehalfOf);
        const me = acting.onBehalfOf ?? acting.by;
        if (row.status === 'confirmed') {
          if (row.confirmed_by !== me) throw alreadyConfirmed();
          return c.json(
            {
              ...summary(row),
              confirmedBy: row.confirmed_by,
              date: row.confirmed_at?.toISOString().slice(0, 10) ?? '',
            },
            200,
          );
        }
        if (!row.workflow_id || !(row.computed as { ok?: boolean } | null)) throw notOpen();
        const wid = row.workflow_id;
        const updateId = `confirm:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${revision}:${me}`)}`;
        const r = await withTemporal(
          deps.temporal,
          (client) =>
            client.workflow
              .getHandle(wid)
              .executeUpdate(confirmAssessment, { args: [{ ...acting, revision }], updateId }),
          deps.plans?.updateDeadlineMs,
        );
        const after = (await assessmentById(db, id))!;
        return c.json({ ...summary(after), confirmedBy: r.confirmedBy, date: r.date }, 200);
      },
    );
}
