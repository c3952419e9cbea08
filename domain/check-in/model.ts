// The check-in as the rules see it (DESIGN §3 monthly row): one check-in per person per month, a value per key
// result due in that month. Plain serialisable values, no I/O.
import type { Cadence, DecimalString, KeyResult } from '../plan/model.ts';

/** The check-in's state. The content path writes DRAFT values; the check-in workflow owns every transition. */
export const CHECK_IN_STATUSES = ['DRAFT', 'SUBMITTED', 'VERIFIED', 'RETURNED', 'LOCKED'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];
/** Statuses in which the owner may still change draft values. */
export const EDITABLE_CHECK_IN_STATUSES: ReadonlySet<CheckInStatus> = new Set(['DRAFT', 'RETURNED']);

/** The owner's own reading of a key result. */
export const KR_STATUSES = ['on-track', 'at-risk', 'off-track'] as const;
export type KrStatus = (typeof KR_STATUSES)[number];

export const EXPLANATION_MAX = 2000;
export const EVIDENCE_MAX = 20;

/** A month period key: 'YYYY-MM'. */
export type MonthPeriod = string;

/** A key result of a plan's version in force, with the plan it belongs to. */
export interface PlanKeyResult {
  planId: string;
  planVersionId: string;
  ownerKind: 'unit' | 'person';
  taskId: string;
  taskTitle: string;
  keyResult: KeyResult;
}

/** A key result due in a period, with its target for the period. */
export interface DueKeyResult extends PlanKeyResult {
  cadence: Cadence;
  /** The target of the period when the plan sets one (month key, else the quarter's for quarter cadence, else
   *  the annual target for a yearly key result); undefined when the plan sets none. */
  periodTarget?: DecimalString | undefined;
}

/** What the owner sends for one key result (the number as typed, in their locale). */
export interface ValueEntryInput {
  planId: string;
  keyResultId: string;
  /** The number as typed ("1.234,5" in Vietnamese); for a milestone, absent. */
  value?: string | null | undefined;
  /** Milestones: done / not done. */
  done?: boolean | null | undefined;
  status?: KrStatus | null | undefined;
  confidence?: number | null | undefined;
  explanation?: string | null | undefined;
  evidenceIds?: readonly string[] | undefined;
}

/** A validated value, as stored: the value as a canonical decimal string ("1234.5") or done for milestones. */
export interface CheckInValue {
  planId: string;
  keyResultId: string;
  value: DecimalString | null;
  done: boolean | null;
  /** What was typed, kept for the history. */
  input: string | null;
  status: KrStatus | null;
  confidence: number | null;
  explanation: string | null;
  evidenceIds: string[];
}
