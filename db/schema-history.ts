// Kysely types of exported Temporal histories (migration 0600_workflow_history), added to DB by module
// augmentation.
import type { ColumnType, Selectable } from 'kysely';
import type { GeneratedTimestamp, JsonValue, Timestamp } from './schema.ts';

export interface WorkflowHistoryTable {
  workflow_id: string;
  run_id: string;
  workflow_type: string;
  /** Temporal's status name: COMPLETED, FAILED, CANCELLED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT. */
  status: string;
  task_queue: string | null;
  start_time: Timestamp;
  close_time: Timestamp;
  /** The UnitId search attribute (plans), null for system workflows. */
  unit_id: string | null;
  /** The PlanYear search attribute. */
  plan_year: number | null;
  search_attributes: ColumnType<JsonValue, JsonValue | string | undefined, JsonValue | string>;
  /** gzip of the history's JSON (historyToJSON). */
  history_gz: Buffer;
  event_count: number;
  /** sha256 (hex) of the uncompressed JSON. */
  sha256: string;
  exported_at: GeneratedTimestamp;
}

export interface WorkflowHistoryWatermarkTable {
  exporter: string;
  close_time: Timestamp;
  updated_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    workflow_history: WorkflowHistoryTable;
    workflow_history_watermark: WorkflowHistoryWatermarkTable;
  }
}

export type WorkflowHistoryRow = Selectable<WorkflowHistoryTable>;
