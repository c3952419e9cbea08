// Period locks (DESIGN §3): a reporting period locks when its window closes and reopens only by a
// request with a reason, approved by the unit head (personal items) or the secretariat (unit items).
// Reopening is data: a request and its decision; whether a period is locked is computed at an instant.
import type { PlanYearCalendar } from './plan-year.ts';
import type { LocalDate } from './profile.ts';
import { localDate, startOfVnDay } from './vn-time.ts';

export interface ReportingPeriod {
  /** '2026-03' or '2026-Q1'. */
  id: string;
  kind: 'month' | 'quarter';
  from: LocalDate;
  to: LocalDate;
  /** Values can be entered from the start of the period… */
  opensAt: number;
  /** …until its submission deadline (exclusive): then it locks. */
  closesAt: number;
}

export type ItemOwnership = 'personal' | 'unit';
export type ReopeningApprover = 'unit-head' | 'secretariat';

export interface ReopeningRequest {
  periodId: string;
  /** Whose items reopen: the person (personal items) or the unit (unit items). */
  subjectId: string;
  ownership: ItemOwnership;
  reason: string;
  requestedBy: string;
  requestedAt: number;
  approverRole: ReopeningApprover;
  decision?: { approved: boolean; by: string; at: number; reopenUntil?: number; comment?: string };
}

export const reopeningApproverRole = (ownership: ItemOwnership): ReopeningApprover =>
  ownership === 'personal' ? 'unit-head' : 'secretariat';

/** Reporting periods of a plan year: months lock at their check-in deadline, quarters at the quarterly report's. */
export function reportingPeriods(calendar: PlanYearCalendar): ReportingPeriod[] {
  const y = calendar.planYear;
  const dueAt = (id: string) => {
    const d = calendar.deadlines.find((x) => x.id === id);
    if (!d) throw new RangeError(`calendar ${y} has no deadline ${id}`);
    return d.dueAt;
  };
  const out: ReportingPeriod[] = [];
  for (let m = 1; m <= 12; m++) {
    const from = localDate(y, m, 1);
    const id = from.slice(0, 7);
    out.push({
      id,
      kind: 'month',
      from,
      to: localDate(y, m + 1, 0),
      opensAt: startOfVnDay(from),
      closesAt: dueAt(`check-in.${id}`),
    });
  }
  for (let q = 1; q <= 4; q++) {
    const from = localDate(y, 3 * q - 2, 1);
    const id = `${y}-Q${q}`;
    out.push({
      id,
      kind: 'quarter',
      from,
      to: localDate(y, 3 * q + 1, 0),
      opensAt: startOfVnDay(from),
      closesAt: dueAt(`quarter-report.${id}`),
    });
  }
  return out;
}

export function requestReopening(args: {
  period: ReportingPeriod;
  ownership: ItemOwnership;
  subjectId: string;
  reason: string;
  requestedBy: string;
  now: number;
}): ReopeningRequest {
  if (args.reason.trim() === '') throw new RangeError('a reopening needs a reason');
  if (args.now < args.period.closesAt) throw new RangeError(`period ${args.period.id} is not locked yet`);
  return {
    periodId: args.period.id,
    subjectId: args.subjectId,
    ownership: args.ownership,
    reason: args.reason.trim(),
    requestedBy: args.requestedBy,
    requestedAt: args.now,
    approverRole: reopeningApproverRole(args.ownership),
  };
}

export function decideReopening(
  request: ReopeningRequest,
  decision: {
    approved: boolean;
    by: string;
    byRole: string;
    at: number;
    reopenUntil?: number;
    comment?: string;
  },
): ReopeningRequest {
  if (request.decision) throw new RangeError('the request is already decided');
  if (decision.byRole !== request.approverRole) {
    throw new RangeError(
      `a ${request.ownership} reopening is decided by the ${request.approverRole}, not ${decision.byRole}`,
    );
  }
  if (decision.by === request.requestedBy) throw new RangeError('nobody approves their own request');
  if (decision.approved && (decision.reopenUntil === undefined || decision.reopenUntil <= decision.at)) {
    throw new RangeError('an approved reopening needs an end after the decision');
  }
  const { byRole: _, ...rest } = decision;
  return { ...request, decision: rest };
}

export type PeriodStatus = 'not-open' | 'open' | 'locked' | 'reopened';

/** The status of `period` at `at` for the items of `subjectId`; reopenings of other subjects do not count. */
export function periodStatus(
  period: ReportingPeriod,
  at: number,
  reopenings: readonly ReopeningRequest[] = [],
  subjectId?: string,
): PeriodStatus {
  if (at < period.opensAt) return 'not-open';
  if (at < period.closesAt) return 'open';
  const reopened = reopenings.some(
    (r) =>
      r.periodId === period.id &&
      (subjectId === undefined || r.subjectId === subjectId) &&
      r.decision?.approved === true &&
      r.decision.at <= at &&
      r.decision.reopenUntil !== undefined &&
      at < r.decision.reopenUntil,
  );
  return reopened ? 'reopened' : 'locked';
}

export const isPeriodLocked = (
  period: ReportingPeriod,
  at: number,
  reopenings: readonly ReopeningRequest[] = [],
  subjectId?: string,
) => periodStatus(period, at, reopenings, subjectId) === 'locked';
