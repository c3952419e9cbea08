// The ranking of a unit's people for a year (issue 8 points 2–3, RULES.md). Content: the unit head creates and
// recomputes the draft (the engine's level for each person with its explanation and every failed gate in plain
// Vietnamese and English; the year score from the year-end supervisor assessment, else the confirmed period
// assessments, marked provisional). Process (Updates of workflows/unit-ranking.ts, with an Idempotency-Key):
// the head decides (the draft is frozen: rule set id + version, parameters, input snapshot, result), requests a
// quota exception (extra places, justification), the standing committee approves it with a decision number
// or rejects it, the head publishes — refused while over quota without an approved exception ("vượt N").
// Two tracks: a Party member also holds a Party ranking (QĐ 366, capped by the state level), with its own quota;
// an exception names its track. The unit's head(s) are not in their own unit's ranking: `rankedAbove` lists them
// ("xếp loại bởi cấp trên" — the superior body ranks them in the province ranking).
// Access (policy ranking.*): a unit-level document under the tiered rule.
import { randomUUID } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { startUnitRankingWorkflow, unitRankingStartFor } from '../../../db/queries/ranking-workflow-input.ts';
import {
  defaultRankingSources,
  entriesOf,
  entrySelection,
  exceptionsOf,
  flagsOf,
  headsOf,
  partyRuleSetOf,
  quotaOf,
  quotaUnliftable,
  rankingById,
  rankingNotFound,
  rankingNotTopUnit,
  rankingOf,
  recomputeDraft,
  type SelectedFrozenRanking,
  selectForQuota,
  selectionsOf,
  undoSelection,
  unliftableGroups,
  verifyEntryFrozen,
} from '../../../db/queries/rankings.ts';
import { yearEndAssessmentsOf } from '../../../db/queries/year-end-assessments.ts';
import type { UnitRankingRow } from '../../../db/schema-rankings.ts';
import { vnLocalDate } from '../../../domain/calendar/vn-time.ts';
import { getRuleSet } from '../../../domain/rulesets/catalogue.ts';
import { RANK_LABELS, type RankLevel } from '../../../domain/rulesets/types.ts';
import type { RankingResult } from '../../../domain/scoring/index.ts';
import { type Message, presentMessage } from '../../../domain/scoring/index.ts';
import { TASK_QUEUE } from '../../../worker/task-queues.ts';
import {
  decideQuotaException,
  decideRanking,
  publishRanking,
  type RankingUpdateResult,
  requestQuotaException,
} from '../../../workflows/unit-ranking.messages.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
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
const ExceptionParams = z.object({
  id: uuid.openapi({ param: { name: 'id', in: 'path' } }),
  exceptionId: uuid.openapi({ param: { name: 'exceptionId', in: 'path' } }),
});

const Track = z.enum(['state', 'party']);
const Entry = z.object({
  personId: z.string(),
  track: Track.openapi({ description: "'party': the Party ranking of a Party member (QĐ 366)" }),
  stateLevel: Level.nullable().openapi({ description: 'Party entries: the state level that caps this one' }),
  name: z.string(),
  isHead: z.boolean(),
  dutyGroup: z.string(),
  score: z.string().nullable(),
  scoreSource: z.enum(['supervisor', 'periods', 'none']),
  provisional: z.boolean().openapi({ description: 'The year score comes from the period assessments' }),
  level: Level.nullable(),
  label: Text.nullable(),
  steps: z.array(Text).openapi({ description: "The engine's explanation, step by step" }),
  gateFailures: z.array(z.object({ gateId: z.string(), level: Level, text: Text })),
  forcedBy: z.array(Text),
  frozen: z.boolean(),
  verified: z.boolean().nullable().openapi({ description: 'A frozen entry recomputes to its signed level' }),
  appraisal: z
    .object({ agrees: z.boolean(), level: Level.nullable(), comment: z.string() })
    .nullable()
    .openapi({
      description:
        "State entries: the organisation department's appraisal of the year-end assessment (where the unit type requires one)",
    }),
  appraisalDiffers: z.boolean().openapi({
    description: 'The appraisal proposes another level than this entry: the decision-maker should weigh it',
  }),
  engineLevel: Level.nullable().openapi({
    description:
      "The engine's level (differs from `level` when the head placed the entry at 'good' for the quota)",
  }),
  selection: z
    .object({ reason: z.string(), by: z.string(), byName: z.string(), at: z.string(), text: Text })
    .nullable()
    .openapi({
      description:
        "The head's selection within the quota: an entry the engine ranked 'excellent' placed at 'good' (xếp Hoàn thành tốt do giới hạn tỷ lệ), with its reason",
    }),
  selectable: z.boolean().openapi({
    description: "The draft entry may be placed at 'good' for the quota (the engine ranked it 'excellent')",
  }),
});
const QuotaGroup = z.object({
  track: Track,
  agencyId: z.string(),
  dutyGroup: z.string(),
  good: z.number().int(),
  excellent: z.number().int(),
  allowed: z.number().int(),
  exceptionPlaces: z.number().int(),
  over: z.number().int(),
  warning: Text.nullable(),
});
const ExceptionView = z.object({
  id: z.string(),
  track: Track,
  agencyId: z.string(),
  dutyGroup: z.string(),
  extraPlaces: z.number().int(),
  justification: z.string(),
  status: z.enum(['requested', 'approved', 'rejected']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decisionNumber: z.string().nullable(),
  decidedOn: z.string().nullable(),
});
const Ranking = z
  .object({
    id: z.string(),
    unit: z.object({ id: z.string(), name: z.string() }),
    year: z.number().int(),
    status: z.enum(['draft', 'decided', 'published']),
    revision: z.number().int(),
    deadline: z.string(),
    ruleSet: z.object({
      id: z.string(),
      version: z.number().int(),
      title: Text,
      legalBasis: z.array(z.object({ ref: z.string(), verification: z.enum(['V', 'U']) })),
      quotaVerification: z.enum(['V', 'U']),
      exceptionCap: z.number().int(),
    }),
    partyRuleSet: z
      .object({
        id: z.string(),
        version: z.number().int(),
        title: Text,
        legalBasis: z.array(z.object({ ref: z.string(), verification: z.enum(['V', 'U']) })),
        quotaVerification: z.enum(['V', 'U']),
        exceptionCap: z.number().int(),
      })
      .nullable()
      .openapi({ description: 'The rule set of the Party track (none before cycle 2026)' }),
    rankedAbove: z
      .array(z.object({ personId: z.string(), name: z.string() }))
      .openapi({ description: "The unit's head(s): not ranked here, ranked by the superior body" }),
    provisional: z.boolean().openapi({ description: 'Some year score comes from the period assessments' }),
    entries: z.array(Entry),
    quota: z.object({
      groups: z.array(QuotaGroup),
      publicationBlocked: z.boolean(),
      over: z.number().int(),
      formula: z.string(),
      partyFormula: z.string().nullable(),
      mustSelect: z
        .array(
          z.object({
            track: Track,
            agencyId: z.string(),
            dutyGroup: z.string(),
            over: z.number().int(),
            cap: z.number().int(),
          }),
        )
        .openapi({
          description:
            'The groups over the quota by more than the exception cap: the head places people at Tốt before deciding (RANKING_QUOTA_UNLIFTABLE)',
        }),
    }),
    exceptions: z.array(ExceptionView),
    flags: z.array(z.object({ kind: z.string(), subjectId: z.string(), text: Text })),
    decidedBy: z.string().nullable(),
    decidedOn: z.string().nullable(),
    publishedAt: z.string().nullable(),
    canDecide: z.boolean(),
    canDecideExceptions: z.boolean(),
  })
  .openapi('UnitRanking');
const Create = z
  .object({ unitId: uuid, year: z.number().int().min(2000).max(2200) })
  .openapi('RankingCreate');
const Decide = z.object({ revision: z.number().int().min(0) }).openapi('RankingDecide');
const SelectionParams = z.object({
  id: uuid.openapi({ param: { name: 'id', in: 'path' } }),
  personId: uuid.openapi({ param: { name: 'personId', in: 'path' } }),
});
const Selection = z
  .object({
    reason: plainText(1000),
    track: Track.optional().openapi({ description: "'party' for the Party quota; default 'state'" }),
  })
  .openapi('RankingSelection');
const TrackQuery = z.object({ track: Track.optional() });
const ExceptionRequest = z
  .object({
    dutyGroup: z.string().min(1).max(64),
    extraPlaces: z.number().int().min(1).max(100),
    justification: plainText(4000),
    track: Track.optional().openapi({ description: "'party' for the Party quota; default 'state'" }),
  })
  .openapi('RankingExceptionRequest');
const ExceptionDecision = z
  .object({ approve: z.boolean(), decisionNumber: z.string().max(100).optional() })
  .openapi('RankingExceptionDecision');
const UpdateResult = z
  .object({
    phase: z.enum(['DRAFT', 'DECIDED', 'PUBLISHED']),
    publicationBlocked: z.boolean(),
    over: z.number().int(),
    date: z.string(),
    exceptionId: z.string().optional(),
    exceptionStatus: z.string().optional(),
  })
  .openapi('RankingUpdateResult');

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

const text = (m: { vi: string; en: string }) => ({ vi: m.vi, en: m.en });

export function rankingRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const sources = async () => ({ ...(await defaultRankingSources()), ...(deps.rankings?.sources ?? {}) });

  const resourceOf = async (unitId: string): Promise<Resource> => {
    const path = (await loadPath(db, unitId)).map((n) => n.id);
    return { path, tier: path.length === 2 ? 'unit' : path.length === 1 ? 'province' : 'internal' };
  };
  /** The ranking after the route's declared check on its unit; 404 before any check when missing. */
  const checked = async (c: Parameters<typeof check>[0], id: string) => {
    const row = await rankingById(db, id);
    if (!row) {
      markChecked(c);
      throw rankingNotFound();
    }
    await check(c, db, await resourceOf(row.unit_id));
    return row;
  };

  async function view(c: Parameters<typeof check>[0], row: UnitRankingRow) {
    const r = await resourceOf(row.unit_id);
    const [
      unit,
      entries,
      exceptions,
      quota,
      flags,
      names,
      canDecide,
      canDecideExceptions,
      heads,
      assessments,
      selections,
    ] = await Promise.all([
      db.selectFrom('org_unit').select('name_vi').where('id', '=', row.unit_id).executeTakeFirst(),
      entriesOf(db, row.id),
      exceptionsOf(db, row.id),
      quotaOf(db, row),
      flagsOf(db, row, vnLocalDate(now().getTime()), deps.rankings?.sources ?? {}),
      db
        .selectFrom('person as p')
        .innerJoin('unit_ranking_entry as e', 'e.person_id', 'p.id')
        .select(['p.id', 'p.full_name'])
        .where('e.ranking_id', '=', row.id)
        .execute(),
      allowed(c, db, 'ranking.decide', r),
      allowed(c, db, 'ranking.exception.decide', r),
      headsOf(db, row.unit_id, row.deadline),
      yearEndAssessmentsOf(db, { unitId: row.unit_id, year: row.year }),
      selectionsOf(db, row.id),
    ]);
    const selectionOf = new Map(selections.map((x) => [`${x.person_id}/${x.track}`, x]));
    const byNames = new Map(
      selections.length
        ? (
            await db
              .selectFrom('person')
              .select(['id', 'full_name'])
              .where(
                'id',
                'in',
                selections.map((x) => x.selected_by),
              )
              .execute()
          ).map((p) => [p.id, p.full_name] as const)
        : [],
    );
    const appraisalOf = new Map(assessments.map((a) => [a.personId, a.appraisal]));
    const nameOf = new Map(names.map((n) => [n.id, n.full_name]));
    // messages name units and people by id: shown by name, in the current wording (key and params stay as frozen)
    const shownNames = new Map<string, string>([
      ...nameOf,
      ...heads.map((h) => [h.personId, h.name] as const),
      [row.unit_id, unit?.name_vi ?? row.unit_id],
    ]);
    const say = (m: Message) => text(presentMessage(m, shownNames));
    const rs = getRuleSet(row.rule_set_id, row.rule_set_version);
    const order = (l: RankLevel | null) =>
      l ? ['excellent', 'good', 'completed', 'notCompleted'].indexOf(l) : 9;
    const list = entries.map((e) => {
      const frozen = e.frozen as unknown as SelectedFrozenRanking | null;
      const result = e.result as unknown as RankingResult | null;
      const explanation = frozen?.explanation ?? result?.explanation;
      // the head's selection within the quota: frozen with the decision, else the draft's row
      const draftSel =
        !frozen && e.level === 'excellent' ? selectionOf.get(`${e.person_id}/${e.track}`) : undefined;
      const { selection: sel, level, engineLevel } = entrySelection(e.level, frozen, draftSel);
      const appraisal = e.track === 'state' ? (appraisalOf.get(e.person_id) ?? null) : null;
      return {
        personId: e.person_id,
        track: e.track,
        stateLevel: e.track === 'party' ? (explanation?.stateLevel ?? null) : null,
        name: nameOf.get(e.person_id) ?? '',
        isHead: e.is_head,
        dutyGroup: e.duty_group,
        score: frozen?.score ?? e.score,
        scoreSource: e.score_source,
        provisional: e.score_source === 'periods',
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
        appraisal,
        appraisalDiffers: !!appraisal && !appraisal.agrees && !!appraisal.level && appraisal.level !== level,
        engineLevel,
        selection: sel
          ? {
              reason: sel.reason,
              by: sel.by,
              byName: byNames.get(sel.by) ?? nameOf.get(sel.by) ?? '',
              at: sel.at,
              text: say(sel.message),
            }
          : null,
        selectable: row.status === 'draft' && e.level === 'excellent',
      };
    });
    list.sort(
      (a, b) =>
        (a.track === b.track ? 0 : a.track === 'state' ? -1 : 1) ||
        order(a.level) - order(b.level) ||
        a.name.localeCompare(b.name, 'vi'),
    );
    const prs = partyRuleSetOf(row);
    return {
      id: row.id,
      unit: { id: row.unit_id, name: unit?.name_vi ?? '' },
      year: row.year,
      status: row.status,
      revision: row.revision,
      deadline: row.deadline,
      ruleSet: {
        id: rs.id,
        version: rs.version,
        title: rs.title,
        legalBasis: rs.legalBasis,
        quotaVerification: rs.quota.verification,
        exceptionCap: rs.quota.exceptionCap,
      },
      partyRuleSet: prs
        ? {
            id: prs.id,
            version: prs.version,
            title: prs.title,
            legalBasis: prs.legalBasis,
            quotaVerification: prs.quota.verification,
            exceptionCap: prs.quota.exceptionCap,
          }
        : null,
      rankedAbove: heads.filter((h) => !entries.some((e) => e.person_id === h.personId)),
      provisional: list.some((e) => e.provisional),
      entries: list,
      quota: {
        groups: quota.groups.map((g) => ({ ...g, warning: g.warning ? say(g.warning) : null })),
        publicationBlocked: quota.publicationBlocked,
        over: quota.groups.reduce((n, g) => n + g.over, 0),
        formula: quota.formula,
        partyFormula: quota.partyFormula,
        mustSelect: row.status === 'draft' ? unliftableGroups(quota, row) : [],
      },
      exceptions: exceptions.map((x) => ({
        id: x.id,
        track: x.track,
        agencyId: x.agency_id,
        dutyGroup: x.duty_group,
        extraPlaces: x.extra_places,
        justification: x.justification,
        status: x.status,
        requestedBy: x.requested_by,
        requestedAt: x.requested_at.toISOString(),
        decidedBy: x.decided_by,
        decisionNumber: x.decision_number,
        decidedOn: x.decided_on,
      })),
      flags: flags.map((f) => ({ kind: f.kind, subjectId: f.subjectId, text: say(f.message) })),
      decidedBy: row.decided_by,
      decidedOn: row.decided_on,
      publishedAt: row.published_at?.toISOString() ?? null,
      canDecide,
      canDecideExceptions,
    };
  }

  const update = async (
    row: UnitRankingRow,
    key: string | undefined,
    derived: string,
    send: (
      h: ReturnType<Awaited<ReturnType<ApiDeps['temporal']>>['workflow']['getHandle']>,
      updateId: string,
    ) => Promise<RankingUpdateResult>,
  ) => {
    if (!row.workflow_id) throw notStarted();
    const wid = row.workflow_id;
    const updateId = updateIdOf(key, `${wid}:${derived}`);
    return withTemporal(
      deps.temporal,
      (client) => send(client.workflow.getHandle(wid), updateId),
      deps.rankings?.updateDeadlineMs,
    );
  };

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/rankings',
        tags,
        summary:
          "A unit's ranking of its people for a year: each person's level with its explanation and failed gates, the quota per agency and duty group with the warning 'vượt N', exception requests, flags. 404 RANKING_NOT_FOUND before the draft exists",
        middleware: [requires('ranking.read')] as const,
        request: { query: z.object({ unitId: uuid, year: Year }) },
        responses: { 200: jsonOk(Ranking), ...errorResponses },
      }),
      async (c) => {
        const { unitId, year } = c.req.valid('query');
        await check(c, db, await resourceOf(unitId));
        const row = await rankingOf(db, unitId, year);
        if (!row) throw rankingNotFound();
        return c.json(await view(c, row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/rankings/{id}',
        tags,
        summary: 'One ranking (as GET /rankings), e.g. for the standing committee deciding an exception',
        middleware: [requires('ranking.read')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(Ranking), ...errorResponses },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        return c.json(await view(c, row), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/rankings',
        tags,
        summary:
          "The unit head creates the draft ranking of their unit's people for a year (content: computed by the engine under the rule set of the unit type and cycle) and starts its workflow (the head's task due on the `year-end.ranking` deadline, escalating when missing). Idempotent: an existing ranking is answered (200)",
        middleware: [requires('ranking.decide')] as const,
        request: { body: jsonBody(Create) },
        responses: {
          201: jsonOk(Ranking, 'Created'),
          200: jsonOk(Ranking),
          ...errorResponses,
          503: unavailableResponse,
        },
      }),
      async (c) => {
        const { unitId, year } = c.req.valid('json');
        await check(c, db, await resourceOf(unitId));
        const existing = await rankingOf(db, unitId, year);
        if (existing?.workflow_id) return c.json(await view(c, existing), 200);
        const start = await unitRankingStartFor(db, {
          unitId,
          year,
          by: actorId(c),
          sources: await sources(),
        });
        if (!start.ok) throw start.reason === 'unit-invalid' ? rankingNotTopUnit() : noCalendar();
        const input = deps.rankings?.adjustInput ? deps.rankings.adjustInput(start.input) : start.input;
        const after = await withTemporal(deps.temporal, (client) =>
          startUnitRankingWorkflow(db, client, {
            input,
            taskQueue: deps.rankings?.taskQueue ?? deps.plans?.taskQueue ?? TASK_QUEUE,
          }),
        );
        return c.json(await view(c, after), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/rankings/{id}/recompute',
        tags,
        summary:
          'The unit head recomputes the draft from the current scores and records (content; a new revision). 409 RANKING_DECIDED once decided: a decided ranking is frozen',
        middleware: [requires('ranking.decide')] as const,
        request: { params: IdParam },
        responses: { 200: jsonOk(Ranking), ...errorResponses },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const after = await recomputeDraft(db, {
          rankingId: row.id,
          by: actorId(c),
          sources: await sources(),
        });
        return c.json(await view(c, after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/rankings/{id}/selections/{personId}',
        tags,
        summary:
          "The unit head places an entry the engine ranked 'excellent' at 'good' within the quota (xếp Hoàn thành tốt do giới hạn tỷ lệ), with a short reason (content, a new revision; the quota counts the chosen level; the decision freezes it with the engine's result). 422 RANKING_SELECTION_NOT_EXCELLENT (never raises a level, never touches a forced one), 409 RANKING_DECIDED once decided",
        middleware: [requires('ranking.decide')] as const,
        request: { params: SelectionParams, body: jsonBody(Selection) },
        responses: { 200: jsonOk(Ranking), ...errorResponses },
      }),
      async (c) => {
        const { id, personId } = c.req.valid('param');
        const row = await checked(c, id);
        const b = c.req.valid('json');
        const after = await selectForQuota(db, {
          rankingId: row.id,
          personId,
          reason: b.reason,
          by: actorId(c),
          ...(b.track ? { track: b.track } : {}),
        });
        return c.json(await view(c, after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/rankings/{id}/selections/{personId}',
        tags,
        summary:
          "The unit head undoes a selection within the quota while the draft stands (the engine's 'excellent' again; a new revision). 404 RANKING_SELECTION_NOT_FOUND, 409 RANKING_DECIDED",
        middleware: [requires('ranking.decide')] as const,
        request: { params: SelectionParams, query: TrackQuery },
        responses: { 200: jsonOk(Ranking), ...errorResponses },
      }),
      async (c) => {
        const { id, personId } = c.req.valid('param');
        const row = await checked(c, id);
        const { track } = c.req.valid('query');
        const after = await undoSelection(db, {
          rankingId: row.id,
          personId,
          by: actorId(c),
          ...(track ? { track } : {}),
        });
        return c.json(await view(c, after), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/rankings/{id}/decide',
        tags,
        summary:
          "The unit head's decision (Update decideRanking): freezes every entry of the draft at the revision read — rule set id and version, parameters, input snapshot, result, and the head's selections within the quota. 409 RANKING_REVISION_CONFLICT when the draft changed, 409 RANKING_DECIDED, 409 RANKING_QUOTA_UNLIFTABLE when a group is over the quota by more than the exception cap (vượt N, ngoại lệ tối đa C: choose who is placed at Tốt first)",
        middleware: [requires('ranking.decide')] as const,
        request: { params: IdParam, headers: idempotencyHeader, body: jsonBody(Decide) },
        responses: { 200: jsonOk(UpdateResult), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const { revision } = c.req.valid('json');
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
        else {
          // over the quota by more than the exception cap: no exception can lift it, the head chooses first
          const unliftable = unliftableGroups(await quotaOf(db, row), row);
          if (unliftable.length > 0) throw quotaUnliftable(unliftable);
        }
        const r = await update(
          row,
          c.req.header('idempotency-key'),
          `decide:${revision}:${me}`,
          (h, updateId) => h.executeUpdate(decideRanking, { args: [{ by: me, revision }], updateId }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/rankings/{id}/exceptions',
        tags,
        summary:
          "The unit head requests extra places over the quota for a duty group of the unit, with a justification (Update requestQuotaException): the standing committee's task opens",
        middleware: [requires('ranking.decide')] as const,
        request: { params: IdParam, headers: idempotencyHeader, body: jsonBody(ExceptionRequest) },
        responses: { 201: jsonOk(UpdateResult, 'Requested'), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const b = c.req.valid('json');
        const me = actorId(c);
        if (row.status === 'published')
          throw rule(
            409,
            'RANKING_PUBLISHED',
            'Bảng xếp loại đã được công bố.',
            'The ranking is already published.',
          );
        const exceptionId = randomUUID();
        const r = await update(
          row,
          c.req.header('idempotency-key'),
          `exception:${exceptionId}`,
          (h, updateId) =>
            h.executeUpdate(requestQuotaException, {
              args: [{ by: me, exceptionId, agencyId: row.unit_id, ...b }],
              updateId,
            }),
        );
        return c.json(r, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/rankings/{id}/exceptions/{exceptionId}/decision',
        tags,
        summary:
          "The standing committee approves (with its decision number) or rejects a quota exception (Update decideQuotaException); an approval adds its places (up to the rule set's cap) to the quota",
        middleware: [requires('ranking.exception.decide')] as const,
        request: { params: ExceptionParams, headers: idempotencyHeader, body: jsonBody(ExceptionDecision) },
        responses: { 200: jsonOk(UpdateResult), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const { id, exceptionId } = c.req.valid('param');
        const row = await checked(c, id);
        const b = c.req.valid('json');
        const me = actorId(c);
        const x = (await exceptionsOf(db, row.id)).find((e) => e.id === exceptionId);
        if (!x)
          throw rule(
            404,
            'RANKING_EXCEPTION_NOT_FOUND',
            'Không tìm thấy đề nghị ngoại lệ.',
            'Exception request not found.',
          );
        if (x.status !== 'requested' && x.decided_by !== me)
          throw rule(
            409,
            'RANKING_EXCEPTION_DECIDED',
            'Đề nghị ngoại lệ đã được xử lý.',
            'The exception request has already been decided.',
          );
        if (b.approve && !b.decisionNumber?.trim())
          throw rule(
            422,
            'RANKING_DECISION_NUMBER_REQUIRED',
            'Phê duyệt cần có số quyết định.',
            'An approval needs its decision number.',
          );
        if (x.status !== 'requested') {
          const q = await quotaOf(db, row);
          return c.json(
            {
              phase: row.status === 'draft' ? 'DRAFT' : row.status === 'decided' ? 'DECIDED' : 'PUBLISHED',
              publicationBlocked: q.publicationBlocked,
              over: q.groups.reduce((n, g) => n + g.over, 0),
              date: x.decided_on ?? '',
              exceptionId,
              exceptionStatus: x.status,
            } as const,
            200,
          );
        }
        const r = await update(
          row,
          c.req.header('idempotency-key'),
          `exception-decision:${exceptionId}:${me}`,
          (h, updateId) =>
            h.executeUpdate(decideQuotaException, {
              args: [
                {
                  by: me,
                  exceptionId,
                  approve: b.approve,
                  ...(b.decisionNumber ? { decisionNumber: b.decisionNumber } : {}),
                },
              ],
              updateId,
            }),
        );
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/rankings/{id}/publish',
        tags,
        summary:
          "The unit head publishes the decided ranking (Update publishRanking). 409 RANKING_QUOTA_BLOCKED while over the quota ('vượt N') without an approved exception, 409 RANKING_NOT_DECIDED",
        middleware: [requires('ranking.decide')] as const,
        request: { params: IdParam, headers: idempotencyHeader },
        responses: { 200: jsonOk(UpdateResult), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const row = await checked(c, c.req.valid('param').id);
        const me = actorId(c);
        if (row.status === 'draft')
          throw rule(
            409,
            'RANKING_NOT_DECIDED',
            'Bảng xếp loại chưa được quyết định.',
            'The ranking has not been decided yet.',
          );
        if (row.status === 'decided') {
          const q = await quotaOf(db, row);
          if (q.publicationBlocked) {
            const over = q.groups.reduce((n, g) => n + g.over, 0);
            throw new ApiProblem({
              status: 409,
              code: 'RANKING_QUOTA_BLOCKED',
              vi: `Vượt ${over} chỉ tiêu "Hoàn thành xuất sắc nhiệm vụ" mà chưa có ngoại lệ được phê duyệt: chưa thể công bố.`,
              en: `Over the "Excellent" quota by ${over} without an approved exception: publication is blocked.`,
              details: { over },
            });
          }
        }
        const r = await update(row, c.req.header('idempotency-key'), `publish:${me}`, (h, updateId) =>
          h.executeUpdate(publishRanking, { args: [{ by: me }], updateId }),
        );
        return c.json(r, 200);
      },
    );
}
