// Delegations (DESIGN §3): who may act for whom, when. Read by the inbox (a delegate also sees the
// principal's open tasks while a delegation is in force) and by the transition routes (acting on
// behalf of a principal needs a granted delegation whose window contains the moment).
import { vnLocalDate } from '../../domain/calendar/vn-time.ts';
import { registerDbRules } from '../errors.ts';
import type { Executor } from '../executor.ts';
import '../schema-delegations.ts';
import { type DelegationRow, GRANTED_DELEGATION_STATUSES } from '../schema-delegations.ts';

const granted = [...GRANTED_DELEGATION_STATUSES];

// The stable codes of the delegation table's constraints (migration 0320_delegation).
registerDbRules({
  delegation_pk: {
    code: 'DELEGATION_EXISTS',
    status: 409,
    vi: 'Đã có đề nghị ủy quyền bắt đầu từ ngày này.',
    en: 'A delegation starting on this day already exists.',
  },
  delegation_not_self_ck: {
    code: 'DELEGATION_SELF',
    status: 422,
    vi: 'Không thể ủy quyền cho chính mình.',
    en: 'You cannot delegate to yourself.',
  },
  delegation_period_ck: {
    code: 'DELEGATION_PERIOD_INVALID',
    status: 422,
    vi: 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.',
    en: 'The last day must be on or after the first day.',
  },
  delegation_reason_ck: {
    code: 'DELEGATION_REASON_REQUIRED',
    status: 422,
    vi: 'Cần nêu lý do ủy quyền.',
    en: 'A reason is required.',
  },
  delegation_status_ck: {
    code: 'DELEGATION_STATUS_INVALID',
    status: 422,
    vi: 'Trạng thái ủy quyền không hợp lệ.',
    en: 'The delegation status is invalid.',
  },
  delegation_approver_not_principal_ck: {
    code: 'DELEGATION_SELF_APPROVAL',
    status: 422,
    vi: 'Không ai tự duyệt ủy quyền của chính mình.',
    en: 'Nobody approves their own delegation.',
  },
  delegation_state_version_ck: {
    code: 'DELEGATION_STATE_INVALID',
    status: 422,
    vi: 'Phiên bản trạng thái không hợp lệ.',
    en: 'The state version is invalid.',
  },
  delegation_no_overlap_ex: {
    code: 'DELEGATION_OVERLAP',
    status: 409,
    vi: 'Thời gian này trùng với một ủy quyền khác của bạn.',
    en: 'This period overlaps another delegation of yours.',
  },
});

/** The local date (Asia/Ho_Chi_Minh) of an instant. */
const dayOf = (at: Date): string => vnLocalDate(at.getTime());

/**
 * The approved delegation from `principalId` to `delegateId` whose window (local dates, both inclusive)
 * contains `at`, or undefined.
 */
export async function activeDelegation(
  executor: Executor,
  q: { delegateId: string; principalId: string; at: Date },
): Promise<{ id: string } | undefined> {
  const day = dayOf(q.at);
  return executor
    .selectFrom('delegation')
    .select('id')
    .where('delegate_id', '=', q.delegateId)
    .where('principal_id', '=', q.principalId)
    .where('status', 'in', granted)
    .where('from_date', '<=', day)
    .where('to_date', '>=', day)
    .executeTakeFirst();
}

/** The people `delegateId` acts for at `at` (approved delegations whose window contains it). */
export async function principalsOf(
  executor: Executor,
  delegateId: string,
  at: Date,
): Promise<{ principalId: string; delegationId: string }[]> {
  const day = dayOf(at);
  return executor
    .selectFrom('delegation')
    .select(['principal_id as principalId', 'id as delegationId'])
    .where('delegate_id', '=', delegateId)
    .where('status', 'in', granted)
    .where('from_date', '<=', day)
    .where('to_date', '>=', day)
    .orderBy('from_date')
    .orderBy('id')
    .execute();
}

export function getDelegation(executor: Executor, id: string): Promise<DelegationRow | undefined> {
  return executor.selectFrom('delegation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A granted delegation of `principalId` whose window overlaps [from, to], other than `exceptId`. */
export function overlappingGranted(
  executor: Executor,
  q: { principalId: string; from: string; to: string; exceptId?: string },
): Promise<{ id: string } | undefined> {
  let s = executor
    .selectFrom('delegation')
    .select('id')
    .where('principal_id', '=', q.principalId)
    .where('status', 'in', granted)
    .where('from_date', '<=', q.to)
    .where('to_date', '>=', q.from);
  if (q.exceptId) s = s.where('id', '<>', q.exceptId);
  return s.executeTakeFirst();
}

/** A still-pending request of `principalId` whose window overlaps [from, to]. */
export function overlappingRequested(
  executor: Executor,
  q: { principalId: string; from: string; to: string },
): Promise<{ id: string } | undefined> {
  return executor
    .selectFrom('delegation')
    .select('id')
    .where('principal_id', '=', q.principalId)
    .where('status', '=', 'REQUESTED')
    .where('from_date', '<=', q.to)
    .where('to_date', '>=', q.from)
    .executeTakeFirst();
}

export interface DelegationView extends DelegationRow {
  principal_name: string;
  delegate_name: string;
  approver_name: string | null;
  unit_name_vi: string;
}

function withNames(executor: Executor) {
  return executor
    .selectFrom('delegation as d')
    .innerJoin('person as p', 'p.id', 'd.principal_id')
    .innerJoin('person as g', 'g.id', 'd.delegate_id')
    .leftJoin('person as a', 'a.id', 'd.approver_id')
    .innerJoin('org_unit as u', 'u.id', 'd.unit_id')
    .selectAll('d')
    .select([
      'p.full_name as principal_name',
      'g.full_name as delegate_name',
      'a.full_name as approver_name',
      'u.name_vi as unit_name_vi',
    ]);
}

/** Delegations a person is party to: as principal, as delegate, and as approver; newest first. */
export async function delegationsOf(
  executor: Executor,
  personId: string,
): Promise<{ asPrincipal: DelegationView[]; asDelegate: DelegationView[]; toApprove: DelegationView[] }> {
  const [asPrincipal, asDelegate, toApprove] = await Promise.all([
    withNames(executor)
      .where('d.principal_id', '=', personId)
      .orderBy('d.from_date', 'desc')
      .orderBy('d.id')
      .limit(200)
      .execute(),
    withNames(executor)
      .where('d.delegate_id', '=', personId)
      .where('d.status', 'in', ['APPROVED', 'ACTIVE', 'ENDED', 'REVOKED'])
      .orderBy('d.from_date', 'desc')
      .orderBy('d.id')
      .limit(200)
      .execute(),
    withNames(executor)
      .where('d.approver_id', '=', personId)
      .orderBy('d.from_date', 'desc')
      .orderBy('d.id')
      .limit(200)
      .execute(),
  ]);
  return { asPrincipal, asDelegate, toApprove };
}

/** One delegation with the parties' names. */
export function delegationView(executor: Executor, id: string): Promise<DelegationView | undefined> {
  return withNames(executor).where('d.id', '=', id).executeTakeFirst();
}
