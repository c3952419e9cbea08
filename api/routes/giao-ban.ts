// The quarterly giao ban (issue 7 point 2; the lead's giao ban contract): the sessions of the actor's province, a
// session's workspace (reporting tracker, dossiers, conclusions, directions), the frozen PDFs, and the process
// steps as Updates of giaoBanWorkflow (workflows/giao-ban.ts): the secretariat records a unit's conclusion and
// publishes the conclusions; the unit head (or their delegate) reports on a direction. Tiered (DESIGN §1): the
// province's levels read every unit's row, a unit's leadership only its own unit's row. A repeated
// Idempotency-Key is applied once (the update id); refusals are problems with stable codes, vi + en.
import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Context } from 'hono';
import {
  conclusionsOf,
  type DirectionOut,
  directionById,
  directionsOfSession,
  directionsOfUnit,
  dossierPdf,
  dossierUnits,
  minutesPdf,
  provincesOfUnits,
  reportStatusesOf,
  type SessionInfo,
  sessionInfo,
  sessionsOfYear,
  sessionUnits,
} from '../../db/queries/giao-ban.ts';
import { todayVn } from '../../db/queries/org-tree.ts';
import { sessionDecidesPlans } from '../../domain/giao-ban/dates.ts';
import { COMPLETION_LEVELS, isSessionKey } from '../../domain/giao-ban/model.ts';
import {
  GIAO_BAN_REFUSAL,
  giaoBanWorkflowId,
  type PublishGiaoBanResult,
  publishGiaoBanConclusions,
  recordGiaoBanConclusion,
  reportGiaoBanDirection,
} from '../../workflows/giao-ban.messages.ts';
import { delegableAction } from '../authz/acting.ts';
import { type AuthzEnv, allowed, check, forbidden, markChecked, requires } from '../authz/middleware.ts';
import type { Resource } from '../authz/policy.ts';
import { loadPath } from '../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { actorId, rule } from './admin/common.ts';
import { idempotencyHeader, unavailableResponse } from './plans/index.ts';
import { updateIdOf, withTemporal } from './plans/temporal.ts';
import { attachmentDisposition, PDF_TYPE } from './reports/monthly.ts';

const tags = ['giao-ban'];

// ---- problems (stable codes, vi + en)

export const giaoBanSessionNotFound = () =>
  rule(
    404,
    'GIAO_BAN_SESSION_NOT_FOUND',
    'Không có phiên giao ban này.',
    'There is no such giao ban session.',
  );
export const giaoBanNotInSession = () =>
  new ApiProblem({
    status: 409,
    code: 'GIAO_BAN_NOT_IN_SESSION',
    vi: 'Phiên giao ban chưa họp hoặc không còn nhận kết luận.',
    en: 'The giao ban is not in session: conclusions are not taken now.',
  });
export const giaoBanAlreadyPublished = () =>
  new ApiProblem({
    status: 409,
    code: 'GIAO_BAN_ALREADY_PUBLISHED',
    vi: 'Kết luận giao ban đã được công bố.',
    en: 'The conclusions of this giao ban are already published.',
  });
export const giaoBanConclusionsMissing = (missing: { unitId: string; unitName: string }[]) =>
  new ApiProblem({
    status: 409,
    code: 'GIAO_BAN_CONCLUSIONS_MISSING',
    vi: `Chưa có kết luận cho: ${missing.map((m) => m.unitName).join(', ')}.`,
    en: `No conclusion yet for: ${missing.map((m) => m.unitName).join(', ')}.`,
    details: { missing },
  });
export const giaoBanUnknownUnit = () =>
  rule(
    404,
    'GIAO_BAN_UNKNOWN_UNIT',
    'Đơn vị không có trong chương trình giao ban.',
    'The unit is not on the agenda of this giao ban.',
  );
export const giaoBanPlanDecision = (vi: string, en: string) => rule(422, 'GIAO_BAN_PLAN_DECISION', vi, en);
export const giaoBanDirectionNotFound = () =>
  rule(404, 'GIAO_BAN_DIRECTION_NOT_FOUND', 'Không có chỉ đạo này.', 'There is no such direction.');
export const giaoBanDirectionDone = () =>
  rule(409, 'GIAO_BAN_DIRECTION_DONE', 'Chỉ đạo đã hoàn thành.', 'The direction is already done.');
export const giaoBanNotInFollowUp = () =>
  rule(
    409,
    'GIAO_BAN_NOT_IN_FOLLOW_UP',
    'Giao ban không trong thời gian theo dõi thực hiện chỉ đạo.',
    "The giao ban's directions are not being followed up now.",
  );
export const giaoBanDossierNotReady = () =>
  rule(
    404,
    'GIAO_BAN_DOSSIER_NOT_READY',
    'Hồ sơ của đơn vị chưa được gửi.',
    "The unit's dossier has not been sent yet.",
  );
export const giaoBanMinutesNotReady = () =>
  rule(
    404,
    'GIAO_BAN_MINUTES_NOT_READY',
    'Kết luận chưa được công bố.',
    'The minutes are not published yet.',
  );
// ---- schemas

const SessionKey = z
  .string()
  .refine(isSessionKey, { message: 'GIAO_BAN_SESSION_INVALID' })
  .openapi({
    param: { name: 'session', in: 'path' },
    example: '2027-Q2',
    description: "'YYYY-Qn' or 'YYYY-year'",
  });
const SessionParam = z.object({ session: SessionKey });
const SessionUnitParam = z.object({
  session: SessionKey,
  unitId: uuid.openapi({ param: { name: 'unitId', in: 'path' } }),
});
const Phase = z.enum(['REPORTING', 'DOSSIERS_SENT', 'IN_SESSION', 'PUBLISHED', 'CLOSED']);
const DirectionStatus = z.enum(['open', 'in-progress', 'done']);
const PlanDecision = z.enum(['approved', 'adjusted']);
const Text = (max: number) =>
  z
    .string()
    .max(max * 2)
    .transform((s) => s.replace(/\r\n?/g, '\n').normalize('NFC').trim())
    .pipe(z.string().max(max, { message: 'TEXT_TOO_LONG' }));
const LocalDate = z.iso.date();

const SessionListOut = z
  .object({
    sessions: z.array(
      z.object({
        session: z.string(),
        sessionDate: LocalDate.nullable(),
        dossierDate: LocalDate.nullable(),
        conclusionsDue: LocalDate.nullable(),
        phase: Phase.nullable(),
        unitCount: z.number().int(),
        reportedCount: z.number().int(),
        concludedCount: z.number().int(),
      }),
    ),
  })
  .openapi('GiaoBanSessions');

const DirectionOutSchema = z
  .object({
    id: z.string(),
    session: z.string(),
    unitId: z.string(),
    unitName: z.string(),
    ordinal: z.number().int(),
    text: z.string(),
    dueDate: LocalDate.nullable(),
    status: DirectionStatus,
    note: z.string().nullable(),
  })
  .openapi('GiaoBanDirection');

const UnitRow = z
  .object({
    unitId: z.string(),
    unitName: z.string(),
    report: z.object({
      status: z.enum(['sent', 'late', 'missing']),
      sentAt: z.string().nullable(),
      dueDate: LocalDate.nullable(),
    }),
    dossierUrl: z.string().nullable(),
    conclusion: z
      .object({
        completionLevel: z.enum(COMPLETION_LEVELS),
        summary: z.string(),
        planDecision: PlanDecision.nullable(),
        planNote: z.string().nullable(),
        directions: z.array(z.object({ text: z.string(), dueDate: LocalDate.nullable() })),
        revision: z.number().int(),
      })
      .nullable(),
    directions: z.array(DirectionOutSchema),
  })
  .openapi('GiaoBanUnit');

const SessionOut = z
  .object({
    session: z.string(),
    provinceId: z.string(),
    provinceName: z.string(),
    phase: Phase.nullable(),
    sessionDate: LocalDate.nullable(),
    dossierDate: LocalDate.nullable(),
    conclusionsDue: LocalDate.nullable(),
    dossiersSentAt: z.string().nullable(),
    publishedAt: z.string().nullable(),
    canConclude: z.boolean(),
    canPublish: z.boolean().openapi({
      description:
        'The caller may publish in this phase (the secretariat, in session); the publication is refused while missingConclusions is not empty',
    }),
    missingConclusions: z.array(z.string()).openapi({
      description:
        'For whoever may publish: the names of the agenda units with no conclusion yet (agenda order)',
    }),
    planDecisions: z
      .boolean()
      .openapi({ description: 'Conclusions decide the next-quarter draft plans (Q1–Q3)' }),
    minutesUrl: z.string().nullable(),
    units: z.array(UnitRow),
  })
  .openapi('GiaoBanSession');

const ConclusionIn = z
  .object({
    completionLevel: z.enum(COMPLETION_LEVELS),
    summary: Text(8000).pipe(z.string().min(1, { message: 'GIAO_BAN_SUMMARY_REQUIRED' })),
    directions: z
      .array(
        z.object({
          text: Text(2000).pipe(z.string().min(1, { message: 'GIAO_BAN_DIRECTION_TEXT_REQUIRED' })),
          dueDate: LocalDate.nullable().optional(),
        }),
      )
      .max(50),
    planDecision: PlanDecision.nullable().optional(),
    planNote: Text(4000).nullable().optional(),
  })
  .openapi('GiaoBanConclusionIn');

const PublishIn = z.object({}).openapi('GiaoBanPublishIn');
const PublishOut = z.object({ publishedAt: z.string() }).openapi('GiaoBanPublished');
const ReportIn = z
  .object({
    status: z.enum(['in-progress', 'done']),
    note: Text(4000),
    onBehalfOf: uuid.optional().openapi({ description: 'The unit head a delegate acts for' }),
  })
  .openapi('GiaoBanDirectionReport');

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const sha = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32);
const sessionResource = (provinceId: string): Resource => ({ path: [provinceId], tier: 'unit' });
const unitResource = (provinceId: string, unitId: string): Resource => ({
  path: [provinceId, unitId],
  tier: 'unit',
});
const dossierUrl = (session: string, unitId: string) =>
  `/api/giao-ban/${encodeURIComponent(session)}/units/${encodeURIComponent(unitId)}/dossier.pdf`;
const directionOut = (d: DirectionOut) => ({
  id: d.id,
  session: d.session,
  unitId: d.unitId,
  unitName: d.unitName,
  ordinal: d.ordinal,
  text: d.text,
  dueDate: d.dueDate,
  status: d.status,
  note: d.note,
});

/** Maps a refusal of the workflow (its validator's code prefix) to the route's problem. */
function refusalProblem(message: string, missing: () => { unitId: string; unitName: string }[]): Error {
  const m = message;
  if (m.startsWith(GIAO_BAN_REFUSAL.alreadyPublished)) return giaoBanAlreadyPublished();
  if (m.startsWith(GIAO_BAN_REFUSAL.notInSession)) return giaoBanNotInSession();
  if (m.startsWith(GIAO_BAN_REFUSAL.conclusionsMissing)) return giaoBanConclusionsMissing(missing());
  if (m.startsWith(GIAO_BAN_REFUSAL.unknownUnit)) return giaoBanUnknownUnit();
  if (m.startsWith(GIAO_BAN_REFUSAL.unknownDirection)) return giaoBanDirectionNotFound();
  if (m.startsWith(GIAO_BAN_REFUSAL.directionDone)) return giaoBanDirectionDone();
  if (m.startsWith(GIAO_BAN_REFUSAL.notFollowUp)) return giaoBanNotInFollowUp();
  if (m.startsWith(GIAO_BAN_REFUSAL.notUnitHead)) return forbidden('NOT_UNIT_HEAD');
  if (m.startsWith(GIAO_BAN_REFUSAL.planDecision)) return giaoBanPlanDecision(m, m);
  return rule(422, 'UPDATE_REJECTED', m, m);
}

export function giaoBanRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const { acting: directionActing } = delegableAction(db, now, 'giao-ban.direction.report');
  const app = contentApp();

  /** The units of `units` the caller may read, and whether they read the whole province (session level). */
  async function visible(c: Context<AuthzEnv>, provinceId: string, units: { unitId: string }[]) {
    const all = await allowed(c, db, 'giao-ban.read', sessionResource(provinceId));
    const ids = new Set<string>();
    for (const u of units)
      if (all || (await allowed(c, db, 'giao-ban.read', unitResource(provinceId, u.unitId))))
        ids.add(u.unitId);
    return { all, ids };
  }

  /** The caller's province: the first province of their grants where they read a giao ban row; else 403. */
  async function callerProvince(c: Context<AuthzEnv>): Promise<string> {
    const grants = c.get('actor')?.grants ?? [];
    const provinces = await provincesOfUnits(
      db,
      grants.map((g) => g.scopeUnitId),
    );
    for (const p of provinces) {
      if (await allowed(c, db, 'giao-ban.read', sessionResource(p))) return p;
      const ownUnits = await db
        .selectFrom('org_unit')
        .select('id')
        .where('parent_id', '=', p)
        .where('id', '!=', p)
        .execute();
      for (const u of ownUnits) if (await allowed(c, db, 'giao-ban.read', unitResource(p, u.id))) return p;
    }
    throw forbidden(provinces.length ? 'NO_GRANT' : 'TIER');
  }

  async function infoOf(provinceId: string, session: string): Promise<SessionInfo> {
    const info = await sessionInfo(db, provinceId, session);
    if (!info) throw giaoBanSessionNotFound();
    return info;
  }

  async function unitRows(info: SessionInfo, ids: Set<string>) {
    const units = (await sessionUnits(db, info, todayVn(now()))).filter((u) => ids.has(u.unitId));
    const reports = await reportStatusesOf(
      db,
      info.provinceId,
      info.session,
      units.map((u) => u.unitId),
    );
    const conclusions = await conclusionsOf(db, info.provinceId, info.session);
    const directions = await directionsOfSession(db, info.provinceId, info.session);
    const dossiers = await dossierUnits(db, info.provinceId, info.session);
    return units.map((u) => {
      const r = reports.get(u.unitId);
      return {
        unitId: u.unitId,
        unitName: u.unitName,
        report: {
          status: r?.status ?? ('missing' as const),
          sentAt: iso(r?.sentAt ?? null),
          dueDate: r?.dueDate ?? null,
        },
        dossierUrl: dossiers.has(u.unitId) ? dossierUrl(info.session, u.unitId) : null,
        conclusion: conclusions.get(u.unitId) ?? null,
        directions: directions.filter((d) => d.unitId === u.unitId).map(directionOut),
      };
    });
  }

  async function missingOf(info: SessionInfo) {
    const conclusions = await conclusionsOf(db, info.provinceId, info.session);
    return (info.agenda ?? []).filter((u) => !conclusions.has(u.unitId));
  }

  const routed = app
    .openapi(
      createRoute({
        method: 'get',
        path: '/giao-ban/directions',
        tags,
        summary:
          "A unit's giao ban directions over all sessions (newest first), with their status: for the unit's leadership and the province's levels",
        middleware: [requires('giao-ban.read')],
        request: { query: z.object({ unitId: uuid }) },
        responses: { 200: jsonOk(z.object({ directions: z.array(DirectionOutSchema) })), ...errorResponses },
      }),
      async (c) => {
        const { unitId } = c.req.valid('query');
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        await check(c, db, {
          path,
          tier: path.length === 2 ? 'unit' : path.length === 1 ? 'province' : 'internal',
        });
        return c.json({ directions: (await directionsOfUnit(db, unitId)).map(directionOut) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/giao-ban/directions/{id}/report',
        tags,
        summary:
          "The unit head (or their delegate, onBehalfOf) reports on a direction of a published giao ban: in progress or done, with a note; 'done' closes the direction's task. 409 GIAO_BAN_NOT_IN_FOLLOW_UP outside the follow-up, 409 GIAO_BAN_DIRECTION_DONE; a repeated Idempotency-Key is applied once",
        middleware: [requires('giao-ban.direction.report')],
        request: {
          params: z.object({ id: uuid.openapi({ param: { name: 'id', in: 'path' } }) }),
          headers: idempotencyHeader,
          body: jsonBody(ReportIn),
        },
        responses: { 200: jsonOk(DirectionOutSchema), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const d = await directionById(db, id);
        if (!d) {
          markChecked(c);
          throw giaoBanDirectionNotFound();
        }
        const acting = await directionActing(c, me, unitResource(d.provinceId, d.unitId), body.onBehalfOf);
        if (d.phase !== 'PUBLISHED') throw giaoBanNotInFollowUp();
        if (d.status === 'done') throw giaoBanDirectionDone();
        const wid = giaoBanWorkflowId(d.provinceId, d.session);
        const updateId = `direction:${updateIdOf(
          c.req.header('idempotency-key'),
          `${id}:${sha([body.status, body.note, acting, d.updatedAt.toISOString()])}`,
        )}`;
        const refused = await withTemporal(
          deps.temporal,
          async (client) => {
            try {
              await client.workflow.getHandle(wid).executeUpdate(reportGiaoBanDirection, {
                args: [{ directionId: id, status: body.status, note: body.note, ...acting }],
                updateId,
              });
              return undefined;
            } catch (e) {
              if (e instanceof WorkflowUpdateFailedError)
                return String((e.cause as Error | undefined)?.message ?? e.message);
              throw e;
            }
          },
          deps.plans?.updateDeadlineMs,
        );
        if (refused !== undefined) throw refusalProblem(refused, () => []);
        const after = await directionById(db, id);
        return c.json(directionOut(after ?? d), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/giao-ban',
        tags,
        summary:
          "The giao ban sessions of a year in the caller's province (Q1, Q2, Q3, the December year-end review, Q4 in January), with their phase (null before the workflow starts: dates from the calendar) and counts over the units the caller may read",
        middleware: [requires('giao-ban.read')],
        request: { query: z.object({ year: z.coerce.number().int().min(2000).max(2200) }) },
        responses: { 200: jsonOk(SessionListOut), ...errorResponses },
      }),
      async (c) => {
        const { year } = c.req.valid('query');
        const provinceId = await callerProvince(c);
        markChecked(c);
        const sessions = [];
        for (const session of sessionsOfYear(year)) {
          const info = await infoOf(provinceId, session);
          const units = await sessionUnits(db, info, todayVn(now()));
          const { ids } = await visible(c, provinceId, units);
          const mine = units.filter((u) => ids.has(u.unitId)).map((u) => u.unitId);
          const reports = await reportStatusesOf(db, provinceId, session, mine);
          const conclusions = await conclusionsOf(db, provinceId, session);
          sessions.push({
            session,
            sessionDate: info.dates?.sessionDate ?? null,
            dossierDate: info.dates?.dossierDate ?? null,
            conclusionsDue: info.dates?.conclusionsDue ?? null,
            phase: info.phase,
            unitCount: mine.length,
            reportedCount: mine.filter((u) => reports.get(u)?.status !== 'missing').length,
            concludedCount: mine.filter((u) => conclusions.has(u)).length,
          });
        }
        return c.json({ sessions }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/giao-ban/{session}',
        tags,
        summary:
          "A giao ban session of the caller's province: its phase and dates, and per unit the quarterly report's status (sent, late, missing), the dossier link, the conclusion and the directions — every unit for the province's levels, only their own unit's row for a unit's leadership",
        middleware: [requires('giao-ban.read')],
        request: { params: SessionParam },
        responses: { 200: jsonOk(SessionOut), ...errorResponses },
      }),
      async (c) => {
        const { session } = c.req.valid('param');
        const provinceId = await callerProvince(c);
        markChecked(c);
        const info = await infoOf(provinceId, session);
        const units = await sessionUnits(db, info, todayVn(now()));
        const { ids } = await visible(c, provinceId, units);
        const rows = await unitRows(info, ids);
        const mayConclude =
          info.phase === 'IN_SESSION' &&
          (await allowed(c, db, 'giao-ban.conclude', sessionResource(provinceId)));
        return c.json(
          {
            session,
            provinceId,
            provinceName: info.provinceName,
            phase: info.phase,
            sessionDate: info.dates?.sessionDate ?? null,
            dossierDate: info.dates?.dossierDate ?? null,
            conclusionsDue: info.dates?.conclusionsDue ?? null,
            dossiersSentAt: iso(info.dossiersSentAt),
            publishedAt: iso(info.publishedAt),
            canConclude: mayConclude,
            canPublish: mayConclude,
            missingConclusions: mayConclude ? (await missingOf(info)).map((m) => m.unitName) : [],
            planDecisions: sessionDecidesPlans(session),
            minutesUrl: info.hasMinutes ? `/api/giao-ban/${encodeURIComponent(session)}/minutes.pdf` : null,
            units: rows,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/giao-ban/{session}/units/{unitId}/dossier.pdf',
        tags,
        summary:
          "A unit's giao ban dossier as frozen on the dossier day (PDF attachment; ETag its sha256); 404 GIAO_BAN_DOSSIER_NOT_READY before",
        middleware: [requires('giao-ban.read')],
        request: { params: SessionUnitParam },
        responses: {
          200: {
            description: 'The dossier PDF',
            content: { [PDF_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { session, unitId } = c.req.valid('param');
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        const provinceId = path[0]!;
        await check(c, db, path.length === 2 ? unitResource(provinceId, unitId) : { path, tier: 'internal' });
        const info = await infoOf(provinceId, session);
        const file = await dossierPdf(db, provinceId, session, unitId);
        if (!file) throw giaoBanDossierNotReady();
        const unit = (info.agenda ?? []).find((u) => u.unitId === unitId)?.unitName ?? unitId;
        return c.body(new Uint8Array(file.pdf), 200, {
          'Content-Type': PDF_TYPE,
          'Content-Length': String(file.pdf.byteLength),
          'Content-Disposition': attachmentDisposition(
            `Hồ sơ giao ban ${session} - ${unit.replace(/[\\/:*?"<>|]/g, ' ')}.pdf`,
          ),
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'private, no-store',
          ETag: `"${file.sha256}"`,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/giao-ban/{session}/minutes.pdf',
        tags,
        summary:
          "The published minutes (conclusions and directions) of a giao ban of the caller's province, as a PDF attachment (ETag its sha256): for every participant — the province's levels and the leadership of a unit on its agenda; 404 GIAO_BAN_MINUTES_NOT_READY before publishing",
        middleware: [requires('giao-ban.read')],
        request: { params: SessionParam },
        responses: {
          200: {
            description: 'The minutes PDF',
            content: { [PDF_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { session } = c.req.valid('param');
        const provinceId = await callerProvince(c);
        const info = await infoOf(provinceId, session);
        const { ids } = await visible(c, provinceId, info.agenda ?? []);
        if (!(await allowed(c, db, 'giao-ban.read', sessionResource(provinceId))) && ids.size === 0)
          throw forbidden('TIER');
        markChecked(c);
        const file = await minutesPdf(db, provinceId, session);
        if (!file) throw giaoBanMinutesNotReady();
        return c.body(new Uint8Array(file.pdf), 200, {
          'Content-Type': PDF_TYPE,
          'Content-Length': String(file.pdf.byteLength),
          'Content-Disposition': attachmentDisposition(
            `Kết luận giao ban ${session} - ${info.provinceName}.pdf`,
          ),
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'private, no-store',
          ETag: `"${file.sha256}"`,
        });
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/giao-ban/{session}/units/{unitId}/conclusion',
        tags,
        summary:
          "The province's secretariat records (or revises, until published) a unit's conclusion: completion level, summary, directions and — Q1–Q3 sessions — the decision on the unit's next-quarter draft plan (a note required when adjusted). 409 GIAO_BAN_NOT_IN_SESSION outside the session, 409 GIAO_BAN_ALREADY_PUBLISHED, 404 GIAO_BAN_UNKNOWN_UNIT, 422 GIAO_BAN_PLAN_DECISION; a repeated Idempotency-Key is applied once",
        middleware: [requires('giao-ban.conclude')],
        request: {
          params: SessionUnitParam,
          headers: idempotencyHeader,
          body: jsonBody(ConclusionIn),
        },
        responses: { 200: jsonOk(UnitRow), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { session, unitId } = c.req.valid('param');
        const body = c.req.valid('json');
        const path = (await loadPath(db, unitId)).map((n) => n.id);
        const provinceId = path[0]!;
        await check(c, db, sessionResource(provinceId));
        const info = await infoOf(provinceId, session);
        if (info.phase === 'PUBLISHED' || info.phase === 'CLOSED') throw giaoBanAlreadyPublished();
        if (info.phase !== 'IN_SESSION') throw giaoBanNotInSession();
        if (!(info.agenda ?? []).some((u) => u.unitId === unitId)) throw giaoBanUnknownUnit();
        const planDecision = body.planDecision ?? null;
        const planNote = body.planNote ? body.planNote : null;
        if (planDecision !== null && !sessionDecidesPlans(session))
          throw giaoBanPlanDecision(
            'Phiên giao ban này không quyết định kế hoạch quý sau.',
            "This session does not decide the next quarter's plans.",
          );
        if (planDecision === 'adjusted' && !planNote)
          throw giaoBanPlanDecision(
            'Cần ghi rõ nội dung điều chỉnh kế hoạch quý sau.',
            'An adjusted plan needs a note saying what is adjusted.',
          );
        const args = {
          unitId,
          completionLevel: body.completionLevel,
          summary: body.summary,
          directions: body.directions.map((d) => ({ text: d.text, dueDate: d.dueDate ?? null })),
          planDecision,
          planNote,
          by: me,
        };
        const current = (await conclusionsOf(db, provinceId, session)).get(unitId)?.revision ?? 0;
        const wid = giaoBanWorkflowId(provinceId, session);
        const updateId = `conclusion:${updateIdOf(c.req.header('idempotency-key'), `${wid}:${unitId}:${current}:${sha(args)}`)}`;
        const refused = await withTemporal(
          deps.temporal,
          async (client) => {
            try {
              await client.workflow
                .getHandle(wid)
                .executeUpdate(recordGiaoBanConclusion, { args: [args], updateId });
              return undefined;
            } catch (e) {
              if (e instanceof WorkflowUpdateFailedError)
                return String((e.cause as Error | undefined)?.message ?? e.message);
              throw e;
            }
          },
          deps.plans?.updateDeadlineMs,
        );
        if (refused !== undefined) throw refusalProblem(refused, () => []);
        const [row] = await unitRows(await infoOf(provinceId, session), new Set([unitId]));
        return c.json(row!, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/giao-ban/{session}/publish',
        tags,
        summary:
          "The province's secretariat publishes the conclusions: the minutes are frozen (PDF), each direction becomes a task of its unit's head, everyone is notified. 409 GIAO_BAN_CONCLUSIONS_MISSING with the units lacking a conclusion (details.missing), 409 GIAO_BAN_NOT_IN_SESSION, 409 GIAO_BAN_ALREADY_PUBLISHED; a repeated Idempotency-Key is applied once",
        middleware: [requires('giao-ban.conclude')],
        request: { params: SessionParam, headers: idempotencyHeader, body: jsonBody(PublishIn) },
        responses: { 200: jsonOk(PublishOut), ...errorResponses, 503: unavailableResponse },
      }),
      async (c) => {
        const me = actorId(c);
        const { session } = c.req.valid('param');
        const provinceId = await callerProvince(c);
        await check(c, db, sessionResource(provinceId));
        const info = await infoOf(provinceId, session);
        const wid = giaoBanWorkflowId(provinceId, session);
        const updateId = `publish:${updateIdOf(c.req.header('idempotency-key'), wid)}`;
        if (info.phase === 'PUBLISHED' || info.phase === 'CLOSED') {
          // A repeated request answers the publication; a new one is refused.
          if (c.req.header('idempotency-key') === undefined && info.publishedAt)
            throw giaoBanAlreadyPublished();
        } else {
          if (info.phase !== 'IN_SESSION') throw giaoBanNotInSession();
          const missing = await missingOf(info);
          if (missing.length) throw giaoBanConclusionsMissing(missing);
        }
        const outcome: { ok: PublishGiaoBanResult } | { refused: string } = await withTemporal(
          deps.temporal,
          async (client) => {
            try {
              return {
                ok: await client.workflow
                  .getHandle(wid)
                  .executeUpdate(publishGiaoBanConclusions, { args: [{ by: me }], updateId }),
              };
            } catch (e) {
              if (e instanceof WorkflowUpdateFailedError)
                return { refused: String((e.cause as Error | undefined)?.message ?? e.message) };
              throw e;
            }
          },
          deps.plans?.updateDeadlineMs,
        );
        if ('refused' in outcome) {
          const missing = await missingOf(await infoOf(provinceId, session));
          throw refusalProblem(outcome.refused, () => missing);
        }
        return c.json({ publishedAt: outcome.ok.publishedAt }, 200);
      },
    );
  return routed;
}
