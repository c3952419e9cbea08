// The plan-year calendar of a calendar profile and the administrator's moves of its deadlines (DESIGN §3:
// every date is configurable per province). A move is content (saved and audited here) whose effect on
// running plans is a process transition: the calendar-change workflow sends each one the moveDeadlines Update.
import { createRoute } from '@hono/zod-openapi';
import { loadCalendarProfile } from '../../../db/queries/calendar.ts';
import { movesOfYear, removeMove, saveMove } from '../../../db/queries/deadline-moves.ts';
import { computePlanYearCalendar, type PlanYearCalendar } from '../../../domain/calendar/plan-year.ts';
import { check, requires } from '../../authz/middleware.ts';
import { provinceResource } from '../../authz/resources.ts';
import {
  codeText,
  contentApp,
  errorResponses,
  isoDate,
  jsonBody,
  jsonOk,
  plainText,
  z,
} from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { movesByYear, recordChange, startPending } from './calendar-propagation.ts';
import { actorId, audit, rule } from './common.ts';

const tags = ['calendar-profiles'];
const Params = z.object({
  id: codeText(64).openapi({ param: { name: 'id', in: 'path' } }),
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2200)
    .openapi({ param: { name: 'year', in: 'path' } }),
});
const DeadlineParams = Params.extend({
  deadlineId: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9.-]*$/, { message: 'CODE_INVALID' })
    .openapi({ param: { name: 'deadlineId', in: 'path' } }),
});

const DeadlineOut = z
  .object({
    id: z.string(),
    kind: z.string(),
    period: z.string().nullable(),
    /** The rule's date (or the administrator's) before moving to a working day. */
    nominalDate: z.string(),
    /** The due date by the rules alone (no administrator's move). */
    ruleDate: z.string(),
    /** The due date in force. */
    date: z.string(),
    origin: z.enum(['rule', 'derived', 'override']),
    move: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  })
  .openapi('PlanYearDeadline');
const PlanYearOut = z
  .object({ profileId: z.string(), year: z.number().int(), deadlines: z.array(DeadlineOut) })
  .openapi('PlanYearCalendar');
const MoveBody = z
  .object({
    /** The new date (yyyy-mm-dd, moved to a working day by the calendar), or null to restore the rule's date. */
    date: isoDate.nullable(),
    reason: plainText(500).pipe(z.string().trim().min(1, { message: 'TEXT_REQUIRED' })),
  })
  .strict()
  .openapi('MoveDeadline');
const MoveOut = z
  .object({
    calendar: PlanYearOut,
    /** The workflow carrying the change to running plans (null: none is running in that year). */
    propagationWorkflowId: z.string().nullable(),
  })
  .openapi('DeadlineMoved');

const profileNotFound = () =>
  rule(404, 'CALENDAR_PROFILE_NOT_FOUND', 'Không tìm thấy hồ sơ lịch.', 'Calendar profile not found.');
const deadlineNotFound = (id: string, year: number) =>
  rule(
    404,
    'DEADLINE_NOT_FOUND',
    `Lịch năm kế hoạch ${year} không có hạn "${id}".`,
    `The ${year} plan-year calendar has no deadline "${id}".`,
  );

async function view(db: ApiDeps['db'], profileId: string, year: number) {
  const stored = await loadCalendarProfile(db, profileId);
  if (!stored) throw profileNotFound();
  const moves = await movesOfYear(db, profileId, year);
  const calendar: PlanYearCalendar = computePlanYearCalendar(
    stored.profile,
    year,
    undefined,
    Object.fromEntries(moves.map((m) => [m.deadline_id, m.to_date])),
  );
  const byId = new Map(moves.map((m) => [m.deadline_id, m]));
  const rules = new Map(computePlanYearCalendar(stored.profile, year).deadlines.map((d) => [d.id, d.date]));
  return {
    stored,
    calendar,
    dto: {
      profileId,
      year,
      deadlines: calendar.deadlines.map((d) => {
        const m = byId.get(d.id);
        return {
          id: d.id,
          kind: d.kind,
          period: d.period ?? null,
          nominalDate: d.nominalDate,
          ruleDate: rules.get(d.id) ?? d.date,
          date: d.date,
          origin: d.origin,
          move: m ? { reason: m.reason, by: m.moved_by, at: m.moved_at.toISOString() } : null,
        };
      }),
    },
  };
}

export function planYearCalendarRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}/plan-years/{year}',
        tags,
        summary: "A plan year's deadlines under a calendar profile, with the administrator's moves",
        middleware: [requires('calendar.profile.read')],
        request: { params: Params },
        responses: { 200: jsonOk(PlanYearOut), ...errorResponses },
      }),
      async (c) => {
        const { id, year } = c.req.valid('param');
        const v = await view(db, id, year);
        await check(
          c,
          db,
          v.stored.provinceId
            ? await provinceResource(db, v.stored.provinceId)
            : { path: [], tier: 'province' },
        );
        return c.json(v.dto, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}/plan-years/{year}/deadlines/{deadlineId}',
        tags,
        summary:
          'Move one deadline of a plan year (or restore the rule’s date with null), with a reason; running plans are told by an Update',
        middleware: [requires('calendar.profile.manage')],
        request: { params: DeadlineParams, body: jsonBody(MoveBody) },
        responses: { 200: jsonOk(MoveOut), ...errorResponses },
      }),
      async (c) => {
        const { id, year, deadlineId } = c.req.valid('param');
        const b = c.req.valid('json');
        const before = await view(db, id, year);
        // a national profile (no province) is not editable here: nobody's grant reaches path []
        await check(
          c,
          db,
          before.stored.provinceId
            ? await provinceResource(db, before.stored.provinceId)
            : { path: [], tier: 'province' },
        );
        const old = before.dto.deadlines.find((d) => d.id === deadlineId);
        if (!old) throw deadlineNotFound(deadlineId, year);
        if (b.date !== null && (b.date < `${year - 1}-07-01` || b.date > `${year + 1}-06-30`))
          throw rule(
            422,
            'DEADLINE_OUT_OF_YEAR',
            `Ngày ${b.date} nằm ngoài lịch của năm kế hoạch ${year} (01/07/${year - 1} – 30/06/${year + 1}).`,
            `${b.date} is outside the ${year} plan-year calendar (${year - 1}-07-01 – ${year + 1}-06-30).`,
          );
        const by = actorId(c);
        const province = before.stored.provinceId;
        const beforeMoves = province ? await movesByYear(db, id, [year]) : {};
        const propagationWorkflowId = await db.transaction().execute(async (trx) => {
          if (b.date === null) await removeMove(trx, { profileId: id, year, deadlineId });
          else await saveMove(trx, { profileId: id, year, deadlineId, to: b.date, reason: b.reason, by });
          await audit(
            trx,
            c,
            'calendar_profile',
            id,
            b.date === null ? 'calendar_profile.deadline_restored' : 'calendar_profile.deadline_moved',
            { year, deadlineId, date: old.date, nominalDate: old.nominalDate, origin: old.origin },
            { year, deadlineId, date: b.date, reason: b.reason },
          );
          return province
            ? recordChange(trx, {
                provinceId: province,
                years: [year],
                by,
                reason: b.reason,
                before: { profile: before.stored.profile, movesByYear: beforeMoves },
              })
            : null;
        });
        if (province) await startPending(deps, province);
        const after = await view(db, id, year);
        return c.json({ calendar: after.dto, propagationWorkflowId }, 200);
      },
    );
}
