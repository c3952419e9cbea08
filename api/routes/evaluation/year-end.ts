// The year-end assessment of each person (DESIGN §3 evaluation timeline, issue 8 points 1–2). The content half:
// the person's own assessment with the data through November and the provisional December estimate explained,
// the self-assessment draft (unplanned work, initiatives, certificates or self-study with evidence ids, the
// criterion-1 rubric, the other criteria) at a revision; the manager's list of a unit's people and one
// assessment with every score explained in plain Vietnamese and English. The process half, Updates of the
// year-end assessment workflow (workflows/year-end-assessment.ts) with an Idempotency-Key: the person's
// submission, the supervisor's assessment (points per criterion, comments), the organisation department's
// appraisal. Tiered rule: year-end.self (the person), year-end.assess (the supervisor over the person's unit
// and the unit head, never their own, never the province), year-end.appraise (the province's organisation
// department, on the unit-level resource of the person's unit).
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { storeEvidence } from '../../../db/queries/evidence.ts';
import {
  checkSelfContent,
  type Estimate,
  type ScoreStep,
  type SelfContent,
  saveSelfDraft,
  yearEndById,
  yearEndCriteria,
  yearEndNotFound,
  yearEndNotOpen,
  yearEndOf,
} from '../../../db/queries/year-end-assessments.ts';
import type { YearEndAssessmentRow } from '../../../db/schema-year-end.ts';
import {
  DEFAULT_EVIDENCE_LIMITS,
  EVIDENCE_HARD_MAX_BYTES,
  type EvidenceLimits,
  formatBytes,
} from '../../../domain/evidence/policy.ts';
import { RANK_LABELS, RANK_LEVELS, type RankLevel } from '../../../domain/rulesets/types.ts';
import { RUBRIC_LABELS } from '../../../domain/scoring/criteria.ts';
import {
  submitAppraisal,
  submitSelfAssessment,
  submitSupervisorAssessment,
} from '../../../workflows/year-end-assessment.messages.ts';
import { delegableAction } from '../../authz/acting.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';

const tags = ['evaluation'];

const Year = z.coerce.number().int().min(2000).max(2200).openapi({ example: 2026 });
const IdParam = z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) });
const Step = z.object({ key: z.string(), vi: z.string(), en: z.string(), value: z.string().nullable() });
const Points = z.record(
  z.string().max(64),
  z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, { message: 'POINTS_INVALID' }),
);
const EvItem = z.object({
  title: z.string().max(500),
  detail: z.string().max(2000).optional(),
  evidenceIds: z.array(uuid).max(20).openapi({ description: 'Ids of files in the evidence store' }),
});
const Content = z
  .object({
    unplannedWork: z.array(EvItem).max(50),
    initiatives: z.array(EvItem).max(50),
    certificates: z.array(EvItem.extend({ kind: z.enum(['certificate', 'self-study']) })).max(50),
    rubric: z
      .object({
        resolutionStudyPercent: z.string().max(6),
        contributionsPerYear: z.number().int().min(0).max(100),
        trustPercent: z.string().max(6),
        disciplinedForIdeology: z.boolean(),
        selfLevel: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
      })
      .nullable(),
    points: Points.openapi({ description: 'Own points for the general criteria other than criterion 1' }),
  })
  .openapi('YearEndSelfContent');
const Level = z.enum(['excellent', 'good', 'completed', 'notCompleted']);
const Status = z.enum(['self-open', 'self-submitted', 'supervisor-done', 'appraised', 'ready']);

const View = z
  .object({
    id: z.string(),
    year: z.number().int(),
    status: Status,
    revision: z.number().int(),
    person: z.object({ id: z.string(), name: z.string() }),
    unit: z.object({ id: z.string(), name: z.string() }),
    open: z
      .boolean()
      .openapi({ description: 'The self-assessment task is open (the workflow computed the estimate)' }),
    estimate: z
      .object({
        taskYear: z.string().nullable(),
        throughNovember: z.string().nullable(),
        decemberEstimate: z.string().nullable(),
        taskPointsMax: z.string(),
        periods: z.array(z.object({ period: z.string(), taskPoints: z.string() })),
        steps: z.array(Step),
      })
      .nullable(),
    self: Content,
    selfScore: z.string().nullable(),
    selfSteps: z.array(Step),
    selfSubmittedAt: z.string().nullable(),
    supervisor: z.object({ points: Points, comments: z.string() }).nullable(),
    supervisorScore: z.string().nullable(),
    proposedLevel: Level.nullable(),
    proposedLevelLabel: z.object({ vi: z.string(), en: z.string() }).nullable(),
    steps: z.array(Step).openapi({ description: "The supervisor score's explanation, step by step" }),
    needsAppraisal: z.boolean(),
    appraisal: z.object({ agrees: z.boolean(), level: Level.nullable(), comment: z.string() }).nullable(),
    criteria: z.array(z.object({ id: z.string(), vi: z.string(), en: z.string(), maxPoints: z.string() })),
    rubricLevels: z.array(z.object({ level: z.number().int(), vi: z.string(), en: z.string() })),
    can: z.object({ editSelf: z.boolean(), assess: z.boolean(), appraise: z.boolean() }),
  })
  .openapi('YearEndAssessment');
const ListItem = z.object({
  id: z.string(),
  person: z.object({ id: z.string(), name: z.string() }),
  status: Status,
  selfScore: z.string().nullable(),
  supervisorScore: z.string().nullable(),
  proposedLevel: Level.nullable(),
});
const List = z.object({ items: z.array(ListItem) }).openapi('YearEndAssessmentList');
const Result = z
  .object({
    id: z.string(),
    status: Status,
    revision: z.number().int(),
    selfScore: z.string().nullable(),
    supervisorScore: z.string().nullable(),
    proposedLevel: Level.nullable(),
  })
  .openapi('YearEndAssessmentSummary');

const notOpenYet = () =>
  rule(
    409,
    'YEAR_END_NOT_OPEN',
    'Chưa đến thời gian tự đánh giá cuối năm (mở từ ngày 01/12).',
    'The year-end self-assessment is not open yet (it opens on 1 December).',
  );

/** A short digest of a request body: a changed body is a new Update, a repeated one the same. */
const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);
const steps = (v: unknown): ScoreStep[] => (Array.isArray(v) ? (v as ScoreStep[]) : []);
const contentOf = (v: unknown): SelfContent => ({
  unplannedWork: [],
  initiatives: [],
  certificates: [],
  rubric: null,
  points: {},
  ...((v ?? {}) as Partial<SelfContent>),
});
const summary = (r: YearEndAssessmentRow) => ({
  id: r.id,
  status: r.status,
  revision: r.revision,
  selfScore: r.self_score,
  supervisorScore: r.supervisor_score,
  proposedLevel: (r.proposed_level as RankLevel | null) ?? null,
});

export function yearEndRoutes(deps: ApiDeps) {
  const { db } = deps;
  const limits: EvidenceLimits = {
    ...DEFAULT_EVIDENCE_LIMITS,
    maxBytes: Math.min(deps.evidence?.maxBytes ?? DEFAULT_EVIDENCE_LIMITS.maxBytes, EVIDENCE_HARD_MAX_BYTES),
  };
  const uploadLimit = bodyLimit({
    maxSize: limits.maxBytes + 64 * 1024,
    onError: () => {
      throw new ApiProblem({
        status: 413,
        code: 'EVIDENCE_TOO_LARGE',
        vi: `Tệp vượt quá giới hạn ${formatBytes(limits.maxBytes, 'vi')} cho mỗi tệp minh chứng.`,
        en: `The file is above the limit of ${formatBytes(limits.maxBytes, 'en')} per evidence file.`,
        details: { maxBytes: limits.maxBytes },
      });
    },
  });
  const assessor = delegableAction(db, () => (deps.clock ?? (() => new Date()))(), 'year-end.assess');
  const internal = async (row: YearEndAssessmentRow): Promise<Resource> => ({
    path: (await loadPath(db, row.unit_id)).map((n) => n.id),
    tier: 'internal',
    subjectPersonId: row.person_id,
  });
  /** The unit-level resource of the person's unit (the unit directly under the province): the appraisal. */
  const unitLevel = async (row: YearEndAssessmentRow): Promise<Resource> => {
    const path = (await loadPath(db, row.unit_id)).map((n) => n.id);
    return { path: path.slice(0, 2), tier: 'unit', subjectPersonId: row.person_id };
  };
  const byId = async (c: Parameters<typeof check>[0], id: string) => {
    const row = await yearEndById(db, id);
    if (!row) {
      markChecked(c);
      throw yearEndNotFound();
    }
    return row;
  };
  const mineOf = async (c: Parameters<typeof check>[0], year: number) => {
    const me = actorId(c);
    const row = await yearEndOf(db, { personId: me, year });
    if (!row) {
      markChecked(c);
      throw yearEndNotFound();
    }
    await check(c, db, await internal(row));
    return row;
  };

  const view = async (
    row: YearEndAssessmentRow,
    can: { editSelf: boolean; assess: boolean; appraise: boolean },
  ) => {
    const [person, unit] = await Promise.all([
      db.selectFrom('person').select('full_name').where('id', '=', row.person_id).executeTakeFirst(),
      db.selectFrom('org_unit').select('name_vi').where('id', '=', row.unit_id).executeTakeFirst(),
    ]);
    const e = row.estimate as unknown as Estimate | null;
    const sup = row.supervisor_content as { points?: Record<string, string>; comments?: string } | null;
    const ex = row.explanation as { steps?: ScoreStep[] } | null;
    const ap = row.appraisal as { agrees: boolean; level: RankLevel | null; comment: string } | null;
    const level = (row.proposed_level as RankLevel | null) ?? null;
    return {
      id: row.id,
      year: row.year,
      status: row.status,
      revision: row.revision,
      person: { id: row.person_id, name: person?.full_name ?? '' },
      unit: { id: row.unit_id, name: unit?.name_vi ?? '' },
      open: row.workflow_id !== null,
      estimate: e
        ? {
            taskYear: e.taskYear,
            throughNovember: e.throughNovember,
            decemberEstimate: e.decemberEstimate,
            taskPointsMax: e.taskPointsMax,
            periods: e.periods.map((p) => ({ period: p.period, taskPoints: p.taskPoints })),
            steps: e.steps,
          }
        : null,
      self: contentOf(row.self_content),
      selfScore: row.self_score,
      selfSteps: steps(row.self_explanation),
      selfSubmittedAt: row.self_submitted_at?.toISOString() ?? null,
      supervisor: sup ? { points: sup.points ?? {}, comments: sup.comments ?? '' } : null,
      supervisorScore: row.supervisor_score,
      proposedLevel: level,
      proposedLevelLabel: level ? RANK_LABELS[level] : null,
      steps: steps(ex?.steps),
      needsAppraisal: row.needs_appraisal,
      appraisal: ap ? { agrees: ap.agrees, level: ap.level ?? null, comment: ap.comment } : null,
      criteria: yearEndCriteria().map((k) => ({ id: k.id, vi: k.vi, en: k.en, maxPoints: k.maxPoints })),
      rubricLevels: ([5, 4, 3, 2, 1] as const).map((l) => ({ level: l, ...RUBRIC_LABELS[l] })),
      can,
    };
  };

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/evaluation/year-end/me',
        tags,
        summary:
          "The caller's own year-end assessment of a year: the data through November with the provisional December estimate and every step explained, the self-assessment draft and its score, then the supervisor's assessment and the proposed level (404 YEAR_END_NOT_FOUND before it is created on 1/12)",
        middleware: [requires('year-end.self')] as const,
        request: { query: z.object({ year: Year }) },
        responses: { 200: jsonOk(View), ...errorResponses },
      }),
      async (c) => {
        const row = await mineOf(c, c.req.valid('query').year);
        return c.json(
          await view(row, {
            editSelf: row.status === 'self-open' && row.workflow_id !== null,
            assess: false,
            appraise: false,
          }),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/evaluation/year-end/me/draft',
        tags,
        summary:
          'Save the self-assessment draft (content path) at the revision last read (409 YEAR_END_REVISION_CONFLICT): every item needs a title and evidence ids of the evidence store (422 YEAR_END_EVIDENCE_REQUIRED / YEAR_END_EVIDENCE_UNKNOWN), the rubric and points within bounds (422 YEAR_END_RUBRIC_INVALID / YEAR_END_CRITERIA_OUT_OF_BOUNDS); only while open (409 YEAR_END_NOT_OPEN, YEAR_END_SELF_CLOSED). Recomputes the self score',
        middleware: [requires('year-end.self')] as const,
        request: {
          body: jsonBody(z.object({ year: Year, revision: z.number().int().min(0), content: Content })),
        },
        responses: { 200: jsonOk(Result), ...errorResponses },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const row = await mineOf(c, b.year);
        if (row.workflow_id === null) throw notOpenYet();
        const content = b.content as SelfContent;
        checkSelfContent(content);
        const after = await saveSelfDraft(db, { id: row.id, revision: b.revision, content, by: actorId(c) });
        return c.json(summary(after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/evaluation/year-end/me/submit',
        tags,
        summary:
          'Submit the self-assessment at the revision read (the Update submitSelfAssessment of the year-end assessment workflow): it freezes and the direct manager’s task opens. A repeated click (same Idempotency-Key) answers the first result; 422 YEAR_END_RUBRIC_MISSING without the criterion-1 rubric',
        middleware: [requires('year-end.self')] as const,
        request: {
          headers: idempotencyHeader,
          body: jsonBody(z.object({ year: Year, revision: z.number().int().min(0) })),
        },
        responses: { 200: jsonOk(Result), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const row = await mineOf(c, b.year);
        if (row.workflow_id === null) throw notOpenYet();
        const me = actorId(c);
        const wid = row.workflow_id;
        const updateId = `yearend-self:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${b.revision}`)}`;
        await withTemporal(
          deps.temporal,
          (client) =>
            client.workflow
              .getHandle(wid)
              .executeUpdate(submitSelfAssessment, { args: [{ by: me, revision: b.revision }], updateId }),
          deps.plans?.updateDeadlineMs,
        );
        return c.json(summary((await yearEndById(db, row.id))!), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/evaluation/year-end/me/evidence',
        tags,
        summary:
          'Store one evidence file for the self-assessment (multipart: year, file) in the evidence store (the type is sniffed from the content, the size limited); answers its id for a draft item. Only while the self-assessment is open',
        middleware: [uploadLimit, requires('year-end.self')] as const,
        request: {
          body: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: z.object({
                  year: Year,
                  file: z.any().optional().openapi({ type: 'string', format: 'binary' }),
                }),
              },
            },
          },
        },
        responses: {
          201: jsonOk(
            z.object({ id: z.string(), fileName: z.string() }).openapi('YearEndEvidence'),
            'Stored',
          ),
          ...errorResponses,
        },
      }),
      async (c) => {
        const form = c.req.valid('form') as { year: number; file?: unknown };
        const row = await mineOf(c, form.year);
        if (row.workflow_id === null) throw notOpenYet();
        if (row.status !== 'self-open') throw yearEndNotOpen(row.status);
        const file = form.file;
        if (!(file instanceof File))
          throw new ApiProblem({
            status: 400,
            code: 'YEAR_END_EVIDENCE_MISSING',
            vi: 'Cần chọn tệp minh chứng (trường "file").',
            en: 'Choose an evidence file (the field "file").',
          });
        const stored = await storeEvidence(db, {
          unitId: row.unit_id,
          uploadedBy: actorId(c),
          subjectType: 'year_end_assessment',
          subjectId: row.id,
          fileName: file.name,
          declaredType: file.type || null,
          bytes: new Uint8Array(await file.arrayBuffer()),
          limits,
        });
        if (!stored.ok)
          throw new ApiProblem({
            status: stored.code === 'EVIDENCE_TOO_LARGE' ? 413 : 422,
            code: stored.code,
            vi: stored.message.vi,
            en: stored.message.en,
            details: stored.params,
          });
        return c.json({ id: stored.file.id, fileName: stored.file.fileName }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/evaluation/year-end',
        tags,
        summary:
          "The manager's list: the year-end assessments of a unit's people for a year with their scores, status and proposed level. For the unit's supervisors and head; never the province, never one's own",
        middleware: [requires('year-end.assess')] as const,
        request: { query: z.object({ unitId: uuid, year: Year }) },
        responses: { 200: jsonOk(List), ...errorResponses },
      }),
      async (c) => {
        const { unitId, year } = c.req.valid('query');
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        await check(c, db, { path, tier: 'internal' });
        const me = actorId(c);
        const rows = await db
          .selectFrom('year_end_assessment as y')
          .innerJoin('person as p', 'p.id', 'y.person_id')
          .selectAll('y')
          .select('p.full_name')
          .where('y.unit_id', '=', unitId)
          .where('y.year', '=', year)
          .where('y.person_id', '!=', me)
          .orderBy('p.full_name')
          .execute();
        return c.json(
          {
            items: rows.map((r) => ({
              ...summary(r),
              person: { id: r.person_id, name: r.full_name },
            })),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/evaluation/year-end/{id}',
        tags,
        summary:
          "One year-end assessment with every score explained: for the person, their direct manager and the unit head, and the province's organisation department (its appraisal)",
        middleware: [requires('year-end.assess')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(View), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        const row = await byId(c, c.req.valid('param').id);
        const r = await internal(row);
        const mine = row.person_id === me;
        const delegatedFor = mine ? undefined : await assessor.delegatedPrincipal(me, r, row.person_id);
        const assess = !mine && ((await allowed(c, db, 'year-end.assess', r)) || delegatedFor !== undefined);
        const appraise =
          !mine && !assess && (await allowed(c, db, 'year-end.appraise', await unitLevel(row)));
        if (!mine && !assess && !appraise) await check(c, db, r);
        markChecked(c);
        return c.json(
          await view(row, {
            editSelf: mine && row.status === 'self-open' && row.workflow_id !== null,
            assess: assess && row.status === 'self-submitted',
            appraise: appraise && row.needs_appraisal && row.status === 'supervisor-done',
          }),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/evaluation/year-end/{id}/supervisor',
        tags,
        summary:
          "The direct manager's (or the unit head's) assessment: points per general criterion within the rule set's bounds and comments (the Update submitSupervisorAssessment): the engine scores it and proposes a level with its explanation. 422 UPDATE_REJECTED before the self-assessment is submitted or out of bounds",
        middleware: [requires('year-end.assess')] as const,
        request: {
          params: IdParam,
          headers: idempotencyHeader,
          body: jsonBody(
            z.object({
              points: Points,
              comments: z.string().max(4000),
              onBehalfOf: uuid.optional().openapi({ description: 'The manager a delegate acts for' }),
            }),
          ),
        },
        responses: { 200: jsonOk(Result), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await byId(c, c.req.valid('param').id);
        const b = c.req.valid('json');
        const acting = await assessor.acting(c, actorId(c), await internal(row), b.onBehalfOf, row.person_id);
        const me = acting.onBehalfOf ?? acting.by;
        if (row.status !== 'self-submitted' || !row.workflow_id)
          throw rule(
            409,
            'YEAR_END_WRONG_STEP',
            'Phiếu đánh giá cuối năm chưa ở bước người quản lý đánh giá.',
            'The year-end assessment is not at the supervisor step.',
          );
        const wid = row.workflow_id;
        const updateId = `yearend-sup:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${me}:${digest(b)}`)}`;
        await withTemporal(
          deps.temporal,
          (client) =>
            client.workflow.getHandle(wid).executeUpdate(submitSupervisorAssessment, {
              args: [{ ...acting, points: b.points, comments: b.comments }],
              updateId,
            }),
          deps.plans?.updateDeadlineMs,
        );
        return c.json(summary((await yearEndById(db, row.id))!), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/evaluation/year-end/{id}/appraisal',
        tags,
        summary:
          "The organisation department's appraisal where the unit type requires it (the Update submitAppraisal): agrees, or proposes another level with a comment; then the assessment is ready for the ranking",
        middleware: [requires('year-end.appraise')] as const,
        request: {
          params: IdParam,
          headers: idempotencyHeader,
          body: jsonBody(
            z.object({ agrees: z.boolean(), level: Level.optional(), comment: z.string().min(1).max(4000) }),
          ),
        },
        responses: { 200: jsonOk(Result), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await byId(c, c.req.valid('param').id);
        await check(c, db, await unitLevel(row));
        const b = c.req.valid('json');
        const me = actorId(c);
        if (!row.needs_appraisal || row.status !== 'supervisor-done' || !row.workflow_id)
          throw rule(
            409,
            'YEAR_END_WRONG_STEP',
            'Phiếu đánh giá cuối năm không ở bước thẩm định.',
            'The year-end assessment is not at the appraisal step.',
          );
        if (!b.agrees && (!b.level || !RANK_LEVELS.includes(b.level)))
          throw rule(
            422,
            'YEAR_END_APPRAISAL_LEVEL_REQUIRED',
            'Khi không đồng ý, cần nêu mức xếp loại đề xuất.',
            'When not agreeing, name the level you propose.',
          );
        const wid = row.workflow_id;
        const updateId = `yearend-appraise:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${me}:${digest(b)}`)}`;
        await withTemporal(
          deps.temporal,
          (client) =>
            client.workflow.getHandle(wid).executeUpdate(submitAppraisal, {
              args: [
                { by: me, agrees: b.agrees, ...(b.level ? { level: b.level } : {}), comment: b.comment },
              ],
              updateId,
            }),
          deps.plans?.updateDeadlineMs,
        );
        return c.json(summary((await yearEndById(db, row.id))!), 200);
      },
    );
}
