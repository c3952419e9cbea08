// Kysely types of delegations (migration 0320_delegation), added to DB by module augmentation.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { DateString, GeneratedTimestamp, Timestamp } from './schema.ts';

export const DELEGATION_STATUSES = [
  'REQUESTED',
  'APPROVED',
  'REJECTED',
  'ACTIVE',
  'ENDED',
  'REVOKED',
] as const;
export type DelegationStatus = (typeof DELEGATION_STATUSES)[number];
/** Statuses whose window blocks another delegation of the same principal and that act for the principal. */
export const GRANTED_DELEGATION_STATUSES = [
  'APPROVED',
  'ACTIVE',
] as const satisfies readonly DelegationStatus[];

export interface DelegationTable {
  /** The business key and workflow id: 'delegation:<principalId>:<from>'. */
  id: string;
  principal_id: string;
  delegate_id: string;
  unit_id: string;
  /** Local dates in Asia/Ho_Chi_Minh, both inclusive. */
  from_date: DateString;
  to_date: DateString;
  reason: string;
  status: ColumnType<DelegationStatus, DelegationStatus | undefined, DelegationStatus>;
  approver_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  revoked_by: string | null;
  revoked_at: Timestamp | null;
  workflow_id: string;
  /** Orders read-model writes from the workflow (an older write never overwrites a newer one). */
  state_version: Generated<number>;
  requested_by: string;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

declare module './schema.ts' {
  interface DB {
    delegation: DelegationTable;
  }
}

export type DelegationRow = Selectable<DelegationTable>;
