// The province ranking of its top units (collectives) and their heads for a year (issue 8; RULES.md: the heads
// are ranked by the superior body, the province's standing committee). Content: the secretariat creates and
// compiles the draft (the engine's level for each unit from its plan's year score and for each head from the
// head's year-end supervisor score, else the unit's — provisional — with the explanation and every failed gate).
// Process (Updates of workflows/province-ranking.ts, with an Idempotency-Key): the committee decides (the draft is
// frozen), records an approved exception to the heads' quota (decision number + justification) and publishes —
// refused while over quota without an approved exception ("vượt N"). Access (policy provinceRanking.*): a
// province-level document.
import { createRoute } from '@hono/zod-openapi';
import { provinceRankingCalendar, startProvinceRanking } from '../../../activities/province-ranking.ts';
import {
  overOf,
  provinceEntriesOf,
  provinceFlagsOf,
  provinceQuotaOf,
  provinceRankingById,
  provinceRankingOf,
  provinceSelectionsOf,
  provinceUnliftable,
  recomputeProvinceDraft,
  selectProvinceForQuota,
  undoProvinceSelection,
} from '../../../db/queries/province-rankings.ts';
import {
  entrySelection,
  quotaUnliftable,
  rankingNotFound,
  type SelectedFrozenRanking,
  verifyEntryFrozen,
} from '../../../db/queries/rankings.ts';
import type { ProvinceRankingRow } from '../../../db/schema-province-rankings.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { getRuleSet } from '../../../domain/rulesets/catalogue.ts';
import { RANK_LABELS, type RankLevel } from '../../../domain/rulesets/types.ts';
import type { RankingResult } from '../../../domain/scoring/index.ts';
import { type Message, presentMessage } from '../../../domain/scoring/index.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import {
  approveProvinceException,
  decideProvinceRanking,
  type ProvinceRankingUpdateResult,
  publishProvinceRanking,
} from '../../../workflows/province-ranking.messages.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, plainText, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, rule } from '../admin/common.ts';
import { idempotencyHeader, unavailableResponse } from '../plans/index.ts';
import { updateIdOf, withTemporal } from '../plans/temporal.ts';

const tags = ['rankings'];
const Text = z.object({ vi: z.string(), en: z.string() });
const Level = z.enum(['excellent', 'good', 'completed', 'notCompleted']);
const Year = z.coerce.number().int().min(2000).max(2200);
const IdParam = z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) });

const Entry = z.object({
  subjectKind: z.enum(['collective', 'individual']),
  subjectId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  personName: z.string().nullable(),
  score: z.string().nullable(),
  scoreSource: z.enum(['plan', 'supervisor', 'unit', 'none']),
  provisional: z
    .boolean()
    .openapi({ description: "A head's score derived from the unit's result (no year-end supervisor score)" }),
  level: Level.nullable(),
  label: Text.nullable(),
  steps: z.array(Text).openapi({ description: "The engine's explanation, step by step" }),
  gateFailures: z.array(z.object({ gateId: z.string(), level: Level, text: Text })),
  forcedBy: z.array(Text),
  frozen: z.boolean(),
  verified: z.boolean().nullable().openapi({ description: 'A frozen entry recomputes to its signed level' }),
  engineLevel: Level.nullable().openapi({
    description:
      "The engine's level (differs from `level` when the committee placed a head at 'good' for the quota)",
  }),
  selection: z.object({ reason: z.string(), by: z.string(), at: z.string(), text: Text }).nullable().openapi({
    description: "The committee's selection within the heads' quota: 'excellent' placed at 'good'",
  }),
  selectable: z
    .boolean()
    .openapi({ description: "A draft head's entry the engine ranked 'excellent': may be placed at 'good'" }),
});
const SelectionParams = z.object({
  id: uuid.openapi({ param: { name: 'id', in: 'path' } }),
  personId: uuid.openapi({ param: { name: 'personId', in: 'path' } }),
});
const Selection = z.object({ reason: plainText(1000) }).openapi('ProvinceRankingSelection');
const ExceptionBody = z
  .object({
    places: z.number().int().min(1).max(100),
    decisionNumber: z.string().trim().min(1).max(100),
    justification: plainText(4000),
  })
  .openapi('ProvinceRankingException');
const ProvinceRanking = z
  .object({
    id: z.string(),
    province: z.object({ id: z.string(), name: z.string() }),
    year: z.number().int(),
    status: z.enum(['draft', 'decided', 'published']),
    revision: z.number().int(),
    deadline: z.string(),
    ruleSet: z.object({
      id: z.string(),
      version: z.number().int(),
      title: Text,
      legalBasis: z.array(z.object({ ref: z.string(), verification: z.enum(['V', 'U']) })),
    }),
    provisional: z.boolean(),
    entries: z.array(Entry),
    quota: z.object({
      good: z.number().int(),
      excellent: z.number().int(),
      allowed: z.number().int(),
      exceptionPlaces: z.number().int(),
      over: z.number().int(),
      publicationBlocked: z.boolean(),
      warning: Text.nullable(),
      formula: z.string(),
      mustSelect: z.array(z.object({ over: z.number().int(), cap: z.number().int() })).openapi({
        description:
          "Over the heads' quota by more than the exception cap: the committee places heads at Tốt before deciding (RANKING_QUOTA_UNLIFTABLE)",
      }),
    }),
    exception: z
      .object({ places: z.number().int(), decisionNumber: z.string(), justification: z.string() })
      .nullable(),
    flags: z.array(z.object({ kind: z.string(), subjectId: z.string(), text: Text })),
    decidedBy: z.string().nullable(),
    decidedOn: z.string().nullable(),
    publishedAt: z.string().nullable(),
    canCompile: z.boolean(),
    canDecide: z.boolean(),
  })
  .openapi('ProvinceRanking');
const Create = z
  .object({ provinceId: uuid, year: z.number().int().min(2000).max(2200) })
  .openapi('ProvinceRankingCreate');
const Decide = z
  .object({ revision: z.number().int().min(0), exception: ExceptionBody.optional() })
  .openapi('ProvinceRankingDecide');
const UpdateResult = z
  .object({
    phase: z.enum(['DRAFT', 'DECIDED', 'PUBLISHED']),
    publicationBlocked: z.boolean(),
    over: z.number().int(),
    date: z.string(),
  })
  .openapi('ProvinceRankingUpdateResult');

const noCalendar = () =>
  rule(
    409,
    'RANKING_NO_CALENDAR',
    'Tỉnh chưa có lịch năm kế hoạch cho năm này.',
    'The province has no plan-year calendar for this year.',
  );
const notStarted = () =>
  rule(
    409,
    'RANKING_NOT_STARTED',
    'Quy trình xếp loại chưa được khởi động.',
    'The ranking workflow has not been started.',
  );
const notDecided = () =>
  rule(
    409,
    'RANKING_NOT_DECIDED',
    'Bảng xếp loại chưa được quyết định.',
    'The ranking has not been decided yet.',
  );
const published = () =>
  rule(409, 'RANKING_PUBLISHED', 'Bảng xếp loại đã được công bố.', 'The ranking is already published.');
const notProvince = () =>
  rule(
    422,
    'PROVINCE_RANKING_NOT_PROVINCE',
    'Chỉ lập bảng xếp loại các cơ quan, đơn vị và người đứng đầu cho một tỉnh.',
    'The ranking of units and their heads is kept for a province.',
  );
const self = () =>
  new ApiProblem({
    status: 403,
    code: 'PROVINCE_RANKING_SELF',
    vi: 'Không được tham gia quyết định xếp loại của chính mình.',
    en: 'Nobody decides a ranking in which they are ranked.',
  });

const text = (m: { vi: string; en: string }) => ({ vi: m.vi, en: m.en });
const ORDER: (RankLevel | null)[] = ['excellent', 'good', 'completed', 'notCompleted', null];

export function provinceRankingRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const opts = () => deps.provinceRankings ?? {};

  const resourceOf = (provinceId: string): Resource => ({ path: [provinceId], tier: 'province' });
  /** The ranking after the route's declared check on its province; 404 before any check when missing. */
  const checked = async (c: Parameters<typeof check>[0], id: string) => {
    const row = await provinceRankingById(db, id);
    if (!row) {
      markChecked(c);
      throw rankingNotFound();
    }
    await check(c, db, resourceOf(row.province_id));
    return row;
  };

  async function view(c: Parameters<typeof check>[0], row: ProvinceRankingRow) {
    const r = resourceOf(row.province_id);
    const [province, entries, quota, flags, names, canCompile, canDecide, selections] = await Promise.all([
      db.selectFrom('org_unit').select('name_vi').where('id', '=', row.province_id).executeTakeFirst(),
      provinceEntriesOf(db, row.id),
      provinceQuotaOf(db, row),
      provinceFlagsOf(db, row, vnLocalDate(now().getTime()), opts().sources ?? {}),
      db
        .selectFrom('province_ranking_entry as e')
        .innerJoin('org_unit as u', 'u.id', 'e.unit_id')
        .leftJoin('person as p', 'p.id', 'e.person_id')
        .select(['e.subject_id', 'u.name_vi', 'p.full_name'])
        .where('e.ranking_id', '=', row.id)
        .execute(),
      allowed(c, db, 'provinceRanking.compile', r),
      allowed(c, db, 'provinceRanking.decide', r),
      provinceSelectionsOf(db, row.id),
    ]);
    const selectionOf = new Map(selections.map((x) => [x.person_id, x]));
    const nameOf = new Map(names.map((n) => [n.subject_id, n]));
    // messages name units and people by id: shown by name, in the current wording (key and params stay as frozen)
    const shownNames = new Map<string, string>([
      [row.province_id, province?.name_vi ?? row.province_id],
      ...names.map((n) => [n.subject_id, n.full_name ?? n.name_vi] as const),
    ]);
    const say = (m: Message) => text(presentMessage(m, shownNames));
    const rs = getRuleSet(row.rule_set_id, row.rule_set_version);
    const list = entries.map((e) => {
      const frozen = e.frozen as unknown as SelectedFrozenRanking | null;
      const result = e.result as unknown as RankingResult | null;
      const explanation = frozen?.explanation ?? result?.explanation;
      const draftSel =
        !frozen && e.subject_kind === 'individual' && e.level === 'excellent'
          ? selectionOf.get(e.subject_id)
          : undefined;
      const { selection: sel, level, engineLevel } = entrySelection(e.level, frozen, draftSel);
      const n = nameOf.get(e.subject_id);
      return {
        subjectKind: e.subject_kind,
        subjectId: e.subject_id,
        unitId: e.unit_id,
        unitName: n?.name_vi ?? '',
        personName: n?.full_name ?? null,
        score: frozen?.score ?? e.score,
        scoreSource: e.score_source,
        provisional: e.score_source === 'unit',
        level,
        label: level ? RANK_LABELS[level] : null,
        steps: [...(explanation?.steps ?? []), ...(sel ? [sel.message] : [])].map(say),
        gateFailures: (explanation?.gateFailures ?? []).map((g) => ({
          gateId: g.gateId,
          level: g.level,
          text: say(g.message),
        })),
        forcedBy: (explanation?.forcedBy ?? []).map(say),
        frozen: frozen !== null,
        verified: frozen ? verifyEntryFrozen(frozen) : null,
        engineLevel,
        selection: sel ? { reason: sel.reason, by: sel.by, at: sel.at, text: say(sel.message) } : null,
        selectable: row.status === 'draft' && e.subject_kind === 'individual' && e.level === 'excellent',
      };
    });
    list.sort(
      (a, b) =>
        (a.subjectKind === b.subjectKind ? 0 : a.subjectKind === 'collective' ? -1 : 1) ||
        ORDER.indexOf(a.level) - ORDER.indexOf(b.level) ||
        a.unitName.localeCompare(b.unitName, 'vi'),
    );
    const g = quota.groups[0];
    return {
      id: row.id,
      province: { id: row.province_id, name: province?.name_vi ?? '' },
      year: row.year,
      status: row.status,
      revision: row.revision,
      deadline: row.deadline,
      ruleSet: { id: rs.id, version: rs.version, title: rs.title, legalBasis: rs.legalBasis },
      provisional: list.some((e) => e.provisional),
      entries: list,
      quota: {
        good: g?.good ?? 0,
        excellent: g?.excellent ?? 0,
        allowed: g?.allowed ?? 0,
        exceptionPlaces: g?.exceptionPlaces ?? 0,
        over: overOf(quota),
        publicationBlocked: quota.publicationBlocked,
        warning: g?.warning ? say(g.warning) : null,
        formula: quota.formula,
        mustSelect:
          row.status === 'draft'
            ? provinceUnliftable(quota, row).map((x) => ({ over: x.over, cap: x.cap }))
            : [],
      },
      exception:
        row.exception_places !== null
          ? {
              places: row.exception_places,
              decisionNumber: row.exception_decision_number ?? '',
              justification: row.exception_justification ?? '',
            }
          : null,
      flags: flags.map((f) => ({ kind: f.kind, subjectId: f.subjectId, text: say(f.message) })),
      decidedBy: row.decided_by,
      decidedOn: row.decided_on,
      publishedAt: row.published_at?.toISOString() ?? null,
      canCompile,
      canDecide,
    };
  }

  const update = async (
    row: ProvinceRankingRow,
    key: string | undefined,
    derived: string,
    send: (
      h: ReturnType<Awaited<ReturnType<ApiDeps['temporal']>>['workflow']['getHandle']>,
      updateId: string,
    ) => Promise<ProvinceRankingUpdateResult>,
  ) => {
    if (!row.workflow_id) throw notStarted();
    const wid = row.workflow_id;
    const updateId = updateIdOf(key, `${wid}:${derived}`);
    return withTemporal(
      deps.temporal,
      (client) => send(client.workflow.getHandle(wid), updateId),
      opts().updateDeadlineMs,
    );
  };
  /** A person ranked in it never decides it (RULES: nobody approves their own evaluation). */
  const notRanked = async (row: ProvinceRankingRow, me: string) => {
    const mine = await db
      .selectFrom('province_ranking_entry')
      .select('subject_id')
      .where('ranking_id', '=', row.id)
      .where('person_id', '=', me)
      .executeTakeFirst();
    if (mine) throw self();
  };
  const blocked = (over: number) =>
    new ApiProblem({
      status: 409,
      code: 'RANKING_QUOTA_BLOCKED',
      vi: `Vượt ${over} chỉ tiêu "Hoàn thành xuất sắc nhiệm vụ" của người đứng đầu mà chưa có ngoại lệ được phê duyệt: chưa thể công bố.`,
      en: `Over the heads' "Excellent" quota by ${over} without an approved exception: publication is blocked.`,
      details: { over },
    });

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/province-rankings',
        tags,
        summary:
          "A province's ranking of its top units (collectives) and their heads for a year: each entry's level with its explanation and failed gates, the heads' quota ('vượt N'), the committee's exception, flags (QĐ 377, two years, quota, missing). 404 RANKING_NOT_FOUND before it is compiled",
        middleware: [requires('provinceRanking.read')] as const,
        request: { query: z.object({ provinceId: uuid, year: Year }) },
        responses: { 200: jsonOk(ProvinceRanking), ...errorResponses },
      }),
      async (c) => {
        const { provinceId, year } = c.req.valid('query');
        await check(c, db, resourceOf(provinceId));
        const row = await provinceRankingOf(db, provinceId, year);
        if (!row) throw rankingNotFound();
        return c.json(await view(c, row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/province-rankings/{id}',
        tags,
        summary: 'One province ranking (as GET /province-rankings)',
        middleware: [requires('provinceRanking.read')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(ProvinceRanking), ...errorResponses },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        return c.json(await view(c, row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/province-rankings',
        tags,
        summary:
          "The secretariat creates and compiles the province's ranking of its units and their heads for a year (content) and starts its workflow (the standing committee's task due on the `year-end.ranking` deadline, escalating when missing). Idempotent: an existing ranking is answered (200)",
        middleware: [requires('provinceRanking.compile')] as const,
        request: { body: jsonBody(Create) },
        responses: {
          201: jsonOk(ProvinceRanking, 'Created'),
          200: jsonOk(ProvinceRanking),
          ...errorResponses,
          503: unavailableResponse,
        },
      }),
      async (c) => {
        const { provinceId, year } = c.req.valid('json');
        await check(c, db, resourceOf(provinceId));
        const p = await db
          .selectFrom('org_unit')
          .select(['id', 'type_code', 'province_id'])
          .where('id', '=', provinceId)
          .executeTakeFirst();
        if (p?.type_code !== 'province' || p.province_id !== p.id) throw notProvince();
        const existing = await provinceRankingOf(db, provinceId, year);
        if (existing?.workflow_id) return c.json(await view(c, existing), 200);
        if (!(await provinceRankingCalendar(db, provinceId, year))) throw noCalendar();
        const o = opts();
        await withTemporal(deps.temporal, (client) =>
          startProvinceRanking(db, client, {
            provinceId,
            year,
            day: vnLocalDate(now().getTime()),
            taskQueue: o.taskQueue ?? deps.plans?.taskQueue ?? TASK_QUEUE,
            by: actorId(c),
            ...(o.sources ? { sources: o.sources } : {}),
            ...(o.adjustInput ? { adjust: o.adjustInput } : {}),
          }),
        );
        const after = (await provinceRankingOf(db, provinceId, year))!;
        return c.json(await view(c, after), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/province-rankings/{id}/recompute',
        tags,
        summary:
          'The secretariat recompiles the draft from the current plan results, scores and records (content; a new revision). 409 RANKING_DECIDED once decided: a decided ranking is frozen',
        middleware: [requires('provinceRanking.compile')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(ProvinceRanking), ...errorResponses },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const s = opts().sources;
        const after = await recomputeProvinceDraft(db, {
          rankingId: row.id,
          by: actorId(c),
          ...(s ? { sources: s } : {}),
        });
        return c.json(await view(c, after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/province-rankings/{id}/selections/{personId}',
        tags,
        summary:
          "The standing committee places a head the engine ranked 'excellent' at 'good' within the heads' quota (xếp Hoàn thành tốt do giới hạn tỷ lệ), with a short reason (content, a new revision; frozen with the engine's result on decision). 422 RANKING_SELECTION_NOT_EXCELLENT, 409 RANKING_DECIDED, 403 PROVINCE_RANKING_SELF",
        middleware: [requires('provinceRanking.decide')] as const,
        request: { params: SelectionParams, body: jsonBody(Selection) },
        responses: { 200: jsonOk(ProvinceRanking), ...errorResponses },
      }),
      async (c) => {
        const { id, personId } = c.req.valid('param');
        const row = await checked(c, id);
        const me = actorId(c);
        await notRanked(row, me);
        const after = await selectProvinceForQuota(db, {
          rankingId: row.id,
          personId,
          reason: c.req.valid('json').reason,
          by: me,
        });
        return c.json(await view(c, after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/province-rankings/{id}/selections/{personId}',
        tags,
        summary:
          "The standing committee undoes a selection within the heads' quota while the draft stands. 404 RANKING_SELECTION_NOT_FOUND, 409 RANKING_DECIDED",
        middleware: [requires('provinceRanking.decide')] as const,
        request: { params: SelectionParams },
        responses: { 200: jsonOk(ProvinceRanking), ...errorResponses },
      }),
      async (c) => {
        const { id, personId } = c.req.valid('param');
        const row = await checked(c, id);
        const me = actorId(c);
        await notRanked(row, me);
        const after = await undoProvinceSelection(db, { rankingId: row.id, personId, by: me });
        return c.json(await view(c, after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/province-rankings/{id}/decide',
        tags,
        summary:
          "The standing committee's decision (Update decideProvinceRanking): freezes every entry at the revision read, optionally recording an approved exception to the heads' quota (places, decision number, justification). 409 RANKING_REVISION_CONFLICT, 409 RANKING_DECIDED, 403 PROVINCE_RANKING_SELF for a member ranked in it",
        middleware: [requires('provinceRanking.decide')] as const,
        request: { params: IdParam, headers: idempotencyHeader, body: jsonBody(Decide) },
        responses: { 200: jsonOk(UpdateResult), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const { revision, exception } = c.req.valid('json');
        const me = actorId(c);
        if (row.status !== 'draft') {
          if (row.decided_by !== me)
            throw rule(
              409,
              'RANKING_DECIDED',
              'Bảng xếp loại đã được quyết định.',
              'The ranking is already decided.',
            );
        } else if (row.revision !== revision)
          throw rule(
            409,
            'RANKING_REVISION_CONFLICT',
            `Bảng xếp loại đã được tính lại (phiên bản ${row.revision}); vui lòng tải lại.`,
            `The ranking was recomputed (revision ${row.revision}); reload it.`,
          );
        await notRanked(row, me);
        if (row.status === 'draft') {
          // over the heads' quota by more than the exception cap: the committee places heads at Tốt first
          const unliftable = provinceUnliftable(await provinceQuotaOf(db, row), row);
          if (unliftable.length > 0) throw quotaUnliftable(unliftable);
        }
        const r = await update(
          row,
          c.req.header('idempotency-key'),
          `decide:${revision}:${me}`,
          (h, updateId) =>
            h.executeUpdate(decideProvinceRanking, {
              args: [{ by: me, revision, ...(exception ? { exception } : {}) }],
              updateId,
            }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/province-rankings/{id}/exception',
        tags,
        summary:
          "The standing committee records an approved exception to the heads' quota on the decided ranking (Update approveProvinceException): extra places with its decision number and justification. 409 RANKING_NOT_DECIDED, 409 RANKING_PUBLISHED",
        middleware: [requires('provinceRanking.decide')] as const,
        request: { params: IdParam, headers: idempotencyHeader, body: jsonBody(ExceptionBody) },
        responses: { 200: jsonOk(UpdateResult), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const exception = c.req.valid('json');
        const me = actorId(c);
        if (row.status === 'draft') throw notDecided();
        if (row.status === 'published') throw published();
        await notRanked(row, me);
        const r = await update(
          row,
          c.req.header('idempotency-key'),
          `exception:${exception.places}:${exception.decisionNumber}:${me}`,
          (h, updateId) =>
            h.executeUpdate(approveProvinceException, { args: [{ by: me, exception }], updateId }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/province-rankings/{id}/publish',
        tags,
        summary:
          "The standing committee publishes the decided ranking (Update publishProvinceRanking). 409 RANKING_QUOTA_BLOCKED while over the heads' quota ('vượt N') without an approved exception, 409 RANKING_NOT_DECIDED",
        middleware: [requires('provinceRanking.decide')] as const,
        request: { params: IdParam, headers: idempotencyHeader },
        responses: { 200: jsonOk(UpdateResult), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const me = actorId(c);
        if (row.status === 'draft') throw notDecided();
        if (row.status === 'decided') {
          const q = await provinceQuotaOf(db, row);
          if (q.publicationBlocked) throw blocked(overOf(q));
        }
        const r = await update(row, c.req.header('idempotency-key'), `publish:${me}`, (h, updateId) =>
          h.executeUpdate(publishProvinceRanking, { args: [{ by: me }], updateId }),
        );
        return c.json(r, 200);
      },
    );
}
