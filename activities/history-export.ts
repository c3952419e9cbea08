// The history exporter (DESIGN §5, TEMPORAL.md §8): Temporal deletes a closed run's history after the
// namespace retention, and every continue-as-new closes a run, so each closed run's history is copied into
// PostgreSQL (workflow_history, one row per run). Idempotent by the run id: a run already stored is never
// fetched again, a concurrent insert of the same run is a no-op. The exporter pages through the runs that
// closed since its watermark (minus a margin for visibility lag) and moves the watermark only past runs it
// has stored. A run whose visibility record lags further behind than the margin would be skipped by those
// passes, so a daily sweep (input.sweep) lists every closed run Temporal still holds and stores the missing.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Context } from '@temporalio/activity';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import type { Database } from '../db/connection.ts';
import '../db/schema-history.ts';
import '../db/schema-plans.ts';
import type { WorkflowHistoryRow } from '../db/schema-history.ts';
import { SA } from '../workflows/search-attributes.ts';

export const DEFAULT_EXPORTER = 'default';
/** Visibility is eventually consistent: each pass looks this far behind the watermark again. */
export const VISIBILITY_LAG_MS = 15 * 60_000;

export interface ExportInput {
  /** Watermark key (one per exporter; tests use their own). */
  exporter?: string;
  /** Extra list filter ANDed to the query, e.g. `TaskQueue = 'x'` (tests). */
  filter?: string;
  /** At most this many runs stored per call (the workflow calls again while `more`). */
  maxRuns?: number;
  /** Ignore the watermark: list every closed run still in Temporal (the daily sweep). */
  sweep?: boolean;
}

export interface ExportResult {
  exported: number;
  /** Closed runs seen that were already stored. */
  alreadyStored: number;
  /** More closed runs remain after this call (maxRuns reached). */
  more: boolean;
  /** The watermark after this call (ISO), or null when nothing has been seen yet. */
  watermark: string | null;
}

export interface HistoryExportDeps {
  db: Database;
  /** The worker's Temporal client; the exporter reads visibility and histories with it. */
  temporal?: Client;
}

const heartbeat = (details?: unknown) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    // called outside an activity (tests)
  }
};

/** The sha256 (hex) of a history's JSON text. */
export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Search attributes as plain JSON ({ name: value }), dates as ISO strings. */
function searchAttributesJson(info: WorkflowExecutionInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of info.typedSearchAttributes.getAll()) {
    const v = pair.value;
    out[pair.key.name] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

const statusName = (info: WorkflowExecutionInfo) => info.status.name;

/** Stores one closed run (no-op when it is there already). Answers whether a row was written. */
export async function storeRun(
  db: Database,
  info: WorkflowExecutionInfo,
  history: temporal.api.history.v1.IHistory,
): Promise<boolean> {
  const json = historyToJSON(history);
  // a plan run started without the UnitId attribute is placed by its plan row
  const unit =
    info.typedSearchAttributes.get(SA.UnitId) ??
    (
      await db
        .selectFrom('plan')
        .select('unit_id')
        .where('workflow_id', '=', info.workflowId)
        .executeTakeFirst()
    )?.unit_id;
  const year = info.typedSearchAttributes.get(SA.PlanYear);
  const startTime = info.startTime;
  const closeTime = info.closeTime ?? startTime;
  const inserted = await db
    .insertInto('workflow_history')
    .values({
      workflow_id: info.workflowId,
      run_id: info.runId,
      workflow_type: info.type,
      status: statusName(info),
      task_queue: info.taskQueue,
      start_time: startTime,
      close_time: closeTime,
      unit_id: typeof unit === 'string' ? unit : null,
      plan_year: typeof year === 'number' ? year : null,
      search_attributes: JSON.stringify(searchAttributesJson(info)),
      history_gz: gzipSync(Buffer.from(json, 'utf8')),
      event_count: history.events?.length ?? 0,
      sha256: sha256Hex(json),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The stored history of a run, checked against its sha256 (throws when the bytes were altered). */
export function storedHistory(row: Pick<WorkflowHistoryRow, 'history_gz' | 'sha256'>) {
  const json = gunzipSync(row.history_gz).toString('utf8');
  if (sha256Hex(json) !== row.sha256) throw new Error('stored workflow history does not match its sha256');
  return historyFromJSON(JSON.parse(json));
}

/** One pass of the exporter (see the file comment). */
export async function exportClosedHistories(
  db: Database,
  client: Client,
  input: ExportInput = {},
): Promise<ExportResult> {
  const exporter = input.exporter ?? DEFAULT_EXPORTER;
  const maxRuns = input.maxRuns ?? 200;
  const mark = await db
    .selectFrom('workflow_history_watermark')
    .select('close_time')
    .where('exporter', '=', exporter)
    .executeTakeFirst();
  const since = mark && !input.sweep ? new Date(mark.close_time.getTime() - VISIBILITY_LAG_MS) : undefined;
  const query = [
    `ExecutionStatus != 'Running'`,
    since ? `CloseTime >= '${since.toISOString()}'` : undefined,
    input.filter ? `(${input.filter})` : undefined,
  ]
    .filter(Boolean)
    .join(' AND ');

  // Page through visibility (the SDK fetches the pages), then store the missing runs oldest first.
  const seen: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query, pageSize: 200 })) {
    if (info.status.name === 'RUNNING') continue;
    seen.push(info);
    if (seen.length % 500 === 0) heartbeat({ listed: seen.length });
  }
  const closeMs = (i: WorkflowExecutionInfo) => (i.closeTime ?? i.startTime).getTime();
  seen.sort((a, b) => closeMs(a) - closeMs(b) || a.runId.localeCompare(b.runId));
  const stored = new Set<string>();
  for (let i = 0; i < seen.length; i += 500) {
    const ids = seen.slice(i, i + 500).map((s) => s.runId);
    const rows = await db
      .selectFrom('workflow_history')
      .select('run_id')
      .where('run_id', 'in', ids)
      .execute();
    for (const r of rows) stored.add(r.run_id);
  }

  let exported = 0;
  let alreadyStored = 0;
  let covered: number | undefined = mark?.close_time.getTime();
  let more = false;
  for (const info of seen) {
    if (stored.has(info.runId)) {
      alreadyStored++;
    } else {
      if (exported >= maxRuns) {
        more = true;
        break;
      }
      const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
      if (await storeRun(db, info, history)) exported++;
      else alreadyStored++;
      heartbeat({ exported });
    }
    covered = Math.max(covered ?? 0, closeMs(info));
  }
  if (covered !== undefined) {
    const at = new Date(covered);
    await db
      .insertInto('workflow_history_watermark')
      .values({ exporter, close_time: at })
      .onConflict((oc) =>
        oc.column('exporter').doUpdateSet({
          close_time: (eb) => eb.fn('greatest', ['workflow_history_watermark.close_time', eb.val(at)]),
          updated_at: new Date(),
        }),
      )
      .execute();
  }
  return {
    exported,
    alreadyStored,
    more,
    watermark: covered === undefined ? null : new Date(covered).toISOString(),
  };
}

export function historyExportActivities(deps: HistoryExportDeps) {
  return {
    /** Stores every closed run not yet stored (idempotent by run id); heartbeats while it works. */
    async exportClosedHistories(input: ExportInput = {}): Promise<ExportResult> {
      if (!deps.temporal) throw new Error('the history exporter needs the worker’s Temporal client');
      return exportClosedHistories(deps.db, deps.temporal, input);
    },
  };
}
