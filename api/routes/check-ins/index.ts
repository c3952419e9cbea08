// Check-ins, the content half (DESIGN §3 monthly row, §5 content path): a person reads the key results they
// report in a month (target of the period, draft value, last period's value, year to date, deadline) and saves
// draft values under optimistic concurrency, audited, every change kept in the value history; the key result
// history (values by period, target revisions) by the tiered rule; the completion tracker of a unit (persons
// inside the unit, counts only for the province). Submitting, verifying, returning and locking belong to the
// check-in workflow (the process path); the content path refuses to change a check-in it has closed.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { provinceCalendarOfYear } from '../../../db/queries/calendar.ts';
import {
  attachableEvidence,
  checkInOf,
  lockOrCreateCheckIn,
  periodValuesOf,
  plansInForceFor,
  rowView,
  saveDraftValues,
  type TrackerRow,
  targetRevisionsOf,
  trackerOf,
  valueHistoryOf,
  valuesOfCheckIn,
} from '../../../db/queries/check-ins.ts';
import { listEvidence, readEvidenceMetas } from '../../../db/queries/evidence.ts';
import { reassignmentHistory } from '../../../db/queries/handover.ts';
import { employmentUnitOf, todayVn } from '../../../db/queries/org-tree.ts';
import { getPlan, getPlanVersion } from '../../../db/queries/plans.ts';
import type { CheckInRow, CheckInValueRow } from '../../../db/schema-check-ins.ts';
import { dueKeyResults, ownsKeyResult } from '../../../domain/check-in/due.ts';
import {
  CHECK_IN_STATUSES,
  type CheckInStatus,
  EDITABLE_CHECK_IN_STATUSES,
  KR_STATUSES,
} from '../../../domain/check-in/model.ts';
import { isPeriodOpen, parseMonthPeriod, periodOpensAt } from '../../../domain/check-in/period.ts';
import { validateEntries } from '../../../domain/check-in/validate.ts';
import { lastValueBefore, yearToDate } from '../../../domain/check-in/ytd.ts';
import type { Locale } from '../../../domain/format/locale.ts';
import { contentOwner } from '../../../domain/handover/owner.ts';
import type { KeyResult, Plan } from '../../../domain/plan/model.ts';
import type { AuthzEnv } from '../../authz/middleware.ts';
import { allowed, check, markChecked, requires } from '../../authz/middleware.ts';
import type { Resource } from '../../authz/policy.ts';
import { loadPath } from '../../authz/resources.ts';
import { contentApp, errorResponses, jsonBody, jsonOk, uuid, z } from '../../contract.ts';
import type { ApiDeps } from '../../deps.ts';
import { ApiProblem } from '../../problem.ts';
import { actorId, audit, rule } from '../admin/common.ts';
import { planResource } from '../plans/index.ts';
import { EvidenceFile, evidenceView } from './evidence-view.ts';

const tags = ['check-ins'];
export const MAX_CHECK_IN_JSON_BYTES = 512 * 1024;

const PeriodText = z
  .string()
  .regex(/^(20\d{2}|21\d{2}|2200)-(0[1-9]|1[0-2])$/, { message: 'PERIOD_INVALID' })
  .openapi({ example: '2026-03' });

// ---- problems

export const periodNotOpen = (period: string, opensAt: number) =>
  new ApiProblem({
    status: 422,
    code: 'PERIOD_NOT_OPEN',
    vi: `Kỳ ${period} chưa bắt đầu; chỉ nhập được kết quả từ ngày đầu tiên của kỳ.`,
    en: `The period ${period} has not started; values can be entered from its first day.`,
    details: { period, opensAt: new Date(opensAt).toISOString() },
  });
export const checkInClosed = (status: string) =>
  new ApiProblem({
    status: 409,
    code: 'CHECK_IN_CLOSED',
    vi: `Bản báo cáo kết quả đang ở trạng thái ${status}; không thể sửa giá trị.`,
    en: `The check-in is ${status}; its values cannot be changed.`,
    details: { status },
  });
const revisionConflict = (baseRevision: number, currentRevision: number) =>
  new ApiProblem({
    status: 409,
    code: 'CHECK_IN_REVISION_CONFLICT',
    vi: `Bản báo cáo đã được lưu (lần ${currentRevision}) sau lần bạn đang sửa (${baseRevision}). Giá trị của bạn chưa được lưu; hãy tải lại và nhập lại.`,
    en: `The check-in was saved (revision ${currentRevision}) after the revision you edited (${baseRevision}). Your values were not saved; reload and enter them again.`,
    details: { baseRevision, currentRevision },
  });
const notEmployed = () =>
  rule(422, 'PERSON_NOT_EMPLOYED', 'Bạn hiện không thuộc đơn vị nào.', 'You have no current unit.');
const keyResultNotFound = () =>
  rule(404, 'KEY_RESULT_NOT_FOUND', 'Không tìm thấy mục tiêu then chốt.', 'Key result not found.');
const planNotFound = () => rule(404, 'PLAN_NOT_FOUND', 'Không tìm thấy kế hoạch.', 'Plan not found.');

// ---- schemas

const ValueOut = z
  .object({
    value: z.string().nullable().openapi({ description: 'Canonical decimal string ("1234.5")' }),
    done: z.boolean().nullable(),
    input: z.string().nullable().openapi({ description: 'What was typed' }),
    status: z.enum(KR_STATUSES).nullable(),
    confidence: z.number().int().nullable(),
    explanation: z.string().nullable(),
    evidenceIds: z.array(z.string()),
    revision: z.number().int(),
    updatedAt: z.string(),
    verification: z.enum(['verified', 'returned']).nullable(),
    majorError: z.boolean().nullable(),
    verifierComment: z.string().nullable(),
  })
  .openapi('CheckInValue');
const CheckInSummary = z
  .object({
    id: z.string(),
    personId: z.string(),
    unitId: z.string(),
    period: z.string(),
    status: z.enum(CHECK_IN_STATUSES),
    revision: z.number().int(),
    editable: z.boolean(),
    workflowId: z.string().nullable(),
    submittedVersionId: z.string().nullable(),
  })
  .openapi('CheckInSummary');
const KeyResultBrief = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.string(),
  type: z.enum(['KPI', 'OKR']),
  breakthrough: z.boolean(),
  direction: z.object({ kind: z.string() }).passthrough(),
  cadence: z.string(),
  aggregation: z.string(),
  evidenceRequired: z.boolean(),
  baseline: z.string().nullable(),
  target: z.string(),
});
const MyItem = z.object({
  planId: z.string(),
  planVersionId: z.string(),
  ownerKind: z.enum(['unit', 'person']),
  taskId: z.string(),
  taskTitle: z.string(),
  keyResult: KeyResultBrief,
  periodTarget: z.string().nullable(),
  value: ValueOut.nullable(),
  lastPeriod: z
    .object({ period: z.string(), value: z.string().nullable(), done: z.boolean().nullable() })
    .nullable(),
  yearToDate: z.string().nullable(),
  evidence: z.array(EvidenceFile).openapi({ description: "The files of the value's evidenceIds" }),
});
const MyCheckIn = z
  .object({
    period: z.string(),
    personId: z.string(),
    unitId: z.string().nullable(),
    open: z.boolean(),
    opensAt: z.string(),
    deadline: z.object({ id: z.string(), date: z.string(), dueAt: z.string() }).nullable().openapi({
      description: "The calendar's check-in.YYYY-MM deadline (null when the province has no profile)",
    }),
    checkIn: CheckInSummary.nullable(),
    items: z.array(MyItem),
    unattached: z
      .array(EvidenceFile)
      .openapi({ description: "Files uploaded to the check-in that no key result's value lists" }),
  })
  .openapi('MyCheckIn');

const EntryIn = z
  .object({
    planId: z.string().max(120),
    keyResultId: z.string().min(1).max(100),
    value: z
      .string()
      .max(100)
      .nullable()
      .optional()
      .openapi({ description: 'The number as typed, in the locale' }),
    done: z.boolean().nullable().optional(),
    status: z.enum(KR_STATUSES).nullable().optional(),
    confidence: z.number().nullable().optional(),
    explanation: z.string().max(8000).nullable().optional(),
    evidenceIds: z.array(uuid).max(100).optional().openapi({
      description:
        'The evidence files of the value; absent = the files it lists already (none for a new value)',
    }),
  })
  .strict();
const SaveValues = z
  .object({
    baseRevision: z.number().int().min(0).optional().openapi({
      description: 'The revision the values were edited on (or the If-Match header: the ETag of GET /mine)',
    }),
    locale: z.enum(['vi', 'en']).optional().openapi({
      description:
        'The locale the person chose; absent = a guess from Accept-Language (numbers that read differently in vi and en are refused)',
    }),
    values: z.array(EntryIn).max(500),
  })
  .strict()
  .openapi('SaveCheckInValues');
const SavedValues = z
  .object({
    checkIn: CheckInSummary.nullable(),
    unchanged: z.boolean(),
    saved: z.array(z.object({ planId: z.string(), keyResultId: z.string(), revision: z.number().int() })),
  })
  .openapi('SavedCheckInValues');

const Counts = z.object({
  people: z.number().int(),
  notStarted: z.number().int(),
  draft: z.number().int(),
  submitted: z.number().int(),
  verified: z.number().int(),
  returned: z.number().int(),
  locked: z.number().int(),
});
const Tracker = z
  .object({
    unitId: z.string(),
    period: z.string(),
    scope: z.enum(['persons', 'counts']),
    counts: z.array(
      z.object({ unitId: z.string(), code: z.string(), name: z.string() }).extend(Counts.shape),
    ),
    persons: z
      .array(
        z.object({
          personId: z.string(),
          fullName: z.string(),
          unitId: z.string(),
          checkInId: z.string().nullable(),
          status: z.enum(CHECK_IN_STATUSES).nullable(),
          revision: z.number().int(),
          valueCount: z.number().int(),
          updatedAt: z.string().nullable(),
        }),
      )
      .nullable()
      .openapi({ description: 'null when the caller sees counts only (the province: the tiered rule)' }),
  })
  .openapi('CheckInTracker');

const History = z
  .object({
    planId: z.string(),
    keyResultId: z.string(),
    title: z.string(),
    aggregation: z.string(),
    target: z.string(),
    periods: z.array(
      z.object({
        period: z.string(),
        value: z.string().nullable(),
        done: z.boolean().nullable(),
        status: z.string().nullable(),
        checkInStatus: z.string(),
        personId: z.string(),
        updatedBy: z.string(),
        updatedAt: z.string(),
        revision: z.number().int(),
        yearToDate: z.string().nullable(),
      }),
    ),
    changes: z.array(
      z.object({
        period: z.string(),
        revision: z.number().int(),
        old: z.unknown(),
        new: z.unknown(),
        changedBy: z.string(),
        changedByName: z.string(),
        changedAt: z.string(),
      }),
    ),
    targetRevisions: z.array(
      z.object({
        period: z.string().nullable(),
        oldTarget: z.string().nullable(),
        newTarget: z.string().nullable(),
        planVersionId: z.string().nullable(),
        changedBy: z.string(),
        changedAt: z.string(),
        reason: z.string(),
      }),
    ),
    ownerChanges: z
      .array(
        z.object({
          from: z.object({ id: z.string(), name: z.string() }).nullable(),
          to: z.object({ id: z.string(), name: z.string() }),
          effectivePeriod: z.string().openapi({ description: 'The first month the new owner reports' }),
          reason: z.string(),
          decidedBy: z.string().openapi({ description: 'The name of who decided the handover' }),
          decidedAt: z.string(),
        }),
      )
      .openapi({ description: 'Handovers of the key result (transfers, leavers), oldest first' }),
  })
  .openapi('KeyResultHistory');

// ---- helpers

const iso = (d: Date | string) => new Date(d).toISOString();
const toSummary = (c: CheckInRow) => ({
  id: c.id,
  personId: c.person_id,
  unitId: c.unit_id,
  period: c.period,
  status: c.status,
  revision: c.revision,
  editable: EDITABLE_CHECK_IN_STATUSES.has(c.status),
  workflowId: c.workflow_id,
  submittedVersionId: c.submitted_version_id,
});
const toValue = (v: CheckInValueRow) => ({
  ...rowView(v),
  revision: v.revision,
  updatedAt: iso(v.updated_at),
  verification: v.verification,
  majorError: v.major_error,
  verifierComment: v.verifier_comment,
});
const brief = (k: KeyResult) => ({
  id: k.id,
  title: k.title,
  unit: k.unit,
  type: k.type,
  breakthrough: k.breakthrough,
  direction: k.direction as { kind: string },
  cadence: k.cadence,
  aggregation: k.aggregation,
  evidenceRequired: k.evidenceRequired,
  baseline: k.baseline ?? null,
  target: k.target,
});

function localeOf(c: Context<AuthzEnv>, chosen: Locale | undefined): { locale: Locale; certain: boolean } {
  if (chosen) return { locale: chosen, certain: true };
  const accept = (c.req.header('accept-language') ?? '').trim().toLowerCase();
  return { locale: accept.startsWith('en') ? 'en' : 'vi', certain: false };
}

const own = (personId: string): Resource => ({ path: [], tier: 'internal', subjectPersonId: personId });

function emptyCounts() {
  return { people: 0, notStarted: 0, draft: 0, submitted: 0, verified: 0, returned: 0, locked: 0 };
}
function countOf(rows: readonly TrackerRow[]) {
  const n = emptyCounts();
  for (const r of rows) {
    n.people++;
    const s = r.status as CheckInStatus | null;
    if (s === null) n.notStarted++;
    else if (s === 'DRAFT') n.draft++;
    else if (s === 'SUBMITTED') n.submitted++;
    else if (s === 'VERIFIED') n.verified++;
    else if (s === 'RETURNED') n.returned++;
    else n.locked++;
  }
  return n;
}

class Unchanged extends Error {}

const badRevision = (code: string, vi: string, en: string) => new ApiProblem({ status: 400, code, vi, en });

/** The ETag of a check-in's draft: its revision. */
const etagOf = (revision: number) => `"${revision}"`;

/** The revision a save was edited on: the body's baseRevision or the If-Match header (both: they must agree). */
function baseRevisionOf(body: number | undefined, ifMatch: string | undefined): number {
  const m = ifMatch === undefined ? undefined : /^(?:W\/)?"(\d{1,9})"$/.exec(ifMatch.trim());
  if (ifMatch !== undefined && !m)
    throw badRevision(
      'REVISION_INVALID',
      'Tiêu đề If-Match không hợp lệ.',
      'The If-Match header is not valid.',
    );
  const header = m ? Number(m[1]) : undefined;
  if (body !== undefined && header !== undefined && body !== header)
    throw badRevision(
      'REVISION_MISMATCH',
      'baseRevision và If-Match chỉ hai lần lưu khác nhau.',
      'baseRevision and If-Match name different revisions.',
    );
  const base = body ?? header;
  if (base === undefined)
    throw badRevision(
      'REVISION_REQUIRED',
      'Cần gửi lần lưu đang sửa (baseRevision hoặc If-Match).',
      'Send the revision being edited (baseRevision or If-Match).',
    );
  return base;
}

export function checkInRoutes(deps: ApiDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const app = contentApp();
  const limit = bodyLimit({
    maxSize: MAX_CHECK_IN_JSON_BYTES,
    onError: () => {
      throw new ApiProblem({
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        vi: 'Dữ liệu gửi lên quá lớn.',
        en: 'The request body is too large.',
      });
    },
  });
  // an evidence upload (multipart) has its own, larger limit (evidence.ts)
  app.use('/check-ins/*', (c, next) =>
    c.req.method === 'POST' && /^\/api\/check-ins\/mine\/[^/]+\/evidence$/.test(c.req.path)
      ? next()
      : limit(c, next),
  );

  /** What the person reports in the period: their unit's path and the due key results of the plans in force. */
  async function dueFor(personId: string, period: string) {
    const today = todayVn(now());
    const unitId = await employmentUnitOf(db, personId, today);
    if (!unitId) return { unitId: undefined, path: [] as string[], due: [] };
    const path = (await loadPath(db, unitId)).map((n) => n.id);
    const plans = await plansInForceFor(db, personId, parseMonthPeriod(period).year, path);
    return { unitId, path, due: dueKeyResults(personId, plans, period) };
  }

  async function deadlineOf(provinceId: string | undefined, period: string) {
    if (!provinceId) return null;
    const year = await provinceCalendarOfYear(db, provinceId, parseMonthPeriod(period).year);
    const d = year?.calendar.deadlines.find((x) => x.id === `check-in.${period}`);
    return d ? { id: d.id, date: d.date, dueAt: iso(new Date(d.dueAt)) } : null;
  }

  const routed = app
    .openapi(
      createRoute({
        method: 'get',
        path: '/check-ins/mine',
        tags,
        summary:
          'My key results due in a month: target of the period, draft value, last period, year to date, deadline',
        middleware: [requires('check-in.own')],
        request: { query: z.object({ period: PeriodText }) },
        responses: { 200: jsonOk(MyCheckIn), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const { period } = c.req.valid('query');
        const { unitId, path, due } = await dueFor(me, period);
        const checkIn = await checkInOf(db, me, period);
        const values = checkIn ? await valuesOfCheckIn(db, checkIn.id) : [];
        const files = new Map(
          (checkIn ? await listEvidence(db, 'check_in', checkIn.id) : [])
            .concat(
              await readEvidenceMetas(
                db,
                values.flatMap((v) => v.evidence_ids),
              ),
            )
            .map((f) => [f.id, f]),
        );
        const listed = new Set(values.flatMap((v) => v.evidence_ids));
        const mine = new Map(values.map((v) => [`${v.plan_id}\u0000${v.key_result_id}`, v]));
        const byPlan = new Map<string, string[]>();
        for (const d of due) byPlan.set(d.planId, [...(byPlan.get(d.planId) ?? []), d.keyResult.id]);
        const year = parseMonthPeriod(period).year;
        const periodValues = (
          await Promise.all([...byPlan].map(([planId, krs]) => periodValuesOf(db, planId, krs, year)))
        ).flat();
        const items = due.map((d) => {
          const v = mine.get(`${d.planId}\u0000${d.keyResult.id}`);
          const series = periodValues.filter(
            (p) => p.planId === d.planId && p.keyResultId === d.keyResult.id,
          );
          const last = lastValueBefore(series, period);
          return {
            planId: d.planId,
            planVersionId: d.planVersionId,
            ownerKind: d.ownerKind,
            taskId: d.taskId,
            taskTitle: d.taskTitle,
            keyResult: brief(d.keyResult),
            periodTarget: d.periodTarget ?? null,
            value: v ? toValue(v) : null,
            lastPeriod: last ? { period: last.period, value: last.value, done: last.done } : null,
            yearToDate: yearToDate(d.keyResult.aggregation, series, period) ?? null,
            evidence: (v?.evidence_ids ?? []).flatMap((id) => {
              const f = files.get(id);
              return f ? [evidenceView(f)] : [];
            }),
          };
        });
        c.header('ETag', etagOf(checkIn?.revision ?? 0));
        return c.json(
          {
            period,
            personId: me,
            unitId: unitId ?? null,
            open: isPeriodOpen(period, now().getTime()),
            opensAt: iso(new Date(periodOpensAt(period))),
            deadline: await deadlineOf(path[0], period),
            checkIn: checkIn ? toSummary(checkIn) : null,
            items,
            unattached: [...files.values()].filter((f) => !listed.has(f.id)).map(evidenceView),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/check-ins/mine/{period}/values',
        tags,
        summary:
          'Save my draft values of a month (all or some key results; numbers in my locale). 409 CHECK_IN_REVISION_CONFLICT when baseRevision is not current, 409 CHECK_IN_CLOSED once submitted, 422 PERIOD_NOT_OPEN before the month starts, 422 CHECK_IN_INVALID with a code per entry',
        middleware: [requires('check-in.own')],
        request: {
          params: z.object({ period: PeriodText.openapi({ param: { name: 'period', in: 'path' } }) }),
          headers: z.object({
            'if-match': z
              .string()
              .max(40)
              .optional()
              .openapi({
                param: { name: 'if-match', in: 'header' },
                description: 'The ETag of GET /check-ins/mine',
              }),
          }),
          body: jsonBody(SaveValues),
        },
        responses: { 200: jsonOk(SavedValues), ...errorResponses },
      }),
      async (c) => {
        const me = actorId(c);
        await check(c, db, own(me));
        const { period } = c.req.valid('param');
        const b = c.req.valid('json');
        const baseRevision = baseRevisionOf(b.baseRevision, c.req.valid('header')['if-match']);
        if (!isPeriodOpen(period, now().getTime())) throw periodNotOpen(period, periodOpensAt(period));
        const current = await checkInOf(db, me, period);
        if (current && !EDITABLE_CHECK_IN_STATUSES.has(current.status)) throw checkInClosed(current.status);
        const { unitId, path, due } = await dueFor(me, period);
        if (!unitId) throw notEmployed();
        const { locale, certain } = localeOf(c, b.locale);
        const knownEvidenceIds = await attachableEvidence(
          db,
          b.values.flatMap((x) => x.evidenceIds ?? []),
          me,
          path.slice(1),
        );
        const v = validateEntries(due, b.values, {
          period,
          locale,
          localeCertain: certain,
          knownEvidenceIds,
        });
        if (!v.ok)
          throw new ApiProblem({
            status: 422,
            code: 'CHECK_IN_INVALID',
            vi: 'Một số giá trị chưa hợp lệ; chưa có giá trị nào được lưu.',
            en: 'Some values are not valid; nothing was saved.',
            details: { errors: v.errors },
          });
        const versionOf = new Map(due.map((d) => [`${d.planId}\u0000${d.keyResult.id}`, d.planVersionId]));
        const values = v.values.map((x) => ({
          ...x,
          planVersionId: versionOf.get(`${x.planId}\u0000${x.keyResultId}`) ?? '',
        }));
        try {
          const r = await db.transaction().execute(async (trx) => {
            const locked = await lockOrCreateCheckIn(trx, { personId: me, unitId, period });
            if (!EDITABLE_CHECK_IN_STATUSES.has(locked.status)) throw checkInClosed(locked.status);
            if (locked.revision !== baseRevision) throw revisionConflict(baseRevision, locked.revision);
            // an entry without evidenceIds keeps the files its value already lists (attached by an upload)
            const existing = await valuesOfCheckIn(trx, locked.id);
            const before = new Map(existing.map((x) => [`${x.plan_id}\u0000${x.key_result_id}`, x]));
            const keep = new Set(
              b.values
                .filter((x) => x.evidenceIds === undefined)
                .map((x) => `${x.planId}\u0000${x.keyResultId}`),
            );
            const merged = values.map((x) => {
              const k = `${x.planId}\u0000${x.keyResultId}`;
              return keep.has(k) ? { ...x, evidenceIds: before.get(k)?.evidence_ids ?? [] } : x;
            });
            const saved = await saveDraftValues(trx, { checkIn: locked, values: merged, by: me, existing });
            if (!saved.changes.length) throw new Unchanged();
            await audit(
              trx,
              c,
              'check_in',
              locked.id,
              'check-in.values-saved',
              {
                revision: locked.revision,
                values: saved.changes.map((x) => ({
                  planId: x.planId,
                  keyResultId: x.keyResultId,
                  ...x.old,
                })),
              },
              {
                revision: saved.revision,
                period,
                values: saved.changes.map((x) => ({
                  planId: x.planId,
                  keyResultId: x.keyResultId,
                  revision: x.revision,
                  ...x.new,
                })),
              },
            );
            return { checkIn: { ...locked, revision: saved.revision }, changes: saved.changes };
          });
          c.header('ETag', etagOf(r.checkIn.revision));
          return c.json(
            {
              checkIn: toSummary(r.checkIn),
              unchanged: false,
              saved: r.changes.map((x) => ({
                planId: x.planId,
                keyResultId: x.keyResultId,
                revision: x.revision,
              })),
            },
            200,
          );
        } catch (e) {
          if (!(e instanceof Unchanged)) throw e;
          const after = await checkInOf(db, me, period);
          c.header('ETag', etagOf(after?.revision ?? 0));
          return c.json({ checkIn: after ? toSummary(after) : null, unchanged: true, saved: [] }, 200);
        }
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/check-ins',
        tags,
        summary:
          "Completion tracker of a unit's check-ins in a month: who has saved and submitted (supervisors and unit heads); counts per unit only for the province",
        middleware: [requires('check-in.track')],
        request: { query: z.object({ unitId: uuid, period: PeriodText }) },
        responses: { 200: jsonOk(Tracker), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const path = await loadPath(db, q.unitId);
        const ids = path.map((n) => n.id);
        const today = todayVn(now());
        const persons: Resource = { path: ids, tier: path.length === 1 ? 'province' : 'internal' };
        const counts: Resource = { path: ids.slice(0, 2), tier: 'unit' };
        const seePersons = path.length > 1 && (await allowed(c, db, 'check-in.track', persons));
        if (!seePersons) await check(c, db, counts);
        markChecked(c);
        const unitInfo = async (ids: string[]) =>
          ids.length
            ? await db
                .selectFrom('org_unit')
                .select(['id', 'code', 'name_vi'])
                .where('id', 'in', ids)
                .execute()
            : [];
        // the province: one count per unit directly under it; a unit: its own count
        const countUnits =
          path.length === 1
            ? (
                await db
                  .selectFrom('org_unit')
                  .select('id')
                  .where('parent_id', '=', q.unitId)
                  .orderBy('code')
                  .execute()
              ).map((r) => r.id)
            : [q.unitId];
        const info = new Map((await unitInfo(countUnits)).map((u) => [u.id, u]));
        const rowsOf = new Map<string, TrackerRow[]>();
        for (const u of countUnits) rowsOf.set(u, await trackerOf(db, u, q.period, today));
        return c.json(
          {
            unitId: q.unitId,
            period: q.period,
            scope: seePersons ? ('persons' as const) : ('counts' as const),
            counts: countUnits.map((u) => ({
              unitId: u,
              code: info.get(u)?.code ?? '',
              name: info.get(u)?.name_vi ?? '',
              ...countOf(rowsOf.get(u) ?? []),
            })),
            persons: seePersons
              ? (rowsOf.get(q.unitId) ?? []).map((r) => ({
                  ...r,
                  status: r.status as CheckInStatus | null,
                  updatedAt: r.updatedAt ? iso(r.updatedAt) : null,
                }))
              : null,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/key-results/{planId}/{krId}/history',
        tags,
        summary:
          "A key result's history: every period's value (who, when), every saved change, and every target revision (who, when, why)",
        middleware: [requires('check-in.history.read')],
        request: {
          params: z.object({
            planId: z
              .string()
              .max(120)
              .regex(/^plan:\d{4}:(unit|person):[0-9a-f-]{36}$/, { message: 'PLAN_ID_INVALID' })
              .openapi({ param: { name: 'planId', in: 'path' } }),
            krId: z
              .string()
              .min(1)
              .max(100)
              .openapi({ param: { name: 'krId', in: 'path' } }),
          }),
        },
        responses: { 200: jsonOk(History), ...errorResponses },
      }),
      async (c) => {
        const { planId, krId } = c.req.valid('param');
        const plan = await getPlan(db, planId);
        if (!plan) {
          await check(c, db, { path: [], tier: 'province' }).catch(() => undefined);
          throw planNotFound();
        }
        const versionId = plan.in_force_version_id;
        const version = versionId ? await getPlanVersion(db, versionId) : undefined;
        const content = version?.content as unknown as Plan | undefined;
        const kr = content?.tasks.flatMap((t) => t.keyResults).find((k) => k.id === krId);
        // the key result's owners read its history — the content's, whoever it was handed over to or from,
        // and whoever reported it in a period (a former owner); anyone else by the tiered rule
        const me = actorId(c);
        const periods = await periodValuesOf(db, planId, [krId]);
        const handovers = await reassignmentHistory(db, planId, krId);
        const owner =
          (content && kr && ownsKeyResult(me, content, kr.ownerId)) ||
          handovers.some((h) => h.from_person_id === me || h.to_person_id === me) ||
          periods.some((p) => p.personId === me);
        if (owner) markChecked(c);
        else await check(c, db, await planResource(db, plan));
        if (!kr && periods.length === 0) throw keyResultNotFound();
        const changes = await valueHistoryOf(db, planId, krId);
        const targets = await targetRevisionsOf(db, planId, krId);
        const aggregation = kr?.aggregation ?? 'last';
        // a handover recorded without a from-person took the key result from the plan content's owner
        const firstOwner = content && kr ? contentOwner(content, kr.ownerId) : undefined;
        const contentOwnerOf =
          firstOwner && handovers.some((h) => !h.from_person_id)
            ? await db
                .selectFrom('person')
                .select(['id', 'full_name'])
                .where('id', '=', firstOwner)
                .executeTakeFirst()
            : undefined;
        return c.json(
          {
            planId,
            keyResultId: krId,
            title: kr?.title ?? '',
            aggregation,
            target: kr?.target ?? '',
            periods: periods.map((p) => ({
              period: p.period,
              value: p.value,
              done: p.done,
              status: p.status,
              checkInStatus: p.checkInStatus,
              personId: p.personId,
              updatedBy: p.updatedBy,
              updatedAt: iso(p.updatedAt),
              revision: p.revision,
              yearToDate: yearToDate(aggregation, periods, p.period) ?? null,
            })),
            changes: changes.map((h) => ({
              period: h.period,
              revision: h.revision,
              old: h.old_value,
              new: h.new_value,
              changedBy: h.changed_by,
              changedByName: h.full_name,
              changedAt: iso(h.changed_at),
            })),
            targetRevisions: targets.map((t) => ({
              period: t.period,
              oldTarget: t.old_target,
              newTarget: t.new_target,
              planVersionId: t.plan_version_id,
              changedBy: t.changed_by,
              changedAt: iso(t.changed_at),
              reason: t.reason,
            })),
            ownerChanges: handovers.map((h) => ({
              from: h.from_person_id
                ? { id: h.from_person_id, name: h.from_name ?? '' }
                : contentOwnerOf
                  ? { id: contentOwnerOf.id, name: contentOwnerOf.full_name }
                  : null,
              to: { id: h.to_person_id, name: h.to_name },
              effectivePeriod: h.effective_period,
              reason: h.reason,
              decidedBy: h.changed_by_name,
              decidedAt: iso(h.changed_at),
            })),
          },
          200,
        );
      },
    );
  return routed;
}
