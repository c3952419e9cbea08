// Workflow runs and their histories for administrators (DESIGN §5, TEMPORAL.md §8): open runs from Temporal
// visibility, closed runs from the exported store (workflow_history, activities/history-export.ts) and from
// Temporal while not yet exported; a run's history from the store when it was exported (so it can be read
// after Temporal's retention), from Temporal otherwise; and the Temporal Web UI link of each run.
import { createRoute } from '@hono/zod-openapi';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Context } from 'hono';
import { storedHistory } from '../../activities/history-export.ts';
import '../../db/schema-history.ts';
import '../../db/schema-plans.ts';
import { unitPath } from '../../db/queries/org-tree.ts';
import { SA } from '../../workflows/search-attributes.ts';
import type { AuthzEnv } from '../authz/middleware.ts';
import { allowed, check, forbidden, markChecked, requires } from '../authz/middleware.ts';
import type { Resource } from '../authz/policy.ts';
import { contentApp, errorResponses, jsonOk, uuid, z } from '../contract.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { EVENT_KINDS, readableEvents } from './workflow-events.ts';

/** Temporal's status names, and their spelling in a visibility query. */
const STATUS_QUERY = {
  RUNNING: 'Running',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  CANCELLED: 'Canceled',
  TERMINATED: 'Terminated',
  CONTINUED_AS_NEW: 'ContinuedAsNew',
  TIMED_OUT: 'TimedOut',
} as const;
const STATUSES = Object.keys(STATUS_QUERY) as [keyof typeof STATUS_QUERY, ...(keyof typeof STATUS_QUERY)[]];
/** Most runs read from each source for one list (the page is cut from their union). */
const SOURCE_CAP = 1000;

const WorkflowRun = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    type: z.string(),
    status: z.string(),
    startTime: z.string(),
    closeTime: z.string().nullable(),
    unitId: z.string().nullable(),
    year: z.number().int().nullable(),
    historyLength: z.number().int().nullable(),
    /** The history is in the store (readable after Temporal's retention). */
    exported: z.boolean(),
    temporalUiUrl: z.string().nullable(),
  })
  .openapi('WorkflowRun');

const ReadableEventSchema = z
  .object({
    eventId: z.number().int(),
    time: z.string().nullable(),
    kind: z.enum(EVENT_KINDS),
    name: z.string().nullable(),
    detail: z.string().nullable(),
    summary: z.string(),
  })
  .openapi('WorkflowEvent');

const ListQuery = z.object({
  type: z
    .string()
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: 'CODE_INVALID' })
    .optional(),
  unitId: uuid.optional(),
  year: z.coerce.number().int().min(2000).max(2200).optional(),
  status: z.enum(STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const RunParams = z.object({
  workflowId: z
    .string()
    .min(1)
    .max(255)
    .refine((s) => !/[\p{Cc}]/u.test(s), { message: 'CODE_INVALID' })
    .openapi({ param: { name: 'workflowId', in: 'path' } }),
  runId: uuid.openapi({ param: { name: 'runId', in: 'path' } }),
});

const runNotFound = () =>
  new ApiProblem({
    status: 404,
    code: 'WORKFLOW_RUN_NOT_FOUND',
    vi: 'Không tìm thấy lượt chạy quy trình này.',
    en: 'Workflow run not found.',
  });

const temporalUnavailable = () =>
  new ApiProblem({
    status: 503,
    code: 'TEMPORAL_UNAVAILABLE',
    vi: 'Không kết nối được tới máy chủ quy trình (Temporal).',
    en: 'The workflow server (Temporal) cannot be reached.',
  });

/** The Temporal Web UI page of a run, when TEMPORAL_UI_URL is configured. */
export function temporalUiLink(deps: ApiDeps, workflowId: string, runId: string): string | null {
  if (!deps.temporalUiUrl) return null;
  const base = deps.temporalUiUrl.replace(/\/+$/, '');
  const ns = encodeURIComponent(deps.temporalNamespace ?? 'default');
  return `${base}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}

/** Who may see a run: a run of a unit sits where the unit does; a system run (no unit) at the province. */
async function resourceOfUnit(deps: ApiDeps, unitId: string | null): Promise<Resource | null> {
  if (!unitId) return { path: [], tier: 'province' };
  if (!uuid.safeParse(unitId).success) return null;
  const path = await unitPath(deps.db, unitId);
  if (!path) return null;
  return {
    path: path.map((n) => n.id),
    tier: path.length <= 1 ? 'province' : path.length === 2 ? 'unit' : 'internal',
  };
}

/** The unit of a run: its UnitId search attribute, else the plan whose workflow it is (plan table). */
async function unitOfRun(deps: ApiDeps, run: { workflowId: string; unitId: string | null }) {
  if (run.unitId) return run.unitId;
  const plan = await deps.db
    .selectFrom('plan')
    .select('unit_id')
    .where('workflow_id', '=', run.workflowId)
    .executeTakeFirst();
  return plan?.unit_id ?? null;
}

const quote = (s: string) => `'${s.replaceAll("'", '')}'`;

async function listTemporal(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const out: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query, pageSize: 200 })) {
    out.push(info);
    if (out.length >= SOURCE_CAP) break;
  }
  return out;
}

type Run = z.infer<typeof WorkflowRun>;

function fromInfo(deps: ApiDeps, info: Omit<WorkflowExecutionInfo, 'raw'>): Run {
  const unit = info.typedSearchAttributes.get(SA.UnitId);
  const year = info.typedSearchAttributes.get(SA.PlanYear);
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    type: info.type,
    status: info.status.name,
    startTime: info.startTime.toISOString(),
    closeTime: info.closeTime?.toISOString() ?? null,
    unitId: typeof unit === 'string' ? unit : null,
    year: typeof year === 'number' ? year : null,
    historyLength: info.historyLength || null,
    exported: false,
    temporalUiUrl: temporalUiLink(deps, info.workflowId, info.runId),
  };
}

/** Administrators only; the list is then cut to what each may see. */
function requireAdministrator(c: Context<AuthzEnv>) {
  const actor = c.get('actor');
  if (!actor?.grants.some((g) => g.role === 'administrator')) throw forbidden();
}

export function workflowRoutes(deps: ApiDeps) {
  const { db } = deps;
  return contentApp()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags: ['workflows'],
        summary:
          'Workflow runs with their status, newest first: open runs from Temporal, closed runs from the exported store and from Temporal while not yet exported',
        middleware: [requires('workflow.history.read')],
        request: { query: ListQuery },
        responses: {
          200: jsonOk(
            z.object({
              items: z.array(WorkflowRun),
              /** More runs matched than the page holds (narrow the filters). */
              truncated: z.boolean(),
              /** False when Temporal could not be reached: only exported runs are listed. */
              temporalAvailable: z.boolean(),
            }),
          ),
          ...errorResponses,
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        requireAdministrator(c);
        if (q.unitId) {
          const r = await resourceOfUnit(deps, q.unitId);
          if (!r) throw forbidden();
          await check(c, db, r);
        }
        const filters: string[] = [];
        if (q.type) filters.push(`WorkflowType = ${quote(q.type)}`);
        if (q.unitId) filters.push(`UnitId = ${quote(q.unitId)}`);
        if (q.year) filters.push(`PlanYear = ${q.year}`);
        const runs = new Map<string, Run>();

        let storeQuery = db
          .selectFrom('workflow_history')
          .select([
            'workflow_id',
            'run_id',
            'workflow_type',
            'status',
            'start_time',
            'close_time',
            'unit_id',
            'plan_year',
            'event_count',
          ])
          .orderBy('start_time', 'desc')
          .limit(SOURCE_CAP);
        if (q.type) storeQuery = storeQuery.where('workflow_type', '=', q.type);
        if (q.unitId) storeQuery = storeQuery.where('unit_id', '=', q.unitId);
        if (q.year) storeQuery = storeQuery.where('plan_year', '=', q.year);
        if (q.status) storeQuery = storeQuery.where('status', '=', q.status);
        for (const r of q.status === 'RUNNING' ? [] : await storeQuery.execute())
          runs.set(r.run_id, {
            workflowId: r.workflow_id,
            runId: r.run_id,
            type: r.workflow_type,
            status: r.status,
            startTime: r.start_time.toISOString(),
            closeTime: r.close_time.toISOString(),
            unitId: r.unit_id,
            year: r.plan_year,
            historyLength: r.event_count,
            exported: true,
            temporalUiUrl: temporalUiLink(deps, r.workflow_id, r.run_id),
          });

        let temporalAvailable = true;
        try {
          const client = await deps.temporal();
          const status = q.status ? `ExecutionStatus = ${quote(STATUS_QUERY[q.status])}` : undefined;
          const query = [status, ...filters].filter(Boolean).join(' AND ');
          for (const info of await listTemporal(client, query)) {
            if (!runs.has(info.runId)) runs.set(info.runId, fromInfo(deps, info));
          }
        } catch (e) {
          if (e instanceof ApiProblem) throw e;
          temporalAvailable = false;
        }

        const sorted = [...runs.values()].sort(
          (a, b) => b.startTime.localeCompare(a.startTime) || a.runId.localeCompare(b.runId),
        );
        const resources = new Map<string, Resource | null>();
        const items: Run[] = [];
        let truncated = false;
        for (const run of sorted) {
          run.unitId = await unitOfRun(deps, run);
          const key = run.unitId ?? '';
          if (!resources.has(key)) resources.set(key, await resourceOfUnit(deps, run.unitId));
          const r = resources.get(key);
          if (!r || !(await allowed(c, db, 'workflow.history.read', r))) continue;
          if (items.length === q.limit) {
            truncated = true;
            break;
          }
          items.push(run);
        }
        markChecked(c);
        return c.json({ items, truncated, temporalAvailable }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{workflowId}/runs/{runId}/history',
        tags: ['workflows'],
        summary:
          "A run's history as readable events: from the exported store for a closed run, from Temporal otherwise",
        middleware: [requires('workflow.history.read')],
        request: { params: RunParams },
        responses: {
          200: jsonOk(
            WorkflowRun.extend({
              source: z.enum(['store', 'temporal']),
              eventCount: z.number().int(),
              /** sha256 of the stored history (store only). */
              sha256: z.string().nullable(),
              exportedAt: z.string().nullable(),
              events: z.array(ReadableEventSchema),
            }),
          ),
          ...errorResponses,
          503: { description: 'Temporal cannot be reached (TEMPORAL_UNAVAILABLE)' },
        },
      }),
      async (c) => {
        const { workflowId, runId } = c.req.valid('param');
        requireAdministrator(c);
        const row = await db
          .selectFrom('workflow_history')
          .selectAll()
          .where('workflow_id', '=', workflowId)
          .where('run_id', '=', runId)
          .executeTakeFirst();
        if (row) {
          const r = await resourceOfUnit(deps, await unitOfRun(deps, { workflowId, unitId: row.unit_id }));
          if (!r) throw forbidden();
          await check(c, db, r);
          const history = storedHistory(row);
          return c.json(
            {
              workflowId,
              runId,
              type: row.workflow_type,
              status: row.status,
              startTime: row.start_time.toISOString(),
              closeTime: row.close_time.toISOString(),
              unitId: row.unit_id,
              year: row.plan_year,
              historyLength: row.event_count,
              exported: true,
              temporalUiUrl: temporalUiLink(deps, workflowId, runId),
              source: 'store' as const,
              eventCount: row.event_count,
              sha256: row.sha256,
              exportedAt: row.exported_at.toISOString(),
              events: readableEvents(history),
            },
            200,
          );
        }
        let client: Client;
        try {
          client = await deps.temporal();
        } catch {
          throw temporalUnavailable();
        }
        const handle = client.workflow.getHandle(workflowId, runId);
        let run: Run;
        try {
          run = fromInfo(deps, await handle.describe());
        } catch (e) {
          if (e instanceof WorkflowNotFoundError) throw runNotFound();
          throw temporalUnavailable();
        }
        run.unitId = await unitOfRun(deps, run);
        const r = await resourceOfUnit(deps, run.unitId);
        if (!r) throw forbidden();
        await check(c, db, r);
        const history = await handle.fetchHistory();
        return c.json(
          {
            ...run,
            source: 'temporal' as const,
            eventCount: history.events?.length ?? 0,
            sha256: null,
            exportedAt: null,
            events: readableEvents(history),
          },
          200,
        );
      },
    );
}
