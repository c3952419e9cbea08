// Wire contracts of the delegation workflow: id helper, Update and Query definitions, input and state
// types. Names are wire contracts: never rename them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { TimeWarp } from './plan-time.ts';

/** One delegation workflow per principal and first day: its id is the delegation's business key. */
export const delegationId = (principalId: string, from: string) => `delegation:${principalId}:${from}`;

export type DelegationPhase = 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'ACTIVE' | 'ENDED' | 'REVOKED';

export interface DelegationInput {
  delegationId: string;
  principalId: string;
  delegateId: string;
  /** The one person who decides (the 'delegation' chain's party, by default the supervisor). */
  approverId: string;
  unitId: string;
  /** Local dates (Asia/Ho_Chi_Minh), both inclusive. */
  from: string;
  to: string;
  reason: string;
  /** Shown in messages. */
  principalName: string;
  delegateName: string;
  /** Due date of the approval task (defaults to the day before `from`, never before the request day). */
  approveBy?: string;
  /** Tests and demos only: compressed time. */
  warp?: TimeWarp;
}

export interface DecideDelegationArgs {
  decision: 'approve' | 'reject';
  by: string;
  note?: string;
}

export interface RevokeDelegationArgs {
  by: string;
  reason?: string;
}

export interface DelegationUpdateResult {
  id: string;
  status: DelegationPhase;
}

export interface DelegationView {
  status: DelegationPhase;
  decidedBy?: string;
  revokedBy?: string;
  reminded: boolean;
}

export const decideDelegation = defineUpdate<DelegationUpdateResult, [DecideDelegationArgs]>(
  'decideDelegation',
);
export const revokeDelegation = defineUpdate<DelegationUpdateResult, [RevokeDelegationArgs]>(
  'revokeDelegation',
);
export const getDelegation = defineQuery<DelegationView>('getDelegation');
