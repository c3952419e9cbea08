// Escalations (issue 6, point 5; DESIGN §1 tiered rule, §3 ladder): the open items that are overdue or
// escalated, as the tiered rule lets the caller see them — a supervisor the individual items of the people of
// their department, a unit head the whole unit's, the province (secretariat, standing committee, …) the
// unit-level items and the unit heads' own items in full and individuals' lateness only as counts per unit,
// never their names. Each row: who, what, since when (due date, working days overdue on the province's
// calendar profile), at which level (escalation level, last escalated recipient). A nudge is an in-app
// notification and an outbox e-mail to the item's assignee (the content path, audited), once per task per day.
import { createRoute } from '@hono/zod-openapi';
import { calendarProfileOfProvince } from '../../db/queries/calendar.ts';
import {
  type EscalationCandidate,
  escalationCandidates,
  escalationKinds,
  escalationUnitCounts,
  headsAmong,
  lockAndCheckNudged,
  nudgedOn,
  nudgeKeyPrefix,
} from '../../db/queries/escalations.ts';
import { holdersOfRole, unitAncestry } from '../../db/queries/org.ts';
import { provincesOf, topUnitsOf } from '../../db/queries/org-tree.ts';
import { enqueueMail, notify } from '../../db/queries/outbox.ts';
import { getTask } from '../../db/queries/tasks.ts';
import type { RoleCode } from '../../db/schema.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { type WorkingCalendar, workingCalendar } from '../../domain/calendar/working-days.ts';
import { allowed, check, markChecked, requires } from '../authz/middleware.ts';
import type { Resource } from '../authz/policy.ts';
import { loadPath } from '../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { actorId, audit, rule } from './admin/common.ts';

const tags = ['escalations'];

/** What a task kind is, in both languages (the nudge's text; the screens use the web catalogues). */
const KIND_TEXT: Record<string, { vi: string; en: string }> = {
  'check-in.submit': { vi: 'Báo cáo kết quả tháng', en: 'Monthly check-in' },
  'check-in.revise': { vi: 'Sửa và nộp lại báo cáo kết quả tháng', en: 'Revise and resubmit the check-in' },
  'check-in.verify': { vi: 'Xác nhận báo cáo kết quả tháng', en: 'Verify the monthly check-in' },
  'plan.submit': { vi: 'Nộp kế hoạch', en: 'Submit the plan' },
  'plan.revise': { vi: 'Sửa và nộp lại kế hoạch', en: 'Revise and resubmit the plan' },
  'plan.appraise': { vi: 'Thẩm định kế hoạch', en: 'Appraise the plan' },
  'plan.decide': { vi: 'Phê duyệt kế hoạch', en: 'Decide on the plan' },
};
const kindText = (kind: string) => KIND_TEXT[kind] ?? { vi: 'Việc được giao', en: 'Assigned task' };
const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

const Level = z.object({
  /** The task's escalation level (0 none, 1 supervisor, 2 unit head, 3 heads' manager, 4 secretariat, …). */
  rank: z.number().int(),
  /** The recipient role of the last escalation ('supervisor', 'unit-head', 'secretariat', …), if any. */
  escalatedTo: z.string().nullable(),
  escalatedAt: z.string().nullable(),
});
const EscalationItem = z
  .object({
    taskId: z.string(),
    kind: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    period: z.string().nullable(),
    tier: z.enum(['unit', 'internal']).openapi({
      description: "'unit': a unit-level item or a unit head's own; 'internal': an individual's item",
    }),
    assignee: z.object({
      personId: z.string().nullable(),
      name: z.string().nullable(),
      role: z.string().nullable(),
      unitId: z.string().nullable(),
    }),
    person: z.object({ id: z.string(), name: z.string() }).nullable().openapi({
      description: 'The person the item is about (a check-in’s person), when it is about one',
    }),
    unit: z.object({ id: z.string(), code: z.string(), name: z.string() }).nullable(),
    dueDate: z.string(),
    overdue: z.boolean(),
    workingDaysOverdue: z.number().int(),
    level: Level,
    link: z.string().openapi({ description: "The item's own screen, where the reader acts on it" }),
    nudgedToday: z.boolean(),
    canNudge: z.boolean(),
  })
  .openapi('EscalationItem');
const UnitCount = z
  .object({
    unitId: z.string(),
    code: z.string(),
    name: z.string(),
    overdue: z.number().int(),
    escalated: z.number().int(),
  })
  .openapi('EscalationUnitCount');
const Escalations = z
  .object({
    day: z.string(),
    items: z.array(EscalationItem),
    /** Individuals' overdue items per unit, for the province (never their names). */
    unitCounts: z.array(UnitCount),
    kinds: z.array(z.string()),
    nextCursor: z.string().nullable().openapi({
      description: 'The cursor of the next page of items (keyset: due date, task id), null on the last page',
    }),
  })
  .openapi('Escalations');

/** A page of items is at most this long; the default. */
const PAGE_MAX = 500;
const PAGE_DEFAULT = 200;
/** Candidates are read in batches of this size until a page is full. */
const BATCH = 500;
const encodeCursor = (r: { dueDate: string; taskId: string }) =>
  Buffer.from(`${r.dueDate}|${r.taskId}`, 'utf8').toString('base64url');
function decodeCursor(text: string): { dueDate: string; taskId: string } {
  const raw = Buffer.from(text, 'base64url').toString('utf8');
  const at = raw.indexOf('|');
  const dueDate = raw.slice(0, at);
  const taskId = raw.slice(at + 1);
  if (at !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || taskId === '' || taskId.length > 200)
    throw new ApiProblem({
      status: 400,
      code: 'CURSOR_INVALID',
      vi: 'Con trỏ trang không hợp lệ.',
      en: 'The page cursor is not valid.',
    });
  return { dueDate, taskId };
}

const EscalationsQuery = z.object({
  kind: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9._-]*$/, { message: 'CODE_INVALID' })
    .optional(),
  level: z.enum(['overdue', 'supervisor', 'unit-head', 'province']).optional().openapi({
    description:
      "'overdue': not escalated yet; 'supervisor' / 'unit-head': escalated to that level; 'province': to the heads' manager or above",
  }),
  cursor: z.string().max(400).optional().openapi({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(PAGE_MAX).optional().openapi({ example: PAGE_DEFAULT }),
});

const NudgeBody = z
  .object({ message: z.string().trim().max(500).optional() })
  .strict()
  .openapi('EscalationNudge');
const Nudged = z
  .object({ taskId: z.string(), recipients: z.number().int(), day: z.string() })
  .openapi('EscalationNudged');

const taskNotFound = () =>
  rule(404, 'TASK_NOT_FOUND', 'Không tìm thấy việc này.', 'This task does not exist.');
const notEscalated = () =>
  rule(
    409,
    'TASK_NOT_OVERDUE',
    'Việc này không còn mở, không quá hạn và chưa được chuyển cấp trên; không cần nhắc.',
    'This task is not open, overdue or escalated; there is nothing to nudge.',
  );
const alreadyNudged = (day: string) =>
  new ApiProblem({
    status: 409,
    code: 'NUDGE_ALREADY_SENT',
    vi: `Việc này đã được nhắc hôm nay (${dmy(day)}); mỗi việc chỉ được nhắc một lần mỗi ngày.`,
    en: `This task was already nudged today (${dmy(day)}); a task can be nudged once a day.`,
    details: { day },
  });
const noRecipient = () =>
  rule(
    422,
    'NUDGE_NO_RECIPIENT',
    'Không có ai đang giữ vai trò được giao việc này để nhắc.',
    'Nobody currently holds the role this task is assigned to.',
  );

/** Where the reader acts on an item: the subject's own screen (a check-in as its verifiers read it, a plan's
 *  page); /tasks/{id} (the assignee's address of the task) only for anything else. */
function actLink(r: Pick<EscalationCandidate, 'subjectType' | 'subjectId' | 'taskId'>): string {
  if (r.subjectType === 'check_in') return `/check-ins/${encodeURIComponent(r.subjectId)}/verify`;
  if (r.subjectType === 'plan') return `/plans/${encodeURIComponent(r.subjectId)}`;
  if (r.subjectType === 'delegation') return '/account/delegation';
  return `/tasks/${encodeURIComponent(r.taskId)}`;
}

const rankOfLevel = (l: string | undefined) =>
  l === 'overdue' ? [0, 0] : l === 'supervisor' ? [1, 1] : l === 'unit-head' ? [2, 2] : [3, 99];

export function escalationRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();

  /** Where an item sits in the tiered rule: its unit's path and tier (a unit head's own item is unit-level). */
  async function placer(rows: EscalationCandidate[], day: string) {
    const heads = await headsAmong(
      db,
      [...new Set(rows.flatMap((r) => [r.personId, r.assigneePersonId].filter((x): x is string => !!x)))],
      day,
    );
    const paths = new Map<string, { id: string; code: string; name: string }[]>();
    const pathOf = async (unitId: string) => {
      let p = paths.get(unitId);
      if (!p) {
        p = (await unitAncestry(db, unitId))
          .reverse()
          .map((n) => ({ id: n.id, code: n.code, name: n.name_vi }));
        paths.set(unitId, p);
      }
      return p;
    };
    return async (r: EscalationCandidate) => {
      const headUnit = r.personId ? heads.get(r.personId) : undefined;
      const unitId = headUnit ?? r.unitId;
      if (!unitId) return undefined;
      const path = await pathOf(unitId);
      const individual = !!r.personId && !headUnit && path.length > 1;
      const tier: 'unit' | 'internal' = individual || (!r.personId && path.length > 2) ? 'internal' : 'unit';
      const assigneeIsHead = !!r.assigneePersonId && heads.has(r.assigneePersonId);
      return {
        path,
        tier,
        assigneeIsHead,
        resource: { path: path.map((n) => n.id), tier } satisfies Resource,
      };
    };
  }

  /** The working calendar of each province's profile, read once per request. */
  function calendars() {
    const cache = new Map<string, WorkingCalendar>();
    return async (provinceId: string): Promise<WorkingCalendar> => {
      let cal = cache.get(provinceId);
      if (!cal) {
        const stored = await calendarProfileOfProvince(db, provinceId);
        cal = workingCalendar(stored?.profile ?? DEFAULT_CALENDAR_PROFILE);
        cache.set(provinceId, cal);
      }
      return cal;
    };
  }

  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary:
          'Open overdue or escalated items I may see by the tiered rule (individual items inside the unit; unit-level and heads’ items at the province, with counts per unit of individuals’ overdue items)',
        middleware: [requires('escalation.read')],
        request: { query: EscalationsQuery },
        responses: { 200: jsonOk(Escalations), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        const q = c.req.valid('query');
        // May the caller read escalations anywhere? (one of their grants reaches its own scope)
        const grants = c.get('actor')?.grants ?? [];
        const scopes: Resource[] = [];
        for (const g of grants) {
          const path = (await loadPath(db, g.scopeUnitId)).map((n) => n.id);
          scopes.push({ path, tier: path.length === 1 ? 'unit' : 'internal' });
        }
        let any = false;
        for (const s of scopes) if (await allowed(c, db, 'escalation.read', s)) any = true;
        if (!any) await check(c, db, scopes[0] ?? { path: [], tier: 'internal' });
        markChecked(c);

        const day = vnLocalDate(now().getTime());
        const provinces = await provincesOf(
          db,
          grants.map((g) => g.scopeUnitId),
        );
        const provinceIds = [...new Set(provinces.values())];
        // who the caller reads: the provinces of their province-level grants (unit-level items, counts of
        // individuals') and the units of their grants inside a unit (that unit's items in full)
        const tops = await topUnitsOf(
          db,
          grants.map((g) => g.scopeUnitId),
        );
        const readProvinces: string[] = [];
        const readTops: string[] = [];
        for (const g of grants) {
          const pv = provinces.get(g.scopeUnitId);
          if (!pv) continue;
          if (g.scopeUnitId === pv) {
            if (await allowed(c, db, 'escalation.read', { path: [pv], tier: 'unit' })) readProvinces.push(pv);
            continue;
          }
          const top = tops.get(g.scopeUnitId);
          const path = (await loadPath(db, g.scopeUnitId)).map((n) => n.id);
          if (top && (await allowed(c, db, 'escalation.read', { path, tier: 'internal' })))
            readTops.push(top);
        }
        // counts and kinds over every task, in SQL (no cap)
        const [unitCounts, kinds] = await Promise.all([
          escalationUnitCounts(db, day, {
            provinceIds: [...new Set(readProvinces)],
            me,
            exceptTopUnits: [...new Set(readTops)],
          }),
          escalationKinds(db, day, {
            provinceIds: [...new Set(readProvinces)],
            topUnitIds: [...new Set(readTops)],
            me,
          }),
        ]);
        const calendarOf = calendars();
        const items: z.infer<typeof EscalationItem>[] = [];
        const [lo, hi] = rankOfLevel(q.level);
        const limit = q.limit ?? PAGE_DEFAULT;
        let after = q.cursor ? decodeCursor(q.cursor) : undefined;
        let nextCursor: string | null = null;
        // the items, a page at a time: read the candidates after the cursor in batches and keep those the caller
        // may see until the page is full (one more visible item tells there is a next page)
        scan: for (;;) {
          const rows = await escalationCandidates(db, day, {
            provinceIds,
            limit: BATCH,
            ...(after ? { after } : {}),
          });
          const place = await placer(rows, day);
          for (const r of rows) {
            after = { dueDate: r.dueDate, taskId: r.taskId };
            // one's own items (about oneself, or assigned to oneself) are in one's inbox
            if (r.personId === me || r.assigneePersonId === me) continue;
            if (q.kind && r.kind !== q.kind) continue;
            if (q.level && (r.escalationLevel < (lo ?? 0) || r.escalationLevel > (hi ?? 99))) continue;
            const at = await place(r);
            if (!at) continue;
            if (!(await allowed(c, db, 'escalation.read', at.resource))) continue;
            if (items.length === limit) {
              const last = items[items.length - 1];
              if (last) nextCursor = encodeCursor({ dueDate: last.dueDate, taskId: last.taskId });
              break scan;
            }
            // from the province (no reach inside the unit) an individual's name is never shown, even as the
            // assignee of a unit-level item; a unit head is unit-level data
            const insider = await allowed(c, db, 'escalation.read', { ...at.resource, tier: 'internal' });
            const showAssignee = insider || !r.assigneePersonId || at.assigneeIsHead;
            const cal = await calendarOf(at.path[0]?.id ?? '');
            const overdue = r.dueDate < day;
            const unit = at.path[at.path.length - 1];
            items.push({
              taskId: r.taskId,
              kind: r.kind,
              subjectType: r.subjectType,
              subjectId: r.subjectId,
              period: r.period,
              tier: at.tier,
              assignee: {
                personId: showAssignee ? r.assigneePersonId : null,
                name: showAssignee ? r.assigneeName : null,
                role: r.assigneeRole,
                unitId: r.assigneeUnitId,
              },
              person: r.personId && r.personName ? { id: r.personId, name: r.personName } : null,
              unit: unit ? { id: unit.id, code: unit.code, name: unit.name } : null,
              dueDate: r.dueDate,
              overdue,
              workingDaysOverdue: overdue ? Math.max(0, cal.workingDaysBetween(r.dueDate, day)) : 0,
              level: {
                rank: r.escalationLevel,
                escalatedTo: r.escalatedTo,
                escalatedAt: r.escalatedAt ? new Date(r.escalatedAt).toISOString() : null,
              },
              link: actLink(r),
              nudgedToday: false,
              canNudge: await allowed(c, db, 'escalation.nudge', {
                ...at.resource,
                ...(r.personId ? { subjectPersonId: r.personId } : {}),
              }),
            });
          }
          if (rows.length < BATCH) break;
        }
        const nudged = await nudgedOn(
          db,
          day,
          items.map((i) => i.taskId),
        );
        for (const i of items) i.nudgedToday = nudged.has(i.taskId);
        return c.json(
          {
            day,
            items,
            unitCounts,
            kinds,
            nextCursor,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/{taskId}/nudge',
        tags,
        summary:
          'Nudge the assignee of an overdue or escalated item: an in-app notification and an e-mail, once per task per day (409 NUDGE_ALREADY_SENT on a repeat)',
        middleware: [requires('escalation.nudge')],
        request: {
          params: z.object({
            taskId: z
              .string()
              .min(1)
              .max(300)
              .openapi({ param: { name: 'taskId', in: 'path' } }),
          }),
          body: jsonBody(NudgeBody),
        },
        responses: { 200: jsonOk(Nudged), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        const { taskId } = c.req.valid('param');
        const { message } = c.req.valid('json');
        const day = vnLocalDate(now().getTime());
        const task = await getTask(db, taskId);
        const [row] = task ? await escalationCandidates(db, day, { taskId, limit: 1 }) : [];
        const at = row ? await (await placer([row], day))(row) : undefined;
        if (!task || !row || !at) {
          markChecked(c);
          throw taskNotFound();
        }
        const resource: Resource = {
          ...at.resource,
          ...(row.personId ? { subjectPersonId: row.personId } : {}),
        };
        await check(c, db, resource, 'escalation.read');
        await check(c, db, resource);
        if (!row.open || (row.dueDate >= day && row.escalationLevel === 0)) throw notEscalated();
        const recipients = task.assignee_person_id
          ? [task.assignee_person_id]
          : task.assignee_role && task.assignee_unit_id
            ? (
                await holdersOfRole(
                  db,
                  task.assignee_role.replace(/-/g, '_') as RoleCode,
                  task.assignee_unit_id,
                  day,
                )
              ).map((p) => p.id)
            : [];
        const people = recipients.length
          ? await db.selectFrom('person').select(['id', 'email']).where('id', 'in', recipients).execute()
          : [];
        if (!people.length) throw noRecipient();
        const sender = await db
          .selectFrom('person')
          .select('full_name')
          .where('id', '=', me)
          .executeTakeFirst();
        const what = kindText(task.kind);
        const who = row.personName ? ` — ${row.personName}` : '';
        const note = message ? message : '';
        const link = `/tasks/${encodeURIComponent(task.id)}`;
        const titleVi = `Nhắc việc quá hạn: ${what.vi}${who}`;
        const titleEn = `Reminder, overdue: ${what.en}${who}`;
        const bodyVi = `${sender?.full_name ?? ''} nhắc: ${what.vi}${who} — hạn ${dmy(task.logical_due_date)}.${note ? ` «${note}»` : ''}`;
        const bodyEn = `${sender?.full_name ?? ''} reminds you: ${what.en}${who} — due ${dmy(task.logical_due_date)}.${note ? ` “${note}”` : ''}`;
        await db.transaction().execute(async (trx) => {
          if (await lockAndCheckNudged(trx, day, task.id)) throw alreadyNudged(day);
          for (const p of people) {
            const key = `${nudgeKeyPrefix(day, task.id)}${p.id}`;
            await notify(trx, {
              personId: p.id,
              kind: 'escalation.nudge',
              titleVi,
              titleEn,
              bodyVi,
              bodyEn,
              link,
              idempotencyKey: key,
            });
            await enqueueMail(trx, {
              idempotencyKey: key,
              to: [p.email],
              personId: p.id,
              subject: `[WOMS] ${titleVi}`,
              bodyText: `${bodyVi}\n\n— ${bodyEn}\n\n${link}\n`,
            });
          }
          await audit(trx, c, task.subject_type, task.subject_id, 'task.nudged', null, {
            taskId: task.id,
            kind: task.kind,
            day,
            recipients: people.map((p) => p.id),
            ...(message ? { message } : {}),
          });
        });
        return c.json({ taskId: task.id, recipients: people.length, day }, 200);
      },
    );
}
